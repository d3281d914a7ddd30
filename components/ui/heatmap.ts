// A units × time heatmap of a sequence of vectors (hidden states, gates, …).
//
// Time runs left to right, one column per step; each row is a unit. Cells are drawn on a
// canvas (one pixel per cell, scaled up), axes, legend and the cursor marker in SVG. Hovering
// a cell shows its exact value and moves the page's time cursor; dragging scrubs. A readout
// under the chart lists the column at the cursor. `node.update(matrix)` redraws in place.
import * as d3 from "d3";
import { chartRoot, chartTooltip, div, setAttrs, svg } from "./chartParts.js";
import { legendReadout } from "./chartReadout.js";
import { axisTitles, drawBottomAxis } from "./chartPlot.js";
import { followPointer, stepWithArrowKeys } from "./chartCursor.js";
import { createTimeCursor, type TimeCursor } from "./timeCursor.js";
import { formatNumber, integerTicks, legendTicks } from "./format.js";
import { colorDomain, colorScale, MISSING_GREY, type ColorScale } from "./heatmapColors.js";
import { labelToText, setLabel, textWidth } from "./texLabel.js";

export interface HeatmapOptions {
  cursor?: TimeCursor;
  width?: number;
  cellHeight?: number;
  rowLabel?: (j: number) => string;
  timeLabel?: (t: number) => string;
  xLabel?: string;
  yLabel?: string;
  colorLabel?: string;
  /** Colour domain; by default symmetric around 0 from the data (or [0, max] if nothing is negative). */
  domain?: [number, number];
  title?: string;
  /** Show the column at the cursor under the chart (default: when a cursor is given). */
  readout?: boolean;
  /** Draw matrix[i][j] with i as the row and j as the column (for a weight matrix, say). */
  transpose?: boolean;
  invalidation?: Promise<unknown>;
}

export interface HeatmapElement extends HTMLDivElement {
  /** Replaces the data (rows = time steps, columns = units) and redraws without rebuilding. */
  update(matrix: number[][]): void;
  /** The time step under the cursor. */
  readonly value: number;
}

const LEGEND_WIDTH = 200;
let nextId = 0;

