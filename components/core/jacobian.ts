// The state-to-state Jacobians of the tanh RNN, and how their products shrink or grow:
// the "vanishing / exploding gradient" in numbers.
//
// Indexing: h(0) = cache.h0 and h(t) = cache.h[t − 1] for t = 1..T (math steps). The step
// from h(t) to h(t+1) = tanh(W h(t) + U x(t+1) + b) has Jacobian
//   J(t) = ∂h(t+1)/∂h(t) = diag(1 − h(t+1)²) W,        t = 0..T−1,
// and, by the chain rule, for s ≤ t
//   ∂h(t)/∂h(s) = J(t−1) J(t−2) ⋯ J(s)                  (the identity when t = s).
// BPTT multiplies by the transposes of these, so ‖∂ℓ(t)/∂h(s)‖ ≤ ‖∂h(t)/∂h(s)‖₂ ‖∂ℓ(t)/∂h(t)‖.

import { matMul, matVec } from "./linalg.js";
import { frobeniusNorm, spectralNorm } from "./eigen.js";
import type { RnnForward, RnnParams } from "./rnn.js";

function checkStep(cache: RnnForward, t: number, name: string, max: number): void {
  if (!Number.isInteger(t) || t < 0 || t > max) {
    throw new Error(`${name} must be an integer step in 0..${max} (T = ${cache.h.length}), got ${t}.`);
  }
}

/**
 * J(t) = ∂h(t+1)/∂h(t) = diag(1 − h(t+1)²) W for t = 0..T−1, where h(t+1) = cache.h[t]
 * (so t is also the index in cache.h of the state this step produces). Row i of W is
 * scaled by the tanh slope 1 − h_i(t+1)² ∈ (0, 1].
 */
export function stepJacobian(params: RnnParams, cache: RnnForward, t: number): number[][] {
  checkStep(cache, t, "t", cache.h.length - 1);
  const next = cache.h[t]!;
  return params.W.map((row, i) => {
    const slope = 1 - next[i]! * next[i]!;
    return row.map((w) => slope * w);
  });
}

export interface JacobianProductNorms {
  /** The starting step s. */
  from: number;
  /** t = s, s+1, …, T. */
  steps: number[];
  /** ‖∂h(t)/∂h(s)‖₂ = σ_max(J(t−1) ⋯ J(s)), the largest singular value (1 at t = s). */
  spectral: number[];
  /** ‖∂h(t)/∂h(s)‖_F = √(Σ entries²) (√q at t = s). */
  frobenius: number[];
}

/**
 * The norms of ∂h(t)/∂h(s) = ∏_{u = s}^{t−1} diag(1 − h(u+1)²) W for every t = s..T,
 * with s = `from` ∈ 0..T (steps as in stepJacobian: s = 0 is the initial state h0).
 */
export function jacobianProducts(params: RnnParams, cache: RnnForward, from: number): JacobianProductNorms {
  const T = cache.h.length;
  checkStep(cache, from, "from", T);
  const q = params.W.length;
  let product: number[][] = Array.from({ length: q }, (_, i) => Array.from({ length: q }, (_, j) => (i === j ? 1 : 0)));
  const steps = [from];
  const spectral = [1];
  const frobenius = [Math.sqrt(q)];
  for (let t = from; t < T; t++) {
    product = matMul(stepJacobian(params, cache, t), product); // ∂h(t+1)/∂h(s) = J(t) ∂h(t)/∂h(s)
    steps.push(t + 1);
    spectral.push(spectralNorm(product));
    frobenius.push(frobeniusNorm(product));
  }
  return { from, steps, spectral, frobenius };
}

/**
 * ‖Wᵗ h0‖ (Euclidean) for t = 0..T: the linear RNN h(t) = W h(t−1) with no input and no
 * tanh, where the eigenvalues of W alone decide growth (|λ| > 1) or decay (|λ| < 1).
 */
export function linearPowers(W: number[][], h0: number[], T: number): number[] {
  if (!Number.isInteger(T) || T < 0) throw new Error(`T must be a non-negative integer, got ${T}.`);
  if (h0.length !== W.length) throw new Error(`h0 has ${h0.length} values but W is ${W.length}×${W.length}.`);
  const norms = [Math.hypot(...h0)];
  let h = h0;
  for (let t = 1; t <= T; t++) {
    h = matVec(W, h);
    norms.push(Math.hypot(...h));
  }
  return norms;
}
