// Tables and chart series of the comparison page, from stored and live CompareResults.
import type { NormSeries } from "../ui/normPlot.js";
import { formatNumber } from "../ui/format.js";
import { setLabel } from "../ui/texLabel.js";
import { sequenceNetParamCount, type CellKind } from "../core/sequenceNet.js";
import type { CompareResult, Variant } from "./compareRun.js";
import type { StepTiming } from "./compareTiming.js";

export const VARIANT_COLORS: Record<string, string> = {
  rnn: "#6b7280",
  "rnn-wide": "#a16207",
  lstm: "#2563eb",
  gru: "#16a34a",
  "lstm-no-forget": "#dc2626",
  "lstm-no-input": "#9333ea",
  "lstm-no-output": "#0891b2",
};

export interface LagSummary {
  lag: number;
  seeds: number;
  mean: number;
  min: number;
  max: number;
  /** Seeds whose final accuracy is at least 0.95. */
  solved: number;
  /** Per seed: the first checkpoint with accuracy ≥ 0.95, or null if none. */
  firstSolved: (number | null)[];
}

export function summarise(rows: CompareResult[], variant: string): LagSummary[] {
  const mine = rows.filter((r) => r.variant === variant);
  const lags = [...new Set(mine.map((r) => r.lag))].sort((a, b) => a - b);
  return lags.map((lag) => {
    const at = mine.filter((r) => r.lag === lag);
    const acc = at.map((r) => r.accuracy);
    return {
      lag,
      seeds: at.length,
      mean: acc.reduce((s, v) => s + v, 0) / acc.length,
      min: Math.min(...acc),
      max: Math.max(...acc),
      solved: acc.filter((a) => a >= 0.95).length,
      firstSolved: at.map((r) => r.checkpoints.find((c) => c.accuracy >= 0.95)?.step ?? null),
    };
  });
}

/** The stored summary of one variant at one lag; throws if the table lacks it (so prose cannot cite a missing run). */
export function summaryAt(rows: CompareResult[], variant: string, lag: number): LagSummary {
  const found = summarise(rows, variant).find((s) => s.lag === lag);
  if (!found) throw new Error(`No stored runs of ${variant} at L = ${lag}.`);
  return found;
}

/** "0.93" (mean accuracy over seeds), for prose. */
export const meanAt = (rows: CompareResult[], variant: string, lag: number): string => formatNumber(summaryAt(rows, variant, lag).mean, 2);

/** "2 of 3" (seeds that reached 0.95), for prose. */
export function solvedAt(rows: CompareResult[], variant: string, lag: number): string {
  const s = summaryAt(rows, variant, lag);
  return `${s.solved} of ${s.seeds}`;
}

/** Stored means (solid, with dots) and this run's results (dashed) for each variant. */
export function accuracySeries(stored: CompareResult[], live: CompareResult[], variants: Variant[]): NormSeries[] {
  const series: NormSeries[] = [];
  for (const v of variants) {
    const s = summarise(stored, v.id);
    if (s.length) series.push({ name: `${v.label}: stored mean of ${s[0]!.seeds} seeds`, x: s.map((r) => r.lag), values: s.map((r) => r.mean), color: VARIANT_COLORS[v.id], dots: true });
    const mine = live.filter((r) => r.variant === v.id).sort((a, b) => a.lag - b.lag);
    if (mine.length) series.push({ name: `${v.label}: this run`, x: mine.map((r) => r.lag), values: mine.map((r) => r.accuracy), color: VARIANT_COLORS[v.id], dash: true, dots: true });
  }
  return series;
}

function th(text: string, scope: "col" | "row" = "col"): HTMLTableCellElement {
  const cell = document.createElement("th");
  cell.scope = scope;
  setLabel(cell, text);
  return cell;
}

/** Variants × lags: mean accuracy, the worst–best seed below it, and how many seeds reached 95%. */
export function storedAccuracyTable(rows: CompareResult[], variants: Variant[], caption: string, testid: string): HTMLTableElement {
  const table = document.createElement("table");
  table.className = "value-table compare-table";
  table.dataset.testid = testid;
  table.createCaption().textContent = caption;
  const lags = [...new Set(rows.map((r) => r.lag))].sort((a, b) => a - b);
  const head = table.createTHead().insertRow();
  head.append(th("architecture"), th("parameters"), ...lags.map((lag) => th(`$L = ${lag}$`)));
  const body = table.createTBody();
  for (const v of variants) {
    const summary = summarise(rows, v.id);
    if (!summary.length) continue;
    const row = body.insertRow();
    row.append(th(v.label, "row"));
    row.insertCell().textContent = String(rows.find((r) => r.variant === v.id)!.paramCount);
    for (const lag of lags) {
      const s = summary.find((x) => x.lag === lag);
      const cell = row.insertCell();
      if (!s) {
        cell.textContent = "–";
        continue;
      }
      cell.append(formatNumber(s.mean, 2));
      // Two short lines so five lag columns fit: the worst–best seed (if they differ), then the solved count.
      const lines = [s.min === s.max ? `all ${s.seeds} seeds` : `${formatNumber(s.min, 2)}–${formatNumber(s.max, 2)}`, `${s.solved}/${s.seeds} ≥ 0.95`];
      for (const text of lines) {
        const detail = document.createElement("div");
        detail.className = "compare-detail";
        detail.textContent = text;
        cell.append(detail);
      }
      cell.title = `${v.label}, L = ${lag}: accuracy per seed ${rows.filter((r) => r.variant === v.id && r.lag === lag).map((r) => `${r.seed}: ${formatNumber(r.accuracy, 3)}`).join(", ")}; first checkpoint ≥ 0.95: ${s.firstSolved.map((f) => f ?? "never").join(", ")}`;
    }
  }
  return table;
}

