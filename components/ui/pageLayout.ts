// Page layout helpers: charts side by side and a compact grid of controls.
import { div } from "./chartParts.js";

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
