import assert from "node:assert/strict";
import { test } from "node:test";
import { readFileSync } from "node:fs";
import * as math from "mathjs";
import {
  arAsStateSpace,
  diffuseInit,
  kalmanFilter,
  stationaryInit,
  steadyStateGain,
  type StateSpaceModel,
} from "../../components/core/kalman.js";
import { rtsSmoother } from "../../components/core/smoother.js";
import { simulateTracking, trackingModel } from "../../components/core/tracking.js";
import { parseSeriesCsv } from "../../components/core/series.js";

const nile = parseSeriesCsv(readFileSync(new URL("../../data/nile.csv", import.meta.url), "utf8")).values;
const LOG_2PI = Math.log(2 * Math.PI);

function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

function nearArray(actual: number[] | number[][], expected: number[] | number[][], tol: number, what: string): void {
  const a = (actual as unknown[]).flat() as number[];
  const e = (expected as unknown[]).flat() as number[];
  assert.equal(a.length, e.length, `${what}: sizes differ`);
  a.forEach((v, i) => near(v, e[i]!, tol, `${what}[${i}]`));
}

// ---------------------------------------------------------------------------------------
// Brute force: the joint Gaussian of (h^{(0)}, h^{(1:T)}, y^{(1:T)}) built from the model
// as one linear map of the independent noises, conditioned by dense linear algebra
// (mathjs inv/det, not the code under test).

interface Joint {
  mean: number[];
  cov: number[][];
  hIndex: (t: number) => number[]; // rows of h^{(t)}, t = 0 … T
  yIndex: (t: number) => number[]; // rows of y^{(t)}, t = 1 … T
}

function jointGaussian(model: StateSpaceModel, T: number, xs?: number[][]): Joint {
  const p = model.Phi.length;
  const q = model.Psi.length;
  const nw = p + T * p + T * q; // w = (h0, ε_1 … ε_T, η_1 … η_T)
  const Cw: number[][] = Array.from({ length: nw }, () => new Array<number>(nw).fill(0));
  const mw = new Array<number>(nw).fill(0);
  const P0 = model.P0!;
  for (let i = 0; i < p; i++) {
    mw[i] = model.h0![i]!;
    for (let j = 0; j < p; j++) Cw[i]![j] = P0[i]![j]!;
  }
  for (let t = 0; t < T; t++) {
    const e = p + t * p;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) Cw[e + i]![e + j] = model.SigmaH[i]![j]!;
    const o = p + T * p + t * q;
    for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) Cw[o + i]![o + j] = model.SigmaObs[i]![j]!;
  }
  // z = A w + c, rows: h0 (p), h1..hT (T p), y1..yT (T q).
  const nz = p + T * p + T * q;
  const A: number[][] = Array.from({ length: nz }, () => new Array<number>(nw).fill(0));
  const c = new Array<number>(nz).fill(0);
  for (let i = 0; i < p; i++) A[i]![i] = 1;
  for (let t = 1; t <= T; t++) {
    const prev = (t - 1) * p;
    const cur = t * p;
    const x = xs?.[t - 1];
    for (let i = 0; i < p; i++) {
      for (let k = 0; k < p; k++) {
        const f = model.Phi[i]![k]!;
        for (let j = 0; j < nw; j++) A[cur + i]![j]! += f * A[prev + k]![j]!;
        c[cur + i]! += f * c[prev + k]!;
      }
      A[cur + i]![p + (t - 1) * p + i]! += 1;
      if (x && model.Gamma) for (let k = 0; k < x.length; k++) c[cur + i]! += model.Gamma[i]![k]! * x[k]!;
    }
    const yRow = p + T * p + (t - 1) * q;
    for (let i = 0; i < q; i++) {
      for (let k = 0; k < p; k++) {
        const f = model.Psi[i]![k]!;
        for (let j = 0; j < nw; j++) A[yRow + i]![j]! += f * A[cur + k]![j]!;
        c[yRow + i]! += f * c[cur + k]!;
      }
      A[yRow + i]![p + T * p + (t - 1) * q + i]! += 1;
      if (x && model.Xi) for (let k = 0; k < x.length; k++) c[yRow + i]! += model.Xi[i]![k]! * x[k]!;
    }
  }
  const mean = (math.multiply(A, mw) as number[]).map((v, i) => v + c[i]!);
  const cov = math.multiply(math.multiply(A, Cw), math.transpose(A)) as number[][];
  const range = (start: number, n: number) => Array.from({ length: n }, (_, i) => start + i);
  return { mean, cov, hIndex: (t) => range(t * p, p), yIndex: (t) => range(p + T * p + (t - 1) * q, q) };
}

