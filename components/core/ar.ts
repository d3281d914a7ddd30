// Fitting, choosing and forecasting autoregressions. In the course's notation, with mean μ:
//
//   x(t) − μ = φ₁ (x(t−1) − μ) + … + φ_p (x(t−p) − μ) + ε(t),   ε(t) ~ N(0, σ²),
//   equivalently x(t) = c + φ₁ x(t−1) + … + φ_p x(t−p) + ε(t) with intercept c = μ (1 − Σφᵢ).
//
// Three estimators, each matching one R function (see the doc comment of fitAR):
//   "yule-walker"  R's ar.yw(x, aic = FALSE, order.max = p)
//   "ols"          R's ar.ols(x, aic = FALSE, order.max = p, demean = TRUE, intercept = TRUE)
//   "mle"          R's arima(x, order = c(p, 0, 0), method = "ML")
// Pure TypeScript.

import { autocovariance, durbinLevinson } from "./acf.js";
import { isStationary, levinsonStepDown, pacfToAr, psiWeights } from "./arma.js";
import { normalQuantile } from "./distributions.js";
import { invertSpd, minimize, numericalHessian, solveSpd, type MinimizeResult } from "./optimize.js";

/** The AR estimator: Yule–Walker equations, conditional least squares, or exact Gaussian MLE. */
export type ARMethod = "yule-walker" | "ols" | "mle";

/** A fitted AR(p); the conventions of each field per method are in fitAR's comment. */
export interface ARFit {
  method: ARMethod;
  /** The order p. */
  p: number;
  /** Length n of the series fitted. */
  n: number;
  /** φ₁..φ_p. */
  coefficients: number[];
  /** c in x(t) = c + Σ φᵢ x(t−i) + ε(t). */
  intercept: number;
  /** μ = c / (1 − Σ φᵢ): the sample mean for Yule–Walker, the estimated mean otherwise. */
  mean: number;
  /** Innovation variance σ̂² (conventions in fitAR). */
  sigma2: number;
  /** Asymptotic standard errors (conventions in fitAR); mean is null except for "mle". */
  standardErrors: { coefficients: number[]; mean: number | null };
  /** Exact Gaussian log-likelihood ("mle" only; null for the other methods). */
  logLik: number | null;
  /** Akaike criterion (conventions in fitAR). */
  aic: number;
  /** Bayesian (Schwarz) criterion: the AIC with log n in place of 2 per parameter. */
  bic: number;
  /** One-step predictions, length n (NaN for t ≤ p except with "mle"). */
  fitted: number[];
  /** Residuals, length n (NaN for t ≤ p except with "mle"). */
  residuals: number[];
  /** Whether the fitted φ is stationary (always true for "yule-walker" and "mle"). */
  stationary: boolean;
  /** The optimiser's run ("mle" only), over u = atanh(partial autocorrelations). */
  optimizer?: MinimizeResult;
}

/** Options of fitAR. */
export interface FitAROptions {
  /** Estimator (default "mle"). */
  method?: ARMethod;
}

/** The shortest series each method accepts for order p: p + 2 (Yule–Walker, MLE) or 2p + 2 (OLS). */
export function minimumLength(p: number, method: ARMethod): number {
  return method === "ols" ? 2 * p + 2 : p + 2;
}

function checkInputs(series: number[], p: number, method: ARMethod): void {
  if (!["yule-walker", "ols", "mle"].includes(method)) {
    throw new Error(`Unknown AR method "${method}": use "yule-walker", "ols" or "mle".`);
  }
  if (!Number.isInteger(p) || p < 1) throw new Error(`The AR order p must be a whole number ≥ 1, got ${p}.`);
  const bad = series.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`Value ${bad + 1} of the series is ${series[bad]}; remove or fill missing values first.`);
  const need = minimumLength(p, method);
  if (series.length < need) {
    throw new Error(`The series has ${series.length} values, too short for an AR(${p}) by ${method}: it needs at least ${need}.`);
  }
  if (series.every((v) => v === series[0])) throw new Error("The series is constant; an AR model cannot be fitted.");
}

