// The Kalman filter for the linear Gaussian state-space model of the lecture notes:
//
//   state:        h^{(t)} = Φ h^{(t−1)} + Γ x^{(t)} + ε^{(t)},   ε^{(t)} ~ N_p(0, Σ_h)
//   observation:  y^{(t)} = Ψ h^{(t)}   + Ξ x^{(t)} + η^{(t)},   η^{(t)} ~ N_q(0, Σ_obs)
//
// with h^{(0)} ~ N(ĥ_0^{(0)}, P_0^{(0)}) = N(h0, P0). Times run t = 1 … n; array index
// t − 1 holds time t. Pure TypeScript (no DOM, no tfjs).

import { matMul, matVec } from "./linalg.js";
import {
  addMatrices,
  addVectors,
  cholesky,
  choleskySemidefinite,
  choleskySolveMatrix,
  choleskySolveVector,
  identityMatrix,
  logDetFromCholesky,
  maxAbs,
  sandwich,
  solveDiscreteLyapunov,
  subMatrix,
  subtractMatrices,
  subtractVectors,
  symmetrize,
  transposeMatrix,
  zeroMatrix,
} from "./matrix.js";

/**
 * A linear Gaussian state-space model in the notation of the notes (p states, q
 * observed series, r exogenous inputs). Γ and Ξ are only needed when inputs x are
 * passed. Initial state h^{(0)} ~ N(h0, P0); by default h0 = 0 and P0 = I (the notes'
 * example). For a vague start use `diffuseInit`; for a stationary Φ, `stationaryInit`.
 */
export interface StateSpaceModel {
  /** Φ, p × p: state transition. */
  Phi: number[][];
  /** Ψ, q × p: observation matrix. */
  Psi: number[][];
  /** Σ_h, p × p: state-noise covariance (positive semi-definite; may be singular). */
  SigmaH: number[][];
  /** Σ_obs, q × q: observation-noise covariance (positive semi-definite; may be 0). */
  SigmaObs: number[][];
  /** Γ, p × r: effect of the inputs x^{(t)} on the state. */
  Gamma?: number[][];
  /** Ξ, q × r: effect of the inputs x^{(t)} on the observation. */
  Xi?: number[][];
  /** ĥ_0^{(0)}, the mean of h^{(0)} (default 0). */
  h0?: number[];
  /** P_0^{(0)}, the covariance of h^{(0)} (default I). */
  P0?: number[][];
}

/** One observation y^{(t)}: a number when q = 1, otherwise a q-vector. NaN = missing. */
export type Observation = number | readonly number[];

/** Everything the filter computes at one time t (all at array index t − 1). */
export interface KalmanStep {
  /** ĥ_{t−1}^{(t)} = Φ ĥ_{t−1}^{(t−1)} + Γ x^{(t)}. */
  predictedMean: number[];
  /** P_{t−1}^{(t)} = Φ P_{t−1}^{(t−1)} Φᵀ + Σ_h. */
  predictedCov: number[][];
  /** e_t = y^{(t)} − Ψ ĥ_{t−1}^{(t)} − Ξ x^{(t)}; NaN in the components that are missing. */
  innovation: number[];
  /** S_t = Ψ P_{t−1}^{(t)} Ψᵀ + Σ_obs (all q components, observed or not). */
  innovationCov: number[][];
  /** K_t = P_{t−1}^{(t)} Ψ_oᵀ S_{o,t}^{-1} over the observed rows o, as p × q with zero columns where y is missing. */
  gain: number[][];
  /** ĥ_t^{(t)} = ĥ_{t−1}^{(t)} + K_t e_t. */
  filteredMean: number[];
  /** P_t^{(t)} in Joseph form (I − KΨ) P (I − KΨ)ᵀ + K Σ_obs Kᵀ, then symmetrised. */
  filteredCov: number[][];
  /** Indices of the components of y^{(t)} that were observed (empty: no update). */
  observed: number[];
  /** ℓ_t = −½ (q_t log 2π + log det S_{o,t} + e_oᵀ S_{o,t}^{-1} e_o); 0 if nothing observed. */
  logLik: number;
}

/** The limit of the gain and covariances of a fully observed filter (Riccati fixed point). */
export interface SteadyState {
  gain: number[][];
  predictedCov: number[][];
  filteredCov: number[][];
  /** Riccati iterations needed from P0 until the gain stopped changing. */
  iterations: number;
}

