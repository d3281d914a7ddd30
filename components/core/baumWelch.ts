// Baum–Welch: expectation–maximisation for a categorical HMM on one sequence.
//
// E-step (forward–backward under the current θ = (π, P, C)): the expected sufficient
// statistics of the posterior p(z(1:T) | x(1:T); θ),
//   initial      γ(1)
//   transitions  N[i][j] = Σ_{t=1}^{T−1} ξ_ij(t)                  (expected i → j moves)
//   emissions    M[v][k] = Σ_{t=1}^{T} [x(t) = v] γ_k(t)          (expected emissions of v from k)
// M-step (maximise the expected complete-data log-likelihood on the simplex):
//   π = γ(1),   P[i][j] = N[i][j] / Σ_j' N[i][j'],   C[v][k] = M[v][k] / Σ_v' M[v'][k].
// Each iteration never decreases log p(x(1:T); θ). (The same statistics are the gradient
// of log p with respect to log P and log C: see components/models/hmmTf.ts.)

import { validateHmmParams, validateSymbols, type HmmParams } from "./hmmValidate.js";

/** EM's expected sufficient statistics E[·| x(1:T); θ] (the E-step output). */
export interface HmmExpectedCounts {
  /** γ(1) = p(z(1) | x(1:T)), length K. */
  initial: number[];
  /** N[i][j] = Σ_{t<T} ξ_ij(t), K×K. Row sums: Σ_j N[i][j] = Σ_{t<T} γ_i(t). */
  transitions: number[][];
  /** M[v][k] = Σ_t [x(t) = v] γ_k(t), V×K (same orientation as C). Column sums: Σ_t γ_k(t). */
  emissions: number[][];
  /** log p(x(1:T)) under the parameters the counts were computed with. */
  logLikelihood: number;
}

/**
 * The E-step: forward–backward with normalisers, accumulating γ(1), Σ_t ξ(t) and
 * Σ_t x(t) γ(t)ᵀ on the fly (memory O(T·K), no T×K×K array). Throws if p(x) = 0.
 * Written with flat typed arrays and no allocation per step, since EM calls it often.
 */
export function hmmExpectedCounts(params: HmmParams, xs: readonly number[]): HmmExpectedCounts {
  const { states: K, symbols: V } = validateHmmParams(params);
  validateSymbols(xs, V);
  const T = xs.length;
  const P = Float64Array.from(params.P.flat()); // P[i][j] at i·K + j
  const C = Float64Array.from(params.C.flat()); // C[v][k] at v·K + k; l(t) = row x(t)
  const N = new Float64Array(K * K);
  const M = new Float64Array(V * K);
  const filtered = new Float64Array(T * K); // α̂(t) at t·K
  const normalisers = new Float64Array(T);
  const alpha = Float64Array.from(params.pi);
  let logLikelihood = 0;

  // Forward: α̂(t) = α(t) ⊙ l(t) / c(t),  α(t+1) = Pᵀ α̂(t).
  for (let t = 0; t < T; t++) {
    const l = xs[t]! * K;
    const f = t * K;
    let c = 0;
    for (let k = 0; k < K; k++) c += alpha[k]! * C[l + k]!;
    if (!(c > 0)) throw new Error(`x[${t}] = ${xs[t]} has probability 0 under the model (c(t) = 0); the E-step is undefined.`);
    for (let k = 0; k < K; k++) filtered[f + k] = (alpha[k]! * C[l + k]!) / c;
    normalisers[t] = c;
    logLikelihood += Math.log(c);
    alpha.fill(0);
    for (let i = 0; i < K; i++) {
      const fi = filtered[f + i]!;
      for (let j = 0; j < K; j++) alpha[j]! += fi * P[i * K + j]!;
    }
  }

  // Backward with β̂(T) = 1, accumulating γ(t) = α̂(t) ⊙ β̂(t) and
  // ξ(t−1)[i][j] = α̂_i(t−1) P[i][j] w_j,  w_j = l_j(t) β̂_j(t) / c(t);  then β̂(t−1) = P w.
  const beta = new Float64Array(K).fill(1);
  const w = new Float64Array(K);
  const initial = new Array<number>(K).fill(0);
  for (let t = T - 1; t >= 0; t--) {
    const f = t * K;
    const m = xs[t]! * K;
    for (let k = 0; k < K; k++) M[m + k]! += filtered[f + k]! * beta[k]!;
    if (t === 0) {
      for (let k = 0; k < K; k++) initial[k] = filtered[k]! * beta[k]!;
      break;
    }
    const c = normalisers[t]!;
    for (let j = 0; j < K; j++) w[j] = (C[m + j]! * beta[j]!) / c;
    const prev = f - K;
    for (let i = 0; i < K; i++) {
      const fi = filtered[prev + i]!;
      let b = 0;
      for (let j = 0; j < K; j++) {
        const pw = P[i * K + j]! * w[j]!;
        N[i * K + j]! += fi * pw;
        b += pw;
      }
      beta[i] = b;
    }
  }
  const rows = (a: Float64Array, n: number) => Array.from({ length: n }, (_, r) => Array.from(a.subarray(r * K, (r + 1) * K)));
  return {
    initial: T === 0 ? params.pi.slice() : initial,
    transitions: rows(N, K),
    emissions: rows(M, V),
    logLikelihood,
  };
}

