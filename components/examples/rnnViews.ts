// What the RNN page's views show, computed from one inspection of the live model.
import type { SunspotInspection, SunspotProblem } from "./rnnSunspots.js";
import { HEAD_CLASSES } from "./rnnSunspots.js";
import type { UnrolledValues } from "../ui/unrolledGraph.js";
import { downloadText, toCsv } from "../ui/download.js";

export interface ChartSeries {
  name: string;
  values: (number | null)[];
  color?: string;
  dash?: boolean;
}

const PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#9333ea"];

/** Targets (dashed) and predictions (solid), one pair per output. */
export function predictionSeries(problem: SunspotProblem, inspection: SunspotInspection | null): ChartSeries[] {
  const T = problem.inputs.length;
  const prediction = (j: number) => (inspection ? inspection.yhat.map((y) => y[j]) : new Array<number | null>(T).fill(null));
  if (problem.head === "real") {
    return [
      { name: "target: next year's number (standardised)", values: (problem.targets as number[][]).map((y) => y[0]), color: "#6b7280", dash: true },
      { name: "RNN prediction ŷ(t)", values: prediction(0), color: PALETTE[0] },
    ];
  }
  if (problem.head === "binary") {
    return [
      { name: "target: 1 if next year is higher", values: (problem.targets as number[][]).map((y) => y[0]), color: "#6b7280", dash: true },
      { name: "RNN P(next year higher)", values: prediction(0), color: PALETTE[0] },
    ];
  }
  const classes = HEAD_CLASSES.multiclass;
  return classes.map((name, j): ChartSeries => ({ name: `P(${name})`, values: prediction(j), color: PALETTE[j] })).concat([
    { name: "target class (0 low, 0.5 middle, 1 high)", values: (problem.targets as number[]).map((c) => c / 2), color: "#6b7280", dash: true },
  ]);
}

/** The first T steps of the live forward pass, for the unrolled graph. */
export function unrolledValues(problem: SunspotProblem, inspection: SunspotInspection | null, T: number): UnrolledValues {
  const q = inspection?.h[0]?.length ?? 0;
  return {
    x: problem.inputs.slice(0, T),
    h: inspection ? inspection.h.slice(0, T) : [],
    yhat: inspection ? inspection.yhat.slice(0, T) : [],
    h0: new Array(q).fill(0),
  };
}

export interface ValueRow {
  label: string;
  values: number[] | number;
  unitLabels?: string[];
}

const UNITS_PER_BLOCK = 6;

/** Every quantity of equations (1)–(2) at time step t. */
export function rnnValueRows(problem: SunspotProblem, inspection: SunspotInspection | null, t: number): ValueRow[] {
  const raw = problem.inputs[t][0] * problem.sd + problem.mean;
  const target = problem.targets[t];
  const rows: ValueRow[] = [
    { label: `year`, values: problem.years[t] },
    { label: `sunspot number that year`, values: raw },
    { label: `input $x^{(t)}$ (standardised)`, values: problem.inputs[t] },
  ];
  if (!inspection) return rows;
  const q = inspection.h[t].length;
  const k = inspection.o[t].length;
  const outputs = k > 1 ? HEAD_CLASSES.multiclass : undefined;
  // Hidden-unit vectors are shown in blocks of UNITS_PER_BLOCK columns so that every number
  // fits the page's width: all quantities for units 1–6, then for units 7–12, and so on.
  for (let start = 0; start < q; start += UNITS_PER_BLOCK) {
    const end = Math.min(q, start + UNITS_PER_BLOCK);
    const units = Array.from({ length: end - start }, (_, j) => `h${start + j + 1}`);
    const part = (v: number[]) => v.slice(start, end);
    const which = q > UNITS_PER_BLOCK ? ` (units ${start + 1}–${end})` : "";
    rows.push(
      { label: `previous state $\\mathbf{h}^{(t-1)}$${which}`, values: part(t === 0 ? inspection.h0 : inspection.h[t - 1]), unitLabels: units },
      { label: `pre-activation $W\\mathbf{h}^{(t-1)} + U x^{(t)} + \\mathbf{b}$${which}`, values: part(inspection.a[t]), unitLabels: units },
      { label: `state $\\mathbf{h}^{(t)} = \\tanh(\\cdot)$${which}`, values: part(inspection.h[t]), unitLabels: units },
    );
  }
  rows.push(
    { label: `output $\\mathbf{o}^{(t)} = V\\mathbf{h}^{(t)} + \\mathbf{c}$`, values: inspection.o[t], unitLabels: outputs },
    { label: `prediction $\\hat{\\mathbf{y}}^{(t)}$`, values: inspection.yhat[t], unitLabels: outputs },
    { label: `target $y^{(t)}$${problem.head === "multiclass" ? " (class: 0 low, 1 middle, 2 high)" : ""}`, values: Array.isArray(target) ? target : [target] },
    { label: `loss at this step`, values: inspection.stepLoss[t] },
  );
  return rows;
}