/** The output of `kalmanFilter`. */
export interface KalmanFilterResult {
  steps: KalmanStep[];
  /**
   * Σ_t ℓ_t: the exact Gaussian log-likelihood log p(y^{(1:n)}) by the prediction-error
   * decomposition, *including* the constant −(N/2) log 2π where N counts the observed
   * scalars. Every observation counts, the first ones too; an (approximately) diffuse
   * start makes the first terms ≈ −½ log κ — drop them from `steps[t].logLik` if wanted.
   */
  logLik: number;
  /** N, the number of observed scalar values. */
  nObserved: number;
  /** ĥ_0^{(0)} and P_0^{(0)} actually used. */
  initialMean: number[];
  initialCov: number[][];
  /** The steady-state gain, or null if the Riccati recursion did not converge (or was not asked for). */
  steadyState: SteadyState | null;
}

/** Options of `kalmanFilter`. */
export interface KalmanOptions {
  /** Also compute the steady-state gain (default true; switch off inside optimisers). */
  steadyState?: boolean;
}

const LOG_2PI = Math.log(2 * Math.PI);

function checkMatrix(name: string, a: unknown, rows: number, cols: number): void {
  if (!Array.isArray(a) || a.length !== rows || a.some((row) => !Array.isArray(row) || row.length !== cols)) {
    const got = Array.isArray(a) ? `${a.length} × ${Array.isArray(a[0]) ? a[0].length : "?"}` : typeof a;
    throw new Error(`${name} must be ${rows} × ${cols}, got ${got}${Array.isArray(a) ? " (or ragged rows)" : ""}.`);
  }
  for (const row of a as number[][]) {
    for (const v of row) if (!Number.isFinite(v)) throw new Error(`${name} has a non-finite entry (${v}).`);
  }
}

/**
 * Throws unless `a` is a symmetric positive semi-definite matrix (checked by a
 * semi-definite Cholesky factorisation); the message names the matrix.
 */
export function assertCovariance(name: string, a: number[][]): void {
  const scale = maxAbs(a) || 1;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(a[i]![j]! - a[j]![i]!) > 1e-10 * scale) {
        throw new Error(`${name} is not symmetric: entry (${i}, ${j}) is ${a[i]![j]} but (${j}, ${i}) is ${a[j]![i]}.`);
      }
    }
  }
  if (choleskySemidefinite(a) === null) {
    throw new Error(`${name} is not positive semi-definite (its Cholesky factorisation fails).`);
  }
}

/** Dimensions p (states), q (observations), r (inputs) of a validated model. */
export interface ModelDimensions {
  p: number;
  q: number;
  r: number;
}

/**
 * Checks the shapes of every matrix of `model` (and of the inputs, if `r` is given) and
 * that Σ_h, Σ_obs and P0 are covariance matrices; returns the dimensions. Throws an
 * error naming the offending matrix otherwise.
 */
export function validateModel(model: StateSpaceModel, r = 0): ModelDimensions {
  if (!Array.isArray(model.Phi) || model.Phi.length === 0) throw new Error("Phi (Φ) must be a non-empty p × p matrix.");
  const p = model.Phi.length;
  checkMatrix("Phi (Φ)", model.Phi, p, p);
  if (!Array.isArray(model.Psi) || model.Psi.length === 0) throw new Error("Psi (Ψ) must be a non-empty q × p matrix.");
  const q = model.Psi.length;
  checkMatrix("Psi (Ψ)", model.Psi, q, p);
  checkMatrix("SigmaH (Σ_h)", model.SigmaH, p, p);
  checkMatrix("SigmaObs (Σ_obs)", model.SigmaObs, q, q);
  assertCovariance("SigmaH (Σ_h)", model.SigmaH);
  assertCovariance("SigmaObs (Σ_obs)", model.SigmaObs);
  if (model.h0 !== undefined && (model.h0.length !== p || model.h0.some((v) => !Number.isFinite(v)))) {
    throw new Error(`h0 must be a finite vector of length p = ${p}, got length ${model.h0.length}.`);
  }
  if (model.P0 !== undefined) {
    checkMatrix("P0", model.P0, p, p);
    assertCovariance("P0", model.P0);
  }
  if (r > 0) {
    if (model.Gamma === undefined && model.Xi === undefined) {
      throw new Error("Inputs x were given but the model has neither Gamma (Γ) nor Xi (Ξ).");
    }
    if (model.Gamma !== undefined) checkMatrix("Gamma (Γ)", model.Gamma, p, r);
    if (model.Xi !== undefined) checkMatrix("Xi (Ξ)", model.Xi, q, r);
  }
  return { p, q, r };
}

