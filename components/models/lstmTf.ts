// The LSTM of components/core/lstm.ts written with tfjs ops (not tf.layers), so that every
// gate is a tensor we can show and every weight a tf.Variable we can train.
//
// Batched as row vectors, with the four maps packed side by side in the order F, I, O, C:
//   [A_F A_I A_O A_C](t) = X(t) Wx + H(t−1) Wh + b,   Wx: p×4q, Wh: q×4q, b: 4q,
// so column block g of Wx is U_gᵀ and of Wh is W_gᵀ. (tfjs-layers and Keras pack the
// same blocks in the order i, f, c, o; PyTorch in the order i, f, g, o, as rows.)
//   F, I, O = σ(A_F), σ(A_I), σ(A_O);  C̃ = tanh(A_C);  C(t) = F ⊙ C(t−1) + I ⊙ C̃;  H(t) = O ⊙ tanh(C(t))
//   O_out(t) = H(t) Vᵀ + c, and the loss of tfHeadLoss (mean over batch and time).

import * as tf from "@unrolled/tfjs";
import { unstackSteps } from "./unstackSteps.js";
import { batchMajor, batchMajorAll, readRowsAndDispose } from "./stepTensors.js";
import { checkHead, type Head } from "../core/rnn.js";
import { LSTM_GATES, lstmParamCount, lstmSizes, type GateParams, type LstmGate, type LstmParams } from "../core/lstm.js";
import { readoutTimeMajor, tfApplyHead, tfHeadLoss } from "./rnnTf.js";

/** Gates that can be replaced by a constant (the "are all the gates necessary?" ablation). */
export type FixedGates = Partial<Record<"F" | "I" | "O", number>>;

export interface TfLstm {
  readonly kind: "lstm";
  readonly head: Head;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly outputSize: number;
  /** 4q(p + q + 1) + kq + k: the sizes of the variables below, summed. */
  readonly paramCount: number;
  /** Input kernel p×4q, blocks F, I, O, C. */
  readonly Wx: tf.Variable<tf.Rank.R2>;
  /** Recurrent kernel q×4q, blocks F, I, O, C. */
  readonly Wh: tf.Variable<tf.Rank.R2>;
  readonly b: tf.Variable<tf.Rank.R1>;
  /** Read-out k×q. */
  readonly V: tf.Variable<tf.Rank.R2>;
  readonly c: tf.Variable<tf.Rank.R1>;
  readonly variables: tf.Variable[];
  /** Gates held at a constant instead of computed (their weights still exist but get no gradient). */
  readonly fixedGates: FixedGates;
  readParams(): Promise<LstmParams>;
  dispose(): void;
}

const transpose = (m: number[][]) => m[0]!.map((_, j) => m.map((r) => r[j]!));

/** Packs per-gate W, U, b into [Wx | Wh | b] column blocks in `order`. */
export function packGates<G extends string>(params: Record<G, GateParams>, order: readonly G[]): { Wx: number[][]; Wh: number[][]; b: number[] } {
  const Wx = transpose(order.flatMap((g) => params[g].U)); // p × nq
  const Wh = transpose(order.flatMap((g) => params[g].W)); // q × nq
  return { Wx, Wh, b: order.flatMap((g) => params[g].b) };
}

/** The inverse of packGates. */
export function unpackGates<G extends string>(Wx: number[][], Wh: number[][], b: number[], order: readonly G[]): Record<G, GateParams> {
  const q = Wh.length;
  const out = {} as Record<G, GateParams>;
  order.forEach((g, n) => {
    const cols = (m: number[][]) => Array.from({ length: q }, (_, i) => m.map((r) => r[n * q + i]!));
    out[g] = { W: cols(Wh), U: cols(Wx), b: b.slice(n * q, (n + 1) * q) };
  });
  return out;
}

export function createTfLstm(params: LstmParams, head: Head, options: { fixedGates?: FixedGates } = {}): TfLstm {
  const { inputSize: p, hiddenSize: q, outputSize: k } = lstmSizes(params);
  checkHead(head, k);
  const packed = packGates(params, LSTM_GATES);
  const Wx = tf.tidy(() => tf.variable(tf.tensor2d(packed.Wx, [p, 4 * q], "float32"), true));
  const Wh = tf.tidy(() => tf.variable(tf.tensor2d(packed.Wh, [q, 4 * q], "float32"), true));
  const b = tf.tidy(() => tf.variable(tf.tensor1d(packed.b, "float32"), true));
  const V = tf.tidy(() => tf.variable(tf.tensor2d(params.V, [k, q], "float32"), true));
  const c = tf.tidy(() => tf.variable(tf.tensor1d(params.c, "float32"), true));
  const variables: tf.Variable[] = [Wx, Wh, b, V, c];
  let disposed = false;
  return {
    kind: "lstm",
    head,
    inputSize: p,
    hiddenSize: q,
    outputSize: k,
    paramCount: lstmParamCount(p, q, k),
    Wx,
    Wh,
    b,
    V,
    c,
    variables,
    fixedGates: { ...(options.fixedGates ?? {}) },
    async readParams() {
      const [wx, wh, bb, v, cc] = await Promise.all([Wx.array(), Wh.array(), b.array(), V.array(), c.array()]);
      return { ...unpackGates(wx, wh, bb, LSTM_GATES), V: v, c: cc };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const variable of variables) variable.dispose();
    },
  };
}

export type LstmSteps = {
  F: tf.Tensor3D;
  I: tf.Tensor3D;
  O: tf.Tensor3D;
  cTilde: tf.Tensor3D;
  c: tf.Tensor3D;
  h: tf.Tensor3D;
  /** Read-out before the head. */
  o: tf.Tensor3D;
};

