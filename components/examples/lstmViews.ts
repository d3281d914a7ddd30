// What the LSTM and GRU pages show, computed from one MemoryInspection.
import { HELD_OUT, type MemoryInspection } from "./lstmMemory.js";
import type { LineSeries } from "../ui/lineChart.js";
import type { ValueTableRow } from "../ui/valueTable.js";

/** The quantities of each cell, their TeX names and the colour domains of their heatmaps. */
export const LSTM_QUANTITIES = [
  { key: "F", tex: "$F_j^{(t)}$", name: "forget gate", domain: [0, 1] },
  { key: "I", tex: "$I_j^{(t)}$", name: "input gate", domain: [0, 1] },
  { key: "O", tex: "$O_j^{(t)}$", name: "output gate", domain: [0, 1] },
  { key: "cTilde", tex: "$\\tilde c_j^{(t)}$", name: "candidate", domain: [-1, 1] },
  { key: "c", tex: "$c_j^{(t)}$", name: "cell state", domain: undefined },
  { key: "h", tex: "$h_j^{(t)}$", name: "hidden state", domain: [-1, 1] },
] as const;

export const GRU_QUANTITIES = [
  { key: "Z", tex: "$Z_j^{(t)}$", name: "update gate", domain: [0, 1] },
  { key: "R", tex: "$R_j^{(t)}$", name: "reset gate", domain: [0, 1] },
  { key: "hTilde", tex: "$\\tilde h_j^{(t)}$", name: "candidate", domain: [-1, 1] },
  { key: "h", tex: "$h_j^{(t)}$", name: "hidden state", domain: [-1, 1] },
] as const;

/** A zero matrix T×q for the heatmaps before the first inspection. */
export function blank(T: number, q: number): number[][] {
  return Array.from({ length: T }, () => new Array<number>(q).fill(0));
}

/** Symmetric colour domain for the cell state, at least [−1, 1]. */
export function cellDomain(inspection: MemoryInspection | null): [number, number] {
  const c = inspection?.states.c;
  const m = c ? Math.max(1, ...c.flat().map(Math.abs)) : 1;
  return [-m, m];
}

/** Rows of the value table at step t: input symbol, every gate and state per unit, and the output probabilities. */
export function gateValueRows(kind: "lstm" | "gru", inspection: MemoryInspection | null, symbols: number[], q: number): ValueTableRow[] {
  const units = Array.from({ length: q }, (_, j) => `unit ${j + 1}`);
  const quantities = kind === "lstm" ? LSTM_QUANTITIES : GRU_QUANTITIES;
  const m = (inspection?.yhat[0]?.length ?? 5) - 1;
  const rows: ValueTableRow[] = [
    { label: "input symbol $s^{(t)}$ (answer-now flag on the last step)", values: (t: number) => symbols[t] ?? NaN },
  ];
  for (const quantity of quantities) {
    rows.push({ label: `${quantity.name} ${quantity.tex}`, values: (t: number) => inspection?.states[quantity.key]?.[t] ?? new Array<number>(q).fill(NaN), unitLabels: units });
  }
  rows.push({
    label: "output $\\hat y^{(t)}$: P(symbol 0…m−1, blank)",
    values: (t: number) => inspection?.yhat[t] ?? new Array<number>(m + 1).fill(NaN),
    unitLabels: [...Array.from({ length: m }, (_, s) => `P(${s})`), "P(blank)"],
  });
  return rows;
}

const log10 = (v: number) => (v > 0 ? Math.log10(v) : null);

/** log₁₀ gradient norms through time: the gated net and the vanilla RNN, at initialisation (dashed) and live. */
export function gradientSeries(kind: "lstm" | "gru", initial: { gated: number[]; rnn: number[] }, inspection: MemoryInspection | null): LineSeries[] {
  const state = kind === "lstm" ? "c" : "h";
  const name = kind === "lstm" ? "LSTM" : "GRU";
  const none = initial.gated.map(() => null);
  return [
    { name: `RNN at start, $\\lVert \\partial \\ell / \\partial h^{(t)} \\rVert$`, values: initial.rnn.map(log10), color: "#f87171", dash: true },
    { name: `RNN now`, values: inspection?.rnn ? inspection.rnn.gradNorms.map(log10) : none, color: "#dc2626" },
    { name: `${name} at start, $\\lVert \\partial \\ell / \\partial ${state}^{(t)} \\rVert$`, values: initial.gated.map(log10), color: "#60a5fa", dash: true },
    { name: `${name} now`, values: inspection ? inspection.gradNorms.map(log10) : none, color: "#1d4ed8" },
  ];
}