/** Turns y^{(t)} into a length-q vector, checking its length. */
function asVector(y: Observation, q: number, t: number): number[] {
  const v = typeof y === "number" ? [y] : Array.from(y);
  if (v.length !== q) throw new Error(`y at t = ${t} has ${v.length} components, the model expects q = ${q}.`);
  for (const c of v) {
    if (!Number.isNaN(c) && !Number.isFinite(c)) throw new Error(`y at t = ${t} has a non-finite value ${c} (use NaN for missing).`);
  }
  return v;
}

function checkInputs(xs: readonly (readonly number[])[] | undefined, n: number): number {
  if (xs === undefined) return 0;
  if (xs.length !== n) throw new Error(`xs has ${xs.length} rows but ys has ${n}; give one input vector x^{(t)} per time.`);
  if (n === 0) return 0;
  const r = xs[0]!.length;
  xs.forEach((x, i) => {
    if (x.length !== r) throw new Error(`x at t = ${i + 1} has ${x.length} components, x at t = 1 has ${r}.`);
    if (x.some((v) => !Number.isFinite(v))) throw new Error(`x at t = ${i + 1} has a non-finite value.`);
  });
  return r;
}

/**
 * A copy of `model` with a vague (approximately diffuse) initial state
 * h^{(0)} ~ N(mean, κ I), default mean 0 and κ = 1e7. As κ → ∞ the filter forgets the
 * prior; the first few likelihood terms then carry ≈ −½ log κ each and are usually
 * dropped. (R's StructTS uses this kind of start: mean y^{(1)}, κ = 1e6 · var(y)/100.)
 */
export function diffuseInit(model: StateSpaceModel, kappa = 1e7, mean?: number[]): StateSpaceModel {
  const p = model.Phi.length;
  if (!(kappa > 0)) throw new Error(`diffuseInit: κ must be positive, got ${kappa}.`);
  const P0 = identityMatrix(p).map((row) => row.map((v) => v * kappa));
  return { ...model, h0: mean ?? new Array<number>(p).fill(0), P0 };
}

/**
 * Runs the Kalman filter of the notes over y^{(1:n)} (with inputs x^{(1:n)} if given):
 *
 *   predict  ĥ_{t−1}^{(t)} = Φ ĥ_{t−1}^{(t−1)} + Γ x^{(t)},   P_{t−1}^{(t)} = Φ P_{t−1}^{(t−1)} Φᵀ + Σ_h
 *   gain     K_t = P_{t−1}^{(t)} Ψᵀ (Ψ P_{t−1}^{(t)} Ψᵀ + Σ_obs)^{-1}
 *   update   ĥ_t^{(t)} = ĥ_{t−1}^{(t)} + K_t (y^{(t)} − Ψ ĥ_{t−1}^{(t)} − Ξ x^{(t)})
 *            P_t^{(t)} = (I − K_t Ψ) P_{t−1}^{(t)} (I − K_t Ψ)ᵀ + K_t Σ_obs K_tᵀ   (Joseph form, symmetrised)
 *
 * The Joseph form equals the notes' (I − KΨ)P for the optimal gain but stays symmetric
 * positive semi-definite under rounding. Missing values: components of y^{(t)} that are
 * NaN are left out of the update (only the observed rows of Ψ, Ξ, Σ_obs are used); if
 * all are NaN the update is skipped (filtered = predicted). Initial state: model.h0 and
 * model.P0 (defaults 0 and I). Throws on mismatched dimensions, a covariance that is not
 * positive semi-definite (naming it), or a singular innovation covariance S_t.
 */
