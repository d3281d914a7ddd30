// The control for the page's TimeCursor: a slider, a number box, step buttons and keyboard
// arrows. As a Framework input it exposes `.value` (the time step) and dispatches `input`.
import type { TimeCursor } from "./timeCursor.js";
import { numberParam, setUrlParam, urlParam } from "../runtime/urlState.js";

export interface TimeScrubberOptions {
  label?: string;
  /** How to show a time step to the reader, e.g. t => `year ${1700 + t}`. */
  format?: (t: number) => string;
  width?: number;
  /** Keep the time step in the page's URL under this key (default "t"); null to not. */
  urlKey?: string | null;
  invalidation?: Promise<unknown>;
}

export interface TimeScrubberElement extends HTMLElement {
  value: number;
}

export function TimeScrubber(cursor: TimeCursor, { label = "time step t", format = (t) => `t = ${t}`, width, urlKey = "t", invalidation }: TimeScrubberOptions = {}): TimeScrubberElement {
  const root = document.createElement("div") as unknown as TimeScrubberElement;
  root.className = "time-scrubber";
  if (width) root.style.maxWidth = `${width}px`;

  const title = document.createElement("label");
  title.className = "time-scrubber-label";
  title.textContent = label;

  const previous = button("◀", "previous time step", () => cursor.set(cursor.value - 1));
  const next = button("▶", "next time step", () => cursor.set(cursor.value + 1));

  const slider = document.createElement("input");
  slider.type = "range";
  slider.step = "1";
  slider.setAttribute("aria-label", label);

  const number = document.createElement("input");
  number.type = "number";
  number.step = "1";
  number.setAttribute("aria-label", `${label} (number)`);

  const readout = document.createElement("output");
  readout.className = "time-scrubber-readout";

  // The bar docks under the page header once the reader scrolls past it, so the time step
  // stays in reach while reading the views below. The root keeps the bar's height meanwhile.
  const bar = document.createElement("div");
  bar.className = "time-scrubber-bar";
  bar.append(title, previous, slider, next, number, readout);
  root.append(bar);
  dockWhenScrolledPast(root, bar, invalidation);

  const syncRange = () => {
    for (const input of [slider, number]) {
      input.min = String(cursor.min);
      input.max = String(cursor.max);
    }
  };
  syncRange();
  cursor.addEventListener("range", syncRange);

  slider.addEventListener("input", (event) => {
    event.stopPropagation();
    cursor.set(slider.valueAsNumber);
  });
  number.addEventListener("input", (event) => {
    event.stopPropagation();
    if (Number.isFinite(number.valueAsNumber)) cursor.set(number.valueAsNumber);
  });
  root.addEventListener("keydown", (event) => {
    if (event.target === number) return;
    if (event.key === "ArrowLeft") cursor.set(cursor.value - 1);
    else if (event.key === "ArrowRight") cursor.set(cursor.value + 1);
    else return;
    event.preventDefault();
  });

  Object.defineProperty(root, "value", {
    get: () => cursor.value,
    set: (t: number) => cursor.set(t),
  });

  const fromUrl = urlKey ? numberParam.parse(urlParam(urlKey) ?? "") : undefined;
  if (fromUrl !== undefined) cursor.set(fromUrl);
  let first = true;
  cursor.subscribe(
    (t) => {
      if (urlKey && !first) setUrlParam(urlKey, String(t));
      first = false;
      slider.value = String(t);
      if (document.activeElement !== number) number.value = String(t);
      readout.textContent = format(t);
      root.dispatchEvent(new Event("input", { bubbles: true }));
    },
    { owner: root, invalidation },
  );
  return root;
}

function button(text: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  b.title = title;
  b.setAttribute("aria-label", title);
  b.addEventListener("click", onClick);
  return b;
}

function dockWhenScrolledPast(root: HTMLElement, bar: HTMLElement, invalidation?: Promise<unknown>): void {
  if (typeof IntersectionObserver === "undefined") return;
  const headerHeight = () => document.getElementById("observablehq-header")?.getBoundingClientRect().bottom ?? 0;
  const place = () => {
    const box = root.getBoundingClientRect();
    const docked = root.isConnected && box.top < headerHeight();
    root.style.minHeight = docked ? `${bar.offsetHeight}px` : "";
    bar.classList.toggle("docked", docked);
    bar.style.left = docked ? `${box.left}px` : "";
    bar.style.width = docked ? `${box.width}px` : "";
    bar.style.top = docked ? `${headerHeight()}px` : "";
  };
  const observer = new IntersectionObserver(place, { threshold: [0, 1], rootMargin: "-80px 0px 0px 0px" });
  observer.observe(root);
  window.addEventListener("resize", place);
  window.addEventListener("scroll", place, { passive: true });
  invalidation?.then(() => {
    observer.disconnect();
    window.removeEventListener("resize", place);
    window.removeEventListener("scroll", place);
  });
}
