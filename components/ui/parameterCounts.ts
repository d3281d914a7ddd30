// Parameter counts of three sequence models side by side, to show which one grows with T.
import { rnnParamCount } from "../core/rnn.js";
import { labelToHtml } from "./texLabel.js";

export interface ParameterCountOptions {
  T: number;
  p: number;
  q: number;
  k: number;
  /** Kernel width w of the 1-D convolution. */
  kernelWidth: number;
}

/** MLP reading the whole sequence (T·p inputs), one hidden layer of q units, k·T outputs. */
export function mlpParamCount({ T, p, q, k }: ParameterCountOptions): number {
  return T * p * q + q + q * k * T + k * T;
}

/** 1-D CNN: one layer of q filters of width w over p channels, then a shared k×q read-out. */
export function cnnParamCount({ p, q, k, kernelWidth }: ParameterCountOptions): number {
  return kernelWidth * p * q + q + k * q + k;
}

export function ParameterCounts(options: ParameterCountOptions): HTMLTableElement {
  const { T, p, q, k, kernelWidth } = options;
  const table = document.createElement("table");
  table.className = "parameter-counts";
  table.dataset.testid = "parameter-counts";
  const rows: [string, number, string][] = [
    ["MLP over the whole sequence", mlpParamCount(options), `$Tpq + q + Tkq + Tk$: grows with $T$; cannot read a sequence of another length`],
    [`1-D CNN, kernel width ${kernelWidth}`, cnnParamCount(options), `$wpq + q + kq + k$: fixed, but each output sees only the last ${kernelWidth} steps per layer`],
    ["RNN", rnnParamCount(p, q, k), `$q^2 + qp + q + kq + k$: fixed; the state can carry information from any earlier step`],
  ];
  const head = table.createTHead().insertRow();
  for (const text of ["model", `parameters at T = ${T}`, "formula and reach"]) {
    const th = document.createElement("th");
    th.textContent = text;
    head.append(th);
  }
  const body = table.createTBody();
  for (const [name, count, note] of rows) {
    const row = body.insertRow();
    row.insertCell().textContent = name;
    const cell = row.insertCell();
    cell.textContent = count.toLocaleString("en-US");
    cell.className = "numeric";
    row.insertCell().innerHTML = labelToHtml(note);
  }
  return table;
}

