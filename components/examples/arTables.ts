// The tables of the "Autoregressive models" page as plain data (columns and rows of numbers),
// built from the math core's results: the three fits side by side, the values at the scrubbed
// time step, the forecast, the Ljung–Box tests, the VAR matrices, and the comparison with R.
// Pure TypeScript: the page hands the data to CoefficientTable / ValueTable.
import { acf } from "../core/acf.js";
import { fitAR, forecastAR, selectAROrder, type ARFit } from "../core/ar.js";
import { ljungBox, type LjungBoxResult } from "../core/ljungBox.js";
import { fitVAR, type VARFit } from "../core/var.js";
import type { CoefficientTableData } from "../ui/coefficientTable.js";
import type { ValueTableRow } from "../ui/valueTable.js";
import { METHOD_COLORS, METHOD_LABELS, type OriginForecast } from "./arModels.js";

/** Coefficients, mean, intercept, σ², likelihood and criteria of several fits, one column group each. */
export function estimationTable(fits: ARFit[]): CoefficientTableData {
  const p = Math.max(...fits.map((f) => f.p));
  const rows: CoefficientTableData["rows"] = [];
  for (let i = 0; i < p; i++) {
    rows.push({
      label: `$\\phi_{${i + 1}}$`,
      values: fits.map((f) => f.coefficients[i] ?? null),
      se: fits.map((f) => f.standardErrors.coefficients[i] ?? null),
    });
  }
  rows.push(
    { label: "mean $\\mu$", values: fits.map((f) => f.mean), se: fits.map((f) => f.standardErrors.mean) },
    { label: "intercept $c = \\mu(1 - \\sum_i \\phi_i)$", values: fits.map((f) => f.intercept) },
    { label: "innovation variance $\\sigma^2$", values: fits.map((f) => f.sigma2) },
    { label: "log-likelihood $\\ell$ (exact)", values: fits.map((f) => f.logLik) },
    { label: "AIC (the method's convention)", values: fits.map((f) => f.aic) },
    { label: "BIC (the method's convention)", values: fits.map((f) => f.bic) },
    { label: "stationary", values: fits.map((f) => (f.stationary ? "yes" : "no")) },
  );
  return { columns: fits.map((f) => ({ label: METHOD_LABELS[f.method], color: METHOD_COLORS[f.method] })), rows };
}

/** Every quantity of the fitted-values view at time step t: the value, each fit's prediction and error. */
export function fittedRowsAt(x: number[], years: number[], fits: ARFit[], t: number): ValueTableRow[] {
  const labels = fits.map((f) => METHOD_LABELS[f.method]);
  return [
    { label: "year", values: years[t]! },
    { label: "observed $x^{(t)}$", values: x[t]! },
    // A fit to part of the series (an edited cell) has no prediction past its end: NaN.
    { label: "one-step prediction $\\hat x^{(t)}$", values: fits.map((f) => f.fitted[t] ?? NaN), unitLabels: labels },
    { label: "prediction error $x^{(t)} - \\hat x^{(t)}$", values: fits.map((f) => x[t]! - (f.fitted[t] ?? NaN)), unitLabels: labels },
  ];
}

/** The forecast as a table: one row per step ahead. */
export function forecastTable(years: number[], result: OriginForecast): CoefficientTableData {
  const { origin, forecast, actual } = result;
  const dx = years.length > 1 ? years[1]! - years[0]! : 1;
  const level = `${Math.round(forecast.level * 100)}%`;
  return {
    columns: [
      { label: "year", withSe: false },
      { label: "forecast $\\hat x^{(n+k)}$", withSe: false },
      { label: "standard error", withSe: false },
      { label: `${level} lower`, withSe: false },
      { label: `${level} upper`, withSe: false },
      { label: "observed", withSe: false },
    ],
    rows: forecast.mean.map((m, k) => ({
      label: `$k = ${k + 1}$`,
      values: [years[origin]! + (k + 1) * dx, m, forecast.se[k]!, forecast.lower[k]!, forecast.upper[k]!, actual[k] ?? null],
    })),
  };
}

/** Ljung–Box tests on each fit's residuals over lags 1..m, fitdf = p (as R's Box.test(resid, m, fitdf = p)). */
export function residualTests(fits: ARFit[], m: number): LjungBoxResult[] {
  return fits.map((f) => ljungBox(f.residuals, m, f.p));
}

