// A sequence of probability vectors (or any non-negative shares) as stacked areas over time,
// tied to the page's time cursor: at each step t the bands' heights are the entries of
// row t, stacked from the bottom in order. The legend above the plot is the readout: each
// band's value at the cursor is printed beside its name. Hovering or dragging moves the
// cursor; arrow keys step it. `node.update(matrix)` redraws in place.
import * as d3 from "d3";
import { axisTitles, drawAxes, leftMarginFor, plotBox } from "./chartPlot.js";
import { cursorLayer, stepWithArrowKeys } from "./chartCursor.js";
import { chartFrame, svg } from "./chartParts.js";
import { legendReadout } from "./chartReadout.js";
import { createTimeCursor, type TimeCursor } from "./timeCursor.js";
import { formatNumber } from "./format.js";
import { labelToText, textWidth } from "./texLabel.js";

export interface StackedAreaOptions {
  cursor?: TimeCursor;
  width?: number;
  height?: number;
  /** One name per band (column); may contain $TeX$. Default "1", "2", … */
  names?: string[];
  colors?: string[];
  xLabel?: string;
  yLabel?: string;
  /** How to name time step t in the readout. */
  timeLabel?: (t: number) => string;
  /** The y range; default [0, the largest column total]. */
  yDomain?: [number, number];
  title?: string;
  invalidation?: Promise<unknown>;
}

export interface StackedAreaElement extends HTMLDivElement {
  /** Replaces the data (rows = time steps, columns = bands) and redraws. */
  update(matrix: number[][]): void;
  readonly value: number;
}

export function StackedArea(
  matrix: number[][],
  {
    cursor: sharedCursor,
    width = 640,
    height = 200,
    names,
    colors = d3.schemeTableau10 as string[],
    xLabel = "time step $t$",
    yLabel = "share",
    timeLabel,
    yDomain,
    title,
    invalidation,
  }: StackedAreaOptions = {},
): StackedAreaElement {
  const cursor = sharedCursor ?? createTimeCursor({ min: 0, max: Math.max(0, matrix.length - 1) });
  const stepName = (t: number) => (timeLabel ? `${timeLabel(t)} (t = ${t})` : `t = ${t}`);
  const bandName = (k: number) => names?.[k] ?? String(k + 1);
  const colorOf = (k: number) => colors[k % colors.length]!;

  const ariaLabel = `${labelToText(title ?? "stacked areas")}: ${labelToText(yLabel)} against ${labelToText(xLabel)}; arrow keys move the time cursor`;
  const { root: frame, readout, body, chart } = chartFrame("stacked-area", { width, height, title, ariaLabel });
  const root = frame as StackedAreaElement;
  body.tabIndex = 0;
  const legend = legendReadout(readout);

  const bands = svg("g", { class: "stacked-area-bands" });
  const xAxis = svg("g", { class: "axis x-axis" });
  const yAxis = svg("g", { class: "axis y-axis" });
  const titles = svg("g");
  const timeRule = cursorLayer();
  chart.append(bands, xAxis, yAxis, titles, ...timeRule.nodes);
  const placeTitles = axisTitles(titles, xLabel, yLabel);

  const margin = { top: 8, right: 12, bottom: 44, left: 44 };
  let xScale = d3.scaleLinear();
  let yScale = d3.scaleLinear();
  let stacked: d3.Series<number[], number>[] = [];

  function render(): void {
    const T = matrix.length;
    const K = d3.max(matrix, (row) => row.length) ?? 0;
    const top = yDomain?.[1] ?? Math.max(1e-12, d3.max(matrix, (row) => d3.sum(row)) ?? 1);
    const plotHeight = height - margin.top - margin.bottom;
    yScale = d3.scaleLinear([yDomain?.[0] ?? 0, top], [margin.top + plotHeight, margin.top]);
    const yTicks = yScale.ticks(Math.max(2, Math.round(plotHeight / 40)));
    const yFormat = yScale.tickFormat(Math.max(2, Math.round(plotHeight / 40)));
    margin.left = leftMarginFor(yTicks, yFormat);
    margin.right = Math.ceil(Math.max(12, textWidth(String(Math.max(0, T - 1))) / 2 + 2));
    const box = plotBox(width, height, margin);
    const plotWidth = box.width;
    // Each step is a column of width 1 centred on t, so the first and last steps are as wide as the rest.
    xScale = d3.scaleLinear([-0.5, Math.max(0.5, T - 0.5)], [margin.left, margin.left + plotWidth]);

    drawAxes(
      xAxis,
      yAxis,
      box,
      d3.axisBottom(xScale).ticks(Math.max(2, Math.floor(plotWidth / 70))).tickFormat((v) => (Number.isInteger(Number(v)) ? (timeLabel ? timeLabel(Number(v)) : String(v)) : "")).tickSizeOuter(0),
      d3.axisLeft(yScale).tickValues(yTicks).tickFormat(yFormat).tickSizeOuter(0),
    );
    placeTitles(box);
    timeRule.place(box);

    stacked = d3.stack<number[], number>().keys(d3.range(K)).value((row, k) => row[k] ?? 0)(matrix);
    const area = d3
      .area<d3.SeriesPoint<number[]>>()
      .curve(d3.curveStepAfter)
      .x((_, i) => xScale(i - 0.5))
      .y0((p) => yScale(p[0]))
      .y1((p) => yScale(p[1]));
    // curveStepAfter needs a closing point to draw the last step's full width.
    const closed = (series: d3.Series<number[], number>) => {
      const points = Array.from(series);
      if (points.length > 0) points.push(points[points.length - 1]!);
      return points;
    };
    d3.select(bands)
      .selectAll("path")
      .data(stacked)
      .join("path")
      .attr("fill", (_, k) => colorOf(k))
      .attr("fill-opacity", 0.85)
      .attr("d", (series) => area(closed(series)));
    legend.setEntries(d3.range(K).map((k) => ({ name: bandName(k), color: colorOf(k), dot: true })));
    showCursor(cursor.value);
  }

  function showCursor(t: number): void {
    const inside = t >= 0 && t < matrix.length;
    legend.setTime(`${stepName(t)}:`);
    // A dot in the middle of each band.
    const dots = inside ? stacked.map((band, k) => ({ y: yScale((band[t]![0] + band[t]![1]) / 2), color: colorOf(k) })) : [];
    timeRule.show(inside ? xScale(t) : null, dots);
    const row = inside ? matrix[t]! : [];
    legend.setValues(row.map((v) => formatNumber(v)));
  }

  timeRule.onPointerX((px) => {
    if (matrix.length > 0) cursor.set(Math.round(xScale.invert(px)));
  });
  stepWithArrowKeys(body, cursor);

  root.update = (next: number[][]) => {
    matrix = next;
    render();
  };
  Object.defineProperty(root, "value", { get: () => cursor.value });
  render();
  cursor.subscribe(showCursor, { owner: root, invalidation });
  return root;
}
