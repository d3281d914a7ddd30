// Curves over the model order p (information criteria, cross-validation error, training and
// held-out error), each with a ring at its minimum, the order the curve picks.
//
// The readout prints every curve at the order under the pointer, or at `current` (the page's
// chosen p, marked with a vertical rule) when the pointer is away. Values still missing (a
// curve being computed) are NaN and leave the curve short. `node.update(curves, current)`.
import * as d3 from "d3";
import { formatNumber } from "./format.js";
import { labelToText, textWidth, xAxisTitle, yAxisTitle } from "./texLabel.js";
import { chartFrame, pointerX, setAttrs, svg } from "./chartParts.js";
import { readoutItem, readoutTime } from "./chartReadout.js";

export interface OrderCurve {
  /** Legend text; may contain $TeX$. */
  name: string;
  /** values[i] belongs to orders[i]. */
  values: number[];
  color?: string;
  dash?: boolean;
  /** Mark the minimum with a ring (default true). */
  markMinimum?: boolean;
}

export interface OrderCurvesOptions {
  /** The orders on the x axis (default 0..length−1 of the longest curve). */
  orders?: number[];
  /** An order to mark with a rule and show in the readout. */
  current?: number | null;
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  title?: string;
  logScale?: boolean;
}

export interface OrderCurvesElement extends HTMLDivElement {
  update(curves: OrderCurve[], current?: number | null): void;
  /** The order each curve picks (its first minimum), by curve name. */
  readonly minima: Record<string, number>;
}

const PALETTE = ["#2563eb", "#d97706", "#16a34a", "#9333ea", "#dc2626"];