/** Mean and covariance of z_a given z_b = values (b may be empty). */
function condition(joint: Joint, a: number[], b: number[], values: number[]): { mean: number[]; cov: number[][] } {
  const sub = (r: number[], c: number[]) => r.map((i) => c.map((j) => joint.cov[i]![j]!));
  const Saa = sub(a, a);
  if (b.length === 0) return { mean: a.map((i) => joint.mean[i]!), cov: Saa };
  const Sab = sub(a, b);
  const SbbInv = math.inv(sub(b, b)) as number[][];
  const resid = b.map((j, k) => values[k]! - joint.mean[j]!);
  const G = math.multiply(Sab, SbbInv) as number[][];
  const mean = (math.multiply(G, resid) as number[]).map((v, k) => v + joint.mean[a[k]!]!);
  const cov = math.subtract(Saa, math.multiply(G, math.transpose(Sab))) as number[][];
  return { mean, cov };
}

/** The observed rows of y^{(1..upTo)} and their values (NaN = missing). */
function observedUpTo(joint: Joint, ys: number[][], upTo: number): { rows: number[]; values: number[] } {
  const rows: number[] = [];
  const values: number[] = [];
  for (let t = 1; t <= upTo; t++) {
    joint.yIndex(t).forEach((row, i) => {
      const v = ys[t - 1]![i]!;
      if (!Number.isNaN(v)) {
        rows.push(row);
        values.push(v);
      }
    });
  }
  return { rows, values };
}

function bruteForceLogLik(joint: Joint, ys: number[][]): number {
  const { rows, values } = observedUpTo(joint, ys, ys.length);
  const S = rows.map((i) => rows.map((j) => joint.cov[i]![j]!));
  const r = rows.map((i, k) => values[k]! - joint.mean[i]!);
  const quad = math.dot(r, math.multiply(math.inv(S), r) as number[]) as number;
  return -0.5 * (rows.length * LOG_2PI + Math.log(math.det(S) as number) + quad);
}

/** Compares filter and smoother, step by step, with the brute-force conditionals. */
function checkAgainstBruteForce(model: StateSpaceModel, ys: number[][], xs: number[][] | undefined, tol: number): number {
  const T = ys.length;
  const joint = jointGaussian(model, T, xs);
  const filter = kalmanFilter(model, ys, xs);
  const smooth = rtsSmoother(filter, model);
  const all = observedUpTo(joint, ys, T);
  let worst = 0;
  const track = (actual: number[] | number[][], expected: number[] | number[][], what: string) => {
    nearArray(actual, expected, tol, what);
    const a = (actual as unknown[]).flat() as number[];
    const e = (expected as unknown[]).flat() as number[];
    a.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - e[i]!))));
  };
  for (let t = 1; t <= T; t++) {
    const step = filter.steps[t - 1]!;
    const before = observedUpTo(joint, ys, t - 1);
    const upTo = observedUpTo(joint, ys, t);
    const pred = condition(joint, joint.hIndex(t), before.rows, before.values);
    track(step.predictedMean, pred.mean, `predicted mean t=${t}`);
    track(step.predictedCov, pred.cov, `predicted cov t=${t}`);
    const yPred = condition(joint, joint.yIndex(t), before.rows, before.values);
    track(step.innovationCov, yPred.cov, `innovation cov t=${t}`);
    const filt = condition(joint, joint.hIndex(t), upTo.rows, upTo.values);
    track(step.filteredMean, filt.mean, `filtered mean t=${t}`);
    track(step.filteredCov, filt.cov, `filtered cov t=${t}`);
    const sm = condition(joint, [...joint.hIndex(t), ...joint.hIndex(t - 1)], all.rows, all.values);
    const p = model.Phi.length;
    track(smooth.means[t - 1]!, sm.mean.slice(0, p), `smoothed mean t=${t}`);
    track(smooth.covs[t - 1]!, sm.cov.slice(0, p).map((r) => r.slice(0, p)), `smoothed cov t=${t}`);
    track(smooth.lagOneCovs[t - 1]!, sm.cov.slice(0, p).map((r) => r.slice(p)), `lag-one cov t=${t}`);
  }
  const s0 = condition(joint, joint.hIndex(0), all.rows, all.values);
  track(smooth.initialMean, s0.mean, "smoothed h0 mean");
  track(smooth.initialCov, s0.cov, "smoothed h0 cov");
  const ll = bruteForceLogLik(joint, ys);
  near(filter.logLik, ll, tol, "log-likelihood");
  worst = Math.max(worst, Math.abs(filter.logLik - ll));
  return worst;
}

