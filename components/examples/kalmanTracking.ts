// View helpers of the Kalman-filter page: the 2-D tracking run and every quantity it shows
// at a time step, the gain against its steady state, the filter written as a linear
// recurrence h(t) = W h(t−1) + U x(t) + b, covariance ellipses, and the autoregression
// limit. Pure TypeScript (no DOM), so the unit tests check the numbers the page prints.
//
// Time steps: the page's cursor runs over t = 0 … n; t = 0 is the prior h^{(0)} ~ N(h0, P0)
// and step t ≥ 1 is `filter.steps[t − 1]`.

import { arAsStateSpace, kalmanFilter, steadyStateGain, type KalmanFilterResult, type StateSpaceModel, type SteadyState } from "../core/kalman.js";
import { rtsSmoother, type SmootherResult } from "../core/smoother.js";
import { simulateTracking, type SimulatedTrack } from "../core/tracking.js";
import { matMul, matVec } from "../core/linalg.js";
import { identityMatrix, subtractMatrices, symmetricEigen } from "../core/matrix.js";
import { arExactLogLik } from "../core/ar.js";
import { spectralRadius } from "../core/eigen.js";
import type { ValueTableRow } from "../ui/valueTable.js";
import type { LineSeries } from "../ui/lineChart.js";
import type { TrackData } from "../ui/trackPlot.js";

/** Settings of the live tracking example. */
export interface TrackingRunSettings {
  seed: number;
  steps: number;
  /** q, the variance per unit time of the random acceleration (Σ_h scales with it). */
  processNoise: number;
  /** r, the variance of each GPS coordinate's error (Σ_obs = r I₂). */
  obsNoise: number;
  dt?: number;
}

/** A simulated track with its filter, smoother and steady-state gain. */
export interface TrackingRun {
  settings: Required<TrackingRunSettings>;
  sim: SimulatedTrack;
  model: StateSpaceModel;
  filter: KalmanFilterResult;
  smoother: SmootherResult;
  steady: SteadyState | null;
}

/** Simulates the constant-velocity model with `seed`, then filters and smooths the GPS fixes with the true model. */
export function runTracking(settings: TrackingRunSettings): TrackingRun {
  const full = { dt: 1, ...settings };
  const sim = simulateTracking({ steps: full.steps, seed: full.seed, dt: full.dt, processNoise: full.processNoise, obsNoise: full.obsNoise });
  const model = sim.model;
  const filter = kalmanFilter(model, sim.observations);
  const smoother = rtsSmoother(filter, model);
  return { settings: full, sim, model, filter, smoother, steady: filter.steadyState };
}

export const STATE_LABELS = ["$x$", "$y$", "$v_x$", "$v_y$"];
export const OBS_LABELS = ["$x$", "$y$"];

