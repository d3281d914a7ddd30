// Several series y(x) on one set of axes, with a logarithmic (default) or linear y axis:
// norms that shrink or grow geometrically, gradient norms against the distance back in
// time, costs against the sequence length.
//
// Each series has its own x values (curves of different lengths can share the axes). With
// a shared TimeCursor the x axis is the page's time axis: the cursor is drawn as a rule,
// each series' value at x = cursor.value is printed in the legend, and hovering moves the
// cursor. Without one, hovering reads off the nearest x. On a log axis, values ≤ 0 or not
// finite leave gaps (the legend prints them). `node.update(series)` redraws in place.
import * as d3 from "d3";
import { axisTitles, drawAxes, drawGrid, drawLines, leftMarginFor, plotBox } from "./chartPlot.js";
import { cursorLayer, stepWithArrowKeys } from "./chartCursor.js";
import { chartFrame, svg } from "./chartParts.js";
import { legendReadout } from "./chartReadout.js";
import { createTimeCursor, type TimeCursor } from "./timeCursor.js";
import { formatNumber } from "./format.js";
import { labelToText } from "./texLabel.js";

/** Axis ticks: the shortest exact form ("0.5", "−0.25", "1e−6"), with a typographic minus. */
const tickText = (v: number) => d3.format("~g")(v).replace(/-/g, "\u2212");

export interface NormSeries {
  /** Legend text; may contain $TeX$. */
  name: string;
  /** x of each value (default 0, 1, 2, …). */
  x?: number[];
  values: (number | null)[];
  color?: string;
  dash?: boolean;
  /** Draw a dot at every point (for measured points). */
  dots?: boolean;
}

export interface NormPlotOptions {
  cursor?: TimeCursor;
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  /** "log" (default) or "linear". */
  yScale?: "log" | "linear";
  /** Fixed y domain; by default the data's range (positive values on a log axis). */
  yDomain?: [number, number];
  /** On a log axis, the lowest value shown; smaller values are drawn on the bottom edge. */
  yMin?: number;
  /** The highest value shown; larger values are drawn on the top edge (e.g. a run that diverged). */
  yMax?: number;
  /** Fixed x domain; by default the data's range. */
  xDomain?: [number, number];
  /** "linear" (default) or "log" (x > 0, e.g. lags 5, 10, 20, 40, 80). */
  xScale?: "linear" | "log";
  /** Where to put the x ticks; by default d3's choice (linear) or the data's x values (log). */
  xTicks?: number[];
  /** How to name x in the legend readout, e.g. x => `d = ${x}`. */
  xName?: (x: number) => string;
  /** Format for the legend values. */
  format?: (v: number) => string;
  /** A horizontal reference line (e.g. 1 for "no change", or chance accuracy). */
  reference?: { y: number; label: string };
  title?: string;
  invalidation?: Promise<unknown>;
}

export interface NormPlotElement extends HTMLDivElement {
  update(series: NormSeries[]): void;
  readonly value: number;
}

const PALETTE = d3.schemeTableau10;