/**
 * Fits an AR(p) with a mean. Conventions (n = series length):
 *
 * "yule-walker": solves the Yule–Walker equations Γ_p φ = γ_p with the sample autocovariances
 * (divisor n, mean removed) by Durbin–Levinson. μ = x̄. σ² = v_p · n / (n − (p + 1)), where
 * v_p = γ̂(0) Π(1 − φ_kk²) is the Levinson prediction variance (R's var.pred). Standard errors
 * from R's asy.var.coef = Γ̂_p⁻¹ σ² / n. AIC = n ln v_p + 2(p + 1), BIC = n ln v_p + ln(n)(p + 1)
 * (R's ar() criterion, which uses v_p, not σ²).
 *
 * "ols": conditional least squares with an intercept, regressing x(t) on 1, x(t−1..t−p) over
 * t = p+1..n (N = n − p rows; the series is centred first for conditioning, as R does).
 * σ² = RSS / N (R's var.pred). Standard errors √(diag((XᵀX)⁻¹) σ²) (R's asy.se.coef$ar).
 * AIC = n ln σ² + 2(p + 1), BIC = n ln σ² + ln(n)(p + 1) (R's ar.ols criterion). The fit may
 * be non-stationary; then μ is undefined (±Infinity or NaN) but the intercept is not.
 *
 * "mle": maximises the exact Gaussian likelihood of a stationary AR(p) with mean μ. With
 * innovations eₜ = (xₜ − μ) − Σⱼ φ_{kj}(x_{t−j} − μ) from the order-k predictor, k = min(t−1, p),
 * and their variances σ² fₜ (fₜ = 1 once t > p),
 *   ℓ = −(n/2) ln(2πσ²) − ½ Σ ln fₜ − Σ eₜ²/(2σ² fₜ).
 * σ² is profiled out (σ̂² = Σ eₜ²/fₜ / n, as R's arima) and so is μ (weighted least squares),
 * leaving a search over the partial autocorrelations κ = tanh(u) by BFGS, from the
 * Yule–Walker start. Standard errors: inverse of the central-difference Hessian of −ℓ (σ²
 * profiled) in (φ, μ), steps 1e-4 in φ and 1e-4·sd(x) in μ. (R's var.coef differentiates in its
 * transformed coordinates with steps 1e-3, which moves its SEs by up to ~1e-3 relative.)
 * AIC = −2ℓ + 2(p + 2), BIC = −2ℓ + ln(n)(p + 2) (φ, μ and σ²), as R's AIC and BIC of an arima
 * fit. Residuals are R's standardised innovations eₜ/√fₜ; fitted values are the exact one-step
 * predictions xₜ − eₜ (so residual ≠ x − fitted for t ≤ p). Cost: O(n p) per likelihood
 * evaluation and a few hundred to a few thousand evaluations (AR(20), n = 114: about 50 ms).
 */
export function fitAR(series: number[], p: number, options: FitAROptions = {}): ARFit {
  const method = options.method ?? "mle";
  checkInputs(series, p, method);
  if (method === "yule-walker") return fitYuleWalker(series, p);
  if (method === "ols") return fitOls(series, p);
  return fitMle(series, p);
}

function sampleMean(x: number[]): number {
  let s = 0;
  for (const v of x) s += v;
  return s / x.length;
}

function sum(a: number[]): number {
  return a.reduce((s, v) => s + v, 0);
}

/** Residuals x(t) − c − Σ φᵢ x(t−i) for t > p (NaN before), and the matching fitted values. */
function conditionalResiduals(x: number[], phi: number[], intercept: number): { fitted: number[]; residuals: number[] } {
  const p = phi.length;
  const fitted = x.map((_, t) => {
    if (t < p) return NaN;
    let v = intercept;
    for (let i = 1; i <= p; i++) v += phi[i - 1]! * x[t - i]!;
    return v;
  });
  return { fitted, residuals: x.map((v, t) => v - fitted[t]!) };
}

