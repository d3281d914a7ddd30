// Eigenvalues in the complex plane against the unit circle.
//
// Each set of points (e.g. the eigenvalues of the matrix the reader built, and those of a
// trained network's W) gets its own colour, filled or hollow; the legend gives each set's
// largest modulus. Extra circles (e.g. radius σ_max, the largest singular value) are drawn
// dashed and labelled. Hovering a point shows its value and modulus. `node.update(sets,
// circles)` redraws in place.
import * as d3 from "d3";
import { chartFrame, chartTooltip, span, svg } from "./chartParts.js";
import { formatNumber } from "./format.js";

/** Axis ticks: the shortest exact form ("0.5", "−0.25", "1e−6"), with a typographic minus. */
const tickText = (v: number) => d3.format("~g")(v).replace(/-/g, "\u2212");
import { labelToText, setLabel, xAxisTitle, yAxisTitle } from "./texLabel.js";

export interface ComplexPoint {
  re: number;
  im: number;
}

export interface PointSet {
  /** Legend text; may contain $TeX$. */
  name: string;
  points: ComplexPoint[];
  color?: string;
  hollow?: boolean;
  /** Join the points in order with a line (a trajectory). */
  line?: boolean;
  /** Dot radius (default 4, hollow 5). */
  radius?: number;
}

export interface PlaneCircle {
  radius: number;
  /** Label drawn on the circle; may not contain TeX. */
  label: string;
  color?: string;
}

export interface ComplexPlaneOptions {
  /** Side of the square plot in pixels (default 320). */
  size?: number;
  circles?: PlaneCircle[];
  /** The plot shows [−extent, extent] on both axes; by default enough for every point and circle. */
  extent?: number;
  title?: string;
  /** Axis titles (default: the real and imaginary parts of λ) and the unit circle's label. */
  xLabel?: string;
  yLabel?: string;
  unitCircleLabel?: string;
  /** What the legend reports for each set (default: the largest modulus). */
  summary?: (set: PointSet) => string;
  /** Tooltip text for a point (default: λ and |λ|). */
  describe?: (p: ComplexPoint) => string[];
}

export interface ComplexPlaneElement extends HTMLDivElement {
  update(sets: PointSet[], circles?: PlaneCircle[]): void;
}

const PALETTE = ["#c2410c", "#2563eb", "#15803d", "#9333ea"];

