// Loaded once on every page (see `head` in observablehq.config.ts).
//
// The self-hosted fonts and the download menus load at once. The tfjs runtime and its backend
// picker are imported dynamically: pages with live models import the runtime themselves (the
// same module, so the same engine), and pages without them show the picker without waiting for
// TensorFlow.js to arrive before the text can render.
import "./assets/dist/fonts.js";
import { watchForExportables } from "./ui/exportChart.js";

async function mountRuntime(): Promise<void> {
  const [{ BackendPicker }, runtime] = await Promise.all([import("./ui/backendPicker.js"), import("./runtime/backend.js")]);
  const slot = document.getElementById("unrolled-runtime");
  if (slot && !slot.firstChild) slot.append(BackendPicker());
  // For the curious reader's console and for the browser tests: window.__unrolled.tf is the
  // same tfjs instance that every live example on the page uses.
  const { tf, runtimeState, chooseBackend, ready } = runtime;
  (globalThis as unknown as { __unrolled: unknown }).__unrolled = { tf, runtimeState, chooseBackend, ready };
}

function mount(): void {
  // Every chart gets SVG and PNG downloads, every table of values a CSV download.
  watchForExportables();
  void mountRuntime();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
else mount();
