// The forward pass of a categorical HMM as a recurrent network (lecture notes, "HMMs are
// RNNs too"). With α(1) = π and x(t) one-hot, for t = 1..T:
//
//   l(t)   = Cᵀ x(t)                    likelihoods, l_k(t) = p(x(t) | z(t) = k)
//   c(t)   = α(t)ᵀ l(t)                 normaliser, = p(x(t) | x(1:t−1))
//   α̂(t)   = α(t) ⊙ l(t) / c(t)         filtered, = p(z(t) | x(1:t))
//   α(t+1) = Pᵀ α̂(t)                    predictive, = p(z(t+1) | x(1:t))
//   g(α(t)) = C α(t)                    read-out: p(x(t) = · | x(1:t−1))
//
// and log p(x(1:T)) = Σ_t log c(t). Every vector stays on the simplex, so nothing
// underflows however long the sequence. For contrast this file also has the textbook
// unnormalised recursion (which underflows) and a log-space recursion (which does not).

import { logSumExp } from "./rnn.js";
import { validateHmmProblem, type HmmParams } from "./hmmValidate.js";

/** Everything the normalised forward recursion computes, for t = 1..T (array index t − 1). */
export interface HmmForwardResult {
  /** Predictive state distributions α(t) = p(z(t) | x(1:t−1)), T×K (α(1) = π). */
  alpha: number[][];
  /** Likelihood vectors l(t) = Cᵀ x(t), T×K: l_k(t) = p(x(t) | z(t) = k). */
  likelihoods: number[][];
  /** Normalisers c(t) = α(t)ᵀ l(t) = p(x(t) | x(1:t−1)), length T. */
  normalisers: number[];
  /** Filtered distributions α̂(t) = α(t) ⊙ l(t) / c(t) = p(z(t) | x(1:t)), T×K. */
  filtered: number[][];
  /** Predictive symbol distributions C α(t) = p(x(t) = · | x(1:t−1)), T×V (empty if not asked for). */
  predictive: number[][];
  /** α(T+1) = Pᵀ α̂(T): the state distribution one step past the data (π when T = 0). */
  nextAlpha: number[];
  /** log p(x(1:T)) = Σ_t log c(t) (0 when T = 0). */
  logLikelihood: number;
}

/** Options for hmmForward. */
export interface HmmForwardOptions {
  /** Also return the T×V predictive symbol distributions C α(t) (default true). */
  predictive?: boolean;
}

/** y = Pᵀ a, i.e. y_j = Σ_i a_i P[i][j]. */
export function propagateStates(P: number[][], a: readonly number[]): number[] {
  const K = a.length;
  const y = new Array<number>(K).fill(0);
  for (let i = 0; i < K; i++) {
    const ai = a[i]!;
    if (ai === 0) continue;
    const row = P[i]!;
    for (let j = 0; j < K; j++) y[j]! += ai * row[j]!;
  }
  return y;
}

/** The read-out g(α) = C α: the distribution of the next symbol, length V. */
export function symbolDistribution(C: number[][], alpha: readonly number[]): number[] {
  return C.map((row) => {
    let s = 0;
    for (let k = 0; k < row.length; k++) s += row[k]! * alpha[k]!;
    return s;
  });
}

function zeroProbabilityError(t: number, x: number): Error {
  return new Error(
    `x[${t}] = ${x} has probability 0 under the model given x[0..${t - 1}] (c(t) = 0), so log p(x) = −∞ ` +
      "and the filtered distribution is undefined; hmmLogLikelihood returns −Infinity instead of throwing.",
  );
}

/**
 * The normalised forward recursion of the lecture notes (see the file comment): returns
 * every α(t), l(t), c(t), α̂(t), C α(t), α(T+1) and log p(x(1:T)) = Σ_t log c(t).
 * `xs` holds symbol indices (x(t) = e_{xs[t]}). Throws if some c(t) = 0.
 */