export function ComplexPlane(initial: PointSet[], options: ComplexPlaneOptions = {}): ComplexPlaneElement {
  const { title } = options;
  const size = Math.max(160, options.size ?? 320); // a square plot of at least 98 px, even in a container with no width yet
  let sets = initial;
  let circles = options.circles ?? [];
  const margin = { top: 8, right: 10, bottom: 42, left: 52 };
  const plot = size - margin.left - margin.right;
  const height = plot + margin.top + margin.bottom;

  // render() describes the points in the body's aria-label.
  const { root: frame, readout: legend, body, chart } = chartFrame("complex-plane", { width: size, height, title, ariaLabel: "" });
  const root = frame as ComplexPlaneElement;
  const tooltip = chartTooltip();
  body.append(tooltip);

  function render(): void {
    const radius = Math.max(
      1.15,
      ...sets.flatMap((s) => s.points.map((p) => 1.08 * Math.hypot(p.re, p.im))),
      ...circles.map((c) => 1.08 * c.radius),
    );
    const extent = options.extent ?? niceExtent(radius);
    const x = d3.scaleLinear([-extent, extent], [margin.left, margin.left + plot]);
    const y = d3.scaleLinear([-extent, extent], [margin.top + plot, margin.top]);
    const scale = plot / (2 * extent);
    chart.replaceChildren();
    const ticks = x.ticks(5);
    const grid = svg("g", { class: "grid" });
    for (const t of ticks) {
      grid.append(svg("line", { x1: x(t), x2: x(t), y1: margin.top, y2: margin.top + plot }));
      grid.append(svg("line", { x1: margin.left, x2: margin.left + plot, y1: y(t), y2: y(t) }));
    }
    chart.append(grid);
    const xAxis = svg("g", { class: "axis", transform: `translate(0,${margin.top + plot})` });
    d3.select(xAxis).call(d3.axisBottom(x).tickValues(ticks).tickFormat((v) => tickText(Number(v))).tickSizeOuter(0));
    const yAxis = svg("g", { class: "axis", transform: `translate(${margin.left},0)` });
    d3.select(yAxis).call(d3.axisLeft(y).tickValues(ticks).tickFormat((v) => tickText(Number(v))).tickSizeOuter(0));
    chart.append(xAxis, yAxis);
    chart.append(
      xAxisTitle(options.xLabel ?? "real part $\\operatorname{Re}\\lambda$", { left: margin.left, right: margin.left + plot, y: margin.top + plot + 34 }),
      yAxisTitle(options.yLabel ?? "imaginary part $\\operatorname{Im}\\lambda$", { x: 12, top: margin.top, bottom: margin.top + plot }),
    );
    // The axes through the origin, and the unit circle |λ| = 1.
    chart.append(svg("line", { x1: x(0), x2: x(0), y1: margin.top, y2: margin.top + plot, stroke: "currentColor", opacity: 0.25 }));
    chart.append(svg("line", { x1: margin.left, x2: margin.left + plot, y1: y(0), y2: y(0), stroke: "currentColor", opacity: 0.25 }));
    const allCircles: PlaneCircle[] = [{ radius: 1, label: options.unitCircleLabel ?? "|λ| = 1", color: "currentColor" }, ...circles];
    allCircles.forEach((c, i) => {
      chart.append(svg("circle", { cx: x(0), cy: y(0), r: c.radius * scale, fill: "none", stroke: c.color ?? "#6b7280", "stroke-width": i === 0 ? 1.5 : 1.2, "stroke-dasharray": i === 0 ? "" : "5 4", opacity: i === 0 ? 0.7 : 0.9, class: i === 0 ? "unit-circle" : "extra-circle" }));
      // Labels sit where the circle crosses a ray, staggered so that they do not collide.
      const angle = (Math.PI / 180) * (i === 0 ? 52 : 52 - 22 * i);
      const label = svg("text", { x: x(c.radius * Math.cos(angle)) + 4, y: y(c.radius * Math.sin(angle)) - 4, class: "chart-shade-label" });
      label.textContent = c.label;
      chart.append(label);
    });
    sets.forEach((set, i) => {
      const color = set.color ?? PALETTE[i % PALETTE.length]!;
      const group = svg("g", { "data-set": String(i) });
      const clampX = (v: number) => x(Math.max(-extent, Math.min(extent, v)));
      const clampY = (v: number) => y(Math.max(-extent, Math.min(extent, v)));
      if (set.line && set.points.length > 1) {
        group.append(svg("path", { d: set.points.map((p, j) => `${j ? "L" : "M"}${clampX(p.re)},${clampY(p.im)}`).join(""), fill: "none", stroke: color, "stroke-width": 1.2, opacity: 0.8 }));
      }
      for (const p of set.points) {
        const dot = svg("circle", {
          cx: x(Math.max(-extent, Math.min(extent, p.re))),
          cy: y(Math.max(-extent, Math.min(extent, p.im))),
          r: set.radius ?? (set.hollow ? 5 : 4),
          fill: set.hollow ? "none" : color,
          stroke: color,
          "stroke-width": set.hollow ? 1.8 : 1,
          class: "eigenvalue",
        });
        dot.addEventListener("pointerenter", (event) => showTip(event, set.name, p));
        dot.addEventListener("pointerleave", () => (tooltip.hidden = true));
        group.append(dot);
      }
      chart.append(group);
    });
    body.setAttribute("aria-label", `${labelToText(title ?? "complex plane")}: ${sets.map((s) => `${labelToText(s.name)}, largest modulus ${formatNumber(largest(s))}`).join("; ")}`);
    legend.replaceChildren(
      ...sets.map((set, i) => {
        const item = span("chart-readout-item");
        const swatch = span("chart-swatch");
        const color = set.color ?? PALETTE[i % PALETTE.length]!;
        swatch.style.background = set.hollow ? "transparent" : color;
        swatch.style.border = `2px solid ${color}`;
        swatch.style.borderRadius = "50%";
        const name = document.createElement("span");
        setLabel(name, set.name);
        const value = span("chart-readout-value");
        value.textContent = !set.points.length ? "–" : options.summary ? options.summary(set) : `max |λ| = ${formatNumber(largest(set))}`;
        item.append(swatch, name, value);
        return item;
      }),
    );
  }

  function showTip(event: PointerEvent, name: string, p: ComplexPoint): void {
    const sign = p.im < 0 ? "−" : "+";
    const text = options.describe ? options.describe(p) : [`λ = ${formatNumber(p.re)} ${sign} ${formatNumber(Math.abs(p.im))}i`, `|λ| = ${formatNumber(Math.hypot(p.re, p.im))}`];
    tooltip.replaceChildren(line("chart-tooltip-time", labelToText(name)), ...text.map((t, i) => line(i === 0 ? "chart-tooltip-value" : "", t)));
    tooltip.hidden = false;
    const box = body.getBoundingClientRect();
    tooltip.style.left = `${Math.min(event.clientX - box.left + 12, box.width - 150)}px`;
    tooltip.style.top = `${Math.max(0, event.clientY - box.top - 56)}px`;
  }

  root.update = (next, nextCircles) => {
    sets = next;
    if (nextCircles) circles = nextCircles;
    render();
  };
  render();
  return root;
}

function largest(set: PointSet): number {
  return set.points.reduce((m, p) => Math.max(m, Math.hypot(p.re, p.im)), 0);
}

function niceExtent(r: number): number {
  for (const e of [1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (r <= e) return e;
  return Math.ceil(r);
}

function line(className: string, text: string): HTMLDivElement {
  const d = document.createElement("div");
  if (className) d.className = className;
  d.textContent = text;
  return d;
}
