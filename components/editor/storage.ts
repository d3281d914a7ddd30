// The reader's edits, kept in this browser per page and per cell until Reset.
import type { EditableSpec } from "./editableCell.js";

interface StoredEdit {
  source: string;
  /** Hash of the author's source the edit was made from. */
  base: string;
  savedAt: string;
}

function key(spec: Pick<EditableSpec, "id">): string {
  return `unrolled.edit:${location.pathname}:${spec.id}`;
}

export function loadEdit(spec: EditableSpec): { source: string; stale: boolean } | null {
  try {
    const raw = localStorage.getItem(key(spec));
    if (!raw) return null;
    const stored = JSON.parse(raw) as StoredEdit;
    return typeof stored.source === "string" ? { source: stored.source, stale: stored.base !== spec.sourceHash } : null;
  } catch {
    return null;
  }
}

export function saveEdit(spec: EditableSpec, source: string): void {
  try {
    if (source === spec.source) localStorage.removeItem(key(spec));
    else localStorage.setItem(key(spec), JSON.stringify({ source, base: spec.sourceHash, savedAt: new Date().toISOString() } satisfies StoredEdit));
  } catch {
    // Storage may be full or refused (private windows): the edit then lasts for this visit.
  }
}

export function clearEdit(spec: EditableSpec): void {
  try {
    localStorage.removeItem(key(spec));
  } catch {
    // nothing stored
  }
}
