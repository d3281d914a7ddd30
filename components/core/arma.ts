// Theory of the ARMA(p, q) process, in the course's notation
//
//   x(t) = φ₁ x(t−1) + … + φ_p x(t−p) + ε(t) + θ₁ ε(t−1) + … + θ_q ε(t−q),   ε(t) ~ N(0, σ²),
//
// i.e. φ(B) x(t) = θ(B) ε(t) with φ(z) = 1 − φ₁z − … − φ_p z^p and θ(z) = 1 + θ₁z + … + θ_q z^q
// (R's sign convention for θ). Stationarity, MA(∞) weights, theoretical ACF/PACF and
// simulation. Pure TypeScript.

import { durbinLevinson } from "./acf.js";
import { modulus, polyRoots, type Complex } from "./polyRoots.js";
import { createRng } from "./random.js";

/** The output of levinsonStepDown. */
export interface StepDown {
  /** Whether every |φ_kk| < 1, i.e. the AR polynomial has all roots outside the unit circle. */
  stationary: boolean;
  /** Partial autocorrelations φ₁₁, …, φ_pp implied by φ (only as far as stationarity held). */
  pacf: number[];
  /** predictors[k] = (φ_{k1}, …, φ_{kk}): best predictor of order k, k = 0..p (predictors[0] = []). */
  predictors: number[][];
}

/**
 * The Levinson step-down (Schur–Cohn) recursion from AR coefficients to partial
 * autocorrelations: with κ_k = φ_{kk},
 *   φ_{k−1,j} = (φ_{kj} + κ_k φ_{k,k−j}) / (1 − κ_k²),   j = 1..k−1,
 * from k = p down to 1. The AR(p) is stationary exactly when every |κ_k| < 1. If some
 * |κ_k| ≥ 1 the recursion stops there and `stationary` is false.
 */
export function levinsonStepDown(phi: number[]): StepDown {
  const p = phi.length;
  // Built from order p downwards, then reversed (push keeps the arrays dense and fast).
  let current = phi.slice();
  const predictors: number[][] = [current];
  const pacf: number[] = [];
  for (let k = p; k >= 1; k--) {
    const kappa = current[k - 1]!;
    if (!Number.isFinite(kappa) || Math.abs(kappa) >= 1) {
      return { stationary: false, pacf: pacf.reverse(), predictors: predictors.reverse() };
    }
    pacf.push(kappa);
    const den = 1 - kappa * kappa;
    const lower: number[] = [];
    for (let j = 0; j < k - 1; j++) lower.push((current[j]! + kappa * current[k - 2 - j]!) / den);
    predictors.push(lower);
    current = lower;
  }
  return { stationary: true, pacf: pacf.reverse(), predictors: predictors.reverse() };
}

/**
 * The step-up recursion, from partial autocorrelations κ₁..κ_p (each |κ| < 1) to the
 * stationary AR coefficients φ₁..φ_p: φ_{kj} = φ_{k−1,j} − κ_k φ_{k−1,k−j}, φ_{kk} = κ_k.
 * Every point of (−1, 1)^p maps to a stationary AR(p), which is why maximum-likelihood
 * fitting optimises over κ = tanh(u) (as R's arima does).
 */
export function pacfToAr(pacf: number[]): number[] {
  const p = pacf.length;
  const phi = new Float64Array(p);
  const previous = new Float64Array(p);
  for (let k = 1; k <= p; k++) {
    const kappa = pacf[k - 1]!;
    if (!(Math.abs(kappa) < 1)) throw new Error(`pacfToAr: partial autocorrelation ${k} is ${kappa}; each must lie in (−1, 1).`);
    previous.set(phi.subarray(0, k - 1));
    for (let j = 0; j < k - 1; j++) phi[j] = previous[j]! - kappa * previous[k - 2 - j]!;
    phi[k - 1] = kappa;
  }
  return Array.from(phi);
}

/** The partial autocorrelations of a stationary AR(p) with coefficients φ; throws if not stationary. */
export function arToPacf(phi: number[]): number[] {
  const s = levinsonStepDown(phi);
  if (!s.stationary) throw new Error("arToPacf: the AR coefficients are not stationary.");
  return s.pacf;
}

/**
 * Whether the AR(p) with coefficients φ is (causal) stationary: all roots of
 * 1 − φ₁z − … − φ_p z^p lie outside the unit circle. Tested exactly by the step-down
 * recursion (|κ_k| < 1 for all k), which agrees with arRoots but needs no root finding.
 */
export function isStationary(phi: number[]): boolean {
  return levinsonStepDown(phi).stationary;
}

