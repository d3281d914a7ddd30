// Several optimisation traces against iteration on one set of axes: one value per iteration
// 0, 1, 2, … for each learner (a log-likelihood, or its gap to a target on a log scale).
// The readout above the plot prints every trace's value at the hovered iteration, or at the
// latest one when the pointer is elsewhere. `node.update(series)` redraws in place, so the
// chart can follow training live.
import * as d3 from "d3";
import { axisTitles, drawAxes, drawGrid, drawLines, leftMarginFor, plotBox } from "./chartPlot.js";
import { cursorLayer } from "./chartCursor.js";
import { chartFrame, setAttrs, svg } from "./chartParts.js";
import { legendReadout, readoutItem } from "./chartReadout.js";
import { formatNumber } from "./format.js";
import { labelToText } from "./texLabel.js";

export interface ConvergenceSeries {
  /** Legend text; may contain $TeX$. */
  name: string;
  /** values[n] at iteration n; null (or a non-positive value on a log scale) leaves a gap. */
  values: (number | null)[];
  color?: string;
  dash?: boolean;
}

export interface ConvergenceChartOptions {
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  /** "log" plots positive values on a log axis (for gaps to an optimum). */
  scale?: "linear" | "log";
  /** Fixed y range; default from the data. */
  yDomain?: [number, number];
  /** Show at least this many iterations on the x axis (default 10). */
  minIterations?: number;
  title?: string;
  /** A horizontal reference line across the whole plot (e.g. the value an optimiser converges to). */
  reference?: { name: string; value: number; color?: string };
  /** data-testid on the chart. */
  testid?: string;
}

export interface ConvergenceChartElement extends HTMLDivElement {
  update(series: ConvergenceSeries[]): void;
  readonly series: ConvergenceSeries[];
}

export function ConvergenceChart(series: ConvergenceSeries[], { width = 640, height = 260, xLabel = "iteration $n$", yLabel = "value", scale = "linear", yDomain, minIterations = 10, title, reference, testid }: ConvergenceChartOptions = {}): ConvergenceChartElement {
  const ariaLabel = `${labelToText(title ?? "convergence")}: ${labelToText(yLabel)} against ${labelToText(xLabel)}`;
  const { root: frame, readout, chart } = chartFrame("convergence-chart", { width, height, title, ariaLabel });
  const root = frame as ConvergenceChartElement;
  if (testid) root.dataset.testid = testid;
  const legend = legendReadout(readout);
  const referenceColor = reference?.color ?? "#6b7280";
  if (reference) readout.append(readoutItem(reference.name, formatNumber(reference.value, 5), { color: referenceColor, dash: true }));

  const grid = svg("g", { class: "grid" });
  const xAxis = svg("g", { class: "axis x-axis" });
  const yAxis = svg("g", { class: "axis y-axis" });
  const lines = svg("g", { fill: "none" });
  const referenceLine = svg("line", { stroke: referenceColor, "stroke-width": 1.5, "stroke-dasharray": "5 3" });
  const titles = svg("g");
  const timeRule = cursorLayer();
  chart.append(grid, xAxis, yAxis, referenceLine, lines, titles, ...timeRule.nodes);
  const placeTitles = axisTitles(titles, xLabel, yLabel);

  const margin = { top: 10, right: 16, bottom: 44, left: 48 };
  let xScale = d3.scaleLinear();
  let yScale: d3.ScaleContinuousNumeric<number, number> = scale === "log" ? d3.scaleLog() : d3.scaleLinear();
  let hovered: number | null = null;
  const colorOf = (s: ConvergenceSeries, i: number) => s.color ?? d3.schemeTableau10[i % 10]!;
  const usable = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v) && (scale !== "log" || v > 0);
  const length = () => d3.max(series, (s) => s.values.length) ?? 0;

  function render(): void {
    const n = Math.max(length() - 1, minIterations);
    const ys = series.flatMap((s) => s.values.filter(usable));
    if (reference && usable(reference.value)) ys.push(reference.value);
    let [y0, y1] = yDomain ?? (d3.extent(ys) as [number, number] | [undefined, undefined]);
    if (y0 === undefined || y1 === undefined) [y0, y1] = scale === "log" ? [1e-3, 1] : [0, 1];
    if (y0 === y1) [y0, y1] = scale === "log" ? [y0 / 2, y1 * 2] : [y0 - 1, y1 + 1];
    const plotHeight = height - margin.top - margin.bottom;
    yScale = (scale === "log" ? d3.scaleLog() : d3.scaleLinear()).domain([y0, y1]).range([margin.top + plotHeight, margin.top]);
    if (!yDomain) yScale.nice();
    const tickCount = Math.max(2, Math.round(plotHeight / 40));
    const yTicks = scale === "log" ? yScale.ticks(tickCount).filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9) : yScale.ticks(tickCount);
    const yFormat = scale === "log" ? (v: number) => (v >= 0.1 && v <= 1000 ? String(v) : v.toExponential(0).replace("e+", "e").replace("-", "−")) : yScale.tickFormat(tickCount);
    margin.left = leftMarginFor(yTicks, yFormat);
    const box = plotBox(width, height, margin);
    const plotWidth = box.width;
    xScale = d3.scaleLinear([0, n], [margin.left, margin.left + plotWidth]);
    drawAxes(
      xAxis,
      yAxis,
      box,
      d3.axisBottom(xScale).ticks(Math.max(2, Math.floor(plotWidth / 60))).tickFormat(d3.format("d")).tickSizeOuter(0),
      d3.axisLeft(yScale).tickValues(yTicks).tickFormat((v) => yFormat(Number(v))).tickSizeOuter(0),
    );
    drawGrid(grid, box, yTicks, yScale);
    placeTitles(box);
    timeRule.place(box);
    referenceLine.style.display = reference && usable(reference.value) ? "" : "none";
    if (reference && usable(reference.value)) setAttrs(referenceLine, { x1: margin.left, x2: margin.left + plotWidth, y1: yScale(reference.value), y2: yScale(reference.value) });
    const line = d3
      .line<number | null>()
      .defined((v) => usable(v))
      .x((_, i) => xScale(i))
      .y((v) => yScale(v as number));
    drawLines(lines, series, colorOf, (s) => line(s.values));
    showReadout();
  }

  function showReadout(): void {
    const last = length() - 1;
    const n = hovered ?? last;
    legend.setTime(n < 0 ? "no iterations yet" : `iteration ${n}${hovered === null ? " (latest)" : ""}:`);
    legend.setEntries(series.map((s, i) => ({ name: s.name, color: colorOf(s, i), dash: s.dash })));
    const values = series.map((s) => s.values[Math.min(n, s.values.length - 1)]);
    legend.setValues(values.map((v) => (usable(v) ? formatNumber(v, 5) : "–")));
    const dots = series.flatMap((s, i) => {
      const v = values[i];
      return usable(v) ? [{ y: yScale(v), color: colorOf(s, i) }] : [];
    });
    timeRule.show(n >= 0 ? xScale(n) : null, dots);
  }

  timeRule.onPointerX(
    (px) => {
      hovered = Math.max(0, Math.min(length() - 1, Math.round(xScale.invert(px))));
      showReadout();
    },
    { drag: false },
  );
  timeRule.overlay.addEventListener("pointerleave", () => {
    hovered = null;
    showReadout();
  });

  root.update = (next: ConvergenceSeries[]) => {
    series = next;
    render();
  };
  Object.defineProperty(root, "series", { get: () => series });
  render();
  return root;
}
