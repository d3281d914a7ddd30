// What the BPTT page's views show, computed from one inspection of the live model (a
// GradientCheck, see bpttAutodiff.ts). Time steps are the math's t = 1..T; index 0 of the
// over-time matrices is t = 0 (h(0) has a gradient, o(0) does not exist: NaN, drawn grey).
import { stepJacobian } from "../core/jacobian.js";
import type { RnnParams } from "../core/rnn.js";
import type { TruncatedBlock } from "../core/bptt.js";
import { formatNumber } from "../ui/format.js";
import type { NormSeries } from "../ui/normPlot.js";
import type { TimeCursor } from "../ui/timeCursor.js";
import type { ValueTableRow } from "../ui/valueTable.js";
import { PARAMETERS, type GradientCheck } from "./bpttAutodiff.js";
import { showChar, type TextProblem } from "./bpttText.js";

export const PARAMETER_COLORS: Record<string, string> = { o: "#6b7280", h: "#111827", W: "#c2410c", U: "#2563eb", b: "#9333ea", V: "#15803d", c: "#ca8a04" };

/** ∂L/∂o(t) for t = 0..T (row 0 is NaN: there is no o(0)). */
export function outputGradientsOverTime(check: GradientCheck | null, problem: TextProblem): number[][] {
  const k = problem.alphabet.length;
  if (!check) return Array.from({ length: problem.T + 1 }, () => new Array<number>(k).fill(0));
  return [new Array<number>(k).fill(NaN), ...check.manual.dLdo];
}

/** ∂L/∂h(t) for t = 0..T (row 0 is ∂L/∂h(0) = Wᵀ ∂L/∂a(1)). */
export function hiddenGradientsOverTime(check: GradientCheck | null, problem: TextProblem, hiddenSize: number): number[][] {
  if (!check) return Array.from({ length: problem.T + 1 }, () => new Array<number>(hiddenSize).fill(0));
  return [check.dLdh0, ...check.manual.dLdh];
}

/** The character shown under step t on the time axes (t = 0 is the start). */
export function stepLabel(problem: TextProblem, t: number): string {
  return t === 0 ? "h(0)" : showChar(problem.text[t - 1]);
}

/** "reads “c”, should predict “a”" for step t. */
export function stepReads(problem: TextProblem, t: number): string {
  if (t < 1 || t > problem.T) return "";
  return `reads “${showChar(problem.text[t - 1])}”, should predict “${showChar(problem.text[t])}”`;
}

/** "t = 5: reads “c”, should predict “a”". */
export function stepCaption(problem: TextProblem, t: number): string {
  const reads = stepReads(problem, t);
  return reads ? `t = ${t}: ${reads}` : `t = ${t}`;
}

function matVecT(m: number[][], v: number[]): number[] {
  // mᵀ v
  const out = new Array<number>(m[0]!.length).fill(0);
  m.forEach((row, i) => row.forEach((w, j) => (out[j]! += w * v[i]!)));
  return out;
}

