// Autoregressions: Yule–Walker, OLS and exact MLE fits, order selection, cross-validation,
// forecasts, Ljung–Box, and the ARMA theory (roots, ACF/PACF, simulation), against R 4.2.2,
// closed forms and simulation. R numbers were printed in this session with
// options(digits = 17); every block names the exact R call.
//
// About the MLE references: R's arima stops BFGS at reltol = 1e-8, which leaves its
// coefficients off by up to ~2e-4 (sunspots AR(9)). We therefore compare with R run to
// convergence, arima(..., method = "ML", optim.control = list(reltol = 1e-15, maxit = 5000))
// ("R tight"), and check that our log-likelihood is at least R's default one.
// Standard errors: R's default var.coef differentiates in its transformed (PACF) coordinates
// with optim's ndeps = 1e-3, which moves the SEs by up to 7e-4 relative. Our Hessian is taken
// in (φ, μ) directly, so the reference is R's Hessian in those coordinates at the tight optimum:
//   arima(x, c(p, 0, 0), method = "ML", transform.pars = FALSE, init = coef(tight),
//         optim.control = list(maxit = 0, ndeps = rep(1e-4, p + 1)))   ("R Hessian").
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseSeriesCsv } from "../../components/core/series.js";
import { autocovariance, acf } from "../../components/core/acf.js";
import { arExactLogLik, fitAR, forecastAR, rollingOriginCV, selectAROrder, type ARFit } from "../../components/core/ar.js";
import {
  armaAcf, armaAutocovariance, armaPacf, arRoots, arToPacf, isStationary, isStationaryAR2, pacfToAr, psiWeights, simulateARMA,
} from "../../components/core/arma.js";
import { ljungBox } from "../../components/core/ljungBox.js";
import { polyRoots } from "../../components/core/polyRoots.js";
import { createRng } from "../../components/core/random.js";
import { logDetSpd, solveSpd } from "../../components/core/optimize.js";

const load = (file: string) => parseSeriesCsv(readFileSync(new URL(`../../data/${file}`, import.meta.url), "utf8")).values;
const lynx = load("lynx.csv");
const logLynx = lynx.map(Math.log10); // log10, as is customary for the lynx series
const sunspots = load("sunspots-annual.csv"); // R's sunspot.year
const nile = load("nile.csv");

function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (diff ${Math.abs(actual - expected)})`);
}
function nearAll(actual: number[], expected: number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: lengths`);
  actual.forEach((v, i) => near(v, expected[i]!, tol, `${what}[${i}]`));
}
const relNear = (a: number, e: number, tol: number, what: string) => near(a / e, 1, tol, what);

// ---------------------------------------------------------------- Yule–Walker

test("Yule–Walker AR(2) and AR(11) of log10(lynx) match R's ar.yw: φ, var.pred, asymptotic SEs", () => {
  // R: a <- ar.yw(log10(lynx), aic = FALSE, order.max = 2); a$ar; a$var.pred; a$x.mean; sqrt(diag(a$asy.var.coef))
  const f2 = fitAR(logLynx, 2, { method: "yule-walker" });
  nearAll(f2.coefficients, [1.35043761014640529, -0.72003089046817215], 1e-12, "AR(2) φ");
  near(f2.sigma2, 0.05863573020238156, 1e-14, "AR(2) var.pred");
  near(f2.mean, 2.9036637532691207, 1e-14, "x.mean");
  nearAll(f2.standardErrors.coefficients, [0.065866060979334687, 0.065866060979334673], 1e-12, "AR(2) SE");
  near(f2.intercept, f2.mean * (1 - f2.coefficients[0]! - f2.coefficients[1]!), 1e-15, "c = μ(1 − Σφ)");
  assert.equal(f2.logLik, null);
  assert.equal(f2.standardErrors.mean, null);
  // R: a <- ar.yw(log10(lynx), aic = FALSE, order.max = 11); a$ar; a$var.pred; sqrt(diag(a$asy.var.coef))
  const f11 = fitAR(logLynx, 11, { method: "yule-walker" });
  nearAll(f11.coefficients, [
    1.138708613273950565, -0.508033377827769916, 0.212650780229238001, -0.270176974602518938, 0.112690025761801565,
    -0.123980340371288272, 0.067724191376552653, -0.040042423643674011, 0.133700072631955907, 0.185273048211407027,
    -0.310958526358042220,
  ], 1e-12, "AR(11) φ");
  near(f11.sigma2, 0.047710072678281236, 1e-14, "AR(11) var.pred");
  nearAll(f11.standardErrors.coefficients, [
    0.094105947535848972, 0.145711102785142932, 0.153580093494110032, 0.154966003882259645, 0.157115050643547055,
    0.157031660016770103, 0.157115050643546944, 0.154966003882259840, 0.153580093494110281, 0.145711102785142932,
    0.094105947535848944,
  ], 1e-12, "AR(11) SE");
  assert.ok(f11.stationary);
  // Residuals as R's a$resid: NaN for t ≤ p, then (x − x̄) − Σ φ (x − x̄) at lag.
  assert.ok(Number.isNaN(f11.residuals[10]!) && Number.isFinite(f11.residuals[11]!));
});