export function residualTestTable(fits: ARFit[], tests: LjungBoxResult[]): CoefficientTableData {
  return {
    columns: fits.map((f) => ({ label: METHOD_LABELS[f.method], withSe: false, color: METHOD_COLORS[f.method] })),
    rows: [
      { label: "residuals used", values: tests.map((r) => r.n) },
      { label: "$Q$", values: tests.map((r) => r.statistic) },
      { label: "degrees of freedom $m - p$", values: tests.map((r) => r.df) },
      { label: "p-value", values: tests.map((r) => r.pValue) },
    ],
  };
}

/** Φᵢ of a VAR as a table: rows are equations (the component at t), columns the components at t − i. */
export function varMatrixTable(fit: VARFit, lag: number, names: string[]): CoefficientTableData {
  const Phi = fit.coefficients[lag - 1]!;
  const se = fit.standardErrors.coefficients[lag - 1]!;
  return {
    columns: names.map((name) => ({ label: `${name} at $t-${lag}$` })),
    rows: names.map((name, r) => ({ label: `${name} at $t$`, values: Phi[r]!, se: se[r]! })),
  };
}

/** The intercept c and the innovation covariance Σ̂ (divisor N = n − p) of a VAR. */
export function varNoiseTable(fit: VARFit, names: string[]): CoefficientTableData {
  return {
    columns: [{ label: "intercept $c$" }, ...names.map((name) => ({ label: `$\\hat\\Sigma$: ${name}`, withSe: false }))],
    rows: names.map((name, r) => ({
      label: `${name} equation`,
      values: [fit.intercept[r]!, ...fit.sigma[r]!],
      se: [fit.standardErrors.intercept[r]!, ...names.map(() => null)],
    })),
  };
}

/** One comparison of the page's (the core's) number with the number R prints. */
export interface ReferenceCheck {
  quantity: string;
  /** The R call, as run in R 4.2.2. */
  call: string;
  /** R's value (to more digits than shown). */
  r: number;
  ours: number;
  /** Decimals shown; the two agree when they round to the same text. */
  digits: number;
}

/**
 * The core's numbers next to R 4.2.2's for the classic data sets. R's values are the ones the
 * unit tests pin (test/unit/ar.test.ts, acf.test.ts, var.test.ts), shown to the decimals R prints.
 * For arima, R's default optimiser stops early (reltol 1e-8); its printed decimals are unaffected.
 */