/** The rows of the value table at time step t (0 = the prior). */
export function trackingRows(run: TrackingRun, t: number): ValueTableRow[] {
  const { filter, sim } = run;
  if (t <= 0 || t > filter.steps.length) {
    return [
      { label: "true start $h^{(0)}$", values: sim.initialState, unitLabels: STATE_LABELS },
      { label: "prior mean $\\hat h_0^{(0)}$", values: filter.initialMean, unitLabels: STATE_LABELS },
      ...filter.initialCov.map((row, i) => ({ label: `prior cov. $P_0^{(0)}$, row ${STATE_LABELS[i]}`, values: row, unitLabels: STATE_LABELS })),
    ];
  }
  const s = filter.steps[t - 1]!;
  const sm = run.smoother;
  return [
    { label: "true state $h^{(t)}$", values: sim.states[t - 1]!, unitLabels: STATE_LABELS },
    { label: "predicted mean $\\hat h_{t-1}^{(t)}$", values: s.predictedMean, unitLabels: STATE_LABELS },
    ...s.predictedCov.map((row, i) => ({ label: `predicted cov. $P_{t-1}^{(t)}$, row ${STATE_LABELS[i]}`, values: row, unitLabels: STATE_LABELS })),
    { label: "GPS fix $y^{(t)}$", values: sim.observations[t - 1]!, unitLabels: OBS_LABELS },
    { label: "innovation $e_t = y^{(t)} - \\Psi\\hat h_{t-1}^{(t)}$", values: s.innovation, unitLabels: OBS_LABELS },
    ...s.innovationCov.map((row, i) => ({ label: `innovation cov. $S_t$, row ${OBS_LABELS[i]}`, values: row, unitLabels: OBS_LABELS })),
    ...s.gain.map((row, i) => ({ label: `gain $K_t$, row ${STATE_LABELS[i]}`, values: row, unitLabels: OBS_LABELS })),
    { label: "updated mean $\\hat h_t^{(t)}$", values: s.filteredMean, unitLabels: STATE_LABELS },
    ...s.filteredCov.map((row, i) => ({ label: `updated cov. $P_t^{(t)}$, row ${STATE_LABELS[i]}`, values: row, unitLabels: STATE_LABELS })),
    { label: "smoothed mean $\\hat h_n^{(t)}$", values: sm.means[t - 1]!, unitLabels: STATE_LABELS },
    { label: "log-likelihood term $\\ell_t$", values: s.logLik },
  ];
}

/** Gain entries against t = 0 … n (null at t = 0), each with its steady-state value as a dashed line. */
export function gainSeries(run: TrackingRun): LineSeries[] {
  const entries: { i: number; j: number; name: string; color: string }[] = [
    { i: 0, j: 0, name: "$K_{t,11}$: $x$ from the $x$ fix", color: "#4e79a7" },
    { i: 2, j: 0, name: "$K_{t,31}$: $v_x$ from the $x$ fix", color: "#e15759" },
  ];
  const out: LineSeries[] = [];
  for (const e of entries) {
    out.push({ name: e.name, color: e.color, values: [null, ...run.filter.steps.map((s) => s.gain[e.i]![e.j]!)] });
    const limit = run.steady?.gain[e.i]![e.j]!;
    out.push({ name: `steady state of ${e.name.split(":")[0]}`, color: e.color, dash: true, values: [null, ...run.filter.steps.map(() => limit ?? null)] });
  }
  return out;
}

/** The x-innovation with ±2√S_{t,11} (the band it should stay inside about 95% of the time). */
export function innovationSeries(run: TrackingRun): LineSeries[] {
  const s = run.filter.steps;
  const band = s.map((x) => 2 * Math.sqrt(x.innovationCov[0]![0]!));
  return [
    { name: "$e_{t,1}$ (x innovation)", color: "#4e79a7", values: [null, ...s.map((x) => x.innovation[0]!)] },
    { name: "$+2\\sqrt{S_{t,11}}$", color: "#9c9c9c", dash: true, values: [null, ...band] },
    { name: "$-2\\sqrt{S_{t,11}}$", color: "#9c9c9c", dash: true, values: [null, ...band.map((b) => -b)] },
  ];
}

/** Position errors of the filter and the smoother against the true track, t = 0 … n. */
export function errorSeries(run: TrackingRun): LineSeries[] {
  const dist = (a: number[], b: number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);
  const truth = run.sim.states;
  return [
    { name: "GPS fix", color: "#bab0ac", values: [null, ...run.sim.observations.map((y, i) => dist(y, truth[i]!))] },
    { name: "filter $\\hat h_t^{(t)}$", color: "#4e79a7", values: [null, ...run.filter.steps.map((s, i) => dist(s.filteredMean, truth[i]!))] },
    { name: "smoother $\\hat h_n^{(t)}$", color: "#59a14f", dash: true, values: [null, ...run.smoother.means.map((m, i) => dist(m, truth[i]!))] },
  ];
}

