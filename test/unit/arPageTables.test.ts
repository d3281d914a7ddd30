// The tables of the "Autoregressive models" page (components/examples/arTables.ts): every
// reference comparison the page shows must agree with R to the digits shown, and the tables
// must carry the core's numbers into the right cells.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseSeriesCsv } from "../../components/core/series.js";
import { fitAR } from "../../components/core/ar.js";
import { fitVAR } from "../../components/core/var.js";
import { AR_METHODS, forecastFromOrigin, lynxSunspotRows } from "../../components/examples/arModels.js";
import {
  checkAgrees, estimationTable, fittedRowsAt, forecastTable, referenceChecks, residualTests, residualTestTable, varMatrixTable, varNoiseTable,
} from "../../components/examples/arTables.js";

const load = (file: string) => parseSeriesCsv(readFileSync(new URL(`../../data/${file}`, import.meta.url), "utf8"));
const lynx = load("lynx.csv");
const sunspots = load("sunspots-annual.csv");
const nile = load("nile.csv");
const logLynx = lynx.values.map(Math.log10);

function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (diff ${Math.abs(actual - expected)})`);
}

test("every reference check on the page agrees with R to the decimals shown", () => {
  const checks = referenceChecks(logLynx, sunspots.values, nile.values, lynxSunspotRows(lynx, sunspots).rows);
  assert.ok(checks.length >= 20, `only ${checks.length} checks`);
  for (const check of checks) {
    assert.ok(checkAgrees(check), `${check.quantity}: R ${check.r.toFixed(check.digits)} vs ours ${check.ours.toFixed(check.digits)}`);
    // Agreement to the digits shown must not be luck at a rounding edge: within one unit of the last digit.
    near(check.ours, check.r, 10 ** -check.digits, check.quantity);
  }
  // The check itself can fail.
  assert.equal(checkAgrees({ quantity: "x", call: "", r: 1.23, ours: 1.24, digits: 2 }), false);
});

test("the estimation table puts each fit's numbers in its column, with SEs where the method has them", () => {
  const fits = AR_METHODS.map((method) => fitAR(logLynx, 3, { method }));
  const table = estimationTable(fits);
  assert.deepEqual(table.columns.map((c) => c.label), ["Yule–Walker", "conditional least squares", "exact Gaussian MLE"]);
  assert.equal(table.rows.length, 3 + 7);
  fits.forEach((fit, j) => {
    for (let i = 0; i < 3; i++) {
      assert.equal(table.rows[i]!.values[j], fit.coefficients[i]);
      assert.equal(table.rows[i]!.se![j], fit.standardErrors.coefficients[i]);
    }
  });
  const mean = table.rows.find((r) => r.label.startsWith("mean"))!;
  assert.deepEqual(mean.se, [null, null, fits[2]!.standardErrors.mean]);
  const loglik = table.rows.find((r) => r.label.startsWith("log-likelihood"))!;
  assert.deepEqual(loglik.values, [null, null, fits[2]!.logLik]);
  assert.deepEqual(table.rows.at(-1)!.values, ["yes", "yes", "yes"]);
});

test("the values at the scrubbed year: observation, predictions and errors of each fit", () => {
  const fits = AR_METHODS.map((method) => fitAR(logLynx, 2, { method }));
  const rows = fittedRowsAt(logLynx, lynx.times, fits, 50);
  assert.equal(rows[0]!.values, 1871);
  assert.equal(rows[1]!.values, logLynx[50]);
  const predictions = rows[2]!.values as number[];
  const errors = rows[3]!.values as number[];
  predictions.forEach((p, j) => near(p + errors[j]!, logLynx[50]!, 1e-14, `prediction + error, fit ${j}`));
  const early = fittedRowsAt(logLynx, lynx.times, fits, 0);
  const first = early[2]!.values as number[];
  assert.ok(Number.isNaN(first[0]!) && Number.isNaN(first[1]!), "no conditional prediction at t = 1");
  assert.ok(Number.isFinite(first[2]!), "the exact likelihood predicts t = 1 (with the mean)");
});

test("the forecast table lists years, forecasts, intervals and the observed values that followed", () => {
  const result = forecastFromOrigin(nile.values, 89, 1, "mle", 12, 0.9);
  const table = forecastTable(nile.times, result);
  assert.equal(table.rows.length, 12);
  assert.equal(table.rows[0]!.values[0], 1961);
  assert.equal(table.rows[11]!.values[0], 1972);
  assert.equal(table.rows[0]!.values[5], nile.values[90]);
  assert.equal(table.rows[9]!.values[5], nile.values[99]);
  assert.equal(table.rows[10]!.values[5], null, "no observation after 1970");
  const [, mean, se, lower, upper] = table.rows[3]!.values as number[];
  near(upper! - mean!, 1.6448536269514722 * se!, 1e-9, "90% half-width");
  near(mean! - lower!, upper! - mean!, 1e-9, "symmetric interval");
  assert.match(table.columns[3]!.label, /90%/);
});

test("Ljung–Box on the residuals uses fitdf = p and matches R for the MLE AR(2) of log10 lynx", () => {
  const fits = AR_METHODS.map((method) => fitAR(logLynx, 2, { method }));
  const tests = residualTests(fits, 10);
  assert.deepEqual(tests.map((t) => t.df), [8, 8, 8]);
  assert.deepEqual(tests.map((t) => t.n), [112, 112, 114]);
  // R tight: Box.test(resid(arima(log10(lynx), c(2, 0, 0), method = "ML")), lag = 10, type = "Ljung-Box", fitdf = 2)
  near(tests[2]!.statistic, 17.481226092679506, 1e-4, "Q");
  near(tests[2]!.pValue, 0.025470474745571292, 1e-5, "p");
  const table = residualTestTable(fits, tests);
  assert.deepEqual(table.rows.find((r) => r.label === "$Q$")!.values, tests.map((t) => t.statistic));
});

test("the VAR tables hold Φᵢ by equation and regressor, with R's lm numbers for VAR(2)", () => {
  const fit = fitVAR(lynxSunspotRows(lynx, sunspots).rows, 2);
  const names = ["lynx", "sunspots"];
  const phi1 = varMatrixTable(fit, 1, names);
  // R: lm of lynx(t) and sun(t) on lynx(t−1), sun(t−1), lynx(t−2), sun(t−2) (test/unit/var.test.ts)
  near(phi1.rows[0]!.values[0] as number, 1.36845723070520098, 1e-12, "lynx on lynx(t−1)");
  near(phi1.rows[0]!.values[1] as number, 0.09564545083489788, 1e-12, "lynx on sun(t−1)");
  near(phi1.rows[1]!.values[1] as number, 1.18767857967798340, 1e-12, "sun on sun(t−1)");
  near(phi1.rows[0]!.se![0]!, 0.064085362306254903, 1e-12, "SE lynx on lynx(t−1)");
  const phi2 = varMatrixTable(fit, 2, names);
  near(phi2.rows[1]!.values[1] as number, -0.55159206993991727, 1e-12, "sun on sun(t−2)");
  const noise = varNoiseTable(fit, names);
  near(noise.rows[0]!.values[0] as number, 1.13352288212768415, 1e-12, "lynx intercept");
  near(noise.rows[0]!.values[2] as number, -0.0067064825604854824, 1e-14, "Σ̂ off-diagonal, divisor N");
  assert.equal(noise.rows[0]!.se![1], null);
});