// ---------------------------------------------------------------- OLS

test("OLS AR(2) of log10(lynx) matches R's ar.ols with demean and intercept", () => {
  // R: o <- ar.ols(log10(lynx), aic = FALSE, order.max = 2, demean = TRUE, intercept = TRUE)
  //    o$ar; o$x.intercept; o$var.pred; o$asy.se.coef$ar
  const f = fitAR(logLynx, 2, { method: "ols" });
  nearAll(f.coefficients, [1.38423771163936427, -0.74777572038436524], 1e-12, "φ");
  near(f.sigma2, 0.051630186086787752, 1e-14, "var.pred (RSS / (n − p))");
  nearAll(f.standardErrors.coefficients, [0.063033254643333994, 0.063086238113521820], 1e-12, "SE");
  // R's x.intercept is the intercept of the demeaned regression: c − x̄ (1 − Σφ).
  const xbar = 2.9036637532691207;
  near(f.intercept - xbar * (1 - f.coefficients[0]! - f.coefficients[1]!), 0.0020083175139623552, 1e-12, "x.intercept");
  const t = 40;
  near(f.fitted[t]! + f.residuals[t]!, logLynx[t]!, 1e-14, "fitted + residual = x");
});

// ---------------------------------------------------------------- MLE

interface MleReference {
  coef: number[]; mean: number; sigma2: number; logLik: number; aic: number;
  /** From "R Hessian"; defaultSe: R tight's own var.coef. */
  se: number[]; seMean: number; defaultSe: number[];
}
function checkMle(fit: ARFit, tight: MleReference, defaultLogLik: number, defaultCoef: number[], what: string): void {
  nearAll(fit.coefficients, tight.coef, 5e-6, `${what} φ vs R tight`);
  relNear(fit.mean, tight.mean, 1e-6, `${what} μ vs R tight`);
  relNear(fit.sigma2, tight.sigma2, 1e-6, `${what} σ² vs R tight`);
  near(fit.logLik!, tight.logLik, 1e-7, `${what} log-likelihood vs R tight`);
  near(fit.aic, tight.aic, 2e-7, `${what} AIC vs R tight`);
  fit.standardErrors.coefficients.forEach((s, i) => relNear(s, tight.se[i]!, 2e-5, `${what} SE(φ${i + 1})`));
  relNear(fit.standardErrors.mean!, tight.seMean, 5e-5, `${what} SE(μ)`);
  fit.standardErrors.coefficients.forEach((s, i) => relNear(s, tight.defaultSe[i]!, 1e-3, `${what} SE(φ${i + 1}) vs var.coef`));
  // Against R's default stopping rule: at least as good an optimum, coefficients close.
  assert.ok(fit.logLik! >= defaultLogLik - 1e-9, `${what}: our ℓ ${fit.logLik} below R default ${defaultLogLik}`);
  nearAll(fit.coefficients, defaultCoef, 5e-4, `${what} φ vs R default`);
  near(fit.bic - fit.aic, (Math.log(fit.n) - 2) * (fit.p + 2), 1e-9, `${what} BIC − AIC`);
}

