// The computations behind the "Autoregressive models" page that are not in the math core:
// which real series the page fits, one-step predictions, the overfitting curves, order
// selection and cross-validation run a step at a time (so the page stays responsive), the
// forecast from a chosen origin, the VAR data, and the time-reversal check of "where AR falls
// short". Pure TypeScript (no DOM), so the unit tests can check every number.
import { acf } from "../core/acf.js";
import { fitAR, forecastAR, minimumLength, selectAROrder, type ARFit, type ARForecast, type ARMethod } from "../core/ar.js";
import { simulateARMA } from "../core/arma.js";
import type { Series } from "../core/series.js";

/** The three estimators, in the order the page shows them. */
export const AR_METHODS: ARMethod[] = ["yule-walker", "ols", "mle"];

/** How the page names each estimator. */
export const METHOD_LABELS: Record<ARMethod, string> = {
  "yule-walker": "Yule–Walker",
  ols: "conditional least squares",
  mle: "exact Gaussian MLE",
};

/** Line colours of the three estimators, used by every chart on the page. */
export const METHOD_COLORS: Record<ARMethod, string> = {
  "yule-walker": "#2563eb",
  ols: "#d97706",
  mle: "#16a34a",
};

/** A real series prepared for fitting: values, their years, and how to name them. */
export interface ArSeries {
  key: string;
  /** Menu label. */
  label: string;
  /** Axis label of the values, may contain TeX. */
  valueLabel: string;
  /** The file in data/ (without extension) for the provenance link. */
  file: string;
  years: number[];
  values: number[];
}

/**
 * The series the page fits: log₁₀ lynx trappings (the classic AR example), annual sunspot
 * numbers and the Nile flow, from the parsed CSVs.
 */
export function arSeriesOptions(lynx: Series, sunspots: Series, nile: Series): ArSeries[] {
  return [
    { key: "lynx", label: "log₁₀ lynx trappings, 1821–1934", valueLabel: "$\\log_{10}$ lynx trapped", file: "lynx", years: lynx.times, values: lynx.values.map(Math.log10) },
    { key: "sunspots", label: "sunspot numbers, 1700–1988", valueLabel: "sunspot number", file: "sunspots-annual", years: sunspots.times, values: sunspots.values.slice() },
    { key: "nile", label: "Nile flow, 1871–1970", valueLabel: "flow ($10^8\\,\\mathrm{m}^3$)", file: "nile", years: nile.times, values: nile.values.slice() },
  ];
}

/**
 * One-step predictions x̂(t) = c + Σᵢ φᵢ x(t−i) of a fitted (or any) AR model, for every t with
 * p past values (NaN for t < p). Unlike ARFit.fitted, this also works on data the model was not
 * fitted to, which is what the held-out part of the overfitting view needs.
 */
export function oneStepPredictions(model: Pick<ARFit, "coefficients" | "intercept">, x: number[]): number[] {
  const phi = model.coefficients;
  const p = phi.length;
  return x.map((_, t) => {
    if (t < p) return NaN;
    let v = model.intercept;
    for (let i = 1; i <= p; i++) v += phi[i - 1]! * x[t - i]!;
    return v;
  });
}

/** Mean of the squared differences over the indices [from, to) where both are finite. */
export function meanSquaredError(actual: number[], predicted: number[], from = 0, to = actual.length): number {
  let s = 0;
  let count = 0;
  for (let t = from; t < to; t++) {
    const e = actual[t]! - predicted[t]!;
    if (Number.isFinite(e)) {
      s += e * e;
      count++;
    }
  }
  return count > 0 ? s / count : NaN;
}

/** The overfitting view: OLS fits of order 1..maxP on the training part, scored on both parts. */
export interface OverfitCurves {
  orders: number[];
  /** In-sample mean squared one-step error over t = p+1..trainSize (OLS's σ², RSS / (trainSize − p)). */
  train: number[];
  /** Mean squared one-step error on the held-out values t = trainSize+1..n. */
  heldOut: number[];
  trainSize: number;
}

/**
 * Fits AR(1..maxP) by conditional least squares to x[0..trainSize) and scores one-step
 * predictions inside and outside the training part. The held-out predictions use the true
 * past values (not earlier predictions), so every order is scored on the same targets.
 */
