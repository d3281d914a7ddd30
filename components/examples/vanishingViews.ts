// What the "Vanishing and exploding gradients" page plots, computed from the built matrix,
// the live network's inspections, the sweep's results and the stored table.
import { eigenvalues, singularValues, type Complex } from "../core/eigen.js";
import { recallTask } from "../core/lagTask.js";
import { formatNumber } from "../ui/format.js";
import type { NormSeries } from "../ui/normPlot.js";
import type { PointSet } from "../ui/complexPlane.js";
import { hiddenGradientNorms } from "./vanishingFastRnn.js";
import { INIT_NAMES, initialRnn, SWEEP_LAGS, type LagInit, type LagRunResult, type LagTableRow } from "./vanishingLag.js";
import { jacobianProductNorms, recurrentRows, type BuiltMatrix } from "./vanishingSpectrum.js";

export const INIT_COLORS: Record<LagInit, string> = { gaussian: "#6b7280", orthogonal: "#2563eb", identity: "#15803d", irnn: "#c2410c" };
export const INITS: LagInit[] = ["gaussian", "orthogonal", "identity", "irnn"];

/** Distinct eigenvalues with their multiplicity (the built matrix repeats ρe^{±iθ}). */
export function groupEigenvalues(values: Complex[], tolerance = 1e-6): { value: Complex; count: number }[] {
  const groups: { value: Complex; count: number }[] = [];
  for (const v of values) {
    const g = groups.find((x) => Math.hypot(x.value.re - v.re, x.value.im - v.im) < tolerance * Math.max(1, Math.hypot(v.re, v.im)));
    if (g) g.count += 1;
    else groups.push({ value: v, count: 1 });
  }
  return groups;
}

/** The point sets of the complex plane: the built W and, if there is one, the live network's W. */
export function spectrumSets(built: BuiltMatrix, trained: Complex[] | null): PointSet[] {
  const sets: PointSet[] = [{ name: "the W you built", points: built.eigenvalues, color: "#c2410c" }];
  if (trained) sets.push({ name: "the live network's W", points: trained, color: "#2563eb", hollow: true });
  return sets;
}

/** ‖Wᵗh(0)‖, ‖Wᵗ‖₂ and ρᵗ for the built matrix, and ‖Wᵗ‖₂ for the live network's W. */
export function powerSeries(built: BuiltMatrix, trainedPowerNorms: number[] | null): NormSeries[] {
  const x = built.powers.map((_, t) => t);
  const series: NormSeries[] = [
    { name: "$\\lVert W^t\\vh^{(0)}\\rVert$", x, values: built.powers, color: "#c2410c" },
    { name: "$\\lVert W^t\\rVert_2$ (the worst $\\vh^{(0)}$)", x, values: built.powerNorms, color: "#c2410c", dash: true },
    { name: "$\\rho^t$", x, values: x.map((t) => built.radius ** t), color: "#111827", dash: true },
  ];
  if (trainedPowerNorms) series.push({ name: "live network: $\\lVert W^t\\rVert_2$", x: trainedPowerNorms.map((_, t) => t), values: trainedPowerNorms, color: "#2563eb" });
  return series;
}

/** ‖∂h(t)/∂h(0)‖₂ along the live network's held-out sequence: with its own W, with the built W, and ρᵗ. */
export function jacobianSeries(inspection: { net: Parameters<typeof jacobianProductNorms>[0]; probe: number[][]; jacobian: number[] } | null, built: BuiltMatrix): NormSeries[] {
  if (!inspection) return [];
  const x = inspection.jacobian.map((_, t) => t);
  const withBuilt = inspection.net.q === built.W.length ? jacobianProductNorms(inspection.net, inspection.probe, built.W) : null;
  const series: NormSeries[] = [{ name: "live network, its own W", x, values: inspection.jacobian, color: "#2563eb" }];
  if (withBuilt) series.push({ name: "live network with the W you built", x, values: withBuilt, color: "#c2410c" });
  series.push({ name: "$\\lVert W^t\\rVert_2$ of the W you built (no tanh)", x, values: x.map((t) => built.powerNorms[t] ?? null), color: "#c2410c", dash: true });
  return series;
}

/** One curve per lag: mean ‖∂ℓ_answer/∂h‖ against the number of steps back from the answer. */
export function sweepGradientSeries(results: LagRunResult[], which: "before" | "after" | "total"): NormSeries[] {
  const palette = ["#1d4ed8", "#0891b2", "#059669", "#65a30d", "#ca8a04", "#ea580c", "#dc2626", "#9333ea", "#db2777", "#4b5563"];
  return results.map((r, i) => {
    const values = which === "before" ? r.answerGradientBefore : which === "after" ? r.answerGradientAfter : r.totalGradientAfter;
    return { name: `L = ${r.lag}`, x: values.map((_, d) => d), values, color: palette[i % palette.length] };
  });
}

export interface TableSummary {
  lag: number;
  mean: number;
  min: number;
  max: number;
  seeds: number;
}

/** Mean, min and max accuracy over the stored seeds, per lag, for one initialisation. */
export function summariseTable(table: LagTableRow[], init: LagInit): TableSummary[] {
  const lags = [...new Set(table.filter((r) => r.init === init).map((r) => r.lag))].sort((a, b) => a - b);
  return lags.map((lag) => {
    const accs = table.filter((r) => r.init === init && r.lag === lag).map((r) => r.accuracy);
    return { lag, mean: accs.reduce((s, v) => s + v, 0) / accs.length, min: Math.min(...accs), max: Math.max(...accs), seeds: accs.length };
  });
}