test("exact MLE AR(2) and AR(9) of sunspots match R's arima(method = \"ML\")", () => {
  // R tight: f <- arima(sunspot.year, order = c(2, 0, 0), method = "ML", optim.control = ctl)
  //   f$coef; sqrt(diag(f$var.coef)); f$sigma2; f$loglik; f$aic
  const f2 = fitAR(sunspots, 2, { method: "mle" });
  checkMle(f2, {
    coef: [1.388629964379185, -0.690629274390724], mean: 49.128426347243696,
    se: [0.043361062505166158, 0.043309618191395026], seMean: 3.2221480344721418,
    defaultSe: [0.0433695952006431, 0.0433395111389275],
    sigma2: 273.641537614472, logLik: -1222.19061628797, aic: 2452.38123257593,
  }, -1222.1906165569917, [1.3886516299040355, -0.6906435762689590], "sunspots AR(2)");
  // R tight BIC(f) = 2467.0469393283838
  near(f2.bic, 2467.0469393283838, 2e-7, "sunspots AR(2) BIC");
  // R tight head(resid(f), 4): standardised innovations, including t ≤ p.
  nearAll(f2.residuals.slice(0, 4), [-18.2037120836832713, -1.3615987462119132, -10.6585340950377194, -6.4579082705893001], 2e-4, "residuals");
  const f9 = fitAR(sunspots, 9, { method: "mle" });
  checkMle(f9, {
    coef: [1.18506739832044494, -0.41972059273150858, -0.16723111412156599, 0.18226780176764287, -0.13255264123794452,
      0.04575457410631366, 0.00665388506896064, -0.02874489637341784, 0.22181824539940820],
    mean: 49.76620857182840041,
    se: [0.057857166666845726, 0.091123265286449179, 0.094358984098905946, 0.094804949293790464, 0.095487159270418676,
      0.096098691998199509, 0.096255253202311541, 0.092515207454156062, 0.058861071370747878],
    seMean: 7.7351569490241827,
    defaultSe: [0.0578658722131925, 0.0911387872278342, 0.0943568598957137, 0.0948000959026181, 0.0954732350125933,
      0.0960773911130744, 0.0962324348825587, 0.0924931761513982, 0.0588481488824981], sigma2: 221.887113940759, logLik: -1192.73991970281, aic: 2407.47983940561,
  }, -1192.7399977155451, [1.1852917535422735629, -0.4199351422255332977, -0.1671885646474177978, 0.1822987719635495996,
    -0.1326230710941549151, 0.0457929117136272323, 0.0066594090164712183, -0.0287882593040988399, 0.2218201586508874168],
  "sunspots AR(9)");
});

test("exact MLE AR(1) of the Nile matches R, and forecasts match predict(arima(...), n.ahead = 5)", () => {
  // R tight: arima(Nile, order = c(1, 0, 0), method = "ML", optim.control = ctl)
  const f = fitAR(nile, 1, { method: "mle" });
  checkMle(f, {
    coef: [0.506270155082281], mean: 919.564030687836635,
    se: [0.086696930997532784], seMean: 29.140666586281803, defaultSe: [0.0866531006004684],
    sigma2: 21124.8384303053, logLik: -639.952158659238, aic: 1285.90431731848,
  }, -639.95215880760225, [0.50629113455536978], "Nile AR(1)");
  // R tight: p <- predict(f, n.ahead = 5); p$pred; p$se
  const fc = forecastAR(f, nile, 5);
  nearAll(fc.mean, [828.656121024306, 873.540069164275, 896.263472549802, 907.767653505790, 913.591876982473], 1e-3, "pred");
  nearAll(fc.se, [145.343862719777, 162.908976335471, 167.114096372300, 168.174980491415, 168.445819401985], 1e-4, "se");
  near(fc.upper[0]! - fc.mean[0]!, 1.959963984540054 * fc.se[0]!, 1e-9, "95% half-width");
});

