// The exact numbers behind the charts: one row per named quantity (a scalar or a vector) at
// the current time step.
//
// Rows are usually recomputed by the page for `cursor.value` and passed to `node.update(rows)`;
// a row may instead give `values` as a function of t, which the table re-evaluates itself
// whenever the cursor moves. Updating rows of the same shape only rewrites the numbers.
import { formatNumber } from "./format.js";
import { setLabel } from "./texLabel.js";
import type { TimeCursor } from "./timeCursor.js";

export type RowValues = number[] | number;

export interface ValueTableRow {
  /** The quantity's name; may contain $TeX$. */
  label: string;
  values: RowValues | ((t: number) => RowValues);
  /** Column headings for a vector's components, e.g. unit numbers or class names. */
  unitLabels?: string[];
}

export interface ValueTableOptions {
  cursor?: TimeCursor;
  caption?: string;
  /** How to name time step t in the caption, e.g. t => `year ${years[t]}`. */
  timeLabel?: (t: number) => string;
  digits?: number;
  invalidation?: Promise<unknown>;
}

export interface ValueTableElement extends HTMLTableElement {
  update(rows: ValueTableRow[]): void;
}

export function ValueTable(rows: ValueTableRow[], { cursor, caption, timeLabel, digits = 4, invalidation }: ValueTableOptions = {}): ValueTableElement {
  const table = document.createElement("table") as ValueTableElement;
  table.className = "value-table";
  table.dataset.testid = "values-at-t";
  const captionNode = table.createCaption();
  const body = table.createTBody();
  let shape = "";
  let valueCells: HTMLTableCellElement[][] = [];

  const currentStep = () => cursor?.value ?? 0;

  function rebuild(): void {
    body.replaceChildren();
    valueCells = [];
    let headings = "";
    for (const row of rows) {
      const n = valuesOf(row).length;
      const labels = row.unitLabels?.slice(0, n);
      const key = labels?.join("\u0000") ?? "";
      if (labels && key !== headings) {
        const header = body.insertRow();
        header.className = "value-table-units";
        header.append(document.createElement("th"));
        for (const unit of labels) {
          const th = document.createElement("th");
          th.scope = "col";
          setLabel(th, unit);
          header.append(th);
        }
      }
      headings = key;
      const tr = body.insertRow();
      const th = document.createElement("th");
      th.scope = "row";
      setLabel(th, row.label);
      tr.append(th);
      valueCells.push(
        Array.from({ length: n }, (_, j) => {
          const td = tr.insertCell();
          if (labels?.[j]) td.title = labels[j].replace(/\$/g, "");
          return td;
        }),
      );
    }
  }

  function valuesOf(row: ValueTableRow): number[] {
    const v = typeof row.values === "function" ? row.values(currentStep()) : row.values;
    return typeof v === "number" ? [v] : v;
  }

  function refresh(): void {
    const values = rows.map(valuesOf);
    const nextShape = rows.map((row, i) => `${row.label}\u0001${values[i].length}\u0001${row.unitLabels?.join("\u0000") ?? ""}`).join("\u0002");
    if (nextShape !== shape) {
      shape = nextShape;
      rebuild();
    }
    values.forEach((vector, i) => vector.forEach((v, j) => (valueCells[i][j].textContent = formatNumber(v, digits))));
    const time = cursor ? (timeLabel ? `${timeLabel(cursor.value)} (t = ${cursor.value})` : `t = ${cursor.value}`) : "";
    setLabel(captionNode, [caption, time].filter(Boolean).join(" · "));
    captionNode.hidden = !caption && !cursor;
  }

  table.update = (next: ValueTableRow[]) => {
    rows = next;
    refresh();
  };

  refresh();
  cursor?.subscribe(refresh, { owner: table, invalidation });
  return table;
}
