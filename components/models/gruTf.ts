// The GRU of components/core/gru.ts written with tfjs ops, in either reset placement.
// Z keeps the old state: H(t) = Z ⊙ H(t−1) + (1 − Z) ⊙ H̃ (the notes, PyTorch, Keras, tfjs-layers).
//
// Packed as row vectors, blocks in the order Z, R, H (the order tfjs-layers and Keras use):
//   [A_Z A_R](t) = X(t) Wx[:, Z R] + H(t−1) Wh[:, Z R] + b[Z R]
//   reset "before":  H̃ = tanh(X Wx[:, H] + b[H] + (R ⊙ H(t−1)) Wh[:, H])
//   reset "after":   H̃ = tanh(X Wx[:, H] + b[H] + R ⊙ (H(t−1) Wh[:, H] + b_HR))
// (PyTorch stores its weights as rows in the order r, z, n: transpose and reorder to load them.)

import * as tf from "@unrolled/tfjs";
import { unstackSteps } from "./unstackSteps.js";
import { checkHead, type Head } from "../core/rnn.js";
import { GRU_GATES, gruParamCount, gruSizes, type GruParams, type ResetPlacement } from "../core/gru.js";
import { readoutTimeMajor, tfApplyHead, tfHeadLoss } from "./rnnTf.js";
import { checkXs, inputParts, packGates, unpackGates, type UnrollOptions } from "./lstmTf.js";
import { batchMajor, batchMajorAll, readRowsAndDispose } from "./stepTensors.js";

export interface TfGru {
  readonly kind: "gru";
  readonly head: Head;
  readonly reset: ResetPlacement;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly outputSize: number;
  /** 3q(p + q + 1) (+ q for b_HR when reset = "after") + kq + k. */
  readonly paramCount: number;
  readonly Wx: tf.Variable<tf.Rank.R2>;
  readonly Wh: tf.Variable<tf.Rank.R2>;
  readonly b: tf.Variable<tf.Rank.R1>;
  /** Only when reset = "after". */
  readonly bHR: tf.Variable<tf.Rank.R1> | null;
  readonly V: tf.Variable<tf.Rank.R2>;
  readonly c: tf.Variable<tf.Rank.R1>;
  readonly variables: tf.Variable[];
  readParams(): Promise<GruParams>;
  dispose(): void;
}

export function createTfGru(params: GruParams, head: Head, reset: ResetPlacement = "before"): TfGru {
  const { inputSize: p, hiddenSize: q, outputSize: k } = gruSizes(params);
  checkHead(head, k);
  if (reset !== "before" && reset !== "after") throw new Error(`reset must be "before" or "after", got "${String(reset)}".`);
  const packed = packGates(params, GRU_GATES);
  const Wx = tf.tidy(() => tf.variable(tf.tensor2d(packed.Wx, [p, 3 * q], "float32"), true));
  const Wh = tf.tidy(() => tf.variable(tf.tensor2d(packed.Wh, [q, 3 * q], "float32"), true));
  const b = tf.tidy(() => tf.variable(tf.tensor1d(packed.b, "float32"), true));
  const bHR = reset === "after" ? tf.tidy(() => tf.variable(tf.tensor1d(params.bHR, "float32"), true)) : null;
  const V = tf.tidy(() => tf.variable(tf.tensor2d(params.V, [k, q], "float32"), true));
  const c = tf.tidy(() => tf.variable(tf.tensor1d(params.c, "float32"), true));
  const variables: tf.Variable[] = bHR ? [Wx, Wh, b, bHR, V, c] : [Wx, Wh, b, V, c];
  let disposed = false;
  return {
    kind: "gru",
    head,
    reset,
    inputSize: p,
    hiddenSize: q,
    outputSize: k,
    paramCount: gruParamCount(p, q, k, reset),
    Wx,
    Wh,
    b,
    bHR,
    V,
    c,
    variables,
    async readParams() {
      const [wx, wh, bb, v, cc, bhr] = await Promise.all([Wx.array(), Wh.array(), b.array(), V.array(), c.array(), bHR ? bHR.array() : Promise.resolve(new Array<number>(q).fill(0))]);
      return { ...unpackGates(wx, wh, bb, GRU_GATES), bHR: bhr, V: v, c: cc };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const variable of variables) variable.dispose();
    },
  };
}

