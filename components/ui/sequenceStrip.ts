// A close-up of a symbol sequence around the page's time step: one column per step, with the
// symbol on top and, under it, one row per quantity of that step — a probability vector over
// K states drawn as a small stacked bar, or a single state drawn as a coloured block with its
// number. The column at the cursor is outlined; clicking a column moves the cursor there.
// `node.update(rows)` swaps the rows (same symbols).
import { setLabel } from "./texLabel.js";
import type { TimeCursor } from "./timeCursor.js";
import { formatNumber } from "./format.js";

export type StripRow =
  | { label: string; kind: "probabilities"; values: number[][] }
  | { label: string; kind: "states"; values: number[] };

export interface SequenceStripOptions {
  cursor: TimeCursor;
  /** One colour per state. */
  colors: string[];
  width?: number;
  /** Pixels per column (default 18). */
  columnWidth?: number;
  /** Width of the row-label column (default 170). */
  labelWidth?: number;
  invalidation?: Promise<unknown>;
}

export interface SequenceStripElement extends HTMLDivElement {
  update(rows: StripRow[]): void;
}

export function SequenceStrip(symbols: string[], rows: StripRow[], { cursor, colors, width = 760, columnWidth = 18, labelWidth = 170, invalidation }: SequenceStripOptions): SequenceStripElement {
  const root = document.createElement("div") as SequenceStripElement;
  root.className = "sequence-strip";
  Object.assign(root.style, { font: "12px var(--sans-serif)", margin: "0.5rem 0 1rem", maxWidth: `${width}px`, overflowX: "auto" });
  const columns = Math.max(5, Math.floor((width - labelWidth) / columnWidth));
  const colorOf = (k: number) => colors[k % colors.length]!;

  function cell(text = ""): HTMLDivElement {
    const node = document.createElement("div");
    Object.assign(node.style, { width: `${columnWidth}px`, textAlign: "center", boxSizing: "border-box", cursor: "pointer" });
    node.textContent = text;
    return node;
  }

  function render(t: number): void {
    const T = symbols.length;
    const first = Math.max(0, Math.min(t - Math.floor(columns / 2), T - columns));
    const last = Math.min(T, first + columns);
    const steps = Array.from({ length: last - first }, (_, i) => first + i);
    const grid = document.createElement("div");
    Object.assign(grid.style, { display: "grid", gridTemplateColumns: `${labelWidth}px repeat(${steps.length}, ${columnWidth}px)`, rowGap: "2px", alignItems: "center" });

    const label = (text: string) => {
      const node = document.createElement("div");
      Object.assign(node.style, { paddingRight: "8px", whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis" });
      setLabel(node, text);
      return node;
    };
    const mark = (node: HTMLElement, s: number) => {
      node.dataset.t = String(s);
      if (s === t) {
        node.dataset.current = "true";
        Object.assign(node.style, { outline: "2px solid var(--theme-foreground)", outlineOffset: "-1px" });
      }
    };

    grid.append(label("step $t$"));
    for (const s of steps) {
      const node = cell(s % 5 === 0 ? String(s) : "");
      Object.assign(node.style, { fontSize: "9px", color: "var(--theme-foreground-muted)", overflow: "visible", whiteSpace: "nowrap" });
      node.dataset.t = String(s);
      grid.append(node);
    }
    grid.append(label("symbol $x^{(t)}$"));
    for (const s of steps) {
      const node = cell(symbols[s]);
      Object.assign(node.style, { font: "14px var(--monospace)", background: "var(--theme-foreground-faintest)", lineHeight: "20px" });
      node.title = `t = ${s}: “${symbols[s]}”`;
      mark(node, s);
      grid.append(node);
    }
    for (const row of rows) {
      grid.append(label(row.label));
      for (const s of steps) {
        const node = cell();
        node.style.height = "26px";
        if (row.kind === "states") {
          const k = row.values[s]!;
          Object.assign(node.style, { background: colorOf(k), color: "#fff", lineHeight: "26px", fontWeight: "600" });
          node.textContent = String(k);
          node.title = `t = ${s}: state ${k}`;
        } else {
          const p = row.values[s] ?? [];
          Object.assign(node.style, { display: "flex", flexDirection: "column-reverse", padding: "0 2px" });
          p.forEach((v, k) => {
            const band = document.createElement("div");
            Object.assign(band.style, { height: `${Math.max(0, v) * 100}%`, background: colorOf(k) });
            node.append(band);
          });
          node.title = `t = ${s}: ${p.map((v, k) => `state ${k} ${formatNumber(v)}`).join(", ")}`;
        }
        mark(node, s);
        grid.append(node);
      }
    }
    grid.addEventListener("click", (event) => {
      const target = (event.target as HTMLElement).closest<HTMLElement>("[data-t]");
      if (target) cursor.set(Number(target.dataset.t));
    });
    root.replaceChildren(grid);
  }

  root.update = (next: StripRow[]) => {
    rows = next;
    render(cursor.value);
  };
  cursor.subscribe(render, { owner: root, invalidation });
  return root;
}
