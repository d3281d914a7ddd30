// One probability distribution over categories at the page's time step, as bars: row t of a
// time × category matrix (a predictive distribution, say), with the category that actually
// occurred at t drawn in the accent colour. The readout above names the cursor's step, the
// observed category and its probability, and the most probable one. Follows the cursor;
// hovering a bar shows its exact value. `node.update(matrix)` redraws in place.
import * as d3 from "d3";
import { chartFrame, chartTooltip, pointerXY, span, svg } from "./chartParts.js";
import { axisTitles, drawBottomAxis, drawGrid, drawLeftAxis, plotBox } from "./chartPlot.js";
import { createTimeCursor, type TimeCursor } from "./timeCursor.js";
import { formatNumber } from "./format.js";
import { labelToText, setLabel } from "./texLabel.js";

export interface DistributionBarsOptions {
  cursor?: TimeCursor;
  /** One label per category (plain text, short). */
  labels: string[];
  /** The category observed at step t, highlighted; null for none. */
  observed?: (t: number) => number | null;
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  /** The y range; default [0, the largest entry of the whole matrix], so steps compare. */
  yDomain?: [number, number];
  timeLabel?: (t: number) => string;
  /** What to call the observed category in the readout (default "observed"). */
  observedLabel?: string;
  title?: string;
  invalidation?: Promise<unknown>;
}

export interface DistributionBarsElement extends HTMLDivElement {
  update(matrix: number[][]): void;
  readonly value: number;
}

export function DistributionBars(
  matrix: number[][],
  {
    cursor: sharedCursor,
    labels,
    observed,
    width = 640,
    height = 200,
    xLabel = "category",
    yLabel = "probability",
    yDomain,
    timeLabel,
    observedLabel = "observed",
    title,
    invalidation,
  }: DistributionBarsOptions,
): DistributionBarsElement {
  const cursor = sharedCursor ?? createTimeCursor({ min: 0, max: Math.max(0, matrix.length - 1) });
  const stepName = (t: number) => (timeLabel ? `${timeLabel(t)} (t = ${t})` : `t = ${t}`);

  const ariaLabel = `${labelToText(title ?? "distribution")}: ${labelToText(yLabel)} of each ${labelToText(xLabel)} at the current time step`;
  const { root: frame, readout, body, chart } = chartFrame("distribution-bars", { width, height, title, ariaLabel });
  const root = frame as DistributionBarsElement;
  const readoutTime = span("chart-readout-time");
  const readoutObserved = span("chart-readout-item");
  const readoutTop = span("chart-readout-item");
  readout.append(readoutTime, readoutObserved, readoutTop);
  const tooltip = chartTooltip();
  body.append(tooltip);

  const grid = svg("g", { class: "grid" });
  const bars = svg("g");
  const xAxis = svg("g", { class: "axis x-axis" });
  const yAxis = svg("g", { class: "axis y-axis" });
  const titles = svg("g");
  chart.append(grid, bars, xAxis, yAxis, titles);

  const margin = { top: 8, right: 8, bottom: 44, left: 48 };
  const box = plotBox(width, height, margin);
  const xScale = d3.scaleBand(d3.range(labels.length), [box.left, box.left + box.width]).padding(0.15);
  let yScale = d3.scaleLinear();
  const placeTitles = axisTitles(titles, xLabel, yLabel);

  function layout(): void {
    const top = yDomain?.[1] ?? Math.max(1e-12, d3.max(matrix, (row) => d3.max(row)) ?? 1);
    yScale = d3.scaleLinear([yDomain?.[0] ?? 0, top], [box.top + box.height, box.top]).nice();
    const ticks = yScale.ticks(Math.max(2, Math.round(box.height / 36)));
    drawLeftAxis(yAxis, box, d3.axisLeft(yScale).tickValues(ticks).tickSizeOuter(0));
    drawGrid(grid, box, ticks, yScale);
    drawBottomAxis(xAxis, box, d3.axisBottom(xScale).tickFormat((i) => labels[i] ?? "").tickSizeOuter(0));
    placeTitles(box);
  }

  function show(t: number): void {
    const row = matrix[t] ?? [];
    const seen = observed?.(t) ?? null;
    d3.select(bars)
      .selectAll<SVGRectElement, number>("rect")
      .data(row)
      .join("rect")
      .attr("x", (_, i) => xScale(i) ?? 0)
      .attr("width", xScale.bandwidth())
      .attr("y", (v) => yScale(Math.max(0, v)))
      .attr("height", (v) => Math.max(0, yScale(0) - yScale(Math.max(0, v))))
      .attr("fill", (_, i) => (i === seen ? "var(--unrolled-accent)" : "var(--theme-foreground-faint)"))
      .attr("data-category", (_, i) => labels[i] ?? String(i));
    readoutTime.textContent = `${stepName(t)}:`;
    if (seen !== null && row[seen] !== undefined) {
      setLabel(readoutObserved, `${observedLabel} “${labels[seen]}”: ${formatNumber(row[seen]!)}`);
    } else setLabel(readoutObserved, ""); // through setLabel, so that the next label is written even if it equals the last one
    const best = row.length > 0 ? d3.maxIndex(row) : -1;
    readoutTop.textContent = best >= 0 ? `most probable “${labels[best]}”: ${formatNumber(row[best]!)}` : "";
  }

  chart.addEventListener("pointermove", (event) => {
    const [x] = pointerXY(event, chart);
    const i = Math.floor((x - box.left) / xScale.step());
    const v = matrix[cursor.value]?.[i];
    if (v === undefined || x < box.left) {
      tooltip.hidden = true;
      return;
    }
    tooltip.hidden = false;
    tooltip.textContent = `“${labels[i]}”: ${formatNumber(v, 6)}`;
    const client = chart.getBoundingClientRect();
    tooltip.style.left = `${Math.min(event.clientX - client.left + 12, client.width - 110)}px`;
    tooltip.style.top = `${Math.max(0, event.clientY - client.top - 30)}px`;
  });
  chart.addEventListener("pointerleave", () => (tooltip.hidden = true));

  root.update = (next: number[][]) => {
    matrix = next;
    layout();
    show(cursor.value);
  };
  Object.defineProperty(root, "value", { get: () => cursor.value });
  layout();
  cursor.subscribe(show, { owner: root, invalidation });
  return root;
}
