// Views of the "Autoregressive models" page: chart series and small DOM pieces built from the
// math core's results. Pure data builders live in arModels.ts and arTables.ts.
import { acf, acfBand, pacf } from "../core/acf.js";
import type { ARFit } from "../core/ar.js";
import { armaAcf, armaPacf, isStationary } from "../core/arma.js";
import { AcfPlot } from "../ui/acfPlot.js";
import { formatNumber } from "../ui/format.js";
import type { LineSeries } from "../ui/lineChart.js";
import { labelToHtml } from "../ui/texLabel.js";
import { METHOD_COLORS, METHOD_LABELS, type ReversibilityCheck } from "./arModels.js";
import { checkAgrees, type ReferenceCheck } from "./arTables.js";

/** The data and each fit's one-step predictions, for the fitted-values chart. */
export function fittedSeries(x: number[], fits: ARFit[], valueLabel: string): LineSeries[] {
  return [
    { name: `observed ${valueLabel}`, values: x, color: "#111827" },
    ...fits.map((f, i) => ({ name: METHOD_LABELS[f.method], values: f.fitted.map((v) => (Number.isFinite(v) ? v : null)), color: METHOD_COLORS[f.method], dash: i !== 2 })),
  ];
}

/** Sample ACF or PACF bars of a series with the theoretical values of an ARMA as rings (when stationary). */
export function acfWithTheory(
  values: number[],
  phi: number[],
  theta: number[],
  { maxLag, partial, width, height = 190, title }: { maxLag: number; partial: boolean; width: number; height?: number; title?: string },
): HTMLDivElement {
  const lags = Math.min(maxLag, values.length - 1);
  const sample = partial ? pacf(values, lags) : acf(values, lags);
  const bars = [{ name: partial ? "sample PACF" : "sample ACF", values: sample, firstLag: partial ? 1 : 0, color: "#2563eb" }];
  const stationary = phi.every(Number.isFinite) && theta.every(Number.isFinite) && isStationary(phi);
  if (stationary) {
    const theory = partial ? armaPacf(phi, theta, lags) : armaAcf(phi, theta, lags);
    bars.push({ name: "theory", values: theory, firstLag: partial ? 1 : 0, color: "#dc2626", kind: "dot" } as (typeof bars)[number]);
  }
  return AcfPlot(bars, {
    band: acfBand(values.length),
    width,
    height,
    title,
    yLabel: partial ? "partial autocorrelation" : "autocorrelation",
  });
}

/** R's numbers next to the page's, with a tick where they print the same. */
export function referenceTable(checks: ReferenceCheck[]): HTMLTableElement {
  const table = document.createElement("table");
  table.className = "value-table reference-table";
  table.dataset.testid = "reference-table";
  const caption = table.createCaption();
  caption.textContent = "the math core against R 4.2.2 (computed when this page loads)";
  const head = table.createTHead().insertRow();
  for (const text of ["quantity", "R call", "R 4.2.2", "this page", "same to the digits shown"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = text;
    head.append(th);
  }
  const body = table.createTBody();
  for (const check of checks) {
    const tr = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.innerHTML = labelToHtml(check.quantity);
    th.style.whiteSpace = "normal";
    th.style.minWidth = "16em";
    const call = tr.insertCell();
    const code = document.createElement("code");
    code.textContent = check.call;
    call.append(code);
    call.style.whiteSpace = "normal";
    call.style.textAlign = "left";
    call.style.fontSize = "11px";
    tr.prepend(th);
    tr.insertCell().textContent = check.r.toFixed(check.digits).replace("-", "−");
    tr.insertCell().textContent = check.ours.toFixed(check.digits).replace("-", "−");
    const ok = checkAgrees(check);
    const mark = tr.insertCell();
    mark.textContent = ok ? "✓" : "✗";
    mark.style.color = ok ? "#15803d" : "#b91c1c";
    mark.dataset.agrees = String(ok);
  }
  return table;
}

/** A sentence-sized summary of the time-reversal check, as a list. */
export function reversibilitySummary(check: ReversibilityCheck): HTMLUListElement {
  const sorted = check.simulated.slice().sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))]!;
  const list = document.createElement("ul");
  list.dataset.testid = "reversibility";
  const item = (html: string) => {
    const li = document.createElement("li");
    li.innerHTML = html;
    list.append(li);
  };
  item(`skewness of the observed changes $x^{(t)} - x^{(t-1)}$: <b>${formatNumber(check.observed, 3)}</b>`.replace(/\$([^$]+)\$/g, (_, tex: string) => labelToHtml(`$${tex}$`)));
  item(`the same statistic on ${check.simulated.length} series simulated from the fitted AR: middle 95% from <b>${formatNumber(q(0.025), 3)}</b> to <b>${formatNumber(q(0.975), 3)}</b>; ${formatNumber(100 * check.shareAsExtreme, 3)}% of them are as far from 0 as the observed value`);
  item(`share of simulated values below zero: <b>${formatNumber(100 * check.negativeShare, 3)}%</b>`);
  return list;
}
