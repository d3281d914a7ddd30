// A series with an h-step forecast from an origin: the data, optionally one-step fitted values,
// the forecast path and its prediction interval as a shaded band, and the origin as a rule.
//
// The origin is the page's time cursor: clicking or dragging on the chart moves it (the page
// then refits and calls update). Hovering prints the values at the step under the pointer:
// the data, and inside the forecast window the forecast, the interval and the horizon k.
// Steps past the end of the data continue the x spacing of the last two points.
import * as d3 from "d3";
import { formatNumber } from "./format.js";
import { labelToText, textWidth, xAxisTitle, yAxisTitle } from "./texLabel.js";
import type { TimeCursor } from "./timeCursor.js";
import { chartFrame, pointerX, setAttrs, svg } from "./chartParts.js";
import { readoutItem, readoutTime } from "./chartReadout.js";

export interface ForecastBand {
  /** x̂(origin + k), k = 1..h. */
  mean: number[];
  lower: number[];
  upper: number[];
  /** e.g. 0.95. */
  level: number;
}

export interface ForecastData {
  /** Index of the last value the forecast uses. */
  origin: number;
  forecast: ForecastBand;
  /** One-step fitted values over the data (NaN where there are none); optional. */
  fitted?: number[];
}

export interface ForecastChartOptions {
  /** x position of each data point (e.g. years). */
  x: number[];
  cursor?: TimeCursor;
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  /** Names of the lines in the readout. */
  dataName?: string;
  fittedName?: string;
  forecastName?: string;
  /** How to name a data index, e.g. t => String(years[t]). */
  timeLabel?: (t: number) => string;
  invalidation?: Promise<unknown>;
}

export interface ForecastChartElement extends HTMLDivElement {
  update(next: ForecastData): void;
}

const DATA = "#374151";
const FITTED = "#6b7280";
const FORECAST = "#dc2626";

