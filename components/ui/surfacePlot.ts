// A log-likelihood surface over two positive parameters on log axes, drawn as filled
// contours of the drop below the grid's best value, with an optimiser's path on it (numbered
// points joined by a line) and any number of marked points (an estimate, a reference, the
// point the sliders set). Hovering prints the log-likelihood under the pointer from the grid.
// `node.update({path, marks})` redraws the overlays without recomputing the contours.
import * as d3 from "d3";
import { chartFrame, pointerXY, svg } from "./chartParts.js";
import { readoutItem, readoutTime } from "./chartReadout.js";
import { formatNumber } from "./format.js";
import { xAxisTitle, yAxisTitle } from "./texLabel.js";

export interface SurfaceGrid {
  /** Grid values along x and y (positive, increasing). */
  xs: number[];
  ys: number[];
  /** z[i][j] at (xs[i], ys[j]). */
  z: number[][];
}

export interface SurfaceMark {
  name: string;
  x: number;
  y: number;
  color: string;
  shape?: "circle" | "cross" | "square";
}

export interface SurfacePath {
  name: string;
  color: string;
  points: { x: number; y: number }[];
}

export interface SurfaceOverlay {
  /** Optimiser routes: each a line through its points, the start drawn larger. */
  paths?: SurfacePath[];
  marks?: SurfaceMark[];
}

export interface SurfacePlotOptions extends SurfaceOverlay {
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  zLabel?: string;
  title?: string;
  /** Contour levels as drops below the maximum. */
  drops?: number[];
}

export interface SurfacePlotElement extends HTMLDivElement {
  update(overlay: SurfaceOverlay): void;
}

