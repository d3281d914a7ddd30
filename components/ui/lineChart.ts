// Several series over time on one set of axes, tied to the page's time cursor.
//
// The legend above the plot doubles as the readout: each series' value at the cursor is
// printed beside its name, so the reader never has to hover to read it. The cursor is drawn
// as a vertical rule with a dot on each series; hovering or dragging moves it to the nearest
// time step. `node.update(series)` redraws in place.
import * as d3 from "d3";
import { axisTitles, drawAxes, drawGrid, drawLines, leftMarginFor, plotBox } from "./chartPlot.js";
import { cursorLayer, stepWithArrowKeys } from "./chartCursor.js";
import { chartFrame, svg } from "./chartParts.js";
import { legendReadout } from "./chartReadout.js";
import { createTimeCursor, type TimeCursor } from "./timeCursor.js";
import { formatNumber } from "./format.js";
import { labelToText, textWidth } from "./texLabel.js";

export interface LineSeries {
  /** Legend text; may contain $TeX$. */
  name: string;
  /** One value per time step; null (or NaN) leaves a gap. */
  values: (number | null)[];
  color?: string;
  dash?: boolean;
}

export interface LineChartOptions {
  /** The x position of each time step (e.g. years); default 0, 1, 2, … */
  x?: number[];
  cursor?: TimeCursor;
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  /** How to name time step t in the readout, e.g. t => years[t]. */
  timeLabel?: (t: number) => string;
  /** Shade the steps from this index on (e.g. the held-out period). */
  shadeFrom?: number;
  shadeLabel?: string;
  yDomain?: [number, number];
  title?: string;
  invalidation?: Promise<unknown>;
}

export interface LineChartElement extends HTMLDivElement {
  update(series: LineSeries[]): void;
  readonly value: number;
}

const PALETTE = d3.schemeTableau10;

