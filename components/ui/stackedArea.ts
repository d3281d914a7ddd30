// A sequence of probability vectors (or any non-negative shares) as stacked areas over time,
// tied to the page's time cursor: at each step t the bands' heights are the entries of
// row t, stacked from the bottom in order. The legend above the plot is the readout: each
// band's value at the cursor is printed beside its name. Hovering or dragging moves the
// cursor; arrow keys step it. `node.update(matrix)` redraws in place.
import * as d3 from "d3";
import { createTimeCursor, type TimeCursor } from "./timeCursor.js";
import { formatNumber } from "./format.js";
import { labelToText, setLabel, textWidth, xAxisTitle, yAxisTitle } from "./texLabel.js";

export interface StackedAreaOptions {
  cursor?: TimeCursor;
  width?: number;
  height?: number;
  /** One name per band (column); may contain $TeX$. Default "1", "2", … */
  names?: string[];
  colors?: string[];
  xLabel?: string;
  yLabel?: string;
  /** How to name time step t in the readout. */
  timeLabel?: (t: number) => string;
  /** The y range; default [0, the largest column total]. */
  yDomain?: [number, number];
  title?: string;
  invalidation?: Promise<unknown>;
}

export interface StackedAreaElement extends HTMLDivElement {
  /** Replaces the data (rows = time steps, columns = bands) and redraws. */
  update(matrix: number[][]): void;
  readonly value: number;
}

const SVG_NS = "http://www.w3.org/2000/svg";

