// The stationarity region of an AR(2) in the (φ₁, φ₂) plane: the triangle φ₁ + φ₂ < 1,
// φ₂ − φ₁ < 1, φ₂ > −1, split by the parabola φ₁² + 4φ₂ = 0 into real roots (above) and
// complex roots, i.e. pseudo-cycles (below). The current point is drawn on it; clicking or
// dragging on the plane calls onPick(φ₁, φ₂) (rounded to `step`), so the page can move its
// sliders. `node.update(φ₁, φ₂, note?)` moves the point.
import * as d3 from "d3";
import { formatNumber } from "./format.js";
import { svgTexLabel } from "./texLabel.js";
import { chartFrame, pointerXY, setAttrs, svg } from "./chartParts.js";
import { readoutItem, readoutTime } from "./chartReadout.js";

export interface TriangleRegionOptions {
  width?: number;
  title?: string;
  /** Called with the point the reader clicks or drags to. */
  onPick?: (phi1: number, phi2: number) => void;
  /** Rounding of picked values (default 0.01). */
  step?: number;
  /** Extra text for the readout, e.g. that the triangle is exact only for p = 2. */
  note?: string;
}

export interface TriangleRegionElement extends HTMLDivElement {
  update(phi1: number, phi2: number, note?: string): void;
  readonly value: [number, number];
}