export interface UnrollOptions {
  h0?: tf.Tensor2D;
  c0?: tf.Tensor2D;
  /**
   * [T, batch, q], added to the carried state after each step (c(t) for the LSTM). Zero
   * changes nothing; the gradient of the loss with respect to it is ∂L/∂c(t), through
   * every later step: the quantity whose size through time the page plots.
   */
  nudge?: tf.Tensor3D;
}

/** Checks xs is [batch, T, p]; returns batch and T. */
export function checkXs(xs: tf.Tensor, p: number): [number, number] {
  if (xs.rank !== 3 || xs.shape[2] !== p) throw new Error(`xs must have shape [batch, T, p] with p = ${p} but has shape [${xs.shape.join(", ")}].`);
  if (xs.shape[1]! < 1) throw new Error("xs must have at least one time step.");
  return [xs.shape[0]!, xs.shape[1]!];
}

/** X Wx + b for every step at once, as T tensors [batch, n]. */
export function inputParts(xs: tf.Tensor3D, Wx: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D[] {
  const [batch, T, p] = xs.shape;
  const n = Wx.shape[1];
  const flat = tf.reshape(tf.transpose(xs, [1, 0, 2]), [T * batch, p]);
  return unstackSteps<tf.Rank.R2>(tf.reshape(tf.add(tf.matMul(flat, Wx), b), [T, batch, n]));
}

/** What the unrolled loop needs of an LSTM layer: its cell weights, not its read-out. */
export type LstmCellVars = Pick<TfLstm, "inputSize" | "hiddenSize" | "Wx" | "Wh" | "b" | "fixedGates">;

/** The cell alone, time-major: every gate and state [T, batch, q]. */
export function lstmStatesTimeMajor(model: LstmCellVars, xs: tf.Tensor3D, options: UnrollOptions = {}): Omit<LstmSteps, "o"> {
  const [batch, T] = checkXs(xs, model.inputSize);
  const q = model.hiddenSize;
  const inputs = inputParts(xs, model.Wx, model.b);
  const nudges = options.nudge ? unstackSteps<tf.Rank.R2>(options.nudge) : null;
  let h: tf.Tensor2D = options.h0 ?? tf.zeros([batch, q]);
  let c: tf.Tensor2D = options.c0 ?? tf.zeros([batch, q]);
  const fixed = (g: "F" | "I" | "O", computed: () => tf.Tensor2D): tf.Tensor2D => {
    const v = model.fixedGates[g];
    return v === undefined ? computed() : tf.fill([batch, q], v);
  };
  const steps: Record<Exclude<keyof LstmSteps, "o">, tf.Tensor2D[]> = { F: [], I: [], O: [], cTilde: [], c: [], h: [] };
  for (let t = 0; t < T; t++) {
    const pre = tf.add(inputs[t]!, tf.matMul(h, model.Wh)); // [batch, 4q]
    const [aF, aI, aO, aC] = tf.split(pre, 4, 1) as tf.Tensor2D[];
    const F = fixed("F", () => tf.sigmoid(aF!));
    const I = fixed("I", () => tf.sigmoid(aI!));
    const O = fixed("O", () => tf.sigmoid(aO!));
    const cTilde = tf.tanh(aC!);
    c = tf.add(tf.mul(F, c), tf.mul(I, cTilde)); // c(t) = F ⊙ c(t−1) + I ⊙ c̃
    if (nudges) c = tf.add(c, nudges[t]!);
    h = tf.mul(O, tf.tanh(c)); // h(t) = O ⊙ tanh(c(t))
    steps.F.push(F);
    steps.I.push(I);
    steps.O.push(O);
    steps.cTilde.push(cTilde);
    steps.c.push(c);
    steps.h.push(h);
  }
  const stack = (list: tf.Tensor2D[]) => tf.stack(list, 0) as tf.Tensor3D;
  return { F: stack(steps.F), I: stack(steps.I), O: stack(steps.O), cTilde: stack(steps.cTilde), c: stack(steps.c), h: stack(steps.h) };
}

/** Time-major unroll with the read-out: every quantity [T, batch, ·]. */
export function lstmUnrollTimeMajor(model: TfLstm, xs: tf.Tensor3D, options: UnrollOptions = {}): LstmSteps {
  const states = lstmStatesTimeMajor(model, xs, options);
  return { ...states, o: readoutTimeMajor(states.h, model.V, model.c) };
}

/** Every gate and state as [batch, T, ·] tensors the caller owns, plus ŷ. */
export function tfLstmForward(model: TfLstm, xs: tf.Tensor3D, options: UnrollOptions = {}): LstmSteps & { yhat: tf.Tensor3D } {
  return tf.tidy(() => {
    const out = batchMajorAll(lstmUnrollTimeMajor(model, xs, options));
    return { ...out, yhat: tfApplyHead(model.head, out.o) };
  });
}

/** Mean loss over batch and time (tfHeadLoss). */
export function tfLstmLoss(model: TfLstm, xs: tf.Tensor3D, targets: tf.Tensor, options: UnrollOptions = {}): tf.Scalar {
  return tf.tidy(() => tfHeadLoss(model.head, batchMajor(lstmUnrollTimeMajor(model, xs, options).o), targets));
}

export type LstmIntermediates = Record<keyof LstmSteps | "yhat", number[][]>;

/** Every gate and state for one sequence xs (T×p), as T×n arrays. */
export async function readLstmIntermediates(model: TfLstm, xs: number[][]): Promise<LstmIntermediates> {
  return readRowsAndDispose(tf.tidy(() => tfLstmForward(model, tf.tensor3d([xs], [1, xs.length, model.inputSize]))));
}

export { LSTM_GATES, type LstmGate };