export function SurfacePlot(grid: SurfaceGrid, options: SurfacePlotOptions = {}): SurfacePlotElement {
  const { width = 560, height = 420, xLabel = "x", yLabel = "y", zLabel = "log-likelihood", title, drops = [0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512] } = options;
  let overlay: SurfaceOverlay = { paths: options.paths, marks: options.marks };
  const frame = chartFrame("surface-plot", { width, height, title, ariaLabel: `${zLabel} surface with contours and the optimiser's path` });
  const root = frame.root as unknown as SurfacePlotElement;
  const { chart, readout } = frame;
  const legend = document.createElement("div");
  legend.className = "chart-readout surface-legend";
  frame.header.append(legend);
  const margin = { top: 10, right: 96, bottom: 44, left: 60 };
  const plotW = Math.max(20, width - margin.left - margin.right);
  const plotH = height - margin.top - margin.bottom;
  const nx = grid.xs.length;
  const ny = grid.ys.length;
  const lx = grid.xs.map(Math.log10);
  const ly = grid.ys.map(Math.log10);
  const x = d3.scaleLog([grid.xs[0]!, grid.xs[nx - 1]!], [margin.left, margin.left + plotW]);
  const y = d3.scaleLog([grid.ys[0]!, grid.ys[ny - 1]!], [margin.top + plotH, margin.top]);
  const best = d3.max(grid.z.flat().filter(Number.isFinite)) ?? 0;
  // d3.contours wants row-major values with x fastest: value[j * nx + i] = z[i][j] − best ≤ 0.
  const values = new Array<number>(nx * ny);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) values[j * nx + i] = Number.isFinite(grid.z[i]![j]!) ? grid.z[i]![j]! - best : -1e12;
  const levels = drops.slice().sort((a, b) => b - a);
  // Regions {ℓ ≥ best − drop}, from the largest drop (outermost) to the smallest (innermost).
  const contours = d3.contours().size([nx, ny]).thresholds(levels.map((d) => -d))(values);
  // Grid coordinates (0 … n−1 at cell centres) to pixels, through the log axes.
  const gx = (g: number) => x(10 ** interpolate(lx, g - 0.5));
  const gy = (g: number) => y(10 ** interpolate(ly, g - 0.5));
  const projection = d3.geoTransform({
    point(px: number, py: number) {
      this.stream.point(gx(px), gy(py));
    },
  });
  const color = d3.scaleSequentialLog(d3.interpolateBlues).domain([levels[0]! * 2, levels[levels.length - 1]! / 2]);
  const clip = svg("clipPath", { id: `surface-clip-${Math.random().toString(36).slice(2)}` });
  clip.append(svg("rect", { x: margin.left, y: margin.top, width: plotW, height: plotH }));
  const defs = svg("defs", {});
  defs.append(clip);
  const fills = svg("g", { "clip-path": `url(#${clip.id})` });
  const geo = d3.geoPath(projection);
  // Contours are of "drop ≥ level"; paint from the outermost (largest drop) inwards with darker fills.
  for (const c of contours) {
    fills.append(svg("path", { d: geo(c) ?? "", fill: color(-c.value), stroke: "#ffffff", "stroke-width": 0.6 }));
  }
  const xAxis = svg("g", { class: "axis x-axis", transform: `translate(0,${margin.top + plotH})` });
  const yAxis = svg("g", { class: "axis y-axis", transform: `translate(${margin.left},0)` });
  d3.select(xAxis).call(d3.axisBottom(x).ticks(6, "~s").tickSizeOuter(0));
  d3.select(yAxis).call(d3.axisLeft(y).ticks(6, "~s").tickSizeOuter(0));
  const titles = svg("g", {});
  titles.append(
    xAxisTitle(xLabel, { left: margin.left, right: margin.left + plotW, y: margin.top + plotH + 34 }),
    yAxisTitle(yLabel, { x: 10, top: margin.top, bottom: margin.top + plotH }),
  );
  // Colour key: the drop below the best grid value.
  const key = svg("g", { transform: `translate(${margin.left + plotW + 14},${margin.top})` });
  const keyTitle = svg("text", { x: 0, y: 8, "font-size": 10.5, fill: "currentColor" });
  keyTitle.textContent = "below max";
  key.append(keyTitle);
  const asc = levels.slice().reverse();
  asc.forEach((level, k) => {
    key.append(svg("rect", { x: 0, y: 16 + k * 14, width: 12, height: 12, fill: color(level) }));
    const label = svg("text", { x: 16, y: 26 + k * 14, "font-size": 10.5, fill: "currentColor" });
    label.textContent = `≥ ${formatNumber(level, 2)}`;
    key.append(label);
  });
  const lines = svg("g", { fill: "none", "clip-path": `url(#${clip.id})` });
  const points = svg("g", {});
  const hover = svg("rect", { class: "chart-overlay", x: margin.left, y: margin.top, width: plotW, height: plotH });
  chart.append(defs, fills, xAxis, yAxis, titles, key, hover, lines, points);
  lines.style.pointerEvents = "none";
  points.style.pointerEvents = "none";

  function drawOverlay(): void {
    lines.replaceChildren();
    points.replaceChildren();
    legend.replaceChildren();
    for (const route of overlay.paths ?? []) {
      const path = route.points;
      if (!path.length) continue;
      const line = d3.line<{ x: number; y: number }>().x((p) => x(p.x)).y((p) => y(p.y));
      lines.append(svg("path", { d: line(path) ?? "", stroke: route.color, "stroke-width": 1.8 }));
      path.forEach((p, k) => points.append(svg("circle", { cx: x(p.x), cy: y(p.y), r: k === 0 ? 4.5 : 2.6, fill: route.color, stroke: "#fff", "stroke-width": 0.8 })));
      legend.append(readoutItem(route.name, `${path.length - 1} steps`, { color: route.color }));
    }
    for (const m of overlay.marks ?? []) {
      const cx = x(m.x);
      const cy = y(m.y);
      if (m.shape === "cross") {
        points.append(svg("path", { d: `M${cx - 6},${cy - 6}L${cx + 6},${cy + 6}M${cx - 6},${cy + 6}L${cx + 6},${cy - 6}`, stroke: m.color, "stroke-width": 2.4 }));
      } else if (m.shape === "square") {
        points.append(svg("rect", { x: cx - 5, y: cy - 5, width: 10, height: 10, fill: "none", stroke: m.color, "stroke-width": 2 }));
      } else {
        points.append(svg("circle", { cx, cy, r: 6, fill: "none", stroke: m.color, "stroke-width": 2 }));
      }
      legend.append(readoutItem(m.name, `(${formatNumber(m.x, 5)}, ${formatNumber(m.y, 5)})`, { color: m.color, dot: true }));
    }
  }

  hover.addEventListener("pointermove", (event) => {
    const [px, py] = pointerXY(event, chart);
    const vx = x.invert(px);
    const vy = y.invert(py);
    const i = d3.bisectCenter(grid.xs, vx);
    const j = d3.bisectCenter(grid.ys, vy);
    readout.replaceChildren(readoutTime("under the pointer:"), readoutItem(xLabel.split(",")[0]!, formatNumber(vx, 4)), readoutItem(yLabel.split(",")[0]!, formatNumber(vy, 4)), readoutItem(zLabel, formatNumber(grid.z[i]![j]!, 5)));
  });
  hover.addEventListener("pointerleave", () => readout.replaceChildren(readoutTime("hover for the value; best grid value"), readoutItem(zLabel, formatNumber(best, 5))));
  readout.append(readoutTime("hover for the value; best grid value"), readoutItem(zLabel, formatNumber(best, 5)));

  root.update = (next: SurfaceOverlay) => {
    overlay = { ...overlay, ...next };
    drawOverlay();
  };
  drawOverlay();
  return root;
}

/** Linear interpolation in a table: value at fractional index g (clamped). */
function interpolate(table: number[], g: number): number {
  const n = table.length;
  if (g <= 0) return table[0]! + g * (table[1]! - table[0]!);
  if (g >= n - 1) return table[n - 1]! + (g - n + 1) * (table[n - 1]! - table[n - 2]!);
  const k = Math.floor(g);
  return table[k]! + (g - k) * (table[k + 1]! - table[k]!);
}
