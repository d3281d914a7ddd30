// Small DOM and SVG helpers shared by the site's charts: element makers, the frame (a
// div.chart with a header holding the title and readout, and an SVG body, so the site's styles
// and the SVG/PNG download buttons apply unchanged), the tooltip, and pointer positions in SVG
// units. Readout items and legends are in chartReadout.ts, axes and lines in chartPlot.ts, the
// time cursor in chartCursor.ts, and page layout helpers in pageLayout.ts.
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
export interface ChartFrame extends ChartBody {
  root: HTMLDivElement;
  header: HTMLDivElement;
  readout: HTMLDivElement;
}

export function chartFrame(className: string, { width, height, title, ariaLabel }: { width: number; height: number; title?: string; ariaLabel: string }): ChartFrame {
  const root = chartRoot(className, width);
  const header = div("chart-header");
  if (title) {
    const titleNode = div("chart-title");
    setLabel(titleNode, title);
    header.append(titleNode);
  }
  const readout = div("chart-readout");
  header.append(readout);
  const { body, chart } = chartBody({ width, height, ariaLabel });
  root.append(header, body);
  return { root, header, readout, body, chart };
}

/** The root div.chart of a chart, no wider than `width`. */
export function chartRoot(className: string, width: number): HTMLDivElement {
  const root = div(`chart ${className}`);
  root.style.maxWidth = `${width}px`;
  return root;
}

/** A chart's body: a div.chart-body described by `ariaLabel`, holding an SVG of the given size. */
export interface ChartBody {
  body: HTMLDivElement;
  chart: SVGSVGElement;
}

export function chartBody({ width, height, ariaLabel }: { width: number; height: number; ariaLabel: string }): ChartBody {
  const body = div("chart-body");
  body.setAttribute("role", "img");
  body.setAttribute("aria-label", ariaLabel);
  const chart = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}` });
  body.append(chart);
  return { body, chart };
}

/** The hidden div.chart-tooltip a chart shows beside the pointer. */
export function chartTooltip(): HTMLDivElement {
  const tooltip = div("chart-tooltip");
  tooltip.hidden = true;
  return tooltip;
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