export function NormPlot(initial: NormSeries[], options: NormPlotOptions = {}): NormPlotElement {
  // Below ~200 px the axes no longer fit; Framework's `width` can briefly be 0 while the page lays out.
  const width = Math.max(200, options.width ?? 640);
  const { height = 240, xLabel = "time step $t$", yLabel = "norm", yScale: scaleKind = "log", yDomain, xDomain, title, reference, invalidation } = options;
  const format = options.format ?? ((v: number) => formatNumber(v, 3));
  const xName = options.xName ?? ((x: number) => `${labelToText(xLabel).split(" ")[0] ?? "x"} = ${formatNumber(x)}`);
  let series = initial;
  const xsOf = (s: NormSeries) => s.x ?? s.values.map((_, i) => i);
  const allX = () => series.flatMap(xsOf);
  const shared = options.cursor !== undefined;
  const cursor = options.cursor ?? createTimeCursor({ min: -1e9, max: 1e9, value: d3.max(allX()) ?? 0 });
  const log = scaleKind === "log";

  const ariaLabel = `${labelToText(title ?? "chart")}: ${labelToText(yLabel)} against ${labelToText(xLabel)}${shared ? "; arrow keys move the time cursor" : ""}`;
  const { root: frame, readout, body, chart } = chartFrame("norm-plot", { width, height, title, ariaLabel });
  const root = frame as NormPlotElement;
  body.tabIndex = 0;
  const legend = legendReadout(readout);

  const grid = svg("g", { class: "grid" });
  const xAxis = svg("g", { class: "axis x-axis" });
  const yAxis = svg("g", { class: "axis y-axis" });
  const refGroup = svg("g");
  const lines = svg("g", { fill: "none" });
  const points = svg("g");
  const titles = svg("g");
  const timeRule = cursorLayer();
  chart.append(grid, refGroup, xAxis, yAxis, lines, points, titles, ...timeRule.nodes);
  const placeTitles = axisTitles(titles, xLabel, yLabel);

  const margin = { top: 10, right: 14, bottom: 44, left: 48 };
  let x: d3.ScaleContinuousNumeric<number, number> = d3.scaleLinear();
  let y: d3.ScaleContinuousNumeric<number, number> = log ? d3.scaleLog() : d3.scaleLinear();
  const usable = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v) && (!log || v > 0);

  function render(): void {
    const logX = options.xScale === "log";
    // A log x axis takes only positive x; with no data yet it spans the given ticks (or 1–10).
    const xs = logX ? [...allX(), ...(options.xTicks ?? [])].filter((v) => v > 0) : allX();
    const [x0, x1] = xDomain ?? [d3.min(xs) ?? (logX ? 1 : 0), d3.max(xs) ?? (logX ? 10 : 1)];
    const ys = series.flatMap((s) => s.values.filter(usable));
    if (reference && usable(reference.y)) ys.push(reference.y);
    let [y0, y1] = yDomain ?? [d3.min(ys) ?? (log ? 0.1 : 0), d3.max(ys) ?? (log ? 10 : 1)];
    if (log) {
      if (options.yMin !== undefined && !yDomain) y0 = Math.max(y0, options.yMin);
      if (options.yMax !== undefined && !yDomain) y1 = Math.min(y1, options.yMax);
      if (!(y0 > 0)) y0 = 1e-3;
      if (!(y1 > y0)) y1 = y0 * 10;
    } else {
      if (options.yMax !== undefined && !yDomain) y1 = Math.min(y1, options.yMax);
      if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
    }
    const plotHeight = height - margin.top - margin.bottom;
    if (log) {
      const lo = yDomain ? y0 : 10 ** Math.floor(Math.log10(y0));
      const hi = yDomain ? y1 : 10 ** Math.ceil(Math.log10(y1));
      y = d3.scaleLog([lo, hi === lo ? lo * 10 : hi], [margin.top + plotHeight, margin.top]);
    } else {
      // Without a fixed domain the linear axis starts at 0, so proportional growth reads as a line through the origin.
      y = d3.scaleLinear([yDomain ? y0 : Math.min(0, y0), y1], [margin.top + plotHeight, margin.top]);
      if (!yDomain) y.nice(5);
    }
    const yTicks = logTicks(y, plotHeight);
    const yFormat = (v: number) => (log ? powerLabel(v) : tickText(v));
    margin.left = leftMarginFor(yTicks, yFormat);
    const box = plotBox(width, height, margin);
    const plotWidth = box.width;
    const xRange = [margin.left, margin.left + plotWidth];
    x = logX ? d3.scaleLog([x0, x1 === x0 ? x0 * 10 : x1], xRange) : d3.scaleLinear([x0, x1 === x0 ? x0 + 1 : x1], xRange);
    const xTicks = options.xTicks ?? (logX ? [...new Set(xs)].sort((a, b) => a - b) : x.ticks(Math.max(2, Math.floor(plotWidth / 60))).filter((v) => Number.isInteger(v) || x1 - x0 < 5));
    drawAxes(
      xAxis,
      yAxis,
      box,
      d3.axisBottom(x).tickValues(xTicks).tickFormat((v) => tickText(Number(v))).tickSizeOuter(0),
      d3.axisLeft(y).tickValues(yTicks).tickFormat((v) => yFormat(Number(v))).tickSizeOuter(0),
    );
    drawGrid(grid, box, yTicks, y);
    placeTitles(box);
    refGroup.replaceChildren();
    if (reference && usable(reference.y) && reference.y >= y.domain()[0]! && reference.y <= y.domain()[1]!) {
      const py = y(reference.y);
      refGroup.append(svg("line", { x1: margin.left, x2: margin.left + plotWidth, y1: py, y2: py, stroke: "currentColor", "stroke-dasharray": "2 3", opacity: 0.6 }));
      const label = svg("text", { x: margin.left + plotWidth - 4, y: py - 4, "text-anchor": "end", class: "chart-shade-label" });
      label.textContent = reference.label;
      refGroup.append(label);
    }
    timeRule.place(box);

    const line = d3
      .line<[number, number | null]>()
      .defined(([, v]) => usable(v))
      .x(([xv]) => x(xv))
      .y(([, v]) => y(clampY(v as number)));
    drawLines(lines, series, colorOf, (s) => line(xsOf(s).map((xv, i) => [xv, s.values[i] ?? null])));
    const measured = series.flatMap((s, i) => (s.dots ? xsOf(s).map((xv, j) => ({ x: xv, v: s.values[j], color: colorOf(s, i) })).filter((p) => usable(p.v)) : []));
    d3.select(points)
      .selectAll("circle")
      .data(measured)
      .join("circle")
      .attr("r", 2.5)
      .attr("cx", (p) => x(p.x))
      .attr("cy", (p) => y(clampY(p.v as number)))
      .attr("fill", (p) => p.color);
    legend.setEntries(series.map((s, i) => ({ name: s.name, color: colorOf(s, i), dash: s.dash })));
    showCursor(cursor.value);
  }

  function clampY(v: number): number {
    const [lo, hi] = y.domain() as [number, number];
    return Math.min(hi, Math.max(lo, v));
  }

  function valueAt(s: NormSeries, at: number): number | null | undefined {
    const index = xsOf(s).indexOf(at);
    return index < 0 ? undefined : s.values[index];
  }

  function showCursor(at: number): void {
    const [d0, d1] = x.domain() as [number, number];
    const px = x(at);
    // On a log axis an x ≤ 0 (a cursor before any data) has no position.
    const inside = at >= d0 && at <= d1 && Number.isFinite(px);
    legend.setTime(`${xName(at)}:`);
    const values = series.map((s) => valueAt(s, at));
    const dots = series.flatMap((s, i) => {
      const v = values[i];
      return usable(v) ? [{ y: y(clampY(v)), color: colorOf(s, i) }] : [];
    });
    timeRule.show(inside ? px : null, dots);
    legend.setValues(values.map((v) => (v === undefined || v === null ? "–" : format(v))));
  }

  timeRule.onPointerX((px) => {
    const xs = [...new Set(allX())].sort((a, b) => a - b);
    if (xs.length === 0) return;
    cursor.set(xs[d3.bisectCenter(xs, x.invert(px))]!);
    if (!shared) showCursor(cursor.value);
  });
  let hovering = false;
  timeRule.overlay.addEventListener("pointerenter", () => (hovering = true));
  timeRule.overlay.addEventListener("pointerleave", () => (hovering = false));
  stepWithArrowKeys(body, cursor);

  root.update = (next: NormSeries[]) => {
    series = next;
    // Without a shared cursor, the readout shows the last point until the reader hovers.
    if (!shared && !hovering) cursor.set(d3.max(allX()) ?? 0);
    render();
  };
  Object.defineProperty(root, "value", { get: () => cursor.value });
  render();
  cursor.subscribe(showCursor, { owner: root, invalidation });
  return root;
}

