// Small DOM and SVG helpers shared by the site's charts: the frame (a div.chart with a header
// holding the title and readout, and an SVG body, so the site's styles and the SVG/PNG
// download buttons apply unchanged), the tooltip, and the readout's items and legends. Axes
// and lines are in chartPlot.ts, the time cursor's rule and pointer handling in chartCursor.ts.
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

/** A readout swatch: a short line (dashed or not), or with `dot` a filled square. */
export interface Swatch {
  color: string;
  dash?: boolean;
  dot?: boolean;
}

function swatchNode(dot = false): HTMLSpanElement {
  return span(dot ? "chart-swatch" : "chart-legend-line");
}

function paintSwatch(mark: HTMLElement, { color, dash = false, dot = false }: Swatch): void {
  if (dot) mark.style.background = color;
  else mark.style.borderTopColor = color;
  mark.classList.toggle("dashed", dash);
}

/** A readout entry: optional swatch, a (TeX) name and a monospace value. */
export function readoutItem(name: string, value: string, swatch?: Swatch): HTMLSpanElement {
  const item = span("chart-readout-item");
  if (swatch) {
    const mark = swatchNode(swatch.dot);
    paintSwatch(mark, swatch);
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

export interface LegendEntry extends Swatch {
  /** May contain $TeX$. */
  name: string;
}

/** A legend that doubles as the readout: a heading ("t = 3:") and each series' value beside its name. */
export interface LegendReadout {
  setTime(text: string): void;
  /** One item per entry, reusing the items already there when their number is unchanged. */
  setEntries(entries: LegendEntry[]): void;
  /** The items' values, in order; an item without one reads "–". */
  setValues(values: string[]): void;
}

export function legendReadout(readout: HTMLElement): LegendReadout {
  const time = span("chart-readout-time");
  const items = span("chart-readout-items");
  readout.append(time, items);
  return {
    setTime(text) {
      time.textContent = text;
    },
    setEntries(entries) {
      if (items.childElementCount !== entries.length) {
        items.replaceChildren(
          ...entries.map((entry) => {
            const item = span("chart-readout-item");
            item.append(swatchNode(entry.dot), span("chart-readout-name"), span("chart-readout-value"));
            return item;
          }),
        );
      }
      entries.forEach((entry, i) => {
        const [mark, name] = items.children[i]!.children as unknown as HTMLElement[];
        paintSwatch(mark!, entry);
        setLabel(name!, entry.name);
      });
    },
    setValues(values) {
      Array.from(items.children).forEach((item, i) => {
        const cell = item.children[2];
        if (cell) cell.textContent = values[i] ?? "–";
      });
    },
  };
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
