// Drawing from a categorical HMM, and random parameters to start Baum–Welch from.
//   z(1) ~ Cat(π),  x(t) | z(t) = k ~ Cat(column k of C),  z(t+1) | z(t) = i ~ Cat(row i of P)

import { createRng, type Rng } from "./random.js";
import { validateHmmParams, type HmmParams } from "./hmmValidate.js";

/**
 * Inverse-CDF draw from a pmf p given u ∈ [0, 1): the smallest k with Σ_{j≤k} p_j > u.
 * Rounding can leave Σ p slightly below 1; then the last index with p_k > 0 is returned.
 */
export function sampleCategorical(p: readonly number[], u: number): number {
  let cumulative = 0;
  let lastPositive = -1;
  for (let k = 0; k < p.length; k++) {
    if (p[k]! > 0) lastPositive = k;
    cumulative += p[k]!;
    if (u < cumulative && p[k]! > 0) return k;
  }
  if (lastPositive < 0) throw new Error("Cannot sample from a distribution with no positive entry.");
  return lastPositive;
}

/** One draw (z(1:T), x(1:T)) from the HMM. */
export interface HmmSample {
  /** z(1..T), states 0..K−1. */
  states: number[];
  /** x(1..T), symbols 0..V−1. */
  symbols: number[];
}

/** T steps of the generative process above, reproducible from the integer seed. */
export function sampleHMM(params: HmmParams, T: number, seed: number): HmmSample {
  if (!Number.isInteger(T) || T < 0) throw new Error(`T must be a whole number ≥ 0, got ${T}.`);
  const { states: K, symbols: V } = validateHmmParams(params);
  const rng = createRng(seed);
  // Emission pmfs are the columns of C.
  const emission = Array.from({ length: K }, (_, k) => Array.from({ length: V }, (_, v) => params.C[v]![k]!));
  const states = new Array<number>(T);
  const symbols = new Array<number>(T);
  let z = -1;
  for (let t = 0; t < T; t++) {
    z = sampleCategorical(t === 0 ? params.pi : params.P[z]!, rng.uniform());
    states[t] = z;
    symbols[t] = sampleCategorical(emission[z]!, rng.uniform());
  }
  return { states, symbols };
}

/** A draw from the flat Dirichlet on the simplex Δ_{n−1}: e_i / Σ e, e_i ~ Exponential(1). */
export function flatDirichlet(n: number, rng: Rng): number[] {
  const e = Array.from({ length: n }, () => -Math.log(1 - rng.uniform()));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
}

/**
 * Random parameters with K states and V symbols: π, every row of P and every column of C
 * drawn independently from the flat Dirichlet (uniform on the simplex), from the seed.
 */
export function randomHmmParams(states: number, symbols: number, seed: number): HmmParams {
  for (const [name, n] of [["states", states], ["symbols", symbols]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1, got ${n}.`);
  }
  const rng = createRng(seed);
  const pi = flatDirichlet(states, rng);
  const P = Array.from({ length: states }, () => flatDirichlet(states, rng));
  const columns = Array.from({ length: states }, () => flatDirichlet(symbols, rng));
  const C = Array.from({ length: symbols }, (_, v) => columns.map((col) => col[v]!));
  return { pi, P, C };
}
