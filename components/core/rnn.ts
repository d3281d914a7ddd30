// The vanilla (Elman) RNN in float64 on plain arrays: the reference every other
// implementation on the site is checked against.
//
//   h(t) = tanh(W h(t−1) + U x(t) + b)      a(t) = W h(t−1) + U x(t) + b  (pre-activation)
//   o(t) = V h(t) + c
//   ŷ(t) = head(o(t))
//
// with x(t) ∈ R^p, h(t) ∈ R^q, o(t) ∈ R^k, t = 1..T, and h(0) given (zeros by default).
// W is q×q, U is q×p, b ∈ R^q, V is k×q, c ∈ R^k. The same weights serve every t, so
// the parameter count q² + qp + q + kq + k does not depend on T.
//
// Heads and their per-step losses ℓ(t):
//   "real"       ŷ = o                 ℓ = (1/k) Σ_j (o_j − y_j)²            (mean squared error)
//   "binary"     ŷ = σ(o), k = 1       ℓ = −y log σ(o) − (1−y) log(1−σ(o))
//                                        = max(o, 0) − o·y + log(1 + e^{−|o|})   (stable form)
//   "multiclass" ŷ = softmax(o)        ℓ = −log softmax(o)_y = logsumexp(o) − o_y,  y ∈ {0..k−1}
// The sequence loss is the mean of ℓ(t) over t.

import { identity, matVec, orthonormalColumns, scaleMatrix } from "./linalg.js";
import { createRng, type Rng } from "./random.js";

export type Head = "real" | "binary" | "multiclass";

export interface RnnParams {
  /** Recurrent weights, q×q. */
  W: number[][];
  /** Input weights, q×p. */
  U: number[][];
  /** Hidden bias, length q. */
  b: number[];
  /** Output weights, k×q. */
  V: number[][];
  /** Output bias, length k. */
  c: number[];
}

export interface RnnSizes {
  /** p: values per input x(t). */
  inputSize: number;
  /** q: hidden units. */
  hiddenSize: number;
  /** k: values per output o(t). */
  outputSize: number;
}

export interface RnnForward {
  /** Pre-activations a(1..T), T×q. */
  a: number[][];
  /** Hidden states h(1..T), T×q. */
  h: number[][];
  /** The initial state h(0), length q. */
  h0: number[];
  /** Outputs o(1..T) before the head (logits for classification), T×k. */
  o: number[][];
  /** Predictions ŷ(1..T) = head(o), T×k. */
  yhat: number[][];
}

export interface RnnLoss {
  /** ℓ(t) for t = 1..T. */
  perStep: number[];
  /** The sequence loss, (1/T) Σ_t ℓ(t). */
  mean: number;
}

export type RnnInit = "glorot" | "orthogonal" | "identity";

export interface InitRnnOptions extends RnnSizes {
  seed: number;
  /** How W is drawn (U and V are always Glorot-uniform, biases zero). Default "glorot". */
  scheme?: RnnInit;
  /** Multiplies W after drawing it (e.g. 0.9 for a slightly contracting identity). Default 1. */
  recurrentScale?: number;
}

/** q² + qp + q + kq + k. */
export function rnnParamCount(p: number, q: number, k: number): number {
  return q * q + q * p + q + k * q + k;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function checkMatrix(m: number[][], name: string, rows: number, cols: number, meaning: string): void {
  if (!Array.isArray(m) || m.length !== rows) {
    throw new Error(`${name} must have ${plural(rows, "row")} (${meaning}) but has ${Array.isArray(m) ? m.length : "none"}.`);
  }
  m.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== cols) {
      throw new Error(`${name}[${i}] must have ${plural(cols, "column")} (${meaning}) but has ${Array.isArray(row) ? row.length : "none"}.`);
    }
  });
}

