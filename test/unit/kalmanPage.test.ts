// The numbers the Kalman-filter page prints, checked against independent values: the
// steady-state recurrence W = (I − KΨ)Φ against the filter itself and against a scalar
// closed form, covariance ellipses against their defining quadratic form, the AR limit
// against R's arima, the prediction-error decomposition against R's StructTS $loglik, and
// live EM against one long EM run.
import assert from "node:assert/strict";
import { test } from "node:test";
import { readFileSync } from "node:fs";
import {
  arLimit,
  covarianceEllipse,
  ELLIPSE_95,
  gainSeries,
  runRecurrence,
  runTracking,
  steadyStateRecurrence,
  trackData,
  trackingRmse,
  trackingRows,
} from "../../components/examples/kalmanTracking.js";
import { R_STRUCTTS, emProgress, levelSeries, nileSurface, predictionErrorDecomposition } from "../../components/examples/kalmanNile.js";
import { fitLocalLevelEM } from "../../components/core/localLevel.js";
import { parseSeriesCsv } from "../../components/core/series.js";

const nile = parseSeriesCsv(readFileSync(new URL("../../data/nile.csv", import.meta.url), "utf8")).values;

function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

test("tracking run: same seed, same track; the table rows at t are the filter's step t", () => {
  const a = runTracking({ seed: 7, steps: 40, processNoise: 0.1, obsNoise: 4 });
  const b = runTracking({ seed: 7, steps: 40, processNoise: 0.1, obsNoise: 4 });
  assert.deepEqual(a.sim.observations, b.sim.observations, "same seed gave different fixes");
  const c = runTracking({ seed: 8, steps: 40, processNoise: 0.1, obsNoise: 4 });
  assert.notDeepEqual(a.sim.observations, c.sim.observations, "different seeds gave the same fixes");
  const rows = trackingRows(a, 12);
  const byLabel = (start: string) => rows.find((r) => r.label.startsWith(start))!.values as number[];
  assert.deepEqual(byLabel("predicted mean"), a.filter.steps[11]!.predictedMean);
  assert.deepEqual(byLabel("innovation $e_t"), a.filter.steps[11]!.innovation);
  assert.deepEqual(byLabel("gain $K_t$, row $v_x$"), a.filter.steps[11]!.gain[2]);
  assert.equal(rows.find((r) => r.label.startsWith("log-likelihood"))!.values, a.filter.steps[11]!.logLik);
  // t = 0 shows the prior.
  assert.ok(trackingRows(a, 0)[1]!.label.includes("prior mean"), "t = 0 does not show the prior");
  // Update = prediction + K e, recomputed by hand from the table's numbers.
  const pred = byLabel("predicted mean");
  const e = byLabel("innovation $e_t");
  const upd = byLabel("updated mean");
  const K = a.filter.steps[11]!.gain;
  upd.forEach((v, i) => near(v, pred[i]! + K[i]![0]! * e[0]! + K[i]![1]! * e[1]!, 1e-12, `updated mean ${i}`));
});

test("the gain settles to the steady state; the smoother beats the filter beats the fixes", () => {
  const run = runTracking({ seed: 1, steps: 200, processNoise: 0.1, obsNoise: 4 });
  const series = gainSeries(run);
  const k11 = series[0]!.values;
  const limit = series[1]!.values[5]!;
  near(k11[200]!, limit, 1e-9, "K_{200,11} vs steady state");
  assert.ok(Math.abs(k11[1]! - limit) > 1e-3, "the gain should start away from its limit");
  const rmse = trackingRmse(run);
  assert.ok(rmse.smoother < rmse.filter && rmse.filter < rmse.gps, `RMSE order wrong: ${JSON.stringify(rmse)}`);
  // Larger GPS noise relative to the state noise → smaller steady-state position gain.
  const trusting = runTracking({ seed: 1, steps: 5, processNoise: 0.1, obsNoise: 40 }).steady!.gain[0]![0]!;
  const following = runTracking({ seed: 1, steps: 5, processNoise: 0.1, obsNoise: 0.4 }).steady!.gain[0]![0]!;
  assert.ok(trusting < limit && limit < following, `gain not monotone in r: ${trusting}, ${limit}, ${following}`);
  // Only the ratio q/r matters for the gain.
  near(runTracking({ seed: 1, steps: 5, processNoise: 1, obsNoise: 40 }).steady!.gain[0]![0]!, limit, 1e-9, "K depends on q/r only");
});

