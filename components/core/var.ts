// The vector autoregression VAR(p) of a k-dimensional series, fitted by least squares,
// one equation per component. In the course's notation, with an intercept c:
//
//   x(t) = c + Φ₁ x(t−1) + … + Φ_p x(t−p) + ε(t),   ε(t) ~ N_k(0, Σ),
//
// where (Φᵢ)_{rc} is the effect of component c at lag i on component r. OLS per equation is
// also the conditional maximum-likelihood estimate, because every equation has the same
// regressors. Pure TypeScript.

import { invertSpd, logDetSpd } from "./optimize.js";

/** A fitted VAR(p) (see fitVAR for the conventions). */
export interface VARFit {
  /** Order p. */
  p: number;
  /** Dimension k. */
  k: number;
  /** Number of time points n. */
  n: number;
  /** Φ₁..Φ_p, each k×k: coefficients[i − 1][r][c] multiplies x_c(t − i) in equation r. */
  coefficients: number[][][];
  /** c, length k. */
  intercept: number[];
  /** Σ̂ = EᵀE / N, N = n − p (R's ar.ols var.pred; the conditional MLE). */
  sigma: number[][];
  /** EᵀE / (N − kp − 1), the per-equation lm convention (diagonal = lm's σ̂²). */
  sigmaUnbiased: number[][];
  /** lm-style standard errors √(diag((XᵀX)⁻¹) σ̂²_rr) with the unbiased σ̂², same shapes as the estimates. */
  standardErrors: { coefficients: number[][][]; intercept: number[] };
  /** One-step fitted values, n×k (NaN rows for t ≤ p). */
  fitted: number[][];
  /** Residuals ε̂(t), n×k (NaN rows for t ≤ p). */
  residuals: number[][];
  /** Conditional Gaussian log-likelihood of x(p+1..n): −(N/2)(k ln 2π + ln det Σ̂ + k). */
  logLik: number;
  /** −2ℓ + 2m and −2ℓ + m ln N with m = k(kp + 1) + k(k + 1)/2 parameters (Φ, c and Σ). */
  aic: number;
  bic: number;
}

/**
 * Fits a VAR(p) to `seriesMatrix`, an n×k array whose row t is x(t) (one column per
 * component). Each component is regressed on 1 and all components at lags 1..p over
 * t = p+1..n, i.e. B̂ = (XᵀX)⁻¹ XᵀY with rows (1, x(t−1)ᵀ, …, x(t−p)ᵀ) of X (columns are
 * centred first for conditioning; the intercept is mapped back). Coefficients equal R's
 * ar.ols(x, aic = FALSE, order.max = p, demean = TRUE, intercept = TRUE)$ar and lm per equation.
 */
export function fitVAR(seriesMatrix: number[][], p: number): VARFit {
  const n = seriesMatrix.length;
  if (!Number.isInteger(p) || p < 1) throw new Error(`The VAR order p must be a whole number ≥ 1, got ${p}.`);
  if (n === 0) throw new Error("fitVAR: the series is empty.");
  const k = seriesMatrix[0]!.length;
  if (k < 1) throw new Error("fitVAR: each row needs at least one component.");
  seriesMatrix.forEach((row, t) => {
    if (row.length !== k) throw new Error(`fitVAR: row ${t + 1} has ${row.length} values, expected ${k}.`);
    const bad = row.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`fitVAR: row ${t + 1}, component ${bad + 1} is ${row[bad]}; remove or fill missing values first.`);
  });
  const m = 1 + k * p;
  const N = n - p;
  if (N < m + 1) throw new Error(`fitVAR: ${n} time points are too few for a ${k}-dimensional VAR(${p}); it needs at least ${p + m + 1}.`);

  const means = Array.from({ length: k }, (_, c) => seriesMatrix.reduce((s, row) => s + row[c]!, 0) / n);
  const d = seriesMatrix.map((row) => row.map((v, c) => v - means[c]!));
  const regressors = (t: number): number[] => {
    const row = [1];
    for (let i = 1; i <= p; i++) row.push(...d[t - i]!);
    return row;
  };
  const XtX = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  const XtY = Array.from({ length: m }, () => new Array<number>(k).fill(0));
  for (let t = p; t < n; t++) {
    const x = regressors(t);
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < m; b++) XtX[a]![b]! += x[a]! * x[b]!;
      for (let r = 0; r < k; r++) XtY[a]![r]! += x[a]! * d[t]![r]!;
    }
  }
  const inv = invertSpd(XtX);
  // B = (XᵀX)⁻¹ XᵀY, m×k: column r holds equation r.
  const B = inv.map((row) => Array.from({ length: k }, (_, r) => row.reduce((s, v, a) => s + v * XtY[a]![r]!, 0)));
  const coefficients = Array.from({ length: p }, (_, i) =>
    Array.from({ length: k }, (_, r) => Array.from({ length: k }, (_, c) => B[1 + i * k + c]![r]!)),
  );
  // Centred intercept c′ ↦ c = c′ + (I − Σ Φᵢ) x̄.
  const intercept = Array.from({ length: k }, (_, r) => {
    let v = B[0]![r]! + means[r]!;
    for (let i = 0; i < p; i++) for (let c = 0; c < k; c++) v -= coefficients[i]![r]![c]! * means[c]!;
    return v;
  });

  const fitted: number[][] = [];
  const residuals: number[][] = [];
  const cross = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let t = 0; t < n; t++) {
    if (t < p) {
      fitted.push(new Array<number>(k).fill(NaN));
      residuals.push(new Array<number>(k).fill(NaN));
      continue;
    }
    const f = intercept.map((c0, r) => {
      let v = c0;
      for (let i = 1; i <= p; i++) for (let c = 0; c < k; c++) v += coefficients[i - 1]![r]![c]! * seriesMatrix[t - i]![c]!;
      return v;
    });
    const e = f.map((v, r) => seriesMatrix[t]![r]! - v);
    fitted.push(f);
    residuals.push(e);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) cross[a]![b]! += e[a]! * e[b]!;
  }
  const sigma = cross.map((row) => row.map((v) => v / N));
  const sigmaUnbiased = cross.map((row) => row.map((v) => v / (N - m)));
  const se = (a: number, r: number): number => Math.sqrt(inv[a]![a]! * sigmaUnbiased[r]![r]!);
  const standardErrors = {
    coefficients: Array.from({ length: p }, (_, i) =>
      Array.from({ length: k }, (_, r) => Array.from({ length: k }, (_, c) => se(1 + i * k + c, r))),
    ),
    // The intercept's standard error on the original (uncentred) scale: Var(c) = aᵀ (XᵀX)⁻¹ a σ²_rr
    // with a = (1, x̄, …, x̄) mapping the centred coefficients to c.
    intercept: Array.from({ length: k }, (_, r) => {
      const a = [1];
      for (let i = 0; i < p; i++) a.push(...means.map((v) => -v));
      let q = 0;
      for (let u = 0; u < m; u++) for (let w = 0; w < m; w++) q += a[u]! * inv[u]![w]! * a[w]!;
      return Math.sqrt(q * sigmaUnbiased[r]![r]!);
    }),
  };
  const logLik = -0.5 * N * (k * Math.log(2 * Math.PI) + logDetSpd(sigma) + k);
  const params = k * m + (k * (k + 1)) / 2;
  return {
    p, k, n, coefficients, intercept, sigma, sigmaUnbiased, standardErrors, fitted, residuals, logLik,
    aic: -2 * logLik + 2 * params, bic: -2 * logLik + Math.log(N) * params,
  };
}
