// The GRU cell in float64, step by step, in both places readers meet the reset gate and
// with both conventions for the update gate.
//
//   Z(t) = σ(W_Z h(t−1) + U_Z x(t) + b_Z)                   update gate
//   R(t) = σ(W_R h(t−1) + U_R x(t) + b_R)                   reset gate
//   candidate, reset "before" the recurrent product (the statistics notes, tfjs-layers, Keras reset_after=False):
//     h̃(t) = tanh(W_H (R(t) ⊙ h(t−1)) + U_H x(t) + b_H)
//   candidate, reset "after" it (PyTorch nn.GRU, Keras reset_after=True, the Keras default since TF 2):
//     h̃(t) = tanh(U_H x(t) + b_H + R(t) ⊙ (W_H h(t−1) + b_HR))
//   update, Z "keeps" the old state (the notes, PyTorch, Keras, tfjs-layers):
//     h(t) = Z(t) ⊙ h(t−1) + (1 − Z(t)) ⊙ h̃(t)
//   update, Z "takes" the new state (Cho et al. 2014's description in some texts, the blog notes):
//     h(t) = (1 − Z(t)) ⊙ h(t−1) + Z(t) ⊙ h̃(t)
//
// The two update conventions are the same model with Z's parameters negated
// (1 − σ(a) = σ(−a)): see flipUpdateGate. The two reset placements are different models.
// Cell parameters: 3q(p + q + 1), plus q for b_HR in the reset-after form (PyTorch stores
// separate recurrent biases for all three maps, 3q more, but those of Z and R only add to
// b_Z and b_R: here they are folded in).

import { applyHead, sigmoid, type Head } from "./rnn.js";
import { createRng } from "./random.js";
import { flatReader, gatePre, gateSizes, glorot, initGate, readout, readoutSizes, type GateParams, type GatedSizes } from "./lstm.js";

export const GRU_GATES = ["Z", "R", "H"] as const;
export type GruGate = (typeof GRU_GATES)[number];
export type ResetPlacement = "before" | "after";
export type UpdateConvention = "keep" | "take";

export interface GruParams {
  Z: GateParams;
  R: GateParams;
  /** The candidate's map. */
  H: GateParams;
  /** b_HR, the candidate's recurrent bias inside the reset product; used only when reset = "after". Length q. */
  bHR: number[];
  V: number[][];
  c: number[];
}

export interface GruOptions {
  reset?: ResetPlacement;
  update?: UpdateConvention;
  h0?: number[];
  head?: Head;
}

export interface GruForward {
  Z: number[][];
  R: number[][];
  /** h̃(1..T). */
  hTilde: number[][];
  h: number[][];
  h0: number[];
  o: number[][];
  yhat: number[][];
}

/** 3q(p + q + 1). */
export function gruCellParamCount(p: number, q: number, reset: ResetPlacement = "before"): number {
  return 3 * q * (p + q + 1) + (reset === "after" ? q : 0);
}

export function gruParamCount(p: number, q: number, k: number, reset: ResetPlacement = "before"): number {
  return gruCellParamCount(p, q, reset) + k * q + k;
}

export function gruSizes(params: GruParams): GatedSizes {
  const { p, q } = gateSizes(params.Z, "Z");
  for (const g of GRU_GATES) {
    const s = gateSizes(params[g], g);
    if (s.p !== p || s.q !== q) throw new Error(`Gate ${g} has sizes p = ${s.p}, q = ${s.q}; gate Z has p = ${p}, q = ${q}.`);
  }
  if (params.bHR.length !== q) throw new Error(`bHR must have q = ${q} values.`);
  return { inputSize: p, hiddenSize: q, outputSize: readoutSizes(params.V, params.c, q) };
}

