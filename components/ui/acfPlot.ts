// Autocorrelations as bars against the lag, with the white-noise confidence band.
//
// Each entry of `bars` is one set of values over lags (a sample ACF, a PACF, a theoretical
// ACF): drawn as bars (side by side when there are several) or as dots on top. The band is
// the shaded strip ±band around 0 with dashed edges, as R's plot.acf draws it. The readout
// prints every value at the lag under the pointer (lag 1 until the reader points).
// `node.update(bars, band)` redraws in place.
import * as d3 from "d3";
import { formatNumber } from "./format.js";
import { labelToText, textWidth, xAxisTitle, yAxisTitle } from "./texLabel.js";
import { chartFrame, pointerX, setAttrs, svg } from "./chartParts.js";
import { readoutItem, readoutTime } from "./chartReadout.js";

export interface AcfBars {
  /** Legend text; may contain $TeX$. */
  name: string;
  /** values[i] belongs to lag firstLag + i. */
  values: number[];
  /** The lag of values[0]: 0 for an ACF (r(0) = 1), 1 for a PACF. Default 0. */
  firstLag?: number;
  color?: string;
  /** "bar" (default) or "dot" (e.g. a theoretical curve drawn over sample bars). */
  kind?: "bar" | "dot";
}

export interface AcfPlotOptions {
  /** Half-width of the band around 0 (e.g. acfBand(n)); null for none. */
  band?: number | null;
  /** How to describe the band in the readout. */
  bandLabel?: string;
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  title?: string;
  /** Default [−1, 1]. */
  yDomain?: [number, number];
}

export interface AcfPlotElement extends HTMLDivElement {
  update(bars: AcfBars[], band?: number | null): void;
  /** The lag shown in the readout. */
  readonly lag: number;
}

const PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#9333ea"];