test("steady-state recurrence: W = (I − KΨ)Φ reproduces the filter once the gain has settled", () => {
  const run = runTracking({ seed: 3, steps: 150, processNoise: 0.2, obsNoise: 2 });
  const rec = steadyStateRecurrence(run.model)!;
  assert.ok(rec.spectralRadius < 1, `W not stable: ρ = ${rec.spectralRadius}`);
  const hs = runRecurrence(rec, run.filter.initialMean, run.sim.observations);
  const last = run.filter.steps[149]!.filteredMean;
  hs[149]!.forEach((v, i) => near(v, last[i]!, 1e-8, `recurrence vs filter, component ${i}`));
  // Early on they differ, since K_t has not settled yet.
  assert.ok(Math.abs(hs[0]![0]! - run.filter.steps[0]!.filteredMean[0]!) > 1e-4, "recurrence equals the filter at t = 1: the test cannot tell them apart");
});

test("steady-state recurrence, scalar closed form for the local level: P = (q + √(q² + 4qr))/2, K = P/(P + r), W = 1 − K", () => {
  // Local level: P = P_f + q, K = P/(P + r), P_f = (1 − K)P. Fixed point of the predicted P:
  // P² − qP − qr = 0 → P = (q + √(q² + 4qr))/2, K = P/(P + r), W = 1 − K.
  const q = 1469.1466192376836;
  const r = 15098.5771535974;
  const P = (q + Math.sqrt(q * q + 4 * q * r)) / 2;
  const K = P / (P + r);
  const rec = steadyStateRecurrence({ Phi: [[1]], Psi: [[1]], SigmaH: [[q]], SigmaObs: [[r]] })!;
  near(rec.K[0]![0]!, K, 1e-12, "K");
  near(rec.W[0]![0]!, 1 - K, 1e-12, "W = 1 − K");
  // With inputs: U gains the column (I − KΨ)Γ − KΞ.
  const withInputs = steadyStateRecurrence({ Phi: [[1]], Psi: [[1]], SigmaH: [[q]], SigmaObs: [[r]], Gamma: [[2]], Xi: [[3]] })!;
  near(withInputs.U[0]![1]!, (1 - K) * 2 - K * 3, 1e-12, "U input column");
});

test("covariance ellipse: every point satisfies (z − m)ᵀ C⁻¹ (z − m) = k²", () => {
  const C = [
    [3, 1.2],
    [1.2, 1],
  ];
  const det = C[0]![0]! * C[1]![1]! - C[0]![1]! * C[1]![0]!;
  const inv = [
    [C[1]![1]! / det, -C[0]![1]! / det],
    [-C[1]![0]! / det, C[0]![0]! / det],
  ];
  for (const [x, y] of covarianceEllipse([5, -2], C)) {
    const dx = x - 5;
    const dy = y + 2;
    const quad = dx * (inv[0]![0]! * dx + inv[0]![1]! * dy) + dy * (inv[1]![0]! * dx + inv[1]![1]! * dy);
    near(quad, ELLIPSE_95 ** 2, 1e-10, "quadratic form on the ellipse");
  }
  near(ELLIPSE_95 ** 2, 5.991464547107979, 1e-12, "χ²₂ 95% quantile (R: qchisq(0.95, 2))");
  const data = trackData(runTracking({ seed: 2, steps: 10, processNoise: 0.1, obsNoise: 4 }));
  assert.equal(data.predictedEllipse.length, 10);
  assert.equal(data.updatedEllipse[0]!.length, 65);
});