test("the exact likelihood equals the multivariate normal density with the AR's Toeplitz covariance", () => {
  // Independent route: ℓ = −½ [n ln 2π + ln det(σ²Γ) + (x − μ)ᵀ (σ²Γ)⁻¹ (x − μ)], Γ from armaAutocovariance.
  const x = [1.2, 0.4, -0.3, 0.9, 2.1, 1.7, 0.2, -0.8];
  const phi = [0.5, -0.3, 0.2];
  const mu = 0.3;
  const { logLik, sigma2 } = arExactLogLik(x, phi, mu);
  const g = armaAutocovariance(phi, [], x.length - 1, sigma2);
  const S = x.map((_, i) => x.map((_, j) => g[Math.abs(i - j)]!));
  const d = x.map((v) => v - mu);
  const quad = d.reduce((s, v, i) => s + v * solveSpd(S, d)[i]!, 0);
  const direct = -0.5 * (x.length * Math.log(2 * Math.PI) + logDetSpd(S) + quad);
  near(logLik, direct, 1e-12, "exact log-likelihood");
  assert.equal(arExactLogLik(x, [1.1]).logLik, -Infinity);
});

// ---------------------------------------------------------------- order selection and CV

test("AIC order selection: Yule–Walker picks 11 for log10(lynx) and 8 for raw lynx, as R's ar()", () => {
  // R: ar(log10(lynx))$order = 11; ar(log10(lynx))$aic (differences from the minimum, orders 0..20)
  const rAic = [
    203.68572087284059080, 96.45018388731222103, 15.14653584456573299, 14.78877946514421637, 11.83708885984549397,
    12.31363636525611582, 13.49558407500660451, 10.46639738206533821, 10.85777739027832922, 11.64621002247605475,
    9.59325811850112586, 0, 0.95530457872177976, 1.87978686344621337, 3.73309812266023755, 5.67802226328518600,
    6.00108348740047859, 7.99741938898893068, 7.96770456138909822, 9.52357263671888177, 10.89834821996106484,
  ];
  const s = selectAROrder(logLynx, 20, { method: "yule-walker" });
  assert.equal(s.order, 11);
  const min = Math.min(...s.aic);
  nearAll(s.aic.map((v) => v - min), rAic, 1e-9, "AIC − min");
  assert.deepEqual(s.orders, Array.from({ length: 21 }, (_, i) => i));
  assert.equal(s.fits[10]!.p, 11);
  // R: ar(lynx)$order = 8
  assert.equal(selectAROrder(lynx, 20, { method: "yule-walker" }).order, 8);
  // BIC penalises more: it must pick no more lags than AIC here.
  assert.ok(selectAROrder(logLynx, 20, { method: "yule-walker", criterion: "bic" }).order <= 11);
});

test("OLS and MLE AIC curves match R's ar.ols and arima", () => {
  // R: ar.ols(log10(lynx), aic = TRUE, order.max = 12, demean = TRUE, intercept = TRUE)$aic
  const rOls = [
    228.2491914821194712, 117.9110146209904570, 28.2450844816530093, 29.5670434837172991, 27.5372538205485569,
    28.2041302055431515, 30.0190751415350974, 25.9999357971639427, 23.9142719409623226, 24.5395245696357165,
    21.3344515906758261, 6.5536341206024247, 0,
  ];
  const ols = selectAROrder(logLynx, 12, { method: "ols" });
  assert.equal(ols.order, 12);
  nearAll(ols.aic.map((v) => v - Math.min(...ols.aic)), rOls, 1e-9, "OLS AIC − min");
  // R tight: sapply(0:4, function(p) arima(Nile, order = c(p, 0, 0), method = "ML", optim.control = ctl)$aic)
  const mle = selectAROrder(nile, 4, { method: "mle" });
  nearAll(mle.aic, [1313.0314665042044, 1285.9043173184750, 1283.9625454767393, 1284.5603322287764, 1286.5370876282741], 1e-6, "arima AIC");
  assert.equal(mle.order, 2);
});