/** Reads p, q, k from the parameter shapes and checks that they agree. */
export function rnnSizes(params: RnnParams): RnnSizes {
  const q = params.W?.length ?? 0;
  const p = params.U?.[0]?.length ?? 0;
  const k = params.V?.length ?? 0;
  if (q < 1) throw new Error("W must be a non-empty q×q matrix.");
  if (k < 1) throw new Error("V must be a non-empty k×q matrix.");
  checkMatrix(params.W, "W", q, q, `W is q×q with q = ${q}`);
  checkMatrix(params.U, "U", q, p, `U is q×p with q = ${q}, p = ${p}`);
  checkMatrix(params.V, "V", k, q, `V is k×q with k = ${k}, q = ${q}`);
  if (!Array.isArray(params.b) || params.b.length !== q) {
    throw new Error(`b must have q = ${q} values but has ${params.b?.length ?? "none"}.`);
  }
  if (!Array.isArray(params.c) || params.c.length !== k) {
    throw new Error(`c must have k = ${k} values but has ${params.c?.length ?? "none"}.`);
  }
  return { inputSize: p, hiddenSize: q, outputSize: k };
}

/** Checks that the head fits the output size: binary needs k = 1, multiclass k ≥ 2. */
export function checkHead(head: Head, k: number): void {
  if (head === "binary" && k !== 1) {
    throw new Error(`The binary head needs k = 1 output (one logit) but V gives k = ${k}.`);
  }
  if (head === "multiclass" && k < 2) {
    throw new Error(`The multiclass head needs k ≥ 2 outputs (one logit per class) but V gives k = ${k}.`);
  }
  if (head !== "real" && head !== "binary" && head !== "multiclass") {
    throw new Error(`Unknown head "${String(head)}": use "real", "binary" or "multiclass".`);
  }
}

function glorotUniform(rows: number, cols: number, rng: Rng): number[][] {
  // U(−r, r) with r = sqrt(6 / (fan_in + fan_out)), so Var = 2 / (fan_in + fan_out).
  const r = Math.sqrt(6 / (rows + cols));
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (2 * rng.uniform() - 1) * r));
}

/**
 * Deterministic initial parameters.
 * - U (q×p) and V (k×q): Glorot-uniform, U(−r, r) with r = sqrt(6 / (fan_in + fan_out)).
 * - W (q×q), by `scheme`:
 *   "glorot"     Glorot-uniform like U and V;
 *   "orthogonal" Q from the QR factorisation (Gram–Schmidt) of a q×q standard Gaussian
 *                matrix, so every singular value of W is exactly 1;
 *   "identity"   W = I (the IRNN start: h is copied forward until learning changes it).
 *   then W ← recurrentScale · W.
 * - b and c: zeros.
 */
