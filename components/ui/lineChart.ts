// Several series over time on one set of axes, tied to the page's time cursor.
//
// The legend above the plot doubles as the readout: each series' value at the cursor is
// printed beside its name, so the reader never has to hover to read it. The cursor is drawn
// as a vertical rule with a dot on each series; hovering or dragging moves it to the nearest
// time step. `node.update(series)` redraws in place.
import * as d3 from "d3";
import { createTimeCursor, type TimeCursor } from "./timeCursor.js";
import { formatNumber } from "./format.js";
import { labelToText, setLabel, textWidth, xAxisTitle, yAxisTitle } from "./texLabel.js";

export interface LineSeries {
  /** Legend text; may contain $TeX$. */
  name: string;
  /** One value per time step; null (or NaN) leaves a gap. */
  values: (number | null)[];
  color?: string;
  dash?: boolean;
}

export interface LineChartOptions {
  /** The x position of each time step (e.g. years); default 0, 1, 2, … */
  x?: number[];
  cursor?: TimeCursor;
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  /** How to name time step t in the readout, e.g. t => years[t]. */
  timeLabel?: (t: number) => string;
  /** Shade the steps from this index on (e.g. the held-out period). */
  shadeFrom?: number;
  shadeLabel?: string;
  yDomain?: [number, number];
  title?: string;
  invalidation?: Promise<unknown>;
}

export interface LineChartElement extends HTMLDivElement {
  update(series: LineSeries[]): void;
  readonly value: number;
}

const SVG_NS = "http://www.w3.org/2000/svg";
const PALETTE = d3.schemeTableau10;