/** Every quantity of the derivation at step t (1..T), BPTT beside autodiff. */
export function gradientRowsAt(problem: TextProblem, params: RnnParams | null, check: GradientCheck | null, t: number): ValueTableRow[] {
  if (!check || !params || t < 1 || t > check.T) return [{ label: "waiting for the model", values: [] }];
  const i = t - 1;
  const chars = problem.alphabet.map((c) => showChar(c));
  const units = params.W.map((_, j) => `${j + 1}`);
  const h = check.forward.h[i]!;
  const fromOutput = matVecT(params.V, check.manual.dLdo[i]!);
  const fromLater = check.manual.dLdh[i]!.map((v, j) => v - fromOutput[j]!);
  return [
    { label: "prediction $\\hat\\vy^{(t)}$", values: check.forward.yhat[i]!, unitLabels: chars },
    { label: "$\\hat\\vy^{(t)} - \\vy^{(t)}$", values: check.stepLossGrads[i]!, unitLabels: chars },
    { label: "$\\partial L/\\partial\\vo^{(t)}$, BPTT", values: check.manual.dLdo[i]!, unitLabels: chars },
    { label: "$\\partial L/\\partial\\vo^{(t)}$, autodiff", values: check.autodiff.dLdo[i]!, unitLabels: chars },
    { label: "state $\\vh^{(t)}$", values: h, unitLabels: units },
    { label: "from the output: $V^\\top \\partial L/\\partial\\vo^{(t)}$", values: fromOutput, unitLabels: units },
    { label: "from later steps: $W^\\top \\partial L/\\partial\\mathbf a^{(t+1)}$", values: fromLater, unitLabels: units },
    { label: "$\\partial L/\\partial\\vh^{(t)}$ (their sum), BPTT", values: check.manual.dLdh[i]!, unitLabels: units },
    { label: "$\\partial L/\\partial\\vh^{(t)}$, autodiff", values: check.autodiff.dLdh[i]!, unitLabels: units },
    { label: "$\\partial L/\\partial\\mathbf a^{(t)}$ = step $t$'s $\\partial L/\\partial\\vb$, BPTT", values: check.dLda[i]!, unitLabels: units },
    { label: "step $t$'s $\\partial L/\\partial\\vb$, autodiff", values: check.autodiff.perStep[i]!.b, unitLabels: units },
    { label: "step $t$'s $\\partial L/\\partial\\vc$, autodiff", values: check.autodiff.perStep[i]!.c, unitLabels: chars },
  ];
}

const DIFFERENCE_LABELS = ["$\\partial L/\\partial\\vo^{(t)}$", "$\\partial L/\\partial\\vh^{(t)}$", "$W$ part", "$U$ part", "$\\vb$ part", "$V$ part", "$\\vc$ part"];

/** The relative differences autodiff vs BPTT at step t, one column per quantity. */
export function differenceRowsAt(check: GradientCheck | null, t: number): ValueTableRow[] {
  if (!check || t < 1 || t > check.T) return [{ label: "largest relative difference at step $t$", values: [] }];
  const d = check.perStepDifference[t - 1]!;
  return [{ label: "largest relative difference at step $t$", values: [d.o, d.h, d.W, d.U, d.b, d.V, d.c], unitLabels: DIFFERENCE_LABELS }];
}

/** max over the quantities at each step: one curve per quantity, x = t. */
export function differenceSeries(check: GradientCheck | null): NormSeries[] {
  if (!check) return [];
  const x = check.perStepDifference.map((_, i) => i + 1);
  const names: Record<string, string> = { o: "$\\partial L/\\partial\\vo^{(t)}$", h: "$\\partial L/\\partial\\vh^{(t)}$", W: "$W$", U: "$U$", b: "$\\vb$", V: "$V$", c: "$\\vc$" };
  return (["o", "h", ...PARAMETERS] as const).map((key) => ({ name: names[key]!, x, values: check.perStepDifference.map((d) => d[key]), color: PARAMETER_COLORS[key] }));
}

function frobenius(m: number[][] | number[]): number {
  return Math.hypot(...(m as Array<number | number[]>).flat());
}

/** ‖step t's contribution‖ (Frobenius) to each parameter's gradient, x = t. */
export function contributionSeries(check: GradientCheck | null): NormSeries[] {
  if (!check) return [];
  const x = check.manual.perStep.map((_, i) => i + 1);
  const names: Record<string, string> = { W: "$\\partial L/\\partial W$", U: "$\\partial L/\\partial U$", b: "$\\partial L/\\partial\\vb$", V: "$\\partial L/\\partial V$", c: "$\\partial L/\\partial\\vc$" };
  return PARAMETERS.map((name) => ({ name: names[name]!, x, values: check.manual.perStep.map((g) => frobenius(g[name])), color: PARAMETER_COLORS[name] }));
}

export interface StepMatrices {
  /** ∂h(t)/∂h(t−1) = diag(1 − h(t)²) W. */
  J: number[][];
  W: number[][];
  U: number[][];
  V: number[][];
}