/**
 * The M-step: π = γ(1), P[i][j] = N[i][j] / Σ_j' N[i][j'], C[v][k] = M[v][k] / Σ_v' M[v'][k].
 * A row of P (or column of C) whose expected count is 0 is kept from `previous`, as is π
 * when `updateInitial` is false.
 */
export function baumWelchUpdate(counts: HmmExpectedCounts, previous: HmmParams, updateInitial = true): HmmParams {
  const K = previous.pi.length;
  const pi = updateInitial ? normalise(counts.initial, previous.pi) : previous.pi.slice();
  const P = counts.transitions.map((row, i) => normalise(row, previous.P[i]!));
  const columnSums = new Array<number>(K).fill(0);
  for (const row of counts.emissions) for (let k = 0; k < K; k++) columnSums[k]! += row[k]!;
  const C = counts.emissions.map((row, v) => row.map((m, k) => (columnSums[k]! > 0 ? m / columnSums[k]! : previous.C[v]![k]!)));
  return { pi, P, C };
}

function normalise(counts: readonly number[], fallback: readonly number[]): number[] {
  const sum = counts.reduce((s, n) => s + n, 0);
  return sum > 0 ? counts.map((n) => n / sum) : fallback.slice();
}

/** Options for baumWelch. */
export interface BaumWelchOptions {
  /** The most M-steps to take (default 100). */
  iterations?: number;
  /**
   * Stop once an iteration raises the log-likelihood by less than this many nats per
   * symbol, i.e. (log p_new − log p_old) / T < tolerance (default 1e-9).
   */
  tolerance?: number;
  /** Re-estimate π (default true; false keeps π fixed, as the lecture notes assume). */
  updateInitial?: boolean;
  /** Called after every E-step with the iteration (0 = the initial parameters), log p and θ. */
  onIteration?: (iteration: number, logLikelihood: number, params: HmmParams) => void;
}

/** What baumWelch returns: θ and the log-likelihood trace log p(x; θ_0), log p(x; θ_1), …. */
export interface BaumWelchResult {
  /** The final parameters. */
  params: HmmParams;
  /** log p(x(1:T); θ_n) for n = 0 (the initial θ), 1, …, iterations: one more entry than M-steps. */
  logLikelihoods: number[];
  /** The number of M-steps taken. */
  iterations: number;
  /** True if the tolerance was met before the iteration budget ran out. */
  converged: boolean;
}

/**
 * Runs EM from `init` on the symbol sequence xs: alternates hmmExpectedCounts (E) and
 * baumWelchUpdate (M), recording log p(x(1:T); θ_n) before every M-step and after the last.
 */
export function baumWelch(xs: readonly number[], init: HmmParams, options: BaumWelchOptions = {}): BaumWelchResult {
  const maxIterations = options.iterations ?? 100;
  const tolerance = options.tolerance ?? 1e-9;
  const updateInitial = options.updateInitial ?? true;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) {
    throw new Error(`iterations must be a whole number ≥ 0, got ${maxIterations}.`);
  }
  if (xs.length === 0) throw new Error("Baum–Welch needs at least one symbol.");
  const T = xs.length;
  let params: HmmParams = { pi: init.pi.slice(), P: init.P.map((r) => r.slice()), C: init.C.map((r) => r.slice()) };
  const logLikelihoods: number[] = [];
  let converged = false;
  for (let n = 0; ; n++) {
    const counts = hmmExpectedCounts(params, xs);
    logLikelihoods.push(counts.logLikelihood);
    options.onIteration?.(n, counts.logLikelihood, params);
    if (n > 0 && (counts.logLikelihood - logLikelihoods[n - 1]!) / T < tolerance) {
      converged = true;
      break;
    }
    if (n === maxIterations) break;
    params = baumWelchUpdate(counts, params, updateInitial);
  }
  return { params, logLikelihoods, iterations: logLikelihoods.length - 1, converged };
}
