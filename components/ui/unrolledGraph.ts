// The computational graph of an RNN, folded (one cell with a self-loop) and unrolled over
// T steps. Every node is a real vector from the live model: click one to read its values.
// The same W, U and V label every step's edges: that is parameter sharing.
import type { TimeCursor } from "./timeCursor.js";
import { formatNumber } from "./format.js";
import { texToHtml } from "./texLabel.js";

export interface UnrolledValues {
  /** Inputs x(1..T), hidden states h(1..T), outputs ŷ(1..T); each row a vector. */
  x: number[][];
  h: number[][];
  yhat: number[][];
  h0: number[];
}

export interface UnrolledGraphOptions {
  T: number;
  width?: number;
  cursor?: TimeCursor;
  /** The reader-facing name of time step t (1-based), e.g. t => `year ${1699 + t}`. */
  timeLabel?: (t: number) => string;
  invalidation?: Promise<unknown>;
}

type Kind = "x" | "h" | "y";
const SVG = "http://www.w3.org/2000/svg";

export interface UnrolledGraphElement extends HTMLElement {
  update(values: UnrolledValues): void;
}

export function UnrolledGraph(values: UnrolledValues, { T, width = 640, cursor, timeLabel = (t) => `t = ${t}`, invalidation }: UnrolledGraphOptions): UnrolledGraphElement {
  const root = document.createElement("div") as unknown as UnrolledGraphElement;
  root.className = "unrolled-graph";
  const foldedWidth = 110;
  const columns = T + 1; // h(0) plus T steps
  const step = Math.max(24, Math.min(90, (width - foldedWidth - 30) / columns));
  const height = 230;
  const rowY: Record<Kind, number> = { y: 40, h: 115, x: 190 };
  const radius = Math.min(13, step / 3);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", String(width));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `RNN unrolled over ${T} time steps`);
  const defs = document.createElementNS(SVG, "defs");
  defs.innerHTML = `<marker id="ug-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="currentColor"/></marker>`;
  svg.append(defs);

  const panel = document.createElement("div");
  panel.className = "unrolled-panel";
  panel.setAttribute("aria-live", "polite");
  root.append(svg, panel);

  const label = (x: number, y: number, tex: string, className = "ug-label") => {
    const fo = document.createElementNS(SVG, "foreignObject");
    const boxWidth = className.includes("ug-wide") ? 260 : 80;
    fo.setAttribute("x", String(x - boxWidth / 2));
    fo.setAttribute("y", String(y - 12));
    fo.setAttribute("width", String(boxWidth));
    fo.setAttribute("height", "24");
    const div = document.createElement("div");
    div.className = className;
    div.innerHTML = texToHtml(tex);
    fo.append(div);
    svg.append(fo);
  };
  const line = (x1: number, y1: number, x2: number, y2: number, className: string) => {
    const l = document.createElementNS(SVG, "line");
    for (const [k, v] of Object.entries({ x1, y1, x2, y2 })) l.setAttribute(k, String(v));
    l.setAttribute("class", className);
    l.setAttribute("marker-end", "url(#ug-arrow)");
    svg.append(l);
  };

  // Folded graph: one cell with a recurrent self-loop.
  const fx = 50;
  line(fx, rowY.x - radius, fx, rowY.h + radius + 2, "ug-edge");
  line(fx, rowY.h - radius, fx, rowY.y + radius + 2, "ug-edge");
  const loop = document.createElementNS(SVG, "path");
  loop.setAttribute("d", `M${fx + radius * 0.7},${rowY.h - radius * 0.7} C${fx + 55},${rowY.h - 45} ${fx + 55},${rowY.h + 45} ${fx + radius * 0.7},${rowY.h + radius * 0.7}`);
  loop.setAttribute("class", "ug-edge ug-recurrent");
  loop.setAttribute("marker-end", "url(#ug-arrow)");
  svg.append(loop);
  for (const kind of ["x", "h", "y"] as Kind[]) {
    const c = document.createElementNS(SVG, "circle");
    c.setAttribute("cx", String(fx));
    c.setAttribute("cy", String(rowY[kind]));
    c.setAttribute("r", String(radius));
    c.setAttribute("class", `ug-node ug-${kind} ug-folded`);
    svg.append(c);
  }
  label(fx, rowY.y, "\\hat{\\mathbf{y}}");
  label(fx, rowY.h, "\\mathbf{h}");
  label(fx, rowY.x, "\\mathbf{x}");
  label(fx + 36, rowY.h - 38, "W", "ug-label ug-weight");
  label(fx - 26, (rowY.x + rowY.h) / 2, "U", "ug-label ug-weight");
  label(fx - 26, (rowY.y + rowY.h) / 2, "V", "ug-label ug-weight");
  label(fx, height - 10, "\\text{folded}", "ug-label ug-caption");
  const unfoldArrow = document.createElementNS(SVG, "text");
  unfoldArrow.setAttribute("x", String(foldedWidth - 5));
  unfoldArrow.setAttribute("y", String(rowY.h + 5));
  unfoldArrow.setAttribute("class", "ug-unfold");
  unfoldArrow.textContent = "⇒";
  svg.append(unfoldArrow);

  // Unrolled graph: h(0) and T copies of the cell, all with the same W, U, V.
  const colX = (t: number) => foldedWidth + 20 + step * (t + 0.5);
  const nodes: { kind: Kind; t: number; el: SVGCircleElement }[] = [];
  const addNode = (kind: Kind, t: number) => {
    const c = document.createElementNS(SVG, "circle");
    c.setAttribute("cx", String(colX(t)));
    c.setAttribute("cy", String(rowY[kind]));
    c.setAttribute("r", String(radius));
    c.setAttribute("class", `ug-node ug-${kind}`);
    c.setAttribute("tabindex", "0");
    c.setAttribute("role", "button");
    c.dataset.kind = kind;
    c.dataset.t = String(t);
    const select = () => choose(kind, t);
    c.addEventListener("click", select);
    c.addEventListener("keydown", (e) => (e.key === "Enter" || e.key === " ") && (e.preventDefault(), select()));
    svg.append(c);
    nodes.push({ kind, t, el: c });
  };
  addNode("h", 0);
  label(colX(0), rowY.h + radius + 12, "\\mathbf{h}^{(0)}", "ug-label ug-small");
  for (let t = 1; t <= T; t++) {
    line(colX(t - 1) + radius, rowY.h, colX(t) - radius - 2, rowY.h, "ug-edge ug-recurrent");
    line(colX(t), rowY.x - radius, colX(t), rowY.h + radius + 2, "ug-edge");
    line(colX(t), rowY.h - radius, colX(t), rowY.y + radius + 2, "ug-edge");
    addNode("x", t);
    addNode("h", t);
    addNode("y", t);
    if (step >= 40) {
      label((colX(t - 1) + colX(t)) / 2, rowY.h - 13, "W", "ug-label ug-weight ug-small");
      label(colX(t) + 11, (rowY.x + rowY.h) / 2, "U", "ug-label ug-weight ug-small");
      label(colX(t) + 11, (rowY.y + rowY.h) / 2, "V", "ug-label ug-weight ug-small");
    }
    if (step >= 34) label(colX(t), height - 10, `${t}`, "ug-label ug-small");
  }
  label(colX(T / 2), 10, `\\text{unrolled over } T = ${T} \\text{ steps}`, "ug-label ug-caption ug-wide");

  let current = values;
  let selected: { kind: Kind; t: number } = { kind: "h", t: Math.min(1, T) };

  const vectorOf = (kind: Kind, t: number): number[] | undefined =>
    kind === "h" ? (t === 0 ? current.h0 : current.h[t - 1]) : kind === "x" ? current.x[t - 1] : current.yhat[t - 1];

  const showPanel = () => {
    const { kind, t } = selected;
    const name = kind === "h" ? `\\mathbf{h}^{(${t})}` : kind === "x" ? `\\mathbf{x}^{(${t})}` : `\\hat{\\mathbf{y}}^{(${t})}`;
    const vector = vectorOf(kind, t);
    const when = t === 0 ? "the initial state" : timeLabel(t);
    panel.innerHTML = `${texToHtml(name)} <span class="ug-when">(${when})</span> = `;
    const code = document.createElement("code");
    code.textContent = vector ? `[${vector.map((v) => formatNumber(v, 4)).join(", ")}]` : "not available";
    panel.append(code);
    for (const n of nodes) n.el.classList.toggle("ug-selected", n.kind === kind && n.t === t);
  };

  const choose = (kind: Kind, t: number) => {
    selected = { kind, t };
    showPanel();
    if (cursor && t >= 1) cursor.set(t - 1);
  };

  cursor?.subscribe(
    (t0) => {
      for (const n of nodes) n.el.classList.toggle("ug-at-cursor", n.t === t0 + 1);
    },
    { owner: root, invalidation },
  );

  root.update = (next: UnrolledValues) => {
    current = next;
    showPanel();
  };
  showPanel();
  return root;
}
