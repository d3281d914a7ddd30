// A 2-D track in the plane, tied to the page's time cursor: the true path, the noisy fixes,
// the filtered (and optionally smoothed) path, and at the cursor's step t the predicted
// position with its covariance ellipse, the fix y(t), the innovation as an arrow from the
// prediction to the fix, and the updated position with its (smaller) ellipse. Clicking or
// dragging over the plot moves the cursor to the nearest fix. `node.update(data)` redraws.
import * as d3 from "d3";
import { chartFrame, setAttrs, svg } from "./chartParts.js";
import { readoutItem, readoutTime } from "./chartReadout.js";
import { formatNumber } from "./format.js";
import { xAxisTitle, yAxisTitle } from "./texLabel.js";
import type { TimeCursor } from "./timeCursor.js";

/** What the plot draws; arrays over t = 1 … n (index t − 1); ellipses are point lists. */
export interface TrackData {
  truth: number[][];
  observations: number[][];
  filtered: number[][];
  smoothed?: number[][];
  /** At step t (1 … n): predicted and updated means and their ellipses. */
  predicted: number[][];
  predictedEllipse: [number, number][][];
  updatedEllipse: [number, number][][];
  /** Prior mean and ellipse, shown at t = 0. */
  start: number[];
  startEllipse: [number, number][];
}

export interface TrackPlotOptions {
  cursor: TimeCursor;
  /** Zoom in on the current step (prediction, fix, update and their ellipses) instead of showing the whole track. */
  zoom?: boolean;
  width?: number;
  height?: number;
  title?: string;
  invalidation?: Promise<unknown>;
}

export interface TrackPlotElement extends HTMLDivElement {
  update(data: TrackData): void;
}

const COLORS = { truth: "#7f7f7f", obs: "#b07aa1", filtered: "#4e79a7", smoothed: "#59a14f", predicted: "#f28e2b" };