/** Powers of ten on a log axis (thinned to fit), or the scale's own ticks on a linear one. */
function logTicks(scale: d3.ScaleContinuousNumeric<number, number>, plotHeight: number): number[] {
  const [lo, hi] = scale.domain() as [number, number];
  if (!(lo > 0)) return scale.ticks(Math.max(2, Math.round(plotHeight / 40)));
  const a = Math.ceil(Math.log10(lo) - 1e-9);
  const b = Math.floor(Math.log10(hi) + 1e-9);
  const maxTicks = Math.max(2, Math.floor(plotHeight / 22));
  const stride = Math.max(1, Math.ceil((b - a + 1) / maxTicks));
  const ticks: number[] = [];
  for (let e = a; e <= b; e += stride) ticks.push(10 ** e);
  if (ticks.length < 2) return scale.ticks(3);
  return ticks;
}

const SUPERSCRIPT: Record<string, string> = { "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹" };

/** 10^e as "10⁻³"; 1, 10 and 100 as themselves; anything else via formatNumber. */
function powerLabel(v: number): string {
  const e = Math.round(Math.log10(v));
  if (Math.abs(v - 10 ** e) > 1e-9 * v) return formatNumber(v, 2);
  if (e >= 0 && e <= 2) return String(10 ** e);
  return `10${String(e).replace(/./g, (c) => SUPERSCRIPT[c] ?? c)}`;
}

function colorOf(s: NormSeries, i: number): string {
  return s.color ?? PALETTE[i % PALETTE.length]!;
}