export function Heatmap(
  matrix: number[][],
  {
    cursor: sharedCursor,
    width: requestedWidth = 640,
    cellHeight = 14,
    rowLabel = (j) => `unit ${j + 1}`,
    timeLabel,
    xLabel = "time step $t$",
    yLabel = "hidden unit",
    colorLabel = "value",
    domain: fixedDomain,
    title,
    readout = sharedCursor !== undefined,
    transpose = false,
    invalidation,
  }: HeatmapOptions = {},
): HeatmapElement {
  // Framework's `width` can briefly be 0 while the page lays out; below ~200 px the axes do not fit.
  const width = Math.max(200, requestedWidth);
  const cursor = sharedCursor ?? createTimeCursor({ min: 0, max: 1e9 });
  // With a shared cursor the columns are time steps; name the step in readouts as such.
  const columnName = (t: number) => (timeLabel ? (sharedCursor ? `${timeLabel(t)} (t = ${t})` : timeLabel(t)) : `t = ${t}`);
  const id = `heatmap-${++nextId}`;
  const stepText = (t: number) => (timeLabel ? timeLabel(t) : String(t));

  const root = chartRoot("heatmap", width) as HeatmapElement;

  const header = div("chart-header");
  const titleNode = div("chart-title");
  if (title) setLabel(titleNode, title);
  const legend = div("chart-color-legend");
  const legendLabel = div("chart-color-legend-label");
  setLabel(legendLabel, colorLabel);
  const legendSvg = svg("svg", { width: LEGEND_WIDTH + 16, height: 30 });
  legend.append(legendLabel, legendSvg);
  header.append(titleNode, legend);

  const body = div("chart-body");
  body.tabIndex = 0;
  body.setAttribute("role", "img");
  body.setAttribute("aria-label", `${labelToText(title ?? "heatmap")}: ${labelToText(yLabel)} by ${labelToText(xLabel)}; arrow keys move the time cursor`);
  const canvas = document.createElement("canvas");
  canvas.className = "heatmap-cells";
  const chart = svg("svg");
  const tooltip = chartTooltip();
  body.append(canvas, chart, tooltip);

  // The readout of the column at the cursor stands under the chart.
  const readoutNode = div("chart-readout");
  const columnReadout = legendReadout(readoutNode);
  root.append(header, body);
  if (readout) root.append(readoutNode);

  // SVG layers, back to front.
  const xAxis = svg("g", { class: "axis x-axis" });
  const yAxis = svg("g", { class: "axis y-axis" });
  const titles = svg("g");
  const marker = svg("g", { class: "heatmap-cursor", "pointer-events": "none" });
  const markerOuter = svg("rect", { class: "heatmap-cursor-outer" });
  const markerInner = svg("rect", { class: "heatmap-cursor-inner" });
  marker.append(markerOuter, markerInner);
  const hoverCell = svg("rect", { class: "heatmap-hover", "pointer-events": "none" });
  const overlay = svg("rect", { class: "chart-overlay" });
  chart.append(xAxis, yAxis, titles, marker, hoverCell, overlay);

  // Layout, recomputed when the shape of the data changes.
  let steps = -1;
  let units = -1;
  let plotWidth = 0;
  let cellWidth = 0;
  const margin = { top: 6, right: 8, bottom: 44, left: 0 };
  let image: ImageData | null = null;
  let scale: ColorScale = colorScale([-1, 1]);
  let hovered: { t: number; j: number; clientX: number; clientY: number } | null = null;
  let legendKey = "";
  const placeTitles = axisTitles(titles, xLabel, yLabel);

  function layout(): void {
    const plotHeight = units * cellHeight;
    const labelStride = Math.max(1, Math.ceil(13 / cellHeight));
    const labelledRows = d3.range(0, units, labelStride);
    const rowLabelWidth = d3.max(labelledRows, (j) => textWidth(labelToText(rowLabel(j)))) ?? 0;
    margin.left = Math.ceil(24 + rowLabelWidth + 8);
    const lastTickWidth = textWidth(stepText(Math.max(0, steps - 1)));
    margin.right = Math.ceil(Math.max(8, lastTickWidth / 2 + 2));
    plotWidth = Math.max(40, width - margin.left - margin.right);
    cellWidth = plotWidth / Math.max(1, steps);
    const yTitleLength = textWidth(labelToText(yLabel)) + 8;
    margin.top = Math.ceil(Math.max(6, (yTitleLength - plotHeight) / 2));
    const bottomOverflow = Math.max(0, (yTitleLength - plotHeight) / 2 - 40);
    const height = margin.top + plotHeight + margin.bottom + bottomOverflow;

    chart.setAttribute("width", String(width));
    chart.setAttribute("height", String(height));
    chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
    body.style.height = `${height}px`;
    canvas.width = Math.max(1, steps);
    canvas.height = Math.max(1, units);
    Object.assign(canvas.style, { left: `${margin.left}px`, top: `${margin.top}px`, width: `${plotWidth}px`, height: `${plotHeight}px` });
    image = steps > 0 && units > 0 ? new ImageData(steps, units) : null;
    setAttrs(overlay, { x: margin.left, y: margin.top, width: plotWidth, height: plotHeight });

    const box = { left: margin.left, top: margin.top, width: plotWidth, height: plotHeight };
    // x axis: time steps, labelled at a stride that keeps the labels apart.
    const widest = d3.max(integerTicks(steps, 1, 1).filter((_, i, all) => i % Math.ceil(all.length / 20) === 0 || i === all.length - 1), (t) => textWidth(stepText(t))) ?? 10;
    const x = d3.scaleLinear([-0.5, steps - 0.5], [margin.left, margin.left + plotWidth]);
    drawBottomAxis(xAxis, box, d3.axisBottom(x).tickValues(integerTicks(steps, cellWidth, widest + 14)).tickFormat((t) => stepText(Number(t))).tickSizeOuter(0));

    // y axis: one tick per labelled unit.
    d3.select(yAxis)
      .attr("transform", `translate(${margin.left},0)`)
      .selectAll<SVGGElement, number>("g.tick")
      .data(labelledRows)
      .join((enter) => {
        const g = enter.append("g").attr("class", "tick");
        g.append("line").attr("x2", -4).attr("stroke", "currentColor");
        g.append("text").attr("x", -6).attr("dy", "0.32em").attr("text-anchor", "end");
        return g;
      })
      .attr("transform", (j) => `translate(0,${margin.top + (j + 0.5) * cellHeight})`)
      .select("text")
      .text((j) => labelToText(rowLabel(j)));

    placeTitles(box);
    setAttrs(markerOuter, { y: margin.top - 3, height: plotHeight + 6 });
    setAttrs(markerInner, { y: margin.top - 1.5, height: plotHeight + 3 });
  }

  function computeDomain(): void {
    const domain = colorDomain(matrix, fixedDomain);
    const key = domain.join(",");
    if (key === legendKey) return;
    legendKey = key;
    scale = colorScale(domain);
    drawLegend();
  }

  function drawLegend(): void {
    const { domain, interpolate } = scale;
    const gradientId = `${id}-gradient`;
    const stops = d3.range(17).map((i) => `<stop offset="${i / 16}" stop-color="${interpolate(i / 16)}"/>`).join("");
    legendSvg.innerHTML = `<defs><linearGradient id="${gradientId}">${stops}</linearGradient></defs><rect x="8" y="0" width="${LEGEND_WIDTH}" height="10" fill="url(#${gradientId})"/>`;
    const position = d3.scaleLinear(domain, [8, 8 + LEGEND_WIDTH]);
    const axis = svg("g", { class: "axis", transform: "translate(0,10)" });
    const ticks = legendTicks(domain, LEGEND_WIDTH, (label) => textWidth(label));
    d3.select(axis).call(d3.axisBottom(position).tickValues(ticks.values).tickFormat((_, i) => ticks.labels[i]!).tickSize(4).tickSizeOuter(0));
    legendSvg.append(axis);
  }

  function drawCells(): void {
    if (!image) return;
    const data = image.data;
    for (let t = 0; t < steps; t++) {
      const row = matrix[t];
      for (let j = 0; j < units; j++) {
        const v = row[j];
        const offset = (j * steps + t) * 4;
        if (Number.isFinite(v)) {
          const c = scale.level(v) * 3;
          data[offset] = scale.rgb[c];
          data[offset + 1] = scale.rgb[c + 1];
          data[offset + 2] = scale.rgb[c + 2];
          data[offset + 3] = 255;
        } else {
          data[offset] = data[offset + 1] = data[offset + 2] = MISSING_GREY;
          data[offset + 3] = 255;
        }
      }
    }
    canvas.getContext("2d")?.putImageData(image, 0, 0);
  }

  function showCursor(t: number): void {
    const inside = t >= 0 && t < steps;
    // A private cursor (no shared time axis) is only shown while the pointer is on the chart.
    marker.style.display = inside && (sharedCursor || hovered) ? "" : "none";
    if (inside) {
      const w = Math.max(cellWidth, 4);
      const x = margin.left + (t + 0.5) * cellWidth - w / 2;
      setAttrs(markerOuter, { x: x - 1.5, width: w + 3 });
      setAttrs(markerInner, { x, width: w });
    }
    if (readout) showReadout(t, inside);
  }

  function showReadout(t: number, inside: boolean): void {
    const row = inside ? matrix[t] : undefined;
    const values = d3.range(units).map((j) => row?.[j]);
    columnReadout.setTime(`${columnName(t)}:`);
    columnReadout.setEntries(values.map((v, j) => ({ name: rowLabel(j), color: v === undefined ? "transparent" : scale.colorOf(v), dot: true })));
    columnReadout.setValues(values.map((v) => (v === undefined ? "–" : formatNumber(v))));
  }

  function showHover(): void {
    if (!hovered || hovered.t >= steps || hovered.j >= units) {
      tooltip.hidden = true;
      hoverCell.style.display = "none";
      return;
    }
    const { t, j } = hovered;
    const v = matrix[t]?.[j];
    tooltip.hidden = false;
    tooltip.replaceChildren(line("chart-tooltip-time", columnName(t)), line("", rowLabel(j)), line("chart-tooltip-value", formatNumber(v ?? NaN, 6)));
    const box = body.getBoundingClientRect();
    const px = hovered.clientX - box.left;
    const py = hovered.clientY - box.top;
    const flip = px + 16 + tooltip.offsetWidth > box.width;
    tooltip.style.left = `${flip ? px - 12 - tooltip.offsetWidth : px + 14}px`;
    tooltip.style.top = `${Math.max(0, py - tooltip.offsetHeight - 8)}px`;
    hoverCell.style.display = "";
    setAttrs(hoverCell, { x: margin.left + t * cellWidth, y: margin.top + j * cellHeight, width: cellWidth, height: cellHeight });
  }

  function pointAt(event: PointerEvent): void {
    const box = overlay.getBoundingClientRect();
    const t = clampIndex(Math.floor(((event.clientX - box.left) / box.width) * steps), steps);
    const j = clampIndex(Math.floor(((event.clientY - box.top) / box.height) * units), units);
    hovered = { t, j, clientX: event.clientX, clientY: event.clientY };
    cursor.set(t);
    showHover();
  }

  followPointer(overlay, pointAt);
  const leave = (event: PointerEvent) => {
    if (overlay.hasPointerCapture(event.pointerId)) return;
    hovered = null;
    showHover();
    showCursor(cursor.value);
  };
  overlay.addEventListener("pointerleave", leave);
  overlay.addEventListener("lostpointercapture", leave);
  stepWithArrowKeys(body, cursor);

  root.update = (next: number[][]) => {
    matrix = transpose ? transposed(next) : next;
    const nextUnits = d3.max(matrix, (row) => row.length) ?? 0;
    if (matrix.length !== steps || nextUnits !== units) {
      steps = matrix.length;
      units = nextUnits;
      layout();
    }
    computeDomain();
    drawCells();
    showCursor(cursor.value);
    showHover();
  };
  Object.defineProperty(root, "value", { get: () => cursor.value });

  root.update(matrix);
  cursor.subscribe(showCursor, { owner: root, invalidation });
  return root;
}

function transposed(m: number[][]): number[][] {
  const columns = d3.max(m, (row) => row.length) ?? 0;
  return d3.range(columns).map((j) => m.map((row) => row[j]));
}

function clampIndex(i: number, n: number): number {
  return Math.min(n - 1, Math.max(0, i));
}

/** A line of the tooltip; its label may contain $TeX$. */
function line(className: string, label: string): HTMLDivElement {
  const node = div(className);
  setLabel(node, label);
  return node;
}
