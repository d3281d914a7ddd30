// The LSTM cell in float64, written out one step at a time so that every gate can be
// shown and every other implementation (tfjs ops, tfjs-layers) checked against it.
//
//   F(t) = σ(W_F h(t−1) + U_F x(t) + b_F)        forget gate
//   I(t) = σ(W_I h(t−1) + U_I x(t) + b_I)        input gate
//   O(t) = σ(W_O h(t−1) + U_O x(t) + b_O)        output gate
//   c̃(t) = tanh(W_C h(t−1) + U_C x(t) + b_C)     candidate cell state
//   c(t) = F(t) ⊙ c(t−1) + I(t) ⊙ c̃(t)           cell update
//   h(t) = O(t) ⊙ tanh(c(t))                      hidden-state update
//   o(t) = V h(t) + c_out,  ŷ(t) = head(o(t))     read-out, as for the vanilla RNN (rnn.ts)
//
// W_· ∈ R^{q×q}, U_· ∈ R^{q×p}, b_· ∈ R^q: 4q(p + q + 1) cell parameters, plus kq + k for
// the read-out. Arrays are indexed like rnnForward's: row i holds step t = i + 1.

import { applyHead, sigmoid, type Head } from "./rnn.js";
import { createRng, type Rng } from "./random.js";

/** One affine map of a gate: pre-activation W h(t−1) + U x(t) + b. */
export interface GateParams {
  /** Recurrent weights, q×q. */
  W: number[][];
  /** Input weights, q×p. */
  U: number[][];
  /** Bias, length q. */
  b: number[];
}

export const LSTM_GATES = ["F", "I", "O", "C"] as const;
export type LstmGate = (typeof LSTM_GATES)[number];

export interface LstmParams {
  F: GateParams;
  I: GateParams;
  O: GateParams;
  /** The candidate's map (tanh instead of σ). */
  C: GateParams;
  /** Read-out weights, k×q. */
  V: number[][];
  /** Read-out bias, length k (c_out in the equations, not the cell state). */
  c: number[];
}

export interface LstmForward {
  F: number[][];
  I: number[][];
  O: number[][];
  /** c̃(1..T). */
  cTilde: number[][];
  /** Cell states c(1..T). */
  c: number[][];
  /** Hidden states h(1..T). */
  h: number[][];
  h0: number[];
  c0: number[];
  /** Read-out o(1..T), T×k. */
  o: number[][];
  /** head(o), T×k. */
  yhat: number[][];
}

/** 4q(p + q + 1): four gates, each with q×q recurrent and q×p input weights and q biases. */
export function lstmCellParamCount(p: number, q: number): number {
  return 4 * q * (p + q + 1);
}

/** The cell plus the read-out kq + k. */
export function lstmParamCount(p: number, q: number, k: number): number {
  return lstmCellParamCount(p, q) + k * q + k;
}

export interface GatedSizes {
  inputSize: number;
  hiddenSize: number;
  outputSize: number;
}

export function gateSizes(g: GateParams, name: string): { p: number; q: number } {
  const q = g.b.length;
  if (q < 1) throw new Error(`Gate ${name} has no units.`);
  if (g.W.length !== q || g.W.some((r) => r.length !== q)) throw new Error(`Gate ${name}: W must be q×q with q = ${q}.`);
  const p = g.U[0]?.length ?? 0;
  if (g.U.length !== q || p < 1 || g.U.some((r) => r.length !== p)) throw new Error(`Gate ${name}: U must be q×p with q = ${q}.`);
  return { p, q };
}

export function readoutSizes(V: number[][], c: number[], q: number): number {
  const k = c.length;
  if (V.length !== k || V.some((r) => r.length !== q)) throw new Error(`V must be k×q = ${k}×${q}.`);
  return k;
}

export function lstmSizes(params: LstmParams): GatedSizes {
  const { p, q } = gateSizes(params.F, "F");
  for (const g of LSTM_GATES) {
    const s = gateSizes(params[g], g);
    if (s.p !== p || s.q !== q) throw new Error(`Gate ${g} has sizes p = ${s.p}, q = ${s.q}; gate F has p = ${p}, q = ${q}.`);
  }
  return { inputSize: p, hiddenSize: q, outputSize: readoutSizes(params.V, params.c, q) };
}

/** W h + U x + b for one gate. */
export function gatePre(g: GateParams, h: number[], x: number[]): number[] {
  return g.b.map((bi, i) => {
    let s = bi;
    const w = g.W[i]!;
    for (let j = 0; j < h.length; j++) s += w[j]! * h[j]!;
    const u = g.U[i]!;
    for (let j = 0; j < x.length; j++) s += u[j]! * x[j]!;
    return s;
  });
}

export function readout(V: number[][], c: number[], h: number[]): number[] {
  return c.map((ci, i) => V[i]!.reduce((s, v, j) => s + v * h[j]!, ci));
}

