// The graphical model of a linear state-space model with exogenous inputs, over a few time
// steps: inputs x(t) on top (observed, white), latent states h(t) in the middle (grey, as in
// the notes), observations y(t) at the bottom (observed, white). Edges carry the matrices
// that act along them: Φ between states, Γ from input to state, Ψ from state to
// observation, Ξ from input to observation. Static SVG with TeX labels.
import { chartFrame, svg } from "./chartParts.js";
import { svgTexLabel } from "./texLabel.js";

export interface GraphicalModelOptions {
  width?: number;
  /** How many time steps to draw (3 or more), centred on t. */
  steps?: number;
}

export function GraphicalModel({ width = 640, steps = 3 }: GraphicalModelOptions = {}): HTMLDivElement {
  const height = 300;
  const frame = chartFrame("graphical-model", {
    width,
    height,
    title: "The state-space model with inputs as a graphical model",
    ariaLabel: "graphical model: inputs x(t) point to states h(t) (matrix Gamma) and to observations y(t) (matrix Xi); each state h(t-1) points to h(t) (matrix Phi); each state h(t) points to y(t) (matrix Psi)",
  });
  const { chart } = frame;
  const r = 22;
  const rows = { x: 45, h: 150, y: 255 };
  const left = 90;
  const spacing = (width - left - 70) / steps;
  const cols = Array.from({ length: steps }, (_, k) => left + spacing * (k + 0.5));
  const names = (k: number) => {
    const offset = k - Math.floor(steps / 2);
    return offset === 0 ? "t" : offset < 0 ? `t-${-offset}` : `t+${offset}`;
  };
  const defs = svg("defs", {});
  const marker = svg("marker", { id: "gm-arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(svg("path", { d: "M0,0L10,5L0,10Z", fill: "currentColor" }));
  defs.append(marker);
  chart.append(defs);
  const edges = svg("g", { stroke: "currentColor", "stroke-width": 1.4, fill: "none" });
  const nodes = svg("g", {});
  const labels = svg("g", {});
  chart.append(edges, nodes, labels);

  const arrow = (x1: number, y1: number, x2: number, y2: number, label: string, lx: number, ly: number) => {
    const d = Math.hypot(x2 - x1, y2 - y1);
    const ux = (x2 - x1) / d;
    const uy = (y2 - y1) / d;
    edges.append(svg("line", { x1: x1 + ux * r, y1: y1 + uy * r, x2: x2 - ux * (r + 1), y2: y2 - uy * (r + 1), "marker-end": "url(#gm-arrow)" }));
    labels.append(svgTexLabel(label, { x: lx, y: ly, width: 28, height: 20 }));
  };
  const node = (cx: number, cy: number, label: string, latent: boolean) => {
    nodes.append(svg("circle", { cx, cy, r, fill: latent ? "#c9c9c9" : "#ffffff", stroke: "#333", "stroke-width": 1.4 }));
    labels.append(svgTexLabel(label, { x: cx, y: cy, width: 2 * r + 10, height: 24 }));
  };

  // Dangling edges into the first state and out of the last, to show the chain continues.
  arrow(cols[0]! - spacing * 0.75, rows.h, cols[0]!, rows.h, "$\\Phi$", cols[0]! - spacing * 0.45, rows.h - 14);
  for (let k = 0; k < steps; k++) {
    const cx = cols[k]!;
    const t = names(k);
    if (k > 0) arrow(cols[k - 1]!, rows.h, cx, rows.h, "$\\Phi$", (cols[k - 1]! + cx) / 2, rows.h - 14);
    arrow(cx, rows.x, cx, rows.h, "$\\Gamma$", cx - 14, (rows.x + rows.h) / 2);
    arrow(cx, rows.h, cx, rows.y, "$\\Psi$", cx - 14, (rows.h + rows.y) / 2);
    // Ξ: x(t) → y(t), curving round the state on the right.
    const start = { x: cx + r * 0.8, y: rows.x + r * 0.6 };
    const end = { x: cx + r * 0.8, y: rows.y - r * 0.6 };
    const bend = cx + spacing * 0.36;
    edges.append(svg("path", { d: `M${start.x},${start.y} C${bend},${rows.x + 40} ${bend},${rows.y - 40} ${end.x},${end.y}`, "marker-end": "url(#gm-arrow)", "stroke-dasharray": "4 3" }));
    labels.append(svgTexLabel("$\\Xi$", { x: bend + 6, y: rows.h, width: 24, height: 20 }));
    node(cx, rows.x, `$x^{(${t})}$`, false);
    node(cx, rows.h, `$h^{(${t})}$`, true);
    node(cx, rows.y, `$y^{(${t})}$`, false);
  }
  const last = cols[steps - 1]!;
  edges.append(svg("line", { x1: last + r, y1: rows.h, x2: last + spacing * 0.55, y2: rows.h, "marker-end": "url(#gm-arrow)" }));
  labels.append(svgTexLabel("inputs (observed)", { x: 8, y: rows.x, width: 80, height: 30, anchor: "start" }));
  labels.append(svgTexLabel("states (latent)", { x: 8, y: rows.h + 28, width: 80, height: 30, anchor: "start" }));
  labels.append(svgTexLabel("observations", { x: 8, y: rows.y, width: 80, height: 30, anchor: "start" }));
  return frame.root;
}
