// The local-level model (random walk plus noise), the state-space model with p = q = 1:
//
//   h^{(t)} = h^{(t−1)} + ε^{(t)},  ε ~ N(0, σ²_level)      (Φ = 1, Σ_h = σ²_level)
//   y^{(t)} = h^{(t)}   + η^{(t)},  η ~ N(0, σ²_obs)        (Ψ = 1, Σ_obs = σ²_obs)
//
// Its likelihood, ML fit (numerical, on log variances), likelihood surface and EM fit,
// e.g. for the Nile flows. Two starts for the level (option `init`):
//
//  - "r-structts" (default), exactly what R's StructTS(x, type = "level") and its
//    KalmanLike(…, nit = -1) calls do: h^{(0)} ~ N(y^{(1)}, κ) with κ = 1e6 · var(y)/100
//    (var with denominator n − 1, missing values dropped), a large-variance
//    approximation to a diffuse start. Every observation enters the likelihood (the
//    first contributes ≈ −½ log κ), and the constant −(N/2) log 2π is included, N = the
//    number of observed values. This is R's `$loglik`.
//  - "exact-diffuse": a flat prior on h^{(1)}. The first observation is used up to pin
//    the level down, h^{(1)} | y^{(1)} ~ N(y^{(1)}, σ²_obs), and contributes no term; the
//    log-likelihood is log p(y^{(2:n)} | y^{(1)}) = Σ_{t≥2} ℓ_t with −((N−1)/2) log 2π.
//    (Durbin & Koopman's diffuse log-likelihood adds a further −½ log 2π: their
//    −(n/2) log 2π counts y^{(1)} too.) Requires y^{(1)} to be observed.

import { kalmanFilter, type KalmanFilterResult, type StateSpaceModel } from "./kalman.js";
import { rtsSmoother, type SmootherResult } from "./smoother.js";
import { minimize } from "./optimize.js";

/** The two variances of the local-level model. */
export interface LocalLevelParams {
  /** σ²_level, the variance of the level's random-walk steps ε. */
  sigma2Level: number;
  /** σ²_obs, the variance of the observation noise η. */
  sigma2Obs: number;
}

/** How the level is started (see the file header). */
export type LocalLevelInit = "r-structts" | "exact-diffuse";

/** Options shared by the local-level functions. */
export interface LocalLevelOptions {
  /** Default "r-structts", matching R's StructTS. */
  init?: LocalLevelInit;
}

const LOG_2PI = Math.log(2 * Math.PI);

function observedValues(ys: readonly number[]): number[] {
  return ys.filter((y) => !Number.isNaN(y));
}

/** The sample variance (denominator n − 1) of the observed values, as R's var(y, na.rm = TRUE). */
export function sampleVariance(ys: readonly number[]): number {
  const v = observedValues(ys);
  if (v.length < 2) throw new Error("Need at least two observed values for a variance.");
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return v.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (v.length - 1);
}

function checkParams(params: LocalLevelParams): void {
  const { sigma2Level, sigma2Obs } = params;
  if (!(sigma2Level >= 0) || !Number.isFinite(sigma2Level)) throw new Error(`sigma2Level must be finite and ≥ 0, got ${sigma2Level}.`);
  if (!(sigma2Obs >= 0) || !Number.isFinite(sigma2Obs)) throw new Error(`sigma2Obs must be finite and ≥ 0, got ${sigma2Obs}.`);
}

function checkSeries(ys: readonly number[], init: LocalLevelInit): void {
  if (ys.length === 0) throw new Error("The series is empty.");
  for (const y of ys) if (!Number.isNaN(y) && !Number.isFinite(y)) throw new Error(`The series has a non-finite value ${y} (use NaN for missing).`);
  if (observedValues(ys).length === 0) throw new Error("The series is entirely missing.");
  if (init === "exact-diffuse" && Number.isNaN(ys[0]!)) throw new Error("The exact-diffuse start needs y^{(1)} to be observed.");
}

/**
 * The local-level model as a general StateSpaceModel (1 × 1 matrices) with R's StructTS
 * start: h0 = y^{(1)} (or the mean of the observed values if y^{(1)} is missing) and
 * P0 = 1e6 · var(y)/100.
 */