export function overfittingCurves(x: number[], trainSize: number, maxP: number): OverfitCurves {
  if (trainSize < minimumLength(maxP, "ols")) throw new Error(`The training part (${trainSize} values) is too short for AR(${maxP}) by least squares: it needs ${minimumLength(maxP, "ols")}.`);
  if (trainSize >= x.length) throw new Error("Nothing is held out: the training part must be shorter than the series.");
  const train = x.slice(0, trainSize);
  const orders: number[] = [];
  const trainMse: number[] = [];
  const heldOut: number[] = [];
  for (let p = 1; p <= maxP; p++) {
    const fit = fitAR(train, p, { method: "ols" });
    const predicted = oneStepPredictions(fit, x);
    orders.push(p);
    trainMse.push(fit.sigma2);
    heldOut.push(meanSquaredError(x, predicted, trainSize));
  }
  return { orders, train: trainMse, heldOut, trainSize };
}

/** Information criteria over orders 0..maxP, as selectAROrder returns them (possibly partial). */
export interface CriteriaCurves {
  method: ARMethod;
  orders: number[];
  aic: number[];
  bic: number[];
  /** How many of the orders 0..maxP are computed so far. */
  done: number;
  maxP: number;
}

/** Pauses so that the page can draw and answer the reader between two slow steps. */
export function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * selectAROrder's AIC and BIC curves, one order at a time: yields after each fit with the
 * curves so far, and finally the full curves (equal to selectAROrder(x, maxP, {method})).
 * The exact MLE up to p = 20 takes about a second, which this spreads out.
 */
export async function* criteriaProgressively(x: number[], maxP: number, method: ARMethod): AsyncGenerator<CriteriaCurves> {
  // Order 0 (white noise around the mean) in the method's convention: selectAROrder up to p = 1.
  const start = selectAROrder(x, 1, { method });
  const aic = [start.aic[0]!, start.aic[1]!];
  const bic = [start.bic[0]!, start.bic[1]!];
  const snapshot = (): CriteriaCurves => ({ method, orders: aic.map((_, i) => i), aic: aic.slice(), bic: bic.slice(), done: aic.length, maxP });
  yield snapshot();
  for (let p = 2; p <= maxP; p++) {
    await pause();
    const fit = fitAR(x, p, { method });
    aic.push(fit.aic);
    bic.push(fit.bic);
    yield snapshot();
  }
}

/** Index of the first minimum of the finite values (−1 if none). */
export function argMin(values: number[]): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!) && (best < 0 || values[i]! < values[best]!)) best = i;
  return best;
}

/** Each value minus the smallest (R's ar()$aic convention). */
export function relativeToMinimum(values: number[]): number[] {
  const min = Math.min(...values.filter(Number.isFinite));
  return values.map((v) => v - min);
}

/** Rolling-origin cross-validation scores, possibly partial (see cvProgressively). */
export interface CvCurves {
  orders: number[];
  mse: number[];
  origins: number[];
  horizon: number;
  done: number;
  maxP: number;
}

/**
 * rollingOriginCV (OLS fits, expanding window) one order at a time, yielding after each order.
 * Origins T = initial, initial + 1, … with T + horizon ≤ n; initial defaults to the core's
 * max(⌊n/2⌋, 2·maxP + 2). The final yield equals rollingOriginCV(x, maxP, {initial, horizon}).
 */
export async function* cvProgressively(x: number[], maxP: number, { horizon = 1, initial }: { horizon?: number; initial?: number } = {}): AsyncGenerator<CvCurves> {
  const n = x.length;
  const first = initial ?? Math.max(Math.floor(n / 2), minimumLength(maxP, "ols"));
  if (first + horizon > n) throw new Error(`No forecast origin: ${first} training values plus horizon ${horizon} exceed the ${n} values.`);
  const origins: number[] = [];
  for (let T = first; T + horizon <= n; T++) origins.push(T);
  const mse: number[] = [];
  for (let p = 0; p <= maxP; p++) {
    if (p > 0) await pause();
    let s = 0;
    for (const T of origins) {
      const train = x.slice(0, T);
      const actual = x[T + horizon - 1]!;
      const forecast = p === 0 ? train.reduce((a, v) => a + v, 0) / T : forecastAR(fitAR(train, p, { method: "ols" }), train, horizon).mean[horizon - 1]!;
      s += (actual - forecast) ** 2;
    }
    mse.push(s / origins.length);
    yield { orders: mse.map((_, i) => i), mse: mse.slice(), origins, horizon, done: mse.length, maxP };
  }
}

/** A forecast from a chosen origin: the model fitted to x[0..origin] and its h-step forecast. */
export interface OriginForecast {
  /** Index of the last value used (the origin). */
  origin: number;
  fit: ARFit;
  forecast: ARForecast;
  /** The values that actually followed the origin (up to h of them; fewer at the end). */
  actual: number[];
}