function toeplitz(c: number[], size: number): number[][] {
  return Array.from({ length: size }, (_, i) => Array.from({ length: size }, (_, j) => c[Math.abs(i - j)]!));
}

function fitYuleWalker(x: number[], p: number): ARFit {
  const n = x.length;
  const gamma = autocovariance(x, p);
  const { phi, variances } = durbinLevinson(gamma, p);
  const vp = variances[p]!;
  const sigma2 = (vp * n) / (n - (p + 1));
  const mean = sampleMean(x);
  const intercept = mean * (1 - sum(phi));
  const cov = invertSpd(toeplitz(gamma, p));
  const se = cov.map((row, i) => Math.sqrt((row[i]! * sigma2) / n));
  const penalty = p + 1;
  return {
    method: "yule-walker", p, n, coefficients: phi, intercept, mean, sigma2,
    standardErrors: { coefficients: se, mean: null }, logLik: null,
    aic: n * Math.log(vp) + 2 * penalty, bic: n * Math.log(vp) + Math.log(n) * penalty,
    ...conditionalResiduals(x, phi, intercept), stationary: isStationary(phi),
  };
}

function fitOls(x: number[], p: number): ARFit {
  const n = x.length;
  const xbar = sampleMean(x);
  const d = x.map((v) => v - xbar);
  const k = p + 1;
  const XtX = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const Xty = new Array<number>(k).fill(0);
  for (let t = p; t < n; t++) {
    const row = [1];
    for (let i = 1; i <= p; i++) row.push(d[t - i]!);
    for (let a = 0; a < k; a++) {
      Xty[a]! += row[a]! * d[t]!;
      for (let b = 0; b < k; b++) XtX[a]![b]! += row[a]! * row[b]!;
    }
  }
  const beta = solveSpd(XtX, Xty);
  const phi = beta.slice(1);
  const intercept = beta[0]! + xbar * (1 - sum(phi));
  const { fitted, residuals } = conditionalResiduals(x, phi, intercept);
  const N = n - p;
  let rss = 0;
  for (let t = p; t < n; t++) rss += residuals[t]! ** 2;
  const sigma2 = rss / N;
  const inv = invertSpd(XtX);
  const se = phi.map((_, i) => Math.sqrt(inv[i + 1]![i + 1]! * sigma2));
  const penalty = p + 1;
  return {
    method: "ols", p, n, coefficients: phi, intercept, mean: intercept / (1 - sum(phi)), sigma2,
    standardErrors: { coefficients: se, mean: null }, logLik: null,
    aic: n * Math.log(sigma2) + 2 * penalty, bic: n * Math.log(sigma2) + Math.log(n) * penalty,
    fitted, residuals, stationary: isStationary(phi),
  };
}

interface ExactLikelihood {
  logLik: number;
  sigma2: number;
  mean: number;
  /** Innovations eₜ and their relative variances fₜ. */
  innovations: number[];
  variances: number[];
}

/**
 * The exact Gaussian log-likelihood of a stationary AR(p) (formula in fitAR), with σ²
 * replaced by its maximiser σ̂² = (1/n) Σ eₜ²/fₜ. If `mean` is omitted it is also maximised
 * over (μ̂ = Σ aₜbₜ/fₜ ÷ Σ bₜ²/fₜ, writing eₜ = aₜ − μ bₜ). Returns logLik = −Infinity for a
 * non-stationary φ. Use it to draw the likelihood surface over (φ₁, φ₂).
 */