// ---------------------------------------------------------------------------------------

test("one scalar step by hand: Φ=0.5, Γ=1, Ψ=2, Ξ=0.5, Σh=1, Σobs=3, h0=1, P0=2, x=2, y=4", () => {
  const model: StateSpaceModel = { Phi: [[0.5]], Gamma: [[1]], Psi: [[2]], Xi: [[0.5]], SigmaH: [[1]], SigmaObs: [[3]], h0: [1], P0: [[2]] };
  const { steps, logLik, nObserved } = kalmanFilter(model, [4], [[2]]);
  const s = steps[0]!;
  // ĥ = 0.5·1 + 2 = 2.5; P = 0.25·2 + 1 = 1.5; e = 4 − (2·2.5 + 0.5·2) = −2; S = 4·1.5 + 3 = 9;
  // K = 1.5·2/9 = 1/3; ĥ_1 = 2.5 − 2/3 = 11/6; P_1 = (1 − 2/3)·1.5 = 0.5.
  near(s.predictedMean[0]!, 2.5, 1e-15, "predicted mean");
  near(s.predictedCov[0]![0]!, 1.5, 1e-15, "predicted var");
  near(s.innovation[0]!, -2, 1e-15, "innovation");
  near(s.innovationCov[0]![0]!, 9, 1e-15, "S");
  near(s.gain[0]![0]!, 1 / 3, 1e-15, "K");
  near(s.filteredMean[0]!, 11 / 6, 1e-15, "filtered mean");
  near(s.filteredCov[0]![0]!, 0.5, 1e-15, "filtered var");
  near(logLik, -0.5 * (LOG_2PI + Math.log(9) + 4 / 9), 1e-15, "log-likelihood");
  assert.equal(nObserved, 1);
});

test("a missing observation skips the update and adds nothing to the likelihood", () => {
  const model: StateSpaceModel = { Phi: [[0.9]], Psi: [[1]], SigmaH: [[1]], SigmaObs: [[2]], h0: [0], P0: [[1]] };
  const { steps, logLik, nObserved } = kalmanFilter(model, [1, NaN, 0.5]);
  assert.deepEqual(steps[1]!.filteredMean, steps[1]!.predictedMean);
  assert.deepEqual(steps[1]!.filteredCov, steps[1]!.predictedCov);
  assert.equal(steps[1]!.logLik, 0);
  assert.deepEqual(steps[1]!.gain, [[0]]);
  assert.ok(Number.isNaN(steps[1]!.innovation[0]!), "the innovation of a missing y is NaN");
  // Predicted variance after the gap: 0.81 · P_2 + 1 with P_2 = P_2^{(2)} = 0.81 P_1 + 1.
  const P1 = steps[0]!.filteredCov[0]![0]!;
  near(steps[2]!.predictedCov[0]![0]!, 0.81 * (0.81 * P1 + 1) + 1, 1e-14, "variance after gap");
  assert.equal(nObserved, 2);
  near(logLik, steps[0]!.logLik + steps[2]!.logLik, 1e-15, "sum of terms");
});

