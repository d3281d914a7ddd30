// The page's control state in its URL, so that a link reproduces a run.
//
// Controls (parameters, seed, learning rate, backend, scrubber position) read their starting
// value from the query string and write every change back with history.replaceState. Code is
// never put in or run from a URL.

/** The value of `key` in the page's query string, or null. */
export function urlParam(key: string): string | null {
  return new URLSearchParams(location.search).get(key);
}

const pending = new Map<string, string | null>();
let flushTimer: ReturnType<typeof setTimeout> | null = null;

/**
 * Sets (or, with null, removes) `key` in the page's query string without reloading. Changes are
 * gathered for 150 ms, since browsers throttle pages that rewrite their URL many times a second
 * (dragging the scrubber would).
 */
export function setUrlParam(key: string, value: string | null): void {
  pending.set(key, value);
  flushTimer ??= setTimeout(flushUrl, 150);
}

/** Writes pending changes to the URL now. */
export function flushUrl(): void {
  if (flushTimer !== null) clearTimeout(flushTimer);
  flushTimer = null;
  const url = new URL(location.href);
  for (const [key, value] of pending) {
    if (value === null) url.searchParams.delete(key);
    else url.searchParams.set(key, value);
  }
  pending.clear();
  if (url.href !== location.href) history.replaceState(history.state, "", url);
}

export interface UrlBinding<T> {
  /** Text → value; return undefined to reject a value that is not valid for the control. */
  parse(text: string): T | undefined;
  format(value: T): string;
}

export const numberParam: UrlBinding<number> = {
  parse: (text) => (text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : undefined),
  format: (value) => String(value),
};

export const stringParam: UrlBinding<string> = { parse: (text) => text, format: (value) => value };

/** A comma-separated list of strings, e.g. the architectures ticked in a checkbox. */
export const stringListParam: UrlBinding<string[]> = {
  parse: (text) => text.split(",").filter((s) => s !== ""),
  format: (value) => value.join(","),
};

/** A comma-separated list of numbers; rejected if any entry is not a number. */
export const numberListParam: UrlBinding<number[]> = {
  parse: (text) => {
    const values = text.split(",").filter((s) => s.trim() !== "").map(Number);
    return values.every(Number.isFinite) ? values : undefined;
  },
  format: (value) => value.join(","),
};

/**
 * Binds an input (anything with `.value` that dispatches `input`) to `key` in the URL: the URL's
 * value, if valid, becomes the input's starting value, and the input's changes go to the URL.
 * Returns the input, so that `view(bindUrl(Inputs.range(…), "q", numberParam))` works.
 */
export function bindUrl<T, E extends EventTarget & { value: T }>(input: E, key: string, binding: UrlBinding<T>): E {
  const text = urlParam(key);
  const parsed = text === null ? undefined : binding.parse(text);
  if (parsed !== undefined && parsed !== input.value) {
    input.value = parsed;
    // Some inputs ignore an out-of-range value; write back what they actually took.
    if (input.value !== parsed) setUrlParam(key, binding.format(input.value));
  }
  input.addEventListener("input", () => setUrlParam(key, binding.format(input.value)));
  return input;
}

/** Copies the page's current URL (with its state) to the clipboard; resolves to the URL. */
export async function copyPageLink(): Promise<string> {
  flushUrl();
  const link = location.href;
  try {
    await navigator.clipboard.writeText(link);
  } catch {
    // Clipboard refused (insecure context or permissions): fall back to a selection copy.
    const area = document.createElement("textarea");
    area.value = link;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  return link;
}