test("AR limit: the companion form with Σ_obs → 0 gives R's arima log-likelihood", () => {
  const mean = nile.reduce((a, b) => a + b, 0) / nile.length;
  const y = nile.map((v) => v - mean);
  const limit = arLimit(y, [0.4, 0.2], 1e-6)!;
  // R 4.2.2: arima(Nile - mean(Nile), order = c(2,0,0), include.mean = FALSE, fixed = c(0.4, 0.2),
  //   transform.pars = FALSE, method = "ML") → sigma2 20295.848064000005, loglik -637.9870971134136
  near(limit.sigma2, 20295.848064000005, 1e-9, "σ² (profile MLE) vs R");
  near(limit.arLogLik, -637.9870971134136, 1e-12, "AR log-likelihood vs R");
  near(limit.kalmanAtZero, -637.9870971134136, 1e-12, "Kalman with Σ_obs = 0 vs R");
  near(limit.atS, limit.arLogLik, 1e-8, "Kalman with tiny Σ_obs");
  const big = arLimit(y, [0.4, 0.2], 1e4)!;
  assert.ok(big.atS < big.arLogLik - 1, `large noise should fit worse: ${big.atS} vs ${big.arLogLik}`);
  assert.equal(arLimit(y, [0.5, 0.6], 1), null, "a non-stationary φ should give null");
});

test("Nile: the prediction-error decomposition at R's estimate sums to R's $loglik", () => {
  const d = predictionErrorDecomposition(nile, R_STRUCTTS);
  near(d.total, R_STRUCTTS.logLik, 1e-12, "Σ ℓ_t vs R");
  near(d.terms.reduce((a, b) => a + b, 0), d.total, 1e-12, "terms add up");
  assert.equal(d.terms.length, 100);
  // ℓ_1 ≈ −½(log 2π + log P0 + …) with P0 = 1e6 var(y)/100 (R's start): the lowest term.
  assert.equal(Math.min(...d.terms), d.terms[0], "the first term should be the lowest");
  const levels = levelSeries(nile, R_STRUCTTS);
  // R: f(fit$fitted[c(50)]) = 849.07032485789546, tsSmooth(fit)[50] = 834.76304030008748
  near(levels[1]!.values[49]!, 849.07032485789546, 1e-12, "filtered level 1920");
  near(levels[2]!.values[49]!, 834.76304030008748, 1e-12, "smoothed level 1920");
});

test("Nile surface: the best grid point is near R's estimate", () => {
  const s = nileSurface(nile, 41);
  let best = -Infinity;
  let at = [0, 0];
  s.logLik.forEach((row, i) => row.forEach((v, j) => v > best && ((best = v), (at = [i, j]))));
  const level = s.sigma2Level[at[0]!]!;
  const obs = s.sigma2Obs[at[1]!]!;
  assert.ok(level / R_STRUCTTS.sigma2Level < 1.3 && level / R_STRUCTTS.sigma2Level > 0.77, `grid best σ²_level ${level}`);
  assert.ok(obs / R_STRUCTTS.sigma2Obs < 1.3 && obs / R_STRUCTTS.sigma2Obs > 0.77, `grid best σ²_obs ${obs}`);
  assert.ok(best <= R_STRUCTTS.logLik + 1e-9, "a grid point beat the maximum");
});

test("live EM in chunks equals one long EM run, and stops at the requested count", async () => {
  const chunks: number[] = [];
  let last: { history: { sigma2Level: number; sigma2Obs: number; logLik: number }[]; done: boolean } | undefined;
  for await (const state of emProgress(nile, { iterations: 23, chunk: 5 })) {
    chunks.push(state.history.length);
    last = state;
  }
  assert.deepEqual(chunks, [1, 6, 11, 16, 21, 24]);
  assert.ok(last!.done, "the last state should be marked done");
  const whole = fitLocalLevelEM(nile, { iterations: 23 });
  last!.history.forEach((p, k) => {
    near(p.sigma2Level, whole.history[k]!.sigma2Level, 1e-10, `σ²_level at iteration ${k}`);
    near(p.logLik, whole.history[k]!.logLik, 1e-12, `ℓ at iteration ${k}`);
  });
});
