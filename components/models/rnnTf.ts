// The vanilla RNN of components/core/rnn.ts written with tfjs ops (not tf.layers), so that
// every intermediate is a tensor we can show and every weight a tf.Variable we can train.
//
//   a(t) = W h(t−1) + U x(t) + b,   h(t) = tanh(a(t)),   o(t) = V h(t) + c,   ŷ(t) = head(o(t))
//
// Batched as row vectors: with H(t−1) of shape [batch, q] and X(t) of shape [batch, p],
//   A(t) = H(t−1) Wᵀ + X(t) Uᵀ + b.
// Losses are those of rnnLoss, averaged over batch and time.

import * as tf from "@unrolled/tfjs";
import { unstackSteps } from "./unstackSteps.js";
import { batchMajor } from "./stepTensors.js";
import { checkHead, rnnParamCount, rnnSizes, type Head, type RnnParams } from "../core/rnn.js";

export interface TfRnn {
  readonly head: Head;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly outputSize: number;
  /** q² + qp + q + kq + k. */
  readonly paramCount: number;
  readonly W: tf.Variable<tf.Rank.R2>;
  readonly U: tf.Variable<tf.Rank.R2>;
  readonly b: tf.Variable<tf.Rank.R1>;
  readonly V: tf.Variable<tf.Rank.R2>;
  readonly c: tf.Variable<tf.Rank.R1>;
  /** The trainable variables in the order W, U, b, V, c. */
  readonly variables: tf.Variable[];
  /** Copies the current weights out as float64 arrays (asynchronous reads). */
  readParams(): Promise<RnnParams>;
  dispose(): void;
}

export type TfRnnForward = {
  /** Pre-activations, [batch, T, q]. */
  a: tf.Tensor3D;
  /** Hidden states h(1..T), [batch, T, q]. */
  h: tf.Tensor3D;
  /** Outputs before the head, [batch, T, k]. */
  o: tf.Tensor3D;
  /** head(o), [batch, T, k]. */
  yhat: tf.Tensor3D;
};

/** Creates float32 variables holding a copy of `params`. */
export function createTfRnn(params: RnnParams, head: Head): TfRnn {
  const { inputSize, hiddenSize, outputSize } = rnnSizes(params);
  checkHead(head, outputSize);
  // tf.variable shares its initial value's buffer; tidy frees the temporary handles.
  const W = tf.tidy(() => tf.variable(tf.tensor2d(params.W, [hiddenSize, hiddenSize], "float32"), true));
  const U = tf.tidy(() => tf.variable(tf.tensor2d(params.U, [hiddenSize, inputSize], "float32"), true));
  const b = tf.tidy(() => tf.variable(tf.tensor1d(params.b, "float32"), true));
  const V = tf.tidy(() => tf.variable(tf.tensor2d(params.V, [outputSize, hiddenSize], "float32"), true));
  const c = tf.tidy(() => tf.variable(tf.tensor1d(params.c, "float32"), true));
  const variables: tf.Variable[] = [W, U, b, V, c];
  let disposed = false;
  return {
    head,
    inputSize,
    hiddenSize,
    outputSize,
    paramCount: rnnParamCount(inputSize, hiddenSize, outputSize),
    W,
    U,
    b,
    V,
    c,
    variables,
    async readParams() {
      const [w, u, bb, v, cc] = await Promise.all([W.array(), U.array(), b.array(), V.array(), c.array()]);
      return { W: w, U: u, b: bb, V: v, c: cc };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const variable of variables) variable.dispose();
    },
  };
}

/** What the unrolled loop needs of an RNN layer: its cell weights, not its read-out. */
export type RnnCellVars = Pick<TfRnn, "inputSize" | "hiddenSize" | "W" | "U" | "b">;