test("2-D tracking: filter, smoother, lag-one covariances and likelihood equal the brute-force joint Gaussian (1e-9)", (t) => {
  const sim = simulateTracking({ steps: 6, dt: 0.5, processNoise: 0.8, obsNoise: 0.3, seed: 11, initialCov: [[2, 0.3, 0, 0], [0.3, 1, 0, 0.1], [0, 0, 0.5, 0], [0, 0.1, 0, 0.5]] });
  const worst = checkAgainstBruteForce(sim.model, sim.observations, undefined, 1e-9);
  assert.ok(worst < 1e-9, `worst abs difference ${worst}`);
  t.diagnostic(`max |Kalman − brute force| = ${worst.toExponential(2)}`);
});

test("2-D tracking with a partly and a wholly missing GPS fix matches the brute force (1e-9)", (t) => {
  const sim = simulateTracking({ steps: 6, dt: 1, processNoise: 0.2, obsNoise: 1.5, seed: 5 });
  const ys = sim.observations.map((y) => y.slice());
  ys[2] = [NaN, NaN];
  ys[4]![1] = NaN;
  const worst = checkAgainstBruteForce(sim.model, ys, undefined, 1e-9);
  assert.ok(worst < 1e-9, `worst abs difference ${worst}`);
  t.diagnostic(`max |Kalman − brute force| = ${worst.toExponential(2)}`);
  const filter = kalmanFilter(sim.model, ys);
  assert.deepEqual(filter.steps[4]!.observed, [0]);
  assert.equal(filter.steps[4]!.gain.every((row) => row[1] === 0), true);
  assert.equal(filter.nObserved, 12 - 3);
});

test("a general model with inputs x (Γ, Ξ), correlated noises, p=3, q=2 matches the brute force (1e-9)", (t) => {
  const model: StateSpaceModel = {
    Phi: [[0.7, 0.2, 0], [-0.1, 0.5, 0.3], [0, 0.4, -0.6]],
    Gamma: [[1], [0], [-0.5]],
    Psi: [[1, 0, 0.5], [0, 1, -1]],
    Xi: [[0.3], [2]],
    SigmaH: [[1, 0.2, 0], [0.2, 0.5, 0.1], [0, 0.1, 0.8]],
    SigmaObs: [[0.4, -0.1], [-0.1, 0.3]],
    h0: [1, -1, 0.5],
    P0: [[1, 0, 0], [0, 2, 0.5], [0, 0.5, 1]],
  };
  const xs = [[1], [0.5], [-1], [2], [0]];
  const ys = [[1.2, 0.3], [0.8, -1.1], [-0.4, 2.2], [2.5, NaN], [0.1, 0.9]];
  const worst = checkAgainstBruteForce(model, ys, xs, 1e-9);
  assert.ok(worst < 1e-9, `worst abs difference ${worst}`);
  t.diagnostic(`max |Kalman − brute force| = ${worst.toExponential(2)}`);
});

