// The backward pass and the posterior marginals of a categorical HMM, scaled with the
// forward pass's own normalisers c(t) = p(x(t) | x(1:t−1)) so nothing underflows.
//
//   β̂(T) = 1,   β̂_i(t) = Σ_j P[i][j] l_j(t+1) β̂_j(t+1) / c(t+1)
//
// so that β̂_i(t) = p(x(t+1:T) | z(t) = i) / p(x(t+1:T) | x(1:t)). Then, with the filtered
// α̂(t) = p(z(t) | x(1:t)) from hmmForward,
//
//   γ_k(t)    = p(z(t) = k | x(1:T))                 = α̂_k(t) β̂_k(t)
//   ξ_ij(t)   = p(z(t) = i, z(t+1) = j | x(1:T))     = α̂_i(t) P[i][j] l_j(t+1) β̂_j(t+1) / c(t+1)
//
// and Σ_k α̂_k(t) β̂_k(t) = 1 for every t.

import { hmmForward, type HmmForwardResult } from "./hmmForward.js";
import type { HmmParams } from "./hmmValidate.js";

/** One backward step: β̂(t) from β̂(t+1), l(t+1) and c(t+1) (see the file comment). */
export function backwardStep(P: number[][], likelihood: readonly number[], betaNext: readonly number[], normaliser: number): number[] {
  const K = betaNext.length;
  const weighted = new Array<number>(K);
  for (let j = 0; j < K; j++) weighted[j] = (likelihood[j]! * betaNext[j]!) / normaliser;
  return P.map((row) => {
    let s = 0;
    for (let j = 0; j < K; j++) s += row[j]! * weighted[j]!;
    return s;
  });
}

/**
 * The scaled backward messages β̂(1..T), T×K, with β̂(T) = 1 and
 * β̂_i(t) = Σ_j P[i][j] l_j(t+1) β̂_j(t+1) / c(t+1). Pass the forward result to reuse it
 * (it must come from the same params and xs); otherwise hmmForward is run first.
 */
export function hmmBackward(params: HmmParams, xs: readonly number[], forward?: HmmForwardResult): number[][] {
  const fwd = forward ?? hmmForward(params, xs, { predictive: false });
  const T = xs.length;
  if (fwd.normalisers.length !== T) {
    throw new Error(`The forward result covers ${fwd.normalisers.length} steps but xs has ${T}.`);
  }
  if (T === 0) return [];
  const K = params.pi.length;
  const beta: number[][] = new Array(T);
  beta[T - 1] = new Array<number>(K).fill(1);
  for (let t = T - 2; t >= 0; t--) {
    beta[t] = backwardStep(params.P, fwd.likelihoods[t + 1]!, beta[t + 1]!, fwd.normalisers[t + 1]!);
  }
  return beta;
}

/** Smoothed marginals γ(t) and pairwise marginals ξ(t) of p(z(1:T) | x(1:T)). */
export interface HmmPosteriors {
  /** γ(t) = p(z(t) | x(1:T)), T×K; each row sums to 1. */
  gamma: number[][];
  /** ξ(t)[i][j] = p(z(t) = i, z(t+1) = j | x(1:T)) for t = 1..T−1: (T−1)×K×K. */
  xi: number[][][];
  /** log p(x(1:T)). */
  logLikelihood: number;
}

/**
 * Forward–backward smoothing: γ_k(t) = α̂_k(t) β̂_k(t) and
 * ξ_ij(t) = α̂_i(t) P[i][j] l_j(t+1) β̂_j(t+1) / c(t+1). Stores (T−1)·K² numbers for ξ;
 * for long sequences use hmmExpectedCounts, which only keeps the sums over t.
 */
export function hmmPosteriors(params: HmmParams, xs: readonly number[]): HmmPosteriors {
  const fwd = hmmForward(params, xs, { predictive: false });
  const beta = hmmBackward(params, xs, fwd);
  const T = xs.length;
  const K = params.pi.length;
  const gamma = fwd.filtered.map((f, t) => f.map((fk, k) => fk * beta[t]![k]!));
  const xi: number[][][] = [];
  for (let t = 0; t + 1 < T; t++) {
    const f = fwd.filtered[t]!;
    const l = fwd.likelihoods[t + 1]!;
    const b = beta[t + 1]!;
    const c = fwd.normalisers[t + 1]!;
    const pair: number[][] = [];
    for (let i = 0; i < K; i++) {
      const row = params.P[i]!;
      pair.push(row.map((pij, j) => (f[i]! * pij * l[j]! * b[j]!) / c));
    }
    xi.push(pair);
  }
  return { gamma, xi, logLikelihood: fwd.logLikelihood };
}