/** Fits AR(p) by `method` to x[0..origin] (inclusive) and forecasts h steps past it. */
export function forecastFromOrigin(x: number[], origin: number, p: number, method: ARMethod, h: number, level = 0.95): OriginForecast {
  const history = x.slice(0, origin + 1);
  const fit = fitAR(history, p, { method });
  const forecast = forecastAR(fit, history, h, { level });
  return { origin, fit, forecast, actual: x.slice(origin + 1, origin + 1 + h) };
}

/** The earliest origin index at which forecastFromOrigin can fit AR(p) by `method`, with some data to spare. */
export function earliestOrigin(p: number, method: ARMethod): number {
  return Math.max(minimumLength(p, method), 3 * p + 10) - 1;
}

/** Period (in steps) of the pseudo-cycles of an AR(2) with complex roots, 2π / arccos(φ₁ / (2√(−φ₂))); null for real roots. */
export function ar2Period(phi1: number, phi2: number): number | null {
  if (!(phi1 * phi1 + 4 * phi2 < 0)) return null;
  return (2 * Math.PI) / Math.acos(phi1 / (2 * Math.sqrt(-phi2)));
}

/** Sample skewness (1/n) Σ (x − x̄)³ / ((1/n) Σ (x − x̄)²)^{3/2}. */
export function skewness(x: number[]): number {
  const n = x.length;
  const mean = x.reduce((s, v) => s + v, 0) / n;
  let m2 = 0;
  let m3 = 0;
  for (const v of x) {
    const d = v - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  return m3 / m2 ** 1.5;
}

/** First differences x(t) − x(t−1). */
export function differences(x: number[]): number[] {
  return x.slice(1).map((v, t) => v - x[t]!);
}

/** The time-reversal check: a statistic of the data against its distribution under the fitted AR. */
export interface ReversibilityCheck {
  /** Skewness of the data's first differences. */
  observed: number;
  /** The same statistic on each simulated series. */
  simulated: number[];
  /** Share of simulated series whose statistic is at least as far from 0 as the observed one. */
  shareAsExtreme: number;
  /** Share of all simulated values below zero (impossible for a count). */
  negativeShare: number;
  /** The first simulated series, to draw. */
  example: number[];
}

/**
 * Simulates `replicates` series of the data's length from a fitted AR (Gaussian, with the fit's
 * φ, μ and σ²; seeds seed, seed + 1, …) and compares the skewness of first differences. A
 * stationary Gaussian AR is time-reversible, so its differences are symmetric: skewness near 0.
 */
export function reversibilityCheck(x: number[], fit: Pick<ARFit, "coefficients" | "mean" | "sigma2">, replicates: number, seed: number): ReversibilityCheck {
  const observed = skewness(differences(x));
  const simulated: number[] = [];
  let negative = 0;
  let total = 0;
  let example: number[] = [];
  for (let r = 0; r < replicates; r++) {
    const values = simulateARMA({ phi: fit.coefficients, sigma: Math.sqrt(fit.sigma2), mean: fit.mean, n: x.length, seed: seed + r }).values;
    if (r === 0) example = values;
    simulated.push(skewness(differences(values)));
    for (const v of values) if (v < 0) negative++;
    total += values.length;
  }
  return { observed, simulated, shareAsExtreme: simulated.filter((s) => Math.abs(s) >= Math.abs(observed)).length / replicates, negativeShare: negative / total, example };
}

/** Rows (log₁₀ lynx, log₁₀ sunspots) for the years both series cover, 1821–1934, with their years. */
export function lynxSunspotRows(lynx: Series, sunspots: Series): { years: number[]; rows: number[][] } {
  const years: number[] = [];
  const rows: number[][] = [];
  lynx.times.forEach((year, i) => {
    const j = sunspots.times.indexOf(year);
    if (j < 0) return;
    years.push(year);
    rows.push([Math.log10(lynx.values[i]!), Math.log10(sunspots.values[j]!)]);
  });
  return { years, rows };
}

/** How many of r(1..maxLag) lie outside ±band. */
export function countOutsideBand(r: number[], band: number, fromLag = 1): number {
  return r.slice(fromLag).filter((v) => Math.abs(v) > band).length;
}

/** Sample autocorrelations of the residuals that are finite (an AR fit's first p are NaN). */
export function residualAcf(residuals: number[], maxLag: number): number[] {
  return acf(residuals.filter(Number.isFinite), maxLag);
}