test("rolling-origin CV of OLS fits on log10(lynx) matches an R loop over ar.ols + predict", () => {
  // R: x <- as.numeric(log10(lynx)); for T in 57:(114 − h): f <- ar.ols(x[1:T], aic = FALSE, order.max = p,
  //    demean = TRUE, intercept = TRUE); e <- x[T + h] − predict(f, newdata = x[1:T], n.ahead = h)$pred[h]
  //    → mean(e^2) and the first e.
  const cv = rollingOriginCV(logLynx, 5, { initial: 57, horizon: 1 });
  assert.equal(cv.origins.length, 57);
  near(cv.mse[1]!, 0.12978117629494645, 1e-12, "p = 1 MSE");
  near(cv.mse[2]!, 0.05670191068929066, 1e-12, "p = 2 MSE");
  near(cv.mse[5]!, 0.064697636334402578, 1e-12, "p = 5 MSE");
  near(cv.errors[2]![0]!, -0.21565802999419992, 1e-12, "p = 2 first error");
  // p = 0 forecasts with the training mean.
  near(cv.errors[0]![0]!, logLynx[57]! - logLynx.slice(0, 57).reduce((s, v) => s + v, 0) / 57, 1e-14, "p = 0 error");
  assert.equal(cv.order, cv.mse.indexOf(Math.min(...cv.mse)));
  const cv3 = rollingOriginCV(logLynx, 2, { initial: 57, horizon: 3 });
  assert.equal(cv3.origins.length, 55);
  near(cv3.mse[2]!, 0.27292302925028011, 1e-12, "p = 2, h = 3 MSE");
  assert.throws(() => rollingOriginCV(logLynx, 5, { initial: 5 }), /initial window/);
});

// ---------------------------------------------------------------- forecasts, Ljung–Box

test("AR(1) forecast standard errors follow σ² (1 − φ^{2k}) / (1 − φ²) and the mean decays to μ", () => {
  const model = { coefficients: [0.8], intercept: 2, sigma2: 4 }; // μ = 10
  const fc = forecastAR(model, [15], 30, { level: 0.9 });
  fc.se.forEach((s, i) => near(s, Math.sqrt((4 * (1 - 0.8 ** (2 * (i + 1)))) / (1 - 0.64)), 1e-12, `se ${i + 1}`));
  fc.mean.forEach((m, i) => near(m, 10 + 5 * 0.8 ** (i + 1), 1e-12, `mean ${i + 1}`));
  near(fc.upper[0]! - fc.mean[0]!, 1.6448536269514722 * 2, 1e-12, "90% half-width");
  assert.throws(() => forecastAR({ coefficients: [0.5, 0.2], intercept: 0, sigma2: 1 }, [1], 3), /last 2 values/);
});

test("Ljung–Box matches R's Box.test on raw series and on AR residuals", () => {
  // R: Box.test(log10(lynx), lag = 5, type = "Ljung-Box"); pchisq(Q, 5, lower.tail = FALSE)
  const a = ljungBox(logLynx, 5);
  near(a.statistic, 163.9308575336027, 1e-10, "lynx Q");
  relNear(a.pValue, 1.4374729781385737e-33, 1e-10, "lynx p (upper tail)");
  // R: Box.test(Nile, lag = 10, type = "Ljung-Box", fitdf = 1); pchisq(Q, 9, lower.tail = FALSE)
  const b = ljungBox(nile, 10, 1);
  near(b.statistic, 88.126871551299971, 1e-10, "Nile Q");
  assert.equal(b.df, 9);
  relNear(b.pValue, 3.8653551777545124e-15, 1e-9, "Nile p");
  // R: a <- ar.yw(log10(lynx), aic = FALSE, order.max = 11)
  //    Box.test(na.omit(a$resid), lag = 20, type = "Ljung-Box", fitdf = 11)
  const yw = fitAR(logLynx, 11, { method: "yule-walker" });
  const c = ljungBox(yw.residuals, 20, 11);
  assert.equal(c.n, 103);
  near(c.statistic, 9.0840422286913434, 1e-9, "YW AR(11) residual Q");
  near(c.pValue, 0.42955282792613758, 1e-9, "YW AR(11) residual p");
  // R tight: f <- arima(log10(lynx), c(2, 0, 0), method = "ML", optim.control = ctl)
  //          Box.test(resid(f), lag = 10, type = "Ljung-Box", fitdf = 2)
  const mle = fitAR(logLynx, 2, { method: "mle" });
  const d = ljungBox(mle.residuals, 10, 2);
  near(d.statistic, 17.481226092679506, 1e-4, "MLE AR(2) residual Q");
  near(d.pValue, 0.025470474745571292, 1e-5, "MLE AR(2) residual p");
  assert.throws(() => ljungBox([1, 2, NaN, 4, 5, 6], 2), /only leading or trailing NaN/);
  assert.throws(() => ljungBox(nile, 3, 3), /fitdf/);
});

