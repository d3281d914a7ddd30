// Every variable of the page, as its latest value, for code the reader edits.
// Filled by hidden cells that the editable-cell plugin adds to each page with editable cells.
const scope = new Map<string, unknown>();

export function publishScope(values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values)) scope.set(name, value);
}

export function pageScopeSnapshot(): Record<string, unknown> {
  return Object.fromEntries(scope);
}
