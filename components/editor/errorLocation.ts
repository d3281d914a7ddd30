// Finds where in the reader's code a runtime error was thrown, from the error's stack.
// The compiled body keeps the reader's line numbers; the function header that the engine adds
// in front of it is measured once with a probe, so this works whatever the browser's header is.
let headerLines: number | null = null;

function measureHeader(): number {
  // A plain Function gets the same header shape as the AsyncFunction the cells use.
  const probe = new Function("a", "b", 'throw new Error("probe");\n//# sourceURL=editable-probe.js') as () => void;
  try {
    probe();
  } catch (error) {
    const line = findLine(error, "editable-probe.js");
    if (line) return line.line - 1;
  }
  return 2;
}

function findLine(error: unknown, sourceName: string): { line: number; column: number } | null {
  const stack = error instanceof Error ? error.stack ?? "" : "";
  const escaped = sourceName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(stack);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : null;
}

/** The 1-based line and column in the reader's source, if the stack names the cell. */
export function errorLocation(error: unknown, sourceName: string): { line: number; column: number } | null {
  const raw = findLine(error, sourceName);
  if (!raw) return null;
  headerLines ??= measureHeader();
  const line = raw.line - headerLines;
  return line >= 1 ? { line, column: raw.column } : null;
}
