// A markdown-it plugin (run at build time by Framework) for editable cells.
//
// An author writes a live example once, in the page's Markdown:
//
//   ```js editable id=model
//   const problem = sunspotProblem(sunspots, head);
//   display(TrainingHarness(...));
//   ```
//
// (`ts editable` for TypeScript; `id` keeps the reader's saved edits attached to the right cell
// when the page changes, and defaults to the cell's position.) The plugin turns the block into
// Framework cells:
//   1. `const __editable_model = view(EditableCell(spec, {scope: {sunspots, head, …}, invalidation}))`
//      where spec holds the source and its compiled form, and scope holds the cell's free
//      variables, so Framework re-runs it when they change, as it would the original cell;
//   2. `const {problem} = __editable_model` so that other cells see what the cell declares;
//   3. at the end of the page, hidden cells that publish every page variable to the page scope,
//      so that edited code can use any of them (components, data, inputs), not only those the
//      original code used.
import type MarkdownIt from "markdown-it";
import type StateCore from "markdown-it/lib/rules_core/state_core.mjs";
import type Token from "markdown-it/lib/token.mjs";
import { createHash } from "node:crypto";
import { transform } from "sucrase";
// Framework's own parser, so that references and declarations follow its rules exactly.
import { parseJavaScript } from "@observablehq/framework/dist/javascript/parse.js";
import { compileCell, CellCompileError, type CellLanguage } from "../editor/compile.js";

/** Names an editable cell receives from EditableCell itself rather than from the page. */
const PROVIDED = new Set(["display", "view", "invalidation", "__guard"]);
const MODULE = "/components/editor/editableCell.js";
/** Framework's built-in variables, also offered to edited code. */
const FRAMEWORK_BUILTINS = ["width", "FileAttachment", "Generators"];

interface CellInfo {
  language: CellLanguage;
  editable: boolean;
  id?: string;
  run: boolean;
}

function readInfo(info: string): CellInfo | null {
  const [tag, ...words] = info.trim().split(/\s+/);
  if (tag !== "js" && tag !== "ts") return null;
  const attributes = new Map(words.map((w) => (w.includes("=") ? [w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1)] : [w, ""])) as [string, string][]);
  return { language: tag, editable: attributes.has("editable"), id: attributes.get("id"), run: attributes.get("run") !== "false" };
}

function analyse(source: string, path: string) {
  // Types are stripped from js cells too (see compile.ts).
  const js = transform(source, { transforms: ["typescript"], disableESTransforms: true, keepUnusedImports: true }).code;
  const node = parseJavaScript(js, { path });
  const references = [...new Set((node.references as { name: string }[]).map((r) => r.name))];
  const declarations = (node.declarations ?? []).map((d: { name: string }) => d.name);
  return { references, declarations };
}

function fence(state: StateCore, content: string, map: [number, number] | null): Token {
  const token = new state.Token("fence", "code", 0);
  token.info = "js";
  token.content = content;
  token.block = true;
  token.map = map;
  return token;
}

function html(state: StateCore, content: string): Token {
  const token = new state.Token("html_block", "", 0);
  token.content = content;
  token.block = true;
  return token;
}

function errorBlock(state: StateCore, message: string): Token {
  const escaped = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return html(state, `<div class="observablehq observablehq--block"><div class="observablehq--inspect observablehq--error">Editable cell: ${escaped}</div></div>\n`);
}

function transformEditableCells(state: StateCore): void {
  const path = (state.env as { path?: string }).path ?? "/";
  const output: Token[] = [];
  const pageVariables = new Set<string>();
  let position = 0;
  let editableCount = 0;

  for (const token of state.tokens) {
    const info = token.type === "fence" ? readInfo(token.info) : null;
    if (!info || !info.run) {
      output.push(token);
      continue;
    }
    position += 1;
    if (!info.editable) {
      try {
        analyse(token.content, path).declarations.forEach((name: string) => pageVariables.add(name));
      } catch {
        // Framework reports the syntax error itself when it renders this cell.
      }
      output.push(token);
      continue;
    }
    editableCount += 1;
    const id = info.id ?? `cell-${position}`;
    if (!/^[A-Za-z][\w-]*$/.test(id)) {
      output.push(errorBlock(state, `the id "${id}" must be a letter followed by letters, digits, - or _.`));
      continue;
    }
    try {
      const compiled = compileCell(token.content);
      const { references } = analyse(token.content, path);
      const scope = references.filter((name) => !PROVIDED.has(name));
      const variable = `__editable_${id.replace(/-/g, "_")}`;
      const spec = {
        id,
        language: info.language,
        source: token.content,
        sourceHash: createHash("sha256").update(token.content).digest("hex").slice(0, 16),
        compiled,
      };
      output.push(fence(state, `const ${variable} = view(__EditableCell(${JSON.stringify(spec)}, {scope: {${scope.join(", ")}}, invalidation}));`, token.map));
      if (compiled.exports.length > 0) {
        output.push(html(state, `<div class="editable-exports" hidden>\n`));
        output.push(fence(state, `const {${compiled.exports.join(", ")}} = ${variable};`, token.map));
        output.push(html(state, `</div>\n`));
      }
    } catch (error) {
      const detail = error instanceof CellCompileError ? error.message : error instanceof Error ? error.message : String(error);
      output.push(errorBlock(state, detail));
    }
  }

  if (editableCount > 0) {
    // The runtime module, and the page scope that edited code can draw on.
    const published = [...pageVariables, ...FRAMEWORK_BUILTINS].filter((name) => !PROVIDED.has(name));
    output.push(html(state, `<div class="editable-page-scope" hidden>\n`));
    output.push(fence(state, `import {EditableCell as __EditableCell, publishScope as __publishScope} from "${MODULE}";`, null));
    for (const name of published) output.push(fence(state, `__publishScope({${name}});`, null));
    output.push(html(state, `</div>\n`));
  }
  state.tokens = output;
}

export default function editablePlugin(md: MarkdownIt): void {
  md.core.ruler.after("block", "editable_cells", transformEditableCells);
}