// ---------------------------------------------------------------- ARMA theory

test("theoretical ACF/PACF and ψ-weights match R's ARMAacf and ARMAtoMA", () => {
  // R: ARMAacf(ar = 0.7, ma = 0.4, lag.max = 10); ARMAacf(ar = 0.7, ma = 0.4, lag.max = 10, pacf = TRUE)
  nearAll(armaAcf([0.7], [0.4], 10), [
    1, 0.818604651162790686, 0.573023255813953414, 0.401116279069767379, 0.280781395348837171, 0.196546976744186003,
    0.137582883720930194, 0.096308018604651130, 0.067415613023255785, 0.047190929116279048, 0.033033650381395330,
  ], 1e-14, "ARMA(1,1) acf");
  nearAll(armaPacf([0.7], [0.4], 10), [
    0.81860465116279068631, -0.29431438127090336909, 0.11585044760400271813, -0.04622237162786824172,
    0.01848143120203240425, -0.00739209159097169079, 0.00295680586176111284, -0.00118272037515204176,
    0.00047308802400970962, -0.00018923520153662135,
  ], 1e-14, "ARMA(1,1) pacf");
  // Closed form for ARMA(1,1): ρ(1) = (1 + φθ)(φ + θ) / (1 + 2φθ + θ²).
  near(armaAcf([0.7], [0.4], 1)[1]!, (1.28 * 1.1) / (1 + 0.56 + 0.16), 1e-15, "ρ(1) closed form");
  // R: ARMAacf(ar = c(1.2, -0.5), ma = c(-0.3, 0.2), lag.max = 12) and pacf = TRUE
  nearAll(armaAcf([1.2, -0.5], [-0.3, 0.2], 12), [
    1, 0.7707317073170730781, 0.4980487804878048763, 0.2122926829268292070, 0.0057268292682925992,
    -0.0992741463414634900, -0.1219923902439024876, -0.0967537951219512304, -0.0551083590243902216,
    -0.0177531332682926424, 0.0062504195902439406, 0.0163770701424390507, 0.0165272743758048887,
  ], 1e-14, "ARMA(2,2) acf");
  nearAll(armaPacf([1.2, -0.5], [-0.3, 0.2], 12), [
    7.7073170731707308e-01, -2.3641638825391198e-01, -2.0900282145920335e-01, -1.7597740593929091e-02,
    3.6451816603522764e-02, 1.4450679647901249e-02, -2.9536526488072269e-03, -3.7761576014150363e-03,
    -5.4212620357481508e-04, 5.9259319426176638e-04, 2.8620315514792869e-04, -3.2657682770276097e-05,
  ], 1e-14, "ARMA(2,2) pacf");
  // R: ARMAacf(ma = c(0.5, -0.4), lag.max = 4)
  nearAll(armaAcf([], [0.5, -0.4], 4), [1, 0.21276595744680848, -0.28368794326241131, 0, 0], 1e-15, "MA(2) acf");
  // R: ARMAtoMA(ar = c(1.2, -0.5), ma = c(-0.3, 0.2), lag.max = 8)  (ψ₁..ψ₈)
  nearAll(psiWeights([1.2, -0.5], [-0.3, 0.2], 9).slice(1), [
    0.899999999999999911, 0.779999999999999805, 0.485999999999999766, 0.193199999999999816, -0.011160000000000114,
    -0.109992000000000048, -0.126410400000000006, -0.096696479999999974,
  ], 1e-14, "ψ");
  assert.throws(() => armaAcf([1.1], []), /not stationary/);
});