function checkInputs(model: RnnCellVars, xs: tf.Tensor, h0?: tf.Tensor): void {
  if (xs.rank !== 3 || xs.shape[2] !== model.inputSize) {
    throw new Error(
      `xs must have shape [batch, T, p] with p = ${model.inputSize} but has shape [${xs.shape.join(", ")}].`,
    );
  }
  if (xs.shape[1]! < 1) throw new Error("xs must have at least one time step.");
  if (h0 && (h0.rank !== 2 || h0.shape[0] !== xs.shape[0] || h0.shape[1] !== model.hiddenSize)) {
    throw new Error(
      `h0 must have shape [batch, q] = [${xs.shape[0]}, ${model.hiddenSize}] but has shape [${h0.shape.join(", ")}].`,
    );
  }
}

/** ŷ = head(o) along the last axis. */
export function tfApplyHead(head: Head, o: tf.Tensor3D): tf.Tensor3D {
  if (head === "real") return o.clone();
  if (head === "binary") return tf.sigmoid(o);
  return tf.softmax(o, -1);
}

/** O = H Vᵀ + c from time-major states H [T, batch, q]: [T, batch, k]. */
export function readoutTimeMajor(h: tf.Tensor3D, V: tf.Tensor2D, c: tf.Tensor1D): tf.Tensor3D {
  const [T, batch, q] = h.shape;
  return tf.reshape(tf.add(tf.matMul(tf.reshape(h, [T * batch, q]), V, false, true), c), [T, batch, V.shape[0]]) as tf.Tensor3D;
}

/**
 * The unrolled loop of the cell alone, in time-major layout: a and h as [T, batch, q].
 * Time-major because slicing and stacking along the first axis are plain contiguous copies;
 * along axis 1 the tfjs cpu backend is ~40× slower, and training runs this graph both ways.
 */
export function rnnStatesTimeMajor(model: RnnCellVars, xs: tf.Tensor3D, h0?: tf.Tensor2D): { a: tf.Tensor3D; h: tf.Tensor3D } {
  checkInputs(model, xs, h0);
  const [batch, T] = [xs.shape[0], xs.shape[1]];
  const { hiddenSize: q, inputSize: p } = model;
  // The input part of every pre-activation in one matrix product: X Uᵀ + b, [T, batch, q].
  const xsTimeMajor = tf.reshape(tf.transpose(xs, [1, 0, 2]), [T * batch, p]);
  const inputPart = tf.add(tf.matMul(xsTimeMajor, model.U, false, true), model.b);
  const inputSteps = unstackSteps<tf.Rank.R2>(tf.reshape(inputPart, [T, batch, q]));
  const WT = tf.transpose(model.W);
  let prev: tf.Tensor2D = h0 ?? tf.zeros([batch, q]);
  const as: tf.Tensor2D[] = [];
  const hs: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const at: tf.Tensor2D = tf.add(tf.matMul(prev, WT), inputSteps[t]!); // A(t) = H(t−1) Wᵀ + X(t) Uᵀ + b
    prev = tf.tanh(at); // H(t) = tanh(A(t))
    as.push(at);
    hs.push(prev);
  }
  return { a: tf.stack(as, 0) as tf.Tensor3D, h: tf.stack(hs, 0) as tf.Tensor3D };
}

/** The cell and the read-out: a, h as [T, batch, q] and o as [T, batch, k]. */
function unrollTimeMajor(model: TfRnn, xs: tf.Tensor3D, h0?: tf.Tensor2D): { a: tf.Tensor3D; h: tf.Tensor3D; o: tf.Tensor3D } {
  const { a, h } = rnnStatesTimeMajor(model, xs, h0);
  return { a, h, o: readoutTimeMajor(h, model.V, model.c) };
}


/**
 * Unrolls the RNN over T steps from h0 (zeros by default). Returns new [batch, T, ·]
 * tensors the caller owns (wrap the call in tf.tidy, or dispose a, h, o and yhat).
 */
export function tfRnnForward(model: TfRnn, xs: tf.Tensor3D, h0?: tf.Tensor2D): TfRnnForward {
  return tf.tidy(() => {
    const timeMajor = unrollTimeMajor(model, xs, h0);
    const o = batchMajor(timeMajor.o);
    return { a: batchMajor(timeMajor.a), h: batchMajor(timeMajor.h), o, yhat: tfApplyHead(model.head, o) };
  });
}