export function kalmanFilter(
  model: StateSpaceModel,
  ys: readonly Observation[],
  xs?: readonly (readonly number[])[],
  options: KalmanOptions = {},
): KalmanFilterResult {
  const n = ys.length;
  const r = checkInputs(xs, n);
  const { p, q } = validateModel(model, r);
  const { Phi, Psi, SigmaH, SigmaObs } = model;
  const PhiT = transposeMatrix(Phi);

  const initialMean = model.h0 ? model.h0.slice() : new Array<number>(p).fill(0);
  const initialCov = model.P0 ? model.P0.map((row) => row.slice()) : identityMatrix(p);

  let mean = initialMean;
  let cov = initialCov;
  let logLik = 0;
  let nObserved = 0;
  const steps: KalmanStep[] = [];

  for (let i = 0; i < n; i++) {
    const t = i + 1;
    const y = asVector(ys[i]!, q, t);
    const x = xs ? Array.from(xs[i]!) : undefined;

    // Prediction.
    let predictedMean = matVec(Phi, mean);
    if (x && model.Gamma) predictedMean = addVectors(predictedMean, matVec(model.Gamma, x));
    const predictedCov = symmetrize(addMatrices(matMul(matMul(Phi, cov), PhiT), SigmaH));

    // Innovation for all q components (NaN where y is missing).
    let fitted = matVec(Psi, predictedMean);
    if (x && model.Xi) fitted = addVectors(fitted, matVec(model.Xi, x));
    const innovation = subtractVectors(y, fitted);
    const innovationCov = symmetrize(addMatrices(sandwich(Psi, predictedCov), SigmaObs));

    const observed: number[] = [];
    for (let j = 0; j < q; j++) if (!Number.isNaN(y[j]!)) observed.push(j);

    const gain = zeroMatrix(p, q);
    let filteredMean = predictedMean;
    let filteredCov = predictedCov;
    let term = 0;

    if (observed.length > 0) {
      const PsiO = subMatrix(Psi, observed);
      const SObs = subMatrix(innovationCov, observed, observed);
      const eObs = observed.map((j) => innovation[j]!);
      const chol = cholesky(SObs);
      if (chol === null) {
        throw new Error(
          `The innovation covariance S_t = Ψ P Ψᵀ + Σ_obs at t = ${t} is singular (not positive definite); ` +
            `an observation that is already known exactly cannot be conditioned on. Check Σ_obs and Σ_h.`,
        );
      }
      // K = P Ψ_oᵀ S⁻¹ = (S⁻¹ Ψ_o P)ᵀ, since S and P are symmetric.
      const gainObs = transposeMatrix(choleskySolveMatrix(chol, matMul(PsiO, predictedCov)));
      observed.forEach((j, k) => {
        for (let a = 0; a < p; a++) gain[a]![j] = gainObs[a]![k]!;
      });
      filteredMean = addVectors(predictedMean, matVec(gainObs, eObs));
      const iMinusKPsi = subtractMatrices(identityMatrix(p), matMul(gainObs, PsiO));
      const SigmaObsO = subMatrix(SigmaObs, observed, observed);
      filteredCov = symmetrize(addMatrices(sandwich(iMinusKPsi, predictedCov), sandwich(gainObs, SigmaObsO)));

      const solved = choleskySolveVector(chol, eObs);
      const quad = eObs.reduce((s, e, k) => s + e * solved[k]!, 0);
      term = -0.5 * (observed.length * LOG_2PI + logDetFromCholesky(chol) + quad);
      logLik += term;
      nObserved += observed.length;
    }

    steps.push({ predictedMean, predictedCov, innovation, innovationCov, gain, filteredMean, filteredCov, observed, logLik: term });
    mean = filteredMean;
    cov = filteredCov;
  }

  const steadyState = options.steadyState === false ? null : steadyStateGain(model);
  return { steps, logLik, nObserved, initialMean, initialCov, steadyState };
}

/**
 * The steady-state Kalman gain K = lim K_t of a fully observed filter: iterates the
 * Riccati recursion P ← Φ (P − P Ψᵀ S⁻¹ Ψ P) Φᵀ + Σ_h, S = Ψ P Ψᵀ + Σ_obs, from
 * P_0^{(1)} = Φ P0 Φᵀ + Σ_h until both max|K_new − K_old| ≤ tol · max(1, max|K|) and
 * max|P_new − P_old| ≤ tol · max|P| for the predicted covariance P. Returns null
 * if it has not converged after `maxIterations` or S becomes singular. (The covariances
 * and gains do not depend on the data, so neither does this.)
 */
