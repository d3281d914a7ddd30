// Compiles the code of an editable cell into the body of an async function.
//
// Used twice: at build time for the author's code (so the page needs no compiler to run it),
// and in the browser, loaded with the editor, for the reader's edits. Both give the same result.
//
// Steps:
//   1. TypeScript → JavaScript with Sucrase, which only removes types and keeps line numbers
//      (for `js` cells too, so that type annotations never break them).
//   2. Parse with acorn: syntax errors come back with their line and column.
//   3. Refuse import/export (the page's imports are already in scope).
//   4. Find the top-level declarations (the cell's exports) and whether the whole cell is one
//      expression (then its value is displayed, as in any Framework cell).
//   5. Put `__guard(line)` at the top of every loop body, so that a runaway loop can be stopped.
import { transform } from "sucrase";
import { Parser, type Node } from "acorn";
import { simple } from "acorn-walk";

export type CellLanguage = "js" | "ts";

export interface CompiledCell {
  /** The function body; its parameters are the scope's names plus __guard, display, view, invalidation. */
  body: string;
  /** Names the cell declares at top level. */
  exports: string[];
  /** Names bound directly to view(…) (`const x = view(input)`), which follow their input. */
  views: string[];
  /** The cell is a single expression whose value is displayed. */
  expression: boolean;
}

export interface CellError {
  message: string;
  /** 1-based line in the reader's source, if known. */
  line?: number;
  column?: number;
}

export class CellCompileError extends Error {
  constructor(readonly detail: CellError) {
    super(detail.line ? `${detail.message} (line ${detail.line})` : detail.message);
    this.name = "CellCompileError";
  }
}

const PARSE_OPTIONS = { ecmaVersion: "latest", sourceType: "module", allowAwaitOutsideFunction: true, locations: true } as const;

type LocatedNode = Node & { loc?: { start: { line: number; column: number } } | null };

/** Removes TypeScript syntax. Applied to JavaScript cells too, so that a reader's type
 *  annotations never break a cell; on plain JavaScript it changes nothing. */
function stripTypes(source: string): string {
  try {
    // keepUnusedImports: TypeScript would drop an unused import, hiding it from the check below.
    return transform(source, { transforms: ["typescript"], disableESTransforms: true, keepUnusedImports: true }).code;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /\((\d+):(\d+)\)/.exec(message); // Sucrase reports (line:column), both 1-based
    throw new CellCompileError({ message: `SyntaxError: ${message.replace(/\s*\(\d+:\d+\)\s*$/, "")}`, line: position ? Number(position[1]) : undefined, column: position ? Number(position[2]) : undefined });
  }
}

function parse(code: string): Node {
  try {
    return Parser.parse(code, PARSE_OPTIONS);
  } catch (error) {
    const e = error as SyntaxError & { loc?: { line: number; column: number } };
    throw new CellCompileError({ message: `SyntaxError: ${e.message.replace(/\s*\(\d+:\d+\)$/, "")}`, line: e.loc?.line, column: e.loc ? e.loc.column + 1 : undefined });
  }
}

/** The whole input is one expression (as Framework decides: it parses to the end). */
function isExpression(code: string): boolean {
  // acorn's Parser can be constructed directly; its typings mark the constructor protected.
  const ParserClass = Parser as unknown as new (options: typeof PARSE_OPTIONS, input: string, position: number) => { nextToken(): void; parseExpression(): Node; type: unknown };
  const parser = new ParserClass(PARSE_OPTIONS, code, 0);
  try {
    parser.nextToken();
    parser.parseExpression();
    return (parser.type as { label?: string }).label === "eof";
  } catch {
    return false;
  }
}

function declaredNames(pattern: Node, into: string[]): void {
  const node = pattern as Node & Record<string, unknown>;
  switch (node.type) {
    case "Identifier":
      into.push(node.name as string);
      break;
    case "ObjectPattern":
      for (const property of node.properties as (Node & { value?: Node; argument?: Node })[]) declaredNames(property.type === "RestElement" ? property.argument! : property.value!, into);
      break;
    case "ArrayPattern":
      for (const element of node.elements as (Node | null)[]) if (element) declaredNames(element, into);
      break;
    case "RestElement":
      declaredNames(node.argument as Node, into);
      break;
    case "AssignmentPattern":
      declaredNames(node.left as Node, into);
      break;
  }
}

/** Compiles a cell's source, JavaScript or TypeScript alike. */
export function compileCell(source: string): CompiledCell {
  const code = stripTypes(source);
  const program = parse(code) as Node & { body: (Node & Record<string, unknown>)[] };
  const exports: string[] = [];
  const views: string[] = [];
  for (const statement of program.body) {
    const located = statement as LocatedNode;
    if (statement.type === "ImportDeclaration" || statement.type.startsWith("Export")) {
      throw new CellCompileError({
        message: "An editable cell cannot import or export. The page's imports are already in scope; add new imports to the page itself.",
        line: located.loc?.start.line,
      });
    }
    if (statement.type === "VariableDeclaration") {
      for (const declarator of statement.declarations as (Node & { id: Node; init: (Node & { callee?: Node & { name?: string } }) | null })[]) {
        declaredNames(declarator.id, exports);
        if (declarator.id.type === "Identifier" && declarator.init?.type === "CallExpression" && declarator.init.callee?.name === "view") {
          views.push((declarator.id as Node & { name: string }).name);
        }
      }
    } else if ((statement.type === "FunctionDeclaration" || statement.type === "ClassDeclaration") && statement.id) {
      exports.push((statement.id as Node & { name: string }).name);
    }
  }

  // Loop guards, inserted from the end so that earlier offsets stay valid.
  const insertions: { at: number; text: string }[] = [];
  const guardLoop = (loop: Node) => {
    const body = (loop as Node & { body: Node }).body as LocatedNode;
    const line = (loop as LocatedNode).loc?.start.line ?? 0;
    if (body.type === "BlockStatement") insertions.push({ at: body.start + 1, text: `__guard(${line});` });
    else {
      insertions.push({ at: body.start, text: `{__guard(${line});` });
      insertions.push({ at: body.end, text: `}` });
    }
  };
  simple(program, { ForStatement: guardLoop, WhileStatement: guardLoop, DoWhileStatement: guardLoop, ForInStatement: guardLoop, ForOfStatement: guardLoop });
  insertions.sort((a, b) => b.at - a.at);
  let guarded = code;
  for (const { at, text } of insertions) guarded = guarded.slice(0, at) + text + guarded.slice(at);

  const expression = isExpression(code);
  // The reader's line n is line n of the body: nothing is added before the first line.
  const body = expression
    ? `"use strict";return {__value: (${guarded}\n)};`
    : `"use strict";${guarded}\nreturn {${exports.join(", ")}};`;
  return { body, exports, views, expression };
}