export function arExactLogLik(series: number[], phi: number[], mean?: number): ExactLikelihood {
  const n = series.length;
  const p = phi.length;
  const down = levinsonStepDown(phi);
  if (!down.stationary || n <= p) {
    return { logLik: -Infinity, sigma2: NaN, mean: mean ?? NaN, innovations: [], variances: [] };
  }
  // fₜ for t = 0..p−1 (0-based, t past values): 1 / Π_{j>t} (1 − κⱼ²); then 1.
  const f = new Array<number>(n).fill(1);
  let inv = 1;
  for (let t = p - 1; t >= 0; t--) {
    inv /= 1 - down.pacf[t]! ** 2;
    f[t] = inv;
  }
  // eₜ = aₜ − μ bₜ: aₜ filters x, bₜ filters the constant 1, with the order-min(t, p) predictor.
  const a = new Array<number>(n);
  const b = new Array<number>(n);
  for (let t = 0; t < n; t++) {
    const coef = down.predictors[Math.min(t, p)]!;
    let at = series[t]!;
    let bt = 1;
    for (let j = 1; j <= coef.length; j++) {
      at -= coef[j - 1]! * series[t - j]!;
      bt -= coef[j - 1]!;
    }
    a[t] = at;
    b[t] = bt;
  }
  let mu = mean;
  if (mu === undefined) {
    let num = 0;
    let den = 0;
    for (let t = 0; t < n; t++) {
      num += (a[t]! * b[t]!) / f[t]!;
      den += (b[t]! * b[t]!) / f[t]!;
    }
    mu = num / den;
  }
  const e = new Array<number>(n);
  let ssq = 0;
  let sumLog = 0;
  for (let t = 0; t < n; t++) {
    e[t] = a[t]! - mu * b[t]!;
    ssq += (e[t]! * e[t]!) / f[t]!;
    if (t < p) sumLog += Math.log(f[t]!);
  }
  const sigma2 = ssq / n;
  const logLik = -0.5 * n * (Math.log(2 * Math.PI) + 1 + Math.log(sigma2)) - 0.5 * sumLog;
  return { logLik, sigma2, mean: mu, innovations: e, variances: f };
}

function fitMle(x: number[], p: number): ARFit {
  const n = x.length;
  // Start from Yule–Walker (always stationary), in u = atanh(κ) coordinates.
  const start = levinsonStepDown(fitYuleWalker(x, p).coefficients).pacf;
  const u0 = start.map((k) => Math.atanh(Math.max(-0.99, Math.min(0.99, k))));
  const objective = (u: number[]): number => {
    const kappa = u.map(Math.tanh);
    if (!kappa.every((k) => Math.abs(k) < 1)) return Infinity;
    return -arExactLogLik(x, pacfToAr(kappa)).logLik / n;
  };
  const optimizer = minimize(objective, u0, { method: "bfgs", tolerance: 1e-9 });
  const phi = pacfToAr(optimizer.x.map(Math.tanh));
  const best = arExactLogLik(x, phi);
  const mean = best.mean;
  // Hessian of −ℓ in (φ, μ), with μ measured in units of the sample sd so one step size fits all.
  const scale = Math.sqrt(autocovariance(x, 0)[0]!);
  const negLogLik = (z: number[]): number =>
    -arExactLogLik(x, phi.map((v, i) => v + z[i]!), mean + scale * z[p]!).logLik;
  let seCoefficients = phi.map(() => NaN);
  let seMean = NaN;
  try {
    const cov = invertSpd(numericalHessian(negLogLik, new Array<number>(p + 1).fill(0), 1e-4));
    seCoefficients = phi.map((_, i) => Math.sqrt(cov[i]![i]!));
    seMean = scale * Math.sqrt(cov[p]![p]!);
  } catch {
    // The Hessian is not positive definite (e.g. an optimum on the stationarity boundary).
  }
  const residuals = best.innovations.map((e, t) => e / Math.sqrt(best.variances[t]!));
  const fitted = best.innovations.map((e, t) => x[t]! - e);
  const k = p + 2;
  return {
    method: "mle", p, n, coefficients: phi, intercept: mean * (1 - sum(phi)), mean, sigma2: best.sigma2,
    standardErrors: { coefficients: seCoefficients, mean: seMean }, logLik: best.logLik,
    aic: -2 * best.logLik + 2 * k, bic: -2 * best.logLik + Math.log(n) * k,
    fitted, residuals, stationary: true, optimizer,
  };
}