/** Standard deviation of the x position: predicted, filtered, smoothed, t = 0 … n. */
export function sdSeries(run: TrackingRun): LineSeries[] {
  const sd = (P: number[][]) => Math.sqrt(P[0]![0]!);
  return [
    { name: "predicted $\\sqrt{P_{t-1,11}^{(t)}}$", color: "#f28e2b", values: [null, ...run.filter.steps.map((s) => sd(s.predictedCov))] },
    { name: "filtered $\\sqrt{P_{t,11}^{(t)}}$", color: "#4e79a7", values: [sd(run.filter.initialCov), ...run.filter.steps.map((s) => sd(s.filteredCov))] },
    { name: "smoothed $\\sqrt{P_{n,11}^{(t)}}$", color: "#59a14f", dash: true, values: [sd(run.smoother.initialCov), ...run.smoother.covs.map(sd)] },
  ];
}

/** Root-mean-square position error over t = 1 … n of the fixes, the filter and the smoother. */
export function trackingRmse(run: TrackingRun): { gps: number; filter: number; smoother: number } {
  const rmse = (points: number[][]) => Math.sqrt(points.reduce((sum, p, i) => sum + (p[0]! - run.sim.states[i]![0]!) ** 2 + (p[1]! - run.sim.states[i]![1]!) ** 2, 0) / Math.max(1, points.length));
  return {
    gps: rmse(run.sim.observations),
    filter: rmse(run.filter.steps.map((s) => s.filteredMean)),
    smoother: rmse(run.smoother.means),
  };
}

/**
 * The boundary of the region {z : (z − m)ᵀ C⁻¹ (z − m) ≤ k²} of a 2 × 2 covariance C, as
 * `points` points: m + k · V diag(√λ) (cos θ, sin θ). k = 2.4477 holds 95% of a Gaussian.
 */
export function covarianceEllipse(mean: readonly number[], cov: number[][], k = Math.sqrt(-2 * Math.log(0.05)), points = 64): [number, number][] {
  const { values, vectors } = symmetricEigen([
    [cov[0]![0]!, cov[0]![1]!],
    [cov[1]![0]!, cov[1]![1]!],
  ]);
  const a = Math.sqrt(Math.max(0, values[0]!));
  const b = Math.sqrt(Math.max(0, values[1]!));
  const out: [number, number][] = [];
  for (let i = 0; i <= points; i++) {
    const th = (2 * Math.PI * i) / points;
    const u = k * a * Math.cos(th);
    const v = k * b * Math.sin(th);
    out.push([mean[0]! + vectors[0]![0]! * u + vectors[0]![1]! * v, mean[1]! + vectors[1]![0]! * u + vectors[1]![1]! * v]);
  }
  return out;
}

/** The 95% ellipse radius: P(χ²₂ ≤ k²) = 0.95. */
export const ELLIPSE_95 = Math.sqrt(-2 * Math.log(0.05));

/**
 * The steady-state filter as a linear recurrence on the filtered mean:
 *
 *   ĥ_t^{(t)} = (I − KΨ)Φ ĥ_{t−1}^{(t−1)} + K y^{(t)} + ((I − KΨ)Γ − KΞ) x^{(t)}
 *            =  W ĥ_{t−1}^{(t−1)} + U u^{(t)} + b,   u^{(t)} = (y^{(t)}, x^{(t)}),  b = 0,
 *
 * so U = [K, (I − KΨ)Γ − KΞ] (just K when there are no inputs). Returns null if the gain has
 * no steady state.
 */
export interface LinearRecurrence {
  W: number[][];
  U: number[][];
  b: number[];
  K: number[][];
  /** Eigenvalues of W are inside the unit circle; their largest modulus. */
  spectralRadius: number;
}