test("tracking: the simulator is reproducible, its noises have the stated scale, and filtering beats raw GPS", () => {
  const a = simulateTracking({ steps: 4000, dt: 1, processNoise: 0.05, obsNoise: 4, seed: 3 });
  const b = simulateTracking({ steps: 4000, dt: 1, processNoise: 0.05, obsNoise: 4, seed: 3 });
  assert.deepEqual(a.observations, b.observations);
  assert.equal(a.states.length, 4000);
  // Observation errors y − Ψh: sample variance per axis ≈ r = 4 (sd of the estimate ≈ 4·√(2/4000) ≈ 0.09).
  for (const axis of [0, 1]) {
    const e = a.observations.map((y, t) => y[axis]! - a.states[t]![axis]!);
    const v = e.reduce((s, x) => s + x * x, 0) / e.length;
    near(v, 4, 0.1, `obs noise variance axis ${axis}`);
  }
  // Velocity steps: variance q·dt = 0.05 per axis.
  const dv = a.states.slice(1).map((h, t) => h[2]! - a.states[t]![2]!);
  near(dv.reduce((s, x) => s + x * x, 0) / dv.length, 0.05, 0.1, "velocity step variance");
  const filter = kalmanFilter(a.model, a.observations);
  const rmse = (f: (t: number) => number[]) =>
    Math.sqrt(a.states.reduce((s, h, t) => s + (f(t)[0]! - h[0]!) ** 2 + (f(t)[1]! - h[1]!) ** 2, 0) / a.states.length);
  const raw = rmse((t) => a.observations[t]!);
  const filtered = rmse((t) => filter.steps[t]!.filteredMean);
  const smoothedMeans = rtsSmoother(filter, a.model).means;
  const smoothed = rmse((t) => smoothedMeans[t]!);
  assert.ok(filtered < 0.8 * raw, `filtered RMSE ${filtered} vs raw ${raw}`);
  assert.ok(smoothed < filtered, `smoothed RMSE ${smoothed} vs filtered ${filtered}`);
});

test("tracking: Σh is the integral of e^{As} B q Bᵀ e^{Aᵀs} over one step (Simpson, independent)", () => {
  const dt = 0.7;
  const q = 1.3;
  const model = trackingModel({ dt, processNoise: q, obsNoise: 1 });
  // Per axis: position–velocity block of ∫_0^dt [s; 1] q [s, 1] ds.
  const m = 2000;
  const acc = [[0, 0], [0, 0]];
  for (let k = 0; k <= m; k++) {
    const s = (k * dt) / m;
    const w = (k === 0 || k === m ? 1 : k % 2 === 1 ? 4 : 2) * (dt / m / 3);
    acc[0]![0]! += w * q * s * s;
    acc[0]![1]! += w * q * s;
    acc[1]![1]! += w * q;
  }
  for (const axis of [0, 1]) {
    near(model.SigmaH[axis]![axis]!, acc[0]![0]!, 1e-12, "position variance");
    near(model.SigmaH[axis]![axis + 2]!, acc[0]![1]!, 1e-12, "position–velocity covariance");
    near(model.SigmaH[axis + 2]![axis + 2]!, acc[1]![1]!, 1e-12, "velocity variance");
  }
  assert.equal(model.SigmaH[0]![1], 0); // axes independent
});

test("steady-state gain: local level closed form, and a Riccati fixed point for tracking", () => {
  const s2l = 1469.1466192376836;
  const s2o = 15098.5771535974;
  const model: StateSpaceModel = { Phi: [[1]], Psi: [[1]], SigmaH: [[s2l]], SigmaObs: [[s2o]], h0: [0], P0: [[1e7]] };
  const ss = steadyStateGain(model)!;
  // P solves P² − σ²_level P − σ²_level σ²_obs = 0; K = P / (P + σ²_obs).
  const P = (s2l + Math.sqrt(s2l * s2l + 4 * s2l * s2o)) / 2;
  near(ss.predictedCov[0]![0]!, P, 1e-12, "steady predicted variance");
  near(ss.gain[0]![0]!, P / (P + s2o), 1e-12, "steady gain");
  // R: StructTS(Nile, "level")$model$P, the filtered variance at t = 100 (already steady):
  // Rscript -e 'sprintf("%.17g", StructTS(Nile, type="level")$model$P)' → 4032.146896949961
  near(ss.filteredCov[0]![0]!, 4032.146896949961, 1e-10, "steady filtered variance vs R");
  near(kalmanFilter(model, nile).steadyState!.gain[0]![0]!, ss.gain[0]![0]!, 0, "filter reports it");

  const track = trackingModel({ dt: 1, processNoise: 0.1, obsNoise: 2 });
  const st = steadyStateGain(track)!;
  const filter = kalmanFilter(track, simulateTracking({ steps: 300, dt: 1, processNoise: 0.1, obsNoise: 2, seed: 1 }).observations);
  nearArray(filter.steps[299]!.gain, st.gain, 1e-10, "the filter's gain converges to it");
});

