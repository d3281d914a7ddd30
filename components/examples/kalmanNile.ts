// View helpers of the Kalman-filter page for the local-level model on the Nile: the
// log-likelihood surface on a log grid, the prediction-error decomposition term by term,
// filtered and smoothed levels with bands, EM run live in small chunks, and the table that
// compares the page's estimates with R's StructTS and statsmodels. Pure TypeScript.

import {
  fitLocalLevelEM,
  localLevelModel,
  localLevelStates,
  logLikSurface,
  type LocalLevelInit,
  type LocalLevelParams,
  type LocalLevelPoint,
  type LogLikSurface,
} from "../core/localLevel.js";
import { kalmanFilter } from "../core/kalman.js";
import type { LineSeries } from "../ui/lineChart.js";

/**
 * R 4.2.2, `fit <- StructTS(Nile, type = "level")`: fit$coef (level, epsilon) and fit$loglik,
 * printed with 17 significant digits (the values test/unit/localLevel.test.ts pins).
 */
export const R_STRUCTTS = { sigma2Level: 1469.1466192376836, sigma2Obs: 15098.5771535974, logLik: -643.20098751576131 };

/** statsmodels 0.13.5, UnobservedComponents(nile, "llevel", use_exact_diffuse=True).fit(): the exact-diffuse optimum. */
export const STATSMODELS_DIFFUSE = { sigma2Level: 1469.17636644, sigma2Obs: 15098.51834096 };

/** Evenly spaced on a log scale from `from` to `to`, `count` points. */
export function logGrid(from: number, to: number, count: number): number[] {
  const a = Math.log(from);
  const b = Math.log(to);
  return Array.from({ length: count }, (_, k) => Math.exp(a + ((b - a) * k) / (count - 1)));
}

/** The log-likelihood surface of the Nile's local-level model over a log grid wide enough for R's default start (var(y)/100 for both). */
export function nileSurface(ys: readonly number[], count = 41, init: LocalLevelInit = "r-structts"): LogLikSurface {
  return logLikSurface(ys, { sigma2Level: logGrid(10, 1e5, count), sigma2Obs: logGrid(100, 1e5, count) }, { init });
}

/** The prediction-error decomposition at `params`: ℓ_t, the innovations and their variances F_t, t = 1 … n. */
export interface Decomposition {
  terms: number[];
  innovations: number[];
  variances: number[];
  total: number;
}

export function predictionErrorDecomposition(ys: readonly number[], params: LocalLevelParams): Decomposition {
  const filter = kalmanFilter(localLevelModel(ys, params), ys, undefined, { steadyState: false });
  return {
    terms: filter.steps.map((s) => s.logLik),
    innovations: filter.steps.map((s) => s.innovation[0]!),
    variances: filter.steps.map((s) => s.innovationCov[0]![0]!),
    total: filter.logLik,
  };
}

/** Flow, filtered and smoothed level with ±2 sd bands of the smoothed level, for a LineChart over the years. */
export function levelSeries(ys: readonly number[], params: LocalLevelParams): LineSeries[] {
  const s = localLevelStates(ys, params);
  return [
    { name: "flow $y^{(t)}$", color: "#bab0ac", values: ys.slice() },
    { name: "filtered level $\\hat h_t^{(t)}$", color: "#4e79a7", values: s.filteredMean },
    { name: "smoothed level $\\hat h_n^{(t)}$", color: "#59a14f", values: s.smoothedMean },
    { name: "smoothed $+2\\sqrt{P_n^{(t)}}$", color: "#59a14f", dash: true, values: s.smoothedMean.map((m, i) => m + 2 * Math.sqrt(s.smoothedVar[i]!)) },
    { name: "smoothed $-2\\sqrt{P_n^{(t)}}$", color: "#59a14f", dash: true, values: s.smoothedMean.map((m, i) => m - 2 * Math.sqrt(s.smoothedVar[i]!)) },
  ];
}

/** One EM state shown while it runs. */
export interface EmProgress {
  history: LocalLevelPoint[];
  done: boolean;
}

/**
 * Runs EM for the local-level model `iterations` times, `chunk` iterations at a time,
 * yielding the history so far after each chunk and letting the page breathe in between.
 * Each call of fitLocalLevelEM with one iteration is one E-step (filter + smoother) and one
 * M-step from the previous estimate, so the history equals a single long run.
 */
export async function* emProgress(
  ys: readonly number[],
  { iterations = 200, chunk = 10, start, init = "r-structts" }: { iterations?: number; chunk?: number; start?: LocalLevelParams; init?: LocalLevelInit } = {},
): AsyncGenerator<EmProgress> {
  const first = fitLocalLevelEM(ys, { iterations: 0, start, init });
  const history: LocalLevelPoint[] = [...first.history];
  yield { history: history.slice(), done: iterations === 0 };
  while (history.length - 1 < iterations) {
    const todo = Math.min(chunk, iterations - (history.length - 1));
    const last = history[history.length - 1]!;
    const next = fitLocalLevelEM(ys, { iterations: todo, start: { sigma2Level: last.sigma2Level, sigma2Obs: last.sigma2Obs }, init });
    history.push(...next.history.slice(1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    yield { history: history.slice(), done: history.length - 1 >= iterations };
  }
}
