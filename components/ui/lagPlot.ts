// A lag plot: each point is a pair (x(t−k), x(t)) of a series, so the cloud's tilt shows how
// much x(t) depends on the value k steps earlier. Tied to the page's time cursor: the pair at
// t is ringed, and hovering a point moves the cursor to its t. The readout prints that pair
// and the sample autocorrelation r(k). `node.update(values, lag)` redraws in place.
import * as d3 from "d3";
import { acf } from "../core/acf.js";
import { formatNumber } from "./format.js";
import { labelToText, textWidth, xAxisTitle, yAxisTitle } from "./texLabel.js";
import type { TimeCursor } from "./timeCursor.js";
import { createTimeCursor } from "./timeCursor.js";
import { chartFrame, pointerXY, setAttrs, svg } from "./chartParts.js";
import { readoutItem, readoutTime } from "./chartReadout.js";

export interface LagPlotOptions {
  cursor?: TimeCursor;
  width?: number;
  /** How to name time step t, e.g. t => String(years[t]). */
  timeLabel?: (t: number) => string;
  /** What the values are, for the axis titles (may contain TeX). */
  valueName?: string;
  color?: string;
  title?: string;
  invalidation?: Promise<unknown>;
}

export interface LagPlotElement extends HTMLDivElement {
  update(values: number[], lag: number): void;
}

export function LagPlot(values: number[], lag: number, { cursor: shared, width = 360, timeLabel = (t) => String(t), valueName = "x", color = "#2563eb", title, invalidation }: LagPlotOptions = {}): LagPlotElement {
  const height = width;
  const cursor = shared ?? createTimeCursor({ min: 0, max: values.length - 1, value: values.length - 1 });
  const frame = chartFrame("lag-plot", { width, height, title, ariaLabel: `lag plot of ${labelToText(valueName)}: value at t against the value k steps earlier` });
  const root = frame.root as unknown as LagPlotElement;
  const grid = svg("g", { class: "grid" });
  const xAxis = svg("g", { class: "axis x-axis" });
  const yAxis = svg("g", { class: "axis y-axis" });
  const dots = svg("g", { fill: color, "fill-opacity": 0.45 });
  const ring = svg("circle", { class: "lag-current", r: 7, fill: "none", stroke: "#111827", "stroke-width": 2 });
  const titles = svg("g", {});
  const overlay = svg("rect", { class: "chart-overlay" });
  frame.chart.append(grid, xAxis, yAxis, dots, ring, titles, overlay);
  const margin = { top: 10, right: 12, bottom: 42, left: 44 };
  let xScale = d3.scaleLinear();
  let yScale = d3.scaleLinear();
  let delaunay: d3.Delaunay<number> | null = null;
  let r = NaN;

  function render(): void {
    const [lo, hi] = d3.extent(values) as [number, number];
    const plotSize = height - margin.top - margin.bottom;
    yScale = d3.scaleLinear([lo, hi], [margin.top + plotSize, margin.top]).nice();
    const ticks = yScale.ticks(5);
    const fmt = yScale.tickFormat(5);
    margin.left = Math.ceil(26 + (d3.max(ticks, (v) => textWidth(fmt(v))) ?? 20) + 8);
    const plotWidth = Math.max(20, width - margin.left - margin.right);
    xScale = d3.scaleLinear(yScale.domain(), [margin.left, margin.left + plotWidth]);
    d3.select(xAxis).attr("transform", `translate(0,${margin.top + plotSize})`).call(d3.axisBottom(xScale).ticks(Math.max(2, Math.floor(plotWidth / 60))).tickSizeOuter(0));
    d3.select(yAxis).attr("transform", `translate(${margin.left},0)`).call(d3.axisLeft(yScale).ticks(5).tickSizeOuter(0));
    d3.select(grid).selectAll("line").data(ticks).join("line").attr("x1", margin.left).attr("x2", margin.left + plotWidth).attr("y1", (v) => yScale(v)).attr("y2", (v) => yScale(v));
    titles.replaceChildren(
      xAxisTitle(`${valueName} at $t - ${lag}$`, { left: margin.left, right: margin.left + plotWidth, y: margin.top + plotSize + 32 }),
      yAxisTitle(`${valueName} at $t$`, { x: 10, top: margin.top, bottom: margin.top + plotSize }),
    );
    const pts: [number, number][] = [];
    dots.replaceChildren();
    for (let t = lag; t < values.length; t++) {
      const p: [number, number] = [xScale(values[t - lag]!), yScale(values[t]!)];
      pts.push(p);
      dots.append(svg("circle", { cx: p[0], cy: p[1], r: 2.6 }));
    }
    delaunay = pts.length > 0 ? d3.Delaunay.from(pts) : null;
    r = lag < values.length ? acf(values, lag)[lag]! : NaN;
    setAttrs(overlay, { x: margin.left, y: margin.top, width: plotWidth, height: plotSize });
    show(cursor.value);
  }

  function show(t: number): void {
    const inside = t >= lag && t < values.length;
    ring.style.display = inside ? "" : "none";
    if (inside) setAttrs(ring, { cx: xScale(values[t - lag]!), cy: yScale(values[t]!) });
    const items: HTMLElement[] = [readoutTime(`${timeLabel(t)} (t = ${t}):`)];
    if (inside) {
      items.push(readoutItem(`$x^{(t-${lag})}$`, formatNumber(values[t - lag]!)), readoutItem("$x^{(t)}$", formatNumber(values[t]!)));
    } else items.push(readoutItem(`no pair: t < k = ${lag}`, ""));
    items.push(readoutItem(`$r(${lag})$`, formatNumber(r), { color, dot: true }));
    frame.readout.replaceChildren(...items);
  }

  overlay.addEventListener("pointermove", (event) => {
    if (!delaunay) return;
    const [px, py] = pointerXY(event, frame.chart);
    const i = delaunay.find(px, py);
    cursor.set(i + lag);
  });

  root.update = (next: number[], nextLag: number) => {
    values = next;
    lag = nextLag;
    render();
  };
  render();
  cursor.subscribe(show, { owner: root, invalidation });
  return root;
}
