// An editable live example. It runs the author's code (compiled at build time, so no compiler
// loads with the page), shows its output, and on request opens the code in an editor (loaded
// only then). The reader edits, runs, stops, resets; edits persist in this browser per page
// and per cell. The cell's declarations flow to the rest of the page through `.value`.
import * as tf from "@unrolled/tfjs";
import * as d3 from "d3";
import type { CompiledCell, CellError, CellLanguage } from "./compile.js";
import { pageScopeSnapshot, publishScope } from "./pageScope.js";
import { inspectValue } from "./inspectValue.js";
import { loadEdit, saveEdit, clearEdit } from "./storage.js";
import { createGuard, RunStopped } from "./guard.js";
import { errorLocation } from "./errorLocation.js";
import { copyPageLink } from "../runtime/urlState.js";

export { publishScope };

export interface EditableSpec {
  id: string;
  language: CellLanguage;
  source: string;
  sourceHash: string;
  compiled: CompiledCell;
}

export interface EditableOptions {
  /** The values of the free variables of the author's code, from Framework. */
  scope: Record<string, unknown>;
  invalidation?: Promise<unknown>;
}

type Exports = Record<string, unknown>;
type CodeEditorModule = typeof import("./codeEditor.js");
type CompilerModule = typeof import("./compile.js");

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<Exports>;

export interface EditableCellElement extends HTMLElement {
  value: Promise<Exports> | Exports;
  /** Runs the code now in the editor (or the original, if the editor was never opened). */
  run(): Promise<void>;
  stop(): void;
  reset(): Promise<void>;
  /** Opens the editor and replaces its code (for tests and for scripting the page). */
  setSource(source: string): Promise<void>;
}

