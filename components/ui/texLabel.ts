// Chart labels that may contain TeX: "hidden unit", "$h_t$", "$\hat y_t$ (°C)".
//
// A label is plain text in which every `$…$` segment is rendered with KaTeX (inline style);
// `\$` is a literal dollar sign. A TeX error shows KaTeX's red source text instead of throwing.
import katex from "katex";
import { TEX_MACROS } from "../markdown/macros.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const XHTML_NS = "http://www.w3.org/1999/xhtml";

/** KaTeX's HTML for a TeX string, with the site's macros. */
export function texToHtml(tex: string, { displayMode = false }: { displayMode?: boolean } = {}): string {
  return katex.renderToString(tex, {
    displayMode,
    throwOnError: false,
    output: "htmlAndMathml",
    macros: { ...TEX_MACROS },
    trust: false,
    strict: "ignore",
  });
}

/** HTML for a mixed label: text is escaped, `$…$` segments are typeset. */
export function labelToHtml(label: string): string {
  let html = "";
  for (const [index, part] of splitDollars(label).entries()) {
    html += index % 2 === 1 ? texToHtml(part) : escapeHtml(part.replace(/\\\$/g, "$"));
  }
  return html;
}

/** Sets an element's content to a mixed label; skips the work if the label is unchanged. */
export function setLabel(element: HTMLElement, label: string): void {
  if (element.dataset.label === label) return;
  element.dataset.label = label;
  element.innerHTML = labelToHtml(label);
}

/** The label without TeX markup, for aria-label and title attributes. */
export function labelToText(label: string): string {
  return splitDollars(label)
    .map((part, index) => (index % 2 === 1 ? texToText(part) : part.replace(/\\\$/g, "$")))
    .join("");
}

const GREEK = "alpha α beta β gamma γ delta δ epsilon ε eta η theta θ lambda λ mu μ pi π rho ρ sigma σ tau τ phi φ omega ω Sigma Σ Delta Δ";
const TEX_SYMBOLS: Record<string, string> = {
  ...Object.fromEntries(GREEK.split(" ").flatMap((word, i, all) => (i % 2 === 0 ? [[word, all[i + 1]]] : []))),
  cdot: "·", times: "×", odot: "⊙", top: "ᵀ", infty: "∞", ell: "ℓ", mathcal: "",
};
const TEX_WORDS = new Set(["tanh", "exp", "log", "sin", "cos", "max", "min", "softmax", "diag"]);

/** Rough plain text for TeX: expands the site's macros, keeps words and common symbols, drops the rest. */
function texToText(tex: string): string {
  let text = tex;
  for (const [macro, expansion] of Object.entries(TEX_MACROS)) text = text.replace(new RegExp(`\\${macro}(?![a-zA-Z])`, "g"), () => expansion);
  return text
    .replace(/\\([a-zA-Z]+)\s*/g, (_, name: string) => (TEX_WORDS.has(name) ? name : (TEX_SYMBOLS[name] ?? "")))
    .replace(/[{}^_]|\\[,;!]/g, "");
}

export interface SvgTexLabelOptions {
  /** The anchor point, in the SVG's user units. */
  x: number;
  y: number;
  /** The box the label may use; text is centred vertically on y and may overflow it. */
  width: number;
  height: number;
  /** Which edge of the box sits at x (before rotation). */
  anchor?: "start" | "middle" | "end";
  /** Degrees, about (x, y); -90 reads bottom-to-top, for y-axis titles. */
  rotate?: number;
  className?: string;
}

/** A mixed TeX/text label placed inside an SVG. */
export function svgTexLabel(
  label: string,
  { x, y, width, height, anchor = "middle", rotate = 0, className = "" }: SvgTexLabelOptions,
): SVGForeignObjectElement {
  const object = document.createElementNS(SVG_NS, "foreignObject") as SVGForeignObjectElement;
  const left = anchor === "start" ? x : anchor === "end" ? x - width : x - width / 2;
  object.setAttribute("x", String(left));
  object.setAttribute("y", String(y - height / 2));
  object.setAttribute("width", String(width));
  object.setAttribute("height", String(height));
  if (rotate) object.setAttribute("transform", `rotate(${rotate} ${x} ${y})`);
  object.setAttribute("class", `tex-label ${className}`.trim());
  object.setAttribute("aria-label", labelToText(label));

  const box = document.createElementNS(XHTML_NS, "div") as HTMLDivElement;
  box.className = `tex-label-box tex-label-${anchor}`;
  box.style.height = `${height}px`;
  // The text goes in an inner span: as direct flex items, text and math would lose the space between them.
  const text = document.createElement("span");
  setLabel(text, label);
  box.append(text);
  object.append(box);
  return object;
}

/** Width in CSS pixels of plain text in the charts' tick font, for laying out margins. */
export function textWidth(text: string, fontSize = 11): number {
  const context = measuringContext();
  if (!context) return text.length * fontSize * 0.6;
  context.font = `${fontSize}px ${chartFontFamily()}`;
  return context.measureText(text).width;
}

let canvasContext: CanvasRenderingContext2D | null | undefined;
function measuringContext(): CanvasRenderingContext2D | null {
  if (canvasContext === undefined) canvasContext = typeof document === "undefined" ? null : document.createElement("canvas").getContext("2d");
  return canvasContext;
}

let fontFamily: string | undefined;
function chartFontFamily(): string {
  if (fontFamily === undefined) {
    const family = typeof document === "undefined" ? "" : getComputedStyle(document.documentElement).getPropertyValue("--sans-serif").trim();
    fontFamily = family || "sans-serif";
  }
  return fontFamily;
}

/** Splits on unescaped `$`: even indices are text, odd indices are TeX. An unpaired `$` stays text. */
function splitDollars(label: string): string[] {
  const parts: string[] = [];
  let current = "";
  let inTex = false;
  for (let i = 0; i < label.length; i++) {
    const c = label[i];
    if (c === "\\" && label[i + 1] === "$") {
      current += "\\$";
      i++;
    } else if (c === "$") {
      parts.push(current);
      current = "";
      inTex = !inTex;
    } else current += c;
  }
  if (inTex) parts[parts.length - 1] += "$" + current;
  else parts.push(current);
  return parts;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The usual place of an x-axis title: centred under a plot that spans [left, right]. */
export function xAxisTitle(label: string, { left, right, y }: { left: number; right: number; y: number }): SVGForeignObjectElement {
  return svgTexLabel(label, { x: (left + right) / 2, y, width: Math.max(right - left, 120), height: 20, className: "axis-title" });
}

/** The usual place of a y-axis title: rotated, centred beside a plot that spans [top, bottom]. */
export function yAxisTitle(label: string, { x, top, bottom }: { x: number; top: number; bottom: number }): SVGForeignObjectElement {
  return svgTexLabel(label, { x, y: (top + bottom) / 2, width: Math.max(bottom - top, 120), height: 20, rotate: -90, className: "axis-title" });
}
