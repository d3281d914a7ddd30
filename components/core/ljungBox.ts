// The Ljung–Box portmanteau test of "no autocorrelation up to lag h", used on a fitted
// model's residuals. Conventions follow R's Box.test(x, lag = h, type = "Ljung-Box", fitdf).
//
//   Q = n (n + 2) Σ_{k=1}^{h} r̂(k)² / (n − k)   ~   χ²(h − fitdf) under the null,
//
// where r̂(k) is the sample autocorrelation (mean removed, divisor n) and fitdf is the
// number of fitted ARMA coefficients (p + q; not the mean).

import { acf } from "./acf.js";
import { chiSquareSurvival } from "./distributions.js";

/** The result of ljungBox. */
export interface LjungBoxResult {
  /** Q. */
  statistic: number;
  /** Degrees of freedom h − fitdf. */
  df: number;
  /** P(χ²(df) ≥ Q). */
  pValue: number;
  /** h. */
  lags: number;
  fitdf: number;
  /** Number of residuals used. */
  n: number;
  /** r̂(1..h). */
  autocorrelations: number[];
}

/**
 * Ljung–Box test on `residuals` over lags 1..h with `fitdf` fitted coefficients (default 0).
 * NaN values at the start or end (as an AR fit's first p residuals) are dropped, as
 * na.omit would; a NaN in the middle is an error. Needs 1 ≤ h < n and h − fitdf ≥ 1.
 */
export function ljungBox(residuals: number[], lags: number, fitdf = 0): LjungBoxResult {
  let start = 0;
  let end = residuals.length;
  while (start < end && Number.isNaN(residuals[start]!)) start++;
  while (end > start && Number.isNaN(residuals[end - 1]!)) end--;
  const x = residuals.slice(start, end);
  const bad = x.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`ljungBox: residual ${start + bad + 1} is ${x[bad]}; only leading or trailing NaN are allowed.`);
  const n = x.length;
  if (!Number.isInteger(lags) || lags < 1 || lags >= n) {
    throw new Error(`ljungBox: lags must be a whole number with 1 ≤ lags < ${n}, got ${lags}.`);
  }
  if (!Number.isInteger(fitdf) || fitdf < 0 || lags - fitdf < 1) {
    throw new Error(`ljungBox: fitdf must be a whole number with 0 ≤ fitdf < lags (${lags}), got ${fitdf}.`);
  }
  const r = acf(x, lags).slice(1);
  let q = 0;
  for (let k = 1; k <= lags; k++) q += (r[k - 1]! * r[k - 1]!) / (n - k);
  q *= n * (n + 2);
  const df = lags - fitdf;
  return { statistic: q, df, pValue: chiSquareSurvival(q, df), lags, fitdf, n, autocorrelations: r };
}