export function referenceChecks(logLynx: number[], sunspots: number[], nile: number[], varRows: number[][]): ReferenceCheck[] {
  const yw = fitAR(logLynx, 2, { method: "yule-walker" });
  const ols = fitAR(logLynx, 2, { method: "ols" });
  const mle = fitAR(sunspots, 2, { method: "mle" });
  const nile1 = fitAR(nile, 1, { method: "mle" });
  const nileForecast = forecastAR(nile1, nile, 5);
  const yw11 = fitAR(logLynx, 11, { method: "yule-walker" });
  const lb = ljungBox(yw11.residuals, 20, 11);
  const v = fitVAR(varRows, 2);
  const ywCall = "ar.yw(log10(lynx), aic = FALSE, order.max = 2)";
  const olsCall = "ar.ols(log10(lynx), aic = FALSE, order.max = 2, demean = TRUE, intercept = TRUE)";
  const mleCall = 'arima(sunspot.year, order = c(2, 0, 0), method = "ML")';
  return [
    { quantity: "$r(1)$ of $\\log_{10}$ lynx", call: "acf(log10(lynx))$acf[2]", r: 0.785124044940165522, ours: acf(logLynx, 1)[1]!, digits: 6 },
    { quantity: "Yule–Walker AR(2), $\\log_{10}$ lynx: $\\hat\\phi_1$", call: `${ywCall}$ar[1]`, r: 1.35043761014640529, ours: yw.coefficients[0]!, digits: 6 },
    { quantity: "Yule–Walker AR(2): $\\hat\\phi_2$", call: `${ywCall}$ar[2]`, r: -0.72003089046817215, ours: yw.coefficients[1]!, digits: 6 },
    { quantity: "Yule–Walker AR(2): $\\hat\\sigma^2$", call: `${ywCall}$var.pred`, r: 0.05863573020238156, ours: yw.sigma2, digits: 6 },
    { quantity: "Yule–Walker AR(2): s.e. of $\\hat\\phi_1$", call: `sqrt(diag(${ywCall}$asy.var.coef))[1]`, r: 0.065866060979334687, ours: yw.standardErrors.coefficients[0]!, digits: 6 },
    { quantity: "least squares AR(2), $\\log_{10}$ lynx: $\\hat\\phi_1$", call: `${olsCall}$ar`, r: 1.38423771163936427, ours: ols.coefficients[0]!, digits: 6 },
    { quantity: "least squares AR(2): $\\hat\\phi_2$", call: `${olsCall}$ar`, r: -0.74777572038436524, ours: ols.coefficients[1]!, digits: 6 },
    { quantity: "least squares AR(2): $\\hat\\sigma^2$", call: `${olsCall}$var.pred`, r: 0.051630186086787752, ours: ols.sigma2, digits: 6 },
    { quantity: "exact MLE AR(2), sunspots: $\\hat\\phi_1$", call: mleCall, r: 1.388629964379185, ours: mle.coefficients[0]!, digits: 4 },
    { quantity: "exact MLE AR(2): $\\hat\\phi_2$", call: mleCall, r: -0.690629274390724, ours: mle.coefficients[1]!, digits: 4 },
    { quantity: "exact MLE AR(2): $\\hat\\mu$ (R labels it intercept)", call: mleCall, r: 49.128426347243696, ours: mle.mean, digits: 4 },
    { quantity: "exact MLE AR(2): s.e. of $\\hat\\phi_1$", call: mleCall, r: 0.0433695952006431, ours: mle.standardErrors.coefficients[0]!, digits: 4 },
    { quantity: "exact MLE AR(2): $\\hat\\sigma^2$", call: mleCall, r: 273.641537614472, ours: mle.sigma2, digits: 1 },
    { quantity: "exact MLE AR(2): log-likelihood", call: mleCall, r: -1222.19061628797, ours: mle.logLik!, digits: 2 },
    { quantity: "exact MLE AR(2): AIC", call: mleCall, r: 2452.38123257593, ours: mle.aic, digits: 2 },
    { quantity: "order chosen by AIC (Yule–Walker, $p \\le 20$), $\\log_{10}$ lynx", call: "ar(log10(lynx))$order", r: 11, ours: selectAROrder(logLynx, 20, { method: "yule-walker" }).order, digits: 0 },
    { quantity: "Nile AR(1) by MLE: forecast of 1971", call: 'predict(arima(Nile, order = c(1, 0, 0), method = "ML"), n.ahead = 5)$pred[1]', r: 828.656121024306, ours: nileForecast.mean[0]!, digits: 2 },
    { quantity: "Nile AR(1): its standard error", call: "…$se[1]", r: 145.343862719777, ours: nileForecast.se[0]!, digits: 2 },
    { quantity: "Ljung–Box on the Yule–Walker AR(11) residuals, $\\log_{10}$ lynx: $Q$", call: 'Box.test(na.omit(ar.yw(log10(lynx), aic = FALSE, order.max = 11)$resid), lag = 20, type = "Ljung-Box", fitdf = 11)', r: 9.0840422286913434, ours: lb.statistic, digits: 4 },
    { quantity: "the same test: p-value", call: "…$p.value", r: 0.42955282792613758, ours: lb.pValue, digits: 4 },
    { quantity: "VAR(2) of ($\\log_{10}$ lynx, $\\log_{10}$ sunspots): lynx intercept", call: "lm(lynx(t) ~ lynx(t−1) + sun(t−1) + lynx(t−2) + sun(t−2))", r: 1.13352288212768415, ours: v.intercept[0]!, digits: 4 },
    { quantity: "VAR(2): $(\\Phi_1)_{11}$, lynx on lynx at lag 1", call: "the same lm", r: 1.36845723070520098, ours: v.coefficients[0]![0]![0]!, digits: 4 },
    { quantity: "VAR(2): $(\\Phi_1)_{12}$, lynx on sunspots at lag 1", call: "the same lm", r: 0.09564545083489788, ours: v.coefficients[0]![0]![1]!, digits: 4 },
  ];
}

/** Whether a check's two numbers print the same at its decimals. */
export function checkAgrees(check: ReferenceCheck): boolean {
  return check.r.toFixed(check.digits) === check.ours.toFixed(check.digits);
}
