// Small DOM and SVG helpers shared by the charts of the autoregression pages (acfPlot,
// rootsPlot, triangleRegion, forecastChart, orderCurves, lagPlot). They build the same
// structure as lineChart.ts: a div.chart with a header (title and readout) and an SVG body,
// so the site's styles and the SVG/PNG download buttons apply unchanged.
import { setLabel } from "./texLabel.js";

export const SVG_NS = "http://www.w3.org/2000/svg";

export function div(className: string): HTMLDivElement {
  const node = document.createElement("div");
  node.className = className;
  return node;
}

export function span(className: string): HTMLSpanElement {
  const node = document.createElement("span");
  node.className = className;
  return node;
}

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  return node;
}

export function setAttrs(node: Element, attrs: Record<string, string | number | null>): void {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null) node.removeAttribute(key);
    else node.setAttribute(key, String(value));
  }
}

/** The frame every chart here uses: root div.chart, header (title, readout), body with an SVG. */
export interface ChartFrame {
  root: HTMLDivElement;
  header: HTMLDivElement;
  readout: HTMLDivElement;
  body: HTMLDivElement;
  chart: SVGSVGElement;
}

export function chartFrame(className: string, { width, height, title, ariaLabel }: { width: number; height: number; title?: string; ariaLabel: string }): ChartFrame {
  const root = div(`chart ${className}`);
  root.style.maxWidth = `${width}px`;
  const header = div("chart-header");
  if (title) {
    const titleNode = div("chart-title");
    setLabel(titleNode, title);
    header.append(titleNode);
  }
  const readout = div("chart-readout");
  header.append(readout);
  const body = div("chart-body");
  body.setAttribute("role", "img");
  body.setAttribute("aria-label", ariaLabel);
  const chart = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}` });
  body.append(chart);
  root.append(header, body);
  return { root, header, readout, body, chart };
}

/** A readout entry: optional swatch, a (TeX) name and a monospace value. */
export function readoutItem(name: string, value: string, swatch?: { color: string; dash?: boolean; dot?: boolean }): HTMLSpanElement {
  const item = span("chart-readout-item");
  if (swatch) {
    const mark = span(swatch.dot ? "chart-swatch" : "chart-legend-line");
    if (swatch.dot) mark.style.background = swatch.color;
    else mark.style.borderTopColor = swatch.color;
    if (swatch.dash) mark.classList.add("dashed");
    item.append(mark);
  }
  const label = span("chart-readout-name");
  setLabel(label, name);
  const number = span("chart-readout-value");
  number.textContent = value;
  item.append(label, number);
  return item;
}

/** A bold heading for a readout ("lag 3:"). */
export function readoutTime(text: string): HTMLSpanElement {
  const node = span("chart-readout-time");
  setLabel(node, text);
  return node;
}

/** The SVG user-space x of a pointer event over `element` (which may be scaled by CSS). */
export function pointerX(event: PointerEvent, element: SVGGraphicsElement, left: number): number {
  const box = element.getBoundingClientRect();
  const scale = Number(element.getAttribute("width")) / box.width;
  return left + (event.clientX - box.left) * scale;
}

/** The SVG user-space point of a pointer event over an svg element. */
export function pointerXY(event: PointerEvent, svgNode: SVGSVGElement): [number, number] {
  const box = svgNode.getBoundingClientRect();
  const viewBox = svgNode.viewBox.baseVal;
  const sx = viewBox && viewBox.width ? viewBox.width / box.width : 1;
  const sy = viewBox && viewBox.height ? viewBox.height / box.height : 1;
  return [(event.clientX - box.left) * sx, (event.clientY - box.top) * sy];
}

/**
 * Lays charts out side by side (or stacked when `columns` is false), each in its own cell so
 * that the download menu the site puts before every chart stays with its chart.
 */
export function sideBySide(children: HTMLElement[], { columns = true, gap = "0 1.5rem", template }: { columns?: boolean; gap?: string; template?: string } = {}): HTMLDivElement {
  const row = div("side-by-side");
  row.style.display = "grid";
  row.style.gridTemplateColumns = columns ? (template ?? `repeat(${children.length}, minmax(0, 1fr))`) : "minmax(0, 1fr)";
  row.style.gap = gap;
  row.style.alignItems = "start";
  for (const child of children) {
    const cell = div("side-by-side-cell");
    cell.append(child);
    row.append(cell);
  }
  return row;
}

/** Page controls (Inputs elements) in a compact grid of `columns` columns. */
export function controlPanel(inputs: HTMLElement[], { columns = 2 }: { columns?: number } = {}): HTMLDivElement {
  const panel = div("control-panel");
  panel.style.display = "grid";
  panel.style.gridTemplateColumns = `repeat(${columns}, minmax(0, 1fr))`;
  panel.style.gap = "0 1.5rem";
  panel.style.maxWidth = "760px";
  panel.append(...inputs);
  return panel;
}