/**
 * The mean loss over batch and time from outputs o [batch, T, k] (same definitions as
 * rnnLoss). Targets: [batch, T, k] for "real"; [batch, T, 1] or [batch, T] with values in
 * [0, 1] for "binary"; [batch, T] class indices for "multiclass".
 */
export function tfHeadLoss(head: Head, o: tf.Tensor3D, targets: tf.Tensor): tf.Scalar {
  const [batch, T, k] = o.shape;
  const shape = `[${targets.shape.join(", ")}]`;
  return tf.tidy(() => {
    if (head === "multiclass") {
      if (targets.rank !== 2 || targets.shape[0] !== batch || targets.shape[1] !== T) {
        throw new Error(`Multiclass targets must be class indices of shape [batch, T] = [${batch}, ${T}] but have shape ${shape}.`);
      }
      // ℓ = logsumexp(o) − o_y
      const picked = tf.sum(tf.mul(o, tf.oneHot(tf.cast(targets, "int32"), k)), -1);
      return tf.mean(tf.sub(tf.logSumExp(o, -1), picked));
    }
    const y =
      head === "binary" && targets.rank === 2 ? tf.expandDims(targets, -1) : targets;
    if (y.rank !== 3 || y.shape[0] !== batch || y.shape[1] !== T || y.shape[2] !== k) {
      throw new Error(`Targets must have shape [batch, T, k] = [${batch}, ${T}, ${k}] but have shape ${shape}.`);
    }
    if (head === "binary") {
      // ℓ = max(o, 0) − o·y + log(1 + e^{−|o|})
      return tf.mean(tf.add(tf.sub(tf.relu(o), tf.mul(o, y)), tf.log1p(tf.exp(tf.neg(tf.abs(o))))));
    }
    // ℓ = (1/k) Σ_j (o_j − y_j)², averaged over batch and time = mean of every squared error.
    return tf.mean(tf.squaredDifference(o, y));
  }) as tf.Scalar;
}

/** The mean loss over batch and time of the RNN on xs against targets. */
export function tfRnnLoss(model: TfRnn, xs: tf.Tensor3D, targets: tf.Tensor, h0?: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tfHeadLoss(model.head, batchMajor(unrollTimeMajor(model, xs, h0).o), targets));
}

async function rows(t: tf.Tensor3D): Promise<number[][]> {
  const [, T, n] = t.shape;
  const data = await t.data();
  return Array.from({ length: T }, (_, i) => Array.from(data.subarray(i * n, (i + 1) * n)));
}

/** Every intermediate for one sequence xs (T×p), read asynchronously as T×n arrays. */
export async function readIntermediates(
  model: TfRnn,
  xs: number[][],
  h0?: number[],
): Promise<{ a: number[][]; h: number[][]; o: number[][]; yhat: number[][] }> {
  xs.forEach((x, t) => {
    if (x.length !== model.inputSize) {
      const p = model.inputSize;
      throw new Error(`xs[${t}] has ${x.length} value${x.length === 1 ? "" : "s"} but the RNN expects p = ${p} input${p === 1 ? "" : "s"}.`);
    }
  });
  if (h0 && h0.length !== model.hiddenSize) {
    throw new Error(`h0 has ${h0.length} values but the RNN has q = ${model.hiddenSize} hidden units.`);
  }
  const out = tf.tidy(() => {
    const x = tf.tensor3d([xs], [1, xs.length, model.inputSize]);
    const start = h0 ? tf.tensor2d([h0], [1, model.hiddenSize]) : undefined;
    return tfRnnForward(model, x, start);
  });
  try {
    const [a, h, o, yhat] = await Promise.all([rows(out.a), rows(out.h), rows(out.o), rows(out.yhat)]);
    return { a, h, o, yhat };
  } finally {
    tf.dispose([out.a, out.h, out.o, out.yhat]);
  }
}