test("AR roots of the lynx AR(11) match R's polyroot; stationarity tests agree with the roots", () => {
  // R: a <- ar.yw(log10(lynx), aic = FALSE, order.max = 11); r <- polyroot(c(1, -a$ar)); Mod(r[order(Mod(r))])
  const phi = fitAR(logLynx, 11, { method: "yule-walker" }).coefficients;
  const roots = arRoots(phi);
  nearAll(roots.map((r) => r.modulus), [
    1.0156639153454758, 1.0156639153454761, 1.0854111743792239, 1.0854111743792270, 1.1134248008328578,
    1.1134248008328635, 1.1157095753993336, 1.1157095753993349, 1.1524342144405653, 1.1524342144405688,
    1.2910781122277639,
  ], 1e-12, "root moduli");
  near(roots[0]!.re, 0.80870731942691820, 1e-12, "first root re");
  near(Math.abs(roots[0]!.im), 0.61446371775738740, 1e-12, "first root |im|");
  near(roots[10]!.re, -1.29107811222776392, 1e-12, "real root");
  assert.equal(roots[10]!.im, 0);
  // Each root is a zero of 1 − Σ φᵢ zⁱ.
  for (const z of roots) {
    let re = 1, im = 0, pr = 1, pi = 0;
    for (const v of phi) {
      [pr, pi] = [pr * z.re - pi * z.im, pr * z.im + pi * z.re];
      re -= v * pr;
      im -= v * pi;
    }
    assert.ok(Math.hypot(re, im) < 1e-12, `|φ(z)| = ${Math.hypot(re, im)}`);
  }
  // AR(2) triangle = step-down test = roots outside the unit circle, on a grid kept off the
  // triangle's edges (on an edge, rounding decides).
  for (let a = -2.0537; a <= 2.05; a += 0.1) {
    for (let b = -1.0513; b <= 1.05; b += 0.1) {
      const byRoots = arRoots([a, b]).every((r) => r.modulus > 1);
      assert.equal(isStationaryAR2(a, b), byRoots, `triangle at (${a}, ${b})`);
      assert.equal(isStationary([a, b]), byRoots, `step-down at (${a}, ${b})`);
    }
  }
  // Random AR(4)s: step-down and roots agree; step-up/step-down are inverse maps.
  const rng = createRng(7);
  for (let i = 0; i < 200; i++) {
    const phi4 = Array.from({ length: 4 }, () => 2.4 * rng.uniform() - 1.2);
    assert.equal(isStationary(phi4), arRoots(phi4).every((r) => r.modulus > 1), `AR(4) ${phi4}`);
    const kappa = Array.from({ length: 4 }, () => 1.98 * rng.uniform() - 0.99);
    nearAll(arToPacf(pacfToAr(kappa)), kappa, 1e-12, "step-down ∘ step-up");
  }
  // polyRoots on known factors: (z − 2)(z + 3)(z² + 1) = z⁴ + z³ − 5z² + z − 6.
  const known = polyRoots([-6, 1, -5, 1, 1]);
  nearAll(known.map((z) => z.re), [0, 0, 2, -3], 1e-14, "re");
  nearAll(known.map((z) => z.im), [-1, 1, 0, 0], 1e-14, "im");
});