test("AR(1) with Σobs = 0: Kalman log-likelihood = exact Gaussian AR(1) likelihood (closed form)", () => {
  const phi = 0.6;
  const s2 = 2.5;
  const ys = [0.3, -1.2, 0.8, 2.1, 1.5, -0.4, 0.0, 0.9];
  const model = arAsStateSpace([phi], s2);
  near(model.P0![0]![0]!, s2 / (1 - phi * phi), 1e-15, "stationary variance σ²/(1 − φ²)");
  const logN = (x: number, m: number, v: number) => -0.5 * (LOG_2PI + Math.log(v) + ((x - m) * (x - m)) / v);
  let exact = logN(ys[0]!, 0, s2 / (1 - phi * phi));
  for (let t = 1; t < ys.length; t++) exact += logN(ys[t]!, phi * ys[t - 1]!, s2);
  near(kalmanFilter(model, ys).logLik, exact, 1e-13, "AR(1) log-likelihood");
});

test("AR(2) with Σobs = 0: stationary P0 = Yule–Walker autocovariances, log-likelihood = dense Toeplitz Gaussian", () => {
  const [p1, p2] = [0.5, -0.3];
  const s2 = 1.7;
  const model = arAsStateSpace([p1, p2], s2);
  const g0 = ((1 - p2) * s2) / ((1 + p2) * ((1 - p2) ** 2 - p1 * p1));
  const g1 = (p1 * g0) / (1 - p2);
  nearArray(model.P0!, [[g0, g1], [g1, g0]], 1e-14, "stationary covariance");
  const ys = [0.4, -0.9, 1.3, 0.2, -0.5, 0.7, 1.1];
  const n = ys.length;
  const gamma = [g0, g1];
  for (let k = 2; k < n; k++) gamma.push(p1 * gamma[k - 1]! + p2 * gamma[k - 2]!);
  const C = ys.map((_, i) => ys.map((__, j) => gamma[Math.abs(i - j)]!));
  const quad = math.dot(ys, math.multiply(math.inv(C), ys) as number[]) as number;
  const dense = -0.5 * (n * LOG_2PI + Math.log(math.det(C) as number) + quad);
  near(kalmanFilter(model, ys).logLik, dense, 1e-12, "AR(2) log-likelihood");
});

test("AR(1), AR(2) on the centred Nile: log-likelihood equals R's arima(method = 'ML')", () => {
  const mean = nile.reduce((a, b) => a + b, 0) / nile.length;
  const y = nile.map((v) => v - mean);
  // R 4.2.2: y <- Nile - mean(Nile)
  //   a <- arima(y, order=c(2,0,0), include.mean=FALSE, fixed=c(0.4,0.2), transform.pars=FALSE, method="ML")
  //   sprintf("%.17g", c(a$sigma2, a$loglik))  →  20295.848064000005  -637.9870971134136
  near(kalmanFilter(arAsStateSpace([0.4, 0.2], 20295.848064000005), y).logLik, -637.9870971134136, 1e-12, "AR(2) vs R");
  //   same with order=c(1,0,0), fixed=0.5  →  21127.738987499986  -639.9547993583808
  near(kalmanFilter(arAsStateSpace([0.5], 21127.738987499986), y).logLik, -639.9547993583808, 1e-12, "AR(1) vs R");
});

test("AR(2), AR(4) with Σobs = 0: the smoother (singular predicted covariances) returns the data exactly", () => {
  const ys = [0.4, -0.9, 1.3, 0.2, -0.5, 0.8, 1.7, -0.3];
  for (const phi of [[0.5, -0.3], [0.3, 0.2, 0.1, -0.2]]) {
    const model = arAsStateSpace(phi, 1);
    const sm = rtsSmoother(kalmanFilter(model, ys), model);
    ys.forEach((y, t) => {
      near(sm.means[t]![0]!, y, 1e-12, `AR(${phi.length}) smoothed y at t=${t + 1}`);
      near(sm.covs[t]![0]![0]!, 0, 1e-12, `AR(${phi.length}) smoothed variance at t=${t + 1}`);
      if (t > 0) near(sm.means[t]![1]!, ys[t - 1]!, 1e-12, `AR(${phi.length}) smoothed lag at t=${t + 1}`);
    });
  }
});