export function StackedArea(
  matrix: number[][],
  {
    cursor: sharedCursor,
    width = 640,
    height = 200,
    names,
    colors = d3.schemeTableau10 as string[],
    xLabel = "time step $t$",
    yLabel = "share",
    timeLabel,
    yDomain,
    title,
    invalidation,
  }: StackedAreaOptions = {},
): StackedAreaElement {
  const cursor = sharedCursor ?? createTimeCursor({ min: 0, max: Math.max(0, matrix.length - 1) });
  const stepName = (t: number) => (timeLabel ? `${timeLabel(t)} (t = ${t})` : `t = ${t}`);
  const bandName = (k: number) => names?.[k] ?? String(k + 1);
  const colorOf = (k: number) => colors[k % colors.length]!;

  const root = document.createElement("div") as unknown as StackedAreaElement;
  root.className = "chart stacked-area";
  root.style.maxWidth = `${width}px`;

  const header = div("chart-header");
  const legend = div("chart-readout");
  const legendTime = span("chart-readout-time");
  const legendItems = span("chart-readout-items");
  legend.append(legendTime, legendItems);
  if (title) {
    const titleNode = div("chart-title");
    setLabel(titleNode, title);
    header.append(titleNode);
  }
  header.append(legend);

  const body = div("chart-body");
  body.tabIndex = 0;
  body.setAttribute("role", "img");
  body.setAttribute("aria-label", `${labelToText(title ?? "stacked areas")}: ${labelToText(yLabel)} against ${labelToText(xLabel)}; arrow keys move the time cursor`);
  const chart = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}` });
  body.append(chart);
  root.append(header, body);

  const bands = svg("g", { class: "stacked-area-bands" });
  const xAxis = svg("g", { class: "axis x-axis" });
  const yAxis = svg("g", { class: "axis y-axis" });
  const titles = svg("g", {});
  const rule = svg("line", { class: "chart-rule" });
  const dots = svg("g", {});
  const overlay = svg("rect", { class: "chart-overlay" });
  chart.append(bands, xAxis, yAxis, titles, rule, dots, overlay);

  const margin = { top: 8, right: 12, bottom: 44, left: 44 };
  let xScale = d3.scaleLinear();
  let yScale = d3.scaleLinear();
  let stacked: d3.Series<number[], number>[] = [];

  function render(): void {
    const T = matrix.length;
    const K = d3.max(matrix, (row) => row.length) ?? 0;
    const top = yDomain?.[1] ?? Math.max(1e-12, d3.max(matrix, (row) => d3.sum(row)) ?? 1);
    const plotHeight = height - margin.top - margin.bottom;
    yScale = d3.scaleLinear([yDomain?.[0] ?? 0, top], [margin.top + plotHeight, margin.top]);
    const yTicks = yScale.ticks(Math.max(2, Math.round(plotHeight / 40)));
    const yFormat = yScale.tickFormat(Math.max(2, Math.round(plotHeight / 40)));
    margin.left = Math.ceil(26 + (d3.max(yTicks, (v) => textWidth(yFormat(v))) ?? 20) + 8);
    margin.right = Math.ceil(Math.max(12, textWidth(String(Math.max(0, T - 1))) / 2 + 2));
    const plotWidth = width - margin.left - margin.right;
    // Each step is a column of width 1 centred on t, so the first and last steps are as wide as the rest.
    xScale = d3.scaleLinear([-0.5, Math.max(0.5, T - 0.5)], [margin.left, margin.left + plotWidth]);

    d3.select(xAxis)
      .attr("transform", `translate(0,${margin.top + plotHeight})`)
      .call(d3.axisBottom(xScale).ticks(Math.max(2, Math.floor(plotWidth / 70))).tickFormat((v) => (Number.isInteger(Number(v)) ? (timeLabel ? timeLabel(Number(v)) : String(v)) : "")).tickSizeOuter(0));
    d3.select(yAxis).attr("transform", `translate(${margin.left},0)`).call(d3.axisLeft(yScale).tickValues(yTicks).tickFormat(yFormat).tickSizeOuter(0));
    titles.replaceChildren(
      xAxisTitle(xLabel, { left: margin.left, right: margin.left + plotWidth, y: margin.top + plotHeight + 34 }),
      yAxisTitle(yLabel, { x: 10, top: margin.top, bottom: margin.top + plotHeight }),
    );
    setAttrs(overlay, { x: margin.left, y: margin.top, width: plotWidth, height: plotHeight });
    setAttrs(rule, { y1: margin.top, y2: margin.top + plotHeight });

    stacked = d3.stack<number[], number>().keys(d3.range(K)).value((row, k) => row[k] ?? 0)(matrix);
    const area = d3
      .area<d3.SeriesPoint<number[]>>()
      .curve(d3.curveStepAfter)
      .x((_, i) => xScale(i - 0.5))
      .y0((p) => yScale(p[0]))
      .y1((p) => yScale(p[1]));
    // curveStepAfter needs a closing point to draw the last step's full width.
    const closed = (series: d3.Series<number[], number>) => {
      const points = Array.from(series);
      if (points.length > 0) points.push(points[points.length - 1]!);
      return points;
    };
    d3.select(bands)
      .selectAll("path")
      .data(stacked)
      .join("path")
      .attr("fill", (_, k) => colorOf(k))
      .attr("fill-opacity", 0.85)
      .attr("d", (series) => area(closed(series)));
    renderLegend(K);
    showCursor(cursor.value);
  }

  function renderLegend(K: number): void {
    if (legendItems.childElementCount !== K) {
      legendItems.replaceChildren(
        ...d3.range(K).map(() => {
          const item = span("chart-readout-item");
          item.append(span("chart-swatch"), span("chart-readout-name"), span("chart-readout-value"));
          return item;
        }),
      );
    }
    for (let k = 0; k < K; k++) {
      const [swatch, name] = legendItems.children[k]!.children as unknown as HTMLElement[];
      swatch!.style.background = colorOf(k);
      setLabel(name!, bandName(k));
    }
  }

  function showCursor(t: number): void {
    const inside = t >= 0 && t < matrix.length;
    rule.style.display = inside ? "" : "none";
    legendTime.textContent = `${stepName(t)}:`;
    const px = xScale(t);
    setAttrs(rule, { x1: px, x2: px });
    const row = inside ? matrix[t]! : [];
    d3.select(dots)
      .selectAll("circle")
      .data(inside ? stacked.map((series, k) => ({ y: (series[t]![0] + series[t]![1]) / 2, k })) : [])
      .join("circle")
      .attr("class", "chart-dot")
      .attr("r", 3.5)
      .attr("cx", px)
      .attr("cy", (d) => yScale(d.y))
      .attr("fill", (d) => colorOf(d.k));
    Array.from(legendItems.children).forEach((item, k) => {
      const value = item.children[2];
      if (value) value.textContent = inside && row[k] !== undefined ? formatNumber(row[k]!) : "–";
    });
  }

  function pointAt(event: PointerEvent): void {
    if (matrix.length === 0) return;
    const box = overlay.getBoundingClientRect();
    const scaleX = Number(overlay.getAttribute("width")) / box.width;
    cursor.set(Math.round(xScale.invert(margin.left + (event.clientX - box.left) * scaleX)));
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

  root.update = (next: number[][]) => {
    matrix = next;
    render();
  };
  Object.defineProperty(root, "value", { get: () => cursor.value });
  render();
  cursor.subscribe(showCursor, { owner: root, invalidation });
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