/** AIC and BIC of the order-0 model (white noise around the mean), in each method's convention. */
function whiteNoiseCriteria(x: number[], method: ARMethod): { aic: number; bic: number } {
  const n = x.length;
  const c0 = autocovariance(x, 0)[0]!;
  if (method === "mle") {
    const minus2LogLik = n * (Math.log(2 * Math.PI) + 1 + Math.log(c0));
    return { aic: minus2LogLik + 4, bic: minus2LogLik + 2 * Math.log(n) };
  }
  return { aic: n * Math.log(c0) + 2, bic: n * Math.log(c0) + Math.log(n) };
}

/** The result of selectAROrder: both criteria over p = 0..maxP, the choice, and the fits. */
export interface OrderSelection {
  /** Orders considered: 0, 1, …, maxP (0 is white noise around the mean, as in R's ar()). */
  orders: number[];
  aic: number[];
  bic: number[];
  criterion: "aic" | "bic";
  /** The chosen order: the first minimiser of the criterion. */
  order: number;
  /** fits[p − 1] is the AR(p) fit, p = 1..maxP. */
  fits: ARFit[];
}

/**
 * Fits AR(0..maxP) by one method and returns both criteria over p and the order minimising
 * the chosen one (default "aic"; method default "mle"). Criteria follow fitAR's conventions,
 * so with "yule-walker" the AIC curve minus its minimum equals R's ar(x, order.max = maxP)$aic,
 * and with "mle" the values equal R's arima(x, c(p, 0, 0), method = "ML")$aic.
 */
export function selectAROrder(
  series: number[],
  maxP: number,
  options: { criterion?: "aic" | "bic"; method?: ARMethod } = {},
): OrderSelection {
  const criterion = options.criterion ?? "aic";
  const method = options.method ?? "mle";
  if (criterion !== "aic" && criterion !== "bic") throw new Error(`Unknown criterion "${criterion}": use "aic" or "bic".`);
  checkInputs(series, maxP, method);
  const fits = Array.from({ length: maxP }, (_, i) => fitAR(series, i + 1, { method }));
  const zero = whiteNoiseCriteria(series, method);
  const aic = [zero.aic, ...fits.map((f) => f.aic)];
  const bic = [zero.bic, ...fits.map((f) => f.bic)];
  const values = criterion === "aic" ? aic : bic;
  const order = values.indexOf(Math.min(...values));
  return { orders: aic.map((_, i) => i), aic, bic, criterion, order, fits };
}

/** The result of rollingOriginCV: forecast errors and their mean square for each order. */
export interface RollingOriginCV {
  /** Orders 0..maxP (0 forecasts with the training mean). */
  orders: number[];
  /** Mean squared h-step forecast error for each order. */
  mse: number[];
  /** errors[p][i]: the forecast error (actual − forecast) of order p at origin i. */
  errors: number[][];
  /** The forecast origins: the training window is series[0..origin). */
  origins: number[];
  /** The order with the smallest mse. */
  order: number;
}

/**
 * Rolling-origin (expanding window) cross-validation. For each origin T = initial,
 * initial + step, … with T + horizon ≤ n, fits AR(p) to series[0..T) and forecasts the
 * value `horizon` steps ahead, series[T + horizon − 1]; the score of p is the mean of the
 * squared errors over origins. Options: initial (default max(⌊n/2⌋, shortest allowed)),
 * horizon (default 1), step (default 1), method (default "ols", the fastest).
 */