export function steadyStateGain(model: StateSpaceModel, tol = 1e-13, maxIterations = 10000): SteadyState | null {
  const { p } = validateModel(model);
  const { Phi, Psi, SigmaH, SigmaObs } = model;
  const P0 = model.P0 ?? identityMatrix(p);
  let predictedCov = symmetrize(addMatrices(sandwich(Phi, P0), SigmaH));
  let previous: number[][] | null = null;
  for (let it = 1; it <= maxIterations; it++) {
    const chol = cholesky(symmetrize(addMatrices(sandwich(Psi, predictedCov), SigmaObs)));
    if (chol === null) return null;
    const gain = transposeMatrix(choleskySolveMatrix(chol, matMul(Psi, predictedCov)));
    const iMinusKPsi = subtractMatrices(identityMatrix(p), matMul(gain, Psi));
    const filteredCov = symmetrize(addMatrices(sandwich(iMinusKPsi, predictedCov), sandwich(gain, SigmaObs)));
    const nextPredictedCov = symmetrize(addMatrices(sandwich(Phi, filteredCov), SigmaH));
    if (!Number.isFinite(maxAbs(nextPredictedCov))) return null;
    if (
      previous !== null &&
      maxAbs(subtractMatrices(gain, previous)) <= tol * Math.max(1, maxAbs(gain)) &&
      maxAbs(subtractMatrices(nextPredictedCov, predictedCov)) <= tol * maxAbs(predictedCov)
    ) {
      return { gain, predictedCov, filteredCov, iterations: it };
    }
    previous = gain;
    predictedCov = nextPredictedCov;
  }
  return null;
}

/**
 * A copy of `model` started from the stationary distribution of the state:
 * h^{(0)} ~ N(0, P∞) with P∞ = Φ P∞ Φᵀ + Σ_h (discrete Lyapunov equation). Then every
 * P_{t−1}^{(t)} of an unobserved stretch stays P∞ and the likelihood is the exact one of
 * a stationary process. Throws if no positive semi-definite P∞ exists (Φ not stable).
 */
export function stationaryInit(model: StateSpaceModel): StateSpaceModel {
  const p = model.Phi.length;
  const P0 = solveDiscreteLyapunov(model.Phi, model.SigmaH);
  if (choleskySemidefinite(P0) === null) {
    throw new Error("stationaryInit: Φ is not stable (|eigenvalue| ≥ 1), so the state has no stationary distribution.");
  }
  return { ...model, h0: new Array<number>(p).fill(0), P0 };
}

/**
 * The AR(p) model y^{(t)} = φ_1 y^{(t−1)} + … + φ_p y^{(t−p)} + ε^{(t)}, ε ~ N(0, σ²), as a
 * state-space model in companion form: h^{(t)} = (y^{(t)}, y^{(t−1)}, …, y^{(t−p+1)}),
 *
 *   Φ = [φ_1 φ_2 … φ_p; 1 0 … 0; 0 1 … 0; …],  Σ_h = diag(σ², 0, …, 0),
 *   Ψ = [1 0 … 0],  Σ_obs = 0 (no observation noise: the limiting case of the notes),
 *
 * started from the stationary distribution (h0 = 0, P0 = the stationary covariance of
 * (y^{(t)}, …, y^{(t−p+1)}), e.g. σ²/(1 − φ²) for p = 1). The Kalman log-likelihood is then
 * the exact Gaussian AR(p) likelihood. Throws if the AR is not stationary.
 */
export function arAsStateSpace(phi: readonly number[], sigma2: number): StateSpaceModel {
  const p = phi.length;
  if (p === 0) throw new Error("arAsStateSpace needs at least one coefficient φ_1.");
  if (!phi.every(Number.isFinite)) throw new Error("The AR coefficients must be finite.");
  if (!(sigma2 > 0) || !Number.isFinite(sigma2)) throw new Error(`σ² must be finite and > 0, got ${sigma2}.`);
  const Phi = zeroMatrix(p, p);
  for (let j = 0; j < p; j++) Phi[0]![j] = phi[j]!;
  for (let i = 1; i < p; i++) Phi[i]![i - 1] = 1;
  const SigmaH = zeroMatrix(p, p);
  SigmaH[0]![0] = sigma2;
  const Psi = zeroMatrix(1, p);
  Psi[0]![0] = 1;
  let model: StateSpaceModel;
  try {
    model = stationaryInit({ Phi, Psi, SigmaH, SigmaObs: [[0]] });
  } catch {
    throw new Error(`The AR(${p}) with φ = [${phi.join(", ")}] is not stationary (a root of 1 − φ_1 z − … − φ_p z^p lies on or inside the unit circle).`);
  }
  // With σ² > 0 a stationary AR has a positive-definite P0; semi-definite means a unit root.
  if (cholesky(model.P0!) === null) {
    throw new Error(`The AR(${p}) with φ = [${phi.join(", ")}] is not stationary (a root of 1 − φ_1 z − … − φ_p z^p lies on or inside the unit circle).`);
  }
  return model;
}