export function EditableCell(spec: EditableSpec, { scope, invalidation }: EditableOptions): EditableCellElement {
  const root = document.createElement("div") as unknown as EditableCellElement;
  root.className = "editable-cell";
  root.dataset.cellId = spec.id;

  const toolbar = el("div", "editable-toolbar");
  const editButton = button("edit", "Edit code", "Open this example's code in an editor");
  const runButton = button("run", "▶ Run", "Run the code (Ctrl/⌘-Enter in the editor)");
  const stopButton = button("stop", "■ Stop", "Stop the running code");
  const resetButton = button("reset", "↺ Reset", "Restore the original code and forget your edits");
  const linkButton = button("copyLink", "Copy link", "Copy a link to this page with its current settings (the code is not included)");
  const status = el("span", "editable-status");
  status.setAttribute("role", "status");
  toolbar.append(editButton, runButton, stopButton, resetButton, linkButton, status);
  const editorHost = isolatedContainer("editable-editor");
  editorHost.hidden = true;
  const errorBox = el("div", "editable-error");
  errorBox.setAttribute("role", "alert");
  errorBox.hidden = true;
  let output = isolatedContainer("editable-output");
  root.append(toolbar, editorHost, errorBox, output);

  let editor: Awaited<ReturnType<CodeEditorModule["createCodeEditor"]>> | null = null;
  let currentSource = spec.source;
  /** Frees the resources (e.g. a training harness) of the run whose output is shown. */
  let runInvalidate: (() => void) | null = null;
  let stopCurrent: (() => void) | null = null;
  let settledOnce = false;
  let resolveFirst!: (exports: Exports) => void;
  let rejectFirst!: (error: unknown) => void;
  const first = new Promise<Exports>((resolve, reject) => ((resolveFirst = resolve), (rejectFirst = reject)));
  first.catch(() => undefined); // reported inline; Framework reports it to dependants
  root.value = first;

  const setRunning = (value: boolean) => {
    runButton.disabled = value;
    stopButton.disabled = !value;
    root.dataset.running = String(value);
  };
  const showError = (error: CellError | null) => {
    errorBox.hidden = error === null;
    errorBox.textContent = error ? `${error.message}${error.line ? ` (line ${error.line}${error.column ? `, column ${error.column}` : ""})` : ""}` : "";
    editor?.markErrorLine(error?.line ?? null);
  };
  const say = (text: string) => (status.textContent = text);
  /** Every finished attempt, run or refused, bumps data-runs (tests and scripts wait on it). */
  const countRun = () => (root.dataset.runs = String(Number(root.dataset.runs ?? 0) + 1));

  const publish = (exports: Exports) => {
    if (!settledOnce) {
      settledOnce = true;
      resolveFirst(exports);
    } else {
      root.value = exports;
      root.dispatchEvent(new Event("input", { bubbles: true }));
    }
  };

  /**
   * Runs compiled code. Its output replaces the old output as it appears; if the run fails or is
   * stopped, its partial output and resources are dropped and the previous run's output, state
   * and exports come back, so the rest of the page keeps working.
   */
  let active: Promise<void> = Promise.resolve();
  /** Runs compiled code; resolves to whether it succeeded. `settleOnFailure: false` leaves a
   *  failed first run unsettled, so that the original code can still run instead. */
  const execute = async (compiled: CompiledCell, label: string, settleOnFailure = true): Promise<boolean> => {
    // One run at a time: a new run first stops the one in progress and waits for it to end.
    stopCurrent?.();
    const waitFor = active;
    let finished!: () => void;
    active = new Promise<void>((resolve) => (finished = resolve));
    await waitFor;
    try {
      return await executeNow(compiled, label, settleOnFailure);
    } finally {
      finished();
    }
  };
  const executeNow = async (compiled: CompiledCell, label: string, settleOnFailure: boolean): Promise<boolean> => {
    showError(null);
    const guard = createGuard();
    stopCurrent = guard.stop;
    let invalidateRun!: () => void;
    const runInvalidation = new Promise<void>((resolve) => (invalidateRun = resolve));
    const previousOutput = output;
    const nextOutput = isolatedContainer("editable-output");
    previousOutput.replaceWith(nextOutput);
    output = nextOutput;
    const display = (value: unknown) => {
      nextOutput.append(value instanceof Node ? value : inspectValue(value));
      return value;
    };
    const view = (input: HTMLElement & { value?: unknown }) => {
      display(input);
      return input.value;
    };
    const values: Record<string, unknown> = { ...pageScopeSnapshot(), tf, d3, ...scope };
    for (const name of ["display", "view", "invalidation", "__guard"]) delete values[name];
    const names = Object.keys(values);
    setRunning(true);
    say(`running ${label}…`);
    const started = performance.now();
    try {
      const fn = new AsyncFunction(...names, "__guard", "display", "view", "invalidation", `${compiled.body}\n//# sourceURL=${sourceName(spec.id)}`);
      const result = await fn(...names.map((n) => values[n]), guard.check, display, view, runInvalidation);
      if (compiled.expression) display(result.__value);
      const exports: Exports = compiled.expression ? {} : result;
      // The new run succeeded: the previous one's resources can go.
      runInvalidate?.();
      runInvalidate = invalidateRun;
      // `const x = view(input)`: x follows its input, and so do the cells that use x.
      bindViews(compiled, exports, nextOutput, publish);
      publish(exports);
      say(`${label} ran in ${(performance.now() - started).toFixed(0)} ms`);
      return true;
    } catch (error) {
      invalidateRun();
      if (settledOnce) {
        nextOutput.replaceWith(previousOutput);
        output = previousOutput;
      }
      const location = errorLocation(error, sourceName(spec.id));
      const message = error instanceof RunStopped ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      showError({ message, line: location?.line, column: location?.column });
      say(settledOnce ? "not applied: the page keeps the results of the last run that worked" : "");
      if (!settledOnce && settleOnFailure) {
        settledOnce = true;
        rejectFirst(error);
      }
      return false;
    } finally {
      guard.dispose();
      setRunning(false);
      countRun();
    }
  };

  let compiler: Promise<CompilerModule> | null = null;
  // The prebuilt bundle of compile.ts (see build.mjs): Sucrase and acorn load only now.
  const loadCompiler = () => (compiler ??= import("./dist/compiler.js") as Promise<CompilerModule>);

  /** Compiles and runs the reader's source; a compile error shows inline and nothing else changes. */
  const runSource = async (source: string, label: string, settleOnFailure = true): Promise<boolean> => {
    const { compileCell, CellCompileError } = await loadCompiler();
    let compiled: CompiledCell;
    try {
      compiled = compileCell(source);
    } catch (error) {
      showError(error instanceof CellCompileError ? error.detail : { message: String(error) });
      say("not run: fix the error and run again");
      countRun();
      if (!settledOnce && settleOnFailure) {
        settledOnce = true;
        rejectFirst(error);
      }
      return false;
    }
    return execute(compiled, label, settleOnFailure);
  };

  root.run = async () => {
    if (editor) currentSource = editor.getSource();
    if (currentSource !== spec.source) saveEdit(spec, currentSource);
    if (currentSource === spec.source) await execute(spec.compiled, "the original code");
    else await runSource(currentSource, "your edited code");
    root.classList.toggle("edited", currentSource !== spec.source);
  };
  root.stop = () => stopCurrent?.();
  root.reset = async () => {
    clearEdit(spec);
    currentSource = spec.source;
    editor?.setSource(spec.source);
    root.classList.remove("edited");
    await execute(spec.compiled, "the original code");
  };

  const openEditor = async () => {
    if (editor) {
      editorHost.hidden = !editorHost.hidden;
      editButton.textContent = editorHost.hidden ? "Edit code" : "Hide code";
      return;
    }
    editButton.disabled = true;
    say("loading the editor…");
    const { createCodeEditor } = await import("./codeEditor.js");
    editor = await createCodeEditor(editorHost, currentSource, {
      language: spec.language,
      onRun: () => void root.run(),
      onChange: (source) => saveEdit(spec, source),
    });
    editorHost.hidden = false;
    editButton.disabled = false;
    editButton.textContent = "Hide code";
    say("");
    void loadCompiler();
  };

  root.setSource = async (source: string) => {
    if (!editor) await openEditor();
    editor!.setSource(source);
  };

  editButton.addEventListener("click", () => void openEditor());
  linkButton.addEventListener("click", () => void copyPageLink().then(() => say("link copied (settings only; edited code stays in this browser)")));
  runButton.addEventListener("click", () => void root.run());
  stopButton.addEventListener("click", () => root.stop());
  resetButton.addEventListener("click", () => void root.reset());
  setRunning(false);

  invalidation?.then(() => {
    stopCurrent?.();
    runInvalidate?.();
    runInvalidate = null;
  });

  // First run: the reader's saved edit if there is one, otherwise the author's code.
  const saved = loadEdit(spec);
  if (saved && saved.source !== spec.source) {
    currentSource = saved.source;
    root.classList.add("edited");
    const note = saved.stale ? " The page's own version of this cell has changed since; Reset to see it." : "";
    say(`running your edited version, saved in this browser.${note}`);
    void openEditor().then(async () => {
      // If the saved edit fails, the page runs the original so that it still works; the edit
      // stays in the editor with its error, to be fixed or reset.
      if (await runSource(saved.source, "your edited code", false)) return;
      const error = errorBox.textContent;
      await execute(spec.compiled, "the original code");
      showError({ message: `Your saved edit failed, so the page is showing the original code's results. ${error}` });
    });
  } else {
    void execute(spec.compiled, "the original code");
  }
  return root;
}

/** Re-publishes `const x = view(input)` exports when their input changes. */
function bindViews(compiled: CompiledCell, exports: Exports, output: HTMLElement, publish: (e: Exports) => void): void {
  if (compiled.views.length === 0) return;
  const inputs = Array.from(output.children) as (HTMLElement & { value?: unknown })[];
  for (const name of compiled.views) {
    const input = inputs.find((node) => node.value === exports[name]);
    input?.addEventListener("input", () => publish({ ...exports, [name]: input.value }));
  }
}

/**
 * A container whose `input` events stop at its edge. The cell's own `input` event announces new
 * exports to Framework; a training harness or the editor inside it also dispatch `input`, and
 * if those bubbled to the cell, Framework would take each one for new exports and re-run every
 * cell that depends on this one.
 */
function isolatedContainer(className: string): HTMLDivElement {
  const node = el("div", className);
  node.addEventListener("input", (event) => event.stopPropagation());
  return node;
}

function sourceName(id: string): string {
  return `editable-${id}.js`;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

function button(name: string, text: string, title: string): HTMLButtonElement {
  const b = el("button", "");
  b.type = "button";
  b.name = name;
  b.textContent = text;
  b.title = title;
  return b;
}
