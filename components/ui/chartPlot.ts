// What the time-series charts draw in and around their plot box: the left margin the y tick
// labels need, the two axes, horizontal grid lines, the (TeX) axis titles and the series' lines.
import * as d3 from "d3";
import { textWidth, xAxisTitle, yAxisTitle } from "./texLabel.js";

/** The plot's box inside a chart's SVG, in SVG units. */
export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The plot box of a chart `width` × `height` with these margins, at least 20 units wide and tall (so never negative, even in a container with no width yet). */
export function plotBox(width: number, height: number, margin: { top: number; right: number; bottom: number; left: number }): PlotBox {
  return {
    left: margin.left,
    top: margin.top,
    width: Math.max(20, width - margin.left - margin.right),
    height: Math.max(20, height - margin.top - margin.bottom),
  };
}

/** A left margin that fits the widest y tick label and the rotated y-axis title. */
export function leftMarginFor(ticks: number[], format: (v: number) => string): number {
  return Math.ceil(26 + (d3.max(ticks, (v) => textWidth(format(v))) ?? 20) + 8);
}

/** Draws `bottom` along the box's lower edge and `left` along its left edge. */
export function drawAxes(xAxis: SVGGElement, yAxis: SVGGElement, box: PlotBox, bottom: d3.Axis<d3.NumberValue>, left: d3.Axis<d3.NumberValue>): void {
  drawBottomAxis(xAxis, box, bottom);
  drawLeftAxis(yAxis, box, left);
}

/** Draws `axis` along the box's lower edge (the axis's domain may be numbers or categories). */
export function drawBottomAxis<Domain extends d3.AxisDomain>(group: SVGGElement, box: PlotBox, axis: d3.Axis<Domain>): void {
  d3.select(group).attr("transform", `translate(0,${box.top + box.height})`).call(axis);
}

export function drawLeftAxis(group: SVGGElement, box: PlotBox, axis: d3.Axis<d3.NumberValue>): void {
  d3.select(group).attr("transform", `translate(${box.left},0)`).call(axis);
}

/** A horizontal grid line across the box at each y tick. */
export function drawGrid(grid: SVGGElement, box: PlotBox, ticks: number[], y: (v: number) => number): void {
  d3.select(grid)
    .selectAll("line")
    .data(ticks)
    .join("line")
    .attr("x1", box.left)
    .attr("x2", box.left + box.width)
    .attr("y1", (v) => y(v))
    .attr("y2", (v) => y(v));
}

/**
 * Returns a function that places the axis titles around a box, the x title `xTitleGap` below
 * it; they are typeset (KaTeX) again only when the box moves.
 */
export function axisTitles(titles: SVGGElement, xLabel: string, yLabel: string, { xTitleGap = 34 }: { xTitleGap?: number } = {}): (box: PlotBox) => void {
  let placedFor = "";
  return (box) => {
    const key = `${box.left},${box.top},${box.width},${box.height}`;
    if (key === placedFor) return;
    placedFor = key;
    titles.replaceChildren(
      xAxisTitle(xLabel, { left: box.left, right: box.left + box.width, y: box.top + box.height + xTitleGap }),
      yAxisTitle(yLabel, { x: 10, top: box.top, bottom: box.top + box.height }),
    );
  };
}

/** One path per series in `group`: in its colour, 1.75 px wide, dashed where the series asks. */
export function drawLines<S extends { dash?: boolean }>(group: SVGGElement, series: S[], colorOf: (s: S, i: number) => string, pathOf: (s: S) => string | null): void {
  d3.select(group)
    .selectAll("path")
    .data(series)
    .join("path")
    .attr("stroke", (s, i) => colorOf(s, i))
    .attr("stroke-width", 1.75)
    .attr("stroke-dasharray", (s) => (s.dash ? "5 3" : null))
    .attr("d", (s) => pathOf(s));
}
