// The "Autoregressive models" page's own computations (components/examples/arModels.ts):
// one-step predictions, overfitting curves, the step-by-step order selection and
// cross-validation (against the core and R), forecasts from an origin (against R's predict),
// the AR(2) period, and the time-reversal check.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseSeriesCsv } from "../../components/core/series.js";
import { fitAR, rollingOriginCV, selectAROrder } from "../../components/core/ar.js";
import { arRoots, simulateARMA } from "../../components/core/arma.js";
import {
  ar2Period, argMin, arSeriesOptions, criteriaProgressively, cvProgressively, differences, earliestOrigin, forecastFromOrigin,
  lynxSunspotRows, meanSquaredError, oneStepPredictions, overfittingCurves, relativeToMinimum, reversibilityCheck, skewness,
  type CriteriaCurves, type CvCurves,
} from "../../components/examples/arModels.js";

const load = (file: string) => parseSeriesCsv(readFileSync(new URL(`../../data/${file}`, import.meta.url), "utf8"));
const lynx = load("lynx.csv");
const sunspots = load("sunspots-annual.csv");
const nile = load("nile.csv");
const logLynx = lynx.values.map(Math.log10);

function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (diff ${Math.abs(actual - expected)})`);
}

async function last<T>(generator: AsyncGenerator<T>): Promise<{ value: T; count: number }> {
  let value: T | undefined;
  let count = 0;
  for await (const v of generator) {
    value = v;
    count++;
  }
  assert.ok(value !== undefined, "the generator yielded nothing");
  return { value, count };
}

test("the page's series: log10 lynx, sunspots and Nile with their years", () => {
  const options = arSeriesOptions(lynx, sunspots, nile);
  assert.deepEqual(options.map((s) => s.key), ["lynx", "sunspots", "nile"]);
  assert.equal(options[0]!.values.length, 114);
  near(options[0]!.values[0]!, Math.log10(269), 1e-15, "log10 lynx 1821");
  assert.equal(options[1]!.years[0], 1700);
  assert.equal(options[2]!.values.length, 100);
});

test("one-step predictions are c + Σ φ x(t−i), equal the fit's own fitted values, and NaN before p", () => {
  const model = { coefficients: [0.5, -0.25], intercept: 2 };
  const x = [1, 2, 3, 4];
  const pred = oneStepPredictions(model, x);
  assert.ok(Number.isNaN(pred[0]!) && Number.isNaN(pred[1]!), "no prediction without p past values");
  near(pred[2]!, 2 + 0.5 * 2 - 0.25 * 1, 1e-15, "t = 3");
  near(pred[3]!, 2 + 0.5 * 3 - 0.25 * 2, 1e-15, "t = 4");
  const fit = fitAR(logLynx, 3, { method: "ols" });
  const mine = oneStepPredictions(fit, logLynx);
  for (let t = 3; t < logLynx.length; t++) near(mine[t]!, fit.fitted[t]!, 1e-12, `fitted at ${t}`);
  near(meanSquaredError([1, 2, 3], [NaN, 2.5, 2]), (0.25 + 1) / 2, 1e-15, "MSE skips NaN");
  near(meanSquaredError([1, 2, 3, 4], [0, 0, 0, 0], 2), (9 + 16) / 2, 1e-15, "MSE from an index");
});

test("overfitting curves: training error is OLS σ², held-out error is scored by hand, and large p overfits log10 lynx", () => {
  const curves = overfittingCurves(logLynx, 80, 30);
  assert.equal(curves.orders.length, 30);
  const fit5 = fitAR(logLynx.slice(0, 80), 5, { method: "ols" });
  near(curves.train[4]!, fit5.sigma2, 1e-15, "train MSE = σ² of the training fit");
  let s = 0;
  for (let t = 80; t < 114; t++) {
    let v = fit5.intercept;
    for (let i = 1; i <= 5; i++) v += fit5.coefficients[i - 1]! * logLynx[t - i]!;
    s += (logLynx[t]! - v) ** 2;
  }
  near(curves.heldOut[4]!, s / 34, 1e-14, "held-out MSE of AR(5)");
  // The held-out error is smallest at p = 12 and more than doubles by p = 30, while the training error falls.
  assert.equal(curves.orders[argMin(curves.heldOut)], 12);
  assert.ok(curves.heldOut[29]! > 2 * Math.min(...curves.heldOut), `held-out at p = 30: ${curves.heldOut[29]}`);
  assert.ok(curves.train[29]! < 0.25 * curves.train[0]!, `training error at p = 30: ${curves.train[29]}`);
  assert.throws(() => overfittingCurves(logLynx, 50, 30), /too short/);
  assert.throws(() => overfittingCurves(logLynx, 114, 3), /Nothing is held out/);
});

test("criteria computed one order at a time end equal to selectAROrder, and to R's arima AICs for the Nile", async () => {
  for (const method of ["yule-walker", "ols"] as const) {
    const { value, count } = await last<CriteriaCurves>(criteriaProgressively(logLynx, 12, method));
    const direct = selectAROrder(logLynx, 12, { method });
    assert.equal(count, 12, `${method}: one yield per order 1..12`);
    assert.deepEqual(value.aic, direct.aic);
    assert.deepEqual(value.bic, direct.bic);
    assert.equal(argMin(value.aic), direct.order);
  }
  // R tight: sapply(0:4, function(p) arima(Nile, order = c(p, 0, 0), method = "ML")$aic)
  const { value } = await last<CriteriaCurves>(criteriaProgressively(nile.values, 4, "mle"));
  const r = [1313.0314665042044, 1285.9043173184750, 1283.9625454767393, 1284.5603322287764, 1286.5370876282741];
  value.aic.forEach((a, i) => near(a, r[i]!, 1e-6, `Nile AIC p = ${i}`));
  assert.equal(argMin(value.aic), 2);
  assert.deepEqual(relativeToMinimum([3, 1, 2]), [2, 0, 1]);
  assert.equal(argMin([NaN, 2, 1, 1]), 2);
});

test("cross-validation one order at a time equals rollingOriginCV and R's loop over ar.ols + predict", async () => {
  const { value, count } = await last<CvCurves>(cvProgressively(logLynx, 5, { initial: 57 }));
  assert.equal(count, 6);
  const direct = rollingOriginCV(logLynx, 5, { initial: 57 });
  value.mse.forEach((m, p) => near(m, direct.mse[p]!, 1e-15, `p = ${p}`));
  assert.equal(value.origins.length, 57);
  // R (see test/unit/ar.test.ts): mean squared 1-step errors for p = 1 and 2.
  near(value.mse[1]!, 0.12978117629494645, 1e-12, "R p = 1");
  near(value.mse[2]!, 0.05670191068929066, 1e-12, "R p = 2");
  const h3 = await last<CvCurves>(cvProgressively(logLynx, 2, { initial: 57, horizon: 3 }));
  near(h3.value.mse[2]!, 0.27292302925028011, 1e-12, "R p = 2, h = 3");
  // The default first origin is the core's: max(⌊n/2⌋, 2·maxP + 2).
  const byDefault = await last<CvCurves>(cvProgressively(logLynx, 3));
  assert.equal(byDefault.value.origins[0], 57);
});

test("forecastFromOrigin fits only the history and matches R's predict(arima) at the end of the Nile", () => {
  const end = forecastFromOrigin(nile.values, 99, 1, "mle", 5);
  // R (tight): predict(arima(Nile, order = c(1, 0, 0), method = "ML"), n.ahead = 5)
  [828.656121024306, 873.540069164275, 896.263472549802, 907.767653505790, 913.591876982473].forEach((v, k) => near(end.forecast.mean[k]!, v, 1e-3, `pred ${k + 1}`));
  near(end.forecast.se[0]!, 145.343862719777, 1e-4, "se 1");
  assert.deepEqual(end.actual, []);
  const mid = forecastFromOrigin(nile.values, 59, 2, "ols", 4, 0.8);
  assert.equal(mid.fit.n, 60, "fitted to values 1..60 only");
  assert.deepEqual(mid.actual, nile.values.slice(60, 64));
  assert.equal(mid.forecast.level, 0.8);
  // The earliest allowed origin leaves every method enough data.
  for (const method of ["yule-walker", "ols", "mle"] as const) {
    for (let p = 1; p <= 12; p++) {
      const origin = earliestOrigin(p, method);
      const r = forecastFromOrigin(logLynx, origin, p, method, 3);
      assert.ok(r.forecast.mean.every(Number.isFinite), `${method} p = ${p} at origin ${origin}`);
    }
  }
});

test("the AR(2) pseudo-period is 2π over the argument of the complex roots; none for real roots", () => {
  const period = ar2Period(1.35, -0.72)!;
  const root = arRoots([1.35, -0.72])[0]!;
  near(period, (2 * Math.PI) / Math.abs(Math.atan2(root.im, root.re)), 1e-12, "period from the roots");
  near(period, 9.652, 1e-3, "about 9.65 years, close to the lynx cycle");
  assert.equal(ar2Period(0.5, 0.2), null);
  assert.equal(ar2Period(1, -0.25), null, "φ₁² + 4φ₂ = 0: a double real root");
});

test("skewness and differences by hand; the time-reversal check separates sunspots from a Gaussian AR", () => {
  assert.deepEqual(differences([1, 4, 2]), [3, -2]);
  // x = 0, 0, 3: mean 1, deviations −1, −1, 2: m2 = 2, m3 = 2, skewness 2 / 2^1.5.
  near(skewness([0, 0, 3]), 2 / 2 ** 1.5, 1e-15, "skewness");
  const fit = fitAR(sunspots.values, 9, { method: "mle" });
  const sun = reversibilityCheck(sunspots.values, fit, 40, 1);
  assert.ok(sun.observed > 0.8, `sunspot changes are right-skewed: ${sun.observed}`);
  assert.equal(sun.shareAsExtreme, 0, "no simulated AR series is as skewed");
  assert.ok(sun.negativeShare > 0.05, `the AR produces negative sunspot numbers: ${sun.negativeShare}`);
  assert.equal(sun.example.length, sunspots.values.length);
  // A series that really is a Gaussian AR passes the same check.
  const x = simulateARMA({ phi: [1.3, -0.6], sigma: 1, mean: 5, n: 300, seed: 42 }).values;
  const own = reversibilityCheck(x, fitAR(x, 2, { method: "mle" }), 40, 100);
  assert.ok(own.shareAsExtreme > 0.1, `a Gaussian AR looks reversible: share ${own.shareAsExtreme}, skewness ${own.observed}`);
});

test("the VAR rows pair log10 lynx with log10 sunspots year by year, 1821–1934", () => {
  const { years, rows } = lynxSunspotRows(lynx, sunspots);
  assert.equal(rows.length, 114);
  assert.equal(years[0], 1821);
  assert.equal(years[113], 1934);
  near(rows[0]![0]!, Math.log10(269), 1e-15, "lynx 1821");
  near(rows[0]![1]!, Math.log10(sunspots.values[121]!), 1e-15, "sunspots 1821");
});