/** The Jacobian and step t's contributions to ∂L/∂W, ∂L/∂U, ∂L/∂V (t = 1..T). */
export function matricesAt(params: RnnParams | null, check: GradientCheck | null, t: number, sizes: { p: number; q: number; k: number }): StepMatrices {
  const zeros = (r: number, c: number) => Array.from({ length: r }, () => new Array<number>(c).fill(0));
  if (!params || !check || t < 1 || t > check.T) return { J: zeros(sizes.q, sizes.q), W: zeros(sizes.q, sizes.q), U: zeros(sizes.q, sizes.p), V: zeros(sizes.k, sizes.q) };
  const step = check.manual.perStep[t - 1]!;
  return { J: stepJacobian(params, check.forward, t - 1), W: step.W, U: step.U, V: step.V };
}

/** The largest relative difference over every per-step quantity, and over the totals. */
export function worstDifferences(check: GradientCheck): { perStep: number; totals: number } {
  return { perStep: Math.max(...check.perStepDifference.flatMap((d) => Object.values(d))), totals: Math.max(...Object.values(check.totalDifference)) };
}

/** A short summary of the agreement, now and at the initial weights, for the page to display. */
export function agreementSummary(inspection: { check: GradientCheck; updates: number; initialCheck: GradientCheck | null } | null): HTMLElement {
  const box = document.createElement("div");
  box.className = "bptt-agreement";
  box.dataset.testid = "agreement";
  if (!inspection) {
    box.textContent = "Waiting for the model…";
    return box;
  }
  const { check, updates, initialCheck } = inspection;
  const now = worstDifferences(check);
  const strong = (text: string) => Object.assign(document.createElement("strong"), { textContent: text });
  const f = (v: number) => formatNumber(v, 3);
  box.append(
    `Largest relative difference between the float64 BPTT and tfjs autodiff (float32) after ${updates} update${updates === 1 ? "" : "s"}: `,
    strong(f(now.perStep)),
    " over every quantity at every step, ",
    strong(f(now.totals)),
    " over the totals ∂L/∂W, ∂L/∂U, ∂L/∂b, ∂L/∂V, ∂L/∂c.",
  );
  if (initialCheck && initialCheck !== check) {
    const first = worstDifferences(initialCheck);
    box.append(` At the initial weights: ${f(first.perStep)} and ${f(first.totals)}.`);
  }
  box.append(` Loss L: ${formatNumber(check.loss, 7)} (float64) and ${formatNumber(check.lossAutodiff, 7)} (tfjs). Time: ${check.ms.manual.toFixed(1)} ms for the float64 BPTT, ${check.ms.autodiff.toFixed(0)} ms for the two autodiff passes.`);
  box.dataset.largest = String(check.largest);
  box.dataset.updates = String(updates);
  return box;
}

const SVG_NS = "http://www.w3.org/2000/svg";

export interface TruncationDiagramElement extends HTMLDivElement {
  update(blocks: TruncatedBlock[], T: number): void;
}

/**
 * One row per backward pass of truncated BPTT: the steps whose losses it injects (dark)
 * and the steps it backpropagates through (light); the page's time step is marked.
 */