export function initRnnParams(options: InitRnnOptions): RnnParams {
  const { inputSize: p, hiddenSize: q, outputSize: k, seed } = options;
  const scheme = options.scheme ?? "glorot";
  const scale = options.recurrentScale ?? 1;
  for (const [name, n] of [["inputSize", p], ["hiddenSize", q], ["outputSize", k]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${n}.`);
  }
  if (!Number.isFinite(scale)) throw new Error(`recurrentScale must be finite, got ${scale}.`);
  const rng = createRng(seed);
  const U = glorotUniform(q, p, rng);
  const V = glorotUniform(k, q, rng);
  let W: number[][];
  if (scheme === "glorot") W = glorotUniform(q, q, rng);
  else if (scheme === "orthogonal") {
    const gaussian = Array.from({ length: q }, () => Array.from({ length: q }, () => rng.normal()));
    W = orthonormalColumns(gaussian);
  } else if (scheme === "identity") W = identity(q);
  else throw new Error(`Unknown initialisation scheme "${String(scheme)}": use "glorot", "orthogonal" or "identity".`);
  return { W: scaleMatrix(W, scale), U, b: new Array<number>(q).fill(0), V, c: new Array<number>(k).fill(0) };
}

/** σ(z) = 1 / (1 + e^{−z}), evaluated without overflow for either sign of z. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log Σ_j e^{z_j} = m + log Σ_j e^{z_j − m} with m = max_j z_j (never overflows). */
export function logSumExp(z: number[]): number {
  const m = Math.max(...z);
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (const v of z) s += Math.exp(v - m);
  return m + Math.log(s);
}

/** softmax(z)_j = e^{z_j − m} / Σ_l e^{z_l − m}, m = max z. */
export function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((acc, v) => acc + v, 0);
  return e.map((v) => v / s);
}

/** ŷ = head(o) for one step. */
export function applyHead(head: Head, o: number[]): number[] {
  if (head === "real") return o.slice();
  if (head === "binary") return o.map(sigmoid);
  return softmax(o);
}

/** Runs the RNN over xs (T×p) from h0 (zeros by default) and returns every intermediate. */
export function rnnForward(params: RnnParams, xs: number[][], h0?: number[], head: Head = "real"): RnnForward {
  const { inputSize: p, hiddenSize: q, outputSize: k } = rnnSizes(params);
  checkHead(head, k);
  if (!Array.isArray(xs)) throw new Error("xs must be an array of T inputs, each an array of p values.");
  xs.forEach((x, t) => {
    if (!Array.isArray(x) || x.length !== p) {
      const got = Array.isArray(x) ? plural(x.length, "value") : "no array";
      throw new Error(`xs[${t}] has ${got} but the RNN expects p = ${p} ${p === 1 ? "input" : "inputs"}.`);
    }
  });
  const start = h0 ?? new Array<number>(q).fill(0);
  if (start.length !== q) {
    throw new Error(`h0 has ${plural(start.length, "value")} but the RNN has q = ${q} hidden units.`);
  }

  const a: number[][] = [];
  const h: number[][] = [];
  const o: number[][] = [];
  const yhat: number[][] = [];
  let prev = start;
  for (const x of xs) {
    const wh = matVec(params.W, prev);
    const ux = matVec(params.U, x);
    const at = wh.map((v, i) => v + ux[i]! + params.b[i]!); // a(t) = W h(t−1) + U x(t) + b
    const ht = at.map(Math.tanh); // h(t) = tanh(a(t))
    const ot = matVec(params.V, ht).map((v, j) => v + params.c[j]!); // o(t) = V h(t) + c
    a.push(at);
    h.push(ht);
    o.push(ot);
    yhat.push(applyHead(head, ot));
    prev = ht;
  }
  return { a, h, h0: start.slice(), o, yhat };
}

/** ℓ for one step; `target` is y (length k) for real/binary, a class index for multiclass. */
export function stepLoss(head: Head, o: number[], target: number[] | number): number {
  if (head === "multiclass") {
    const y = target as number;
    return logSumExp(o) - o[y]!; // −log softmax(o)_y
  }
  const y = target as number[];
  if (head === "binary") {
    const z = o[0]!;
    return Math.max(z, 0) - z * y[0]! + Math.log1p(Math.exp(-Math.abs(z)));
  }
  let s = 0;
  for (let j = 0; j < o.length; j++) s += (o[j]! - y[j]!) ** 2;
  return s / o.length;
}

function normaliseTargets(head: Head, o: number[][], targets: number[][] | number[]): Array<number[] | number> {
  const T = o.length;
  const k = o[0]!.length;
  if (!Array.isArray(targets) || targets.length !== T) {
    throw new Error(`There are ${plural(T, "output step")} but ${Array.isArray(targets) ? targets.length : "no array of"} targets.`);
  }
  return targets.map((y, t) => {
    if (head === "multiclass") {
      const cls = Array.isArray(y) && y.length === 1 ? y[0]! : y;
      if (typeof cls !== "number" || !Number.isInteger(cls) || cls < 0 || cls >= k) {
        throw new Error(`targets[${t}] must be a class index in 0..${k - 1} but is ${JSON.stringify(y)}.`);
      }
      return cls;
    }
    const vec = typeof y === "number" ? [y] : y;
    if (!Array.isArray(vec) || vec.length !== k) {
      throw new Error(`targets[${t}] has ${Array.isArray(vec) ? plural(vec.length, "value") : "no array"} but the outputs have k = ${k}.`);
    }
    if (head === "binary" && !(vec[0]! >= 0 && vec[0]! <= 1)) {
      throw new Error(`targets[${t}] = ${vec[0]} but binary targets must lie in [0, 1].`);
    }
    return vec;
  });
}

/**
 * Per-step losses and their mean over t, from the outputs o (T×k) before the head.
 * Targets: T×k values (or T numbers when k = 1) for "real" and "binary" (in [0, 1]);
 * T integer class indices in 0..k−1 for "multiclass".
 */
export function rnnLoss(head: Head, o: number[][], targets: number[][] | number[]): RnnLoss {
  if (!Array.isArray(o) || o.length === 0) throw new Error("rnnLoss needs at least one time step of outputs.");
  checkHead(head, o[0]!.length);
  const ys = normaliseTargets(head, o, targets);
  const perStep = o.map((ot, t) => stepLoss(head, ot, ys[t]!));
  return { perStep, mean: perStep.reduce((s, v) => s + v, 0) / perStep.length };
}
