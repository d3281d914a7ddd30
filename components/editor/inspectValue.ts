// How an editable cell shows a value that is not a DOM node: a compact, readable text form.
export function inspectValue(value: unknown): HTMLElement {
  const pre = document.createElement("pre");
  pre.className = "editable-value";
  pre.textContent = describe(value, 0);
  return pre;
}

function describe(value: unknown, depth: number): string {
  if (typeof value === "string") return depth === 0 ? value : JSON.stringify(value);
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(8)));
  if (typeof value === "function") return `ƒ ${value.name || "anonymous"}()`;
  if (value === null || typeof value !== "object") return String(value);
  if (depth > 2) return Array.isArray(value) ? `Array(${value.length})` : "{…}";
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = Array.from(value as ArrayLike<unknown>);
    const shown = items.slice(0, 20).map((item) => describe(item, depth + 1));
    return `[${shown.join(", ")}${items.length > 20 ? `, … ${items.length - 20} more` : ""}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const shown = entries.slice(0, 20).map(([k, v]) => `${k}: ${describe(v, depth + 1)}`);
  return `{${shown.join(", ")}${entries.length > 20 ? ", …" : ""}}`;
}