export function rollingOriginCV(
  series: number[],
  maxP: number,
  options: { initial?: number; horizon?: number; step?: number; method?: ARMethod } = {},
): RollingOriginCV {
  const method = options.method ?? "ols";
  const horizon = options.horizon ?? 1;
  const step = options.step ?? 1;
  const n = series.length;
  checkInputs(series, maxP, method);
  const shortest = minimumLength(maxP, method);
  const initial = options.initial ?? Math.max(Math.floor(n / 2), shortest);
  if (!Number.isInteger(horizon) || horizon < 1) throw new Error(`The horizon must be a whole number ≥ 1, got ${horizon}.`);
  if (!Number.isInteger(step) || step < 1) throw new Error(`The step must be a whole number ≥ 1, got ${step}.`);
  if (!Number.isInteger(initial) || initial < shortest) {
    throw new Error(`The initial window must be a whole number ≥ ${shortest} for AR(${maxP}) by ${method}, got ${initial}.`);
  }
  if (initial + horizon > n) throw new Error(`No forecast origin: initial (${initial}) + horizon (${horizon}) exceeds the ${n} values.`);
  const origins: number[] = [];
  for (let T = initial; T + horizon <= n; T += step) origins.push(T);
  const errors = Array.from({ length: maxP + 1 }, (_, p) =>
    origins.map((T) => {
      const train = series.slice(0, T);
      const actual = series[T + horizon - 1]!;
      if (p === 0) return actual - sampleMean(train);
      return actual - forecastAR(fitAR(train, p, { method }), train, horizon).mean[horizon - 1]!;
    }),
  );
  const mse = errors.map((e) => e.reduce((s, v) => s + v * v, 0) / e.length);
  return { orders: mse.map((_, p) => p), mse, errors, origins, order: mse.indexOf(Math.min(...mse)) };
}

/** The result of forecastAR: point forecasts with standard errors and a prediction interval. */
export interface ARForecast {
  /** Point forecasts x̂(n+1..n+h). */
  mean: number[];
  /** Forecast standard errors σ √(ψ₀² + … + ψ_{k−1}²), k = 1..h. */
  se: number[];
  /** mean − z·se and mean + z·se with z = Φ⁻¹((1 + level)/2). */
  lower: number[];
  upper: number[];
  level: number;
}

/**
 * Forecasts h steps past the end of `history` (its last p values are the initial state):
 *   x̂(n+k) = c + Σᵢ φᵢ x̂(n+k−i), with x̂(s) = x(s) for s ≤ n,
 * and the (level·100)% interval x̂ ± z·se, se_k = σ √(Σ_{j<k} ψⱼ²) from the MA(∞) weights ψ.
 * For a model fitted by "mle" this is R's predict(arima(...), n.ahead = h) (parameter
 * uncertainty is ignored, as there). Any object with coefficients, intercept and sigma2 works.
 */
export function forecastAR(
  fit: Pick<ARFit, "coefficients" | "intercept" | "sigma2">,
  history: number[],
  h: number,
  options: { level?: number } = {},
): ARForecast {
  const level = options.level ?? 0.95;
  const phi = fit.coefficients;
  const p = phi.length;
  if (!Number.isInteger(h) || h < 1) throw new Error(`The horizon h must be a whole number ≥ 1, got ${h}.`);
  if (!(level > 0 && level < 1)) throw new Error(`The level must lie in (0, 1), got ${level}.`);
  if (history.length < p) throw new Error(`forecastAR needs at least the last ${p} values, got ${history.length}.`);
  if (!history.slice(history.length - p).every(Number.isFinite)) throw new Error("The last p values of the history must be finite.");
  const path = history.slice(history.length - p);
  const mean: number[] = [];
  for (let k = 0; k < h; k++) {
    let v = fit.intercept;
    for (let i = 1; i <= p; i++) v += phi[i - 1]! * path[path.length - i]!;
    path.push(v);
    mean.push(v);
  }
  const psi = psiWeights(phi, [], h);
  const z = normalQuantile((1 + level) / 2);
  let cumulative = 0;
  const se = psi.map((w) => {
    cumulative += w * w;
    return Math.sqrt(fit.sigma2 * cumulative);
  });
  return {
    mean, se, level,
    lower: mean.map((m, k) => m - z * se[k]!),
    upper: mean.map((m, k) => m + z * se[k]!),
  };
}