export function TruncationDiagram(blocks: TruncatedBlock[], T: number, { cursor, width = 640, invalidation }: { cursor: TimeCursor; width?: number; invalidation?: Promise<unknown> }): TruncationDiagramElement {
  const root = document.createElement("div") as unknown as TruncationDiagramElement;
  root.className = "chart truncation-diagram";
  root.style.maxWidth = `${width}px`;
  const svg = document.createElementNS(SVG_NS, "svg");
  root.append(svg);
  const node = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const n = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
    if (text !== undefined) n.textContent = text;
    return n;
  };
  let state = { blocks, T };
  const left = 118;
  const right = 12;
  const rowHeight = 16;
  // On a narrow screen the legend's second entry goes on a line of its own.
  const legendRows = width < left + 420 ? 2 : 1;
  const top = 8 + 14 * legendRows;
  const marker = node("line", { class: "chart-rule" });
  function render(): void {
    const { blocks: bs, T: steps } = state;
    const plot = width - left - right;
    const cell = plot / steps;
    const x = (t: number) => left + (t - 1) * cell;
    const height = top + bs.length * rowHeight + 40;
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(height));
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.replaceChildren();
    svg.append(node("rect", { x: left, y: 4, width: 12, height: 10, fill: "#c2410c" }), node("text", { x: left + 16, y: 13, class: "chart-shade-label" }, "losses injected by this pass"));
    const [x2, y2] = legendRows === 2 ? [left, 18] : [left + 200, 4];
    svg.append(node("rect", { x: x2, y: y2, width: 12, height: 10, fill: "#fdba74" }), node("text", { x: x2 + 16, y: y2 + 9, class: "chart-shade-label" }, "steps it backpropagates through"));
    bs.forEach((b, r) => {
      const y = top + r * rowHeight;
      svg.append(node("text", { x: left - 6, y: y + 11, "text-anchor": "end", style: "font: 11px var(--sans-serif); fill: var(--theme-foreground-muted)" }, `pass at t = ${b.end}`));
      svg.append(node("rect", { x: x(b.reachesBackTo), y: y + 1, width: (b.end - b.reachesBackTo + 1) * cell, height: rowHeight - 3, fill: "#fdba74" }));
      svg.append(node("rect", { x: x(b.injectedFrom), y: y + 1, width: (b.end - b.injectedFrom + 1) * cell, height: rowHeight - 3, fill: "#c2410c" }));
    });
    const axisY = top + bs.length * rowHeight + 4;
    svg.append(node("line", { x1: left, x2: left + plot, y1: axisY, y2: axisY, stroke: "currentColor", opacity: 0.4 }));
    const stride = Math.max(1, Math.ceil(24 / cell));
    for (let t = 1; t <= steps; t += stride) {
      svg.append(node("text", { x: x(t) + cell / 2, y: axisY + 13, "text-anchor": "middle", style: "font: 11px var(--sans-serif); fill: var(--theme-foreground-muted)" }, String(t)));
    }
    svg.append(node("text", { x: left + plot / 2, y: axisY + 30, "text-anchor": "middle", style: "font: 12px var(--sans-serif); fill: var(--theme-foreground)" }, "time step t"));
    marker.setAttribute("y1", String(top - 2));
    marker.setAttribute("y2", String(axisY));
    svg.append(marker);
    place(cursor.value);
  }
  function place(t: number): void {
    const plot = width - left - right;
    const cell = plot / state.T;
    const px = left + (t - 0.5) * cell;
    marker.setAttribute("x1", String(px));
    marker.setAttribute("x2", String(px));
  }
  root.update = (b, T2) => {
    state = { blocks: b, T: T2 };
    render();
  };
  render();
  cursor.subscribe(place, { owner: root, invalidation });
  return root;
}

/** A paragraph of plain text, with a test id, for the page's one-line readouts. */
export function readout(text: string, testid: string): HTMLParagraphElement {
  const p = document.createElement("p");
  p.className = "live-readout";
  p.dataset.testid = testid;
  p.textContent = text;
  return p;
}

/** The truncation study in one sentence. */
export function truncationText(study: { k1: number; k2: number; agreement: { relativeError: number; cosine: number; normRatio: number }; perParameter: Record<string, number> } | null, requestedK2: number): string {
  if (!study) return "Waiting for the model…";
  const f = (v: number) => formatNumber(v, 3);
  const raised = study.k2 !== requestedK2 ? " (k₂ raised to k₁)" : "";
  return `BPTT(k₁ = ${study.k1}, k₂ = ${study.k2})${raised} against full BPTT on the current weights: relative error ‖g̃ − g‖/‖g‖ = ${f(study.agreement.relativeError)}, cosine ${formatNumber(study.agreement.cosine, 5)}, norm ratio ${formatNumber(study.agreement.normRatio, 4)}. Per parameter: W ${f(study.perParameter.W!)}, U ${f(study.perParameter.U!)}, b ${f(study.perParameter.b!)}, V ${f(study.perParameter.V!)}, c ${f(study.perParameter.c!)}.`;
}

/**
 * Charts side by side, wrapping on narrow screens. Each chart gets its own box, so that the
 * download menu the site puts before every chart stays with its chart.
 */
export function chartRow(...charts: HTMLElement[]): HTMLDivElement {
  const row = document.createElement("div");
  row.className = "chart-row";
  row.style.cssText = "display: flex; flex-wrap: wrap; gap: 0 24px; align-items: flex-start;";
  for (const chart of charts) {
    const box = document.createElement("div");
    box.append(chart);
    row.append(box);
  }
  return row;
}