export function TrackPlot(data: TrackData, { cursor, zoom = false, width = 640, height = 440, title, invalidation }: TrackPlotOptions): TrackPlotElement {
  const frame = chartFrame("track-plot", { width, height, title, ariaLabel: "track in the plane: true path, GPS fixes, filtered and smoothed positions, with the covariance ellipses at the current step" });
  const root = frame.root as unknown as TrackPlotElement;
  const { chart, readout } = frame;
  const margin = { top: 10, right: 14, bottom: 44, left: 52 };
  const grid = svg("g", { class: "grid" });
  const xAxis = svg("g", { class: "axis x-axis" });
  const yAxis = svg("g", { class: "axis y-axis" });
  const paths = svg("g", { fill: "none" });
  const marks = svg("g", {});
  const titles = svg("g", {});
  const overlay = svg("rect", { class: "chart-overlay" });
  const clip = svg("clipPath", { id: `track-clip-${Math.random().toString(36).slice(2)}` });
  const clipRect = svg("rect", {});
  clip.append(clipRect);
  const clipDefs = svg("defs", {});
  clipDefs.append(clip);
  paths.setAttribute("clip-path", `url(#${clip.id})`);
  marks.setAttribute("clip-path", `url(#${clip.id})`);
  chart.append(clipDefs, grid, xAxis, yAxis, paths, titles, overlay, marks);
  marks.style.pointerEvents = "none";
  let x = d3.scaleLinear();
  let y = d3.scaleLinear();

  const legend = document.createElement("div");
  legend.className = "chart-readout";
  legend.append(
    readoutItem("true path", "", { color: COLORS.truth }),
    readoutItem("GPS fixes $y^{(t)}$", "", { color: COLORS.obs, dot: true }),
    readoutItem("filtered $\\hat h_t^{(t)}$", "", { color: COLORS.filtered }),
    readoutItem("smoothed $\\hat h_n^{(t)}$", "", { color: COLORS.smoothed, dash: true }),
    readoutItem("predicted $\\hat h_{t-1}^{(t)}$ and 95% ellipse", "", { color: COLORS.predicted, dash: true }),
    readoutItem("updated 95% ellipse", "", { color: COLORS.filtered }),
  );
  frame.header.append(legend);

  /** The box to show: the whole track, or (zoomed) the current step's points and ellipses. */
  function bounds(t: number): [number, number, number, number] {
    let pts: number[][];
    if (zoom && t >= 1 && t <= data.observations.length) {
      const i = t - 1;
      pts = [data.predicted[i]!, data.observations[i]!, data.filtered[i]!, data.truth[i]!, ...data.predictedEllipse[i]!, ...data.updatedEllipse[i]!];
    } else if (zoom) {
      pts = [data.start, ...data.startEllipse];
    } else {
      pts = [...data.truth, ...data.observations, ...data.filtered, data.start];
    }
    const [x0, x1] = d3.extent(pts, (p) => p[0]!) as [number, number];
    const [y0, y1] = d3.extent(pts, (p) => p[1]!) as [number, number];
    return [x0, x1, y0, y1];
  }

  function render(t = cursor.value): void {
    let [x0, x1, y0, y1] = bounds(t);
    // Equal units on both axes, so that ellipses keep their shape.
    const plotW = Math.max(20, width - margin.left - margin.right);
    const plotH = height - margin.top - margin.bottom;
    const pad = (zoom ? 0.12 : 0.06) * Math.max(x1 - x0, y1 - y0, 1e-9);
    x0 -= pad; x1 += pad; y0 -= pad; y1 += pad;
    const unit = Math.max((x1 - x0) / plotW, (y1 - y0) / plotH);
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    x = d3.scaleLinear([cx - (unit * plotW) / 2, cx + (unit * plotW) / 2], [margin.left, margin.left + plotW]);
    y = d3.scaleLinear([cy - (unit * plotH) / 2, cy + (unit * plotH) / 2], [margin.top + plotH, margin.top]);
    setAttrs(clipRect, { x: margin.left, y: margin.top, width: plotW, height: plotH });
    d3.select(xAxis).attr("transform", `translate(0,${margin.top + plotH})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(plotW / 70))).tickSizeOuter(0));
    d3.select(yAxis).attr("transform", `translate(${margin.left},0)`).call(d3.axisLeft(y).ticks(Math.max(2, Math.floor(plotH / 45))).tickSizeOuter(0));
    d3.select(grid)
      .selectAll("line")
      .data(y.ticks(Math.max(2, Math.floor(plotH / 45))))
      .join("line")
      .attr("x1", margin.left)
      .attr("x2", margin.left + plotW)
      .attr("y1", (v) => y(v))
      .attr("y2", (v) => y(v));
    titles.replaceChildren(
      xAxisTitle("position $x$ (first state, east)", { left: margin.left, right: margin.left + plotW, y: margin.top + plotH + 34 }),
      yAxisTitle("position $y$ (second state, north)", { x: 10, top: margin.top, bottom: margin.top + plotH }),
    );
    setAttrs(overlay, { x: margin.left, y: margin.top, width: plotW, height: plotH });
    const line = d3.line<number[]>().x((p) => x(p[0]!)).y((p) => y(p[1]!));
    paths.replaceChildren();
    const addPath = (points: number[][], color: string, extra: Record<string, string | number> = {}) => paths.append(svg("path", { d: line(points) ?? "", stroke: color, "stroke-width": 1.5, ...extra }));
    addPath([data.start, ...data.truth], COLORS.truth, { "stroke-width": 2.5, "stroke-opacity": 0.55 });
    addPath([data.start, ...data.filtered], COLORS.filtered);
    if (data.smoothed) addPath(data.smoothed, COLORS.smoothed, { "stroke-dasharray": "5 3" });
    const dots = svg("g", { fill: COLORS.obs, "fill-opacity": 0.6 });
    for (const p of data.observations) dots.append(svg("circle", { cx: x(p[0]!), cy: y(p[1]!), r: 2.3 }));
    paths.append(dots);
    drawMarks(t);
  }

  function show(t: number): void {
    if (zoom) render(t);
    else drawMarks(t);
  }

  function drawMarks(t: number): void {
    marks.replaceChildren();
    readout.replaceChildren();
    const n = data.observations.length;
    const poly = (points: [number, number][], color: string, dash: boolean, fill: string) =>
      marks.append(svg("path", { d: `M${points.map(([a, b]) => `${x(a)},${y(b)}`).join("L")}Z`, stroke: color, "stroke-width": 1.8, fill, "stroke-dasharray": dash ? "5 3" : "none" }));
    if (t <= 0 || t > n) {
      poly(data.startEllipse, COLORS.filtered, false, "rgba(78,121,167,0.12)");
      marks.append(svg("circle", { cx: x(data.start[0]!), cy: y(data.start[1]!), r: 4, fill: COLORS.filtered }));
      readout.append(readoutTime("t = 0 (prior):"), readoutItem("$\\hat h_0^{(0)}$ position", pair(data.start)));
      return;
    }
    const i = t - 1;
    const pred = data.predicted[i]!;
    const obs = data.observations[i]!;
    const upd = data.filtered[i]!;
    poly(data.predictedEllipse[i]!, COLORS.predicted, true, "rgba(242,142,43,0.10)");
    poly(data.updatedEllipse[i]!, COLORS.filtered, false, "rgba(78,121,167,0.18)");
    const defs = svg("defs", {});
    const arrowId = `track-arrow-${clip.id}`;
    const marker = svg("marker", { id: arrowId, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" });
    marker.append(svg("path", { d: "M0,0L10,5L0,10Z", fill: COLORS.obs }));
    defs.append(marker);
    marks.append(defs);
    marks.append(svg("line", { x1: x(pred[0]!), y1: y(pred[1]!), x2: x(obs[0]!), y2: y(obs[1]!), stroke: COLORS.obs, "stroke-width": 1.6, "marker-end": `url(#${arrowId})` }));
    marks.append(svg("circle", { cx: x(data.truth[i]![0]!), cy: y(data.truth[i]![1]!), r: 4.5, fill: "none", stroke: COLORS.truth, "stroke-width": 2 }));
    marks.append(svg("circle", { cx: x(pred[0]!), cy: y(pred[1]!), r: 4, fill: COLORS.predicted }));
    marks.append(svg("circle", { cx: x(obs[0]!), cy: y(obs[1]!), r: 4, fill: COLORS.obs }));
    marks.append(svg("circle", { cx: x(upd[0]!), cy: y(upd[1]!), r: 4, fill: COLORS.filtered }));
    readout.append(
      readoutTime(`t = ${t}:`),
      readoutItem("predicted", pair(pred), { color: COLORS.predicted, dot: true }),
      readoutItem("fix", pair(obs), { color: COLORS.obs, dot: true }),
      readoutItem("updated", pair(upd), { color: COLORS.filtered, dot: true }),
      readoutItem("true", pair(data.truth[i]!), { color: COLORS.truth, dot: true }),
    );
  }

  function pick(event: PointerEvent): void {
    const box = overlay.getBoundingClientRect();
    const scale = Number(chart.getAttribute("width")) / chart.getBoundingClientRect().width;
    const px = Number(overlay.getAttribute("x")) + (event.clientX - box.left) * scale;
    const py = Number(overlay.getAttribute("y")) + (event.clientY - box.top) * scale;
    let best = 0;
    let bestD = Infinity;
    data.observations.forEach((p, i) => {
      const d = (x(p[0]!) - px) ** 2 + (y(p[1]!) - py) ** 2;
      if (d < bestD) [best, bestD] = [i, d];
    });
    cursor.set(best + 1);
  }
  overlay.addEventListener("pointerdown", (event) => {
    overlay.setPointerCapture(event.pointerId);
    pick(event);
  });
  overlay.addEventListener("pointermove", (event) => {
    if (event.buttons) pick(event);
  });

  root.update = (next: TrackData) => {
    data = next;
    render();
  };
  render();
  cursor.subscribe(show, { owner: root, invalidation });
  return root;
}

function pair(p: number[]): string {
  return `(${formatNumber(p[0]!, 3)}, ${formatNumber(p[1]!, 3)})`;
}