export function AcfPlot(
  bars: AcfBars[],
  { band = null, bandLabel = "95% band for white noise", width = 640, height = 200, xLabel = "lag $k$", yLabel = "autocorrelation", title, yDomain = [-1, 1] }: AcfPlotOptions = {},
): AcfPlotElement {
  const frame = chartFrame("acf-plot", { width, height, title, ariaLabel: `${labelToText(title ?? "autocorrelation plot")}: ${labelToText(yLabel)} against ${labelToText(xLabel)}` });
  const root = frame.root as unknown as AcfPlotElement;
  const bandGroup = svg("g", {});
  const grid = svg("g", { class: "grid" });
  const xAxis = svg("g", { class: "axis x-axis" });
  const yAxis = svg("g", { class: "axis y-axis" });
  const zero = svg("line", { stroke: "currentColor", "stroke-opacity": 0.5 });
  const marks = svg("g", {});
  const titles = svg("g", {});
  const hover = svg("rect", { fill: "currentColor", "fill-opacity": 0.07, "pointer-events": "none" });
  const overlay = svg("rect", { class: "chart-overlay" });
  frame.chart.append(bandGroup, grid, xAxis, yAxis, hover, zero, marks, titles, overlay);

  const margin = { top: 8, right: 12, bottom: 40, left: 44 };
  let xScale = d3.scaleLinear();
  let lag = 1;
  let lags: number[] = [];

  const colorOf = (b: AcfBars, i: number) => b.color ?? PALETTE[i % PALETTE.length]!;
  const lagsOf = (b: AcfBars) => b.values.map((_, i) => (b.firstLag ?? 0) + i);

  function render(): void {
    lags = [...new Set(bars.flatMap(lagsOf))].sort((a, b) => a - b);
    const lo = lags[0] ?? 0;
    const hi = lags[lags.length - 1] ?? 1;
    const plotHeight = height - margin.top - margin.bottom;
    const finite = bars.flatMap((b) => b.values.filter(Number.isFinite));
    const y0 = Math.min(yDomain[0], ...finite, band !== null ? -band : 0);
    const y1 = Math.max(yDomain[1], ...finite, band !== null ? band : 0);
    const yScale = d3.scaleLinear([y0, y1], [margin.top + plotHeight, margin.top]).nice();
    const yTicks = yScale.ticks(Math.max(2, Math.round(plotHeight / 35)));
    const yFormat = yScale.tickFormat(Math.max(2, Math.round(plotHeight / 35)));
    margin.left = Math.ceil(26 + (d3.max(yTicks, (v) => textWidth(yFormat(v))) ?? 20) + 8);
    const plotWidth = Math.max(20, width - margin.left - margin.right);
    xScale = d3.scaleLinear([lo - 0.6, hi + 0.6], [margin.left, margin.left + plotWidth]);
    const step = Math.abs(xScale(1) - xScale(0));
    const xTicks = lags.filter((k) => k % Math.max(1, Math.ceil(28 / step)) === 0 || lags.length <= 12);

    d3.select(xAxis).attr("transform", `translate(0,${margin.top + plotHeight})`).call(d3.axisBottom(xScale).tickValues(xTicks).tickFormat((v) => String(v)).tickSizeOuter(0));
    d3.select(yAxis).attr("transform", `translate(${margin.left},0)`).call(d3.axisLeft(yScale).tickValues(yTicks).tickFormat((v) => yFormat(Number(v))).tickSizeOuter(0));
    d3.select(grid).selectAll("line").data(yTicks).join("line").attr("x1", margin.left).attr("x2", margin.left + plotWidth).attr("y1", (v) => yScale(v)).attr("y2", (v) => yScale(v));
    setAttrs(zero, { x1: margin.left, x2: margin.left + plotWidth, y1: yScale(0), y2: yScale(0) });
    titles.replaceChildren(
      xAxisTitle(xLabel, { left: margin.left, right: margin.left + plotWidth, y: margin.top + plotHeight + 30 }),
      yAxisTitle(yLabel, { x: 10, top: margin.top, bottom: margin.top + plotHeight }),
    );

    bandGroup.replaceChildren();
    if (band !== null && Number.isFinite(band)) {
      bandGroup.append(
        svg("rect", { class: "acf-band", x: margin.left, width: plotWidth, y: yScale(band), height: Math.max(0, yScale(-band) - yScale(band)), fill: "#2563eb", "fill-opacity": 0.08 }),
        svg("line", { x1: margin.left, x2: margin.left + plotWidth, y1: yScale(band), y2: yScale(band), stroke: "#2563eb", "stroke-dasharray": "4 3", "stroke-opacity": 0.8 }),
        svg("line", { x1: margin.left, x2: margin.left + plotWidth, y1: yScale(-band), y2: yScale(-band), stroke: "#2563eb", "stroke-dasharray": "4 3", "stroke-opacity": 0.8 }),
      );
    }

    const barSets = bars.filter((b) => (b.kind ?? "bar") === "bar");
    const slot = Math.min(step * 0.7, 22) / Math.max(1, barSets.length);
    marks.replaceChildren();
    bars.forEach((b, i) => {
      const g = svg("g", { "data-name": labelToText(b.name) });
      const color = colorOf(b, i);
      const j = barSets.indexOf(b);
      b.values.forEach((v, idx) => {
        if (!Number.isFinite(v)) return;
        const k = (b.firstLag ?? 0) + idx;
        if ((b.kind ?? "bar") === "bar") {
          const x = xScale(k) - (slot * barSets.length) / 2 + j * slot;
          const outside = band !== null && k > 0 && Math.abs(v) > band;
          // Lag 0 is 1 by definition: drawn grey, as it says nothing about dependence.
          const fill = k === 0 ? "#9ca3af" : color;
          g.append(svg("rect", { x, width: Math.max(1, slot - 1), y: Math.min(yScale(v), yScale(0)), height: Math.abs(yScale(v) - yScale(0)), fill, "fill-opacity": outside || band === null || k === 0 ? 0.9 : 0.45, "data-lag": k }));
        } else {
          g.append(svg("circle", { cx: xScale(k), cy: yScale(v), r: 3.2, fill: "none", stroke: color, "stroke-width": 1.8 }));
        }
      });
      marks.append(g);
    });
    setAttrs(overlay, { x: margin.left, y: margin.top, width: plotWidth, height: plotHeight });
    setAttrs(hover, { y: margin.top, height: plotHeight, width: step });
    showLag(lag);
  }

  function showLag(k: number): void {
    lag = lags.includes(k) ? k : (lags.find((l) => l >= 1) ?? lags[0] ?? 0);
    setAttrs(hover, { x: xScale(lag) - Math.abs(xScale(1) - xScale(0)) / 2 });
    const items: HTMLElement[] = [readoutTime(`lag ${lag}:`)];
    bars.forEach((b, i) => {
      const v = b.values[lag - (b.firstLag ?? 0)];
      items.push(readoutItem(b.name, v === undefined ? "–" : formatNumber(v), { color: colorOf(b, i), dot: true }));
    });
    if (band !== null && Number.isFinite(band)) items.push(readoutItem(`${bandLabel} ±`, formatNumber(band), { color: "#2563eb", dash: true }));
    frame.readout.replaceChildren(...items);
  }

  overlay.addEventListener("pointermove", (event) => {
    const k = Math.round(xScale.invert(pointerX(event, overlay, Number(overlay.getAttribute("x")))));
    if (k !== lag && lags.includes(k)) showLag(k);
  });

  root.update = (next: AcfBars[], nextBand?: number | null) => {
    bars = next;
    if (nextBand !== undefined) band = nextBand;
    render();
  };
  Object.defineProperty(root, "lag", { get: () => lag });
  render();
  return root;
}