test("simulateARMA: reproducible, sample ACF near theory, innovations drive the recursion", () => {
  const spec = { phi: [0.7], theta: [0.4], sigma: 2, n: 20000, seed: 11, mean: 5 };
  const a = simulateARMA(spec);
  assert.deepEqual(simulateARMA(spec).values, a.values);
  assert.notDeepEqual(simulateARMA({ ...spec, seed: 12 }).values.slice(0, 5), a.values.slice(0, 5));
  const sample = acf(a.values, 5);
  const theory = armaAcf([0.7], [0.4], 5);
  sample.forEach((r, k) => near(r, theory[k]!, 0.03, `acf lag ${k}`));
  // Var x = σ² γ(0) for unit noise: (1 + 2φθ + θ²)/(1 − φ²) · σ².
  relNear(autocovariance(a.values, 0)[0]!, (4 * (1 + 0.56 + 0.16)) / 0.51, 0.08, "variance");
  near(a.values.reduce((s, v) => s + v, 0) / a.values.length, 5, 0.15, "mean");
  // y(t) = φ y(t−1) + ε(t) + θ ε(t−1) holds exactly after the burn-in.
  for (let t = 1; t < 50; t++) {
    near(a.values[t]! - 5, 0.7 * (a.values[t - 1]! - 5) + a.innovations[t]! + 0.4 * a.innovations[t - 1]!, 1e-12, `recursion at ${t}`);
  }
  assert.throws(() => simulateARMA({ phi: [1.02], n: 10 }), /not stationary/);
  assert.equal(simulateARMA({ phi: [1.02], n: 10, allowNonstationary: true }).values.length, 10);
});

test("simulation recovery over 50 seeds: MLE and OLS AR(2) estimates centre on the truth, SEs are honest", () => {
  const phi = [0.6, -0.3];
  const seeds = 50;
  for (const method of ["mle", "ols"] as const) {
    const est: number[][] = [];
    const se: number[][] = [];
    let covered = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const x = simulateARMA({ phi, sigma: 1, mean: 10, n: 400, seed }).values;
      const fit = fitAR(x, 2, { method });
      est.push([...fit.coefficients, fit.mean, fit.sigma2]);
      se.push(fit.standardErrors.coefficients);
      if (Math.abs(fit.coefficients[0]! - phi[0]!) < 1.96 * fit.standardErrors.coefficients[0]!) covered++;
    }
    [...phi, 10, 1].forEach((truth, j) => {
      const v = est.map((e) => e[j]!);
      const mean = v.reduce((s, x) => s + x, 0) / seeds;
      const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (seeds - 1));
      assert.ok(Math.abs(mean - truth) < 3 * (sd / Math.sqrt(seeds)) + 0.01, `${method} parameter ${j}: mean ${mean} vs ${truth}, sd ${sd}`);
      if (j < 2) {
        const meanSe = se.reduce((s, e) => s + e[j]!, 0) / seeds;
        // Theory: SE(φ̂ᵢ) ≈ √((1 − φ₂²)/n) = 0.0477 for both coefficients.
        near(meanSe, Math.sqrt((1 - 0.09) / 400), 0.004, `${method} mean SE of φ${j + 1}`);
        assert.ok(meanSe / sd > 0.7 && meanSe / sd < 1.4, `${method} φ${j + 1}: mean SE ${meanSe} vs spread ${sd}`);
      }
    });
    assert.ok(covered >= 42, `${method}: 95% intervals covered φ₁ in only ${covered}/50 runs`);
  }
});

test("fitAR gives clear errors for bad orders, missing values, short series and unknown methods", () => {
  assert.throws(() => fitAR(nile, 0), /whole number ≥ 1/);
  assert.throws(() => fitAR(nile, 1.5), /whole number ≥ 1/);
  assert.throws(() => fitAR([1, 2, NaN, 4, 5, 3], 1), /Value 3 of the series is NaN/);
  assert.throws(() => fitAR([1, 2, 3, 4], 3, { method: "yule-walker" }), /too short for an AR\(3\).*at least 5/);
  assert.throws(() => fitAR([1, 2, 3, 4, 5, 6, 7], 3, { method: "ols" }), /at least 8/);
  assert.throws(() => fitAR([3, 3, 3, 3, 3], 1), /constant/);
  assert.throws(() => fitAR(nile, 1, { method: "burg" as never }), /Unknown AR method/);
  assert.throws(() => selectAROrder(nile, 3, { criterion: "hqc" as never }), /Unknown criterion/);
});