/** The live variables with their shapes, and the totals against the formula. */
export function parameterTable(inspection: MemoryInspection | null, formula: { label: string; cell: number; readout: number }): HTMLTableElement {
  const table = document.createElement("table");
  table.className = "value-table param-check";
  table.dataset.testid = "param-check";
  const head = table.createTHead().insertRow();
  for (const h of ["live variable", "shape", "size"]) {
    const th = document.createElement("th");
    th.textContent = h;
    if (h !== "live variable") th.style.textAlign = "right"; // over right-aligned numbers
    head.append(th);
  }
  const body = table.createTBody();
  const add = (name: string, shape: string, size: string, strong = false) => {
    const tr = body.insertRow();
    // The name is the row's header: left-aligned, like every value table's row labels.
    const th = document.createElement("th");
    th.scope = "row";
    tr.append(th);
    const cells = [th, tr.insertCell(), tr.insertCell()];
    [name, shape, size].forEach((text, i) => {
      cells[i]!.textContent = text;
      if (strong) cells[i]!.style.fontWeight = "600";
    });
  };
  if (!inspection) {
    add("(waiting for the model)", "", "");
    return table;
  }
  for (const v of inspection.variables) add(v.name, `[${v.shape.join(" × ")}]`, String(v.size));
  add("total, counted from the live tensors", "", String(inspection.liveParamCount), true);
  add(`formula: ${formula.label} + (kq + k)`, `${formula.cell} + ${formula.readout}`, String(formula.cell + formula.readout), true);
  const ok = inspection.liveParamCount === formula.cell + formula.readout;
  add(ok ? "✓ the live model and the formula agree" : "✗ the live model and the formula DISAGREE", "", "", true);
  return table;
}

/** A paragraph with a test id (pages must not use Framework's html global). */
export function paragraph(text: string, testid?: string): HTMLParagraphElement {
  const p = document.createElement("p");
  p.textContent = text;
  if (testid) p.dataset.testid = testid;
  return p;
}

/** A grid holding the gate heatmaps. */
export function stack(nodes: HTMLElement[], className = "gate-maps"): HTMLDivElement {
  const div = document.createElement("div");
  div.className = className;
  div.append(...nodes);
  return div;
}

/** The line under the harness: held-out accuracy and the shown sequence's answer. */
export function memorySummary(inspection: MemoryInspection | null, step: number, symbols: number[]): HTMLParagraphElement {
  if (!inspection) return paragraph("Building the model…", "memory-summary");
  const T = symbols.length;
  const first = symbols[0]!;
  return paragraph(
    `Step ${step}: the model answers ${(100 * inspection.accuracy).toFixed(0)}% of ${HELD_OUT} held-out sequences correctly at the answer step (chance 25%). ` +
      `On the shown sequence it gives the first symbol, ${first}, probability ${inspection.yhat[T - 1]![first]!.toFixed(3)}.`,
    "memory-summary",
  );
}

/** How many factors of 10 the gradient loses between the answer step and t = 1. */
export function decaySummary(kind: "lstm" | "gru", initial: { gated: number[]; rnn: number[] }, inspection: MemoryInspection | null, step: number): HTMLParagraphElement {
  const drop = (v: number[]) => (Math.log10(v[v.length - 1]!) - Math.log10(v[0]!)).toFixed(1);
  const name = kind === "lstm" ? "LSTM" : "GRU";
  let text = `Orders of magnitude lost between the answer step and the first step, log₁₀(gradient at answer / gradient at first step). At the start: vanilla RNN ${drop(initial.rnn)}, ${name} ${drop(initial.gated)}.`;
  if (inspection) {
    text += ` After ${step} training steps: vanilla RNN ${inspection.rnn ? drop(inspection.rnn.gradNorms) : "–"}, ${name} ${drop(inspection.gradNorms)}.`;
    text += ` Held-out accuracy at the answer step: vanilla RNN ${inspection.rnn ? (100 * inspection.rnn.accuracy).toFixed(0) + "%" : "–"}, ${name} ${(100 * inspection.accuracy).toFixed(0)}%.`;
  }
  return paragraph(text, "grad-summary");
}
