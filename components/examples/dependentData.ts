// The computations behind the "Dependent data" page: the five real series with their units,
// the transformations the page offers, i.i.d. pairs against a series under shuffling, and how
// often a shuffled series' autocorrelations leave the white-noise band. Pure TypeScript.
import { acf, acfBand } from "../core/acf.js";
import { createRng } from "../core/random.js";
import type { Series } from "../core/series.js";

/** One of the data sets in data/, as the page presents it. */
export interface RealSeries {
  key: string;
  /** Heading. */
  title: string;
  /** File name in data/ without extension (for the provenance link). */
  file: string;
  /** Axis label of the values. */
  valueLabel: string;
  /** "year" or "month". */
  step: string;
  /** Numeric times (years, months as fractional years). */
  times: number[];
  /** Time labels as written in the file. */
  labels: string[];
  values: number[];
}

/** The five series in the page's order, from the parsed CSVs. */
export function realSeries(all: { nile: Series; sunspots: Series; lynx: Series; air: Series; co2: Series }): RealSeries[] {
  const make = (key: string, title: string, file: string, valueLabel: string, step: string, s: Series): RealSeries => ({ key, title, file, valueLabel, step, times: s.times, labels: s.labels, values: s.values });
  return [
    make("nile", "Nile flow at Aswan, 1871–1970", "nile", "flow ($10^8\\,\\mathrm{m}^3$)", "year", all.nile),
    make("sunspots", "Annual sunspot number, 1700–1988", "sunspots-annual", "sunspot number", "year", all.sunspots),
    make("lynx", "Canadian lynx trapped, 1821–1934", "lynx", "lynx trapped", "year", all.lynx),
    make("air", "Airline passengers, 1949–1960 (monthly)", "air-passengers", "passengers (thousands)", "month", all.air),
    make("co2", "CO₂ at Mauna Loa, 1959–1997 (monthly)", "co2-mauna-loa", "CO₂ (ppm)", "month", all.co2),
  ];
}

/** The transformations the page offers before computing autocorrelations. */
export type Transform = "none" | "log10" | "difference";

export const TRANSFORM_LABELS: Record<Transform, string> = {
  none: "as recorded",
  log10: "log₁₀",
  difference: "first difference x(t) − x(t−1)",
};

/**
 * The series after a transformation; differencing drops the first time step. A series with
 * zeros (the sunspot numbers) is logged as log₁₀(1 + x), and its label says so.
 */
export function transformSeries(s: RealSeries, transform: Transform): RealSeries {
  if (transform === "none") return s;
  if (transform === "log10") {
    // Sunspot numbers include zeros, whose logarithm does not exist: those series get log₁₀(1 + x).
    const shift = s.values.some((v) => !(v > 0)) ? 1 : 0;
    if (s.values.some((v) => !(v + shift > 0))) throw new Error(`log₁₀ needs values above ${-shift}; ${s.title} has smaller ones.`);
    return {
      ...s,
      valueLabel: shift ? `$\\log_{10}(1 + {}$${s.valueLabel}$)$` : `$\\log_{10}$ ${s.valueLabel}`,
      values: s.values.map((v) => Math.log10(v + shift)),
    };
  }
  return {
    ...s,
    valueLabel: `change in ${s.valueLabel}`,
    times: s.times.slice(1),
    labels: s.labels.slice(1),
    values: s.values.slice(1).map((v, t) => v - s.values[t]!),
  };
}

/** A seeded random reordering of the values (Fisher–Yates with the course's xoshiro128** generator). */
export function shuffled(values: number[], seed: number): number[] {
  return createRng(seed).shuffle(values.slice());
}

/** Least-squares line y = a + b x through pairs. */
export function leastSquares(x: number[], y: number[]): { intercept: number; slope: number } {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope };
}

/** What shuffling does to i.i.d. pairs and to a series. */
export interface ShuffleContrast {
  /** Least-squares fit of the pairs in their original order and after shuffling the pairs. */
  pairsFit: { intercept: number; slope: number };
  pairsFitShuffled: { intercept: number; slope: number };
  /** Lag-1 autocorrelation of the series before and after shuffling its values. */
  seriesR1: number;
  seriesR1Shuffled: number;
}

/**
 * n pairs (xᵢ, yᵢ) with xᵢ ~ N(0, 1), yᵢ = 1 + 2xᵢ + N(0, 1), drawn from `seed`; the same
 * permutation applied to the pairs and to the series' values.
 */
export function shuffleContrast(series: number[], n: number, seed: number): ShuffleContrast & { x: number[]; y: number[] } {
  const rng = createRng(seed);
  const x = Array.from({ length: n }, () => rng.normal());
  const y = x.map((v) => 1 + 2 * v + rng.normal());
  const order = createRng(seed + 1).shuffle(Array.from({ length: n }, (_, i) => i));
  const pairsFit = leastSquares(x, y);
  const pairsFitShuffled = leastSquares(order.map((i) => x[i]!), order.map((i) => y[i]!));
  return {
    x, y, pairsFit, pairsFitShuffled,
    seriesR1: acf(series, 1)[1]!,
    seriesR1Shuffled: acf(shuffled(series, seed + 1), 1)[1]!,
  };
}

/** How often shuffled copies' autocorrelations r(1..maxLag) leave the 95% band. */
export interface ShuffleCoverage {
  replicates: number;
  maxLag: number;
  band: number;
  /** Share of all r(k), k = 1..maxLag, over all shuffles, with |r(k)| > band. */
  outsideShare: number;
  /** Share of r(k) of the unshuffled series outside the band. */
  originalOutsideShare: number;
}

/** Shuffles the values with seeds seed, seed + 1, … and counts autocorrelations outside ±1.96/√n. */
export function shuffleCoverage(values: number[], maxLag: number, replicates: number, seed: number): ShuffleCoverage {
  const band = acfBand(values.length);
  let outside = 0;
  for (let r = 0; r < replicates; r++) {
    const rho = acf(shuffled(values, seed + r), maxLag);
    for (let k = 1; k <= maxLag; k++) if (Math.abs(rho[k]!) > band) outside++;
  }
  const original = acf(values, maxLag).slice(1).filter((v) => Math.abs(v) > band).length;
  return { replicates, maxLag, band, outsideShare: outside / (replicates * maxLag), originalOutsideShare: original / maxLag };
}