export function LineChart(
  series: LineSeries[],
  {
    x: xValues,
    cursor: sharedCursor,
    width = 640,
    height = 240,
    xLabel = "time step $t$",
    yLabel = "value",
    timeLabel,
    shadeFrom,
    shadeLabel = "held out",
    yDomain,
    title,
    invalidation,
  }: LineChartOptions = {},
): LineChartElement {
  const stepCount = () => Math.max(xValues?.length ?? 0, d3.max(series, (s) => s.values.length) ?? 0);
  const cursor = sharedCursor ?? createTimeCursor({ min: 0, max: 1e9, value: stepCount() - 1 });
  const xAt = (i: number) => (xValues ? xValues[i] : i);
  const stepName = (t: number) => (timeLabel ? `${timeLabel(t)} (t = ${t})` : `t = ${t}`);

  const root = document.createElement("div") as unknown as LineChartElement;
  root.className = "chart line-chart";
  root.style.maxWidth = `${width}px`;

  const header = div("chart-header");
  const titleNode = div("chart-title");
  if (title) setLabel(titleNode, title);
  const legend = div("chart-readout");
  const legendTime = document.createElement("span");
  legendTime.className = "chart-readout-time";
  const legendItems = document.createElement("span");
  legendItems.className = "chart-readout-items";
  legend.append(legendTime, legendItems);
  if (title) header.append(titleNode);
  header.append(legend);

  const body = div("chart-body");
  body.tabIndex = 0;
  body.setAttribute("role", "img");
  body.setAttribute("aria-label", `${labelToText(title ?? "line chart")}: ${labelToText(yLabel)} against ${labelToText(xLabel)}; arrow keys move the time cursor`);
  const chart = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}` });
  body.append(chart);
  root.append(header, body);

  const shade = svg("g", { class: "chart-shade-group" });
  const grid = svg("g", { class: "grid" });
  const xAxis = svg("g", { class: "axis x-axis" });
  const yAxis = svg("g", { class: "axis y-axis" });
  const lines = svg("g", { class: "chart-lines", fill: "none" });
  const titles = svg("g", {});
  const rule = svg("line", { class: "chart-rule" });
  const dots = svg("g", {});
  const overlay = svg("rect", { class: "chart-overlay" });
  chart.append(shade, grid, xAxis, yAxis, lines, titles, rule, dots, overlay);

  const margin = { top: 10, right: 12, bottom: 44, left: 40 };
  let xScale = d3.scaleLinear();
  let yScale = d3.scaleLinear();
  let titlesKey = "";

  function render(): void {
    const n = stepCount();
    const xs = d3.range(n).map(xAt);
    const [x0 = 0, x1 = 1] = d3.extent(xs);
    const ys = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
    let [y0, y1] = yDomain ?? d3.extent(ys);
    if (y0 === undefined || y1 === undefined) [y0, y1] = [0, 1];
    if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];

    // Room above the plot for the shade's label, so that no line can cross it.
    margin.top = shadeFrom !== undefined && shadeFrom < n ? 18 : 10;
    // The y axis first: its widest tick label sets the left margin.
    const plotHeight = height - margin.top - margin.bottom;
    yScale = d3.scaleLinear([y0, y1], [margin.top + plotHeight, margin.top]);
    if (!yDomain) yScale.nice(Math.max(2, Math.round(plotHeight / 40)));
    const yTicks = yScale.ticks(Math.max(2, Math.round(plotHeight / 40)));
    const yFormat = yScale.tickFormat(Math.max(2, Math.round(plotHeight / 40)));
    margin.left = Math.ceil(26 + (d3.max(yTicks, (v) => textWidth(yFormat(v))) ?? 20) + 8);
    const lastLabel = tickLabel(x1);
    margin.right = Math.ceil(Math.max(12, textWidth(lastLabel) / 2 + 2));
    // Never negative: a cell may first render while its container still has no width.
    const plotWidth = Math.max(20, width - margin.left - margin.right);
    xScale = d3.scaleLinear([x0, x0 === x1 ? x0 + 1 : x1], [margin.left, margin.left + plotWidth]);

    const widest = Math.max(textWidth(tickLabel(x0)), textWidth(lastLabel));
    const xTickCount = Math.max(2, Math.floor(plotWidth / (widest + 24)));
    d3.select(xAxis)
      .attr("transform", `translate(0,${margin.top + plotHeight})`)
      .call(d3.axisBottom(xScale).ticks(xTickCount).tickFormat((v) => tickLabel(Number(v))).tickSizeOuter(0));
    d3.select(yAxis)
      .attr("transform", `translate(${margin.left},0)`)
      .call(d3.axisLeft(yScale).ticks(Math.max(2, Math.round(plotHeight / 40))).tickSizeOuter(0));
    d3.select(grid)
      .selectAll("line")
      .data(yTicks)
      .join("line")
      .attr("x1", margin.left)
      .attr("x2", margin.left + plotWidth)
      .attr("y1", (v) => yScale(v))
      .attr("y2", (v) => yScale(v));

    const key = `${margin.left},${margin.top},${plotWidth}`;
    if (key !== titlesKey) {
      titlesKey = key;
      titles.replaceChildren(
        xAxisTitle(xLabel, { left: margin.left, right: margin.left + plotWidth, y: margin.top + plotHeight + 34 }),
        yAxisTitle(yLabel, { x: 10, top: margin.top, bottom: margin.top + plotHeight }),
      );
    }
    setAttrs(overlay, { x: margin.left, y: margin.top, width: plotWidth, height: plotHeight });
    setAttrs(rule, { y1: margin.top, y2: margin.top + plotHeight });

    // Shaded period (e.g. held out), from half a step before shadeFrom to the end.
    shade.replaceChildren();
    if (shadeFrom !== undefined && shadeFrom < n) {
      const half = n > 1 ? Math.abs(xScale(xAt(1)) - xScale(xAt(0))) / 2 : 0;
      const left = Math.max(margin.left, xScale(xAt(Math.max(0, shadeFrom))) - half);
      shade.append(svg("rect", { class: "chart-shade", x: left, y: margin.top, width: margin.left + plotWidth - left, height: plotHeight }));
      const text = labelToText(shadeLabel);
      const right = margin.left + plotWidth;
      const fits = right - left >= textWidth(text) + 8;
      const label = svg("text", { class: "chart-shade-label", x: fits ? left + 4 : right, y: margin.top - 5, "text-anchor": fits ? "start" : "end" });
      label.textContent = text;
      shade.append(label);
    }

    const line = d3
      .line<number | null>()
      .defined((v) => v !== null && Number.isFinite(v))
      .x((_, i) => xScale(xAt(i)))
      .y((v) => yScale(v as number));
    d3.select(lines)
      .selectAll("path")
      .data(series)
      .join("path")
      .attr("stroke", (s, i) => colorOf(s, i))
      .attr("stroke-width", 1.75)
      .attr("stroke-dasharray", (s) => (s.dash ? "5 3" : null))
      .attr("d", (s) => line(s.values));

    renderLegend();
    showCursor(cursor.value);
  }

  function renderLegend(): void {
    if (legendItems.childElementCount !== series.length) {
      legendItems.replaceChildren(
        ...series.map(() => {
          const item = span("chart-readout-item");
          item.append(span("chart-legend-line"), span("chart-readout-name"), span("chart-readout-value"));
          return item;
        }),
      );
    }
    series.forEach((s, i) => {
      const [swatch, name] = legendItems.children[i].children as unknown as HTMLElement[];
      swatch.style.borderTopColor = colorOf(s, i);
      swatch.classList.toggle("dashed", Boolean(s.dash));
      setLabel(name, s.name);
    });
  }

  function showCursor(t: number): void {
    const n = stepCount();
    const inside = t >= 0 && t < n;
    rule.style.display = inside ? "" : "none";
    legendTime.textContent = `${stepName(t)}:`;
    const px = inside ? xScale(xAt(t)) : 0;
    setAttrs(rule, { x1: px, x2: px });
    const visible = series.map((s, i) => ({ v: inside ? s.values[t] : null, color: colorOf(s, i) })).filter((d): d is { v: number; color: string } => d.v !== null && d.v !== undefined && Number.isFinite(d.v));
    d3.select(dots)
      .selectAll("circle")
      .data(visible)
      .join("circle")
      .attr("class", "chart-dot")
      .attr("r", 3.5)
      .attr("cx", px)
      .attr("cy", (d) => yScale(d.v))
      .attr("fill", (d) => d.color);
    series.forEach((s, i) => {
      const value = legendItems.children[i]?.children[2];
      const v = inside ? s.values[t] : null;
      if (value) value.textContent = v === null || v === undefined ? "–" : formatNumber(v);
    });
  }

  function tickLabel(v: number): string {
    if (!xValues && timeLabel && Number.isInteger(v)) return timeLabel(v);
    return Number.isInteger(v) ? formatNumber(v) : xScale.tickFormat()(v);
  }

  function pointAt(event: PointerEvent): void {
    const n = stepCount();
    if (n === 0) return;
    const box = overlay.getBoundingClientRect();
    const scaleX = Number(overlay.getAttribute("width")) / box.width;
    const target = xScale.invert(margin.left + (event.clientX - box.left) * scaleX);
    const xs = d3.range(n).map(xAt);
    cursor.set(d3.bisectCenter(xs, target));
  }

  overlay.addEventListener("pointermove", pointAt);
  overlay.addEventListener("pointerdown", (event) => {
    overlay.setPointerCapture(event.pointerId);
    pointAt(event);
  });
  body.addEventListener("keydown", (event) => {
    if (event.key === "ArrowLeft") cursor.set(cursor.value - 1);
    else if (event.key === "ArrowRight") cursor.set(cursor.value + 1);
    else return;
    event.preventDefault();
  });

  root.update = (next: LineSeries[]) => {
    series = next;
    render();
  };
  Object.defineProperty(root, "value", { get: () => cursor.value });

  render();
  cursor.subscribe(showCursor, { owner: root, invalidation });
  return root;
}

function colorOf(s: LineSeries, i: number): string {
  return s.color ?? PALETTE[i % PALETTE.length];
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
