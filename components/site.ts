// Loaded once on every page (see `head` in observablehq.config.ts).
import "./assets/dist/fonts.js";
import { BackendPicker } from "./ui/backendPicker.js";
import { tf, runtimeState, chooseBackend, ready } from "./runtime/backend.js";
import { watchForExportables } from "./ui/exportChart.js";

function mount(): void {
  const slot = document.getElementById("unrolled-runtime");
  if (slot && !slot.firstChild) slot.append(BackendPicker());
  // Every chart gets SVG and PNG downloads, every table of values a CSV download.
  watchForExportables();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
else mount();

// For the curious reader's console and for the browser tests: window.__unrolled.tf is the
// same tfjs instance that every live example on the page uses.
(globalThis as unknown as { __unrolled: unknown }).__unrolled = { tf, runtimeState, chooseBackend, ready };