export function localLevelModel(ys: readonly number[], params: LocalLevelParams): StateSpaceModel {
  checkParams(params);
  checkSeries(ys, "r-structts");
  const obs = observedValues(ys);
  const first = Number.isNaN(ys[0]!) ? obs.reduce((a, b) => a + b, 0) / obs.length : ys[0]!;
  return {
    Phi: [[1]],
    Psi: [[1]],
    SigmaH: [[params.sigma2Level]],
    SigmaObs: [[params.sigma2Obs]],
    h0: [first],
    P0: [[1e4 * sampleVariance(ys)]],
  };
}

/**
 * The exact Gaussian log-likelihood of the local-level model by the prediction-error
 * decomposition, written out for p = q = 1:
 *   P ← P + σ²_level;  F = P + σ²_obs;  v = y − a;  ℓ += −½ (log 2π + log F + v²/F);
 *   a ← a + (P/F) v;   P ← P σ²_obs / F
 * (missing y: skip the update). The start and the constant follow `options.init` (see
 * the file header); the default reproduces R's StructTS `$loglik`.
 */
export function localLevelLogLik(ys: readonly number[], params: LocalLevelParams, options: LocalLevelOptions = {}): number {
  const init = options.init ?? "r-structts";
  checkParams(params);
  checkSeries(ys, init);
  const { sigma2Level, sigma2Obs } = params;
  let a: number;
  let P: number;
  let from: number;
  if (init === "exact-diffuse") {
    a = ys[0]!;
    P = sigma2Obs; // h^{(1)} | y^{(1)} under a flat prior
    from = 1;
  } else {
    const model = localLevelModel(ys, params);
    a = model.h0![0]!;
    P = model.P0![0]![0]!;
    from = 0;
  }
  let logLik = 0;
  for (let i = from; i < ys.length; i++) {
    P += sigma2Level;
    const y = ys[i]!;
    if (Number.isNaN(y)) continue;
    const F = P + sigma2Obs;
    if (!(F > 0)) throw new Error(`The innovation variance F at t = ${i + 1} is zero (σ²_level = σ²_obs = 0?).`);
    const v = y - a;
    logLik += -0.5 * (LOG_2PI + Math.log(F) + (v * v) / F);
    a += (P / F) * v;
    P = (P * sigma2Obs) / F;
  }
  return logLik;
}

/** Log-likelihoods on a grid: logLik[i][j] is at (sigma2Level[i], sigma2Obs[j]). */
export interface LogLikSurface {
  sigma2Level: number[];
  sigma2Obs: number[];
  logLik: number[][];
}

/**
 * localLevelLogLik over every pair of a grid of variances, for drawing the likelihood
 * surface (e.g. as contours over log σ²_level × log σ²_obs). logLik[i][j] is at
 * (grid.sigma2Level[i], grid.sigma2Obs[j]).
 */
export function logLikSurface(
  ys: readonly number[],
  grid: { sigma2Level: readonly number[]; sigma2Obs: readonly number[] },
  options: LocalLevelOptions = {},
): LogLikSurface {
  const logLik = grid.sigma2Level.map((sigma2Level) =>
    grid.sigma2Obs.map((sigma2Obs) => localLevelLogLik(ys, { sigma2Level, sigma2Obs }, options)),
  );
  return { sigma2Level: grid.sigma2Level.slice(), sigma2Obs: grid.sigma2Obs.slice(), logLik };
}

/** A point visited by a fit: the two variances and the log-likelihood there. */
export interface LocalLevelPoint extends LocalLevelParams {
  logLik: number;
}

/** The result of fitLocalLevelMLE. */
export interface LocalLevelMLE {
  estimate: LocalLevelParams;
  logLik: number;
  /** The optimiser's route: the start, then the best point after each iteration. */
  path: LocalLevelPoint[];
  iterations: number;
  converged: boolean;
}

/** The default start of the fits: both variances var(y)/100, as R's StructTS. */
function defaultStart(ys: readonly number[]): LocalLevelParams {
  const v = sampleVariance(ys) / 100;
  return { sigma2Level: v, sigma2Obs: v };
}

