// Loaded once on every page (see `head` in observablehq.config.ts).
import "./assets/dist/fonts.js";
import { BackendPicker } from "./ui/backendPicker.js";

function mount(): void {
  const slot = document.getElementById("unrolled-runtime");
  if (slot && !slot.firstChild) slot.append(BackendPicker());
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
else mount();