export type GruSteps = {
  Z: tf.Tensor3D;
  R: tf.Tensor3D;
  hTilde: tf.Tensor3D;
  h: tf.Tensor3D;
  o: tf.Tensor3D;
};

/** What the unrolled loop needs of a GRU layer: its cell weights, not its read-out. */
export type GruCellVars = Pick<TfGru, "inputSize" | "hiddenSize" | "Wx" | "Wh" | "b" | "bHR" | "reset">;

/** The cell alone, time-major; `nudge` is added to h(t) after each step (its gradient is ∂L/∂h(t)). */
export function gruStatesTimeMajor(model: GruCellVars, xs: tf.Tensor3D, options: UnrollOptions = {}): Omit<GruSteps, "o"> {
  const [batch, T] = checkXs(xs, model.inputSize);
  const q = model.hiddenSize;
  const inputs = inputParts(xs, model.Wx, model.b);
  const nudges = options.nudge ? unstackSteps<tf.Rank.R2>(options.nudge) : null;
  const WhZR = tf.slice(model.Wh, [0, 0], [q, 2 * q]);
  const WhH = tf.slice(model.Wh, [0, 2 * q], [q, q]);
  let h: tf.Tensor2D = options.h0 ?? tf.zeros([batch, q]);
  const steps: Record<Exclude<keyof GruSteps, "o">, tf.Tensor2D[]> = { Z: [], R: [], hTilde: [], h: [] };
  for (let t = 0; t < T; t++) {
    const [xZR, xH] = tf.split(inputs[t]!, [2 * q, q], 1) as tf.Tensor2D[];
    const [aZ, aR] = tf.split(tf.add(xZR!, tf.matMul(h, WhZR)), 2, 1) as tf.Tensor2D[];
    const Z = tf.sigmoid(aZ!);
    const R = tf.sigmoid(aR!);
    const recurrent =
      model.reset === "before"
        ? tf.matMul(tf.mul(R, h), WhH) // (R ⊙ h) W_Hᵀ
        : tf.mul(R, tf.add(tf.matMul(h, WhH), model.bHR!)); // R ⊙ (h W_Hᵀ + b_HR)
    const hTilde = tf.tanh(tf.add(xH!, recurrent)) as tf.Tensor2D;
    h = tf.add(tf.mul(Z, h), tf.mul(tf.sub(1, Z), hTilde)); // h(t) = Z ⊙ h(t−1) + (1 − Z) ⊙ h̃
    if (nudges) h = tf.add(h, nudges[t]!);
    steps.Z.push(Z);
    steps.R.push(R);
    steps.hTilde.push(hTilde);
    steps.h.push(h);
  }
  const stack = (list: tf.Tensor2D[]) => tf.stack(list, 0) as tf.Tensor3D;
  return { Z: stack(steps.Z), R: stack(steps.R), hTilde: stack(steps.hTilde), h: stack(steps.h) };
}

/** Time-major unroll with the read-out. */
export function gruUnrollTimeMajor(model: TfGru, xs: tf.Tensor3D, options: UnrollOptions = {}): GruSteps {
  const states = gruStatesTimeMajor(model, xs, options);
  return { ...states, o: readoutTimeMajor(states.h, model.V, model.c) };
}

export function tfGruForward(model: TfGru, xs: tf.Tensor3D, options: UnrollOptions = {}): GruSteps & { yhat: tf.Tensor3D } {
  return tf.tidy(() => {
    const out = batchMajorAll(gruUnrollTimeMajor(model, xs, options));
    return { ...out, yhat: tfApplyHead(model.head, out.o) };
  });
}

export function tfGruLoss(model: TfGru, xs: tf.Tensor3D, targets: tf.Tensor, options: UnrollOptions = {}): tf.Scalar {
  return tf.tidy(() => tfHeadLoss(model.head, batchMajor(gruUnrollTimeMajor(model, xs, options).o), targets));
}

export type GruIntermediates = Record<keyof GruSteps | "yhat", number[][]>;

export async function readGruIntermediates(model: TfGru, xs: number[][]): Promise<GruIntermediates> {
  return readRowsAndDispose(tf.tidy(() => tfGruForward(model, tf.tensor3d([xs], [1, xs.length, model.inputSize]))));
}