function checkSequence(xs: number[][], p: number): void {
  if (!Array.isArray(xs) || xs.length < 1) throw new Error("xs must hold at least one time step.");
  xs.forEach((x, t) => {
    if (x.length !== p) throw new Error(`xs[${t}] has ${x.length} values but the cell expects p = ${p}.`);
  });
}

/** Runs the LSTM over xs (T×p) from h0, c0 (zeros by default) and returns every gate and state. */
export function lstmForward(params: LstmParams, xs: number[][], options: { h0?: number[]; c0?: number[]; head?: Head } = {}): LstmForward {
  const { inputSize: p, hiddenSize: q } = lstmSizes(params);
  checkSequence(xs, p);
  const h0 = options.h0 ?? new Array<number>(q).fill(0);
  const c0 = options.c0 ?? new Array<number>(q).fill(0);
  if (h0.length !== q || c0.length !== q) throw new Error(`h0 and c0 must have q = ${q} values.`);
  const out: LstmForward = { F: [], I: [], O: [], cTilde: [], c: [], h: [], h0, c0, o: [], yhat: [] };
  let h = h0;
  let c = c0;
  for (const x of xs) {
    const F = gatePre(params.F, h, x).map(sigmoid);
    const I = gatePre(params.I, h, x).map(sigmoid);
    const O = gatePre(params.O, h, x).map(sigmoid);
    const cTilde = gatePre(params.C, h, x).map(Math.tanh);
    c = c.map((prev, j) => F[j]! * prev + I[j]! * cTilde[j]!);
    h = c.map((cj, j) => O[j]! * Math.tanh(cj));
    const o = readout(params.V, params.c, h);
    out.F.push(F);
    out.I.push(I);
    out.O.push(O);
    out.cTilde.push(cTilde);
    out.c.push(c);
    out.h.push(h);
    out.o.push(o);
    out.yhat.push(applyHead(options.head ?? "real", o));
  }
  return out;
}

/** Glorot-uniform rows×cols: U(−a, a) with a = √(6 / (rows + cols)). */
export function glorot(rows: number, cols: number, rng: Rng): number[][] {
  const a = Math.sqrt(6 / (rows + cols));
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (2 * rng.uniform() - 1) * a));
}

export function initGate(p: number, q: number, rng: Rng, bias = 0): GateParams {
  return { W: glorot(q, q, rng), U: glorot(q, p, rng), b: new Array<number>(q).fill(bias) };
}

export interface InitGatedOptions extends GatedSizes {
  seed: number;
  /** Initial b_F (every unit). 1 is the usual choice (Gers et al. 2000; Jozefowicz et al. 2015). Default 1. */
  forgetBias?: number;
}

/**
 * Seeded start: every W and U Glorot-uniform (drawn in the order F, I, O, C, then V),
 * b_F = forgetBias, other biases 0. (Glorot instead of the libraries' orthogonal recurrent
 * start, which the tfjs cpu backend computes very slowly.)
 */
export function initLstmParams(options: InitGatedOptions): LstmParams {
  const { inputSize: p, hiddenSize: q, outputSize: k } = options;
  for (const [name, n] of [["inputSize", p], ["hiddenSize", q], ["outputSize", k]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${n}.`);
  }
  const rng = createRng(options.seed);
  const F = initGate(p, q, rng, options.forgetBias ?? 1);
  const I = initGate(p, q, rng);
  const O = initGate(p, q, rng);
  const C = initGate(p, q, rng);
  return { F, I, O, C, V: glorot(k, q, rng), c: new Array<number>(k).fill(0) };
}

/** Every parameter in a fixed order (F, I, O, C each W, U, b; then V, c), for finite differences. */
export function flattenLstm(params: LstmParams): number[] {
  const out: number[] = [];
  for (const g of LSTM_GATES) {
    out.push(...params[g].W.flat(), ...params[g].U.flat(), ...params[g].b);
  }
  out.push(...params.V.flat(), ...params.c);
  return out;
}

/**
 * Reads a flat parameter list back into arrays shaped like given ones, in order: the inverse
 * of flattenLstm and flattenGru. finish() checks that every value was used.
 */
export function flatReader(values: readonly number[]) {
  let i = 0;
  const matrix = (like: number[][]) => like.map((row) => row.map(() => values[i++]!));
  const vector = (like: number[]) => like.map(() => values[i++]!);
  return {
    matrix,
    vector,
    gate: (like: GateParams): GateParams => {
      const W = matrix(like.W);
      const U = matrix(like.U);
      return { W, U, b: vector(like.b) };
    },
    finish(): void {
      if (i !== values.length) throw new Error(`Expected ${i} values, got ${values.length}.`);
    },
  };
}

/** The inverse of flattenLstm for parameters shaped like `like`. */
export function unflattenLstm(values: number[], like: LstmParams): LstmParams {
  const read = flatReader(values);
  const [F, I, O, C] = LSTM_GATES.map((g) => read.gate(like[g]));
  const params = { F: F!, I: I!, O: O!, C: C!, V: read.matrix(like.V), c: read.vector(like.c) };
  read.finish();
  return params;
}