test("stationaryInit and diffuseInit", () => {
  const m = stationaryInit({ Phi: [[0.8]], Psi: [[1]], SigmaH: [[0.36]], SigmaObs: [[1]] });
  near(m.P0![0]![0]!, 1, 1e-15, "0.36 / (1 − 0.64)");
  const d = diffuseInit(m, 1e6, [3]);
  assert.deepEqual(d.P0, [[1e6]]);
  assert.deepEqual(d.h0, [3]);
  assert.throws(() => stationaryInit({ Phi: [[1.1]], Psi: [[1]], SigmaH: [[1]], SigmaObs: [[1]] }), /not stable/);
});

test("errors: non-PSD or asymmetric covariances are named, dimensions are checked, singular S is reported", () => {
  const base: StateSpaceModel = { Phi: [[1, 0], [0, 1]], Psi: [[1, 0]], SigmaH: [[1, 0], [0, 1]], SigmaObs: [[1]] };
  assert.throws(() => kalmanFilter({ ...base, SigmaH: [[1, 2], [2, 1]] }, [1]), /SigmaH \(Σ_h\) is not positive semi-definite/);
  assert.throws(() => kalmanFilter({ ...base, SigmaObs: [[-1]] }, [1]), /SigmaObs \(Σ_obs\) is not positive semi-definite/);
  assert.throws(() => kalmanFilter({ ...base, SigmaH: [[1, 0.5], [0, 1]] }, [1]), /SigmaH \(Σ_h\) is not symmetric/);
  assert.throws(() => kalmanFilter({ ...base, P0: [[1, 0], [0, -1e-3]] }, [1]), /P0 is not positive semi-definite/);
  assert.throws(() => kalmanFilter({ ...base, Psi: [[1, 0, 0]] }, [1]), /Psi \(Ψ\) must be 1 × 2/);
  assert.throws(() => kalmanFilter({ ...base, Phi: [[1, 0]] }, [1]), /Phi \(Φ\) must be 1 × 1/);
  assert.throws(() => kalmanFilter({ ...base, SigmaObs: [[1, 0], [0, 1]] }, [1]), /SigmaObs \(Σ_obs\) must be 1 × 1/);
  assert.throws(() => kalmanFilter({ ...base, h0: [0] }, [1]), /h0 must be a finite vector of length p = 2/);
  assert.throws(() => kalmanFilter(base, [[1, 2]]), /y at t = 1 has 2 components, the model expects q = 1/);
  assert.throws(() => kalmanFilter(base, [Infinity]), /non-finite/);
  assert.throws(() => kalmanFilter(base, [1, 2], [[1]]), /xs has 1 rows but ys has 2/);
  assert.throws(() => kalmanFilter(base, [1], [[1]]), /neither Gamma \(Γ\) nor Xi \(Ξ\)/);
  assert.throws(() => kalmanFilter({ ...base, Gamma: [[1, 1], [0, 0]] }, [1], [[1]]), /Gamma \(Γ\) must be 2 × 1/);
  // Nothing random anywhere: S_1 = Ψ P Ψᵀ + Σ_obs = 0.
  const exact: StateSpaceModel = { Phi: [[1]], Psi: [[1]], SigmaH: [[0]], SigmaObs: [[0]], h0: [0], P0: [[0]] };
  assert.throws(() => kalmanFilter(exact, [1]), /innovation covariance S_t = Ψ P Ψᵀ \+ Σ_obs at t = 1 is singular/);
  assert.throws(() => arAsStateSpace([1.2], 1), /not stationary/);
  assert.throws(() => arAsStateSpace([1], 1), /not stationary/);
  assert.throws(() => arAsStateSpace([0.5, 0.6], 1), /not stationary/);
  assert.throws(() => arAsStateSpace([0.5], 0), /σ² must be finite and > 0/);
});
