// The editable-cell compiler and the Markdown plugin that turns ```js editable``` blocks into
// Framework cells.
import { test } from "node:test";
import assert from "node:assert/strict";
import MarkdownIt from "markdown-it";
import { compileCell, CellCompileError } from "../../components/editor/compile.js";
import editablePlugin from "../../components/markdown/editable.js";

/** Runs a compiled body the way EditableCell does, with the given scope. */
async function run(source: string, scope: Record<string, unknown> = {}, guard = (_line: number) => {}) {
  const compiled = compileCell(source);
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  const shown: unknown[] = [];
  const fn = new AsyncFunction(...Object.keys(scope), "__guard", "display", "view", "invalidation", compiled.body);
  const result = await fn(...Object.values(scope), guard, (v: unknown) => shown.push(v), (v: unknown) => v, Promise.resolve());
  return { compiled, result, shown };
}

test("declarations become exports, and the cell sees its scope", async () => {
  const { compiled, result } = await run("const a = x + 1;\nlet {b, c: [d]} = {b: 2, c: [3]};\nfunction f() { return a; }\nclass K {}", { x: 41 });
  assert.deepEqual(compiled.exports, ["a", "b", "d", "f", "K"]);
  assert.equal(result.a, 42);
  assert.equal(result.d, 3);
  assert.equal(result.f(), 42);
});

test("a single expression is displayed; statements are not", async () => {
  const expression = await run("x * 2", { x: 21 });
  assert.equal(expression.compiled.expression, true);
  assert.equal(expression.result.__value, 42);
  const statement = await run("x * 2;", { x: 21 });
  assert.equal(statement.compiled.expression, false);
});

test("TypeScript annotations are removed, in js cells too, and line numbers are kept", async () => {
  const { result } = await run("const n: number = 3;\ninterface P { q: string }\nconst s = <T,>(v: T): T => v;\nconst out = s(n);");
  assert.equal(result.out, 3);
  assert.throws(() => compileCell("const a = 1;\nconst b: = 2;"), (e: unknown) => e instanceof CellCompileError && e.detail.line === 2);
});

test("syntax errors carry their line and column", () => {
  assert.throws(
    () => compileCell("const ok = 1;\n\nconst bad = ;"),
    (e: unknown) => e instanceof CellCompileError && e.detail.line === 3 && e.detail.column === 13 && /SyntaxError/.test(e.detail.message),
  );
});

test("imports and exports are refused with a clear message", () => {
  assert.throws(() => compileCell('import * as d3 from "d3";'), /cannot import or export/);
  assert.throws(() => compileCell("export const a = 1;"), /cannot import or export/);
});

test("every loop calls the guard with its line, so a runaway loop can be stopped", async () => {
  const lines: number[] = [];
  await run("for (let i = 0; i < 2; i++) {}\nlet j = 0;\nwhile (j < 1) j++;\ndo {} while (false);\nfor (const k of [1]) {}\nfor (const k in {a: 1}) {}", {}, (line) => lines.push(line));
  assert.deepEqual([...new Set(lines)], [1, 3, 4, 5, 6]);
  await assert.rejects(
    run("let n = 0;\nwhile (true) n++;", {}, (line) => {
      throw new Error(`stopped at ${line}`);
    }),
    /stopped at 2/,
  );
});

test("const x = view(input) is recorded, so x can follow its input", () => {
  assert.deepEqual(compileCell("const x = view(slider);\nconst y = 2;").views, ["x"]);
});

test("the plugin turns an editable block into a view cell, an exports cell and scope cells", () => {
  const md = new MarkdownIt({ html: true }).use(editablePlugin);
  const source = "```js\nimport {thing} from \"./components/x.js\";\nconst head = view(pick);\n```\n\n```js editable id=model\nconst problem = make(head, thing);\ndisplay(problem);\n```\n";
  const tokens = md.parse(source, { path: "/page" });
  const fences = tokens.filter((t) => t.type === "fence").map((t) => t.content);
  const main = fences.find((c) => c.includes("__EditableCell("));
  assert.ok(main, "no EditableCell cell");
  assert.match(main, /^const __editable_model = view\(__EditableCell\(/);
  assert.match(main, /scope: \{make, head, thing\}/);
  assert.ok(fences.includes("const {problem} = __editable_model;"), "no exports cell");
  assert.ok(fences.some((c) => c.includes('from "/components/editor/editableCell.js"')), "no runtime import");
  for (const name of ["thing", "head", "width"]) assert.ok(fences.includes(`__publishScope({${name}});`), `${name} is not published`);
  // The author's code is carried as-is, to show in the editor.
  assert.match(main, /"source":"const problem = make\(head, thing\);\\ndisplay\(problem\);\\n"/);
});

test("a bad editable block renders an inline error instead of breaking the build", () => {
  const md = new MarkdownIt({ html: true }).use(editablePlugin);
  const html = md.render("```js editable id=bad\nconst = 1;\n```\n", { path: "/page" });
  assert.match(html, /observablehq--error/);
  assert.match(html, /Editable cell: SyntaxError/);
  assert.match(md.render("```js editable id=9x\n1\n```\n", { path: "/page" }), /must be a letter/);
});
