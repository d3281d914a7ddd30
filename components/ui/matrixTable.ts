// A labelled matrix of numbers as an HTML table: a name for every row and every column, the
// exact numbers in the cells, and (optionally) each cell shaded by its value, so that the
// table reads as a heatmap too. Used for parameter matrices (an emission matrix with one row
// per symbol and one column per state) and for tables of compared quantities. It is a
// `value-table`, so the page gives it a CSV download. Long tables scroll inside `maxHeight`
// with the header row kept in view. `node.update({values, …})` rewrites it in place.
import * as d3 from "d3";
import { formatNumber } from "./format.js";
import { setLabel } from "./texLabel.js";

export interface MatrixTableData {
  /** values[i][j]: row i, column j. */
  values: number[][];
  /** Row names (may contain $TeX$); default 0, 1, … */
  rowLabels?: string[];
  /** Column names (may contain $TeX$); default 0, 1, … */
  columnLabels?: string[];
  /** Rows to mark (bold, tinted), e.g. the row with the largest difference. */
  highlightRows?: number[];
  caption?: string;
}

export interface MatrixTableOptions extends MatrixTableData {
  /** The heading of the row-label column. */
  corner?: string;
  /** Shade cells by value: all cells on one scale, each column on its own, or none (default). */
  shade?: "all" | "columns" | "none";
  /** The value that gets the darkest shade (default: the largest value in scope). */
  shadeMax?: number;
  /** How to print a value (default formatNumber with `digits`). */
  format?: (value: number, row: number, column: number) => string;
  digits?: number;
  /** Scroll vertically beyond this height in pixels. */
  maxHeight?: number;
  /** data-testid on the table. */
  testid?: string;
}

export interface MatrixTableElement extends HTMLTableElement {
  update(data: MatrixTableData): void;
}

export function MatrixTable(options: MatrixTableOptions): MatrixTableElement {
  const { corner = "", shade = "none", shadeMax, digits = 4, maxHeight, testid } = options;
  const format = options.format ?? ((v: number) => formatNumber(v, digits));
  let data: MatrixTableData = options;

  const table = document.createElement("table") as MatrixTableElement;
  table.className = "value-table matrix-table";
  if (testid) table.dataset.testid = testid;
  if (maxHeight) Object.assign(table.style, { maxHeight: `${maxHeight}px`, overflowY: "auto" });
  const caption = table.createCaption();
  const head = table.createTHead();
  const body = table.createTBody();
  let shape = "";
  let cells: HTMLTableCellElement[][] = [];
  let rowHeaders: HTMLTableCellElement[] = [];

  function rebuild(rows: number, columns: number): void {
    head.replaceChildren();
    body.replaceChildren();
    const headerRow = head.insertRow();
    const cornerCell = document.createElement("th");
    cornerCell.scope = "col";
    setLabel(cornerCell, corner);
    headerRow.append(cornerCell);
    for (let j = 0; j < columns; j++) {
      const th = document.createElement("th");
      th.scope = "col";
      setLabel(th, data.columnLabels?.[j] ?? String(j));
      headerRow.append(th);
    }
    for (const th of Array.from(headerRow.cells)) Object.assign(th.style, { position: "sticky", top: "0", background: "var(--theme-background)", zIndex: "1", textAlign: th === cornerCell ? "left" : "right" });
    rowHeaders = [];
    cells = Array.from({ length: rows }, (_, i) => {
      const tr = body.insertRow();
      const th = document.createElement("th");
      th.scope = "row";
      setLabel(th, data.rowLabels?.[i] ?? String(i));
      tr.append(th);
      rowHeaders.push(th);
      return Array.from({ length: columns }, () => tr.insertCell());
    });
  }

  function render(): void {
    const values = data.values;
    const rows = values.length;
    const columns = d3.max(values, (r) => r.length) ?? 0;
    const key = `${rows}×${columns}|${data.rowLabels?.join("\u0000") ?? ""}|${data.columnLabels?.join("\u0000") ?? ""}`;
    if (key !== shape) {
      shape = key;
      rebuild(rows, columns);
    }
    if (data.caption !== undefined) setLabel(caption, data.caption);
    caption.hidden = !data.caption;
    const allMax = shadeMax ?? (d3.max(values, (r) => d3.max(r, (v) => (Number.isFinite(v) ? Math.abs(v) : 0))) ?? 1);
    const columnMax = d3.range(columns).map((j) => shadeMax ?? (d3.max(values, (r) => (Number.isFinite(r[j]!) ? Math.abs(r[j]!) : 0)) ?? 1));
    const highlighted = new Set(data.highlightRows ?? []);
    values.forEach((row, i) => {
      const marked = highlighted.has(i);
      rowHeaders[i]!.style.fontWeight = marked ? "600" : "";
      row.forEach((v, j) => {
        const cell = cells[i]![j]!;
        cell.textContent = format(v, i, j);
        const top = shade === "all" ? allMax : columnMax[j]!;
        if (shade !== "none" && top > 0 && Number.isFinite(v)) {
          const u = Math.min(1, Math.abs(v) / top);
          cell.style.background = d3.interpolateBlues(0.05 + 0.75 * u);
          cell.style.color = u > 0.6 ? "#fff" : "";
        } else {
          cell.style.background = marked ? "rgba(255, 196, 0, 0.25)" : "";
          cell.style.color = "";
        }
        cell.style.fontWeight = marked ? "600" : "";
      });
    });
  }

  table.update = (next: MatrixTableData) => {
    data = { ...data, ...next };
    render();
  };
  render();
  return table;
}
