// Sample autocovariance, autocorrelation and partial autocorrelation of a series, with the
// Durbin–Levinson recursion that links them. Conventions follow R's acf() and pacf().
//
//   x̄ = (1/n) Σₜ xₜ
//   ĉ(k) = (1/n) Σ_{t=1}^{n−k} (xₜ − x̄)(x_{t+k} − x̄)      (divisor n, not n − k)
//   r̂(k) = ĉ(k) / ĉ(0)
//
// The divisor n makes the sample autocovariance sequence positive semi-definite, so the
// Yule–Walker equations built from it always give a stationary AR fit.

import { normalQuantile } from "./distributions.js";

function checkSeries(x: number[], maxLag: number, what: string): void {
  if (x.length < 2) throw new Error(`${what} needs at least 2 values, got ${x.length}.`);
  const bad = x.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`${what}: value ${bad + 1} is ${x[bad]}; remove or fill missing values first.`);
  if (!Number.isInteger(maxLag) || maxLag < 0) throw new Error(`${what}: maxLag must be a whole number ≥ 0, got ${maxLag}.`);
  if (maxLag > x.length - 1) throw new Error(`${what}: maxLag ${maxLag} is too large for ${x.length} values (at most ${x.length - 1}).`);
}

/** R's default number of lags: min(n − 1, ⌊10 log₁₀ n⌋). */
export function defaultMaxLag(n: number): number {
  return Math.min(n - 1, Math.floor(10 * Math.log10(n)));
}

/**
 * Sample autocovariances ĉ(0), …, ĉ(maxLag) (length maxLag + 1), mean removed, divisor n,
 * as R's acf(x, type = "covariance", demean = TRUE).
 */
export function autocovariance(x: number[], maxLag: number = defaultMaxLag(x.length)): number[] {
  checkSeries(x, maxLag, "autocovariance");
  const n = x.length;
  let mean = 0;
  for (const v of x) mean += v;
  mean /= n;
  const d = x.map((v) => v - mean);
  const out: number[] = [];
  for (let k = 0; k <= maxLag; k++) {
    let s = 0;
    for (let t = 0; t + k < n; t++) s += d[t]! * d[t + k]!;
    out.push(s / n);
  }
  return out;
}

/**
 * Sample autocorrelations r̂(0) = 1, r̂(1), …, r̂(maxLag) (length maxLag + 1), as R's
 * acf(x, lag.max = maxLag)$acf. maxLag defaults to min(n − 1, ⌊10 log₁₀ n⌋).
 */
export function acf(x: number[], maxLag: number = defaultMaxLag(x.length)): number[] {
  const c = autocovariance(x, maxLag);
  if (!(c[0]! > 0)) throw new Error("acf: the series is constant, so its autocorrelation is undefined.");
  return c.map((v) => v / c[0]!);
}

/**
 * Sample partial autocorrelations φ̂₁₁, φ̂₂₂, …, φ̂_{mm} for lags 1..maxLag (length maxLag, no
 * lag 0), as R's pacf(x, lag.max = maxLag)$acf: the Durbin–Levinson recursion run on the
 * sample autocorrelations.
 */
export function pacf(x: number[], maxLag: number = defaultMaxLag(x.length)): number[] {
  if (maxLag < 1) throw new Error(`pacf: maxLag must be ≥ 1, got ${maxLag}.`);
  return durbinLevinson(acf(x, maxLag), maxLag).pacf;
}

/**
 * Half-width of the approximate (level·100)% band for sample autocorrelations of white
 * noise, z_{(1+level)/2} / √n (for level 0.95: 1.959964/√n), as drawn by R's plot.acf.
 */
export function acfBand(n: number, level = 0.95): number {
  if (!(n > 0)) throw new Error(`acfBand needs n > 0, got ${n}.`);
  if (!(level > 0 && level < 1)) throw new Error(`The level must lie in (0, 1), got ${level}.`);
  return normalQuantile((1 + level) / 2) / Math.sqrt(n);
}

/** The output of durbinLevinson: the order-m predictor, the PACF and the error variances. */
export interface DurbinLevinson {
  /** The order-m coefficients φ_{m1}, …, φ_{mm} of the best linear predictor from m lags. */
  phi: number[];
  /** Partial autocorrelations φ₁₁, …, φ_{mm} (the last coefficient at each order). */
  pacf: number[];
  /** Prediction-error variances v₀ = γ(0), v₁, …, v_m, with v_k = v_{k−1}(1 − φ_{kk}²). */
  variances: number[];
}

/**
 * The Durbin–Levinson recursion: solves the Toeplitz (Yule–Walker) systems of orders
 * 1..m from autocovariances (or autocorrelations) γ(0..m):
 *   φ_{kk} = (γ(k) − Σ_{j<k} φ_{k−1,j} γ(k−j)) / v_{k−1}
 *   φ_{kj} = φ_{k−1,j} − φ_{kk} φ_{k−1,k−j}   (j < k)
 *   v_k = v_{k−1} (1 − φ_{kk}²),  v₀ = γ(0).
 * Given autocorrelations, the variances come out relative to γ(0).
 */
export function durbinLevinson(gamma: number[], m: number): DurbinLevinson {
  if (gamma.length < m + 1) throw new Error(`durbinLevinson needs γ(0..${m}), got ${gamma.length} values.`);
  if (!(gamma[0]! > 0)) throw new Error("durbinLevinson needs γ(0) > 0.");
  let phi: number[] = [];
  const pacfOut: number[] = [];
  const variances = [gamma[0]!];
  for (let k = 1; k <= m; k++) {
    let num = gamma[k]!;
    for (let j = 1; j < k; j++) num -= phi[j - 1]! * gamma[k - j]!;
    const kk = num / variances[k - 1]!;
    const next = new Array<number>(k);
    for (let j = 1; j < k; j++) next[j - 1] = phi[j - 1]! - kk * phi[k - j - 1]!;
    next[k - 1] = kk;
    phi = next;
    pacfOut.push(kk);
    variances.push(variances[k - 1]! * (1 - kk * kk));
  }
  return { phi, pacf: pacfOut, variances };
}