/** Accuracy against L: the live sweep, and the stored table's mean over seeds for the same initialisation. */
export function accuracySeries(results: LagRunResult[], table: LagTableRow[], init: LagInit): NormSeries[] {
  const summary = summariseTable(table, init);
  const series: NormSeries[] = [];
  if (summary.length) {
    series.push({ name: `stored: mean of ${summary[0]!.seeds} seeds`, x: summary.map((s) => s.lag), values: summary.map((s) => s.mean), color: INIT_COLORS[init], dash: true, dots: true });
    series.push({ name: "stored: worst seed", x: summary.map((s) => s.lag), values: summary.map((s) => s.min), color: "#9ca3af", dash: true });
    series.push({ name: "stored: best seed", x: summary.map((s) => s.lag), values: summary.map((s) => s.max), color: "#9ca3af", dash: true });
  }
  series.push({ name: "this run (live)", x: results.map((r) => r.lag), values: results.map((r) => r.accuracy), color: "#111827", dots: true });
  return series;
}

/** Does the live sweep reproduce the stored table (same init and seed)? */
export function tableCheck(results: LagRunResult[], table: LagTableRow[], options: { init?: LagInit; seed?: number; steps?: number; hiddenSize?: number; batchSize?: number; learningRate?: number }, settings: Record<string, number>): string {
  const init = options.init ?? "orthogonal";
  const seed = options.seed ?? 1;
  const same = (options.steps ?? 300) === settings.steps && (options.hiddenSize ?? 16) === settings.hiddenSize && (options.batchSize ?? 32) === settings.batchSize && (options.learningRate ?? 0.01) === settings.learningRate;
  if (!same) return "These settings differ from the stored table's, so the two are not compared.";
  const matched = results.map((r) => ({ r, row: table.find((t) => t.init === init && t.seed === seed && t.lag === r.lag) })).filter((m) => m.row);
  if (matched.length === 0) return `The stored table has no run with this initialisation, seed ${seed} and these lags.`;
  const differing = matched.filter((m) => m.r.accuracy !== m.row!.accuracy);
  return differing.length === 0
    ? `Check: all ${matched.length} accuracies of this run that the stored table also has (seed ${seed}) are identical to it.`
    : `Check: ${differing.length} of ${matched.length} accuracies differ from the stored table (${differing.map((m) => `L = ${m.r.lag}: ${formatNumber(m.r.accuracy, 3)} here, ${formatNumber(m.row!.accuracy, 3)} stored`).join("; ")}).`;
}

/** The stored table as an HTML table: one row per initialisation, one column per lag, "mean (min–max)". */
export function storedTable(table: LagTableRow[]): HTMLTableElement {
  const t = document.createElement("table");
  t.className = "value-table lag-table";
  t.dataset.testid = "lag-table";
  const seeds = [...new Set(table.map((r) => r.seed))];
  t.createCaption().textContent = `Held-out accuracy at the answer step: mean over ${seeds.length} seeds, and below it the worst and best seed. Chance is 0.25.`;
  const head = t.createTHead().insertRow();
  const corner = document.createElement("th");
  corner.textContent = "initialisation";
  head.append(corner);
  for (const lag of SWEEP_LAGS) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = `L = ${lag}`;
    head.append(th);
  }
  const body = t.createTBody();
  for (const init of INITS) {
    const summary = summariseTable(table, init);
    if (!summary.length) continue;
    const row = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = INIT_NAMES[init];
    row.append(th);
    for (const lag of SWEEP_LAGS) {
      const s = summary.find((x) => x.lag === lag);
      const cell = row.insertCell();
      if (!s) cell.textContent = "–";
      else {
        const range = document.createElement("div");
        range.style.cssText = "font-size: 10px; color: var(--theme-foreground-muted);";
        range.textContent = `${s.min.toFixed(2)}–${s.max.toFixed(2)}`;
        cell.append(s.mean.toFixed(2), range);
      }
    }
  }
  return t;
}

export interface InitProfile {
  init: LagInit;
  eigenvalues: Complex[];
  singular: number[];
  /** ‖∂h(t)/∂h(0)‖₂ along one sequence of the lag task, at initialisation. */
  jacobian: number[];
  /** Mean ‖∂ℓ_answer/∂h(T − d)‖ over 50 sequences, at initialisation. */
  answerGradient: number[];
}

/** Each initialisation before any training: its spectrum and how far gradients reach. */
export function initProfiles(lag: number, hiddenSize: number, seed: number): InitProfile[] {
  const task = recallTask({ lag, count: 50, seed: 900_001 + lag });
  return INITS.map((init) => {
    const net = initialRnn(init, { inputSize: task.inputSize, hiddenSize, outputSize: task.outputSize }, seed);
    const W = recurrentRows(net);
    const answerGradient = new Array<number>(task.length + 1).fill(0);
    task.xs.forEach((xs, n) => hiddenGradientNorms(net, xs, task.targets[n]!, "multiclass", task.length).forEach((v, d) => (answerGradient[d]! += v / task.xs.length)));
    return { init, eigenvalues: eigenvalues(W), singular: singularValues(W), jacobian: jacobianProductNorms(net, task.xs[0]!), answerGradient };
  });
}
