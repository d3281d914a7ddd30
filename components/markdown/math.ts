// A markdown-it plugin that renders TeX with KaTeX at build time.
//
//   $x_t$                    inline math (the opening $ must not be followed by a space or `{`,
//                            so Framework's ${…} expressions keep working; the closing $ must not
//                            be preceded by a space nor followed by a digit, so "$5 and $6" stays text)
//   $$ … $$                  display math, as its own block (one line or several)
//   $$ … \label{eq:rnn} $$   a numbered display equation; the number is assigned in page order
//   \eqref{eq:rnn}           in prose: a link "(n)" to that equation; \ref{eq:rnn} gives "n"
//
// A TeX error does not stop the build: it renders as a visible `.math-error` box holding the
// message, and the browser tests fail on any such box.
import katex from "katex";
import type MarkdownIt from "markdown-it";
import type StateBlock from "markdown-it/lib/rules_block/state_block.mjs";
import type StateInline from "markdown-it/lib/rules_inline/state_inline.mjs";
import type StateCore from "markdown-it/lib/rules_core/state_core.mjs";
import type Token from "markdown-it/lib/token.mjs";

const DOLLAR = 0x24;
const BACKSLASH = 0x5c;

/** Per-page numbering of labelled equations, kept in markdown-it's env. */
interface EquationEnv {
  equationNumbers?: Map<string, number>;
}

export interface MathOptions {
  /** TeX macros shared by every page, e.g. {"\\R": "\\mathbb{R}"}. */
  macros?: Record<string, string>;
}

const LABEL = /\\label\{([^}]+)\}/;

export function labelToId(label: string): string {
  return "eq-" + label.replace(/[^A-Za-z0-9_-]+/g, "-");
}

