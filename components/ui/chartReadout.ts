// The readout line of a chart: an item per value (an optional swatch, a TeX name and a
// monospace number), and a legend readout that keeps one item per series and updates it in place.
import { span } from "./chartParts.js";
import { setLabel } from "./texLabel.js";

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
