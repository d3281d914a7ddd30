// The roots of an AR characteristic polynomial in the complex plane, with the unit circle.
//
// A root outside the circle is drawn filled green, one on or inside it open red: the AR is
// stationary exactly when every root lies outside. Roots beyond the frame are drawn as arrows
// at its edge, pointing their way. The readout lists every root with its modulus (and, for a
// complex pair, the period 2π/|arg z| of the pseudo-cycle it makes). `node.update(roots)`.
import * as d3 from "d3";
import type { Complex } from "../core/polyRoots.js";
import { formatNumber } from "./format.js";
import { labelToText, svgTexLabel } from "./texLabel.js";
import { chartFrame, setAttrs, svg } from "./chartParts.js";
import { readoutItem, readoutTime } from "./chartReadout.js";

export interface RootsPlotOptions {
  width?: number;
  title?: string;
  /** The frame shows |Re|, |Im| ≤ limit (default: 1.6, or a bit beyond the largest root up to 3). */
  limit?: number;
}

export interface RootsPlotElement extends HTMLDivElement {
  update(roots: Complex[]): void;
}

const OUTSIDE = "#16a34a";
const INSIDE = "#dc2626";

export function RootsPlot(roots: Complex[], { width = 320, title, limit }: RootsPlotOptions = {}): RootsPlotElement {
  const height = width;
  const frame = chartFrame("roots-plot", { width, height, title, ariaLabel: labelToText(title ?? "roots of the characteristic polynomial in the complex plane") });
  const root = frame.root as unknown as RootsPlotElement;
  frame.readout.style.flexDirection = "column";
  frame.readout.style.alignItems = "flex-start";
  // The readout goes under the plot: it can hold several lines.
  frame.root.append(frame.readout);
  const layer = svg("g", {});
  frame.chart.append(layer);
  const margin = { top: 10, right: 12, bottom: 36, left: 44 };

  function render(): void {
    const biggest = Math.max(0, ...roots.map((z) => Math.hypot(z.re, z.im)).filter(Number.isFinite));
    const L = limit ?? Math.min(3, Math.max(1.6, Math.ceil(biggest * 1.15 * 5) / 5));
    const size = Math.min(width - margin.left - margin.right, height - margin.top - margin.bottom);
    const x = d3.scaleLinear([-L, L], [margin.left, margin.left + size]);
    const y = d3.scaleLinear([-L, L], [margin.top + size, margin.top]);
    layer.replaceChildren();
    const ticks = x.ticks(5);
    const grid = svg("g", { class: "grid" });
    for (const t of ticks) {
      grid.append(svg("line", { x1: x(t), x2: x(t), y1: y(-L), y2: y(L) }), svg("line", { x1: x(-L), x2: x(L), y1: y(t), y2: y(t) }));
    }
    const xAxis = svg("g", { class: "axis", transform: `translate(0,${margin.top + size})` });
    const yAxis = svg("g", { class: "axis", transform: `translate(${margin.left},0)` });
    d3.select(xAxis).call(d3.axisBottom(x).ticks(5).tickSizeOuter(0));
    d3.select(yAxis).call(d3.axisLeft(y).ticks(5).tickSizeOuter(0));
    const axes = svg("g", { stroke: "currentColor", "stroke-opacity": 0.45 });
    axes.append(svg("line", { x1: x(-L), x2: x(L), y1: y(0), y2: y(0) }), svg("line", { x1: x(0), x2: x(0), y1: y(-L), y2: y(L) }));
    const circle = svg("circle", { class: "unit-circle", cx: x(0), cy: y(0), r: x(1) - x(0), fill: "#16a34a", "fill-opacity": 0.0, stroke: "currentColor", "stroke-width": 1.5, "stroke-dasharray": "5 3" });
    const circleLabel = svg("text", { x: x(-Math.SQRT1_2) - 4, y: y(-Math.SQRT1_2) + 12, "font-size": 11, fill: "currentColor", "text-anchor": "end" });
    circleLabel.textContent = "|z| = 1";
    layer.append(grid, xAxis, yAxis, axes, circle, circleLabel);
    layer.append(
      svgTexLabel("real part $\\mathrm{Re}\\,z$", { x: margin.left + size / 2, y: margin.top + size + 28, width: size, height: 18, className: "axis-title" }),
      svgTexLabel("imaginary part $\\mathrm{Im}\\,z$", { x: 10, y: margin.top + size / 2, width: size, height: 18, rotate: -90, className: "axis-title" }),
    );
    const points = svg("g", { class: "roots" });
    for (const z of roots) {
      const m = Math.hypot(z.re, z.im);
      const color = m > 1 ? OUTSIDE : INSIDE;
      if (Math.abs(z.re) <= L && Math.abs(z.im) <= L) {
        points.append(svg("circle", { class: "root", cx: x(z.re), cy: y(z.im), r: 5.5, fill: m > 1 ? color : "white", stroke: color, "stroke-width": 2, "data-modulus": m }));
      } else {
        // Off the frame: an arrow on the edge in the root's direction.
        const s = L / Math.max(Math.abs(z.re), Math.abs(z.im));
        const ex = z.re * s * 0.96;
        const ey = z.im * s * 0.96;
        const angle = (Math.atan2(-z.im, z.re) * 180) / Math.PI;
        points.append(svg("path", { class: "root root-offscale", d: "M6,0 L-5,-5 L-5,5 Z", transform: `translate(${x(ex)},${y(ey)}) rotate(${angle})`, fill: color, "data-modulus": m }));
      }
    }
    layer.append(points);
    showReadout(L);
  }

  function showReadout(L: number): void {
    const lines: HTMLElement[] = [];
    if (roots.length === 0) {
      lines.push(readoutTime("no roots: the polynomial is constant (all φ are 0)"));
    } else {
      const stationary = roots.every((z) => Math.hypot(z.re, z.im) > 1);
      lines.push(readoutTime(stationary ? "every root outside the unit circle: stationary" : "a root on or inside the unit circle: not stationary"));
      const seen = new Set<number>();
      roots.forEach((z, i) => {
        if (seen.has(i)) return;
        const m = Math.hypot(z.re, z.im);
        let text = formatNumber(z.re);
        let name = `$z_{${i + 1}}$`;
        if (z.im !== 0) {
          // Show a conjugate pair once.
          const pair = roots.findIndex((w, j) => j > i && !seen.has(j) && Math.abs(w.re - z.re) < 1e-9 && Math.abs(w.im + z.im) < 1e-9);
          if (pair >= 0) {
            seen.add(pair);
            name = `$z_{${i + 1},${pair + 1}}$`;
            text += ` ± ${formatNumber(Math.abs(z.im))}i`;
          } else text += ` ${z.im < 0 ? "−" : "+"} ${formatNumber(Math.abs(z.im))}i`;
        }
        const period = z.im !== 0 ? (2 * Math.PI) / Math.abs(Math.atan2(z.im, z.re)) : null;
        const detail = `${text}, |z| = ${formatNumber(m)}${period ? `, period ${formatNumber(period, 3)}` : ""}${Math.abs(z.re) > L || Math.abs(z.im) > L ? " (off the frame)" : ""}`;
        lines.push(readoutItem(`${name} =`, detail, { color: m > 1 ? OUTSIDE : INSIDE, dot: true }));
      });
    }
    frame.readout.replaceChildren(...lines);
    setAttrs(frame.readout, { "data-stationary": String(roots.every((z) => Math.hypot(z.re, z.im) > 1)) });
  }

  root.update = (next: Complex[]) => {
    roots = next;
    render();
  };
  render();
  return root;
}
