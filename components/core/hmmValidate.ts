// The parameters of a categorical hidden Markov model, and the checks every HMM routine
// runs on them before computing anything.
//
//   z(1) ~ Cat(π),   z(t+1) | z(t) = i ~ Cat(P[i, ·]),   x(t) | z(t) = k ~ Cat(c_k)
//
// Orientation follows the lecture notes:
//   P is K×K with P[i][j] = p(z(t+1) = j | z(t) = i), so every ROW of P sums to 1;
//   C is V×K with C[v][k] = p(x(t) = v | z(t) = k): column k is the pmf c_k over the V
//   symbols, so every COLUMN of C sums to 1. Then Cα is a distribution over symbols and,
//   with x(t) the one-hot vector e_v, the likelihood vector l(t) = Cᵀ x(t) is row v of C.
// Symbols are stored as integers v ∈ {0, …, V−1} (the index of the 1 in x(t)); states are
// k ∈ {0, …, K−1}. Every index in an error message is 0-based, as in the code.

/** θ = (π, P, C) of a categorical HMM with K states and V symbols (orientation as in the lecture notes). */
export interface HmmParams {
  /** Initial distribution π, length K: π[k] = p(z(1) = k). */
  pi: number[];
  /** Transition matrix, K×K: P[i][j] = p(z(t+1) = j | z(t) = i); rows sum to 1. */
  P: number[][];
  /** Emission matrix, V×K: C[v][k] = p(x(t) = v | z(t) = k); columns sum to 1. */
  C: number[][];
}

/** The sizes K and V read off HmmParams. */
export interface HmmSizes {
  /** K, the number of hidden states. */
  states: number;
  /** V, the number of symbols in the alphabet. */
  symbols: number;
}

/** How far a row or column sum may be from 1 by default (float32 parameters pass). */
export const DEFAULT_SUM_TOLERANCE = 1e-6;

function describe(value: number): string {
  return Number.isNaN(value) ? "NaN" : String(value);
}

function checkEntry(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new Error(`${name} = ${describe(value)} is not a finite number.`);
  if (value < 0) throw new Error(`${name} = ${value} is negative; probabilities must be ≥ 0.`);
}

function checkSum(what: string, sum: number, meaning: string, tolerance: number): void {
  if (!(Math.abs(sum - 1) <= tolerance)) {
    // 12 significant digits: 0.8999999999999999 reads as 0.9, a float32 slip of 2e-6 still shows.
    const shown = Number.isFinite(sum) ? String(Number(sum.toPrecision(12))) : describe(sum);
    throw new Error(`${what} sums to ${shown} but must sum to 1 (${meaning}).`);
  }
}

/**
 * Checks only the shapes: π has K ≥ 1 entries, P is K×K and C is V×K with V ≥ 1.
 * Returns {states: K, symbols: V}.
 */
export function hmmSizes(params: HmmParams): HmmSizes {
  const { pi, P, C } = params;
  const K = pi.length;
  if (K < 1) throw new Error("π must have at least one entry (one per hidden state).");
  if (P.length !== K) {
    throw new Error(`P must be K×K with K = ${K} (the length of π) but has ${P.length} row${P.length === 1 ? "" : "s"}.`);
  }
  P.forEach((row, i) => {
    if (row.length !== K) throw new Error(`Row ${i} of P has ${row.length} entries but P must be K×K with K = ${K}.`);
  });
  const V = C.length;
  if (V < 1) throw new Error("C must have at least one row (one per symbol).");
  C.forEach((row, v) => {
    if (row.length !== K) {
      throw new Error(`Row ${v} of C has ${row.length} entries but C must be V×K with K = ${K} (one column per state).`);
    }
  });
  return { states: K, symbols: V };
}

/**
 * Checks shapes (see hmmSizes), that every entry is finite and ≥ 0, and that
 * Σ_k π[k] = 1, Σ_j P[i][j] = 1 for every row i and Σ_v C[v][k] = 1 for every column k,
 * each within `tolerance`. Throws an Error naming the offending entry, row or column and
 * its sum; returns {states: K, symbols: V} when all is well.
 */
export function validateHmmParams(params: HmmParams, tolerance = DEFAULT_SUM_TOLERANCE): HmmSizes {
  const sizes = hmmSizes(params);
  const { pi, P, C } = params;
  const K = sizes.states;
  pi.forEach((p, k) => checkEntry(`π[${k}]`, p));
  P.forEach((row, i) => row.forEach((p, j) => checkEntry(`P[${i}][${j}]`, p)));
  C.forEach((row, v) => row.forEach((p, k) => checkEntry(`C[${v}][${k}]`, p)));
  checkSum("π", pi.reduce((s, p) => s + p, 0), "π[k] = p(z(1) = k)", tolerance);
  P.forEach((row, i) => {
    const sum = row.reduce((s, p) => s + p, 0);
    checkSum(`Row ${i} of P`, sum, "P[i][j] = p(z(t+1) = j | z(t) = i)", tolerance);
  });
  for (let k = 0; k < K; k++) {
    let sum = 0;
    for (const row of C) sum += row[k]!;
    checkSum(`Column ${k} of C (state ${k})`, sum, "C[v][k] = p(x(t) = v | z(t) = k), summed over the symbols v", tolerance);
  }
  return sizes;
}

/**
 * Checks that every x(t) is an integer symbol in {0, …, V−1}; the error names the first
 * offending position t and its value.
 */
export function validateSymbols(xs: readonly number[], symbols: number): void {
  for (let t = 0; t < xs.length; t++) {
    const x = xs[t]!;
    if (!Number.isInteger(x)) throw new Error(`x[${t}] = ${describe(x)} is not an integer symbol.`);
    if (x < 0 || x >= symbols) {
      throw new Error(`x[${t}] = ${x} is outside the alphabet {0, …, ${symbols - 1}} (V = ${symbols} symbols).`);
    }
  }
}

/** validateHmmParams followed by validateSymbols(xs, V); returns the sizes. */
export function validateHmmProblem(params: HmmParams, xs: readonly number[], tolerance = DEFAULT_SUM_TOLERANCE): HmmSizes {
  const sizes = validateHmmParams(params, tolerance);
  validateSymbols(xs, sizes.symbols);
  return sizes;
}