export function TriangleRegion(phi1: number, phi2: number, { width = 360, title, onPick, step = 0.01, note }: TriangleRegionOptions = {}): TriangleRegionElement {
  const height = Math.round(width * 0.72);
  const frame = chartFrame("triangle-region", { width, height, title, ariaLabel: "AR(2) stationarity triangle in the (φ1, φ2) plane; click to choose a point" });
  const root = frame.root as unknown as TriangleRegionElement;
  frame.root.append(frame.readout);
  const margin = { top: 10, right: 12, bottom: 38, left: 56 };
  const x = d3.scaleLinear([-2.5, 2.5], [margin.left, width - margin.right]);
  const y = d3.scaleLinear([-1.3, 1.3], [height - margin.bottom, margin.top]);

  const grid = svg("g", { class: "grid" });
  for (const t of x.ticks(10)) grid.append(svg("line", { x1: x(t), x2: x(t), y1: y(-1.3), y2: y(1.3) }));
  for (const t of y.ticks(6)) grid.append(svg("line", { x1: x(-2.5), x2: x(2.5), y1: y(t), y2: y(t) }));
  const xAxis = svg("g", { class: "axis", transform: `translate(0,${height - margin.bottom})` });
  const yAxis = svg("g", { class: "axis", transform: `translate(${margin.left},0)` });
  d3.select(xAxis).call(d3.axisBottom(x).ticks(10).tickSizeOuter(0));
  d3.select(yAxis).call(d3.axisLeft(y).ticks(6).tickSizeOuter(0));
  const triangle = svg("path", { class: "stationary-triangle", d: `M${x(-2)},${y(-1)} L${x(2)},${y(-1)} L${x(0)},${y(1)} Z`, fill: "#16a34a", "fill-opacity": 0.1, stroke: "#16a34a", "stroke-width": 1.5 });
  // Complex roots below the parabola φ₂ = −φ₁²/4 (inside the triangle).
  const parabola = d3.range(-2, 2.0001, 0.05).map((a) => [x(a), y(-(a * a) / 4)] as [number, number]);
  const complexArea = svg("path", { d: `M${parabola.map((p) => p.join(",")).join(" L")} L${x(2)},${y(-1)} L${x(-2)},${y(-1)} Z`, fill: "#9333ea", "fill-opacity": 0.1 });
  const parabolaLine = svg("path", { d: `M${parabola.map((p) => p.join(",")).join(" L")}`, fill: "none", stroke: "#9333ea", "stroke-dasharray": "5 3", "stroke-width": 1.3 });
  const labels = svg("g", { "font-size": 11, fill: "currentColor" });
  const text = (s: string, px: number, py: number, anchor = "middle") => {
    const t = svg("text", { x: px, y: py, "text-anchor": anchor });
    t.textContent = s;
    return t;
  };
  labels.append(
    text("real roots", x(0), y(0.38)),
    text("complex roots:", x(0), y(-0.55)),
    text("pseudo-cycles", x(0), y(-0.55) + 13),
    text("not stationary", x(1.75), y(0.85)),
    text("not stationary", x(-1.75), y(0.85)),
  );
  const point = svg("circle", { class: "current-point", r: 6, fill: "#111827", stroke: "white", "stroke-width": 2 });
  const overlay = svg("rect", { class: "chart-overlay", x: margin.left, y: margin.top, width: width - margin.left - margin.right, height: height - margin.top - margin.bottom });
  overlay.style.cursor = onPick ? "crosshair" : "default";
  frame.chart.append(
    grid, complexArea, triangle, parabolaLine, xAxis, yAxis, labels,
    svgTexLabel("$\\phi_1$", { x: (margin.left + width - margin.right) / 2, y: height - 8, width: 120, height: 18, className: "axis-title" }),
    svgTexLabel("$\\phi_2$", { x: 10, y: (margin.top + height - margin.bottom) / 2, width: 120, height: 18, rotate: -90, className: "axis-title" }),
    point, overlay,
  );

  let current: [number, number] = [phi1, phi2];
  function show(): void {
    const [a, b] = current;
    const cx = Math.max(-2.5, Math.min(2.5, a));
    const cy = Math.max(-1.3, Math.min(1.3, b));
    setAttrs(point, { cx: x(cx), cy: y(cy) });
    const stationary = a + b < 1 && b - a < 1 && Math.abs(b) < 1;
    const complex = a * a + 4 * b < 0;
    const period = complex ? (2 * Math.PI) / Math.acos(a / (2 * Math.sqrt(-b))) : null;
    point.setAttribute("fill", stationary ? "#111827" : "#dc2626");
    const items: HTMLElement[] = [
      readoutTime(`$(\\phi_1, \\phi_2) = (${formatNumber(a, 3)}, ${formatNumber(b, 3)})$:`),
      readoutItem(stationary ? "inside the triangle: stationary" : "outside the triangle: not stationary", "", { color: stationary ? "#16a34a" : "#dc2626", dot: true }),
      readoutItem(complex ? "complex roots, pseudo-period" : "real roots", complex && stationary && period ? formatNumber(period, 3) : "", { color: complex ? "#9333ea" : "#6b7280", dot: true }),
    ];
    if (note) items.push(readoutTime(note));
    frame.readout.replaceChildren(...items);
    frame.readout.dataset.stationary = String(stationary);
  }

  let dragging = false;
  const pick = (event: PointerEvent) => {
    if (!onPick) return;
    const [px, py] = pointerXY(event, frame.chart);
    const round = (v: number) => Math.round(v / step) * step;
    const a = Math.max(-2.5, Math.min(2.5, round(x.invert(px))));
    const b = Math.max(-1.3, Math.min(1.3, round(y.invert(py))));
    onPick(Number(a.toFixed(6)), Number(b.toFixed(6)));
  };
  overlay.addEventListener("pointerdown", (event) => {
    dragging = true;
    overlay.setPointerCapture(event.pointerId);
    pick(event);
  });
  overlay.addEventListener("pointermove", (event) => {
    if (dragging) pick(event);
  });
  overlay.addEventListener("pointerup", () => (dragging = false));
  overlay.addEventListener("pointercancel", () => (dragging = false));

  root.update = (a: number, b: number, nextNote?: string) => {
    current = [a, b];
    if (nextNote !== undefined) note = nextNote;
    show();
  };
  Object.defineProperty(root, "value", { get: () => current });
  show();
  return root;
}