export function hmmForward(params: HmmParams, xs: readonly number[], options: HmmForwardOptions = {}): HmmForwardResult {
  validateHmmProblem(params, xs);
  const { P, C } = params;
  const withPredictive = options.predictive ?? true;
  const alpha: number[][] = [];
  const likelihoods: number[][] = [];
  const normalisers: number[] = [];
  const filtered: number[][] = [];
  const predictive: number[][] = [];
  let a = params.pi.slice();
  let logLikelihood = 0;
  for (let t = 0; t < xs.length; t++) {
    const l = C[xs[t]!]!.slice(); // Cᵀ x(t) is row x(t) of C
    let c = 0;
    for (let k = 0; k < a.length; k++) c += a[k]! * l[k]!;
    if (!(c > 0)) throw zeroProbabilityError(t, xs[t]!);
    const f = a.map((ak, k) => (ak * l[k]!) / c);
    alpha.push(a);
    likelihoods.push(l);
    normalisers.push(c);
    filtered.push(f);
    if (withPredictive) predictive.push(symbolDistribution(C, a));
    logLikelihood += Math.log(c);
    a = propagateStates(P, f);
  }
  return { alpha, likelihoods, normalisers, filtered, predictive, nextAlpha: a, logLikelihood };
}

/**
 * log p(x(1:T)) = Σ_t log c(t) by the same normalised recursion, storing nothing
 * (memory O(K) for any T). Returns −Infinity if the data are impossible under the model.
 */
export function hmmLogLikelihood(params: HmmParams, xs: readonly number[]): number {
  validateHmmProblem(params, xs);
  const { P, C } = params;
  let a = params.pi.slice();
  let logLikelihood = 0;
  const f = new Array<number>(a.length);
  for (let t = 0; t < xs.length; t++) {
    const l = C[xs[t]!]!;
    let c = 0;
    for (let k = 0; k < a.length; k++) c += a[k]! * l[k]!;
    if (!(c > 0)) return -Infinity;
    for (let k = 0; k < a.length; k++) f[k] = (a[k]! * l[k]!) / c;
    logLikelihood += Math.log(c);
    a = propagateStates(P, f);
  }
  return logLikelihood;
}

/**
 * The textbook recursion without normalisation: α̃(1) = π ⊙ l(1),
 * α̃(t+1) = (Pᵀ α̃(t)) ⊙ l(t+1), so α̃_k(t) = p(x(1:t), z(t) = k) and
 * p(x(1:T)) = Σ_k α̃_k(T). Returns every α̃(t), T×K. For long sequences the entries
 * underflow to 0 (that is the point of showing it).
 */
export function hmmForwardUnnormalised(params: HmmParams, xs: readonly number[]): number[][] {
  validateHmmProblem(params, xs);
  const out: number[][] = [];
  let prior = params.pi.slice();
  for (let t = 0; t < xs.length; t++) {
    const l = params.C[xs[t]!]!;
    const a = prior.map((p, k) => p * l[k]!);
    out.push(a);
    prior = propagateStates(params.P, a);
  }
  return out;
}

/**
 * log p(x(1:T)) by the forward recursion in log space:
 * log α̃_j(t+1) = log l_j(t+1) + logsumexp_i(log α̃_i(t) + log P[i][j]),
 * log p = logsumexp_k log α̃_k(T). An independent check on hmmForward (no normalisers).
 */
export function hmmLogLikelihoodLogSpace(params: HmmParams, xs: readonly number[]): number {
  const { states: K } = validateHmmProblem(params, xs);
  if (xs.length === 0) return 0;
  const logP = params.P.map((row) => row.map(Math.log));
  const logC = params.C.map((row) => row.map(Math.log));
  let logA = params.pi.map((p, k) => Math.log(p) + logC[xs[0]!]![k]!);
  const terms = new Array<number>(K);
  for (let t = 1; t < xs.length; t++) {
    const logL = logC[xs[t]!]!;
    const next = new Array<number>(K);
    for (let j = 0; j < K; j++) {
      for (let i = 0; i < K; i++) terms[i] = logA[i]! + logP[i]![j]!;
      next[j] = logL[j]! + logSumExp(terms);
    }
    logA = next;
  }
  return logSumExp(logA);
}
