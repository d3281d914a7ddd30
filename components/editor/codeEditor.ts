// The code editor for editable cells: CodeMirror 6 from node_modules, loaded only when a reader
// opens a cell's code. Ctrl/⌘-Enter runs the cell; the line of an error is highlighted.
import { EditorView, keymap, Decoration, type DecorationSet } from "@codemirror/view";
import { EditorState, StateEffect, StateField } from "@codemirror/state";
import { basicSetup } from "codemirror";
import { javascript } from "@codemirror/lang-javascript";

export interface CodeEditorOptions {
  language: "js" | "ts";
  onRun(): void;
  onChange(source: string): void;
}

export interface CodeEditor {
  getSource(): string;
  setSource(source: string): void;
  /** Highlights a 1-based line, or clears the highlight with null. */
  markErrorLine(line: number | null): void;
  view: EditorView;
}

const setErrorLine = StateEffect.define<number | null>();
const errorLineField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(decorations, transaction) {
    let next = decorations.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (!effect.is(setErrorLine)) continue;
      const line = effect.value;
      next = line !== null && line >= 1 && line <= transaction.state.doc.lines
        ? Decoration.set([Decoration.line({ class: "cm-error-line" }).range(transaction.state.doc.line(line).from)])
        : Decoration.none;
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export async function createCodeEditor(parent: HTMLElement, source: string, options: CodeEditorOptions): Promise<CodeEditor> {
  const run = () => {
    options.onRun();
    return true;
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: source,
      extensions: [
        keymap.of([
          { key: "Mod-Enter", run },
          { key: "Shift-Enter", run },
        ]),
        basicSetup,
        javascript({ typescript: options.language === "ts" }),
        errorLineField,
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ "aria-label": "cell code" }),
      ],
    }),
  });
  return {
    view,
    getSource: () => view.state.doc.toString(),
    setSource: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    markErrorLine: (line) => view.dispatch({ effects: setErrorLine.of(line) }),
  };
}