export function ForecastChart(
  data: number[],
  initial: ForecastData | null,
  { x, cursor, width = 720, height = 280, xLabel = "year", yLabel = "value", dataName = "data", fittedName = "one-step fitted", forecastName = "forecast", timeLabel = (t) => String(x[t] ?? t), invalidation }: ForecastChartOptions,
): ForecastChartElement {
  const frame = chartFrame("forecast-chart", { width, height, ariaLabel: `${labelToText(yLabel)} against ${labelToText(xLabel)} with a forecast and its prediction interval; click to move the forecast origin` });
  const root = frame.root as unknown as ForecastChartElement;
  const grid = svg("g", { class: "grid" });
  const xAxis = svg("g", { class: "axis x-axis" });
  const yAxis = svg("g", { class: "axis y-axis" });
  const band = svg("path", { class: "forecast-band", fill: FORECAST, "fill-opacity": 0.14, stroke: "none" });
  const dataLine = svg("path", { fill: "none", stroke: DATA, "stroke-width": 1.5 });
  const fittedLine = svg("path", { fill: "none", stroke: FITTED, "stroke-width": 1.3, "stroke-dasharray": "4 3" });
  const forecastLine = svg("path", { class: "forecast-mean", fill: "none", stroke: FORECAST, "stroke-width": 2 });
  const originRule = svg("line", { class: "chart-rule", "stroke-dasharray": "3 3" });
  const hoverRule = svg("line", { class: "chart-rule", "stroke-opacity": 0.3 });
  const titles = svg("g", {});
  const overlay = svg("rect", { class: "chart-overlay" });
  frame.chart.append(grid, xAxis, yAxis, band, dataLine, fittedLine, forecastLine, originRule, hoverRule, titles, overlay);
  const margin = { top: 10, right: 14, bottom: 42, left: 44 };
  // Until the first update there is no forecast: an empty one at the last value.
  let state: ForecastData = initial ?? { origin: data.length - 1, forecast: { mean: [], lower: [], upper: [], level: 0.95 } };
  let xScale = d3.scaleLinear();
  let hovered: number | null = null;
  const n = data.length;
  const dx = n > 1 ? x[n - 1]! - x[n - 2]! : 1;
  const xAt = (i: number) => (i < n ? x[i]! : x[n - 1]! + (i - n + 1) * dx);
  const nameOf = (i: number) => (i < n ? timeLabel(i) : String(formatNumber(xAt(i))));

  function render(): void {
    const h = state.forecast.mean.length;
    const last = Math.max(n - 1, state.origin + h);
    const plotHeight = height - margin.top - margin.bottom;
    const ys = [...data, ...state.forecast.lower, ...state.forecast.upper].filter(Number.isFinite);
    const yScale = d3.scaleLinear(d3.extent(ys) as [number, number], [margin.top + plotHeight, margin.top]).nice();
    const yTicks = yScale.ticks(Math.max(2, Math.round(plotHeight / 40)));
    const yFormat = yScale.tickFormat(Math.max(2, Math.round(plotHeight / 40)));
    margin.left = Math.ceil(26 + (d3.max(yTicks, (v) => textWidth(yFormat(v))) ?? 20) + 8);
    const plotWidth = Math.max(20, width - margin.left - margin.right);
    xScale = d3.scaleLinear([xAt(0), xAt(last)], [margin.left, margin.left + plotWidth]);
    d3.select(xAxis).attr("transform", `translate(0,${margin.top + plotHeight})`).call(d3.axisBottom(xScale).ticks(Math.floor(plotWidth / 60)).tickFormat((v) => String(v)).tickSizeOuter(0));
    d3.select(yAxis).attr("transform", `translate(${margin.left},0)`).call(d3.axisLeft(yScale).tickValues(yTicks).tickFormat((v) => yFormat(Number(v))).tickSizeOuter(0));
    d3.select(grid).selectAll("line").data(yTicks).join("line").attr("x1", margin.left).attr("x2", margin.left + plotWidth).attr("y1", (v) => yScale(v)).attr("y2", (v) => yScale(v));
    titles.replaceChildren(
      xAxisTitle(xLabel, { left: margin.left, right: margin.left + plotWidth, y: margin.top + plotHeight + 32 }),
      yAxisTitle(yLabel, { x: 10, top: margin.top, bottom: margin.top + plotHeight }),
    );
    const line = d3
      .line<[number, number]>()
      .defined((d) => Number.isFinite(d[1]))
      .x((d) => xScale(d[0]))
      .y((d) => yScale(d[1]));
    dataLine.setAttribute("d", line(data.map((v, i) => [xAt(i), v])) ?? "");
    fittedLine.setAttribute("d", state.fitted ? (line(state.fitted.map((v, i) => [xAt(i), v])) ?? "") : "");
    const o = state.origin;
    // The forecast path starts at the last observed value, so it joins the data.
    const path: [number, number][] = [[xAt(o), data[o]!], ...state.forecast.mean.map((v, k) => [xAt(o + k + 1), v] as [number, number])];
    forecastLine.setAttribute("d", line(path) ?? "");
    const area = d3
      .area<number>()
      .x((_, k) => xScale(xAt(o + k)))
      .y0((_, k) => yScale(k === 0 ? data[o]! : state.forecast.lower[k - 1]!))
      .y1((_, k) => yScale(k === 0 ? data[o]! : state.forecast.upper[k - 1]!));
    band.setAttribute("d", area(d3.range(h + 1)) ?? "");
    setAttrs(originRule, { x1: xScale(xAt(o)), x2: xScale(xAt(o)), y1: margin.top, y2: margin.top + plotHeight });
    setAttrs(hoverRule, { y1: margin.top, y2: margin.top + plotHeight });
    setAttrs(overlay, { x: margin.left, y: margin.top, width: plotWidth, height: plotHeight });
    showReadout();
  }

  function showReadout(): void {
    const o = state.origin;
    const h = state.forecast.mean.length;
    const level = `${Math.round(state.forecast.level * 100)}%`;
    const items: HTMLElement[] = [];
    if (hovered === null && h === 0) {
      hoverRule.style.display = "none";
      items.push(readoutTime("no forecast yet"));
    } else if (hovered === null) {
      hoverRule.style.display = "none";
      items.push(readoutTime(`origin ${timeLabel(o)} (t = ${o}), ${h} steps ahead:`));
      const k = h - 1;
      items.push(
        readoutItem(`${forecastName} at ${nameOf(o + h)}`, formatNumber(state.forecast.mean[k]!), { color: FORECAST }),
        readoutItem(`${level} interval`, `${formatNumber(state.forecast.lower[k]!)} to ${formatNumber(state.forecast.upper[k]!)}`, { color: FORECAST, dot: true }),
      );
      if (o + h < n) items.push(readoutItem(`${dataName} (held out)`, formatNumber(data[o + h]!), { color: DATA }));
    } else {
      const i = hovered;
      hoverRule.style.display = "";
      setAttrs(hoverRule, { x1: xScale(xAt(i)), x2: xScale(xAt(i)) });
      const k = i - o;
      items.push(readoutTime(`${nameOf(i)}${i < n ? ` (t = ${i})` : ""}${k >= 1 && k <= h ? `, k = ${k} steps past the origin` : ""}:`));
      if (i < n) items.push(readoutItem(dataName, formatNumber(data[i]!), { color: DATA }));
      if (state.fitted && i < n && Number.isFinite(state.fitted[i]!) && i <= o) items.push(readoutItem(fittedName, formatNumber(state.fitted[i]!), { color: FITTED, dash: true }));
      if (k >= 1 && k <= h) {
        items.push(
          readoutItem(forecastName, formatNumber(state.forecast.mean[k - 1]!), { color: FORECAST }),
          readoutItem(`${level} interval`, `${formatNumber(state.forecast.lower[k - 1]!)} to ${formatNumber(state.forecast.upper[k - 1]!)}`, { color: FORECAST, dot: true }),
        );
      }
    }
    frame.readout.replaceChildren(...items);
  }

  const indexAt = (event: PointerEvent) => {
    const target = xScale.invert(pointerX(event, overlay, Number(overlay.getAttribute("x"))));
    return Math.max(0, Math.round((target - x[0]!) / dx));
  };
  let dragging = false;
  overlay.addEventListener("pointermove", (event) => {
    const i = indexAt(event);
    if (dragging && cursor) cursor.set(Math.min(i, n - 1));
    if (i !== hovered) {
      hovered = i;
      showReadout();
    }
  });
  overlay.addEventListener("pointerdown", (event) => {
    if (!cursor) return;
    dragging = true;
    overlay.setPointerCapture(event.pointerId);
    cursor.set(Math.min(indexAt(event), n - 1));
  });
  overlay.addEventListener("pointerup", () => (dragging = false));
  overlay.addEventListener("pointerleave", () => {
    hovered = null;
    showReadout();
  });
  invalidation?.then(() => (dragging = false));

  root.update = (next: ForecastData) => {
    state = next;
    render();
  };
  render();
  return root;
}