export function renderTex(tex: string, displayMode: boolean, macros: Record<string, string> = {}): string {
  try {
    return katex.renderToString(tex, {
      displayMode,
      throwOnError: true,
      output: "htmlAndMathml",
      macros: { ...macros },
      trust: false,
      strict: "ignore",
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `<span class="math-error" title="${escapeHtml(message)}">TeX error: ${escapeHtml(message)} in <code>${escapeHtml(tex)}</code></span>`;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Inline rule: $…$ */
function inlineMath(state: StateInline, silent: boolean): boolean {
  const { src, pos, posMax } = state;
  if (src.charCodeAt(pos) !== DOLLAR) return false;
  const next = src.charCodeAt(pos + 1);
  // `$$`, `${` (a Framework expression), and `$ ` do not open inline math.
  if (next === DOLLAR || next === 0x7b || next === 0x20 || next === 0x0a || Number.isNaN(next)) return false;
  let end = pos + 1;
  while (end < posMax) {
    const c = src.charCodeAt(end);
    if (c === BACKSLASH) end += 2;
    else if (c === DOLLAR) break;
    else end += 1;
  }
  if (end >= posMax) return false;
  const before = src.charCodeAt(end - 1);
  const after = src.charCodeAt(end + 1);
  if (before === 0x20 || (after >= 0x30 && after <= 0x39)) return false;
  // Punctuation right after short math joins it in one unbreakable run: KaTeX's boxes are
  // inline-blocks, after which a browser may break, leaving "." alone at a line's start.
  // Longer math keeps the break points KaTeX leaves after its relations and operators
  // (white-space: nowrap would remove those too, and a phone's line could overflow).
  let last = end + 1;
  if (end - pos - 1 <= SHORT_MATH) while (last < posMax && TRAILING_PUNCTUATION.includes(src[last]!)) last += 1;
  if (!silent) {
    const token = state.push("math_inline", "math", 0);
    token.content = src.slice(pos + 1, end);
    token.markup = "$";
    token.info = src.slice(end + 1, last);
  }
  state.pos = last;
  return true;
}

const TRAILING_PUNCTUATION = ".,;:!?)’”";
/** The longest TeX source (in characters) that is kept on one line with its punctuation. */
const SHORT_MATH = 40;

/** Inline rule: \eqref{label} and \ref{label} in prose. */
function equationReference(state: StateInline, silent: boolean): boolean {
  const match = /^\\(eqref|ref)\{([^}]+)\}/.exec(state.src.slice(state.pos, state.posMax));
  if (!match) return false;
  if (!silent) {
    const token = state.push("math_reference", "a", 0);
    token.content = match[2];
    token.info = match[1];
  }
  state.pos += match[0].length;
  return true;
}

/** Block rule: $$ … $$ on its own lines. */
function blockMath(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const start = state.bMarks[startLine] + state.tShift[startLine];
  const firstLine = state.src.slice(start, state.eMarks[startLine]);
  if (!firstLine.startsWith("$$")) return false;
  if (state.sCount[startLine] - state.blkIndent >= 4) return false; // indented code
  let body = firstLine.slice(2);
  let line = startLine;
  let closed = false;
  const trimmed = body.trimEnd();
  if (trimmed.endsWith("$$")) {
    body = trimmed.slice(0, -2);
    closed = true;
  }
  while (!closed) {
    line += 1;
    if (line >= endLine) return false; // never closed: leave it as text
    const text = state.src.slice(state.bMarks[line] + state.tShift[line], state.eMarks[line]);
    const t = text.trimEnd();
    if (t.endsWith("$$")) {
      body += "\n" + t.slice(0, -2);
      closed = true;
    } else {
      body += "\n" + text;
    }
  }
  if (silent) return true;
  const token = state.push("math_block", "math", 0);
  token.block = true;
  token.content = body.trim();
  token.map = [startLine, line + 1];
  token.markup = "$$";
  state.line = line + 1;
  return true;
}

/** Core rule: number the labelled display equations in page order. */
function numberEquations(state: StateCore): void {
  const env = state.env as EquationEnv;
  const numbers = (env.equationNumbers = new Map());
  for (const token of state.tokens) {
    if (token.type !== "math_block") continue;
    const label = LABEL.exec(token.content)?.[1];
    if (label && !numbers.has(label)) numbers.set(label, numbers.size + 1);
  }
}

export default function mathPlugin(md: MarkdownIt, options: MathOptions = {}): void {
  const macros = options.macros ?? {};
  md.inline.ruler.before("escape", "math_inline", inlineMath);
  md.inline.ruler.before("escape", "math_reference", equationReference);
  md.block.ruler.before("fence", "math_block", blockMath, { alt: ["paragraph", "reference", "blockquote", "list"] });
  md.core.ruler.after("block", "math_number", numberEquations);

  md.renderer.rules.math_inline = (tokens: Token[], idx: number) => {
    const { content, info: trailing } = tokens[idx];
    const math = renderTex(content, false, macros);
    return trailing ? `<span class="math-nowrap">${math}${escapeHtml(trailing)}</span>` : math;
  };

  md.renderer.rules.math_block = (tokens: Token[], idx: number, _options, env: EquationEnv) => {
    const tex = tokens[idx].content;
    const label = LABEL.exec(tex)?.[1];
    const number = label ? env.equationNumbers?.get(label) : undefined;
    const body = label ? tex.replace(LABEL, number === undefined ? "" : `\\tag{${number}}`) : tex;
    const id = label ? ` id="${labelToId(label)}"` : "";
    return `<div class="math-display"${id}>${renderTex(body, true, macros)}</div>\n`;
  };

  md.renderer.rules.math_reference = (tokens: Token[], idx: number, _options, env: EquationEnv) => {
    const { content: label, info: kind } = tokens[idx];
    const number = env.equationNumbers?.get(label);
    if (number === undefined) {
      return `<span class="math-error">Unknown equation label: ${escapeHtml(label)}</span>`;
    }
    const text = kind === "eqref" ? `(${number})` : String(number);
    return `<a class="eqref" href="#${labelToId(label)}">${text}</a>`;
  };
}