/**
 * Maximum-likelihood fit of (σ²_level, σ²_obs): minimises −localLevelLogLik over
 * θ = (log σ²_level, log σ²_obs), so both stay positive, with `minimize` from
 * optimize.ts (BFGS by default, or Nelder–Mead). Default start var(y)/100 for both.
 * The path is mapped back to variances, for drawing on the logLikSurface.
 */
export function fitLocalLevelMLE(
  ys: readonly number[],
  options: LocalLevelOptions & { start?: LocalLevelParams; method?: "bfgs" | "nelder-mead" } = {},
): LocalLevelMLE {
  const start = options.start ?? defaultStart(ys);
  checkParams(start);
  if (!(start.sigma2Level > 0 && start.sigma2Obs > 0)) throw new Error("The start variances must be > 0 (the fit works on their logs).");
  const toParams = (theta: number[]): LocalLevelParams => ({ sigma2Level: Math.exp(theta[0]!), sigma2Obs: Math.exp(theta[1]!) });
  const objective = (theta: number[]): number => {
    const params = toParams(theta);
    if (!(params.sigma2Level > 0 && params.sigma2Obs > 0 && Number.isFinite(params.sigma2Level + params.sigma2Obs))) return Infinity;
    return -localLevelLogLik(ys, params, options);
  };
  const result = minimize(objective, [Math.log(start.sigma2Level), Math.log(start.sigma2Obs)], { method: options.method ?? "bfgs" });
  const path = result.path.map((theta) => ({ ...toParams(theta), logLik: -objective(theta) }));
  return { estimate: toParams(result.x), logLik: -result.value, path, iterations: result.iterations, converged: result.converged };
}

/** Filtered and smoothed levels of the local-level model, arrays over t = 1 … n. */
export interface LocalLevelStates {
  /** ĥ_{t−1}^{(t)} and P_{t−1}^{(t)} (NaN and Infinity at t = 1 for the exact-diffuse start). */
  predictedMean: number[];
  predictedVar: number[];
  /** ĥ_t^{(t)} and P_t^{(t)}. */
  filteredMean: number[];
  filteredVar: number[];
  /** ĥ_n^{(t)} and P_n^{(t)}. */
  smoothedMean: number[];
  smoothedVar: number[];
  /** P_n^{(t, t−1)} (NaN at t = 1 for the exact-diffuse start; there it pairs with h^{(0)}). */
  lagOneCov: number[];
  /** The log-likelihood, as localLevelLogLik. */
  logLik: number;
}

interface LocalLevelRun {
  filter: KalmanFilterResult;
  smoother: SmootherResult;
  /** 1 when the run starts at t = 2 (exact-diffuse), else 0. */
  offset: number;
}

function runLocalLevel(ys: readonly number[], params: LocalLevelParams, init: LocalLevelInit): LocalLevelRun {
  checkParams(params);
  checkSeries(ys, init);
  let model: StateSpaceModel;
  let offset = 0;
  if (init === "exact-diffuse") {
    // Start the general filter at t = 2 from h^{(1)} | y^{(1)} ~ N(y^{(1)}, σ²_obs).
    model = { Phi: [[1]], Psi: [[1]], SigmaH: [[params.sigma2Level]], SigmaObs: [[params.sigma2Obs]], h0: [ys[0]!], P0: [[params.sigma2Obs]] };
    offset = 1;
  } else {
    model = localLevelModel(ys, params);
  }
  const filter = kalmanFilter(model, ys.slice(offset), undefined, { steadyState: false });
  return { filter, smoother: rtsSmoother(filter, model), offset };
}

/**
 * Runs the Kalman filter and the RTS smoother of the local-level model and returns the
 * predicted, filtered and smoothed level with their variances (for plotting bands).
 * R's StructTS `$fitted` is filteredMean and tsSmooth(fit) is smoothedMean.
 */
