// A live training-loss curve: push (step, loss) pairs as training runs.
//
// Redraws at most once per animation frame and stays cheap with many points: the path is
// decimated to the first, lowest, highest and last point of each pixel column. The latest
// value is always printed above the plot; hovering prints the nearest point instead.
import * as d3 from "d3";
import { chartBody, chartRoot, div, pointerX, setAttrs, svg } from "./chartParts.js";
import { readoutItem } from "./chartReadout.js";
import { axisTitles, drawAxes, drawGrid, leftMarginFor, plotBox } from "./chartPlot.js";
import { formatCount, formatNumber } from "./format.js";
import { labelToText, textWidth } from "./texLabel.js";

export interface LossPoint {
  readonly step: number;
  readonly loss: number;
}

export interface LossCurveOptions {
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  logScale?: boolean;
}

export interface LossCurveElement extends HTMLDivElement {
  /** Appends a point; the curve redraws on the next animation frame. */
  push(step: number, loss: number): void;
  clear(): void;
  readonly points: readonly LossPoint[];
}

const bisectStep = d3.bisector((p: LossPoint) => p.step);

export function LossCurve({ width = 640, height = 200, xLabel = "training step", yLabel = "loss", logScale = true }: LossCurveOptions = {}): LossCurveElement {
  const points: LossPoint[] = [];
  let lo = Infinity; // smallest loss that the scale can show
  let hi = -Infinity;
  let hoverIndex: number | null = null;
  let frame = 0;

  // Unlike the other charts, the readout stands on its own above the body, with no header.
  const root = chartRoot("loss-curve", width) as LossCurveElement;
  const readout = div("chart-readout");
  readout.setAttribute("aria-live", "off");
  const { body, chart } = chartBody({ width, height, ariaLabel: `${labelToText(yLabel)} against ${labelToText(xLabel)}` });
  root.append(readout, body);

  const grid = svg("g", { class: "grid" });
  const xAxis = svg("g", { class: "axis x-axis" });
  const yAxis = svg("g", { class: "axis y-axis" });
  const path = svg("path", { class: "loss-curve-line" });
  const titles = svg("g");
  const dot = svg("circle", { class: "chart-dot", r: 3.5, fill: "var(--unrolled-accent)" });
  const overlay = svg("rect", { class: "chart-overlay" });
  chart.append(grid, xAxis, yAxis, path, titles, dot, overlay);

  const margin = { top: 8, right: 16, bottom: 40, left: 40 };
  let xScale = d3.scaleLinear();
  let yScale: d3.ScaleContinuousNumeric<number, number> = logScale ? d3.scaleLog() : d3.scaleLinear();
  // The longest y-axis title that fits along the plot's height: a short chart drops "scale".
  const plotHeight = height - margin.top - margin.bottom;
  const yTitles = logScale ? [`${yLabel} (log scale)`, `${yLabel} (log)`, yLabel] : [yLabel];
  const yTitle = yTitles.find((title) => textWidth(labelToText(title)) <= plotHeight) ?? yLabel;
  const placeTitles = axisTitles(titles, xLabel, yTitle, { xTitleGap: 31 });

  const showable = (loss: number) => Number.isFinite(loss) && (!logScale || loss > 0);

  function draw(): void {
    frame = 0;
    const first = points[0]?.step ?? 0;
    const last = points[points.length - 1]?.step ?? 1;
    let [y0, y1] = lo <= hi ? [lo, hi] : logScale ? [0.1, 1] : [0, 1];
    if (y0 === y1) [y0, y1] = logScale ? [y0 / 2, y1 * 2] : [y0 - 1, y1 + 1];
    const range = [margin.top + plotHeight, margin.top];
    // A log scale is padded by 5% of its decades rather than niced, which could waste most of a decade.
    const pad = (Math.log10(y1) - Math.log10(y0)) * 0.05 || 0.05;
    yScale = logScale ? d3.scaleLog([y0 / 10 ** pad, y1 * 10 ** pad], range) : d3.scaleLinear([y0, y1], range).nice();
    const yTickCount = Math.max(2, Math.round(plotHeight / 36));
    const yTicks = logScale ? logTicks(yScale, yTickCount) : yScale.ticks(yTickCount);
    const yFormat = logScale ? d3.format("~g") : yScale.tickFormat(yTickCount);
    margin.left = leftMarginFor(yTicks, yFormat);
    margin.right = Math.ceil(Math.max(16, textWidth(formatCount(last)) / 2 + 2));
    // Never negative: a cell may first render while its container still has no width.
    const box = plotBox(width, height, margin);
    const plotWidth = box.width;
    xScale = d3.scaleLinear([first, Math.max(last, first + 1)], [margin.left, margin.left + plotWidth]);

    drawAxes(
      xAxis,
      yAxis,
      box,
      d3.axisBottom(xScale).tickValues(xScale.ticks(Math.max(2, Math.floor(plotWidth / 80))).filter(Number.isInteger)).tickFormat((v) => formatCount(Number(v))).tickSizeOuter(0),
      d3.axisLeft(yScale).tickValues(yTicks).tickFormat((v) => yFormat(Number(v))).tickSizeOuter(0),
    );
    drawGrid(grid, box, yTicks, yScale);
    placeTitles(box);
    setAttrs(overlay, { x: margin.left, y: margin.top, width: plotWidth, height: plotHeight });
    path.setAttribute("d", decimatedPath());
    showReadout();
  }

  /** An SVG path through at most four points per pixel column: first, extremes in order, last. */
  function decimatedPath(): string {
    const parts: string[] = [];
    let connected = false; // false after a gap (a NaN or non-positive loss) or at the start
    let column = NaN;
    let ys: number[] = []; // [first, min, max, last] of the current column
    let minAt = 0;
    let maxAt = 0;
    let count = 0;
    const flush = () => {
      if (Number.isNaN(column)) return;
      const [first, min, max, last] = ys;
      const middle = minAt <= maxAt ? [min, max] : [max, min];
      let previous = NaN;
      for (const y of [first, ...middle, last]) {
        if (y === previous) continue;
        parts.push(`${connected ? "L" : "M"}${column},${y}`);
        connected = true;
        previous = y;
      }
      column = NaN;
    };
    for (const { step, loss } of points) {
      if (!showable(loss)) {
        flush();
        connected = false;
        continue;
      }
      const px = Math.round(xScale(step));
      const py = Math.round(yScale(loss) * 10) / 10;
      if (px !== column) {
        flush();
        column = px;
        ys = [py, py, py, py];
        minAt = maxAt = count = 0;
        continue;
      }
      count++;
      if (py < ys[1]) (ys[1] = py), (minAt = count);
      if (py > ys[2]) (ys[2] = py), (maxAt = count);
      ys[3] = py;
    }
    flush();
    return parts.join("");
  }

  function showReadout(): void {
    const point = hoverIndex === null ? points[points.length - 1] : points[hoverIndex];
    if (!point) {
      readout.replaceChildren(readoutItem(`${yLabel}:`, "no steps yet"));
      dot.style.display = "none";
      return;
    }
    readout.replaceChildren(readoutItem(`${hoverIndex === null ? "latest" : "at"} step ${formatCount(point.step)}, ${yLabel}:`, formatNumber(point.loss, 5)));
    const visible = showable(point.loss);
    dot.style.display = visible ? "" : "none";
    if (visible) setAttrs(dot, { cx: xScale(point.step), cy: yScale(point.loss) });
  }

  function schedule(): void {
    if (frame) return;
    frame = requestAnimationFrame(draw);
  }

  overlay.addEventListener("pointermove", (event) => {
    if (points.length === 0) return;
    hoverIndex = bisectStep.center(points, xScale.invert(pointerX(event, overlay, margin.left)));
    showReadout();
  });
  overlay.addEventListener("pointerleave", () => {
    hoverIndex = null;
    showReadout();
  });

  root.push = (step: number, loss: number) => {
    points.push(Object.freeze({ step, loss }));
    if (showable(loss)) (lo = Math.min(lo, loss)), (hi = Math.max(hi, loss));
    schedule();
  };
  root.clear = () => {
    points.length = 0;
    lo = Infinity;
    hi = -Infinity;
    hoverIndex = null;
    schedule();
  };
  Object.defineProperty(root, "points", { get: (): readonly LossPoint[] => points });

  draw();
  return root;
}

/** Log-scale ticks that never crowd: powers of ten if at least two are in view, else 1-2-5 steps. */
function logTicks(scale: d3.ScaleContinuousNumeric<number, number>, count: number): number[] {
  const candidates = scale.ticks(count * 3);
  const mantissa = (v: number) => Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9));
  const powers = candidates.filter((v) => mantissa(v) === 1);
  const nice = candidates.filter((v) => [1, 2, 5].includes(mantissa(v)));
  const chosen = powers.length >= 2 ? powers : nice.length >= 2 ? nice : candidates;
  const stride = Math.ceil(chosen.length / count);
  return chosen.filter((_, i) => i % stride === 0);
}
