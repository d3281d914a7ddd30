// Estimates side by side: one column group per model (or per regressor), each with the estimate
// and, where there is one, its standard error; one row per parameter. A cell without a value
// (a standard error a method does not give, a row that does not apply) shows "–". The table is
// a value-table, so the page gives it a CSV download. `node.update(data)` redraws it.
import { formatNumber } from "./format.js";
import { setLabel } from "./texLabel.js";

export interface CoefficientColumn {
  /** Heading; may contain $TeX$. */
  label: string;
  /** Show a standard-error column next to the estimate (default true). */
  withSe?: boolean;
  /** Colour of a small swatch before the heading. */
  color?: string;
}

export interface CoefficientRow {
  /** Parameter name; may contain $TeX$. */
  label: string;
  /** One estimate per column (null: not applicable). */
  values: (number | null | string)[];
  /** One standard error per column (null: none). */
  se?: (number | null)[];
}

export interface CoefficientTableData {
  columns: CoefficientColumn[];
  rows: CoefficientRow[];
}

export interface CoefficientTableOptions {
  caption?: string;
  digits?: number;
  /** Heading of the estimate sub-columns (default "estimate"). */
  estimateLabel?: string;
  testId?: string;
}

export interface CoefficientTableElement extends HTMLTableElement {
  update(data: CoefficientTableData): void;
}

export function CoefficientTable(data: CoefficientTableData, { caption, digits = 4, estimateLabel = "estimate", testId }: CoefficientTableOptions = {}): CoefficientTableElement {
  const table = document.createElement("table") as CoefficientTableElement;
  table.className = "value-table coefficient-table";
  if (testId) table.dataset.testid = testId;

  function render(): void {
    table.replaceChildren();
    if (caption) {
      const c = table.createCaption();
      setLabel(c, caption);
    }
    const head = table.createTHead();
    const top = head.insertRow();
    top.append(document.createElement("th"));
    const anySe = data.columns.some((c) => c.withSe !== false);
    const sub = anySe ? head.insertRow() : null;
    sub?.append(document.createElement("th"));
    for (const column of data.columns) {
      const th = document.createElement("th");
      th.scope = "colgroup";
      th.style.textAlign = "center";
      const withSe = column.withSe !== false;
      if (withSe) th.colSpan = 2;
      if (column.color) {
        const swatch = document.createElement("span");
        swatch.className = "chart-swatch";
        swatch.style.background = column.color;
        swatch.style.marginRight = "0.3em";
        th.append(swatch);
      }
      const label = document.createElement("span");
      setLabel(label, column.label);
      th.append(label);
      top.append(th);
      if (sub) {
        const est = document.createElement("th");
        est.scope = "col";
        est.textContent = estimateLabel;
        est.className = "coefficient-sub";
        sub.append(est);
        if (withSe) {
          const se = document.createElement("th");
          se.scope = "col";
          se.textContent = "s.e.";
          se.className = "coefficient-sub";
          sub.append(se);
        }
      }
    }
    for (const th of Array.from(table.querySelectorAll<HTMLElement>("th.coefficient-sub"))) {
      th.style.fontWeight = "normal";
      th.style.color = "var(--theme-foreground-muted)";
      th.style.textAlign = "right";
    }
    const body = table.createTBody();
    for (const row of data.rows) {
      const tr = body.insertRow();
      const th = document.createElement("th");
      th.scope = "row";
      setLabel(th, row.label);
      tr.append(th);
      data.columns.forEach((column, j) => {
        const v = row.values[j];
        const td = tr.insertCell();
        td.textContent = v === null || v === undefined ? "–" : typeof v === "string" ? v : formatNumber(v, digits);
        if (column.withSe !== false) {
          const se = row.se?.[j];
          const cell = tr.insertCell();
          cell.textContent = se === null || se === undefined || !Number.isFinite(se) ? "–" : formatNumber(se, digits);
          cell.style.color = "var(--theme-foreground-muted)";
        }
      });
    }
  }

  table.update = (next: CoefficientTableData) => {
    data = next;
    render();
  };
  render();
  return table;
}