export function LineChart(
  series: LineSeries[],
  {
    x: xValues,
    cursor: sharedCursor,
    width = 640,
    height = 240,
    xLabel = "time step $t$",
    yLabel = "value",
    timeLabel,
    shadeFrom,
    shadeLabel = "held out",
    yDomain,
    title,
    invalidation,
  }: LineChartOptions = {},
): LineChartElement {
  const stepCount = () => Math.max(xValues?.length ?? 0, d3.max(series, (s) => s.values.length) ?? 0);
  const cursor = sharedCursor ?? createTimeCursor({ min: 0, max: 1e9, value: stepCount() - 1 });
  const xAt = (i: number) => (xValues ? xValues[i] : i);
  const stepName = (t: number) => (timeLabel ? `${timeLabel(t)} (t = ${t})` : `t = ${t}`);

  const ariaLabel = `${labelToText(title ?? "line chart")}: ${labelToText(yLabel)} against ${labelToText(xLabel)}; arrow keys move the time cursor`;
  const { root: frame, readout, body, chart } = chartFrame("line-chart", { width, height, title, ariaLabel });
  const root = frame as LineChartElement;
  body.tabIndex = 0;
  const legend = legendReadout(readout);

  const shade = svg("g", { class: "chart-shade-group" });
  const grid = svg("g", { class: "grid" });
  const xAxis = svg("g", { class: "axis x-axis" });
  const yAxis = svg("g", { class: "axis y-axis" });
  const lines = svg("g", { class: "chart-lines", fill: "none" });
  const titles = svg("g");
  const timeRule = cursorLayer();
  chart.append(shade, grid, xAxis, yAxis, lines, titles, ...timeRule.nodes);
  const placeTitles = axisTitles(titles, xLabel, yLabel);

  const margin = { top: 10, right: 12, bottom: 44, left: 40 };
  let xScale = d3.scaleLinear();
  let yScale = d3.scaleLinear();

  function render(): void {
    const n = stepCount();
    const xs = d3.range(n).map(xAt);
    const [x0 = 0, x1 = 1] = d3.extent(xs);
    const ys = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
    let [y0, y1] = yDomain ?? d3.extent(ys);
    if (y0 === undefined || y1 === undefined) [y0, y1] = [0, 1];
    if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];

    // Room above the plot for the shade's label, so that no line can cross it.
    margin.top = shadeFrom !== undefined && shadeFrom < n ? 18 : 10;
    // The y axis first: its widest tick label sets the left margin.
    const plotHeight = height - margin.top - margin.bottom;
    yScale = d3.scaleLinear([y0, y1], [margin.top + plotHeight, margin.top]);
    if (!yDomain) yScale.nice(Math.max(2, Math.round(plotHeight / 40)));
    const yTicks = yScale.ticks(Math.max(2, Math.round(plotHeight / 40)));
    const yFormat = yScale.tickFormat(Math.max(2, Math.round(plotHeight / 40)));
    margin.left = leftMarginFor(yTicks, yFormat);
    const lastLabel = tickLabel(x1);
    margin.right = Math.ceil(Math.max(12, textWidth(lastLabel) / 2 + 2));
    // Never negative: a cell may first render while its container still has no width.
    const box = plotBox(width, height, margin);
    const plotWidth = box.width;
    xScale = d3.scaleLinear([x0, x0 === x1 ? x0 + 1 : x1], [margin.left, margin.left + plotWidth]);

    const widest = Math.max(textWidth(tickLabel(x0)), textWidth(lastLabel));
    const xTickCount = Math.max(2, Math.floor(plotWidth / (widest + 24)));
    drawAxes(
      xAxis,
      yAxis,
      box,
      d3.axisBottom(xScale).ticks(xTickCount).tickFormat((v) => tickLabel(Number(v))).tickSizeOuter(0),
      d3.axisLeft(yScale).ticks(Math.max(2, Math.round(plotHeight / 40))).tickSizeOuter(0),
    );
    drawGrid(grid, box, yTicks, yScale);
    placeTitles(box);
    timeRule.place(box);

    // Shaded period (e.g. held out), from half a step before shadeFrom to the end.
    shade.replaceChildren();
    if (shadeFrom !== undefined && shadeFrom < n) {
      const half = n > 1 ? Math.abs(xScale(xAt(1)) - xScale(xAt(0))) / 2 : 0;
      const left = Math.max(margin.left, xScale(xAt(Math.max(0, shadeFrom))) - half);
      shade.append(svg("rect", { class: "chart-shade", x: left, y: margin.top, width: margin.left + plotWidth - left, height: plotHeight }));
      const text = labelToText(shadeLabel);
      const right = margin.left + plotWidth;
      const fits = right - left >= textWidth(text) + 8;
      const label = svg("text", { class: "chart-shade-label", x: fits ? left + 4 : right, y: margin.top - 5, "text-anchor": fits ? "start" : "end" });
      label.textContent = text;
      shade.append(label);
    }

    const line = d3
      .line<number | null>()
      .defined((v) => v !== null && Number.isFinite(v))
      .x((_, i) => xScale(xAt(i)))
      .y((v) => yScale(v as number));
    drawLines(lines, series, colorOf, (s) => line(s.values));

    legend.setEntries(series.map((s, i) => ({ name: s.name, color: colorOf(s, i), dash: s.dash })));
    showCursor(cursor.value);
  }

  function showCursor(t: number): void {
    const inside = t >= 0 && t < stepCount();
    legend.setTime(`${stepName(t)}:`);
    const valueAt = (s: LineSeries) => (inside ? s.values[t] : null);
    const dots = series.flatMap((s, i) => {
      const v = valueAt(s);
      return v !== null && v !== undefined && Number.isFinite(v) ? [{ y: yScale(v), color: colorOf(s, i) }] : [];
    });
    timeRule.show(inside ? xScale(xAt(t)) : null, dots);
    legend.setValues(
      series.map((s) => {
        const v = valueAt(s);
        return v === null || v === undefined ? "–" : formatNumber(v);
      }),
    );
  }

  function tickLabel(v: number): string {
    if (!xValues && timeLabel && Number.isInteger(v)) return timeLabel(v);
    return Number.isInteger(v) ? formatNumber(v) : xScale.tickFormat()(v);
  }

  timeRule.onPointerX((px) => {
    const n = stepCount();
    if (n > 0) cursor.set(d3.bisectCenter(d3.range(n).map(xAt), xScale.invert(px)));
  });
  stepWithArrowKeys(body, cursor);

  root.update = (next: LineSeries[]) => {
    series = next;
    render();
  };
  Object.defineProperty(root, "value", { get: () => cursor.value });

  render();
  cursor.subscribe(showCursor, { owner: root, invalidation });
  return root;
}

function colorOf(s: LineSeries, i: number): string {
  return s.color ?? PALETTE[i % PALETTE.length];
}