/**
 * How this run compares with the stored runs of the same seed, at the same budget: the
 * first `steps` updates of a stored run are the same computation, so its checkpoint at
 * `steps` (if it has one) is what this run should reproduce.
 */
export function liveCheck(live: CompareResult[], stored: CompareResult[], steps: number): string {
  if (!live.length) return "";
  const pairs = live
    .map((r) => ({ r, s: stored.find((x) => x.variant === r.variant && x.lag === r.lag && x.seed === r.seed && x.task === r.task) }))
    .filter((p) => p.s);
  if (!pairs.length) return "The stored table has no run with this seed and these lags, so there is nothing to compare.";
  const checkpointSteps = pairs[0]!.s!.checkpoints.map((c) => c.step);
  if (!checkpointSteps.includes(steps)) return `The stored runs were checked after ${checkpointSteps.join(", ")} updates; choose one of those budgets to compare your run with them.`;
  const gaps = pairs.map((p) => Math.abs(p.r.accuracy - p.s!.checkpoints.find((c) => c.step === steps)!.accuracy));
  const same = gaps.filter((g) => g === 0).length;
  return `Compared with the stored runs of the same seed after ${steps} updates: ${same} of ${pairs.length} accuracies are identical, and the largest difference is ${formatNumber(Math.max(...gaps), 3)}. Float32 rounding differs between backends and training amplifies it, so a run that sits on a knife edge can land differently.`;
}

export interface CountRow {
  architecture: string;
  formula: string;
  value: number;
}

/**
 * Parameter counts of the three cells for p inputs, q units, k outputs, D layers and d
 * directions, with the numbers put into the formula
 *   d·[g·q(p + q + 1) + (D − 1)·g·q(dq + q + 1)] + (GRU, reset after: D·d·q) + k·dq + k.
 */
export function countRows(p: number, q: number, k: number, layers: number, bidirectional: boolean): CountRow[] {
  const d = bidirectional ? 2 : 1;
  const rows: { name: string; cell: CellKind; g: number; reset?: "before" | "after" }[] = [
    { name: "vanilla RNN", cell: "rnn", g: 1 },
    { name: "LSTM", cell: "lstm", g: 4 },
    { name: "GRU (reset before $W_H$)", cell: "gru", g: 3, reset: "before" },
    { name: "GRU (reset after, with $\\mathbf b_{HR}$)", cell: "gru", g: 3, reset: "after" },
  ];
  return rows.map(({ name, cell, g, reset }) => {
    const first = `${g}\\cdot ${q}(${p}+${q}+1)`;
    const later = layers > 1 ? ` + ${layers - 1}\\cdot ${g}\\cdot ${q}(${d * q}+${q}+1)` : "";
    const cells = d > 1 || layers > 1 ? `${d > 1 ? `${d}\\cdot` : ""}\\big[${first}${later}\\big]` : first;
    const bHR = reset === "after" ? ` + ${layers * d}\\cdot ${q}` : "";
    return {
      architecture: name,
      formula: `$${cells}${bHR} + ${k}\\cdot ${d * q} + ${k}$`,
      value: sequenceNetParamCount({ cell, inputSize: p, hiddenSize: q, outputSize: k, layers, bidirectional, reset }),
    };
  });
}

/** The count table: formula, its value, and the count taken from live tensors (filled in by the page). */
export function countTable(rows: CountRow[], live: (number | null)[]): HTMLTableElement {
  const table = document.createElement("table");
  table.className = "value-table count-table";
  table.dataset.testid = "count-table";
  const head = table.createTHead().insertRow();
  head.append(th("architecture"), th("formula"), th("formula's value"), th("counted from the live tensors"), th(""));
  const body = table.createTBody();
  rows.forEach((r, i) => {
    const row = body.insertRow();
    row.append(th(r.architecture, "row"));
    const formula = row.insertCell();
    setLabel(formula, r.formula);
    formula.style.textAlign = "left";
    row.insertCell().textContent = String(r.value);
    row.insertCell().textContent = live[i] === null || live[i] === undefined ? "…" : String(live[i]);
    row.insertCell().textContent = live[i] === null || live[i] === undefined ? "" : live[i] === r.value ? "✓ agree" : "✗ DISAGREE";
  });
  return table;
}

/** Measured time per update, with the ratio to the first (vanilla RNN) row. */
export function timingTable(timings: StepTiming[], context: string): HTMLTableElement {
  const table = document.createElement("table");
  table.className = "value-table timing-table";
  table.dataset.testid = "timing-table";
  table.createCaption().textContent = context;
  const head = table.createTHead().insertRow();
  head.append(th("architecture"), th("parameters"), th("ms per update (median)"), th("rounds (ms per update)"), th("× the vanilla RNN"));
  const body = table.createTBody();
  const ref = timings[0]?.msPerStep ?? NaN;
  for (const t of timings) {
    const row = body.insertRow();
    row.append(th(t.label, "row"));
    row.insertCell().textContent = String(t.paramCount);
    row.insertCell().textContent = formatNumber(t.msPerStep, 3);
    row.insertCell().textContent = t.rounds.map((r) => formatNumber(r, 3)).join(", ");
    row.insertCell().textContent = formatNumber(t.msPerStep / ref, 3);
  }
  return table;
}

/** Hidden-state heatmap titles for layer ℓ and direction d. */
export function layerTitle(layer: number, direction: string, bidirectional: boolean): string {
  return `layer ${layer + 1}${bidirectional ? `, ${direction}` : ""}: hidden state $h_j^{(t)}$`;
}