/** A one-paragraph summary of the run, in plain DOM. */
export function runSummary(inspection: SunspotInspection | null, formulaCount: number): HTMLParagraphElement {
  const p = document.createElement("p");
  p.className = "run-summary";
  const strong = (text: string, testid?: string) => {
    const s = document.createElement("strong");
    s.textContent = text;
    if (testid) s.dataset.testid = testid;
    return s;
  };
  if (!inspection) {
    p.textContent = "Building the model…";
    return p;
  }
  p.append(
    "Mean loss over the training years: ", strong(inspection.trainLoss.toFixed(4), "train-loss"),
    "; over the held-out years: ", strong(inspection.heldOutLoss.toFixed(4), "held-out-loss"),
    ". The live model holds ", strong(String(inspection.paramCount), "live-param-count"),
    ` trainable numbers (the sizes of its tf.Variables); the formula q² + qp + q + kq + k gives ${formulaCount}.`,
  );
  return p;
}

/** W transposed, so that a heatmap with "time" on x shows presynaptic j across, postsynaptic i down. */
export function synapseMatrix(W: number[][]): number[][] {
  return W[0].map((_, j) => W.map((row) => row[j]));
}

/** "n excitatory and m inhibitory synapses among q²." */
export function synapseCounts(inspection: SunspotInspection | null): HTMLParagraphElement {
  const p = document.createElement("p");
  if (inspection) {
    const weights = inspection.W.flat();
    p.textContent = `${weights.filter((w) => w > 0).length} excitatory and ${weights.filter((w) => w < 0).length} inhibitory synapses among ${weights.length}.`;
  }
  return p;
}

/** Every quantity at every year, at full precision, as CSV text. */
export function rnnStepsCsv(problem: SunspotProblem, inspection: SunspotInspection): string {
  const q = inspection.h[0].length;
  const k = inspection.o[0].length;
  const units = (prefix: string, n: number) => Array.from({ length: n }, (_, j) => `${prefix}${j + 1}`);
  const columns = ["t", "year", "sunspots", "x", ...units("a", q), ...units("h", q), ...units("o", k), ...units("yhat", k), "target", "loss", "split"];
  const rows = problem.years.map((year, t) => [
    t, year, problem.inputs[t][0] * problem.sd + problem.mean, problem.inputs[t][0],
    ...inspection.a[t], ...inspection.h[t], ...inspection.o[t], ...inspection.yhat[t],
    JSON.stringify(problem.targets[t]), inspection.stepLoss[t], t < problem.trainSteps ? "train" : "held out",
  ]);
  return toCsv(columns, rows);
}

/** A button that downloads rnnStepsCsv for the current inspection. */
export function stepsCsvButton(problem: SunspotProblem, inspection: SunspotInspection | null): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.name = "downloadSteps";
  b.textContent = "⬇ Every quantity at every year (CSV)";
  b.disabled = inspection === null;
  b.addEventListener("click", () => inspection && downloadText(`rnn-sunspots-${problem.head}-every-step.csv`, rnnStepsCsv(problem, inspection), "text/csv"));
  return b;
}