export function OrderCurves(
  curves: OrderCurve[],
  { orders: fixedOrders, current = null, width = 640, height = 240, xLabel = "order $p$", yLabel = "value", title, logScale = false }: OrderCurvesOptions = {},
): OrderCurvesElement {
  const frame = chartFrame("order-curves", { width, height, title, ariaLabel: `${labelToText(title ?? yLabel)} against ${labelToText(xLabel)}` });
  const root = frame.root as unknown as OrderCurvesElement;
  const grid = svg("g", { class: "grid" });
  const xAxis = svg("g", { class: "axis x-axis" });
  const yAxis = svg("g", { class: "axis y-axis" });
  const rule = svg("line", { class: "chart-rule" });
  const lines = svg("g", { fill: "none" });
  const rings = svg("g", {});
  const titles = svg("g", {});
  const overlay = svg("rect", { class: "chart-overlay" });
  frame.chart.append(grid, xAxis, yAxis, rule, lines, rings, titles, overlay);
  const margin = { top: 10, right: 14, bottom: 42, left: 44 };
  let xScale = d3.scaleLinear();
  let orders: number[] = [];
  let hovered: number | null = null;
  let minima: Record<string, number> = {};

  const colorOf = (c: OrderCurve, i: number) => c.color ?? PALETTE[i % PALETTE.length]!;

  function render(): void {
    orders = fixedOrders ?? d3.range(d3.max(curves, (c) => c.values.length) ?? 1);
    const plotHeight = height - margin.top - margin.bottom;
    const ys = curves.flatMap((c) => c.values.filter((v) => Number.isFinite(v) && (!logScale || v > 0)));
    let [y0, y1] = d3.extent(ys) as [number | undefined, number | undefined];
    if (y0 === undefined || y1 === undefined) [y0, y1] = logScale ? [0.1, 1] : [0, 1];
    if (y0 === y1) [y0, y1] = logScale ? [y0 / 2, y1 * 2] : [y0 - 1, y1 + 1];
    const range = [margin.top + plotHeight, margin.top];
    const yScale: d3.ScaleContinuousNumeric<number, number> = logScale ? d3.scaleLog([y0, y1], range).nice() : d3.scaleLinear([y0, y1], range).nice();
    const count = Math.max(2, Math.round(plotHeight / 38));
    const yTicks = yScale.ticks(count);
    const yFormat = logScale ? d3.format("~g") : yScale.tickFormat(count);
    margin.left = Math.ceil(26 + (d3.max(yTicks, (v) => textWidth(yFormat(v))) ?? 20) + 8);
    const plotWidth = Math.max(20, width - margin.left - margin.right);
    const lo = orders[0] ?? 0;
    const hi = orders[orders.length - 1] ?? 1;
    xScale = d3.scaleLinear([lo, hi === lo ? lo + 1 : hi], [margin.left, margin.left + plotWidth]);
    const xTicks = xScale.ticks(Math.min(orders.length, Math.floor(plotWidth / 34))).filter(Number.isInteger);
    d3.select(xAxis).attr("transform", `translate(0,${margin.top + plotHeight})`).call(d3.axisBottom(xScale).tickValues(xTicks).tickFormat((v) => String(v)).tickSizeOuter(0));
    d3.select(yAxis).attr("transform", `translate(${margin.left},0)`).call(d3.axisLeft(yScale).tickValues(yTicks).tickFormat((v) => yFormat(Number(v))).tickSizeOuter(0));
    d3.select(grid).selectAll("line").data(yTicks).join("line").attr("x1", margin.left).attr("x2", margin.left + plotWidth).attr("y1", (v) => yScale(v)).attr("y2", (v) => yScale(v));
    titles.replaceChildren(
      xAxisTitle(xLabel, { left: margin.left, right: margin.left + plotWidth, y: margin.top + plotHeight + 32 }),
      yAxisTitle(yLabel, { x: 10, top: margin.top, bottom: margin.top + plotHeight }),
    );
    const line = d3
      .line<number>()
      .defined((v) => Number.isFinite(v) && (!logScale || v > 0))
      .x((_, i) => xScale(orders[i]!))
      .y((v) => yScale(v));
    lines.replaceChildren();
    rings.replaceChildren();
    minima = {};
    curves.forEach((c, i) => {
      const color = colorOf(c, i);
      lines.append(svg("path", { d: line(c.values) ?? "", stroke: color, "stroke-width": 1.8, "stroke-dasharray": c.dash ? "5 3" : "none" }));
      const dots = svg("g", { fill: color });
      c.values.forEach((v, j) => {
        if (Number.isFinite(v) && (!logScale || v > 0)) dots.append(svg("circle", { cx: xScale(orders[j]!), cy: yScale(v), r: 2.2 }));
      });
      lines.append(dots);
      let best = -1;
      c.values.forEach((v, j) => {
        if (Number.isFinite(v) && (best < 0 || v < c.values[best]!)) best = j;
      });
      if (best >= 0) {
        minima[labelToText(c.name)] = orders[best]!;
        if (c.markMinimum !== false) {
          rings.append(svg("circle", { class: "curve-minimum", cx: xScale(orders[best]!), cy: yScale(c.values[best]!), r: 7, fill: "none", stroke: color, "stroke-width": 2.2, "data-order": orders[best]! }));
        }
      }
    });
    setAttrs(overlay, { x: margin.left, y: margin.top, width: plotWidth, height: plotHeight });
    setAttrs(rule, { y1: margin.top, y2: margin.top + plotHeight });
    showReadout();
  }

  function showReadout(): void {
    const at = hovered ?? current;
    if (current !== null && orders.includes(current)) {
      setAttrs(rule, { x1: xScale(current), x2: xScale(current) });
      rule.style.display = "";
    } else rule.style.display = "none";
    const items: HTMLElement[] = [];
    if (at !== null && orders.includes(at)) {
      items.push(readoutTime(`$p = ${at}$:`));
      const j = orders.indexOf(at);
      curves.forEach((c, i) => items.push(readoutItem(c.name, formatNumber(c.values[j] ?? NaN), { color: colorOf(c, i), dash: c.dash })));
    } else {
      items.push(readoutTime("minimum at"));
      curves.forEach((c, i) => items.push(readoutItem(c.name, String(minima[labelToText(c.name)] ?? "–"), { color: colorOf(c, i), dash: c.dash })));
    }
    frame.readout.replaceChildren(...items);
  }

  overlay.addEventListener("pointermove", (event) => {
    const p = Math.round(xScale.invert(pointerX(event, overlay, Number(overlay.getAttribute("x")))));
    const next = orders.includes(p) ? p : null;
    if (next !== hovered) {
      hovered = next;
      showReadout();
    }
  });
  overlay.addEventListener("pointerleave", () => {
    hovered = null;
    showReadout();
  });

  root.update = (next: OrderCurve[], nextCurrent?: number | null) => {
    curves = next;
    if (nextCurrent !== undefined) current = nextCurrent;
    render();
  };
  Object.defineProperty(root, "minima", { get: () => ({ ...minima }) });
  render();
  return root;
}
