// The markdown-it math plugin: inline and display TeX, numbering, references, and the cases
// it must leave alone (Framework's ${…} expressions, prices).
import { test } from "node:test";
import assert from "node:assert/strict";
import MarkdownIt from "markdown-it";
import mathPlugin, { labelToId } from "../../components/markdown/math.js";
import { TEX_MACROS } from "../../components/markdown/macros.js";

const md = new MarkdownIt({ html: true }).use(mathPlugin, { macros: TEX_MACROS });
const render = (source: string) => md.render(source, {});

test("inline math becomes KaTeX, with MathML for screen readers", () => {
  const html = render("The state $h_t$ updates.");
  assert.match(html, /class="katex"/);
  assert.match(html, /<math/);
  assert.doesNotMatch(html, /\$h_t\$/);
});

test("emphasis characters inside math are not treated as Markdown", () => {
  const html = render("$a_1 * b_2 * c$ and text");
  assert.doesNotMatch(html, /<em>/);
});

test("Framework expressions, prices and escaped dollars are left alone", () => {
  assert.doesNotMatch(render("value ${x} here"), /katex/);
  assert.doesNotMatch(render("It costs $5 and $6 later."), /katex/);
  assert.doesNotMatch(render("a $ b $ c"), /katex/);
});

test("display math is a block; labelled equations are numbered in page order", () => {
  const html = render("$$\na = b \\label{eq:first}\n$$\n\ntext\n\n$$ c = d $$\n\n$$\ne = f\n\\label{eq:second}\n$$\n");
  assert.equal((html.match(/class="math-display"/g) ?? []).length, 3);
  assert.match(html, new RegExp(`id="${labelToId("eq:first")}"`));
  assert.match(html, new RegExp(`id="${labelToId("eq:second")}"`));
  // KaTeX renders \tag{n} as "(n)" in the display.
  const first = html.indexOf(labelToId("eq:first"));
  const second = html.indexOf(labelToId("eq:second"));
  assert.ok(html.slice(first, second).includes("(1)"));
  assert.ok(html.slice(second).includes("(2)"));
});

test("\\eqref links to the equation, even before it is defined", () => {
  const html = render("See \\eqref{eq:later} and \\ref{eq:later}.\n\n$$\nx \\label{eq:later}\n$$\n");
  assert.match(html, /<a class="eqref" href="#eq-eq-later">\(1\)<\/a>/);
  assert.match(html, /<a class="eqref" href="#eq-eq-later">1<\/a>/);
});

test("an unknown label and a TeX error render as visible errors, not exceptions", () => {
  assert.match(render("See \\eqref{eq:missing}."), /class="math-error"[^>]*>Unknown equation label: eq:missing/);
  assert.match(render("$\\frac{1}{$ oops"), /katex|math-error/);
  assert.match(render("$$\n\\frac{1}{\n$$\n"), /class="math-error"/);
});

test("site macros are available", () => {
  const html = render("$\\R^q$");
  assert.doesNotMatch(html, /math-error/);
  assert.match(html, /mathbb/);
});

test("punctuation right after inline math stays on its line with it", () => {
  const html = render("measured at $T = 21$. Then $a$, $b$; and ($c$).");
  assert.equal(html.match(/class="math-nowrap"/g)?.length, 4);
  assert.match(html, /<\/span>\.<\/span> Then/);
  assert.match(html, /<\/span>\)\.<\/span><\/p>/);
  // Math followed by a space or a letter is left as it was; a link around math still works.
  assert.doesNotMatch(render("the state $h$ updates"), /math-nowrap/);
  // Long math keeps its own break points rather than becoming one unbreakable run.
  assert.doesNotMatch(render("so $a + b + c + d + e + f + g + h + i + j + k + l = m$."), /math-nowrap/);
  assert.match(render("see [$x$](#eq) here"), /<a href="#eq"><span class="katex">/);
});
