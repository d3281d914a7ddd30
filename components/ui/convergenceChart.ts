// Several optimisation traces against iteration on one set of axes: one value per iteration
// 0, 1, 2, … for each learner (a log-likelihood, or its gap to a target on a log scale).
// The readout above the plot prints every trace's value at the hovered iteration, or at the
// latest one when the pointer is elsewhere. `node.update(series)` redraws in place, so the
// chart can follow training live.
import * as d3 from "d3";
import { formatNumber } from "./format.js";
import { labelToText, setLabel, textWidth, xAxisTitle, yAxisTitle } from "./texLabel.js";

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

const SVG_NS = "http://www.w3.org/2000/svg";

export function ConvergenceChart(series: ConvergenceSeries[], { width = 640, height = 260, xLabel = "iteration $n$", yLabel = "value", scale = "linear", yDomain, minIterations = 10, title, reference, testid }: ConvergenceChartOptions = {}): ConvergenceChartElement {
  const root = document.createElement("div") as unknown as ConvergenceChartElement;
  root.className = "chart convergence-chart";
  root.style.maxWidth = `${width}px`;
  if (testid) root.dataset.testid = testid;
  const header = div("chart-header");
  if (title) {
    const titleNode = div("chart-title");
    setLabel(titleNode, title);
    header.append(titleNode);
  }
  const readout = div("chart-readout");
  const readoutTime = span("chart-readout-time");
  const readoutItems = span("chart-readout-items");
  readout.append(readoutTime, readoutItems);
  const referenceColor = reference?.color ?? "#6b7280";
  if (reference) {
    const item = span("chart-readout-item");
    const swatch = span("chart-legend-line dashed");
    swatch.style.borderTopColor = referenceColor;
    const name = span("chart-readout-name");
    setLabel(name, reference.name);
    const value = span("chart-readout-value");
    value.textContent = formatNumber(reference.value, 5);
    item.append(swatch, name, value);
    readout.append(item);
  }
  header.append(readout);
  const body = div("chart-body");
  body.setAttribute("role", "img");
  body.setAttribute("aria-label", `${labelToText(title ?? "convergence")}: ${labelToText(yLabel)} against ${labelToText(xLabel)}`);
  const chart = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}` });
  body.append(chart);
  root.append(header, body);

  const grid = svg("g", { class: "grid" });
  const xAxis = svg("g", { class: "axis x-axis" });
  const yAxis = svg("g", { class: "axis y-axis" });
  const lines = svg("g", { fill: "none" });
  const referenceLine = svg("line", { stroke: referenceColor, "stroke-width": 1.5, "stroke-dasharray": "5 3" });
  const titles = svg("g", {});
  const rule = svg("line", { class: "chart-rule" });
  const dots = svg("g", {});
  const overlay = svg("rect", { class: "chart-overlay" });
  chart.append(grid, xAxis, yAxis, referenceLine, lines, titles, rule, dots, overlay);

  const margin = { top: 10, right: 16, bottom: 44, left: 48 };
  let xScale = d3.scaleLinear();
  let yScale: d3.ScaleContinuousNumeric<number, number> = scale === "log" ? d3.scaleLog() : d3.scaleLinear();
  let hovered: number | null = null;
  let lastTitlesKey = "";
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
    margin.left = Math.ceil(26 + (d3.max(yTicks, (v) => textWidth(yFormat(v))) ?? 20) + 8);
    const plotWidth = width - margin.left - margin.right;
    xScale = d3.scaleLinear([0, n], [margin.left, margin.left + plotWidth]);
    d3.select(xAxis)
      .attr("transform", `translate(0,${margin.top + plotHeight})`)
      .call(d3.axisBottom(xScale).ticks(Math.max(2, Math.floor(plotWidth / 60))).tickFormat(d3.format("d")).tickSizeOuter(0));
    d3.select(yAxis).attr("transform", `translate(${margin.left},0)`).call(d3.axisLeft(yScale).tickValues(yTicks).tickFormat((v) => yFormat(Number(v))).tickSizeOuter(0));
    d3.select(grid)
      .selectAll("line")
      .data(yTicks)
      .join("line")
      .attr("x1", margin.left)
      .attr("x2", margin.left + plotWidth)
      .attr("y1", (v) => yScale(v))
      .attr("y2", (v) => yScale(v));
    // Axis titles are typeset with KaTeX: only redo them when the layout moves.
    const titlesKey = `${margin.left},${plotWidth}`;
    if (titlesKey !== lastTitlesKey) {
      lastTitlesKey = titlesKey;
      titles.replaceChildren(
        xAxisTitle(xLabel, { left: margin.left, right: margin.left + plotWidth, y: margin.top + plotHeight + 34 }),
        yAxisTitle(yLabel, { x: 10, top: margin.top, bottom: margin.top + plotHeight }),
      );
    }
    setAttrs(overlay, { x: margin.left, y: margin.top, width: plotWidth, height: plotHeight });
    setAttrs(rule, { y1: margin.top, y2: margin.top + plotHeight });
    referenceLine.style.display = reference && usable(reference.value) ? "" : "none";
    if (reference && usable(reference.value)) setAttrs(referenceLine, { x1: margin.left, x2: margin.left + plotWidth, y1: yScale(reference.value), y2: yScale(reference.value) });
    const line = d3
      .line<number | null>()
      .defined((v) => usable(v))
      .x((_, i) => xScale(i))
      .y((v) => yScale(v as number));
    d3.select(lines)
      .selectAll("path")
      .data(series)
      .join("path")
      .attr("stroke", (s, i) => colorOf(s, i))
      .attr("stroke-width", 1.75)
      .attr("stroke-dasharray", (s) => (s.dash ? "5 3" : null))
      .attr("d", (s) => line(s.values));
    showReadout();
  }

  function showReadout(): void {
    const last = length() - 1;
    const n = hovered ?? last;
    readoutTime.textContent = n < 0 ? "no iterations yet" : `iteration ${n}${hovered === null ? " (latest)" : ""}:`;
    if (readoutItems.childElementCount !== series.length) {
      readoutItems.replaceChildren(
        ...series.map(() => {
          const item = span("chart-readout-item");
          item.append(span("chart-legend-line"), span("chart-readout-name"), span("chart-readout-value"));
          return item;
        }),
      );
    }
    const visible: { v: number; color: string }[] = [];
    series.forEach((s, i) => {
      const [swatch, name, value] = readoutItems.children[i]!.children as unknown as HTMLElement[];
      swatch!.style.borderTopColor = colorOf(s, i);
      swatch!.classList.toggle("dashed", Boolean(s.dash));
      setLabel(name!, s.name);
      const v = s.values[Math.min(n, s.values.length - 1)];
      value!.textContent = usable(v) ? formatNumber(v, 5) : "–";
      if (usable(v) && n >= 0) visible.push({ v, color: colorOf(s, i) });
    });
    const px = xScale(Math.max(0, n));
    rule.style.display = n >= 0 ? "" : "none";
    setAttrs(rule, { x1: px, x2: px });
    d3.select(dots)
      .selectAll("circle")
      .data(visible)
      .join("circle")
      .attr("class", "chart-dot")
      .attr("r", 3.5)
      .attr("cx", px)
      .attr("cy", (d) => yScale(d.v))
      .attr("fill", (d) => d.color);
  }

  overlay.addEventListener("pointermove", (event) => {
    const box = overlay.getBoundingClientRect();
    const scaleX = Number(overlay.getAttribute("width")) / box.width;
    const n = Math.round(xScale.invert(margin.left + (event.clientX - box.left) * scaleX));
    hovered = Math.max(0, Math.min(length() - 1, n));
    showReadout();
  });
  overlay.addEventListener("pointerleave", () => {
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

function div(className: string): HTMLDivElement {
  const node = document.createElement("div");
  node.className = className;
  return node;
}

function span(className: string): HTMLSpanElement {
  const node = document.createElement("span");
  node.className = className;
  return node;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  return node;
}

function setAttrs(node: Element, attrs: Record<string, string | number>): void {
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
}