/**
 * The AR(2) stationarity triangle: φ₁ + φ₂ < 1, φ₂ − φ₁ < 1 and |φ₂| < 1. Roots are complex
 * (pseudo-cycles) inside it when φ₁² + 4φ₂ < 0.
 */
export function isStationaryAR2(phi1: number, phi2: number): boolean {
  return phi1 + phi2 < 1 && phi2 - phi1 < 1 && Math.abs(phi2) < 1;
}

/** A root of the AR polynomial, with its modulus (stationary when every modulus > 1). */
export interface ArRoot extends Complex {
  modulus: number;
}

/**
 * The p complex roots of the characteristic polynomial 1 − φ₁z − … − φ_p z^p (Durand–Kerner,
 * see polyRoots), sorted by modulus. A trailing φ_p = 0 lowers the degree. The inverse roots
 * 1/z are the eigenvalues of the companion matrix, inside the unit circle when stationary.
 */
export function arRoots(phi: number[]): ArRoot[] {
  return polyRoots([1, ...phi.map((v) => -v)]).map((z) => ({ ...z, modulus: modulus(z) }));
}

/**
 * The MA(∞) weights ψ₀ = 1, ψ₁, …, ψ_{count−1} of x(t) = Σⱼ ψⱼ ε(t−j):
 *   ψⱼ = θⱼ + Σ_{i=1}^{min(j,p)} φᵢ ψ_{j−i}   (θ₀ = 1, θⱼ = 0 for j > q).
 * R's ARMAtoMA(ar, ma, n) returns ψ₁..ψₙ, i.e. this list without ψ₀.
 */
export function psiWeights(phi: number[], theta: number[], count: number): number[] {
  if (!Number.isInteger(count) || count < 0) throw new Error(`psiWeights: count must be a whole number ≥ 0, got ${count}.`);
  const psi: number[] = [];
  for (let j = 0; j < count; j++) {
    let v = j === 0 ? 1 : (theta[j - 1] ?? 0);
    for (let i = 1; i <= Math.min(j, phi.length); i++) v += phi[i - 1]! * psi[j - i]!;
    psi.push(v);
  }
  return psi;
}

function checkCoefficients(phi: number[], theta: number[], what: string): void {
  if (![...phi, ...theta].every(Number.isFinite)) throw new Error(`${what}: coefficients must be finite numbers.`);
  if (!isStationary(phi)) throw new Error(`${what}: the AR part is not stationary (a root of φ(z) lies on or inside the unit circle).`);
}

/**
 * Theoretical autocovariances γ(0..maxLag) of a stationary ARMA(p, q) with noise variance σ².
 * Writing x = θ(B) u with φ(B) u = ε, γₓ(k) = Σᵢ Σⱼ θᵢ θⱼ γ_u(k − i + j) (θ₀ = 1), where the
 * AR autocovariances γ_u come exactly from the step-down partial autocorrelations:
 * γ_u(0) = σ² / Π(1 − κ_k²), then ρ(k) = κ_k Π_{j<k}(1 − κ_j²) + Σ_{j<k} φ_{k−1,j} ρ(k−j) up to p,
 * and ρ(k) = Σ φⱼ ρ(k−j) beyond.
 */
export function armaAutocovariance(phi: number[], theta: number[], maxLag: number, sigma2 = 1): number[] {
  checkCoefficients(phi, theta, "armaAutocovariance");
  if (!Number.isInteger(maxLag) || maxLag < 0) throw new Error(`maxLag must be a whole number ≥ 0, got ${maxLag}.`);
  const { pacf, predictors } = levinsonStepDown(phi);
  const p = phi.length;
  const q = theta.length;
  const span = maxLag + q;
  const rho = [1];
  let relativeVariance = 1; // Π_{j<k} (1 − κ_j²)
  for (let k = 1; k <= span; k++) {
    let v = 0;
    if (k <= p) {
      v = pacf[k - 1]! * relativeVariance;
      const prev = predictors[k - 1]!;
      for (let j = 1; j < k; j++) v += prev[j - 1]! * rho[k - j]!;
      relativeVariance *= 1 - pacf[k - 1]! ** 2;
    } else {
      for (let j = 1; j <= p; j++) v += phi[j - 1]! * rho[k - j]!;
    }
    rho.push(v);
  }
  let gamma0 = sigma2;
  for (const kappa of pacf) gamma0 /= 1 - kappa * kappa;
  const gammaU = (k: number): number => gamma0 * rho[Math.abs(k)]!;
  const th = [1, ...theta];
  const out: number[] = [];
  for (let k = 0; k <= maxLag; k++) {
    let s = 0;
    for (let i = 0; i <= q; i++) for (let j = 0; j <= q; j++) s += th[i]! * th[j]! * gammaU(k - i + j);
    out.push(s);
  }
  return out;
}