export function steadyStateRecurrence(model: StateSpaceModel): LinearRecurrence | null {
  const steady = steadyStateGain(model);
  if (!steady) return null;
  const K = steady.gain;
  const p = model.Phi.length;
  const iMinusKPsi = subtractMatrices(identityMatrix(p), matMul(K, model.Psi));
  const W = matMul(iMinusKPsi, model.Phi);
  let U = K.map((row) => row.slice());
  if (model.Gamma || model.Xi) {
    const r = (model.Gamma ?? model.Xi)![0]!.length;
    const gammaPart = model.Gamma ? matMul(iMinusKPsi, model.Gamma) : identityMatrix(p).map(() => new Array<number>(r).fill(0));
    const xiPart = model.Xi ? matMul(K, model.Xi) : identityMatrix(p).map(() => new Array<number>(r).fill(0));
    U = U.map((row, i) => [...row, ...gammaPart[i]!.map((v, j) => v - xiPart[i]![j]!)]);
  }
  return { W, U, b: new Array<number>(p).fill(0), K, spectralRadius: spectralRadius(W) };
}

/** Runs h ← W h + U y from the prior mean over the observations (no inputs); returns every h. */
export function runRecurrence(rec: LinearRecurrence, h0: number[], ys: readonly (readonly number[])[]): number[][] {
  let h = h0.slice();
  return ys.map((y) => {
    const wh = matVec(rec.W, h);
    const uy = matVec(rec.U, Array.from(y));
    h = wh.map((v, i) => v + uy[i]! + rec.b[i]!);
    return h;
  });
}

/** The AR(p) limit: Kalman log-likelihoods of the companion model with Σ_obs = s, and the exact AR one. */
export interface ArLimit {
  phi: number[];
  sigma2: number;
  /** The exact Gaussian AR log-likelihood (innovations algorithm of ar.ts, at σ²). */
  arLogLik: number;
  /** Kalman log-likelihood with Σ_obs = 0. */
  kalmanAtZero: number;
  /** log10 s and the Kalman log-likelihood with Σ_obs = s, over a grid. */
  curve: { log10s: number[]; logLik: number[] };
  /** At the chosen s. */
  atS: number;
}

/**
 * Compares the state-space form of an AR(p) (`arAsStateSpace`) with observation noise s
 * added, against the exact AR likelihood from ar.ts, on the (centred) series `ys`. σ² is the
 * profile maximiser for φ. Returns null if φ is not stationary.
 */
export function arLimit(ys: number[], phi: number[], s: number, grid: number[] = range(-4, 4, 0.5)): ArLimit | null {
  const exact = arExactLogLik(ys, phi, 0);
  if (!Number.isFinite(exact.logLik)) return null;
  const sigma2 = exact.sigma2;
  const base = arAsStateSpace(phi, sigma2);
  const at = (v: number) => kalmanFilter({ ...base, SigmaObs: [[v]] }, ys, undefined, { steadyState: false }).logLik;
  return {
    phi,
    sigma2,
    arLogLik: exact.logLik,
    kalmanAtZero: at(0),
    curve: { log10s: grid, logLik: grid.map((g) => at(10 ** g)) },
    atS: at(s),
  };
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

/** Everything the TrackPlot draws for a run, with 95% ellipses of the position block of P. */
export function trackData(run: TrackingRun, showSmoothed = true): TrackData {
  const pos = (P: number[][]) => [
    [P[0]![0]!, P[0]![1]!],
    [P[1]![0]!, P[1]![1]!],
  ];
  const steps = run.filter.steps;
  return {
    truth: run.sim.states,
    observations: run.sim.observations,
    filtered: steps.map((s) => s.filteredMean),
    smoothed: showSmoothed ? run.smoother.means : undefined,
    predicted: steps.map((s) => s.predictedMean),
    predictedEllipse: steps.map((s) => covarianceEllipse(s.predictedMean, pos(s.predictedCov))),
    updatedEllipse: steps.map((s) => covarianceEllipse(s.filteredMean, pos(s.filteredCov))),
    start: run.filter.initialMean,
    startEllipse: covarianceEllipse(run.filter.initialMean, pos(run.filter.initialCov)),
  };
}