export function localLevelStates(ys: readonly number[], params: LocalLevelParams, options: LocalLevelOptions = {}): LocalLevelStates {
  const { filter, smoother, offset } = runLocalLevel(ys, params, options.init ?? "r-structts");
  const s = filter.steps;
  const out: LocalLevelStates = {
    predictedMean: s.map((x) => x.predictedMean[0]!),
    predictedVar: s.map((x) => x.predictedCov[0]![0]!),
    filteredMean: s.map((x) => x.filteredMean[0]!),
    filteredVar: s.map((x) => x.filteredCov[0]![0]!),
    smoothedMean: smoother.means.map((m) => m[0]!),
    smoothedVar: smoother.covs.map((c) => c[0]![0]!),
    lagOneCov: smoother.lagOneCovs.map((c) => c[0]![0]!),
    logLik: filter.logLik,
  };
  if (offset === 1) {
    out.predictedMean.unshift(NaN);
    out.predictedVar.unshift(Infinity);
    out.filteredMean.unshift(filter.initialMean[0]!);
    out.filteredVar.unshift(filter.initialCov[0]![0]!);
    out.smoothedMean.unshift(smoother.initialMean[0]!);
    out.smoothedVar.unshift(smoother.initialCov[0]![0]!);
    out.lagOneCov.unshift(NaN);
  }
  return out;
}

/** The result of fitLocalLevelEM. */
export interface LocalLevelEM {
  estimate: LocalLevelParams;
  /** The log-likelihood at `estimate`. */
  logLik: number;
  /** history[k] = the variances after k EM iterations (history[0] = the start) and their log-likelihood. */
  history: LocalLevelPoint[];
}

/**
 * EM (Shumway & Stoffer 1982) for (σ²_level, σ²_obs). E-step: Kalman filter + RTS
 * smoother at the current variances give ĥ_n^{(t)}, P_n^{(t)}, P_n^{(t,t−1)}. M-step:
 *
 *   σ²_level ← (1/m) Σ_t [ (ĥ_n^{(t)} − ĥ_n^{(t−1)})² + P_n^{(t)} + P_n^{(t−1)} − 2 P_n^{(t,t−1)} ]
 *   σ²_obs   ← (1/N) Σ_{t observed} [ (y^{(t)} − ĥ_n^{(t)})² + P_n^{(t)} ]
 *
 * over the m random-walk steps (t = 1 … n from the fixed prior of h^{(0)} for
 * "r-structts"; t = 2 … n for "exact-diffuse") and the N observed values. The initial
 * distribution is held fixed, so each iteration cannot lower the log-likelihood of the
 * chosen `init` (up to rounding). Runs `iterations` steps (default 200), stopping early
 * once one step raises the log-likelihood by less than `tol` (default: never).
 */
export function fitLocalLevelEM(
  ys: readonly number[],
  options: LocalLevelOptions & { iterations?: number; start?: LocalLevelParams; tol?: number } = {},
): LocalLevelEM {
  const init = options.init ?? "r-structts";
  const iterations = options.iterations ?? 200;
  const tol = options.tol ?? -Infinity;
  let params = options.start ?? defaultStart(ys);
  checkParams(params);
  const history: LocalLevelPoint[] = [];
  for (let k = 0; ; k++) {
    const { filter, smoother, offset } = runLocalLevel(ys, params, init);
    history.push({ ...params, logLik: filter.logLik });
    const gained = k > 0 ? filter.logLik - history[k - 1]!.logLik : Infinity;
    if (k >= iterations || gained < tol) break;

    // Smoothed moments over t = offset … n (array index t − 1 of the data); index −1 is h^{(0)}.
    const mean = (i: number): number => (i === offset - 1 ? smoother.initialMean[0]! : smoother.means[i - offset]![0]!);
    const variance = (i: number): number => (i === offset - 1 ? smoother.initialCov[0]![0]! : smoother.covs[i - offset]![0]![0]!);
    let levelSum = 0;
    for (let i = offset; i < ys.length; i++) {
      const d = mean(i) - mean(i - 1);
      levelSum += d * d + variance(i) + variance(i - 1) - 2 * smoother.lagOneCovs[i - offset]![0]![0]!;
    }
    let obsSum = 0;
    let nObs = 0;
    for (let i = 0; i < ys.length; i++) {
      const y = ys[i]!;
      if (Number.isNaN(y)) continue;
      const e = y - mean(i);
      obsSum += e * e + variance(i);
      nObs++;
    }
    const steps = ys.length - offset;
    params = { sigma2Level: steps > 0 ? levelSum / steps : params.sigma2Level, sigma2Obs: obsSum / nObs };
  }
  const last = history[history.length - 1]!;
  return { estimate: { sigma2Level: last.sigma2Level, sigma2Obs: last.sigma2Obs }, logLik: last.logLik, history };
}