/** One GRU step from h(t−1) and x(t). */
export function gruStep(params: GruParams, hPrev: number[], x: number[], reset: ResetPlacement = "before", update: UpdateConvention = "keep") {
  const Z = gatePre(params.Z, hPrev, x).map(sigmoid);
  const R = gatePre(params.R, hPrev, x).map(sigmoid);
  const zeros = hPrev.map(() => 0);
  // U_H x + b_H alone (W h with h = 0).
  const inputPart = gatePre(params.H, zeros, x);
  let hTilde: number[];
  if (reset === "before") {
    const gated = hPrev.map((v, j) => R[j]! * v);
    hTilde = gatePre(params.H, gated, x).map(Math.tanh);
  } else {
    const recurrent = params.H.W.map((row, i) => row.reduce((s, w, j) => s + w * hPrev[j]!, params.bHR[i]!));
    hTilde = inputPart.map((a, i) => Math.tanh(a + R[i]! * recurrent[i]!));
  }
  const keep = update === "keep" ? Z : Z.map((z) => 1 - z);
  const h = hPrev.map((v, j) => keep[j]! * v + (1 - keep[j]!) * hTilde[j]!);
  return { Z, R, hTilde, h };
}

/** Runs the GRU over xs (T×p) from h0 (zeros by default); reset "before" and update "keep" by default. */
export function gruForward(params: GruParams, xs: number[][], options: GruOptions = {}): GruForward {
  const { inputSize: p, hiddenSize: q } = gruSizes(params);
  const reset = options.reset ?? "before";
  const update = options.update ?? "keep";
  if (reset !== "before" && reset !== "after") throw new Error(`reset must be "before" or "after", got "${String(reset)}".`);
  if (update !== "keep" && update !== "take") throw new Error(`update must be "keep" or "take", got "${String(update)}".`);
  if (!Array.isArray(xs) || xs.length < 1) throw new Error("xs must hold at least one time step.");
  const h0 = options.h0 ?? new Array<number>(q).fill(0);
  if (h0.length !== q) throw new Error(`h0 must have q = ${q} values.`);
  const out: GruForward = { Z: [], R: [], hTilde: [], h: [], h0, o: [], yhat: [] };
  let h = h0;
  xs.forEach((x, t) => {
    if (x.length !== p) throw new Error(`xs[${t}] has ${x.length} values but the cell expects p = ${p}.`);
    const s = gruStep(params, h, x, reset, update);
    h = s.h;
    const o = readout(params.V, params.c, h);
    out.Z.push(s.Z);
    out.R.push(s.R);
    out.hTilde.push(s.hTilde);
    out.h.push(h);
    out.o.push(o);
    out.yhat.push(applyHead(options.head ?? "real", o));
  });
  return out;
}

/** The same model in the other update convention: Z's W, U and b negated, since 1 − σ(a) = σ(−a). */
export function flipUpdateGate(params: GruParams): GruParams {
  const neg = (m: number[][]) => m.map((r) => r.map((v) => -v));
  return { ...params, Z: { W: neg(params.Z.W), U: neg(params.Z.U), b: params.Z.b.map((v) => -v) } };
}

export interface InitGruOptions extends GatedSizes {
  seed: number;
  /** Initial b_Z (every unit); positive values start with Z near 1, i.e. keeping the state. Default 0. */
  updateBias?: number;
}

/** Seeded start: W, U Glorot-uniform in the order Z, R, H, then V; biases 0 except b_Z = updateBias. */
export function initGruParams(options: InitGruOptions): GruParams {
  const { inputSize: p, hiddenSize: q, outputSize: k } = options;
  for (const [name, n] of [["inputSize", p], ["hiddenSize", q], ["outputSize", k]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${n}.`);
  }
  const rng = createRng(options.seed);
  const Z = initGate(p, q, rng, options.updateBias ?? 0);
  const R = initGate(p, q, rng);
  const H = initGate(p, q, rng);
  return { Z, R, H, bHR: new Array<number>(q).fill(0), V: glorot(k, q, rng), c: new Array<number>(k).fill(0) };
}

export function flattenGru(params: GruParams): number[] {
  const out: number[] = [];
  for (const g of GRU_GATES) out.push(...params[g].W.flat(), ...params[g].U.flat(), ...params[g].b);
  out.push(...params.bHR, ...params.V.flat(), ...params.c);
  return out;
}

export function unflattenGru(values: number[], like: GruParams): GruParams {
  const read = flatReader(values);
  const [Z, R, H] = GRU_GATES.map((g) => read.gate(like[g]));
  const params = { Z: Z!, R: R!, H: H!, bHR: read.vector(like.bHR), V: read.matrix(like.V), c: read.vector(like.c) };
  read.finish();
  return params;
}