/**
 * Theoretical autocorrelations ρ(0) = 1, …, ρ(maxLag) of a stationary ARMA(p, q), as R's
 * ARMAacf(ar = phi, ma = theta, lag.max = maxLag). maxLag defaults to max(p, q + 1).
 */
export function armaAcf(phi: number[], theta: number[] = [], maxLag = Math.max(phi.length, theta.length + 1)): number[] {
  const g = armaAutocovariance(phi, theta, maxLag);
  return g.map((v) => v / g[0]!);
}

/**
 * Theoretical partial autocorrelations at lags 1..maxLag of a stationary ARMA(p, q), as
 * R's ARMAacf(ar, ma, lag.max = maxLag, pacf = TRUE): Durbin–Levinson on armaAcf.
 */
export function armaPacf(phi: number[], theta: number[] = [], maxLag = Math.max(phi.length, theta.length + 1)): number[] {
  if (maxLag < 1) throw new Error(`armaPacf: maxLag must be ≥ 1, got ${maxLag}.`);
  return durbinLevinson(armaAcf(phi, theta, maxLag), maxLag).pacf;
}

/** Options of simulateARMA. */
export interface SimulateArmaOptions {
  /** AR coefficients φ₁..φ_p (default none). */
  phi?: number[];
  /** MA coefficients θ₁..θ_q (default none). */
  theta?: number[];
  /** Noise standard deviation σ (default 1). */
  sigma?: number;
  /** Number of values returned. */
  n: number;
  /**
   * Values simulated and discarded first, so the start-up from zeros is forgotten. Default:
   * R's arima.sim rule p + q + ⌈6 / ln(min |root|)⌉ (0 for a pure MA), at least 50.
   */
  burnIn?: number;
  /** Seed of the xoshiro128** generator (default 1). */
  seed?: number;
  /** Added to every value: the process mean μ (default 0). */
  mean?: number;
  /** Allow a non-stationary φ (the series may explode); default burn-in is then 0. */
  allowNonstationary?: boolean;
}

/**
 * Simulates x(t) = μ + y(t), φ(B) y(t) = θ(B) ε(t), ε(t) = σ·z(t) with z(t) standard normal
 * draws from createRng(seed). Pre-sample y and ε are 0; the first burnIn values are dropped.
 * Returns the n values and the n innovations ε(t) that drove them.
 */
export function simulateARMA(options: SimulateArmaOptions): { values: number[]; innovations: number[] } {
  const { phi = [], theta = [], sigma = 1, n, seed = 1, mean = 0, allowNonstationary = false } = options;
  if (!Number.isInteger(n) || n < 1) throw new Error(`simulateARMA: n must be a whole number ≥ 1, got ${n}.`);
  if (!(sigma >= 0)) throw new Error(`simulateARMA: sigma must be ≥ 0, got ${sigma}.`);
  if (![...phi, ...theta].every(Number.isFinite)) throw new Error("simulateARMA: coefficients must be finite numbers.");
  const stationary = isStationary(phi);
  if (!stationary && !allowNonstationary) {
    throw new Error("simulateARMA: φ is not stationary; pass allowNonstationary: true to simulate it anyway.");
  }
  let burnIn = options.burnIn;
  if (burnIn === undefined) {
    if (!stationary) burnIn = 0;
    else if (phi.some((v) => v !== 0)) {
      const minRoot = Math.min(...arRoots(phi).map((r) => r.modulus));
      burnIn = Math.max(50, Math.min(100000, phi.length + theta.length + Math.ceil(6 / Math.log(minRoot))));
    } else burnIn = Math.max(50, theta.length);
  }
  if (!Number.isInteger(burnIn) || burnIn < 0) throw new Error(`simulateARMA: burnIn must be a whole number ≥ 0, got ${burnIn}.`);
  const rng = createRng(seed);
  const total = burnIn + n;
  const y = new Array<number>(total);
  const e = new Array<number>(total);
  for (let t = 0; t < total; t++) {
    e[t] = sigma * rng.normal();
    let v = e[t]!;
    for (let i = 1; i <= phi.length && i <= t; i++) v += phi[i - 1]! * y[t - i]!;
    for (let j = 1; j <= theta.length && j <= t; j++) v += theta[j - 1]! * e[t - j]!;
    y[t] = v;
  }
  return { values: y.slice(burnIn).map((v) => v + mean), innovations: e.slice(burnIn) };
}
