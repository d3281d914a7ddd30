// The one tfjs runtime of the site.
//
// - Picks the best backend that starts and passes a numerical smoke test, in the order
//   webgpu → webgl → wasm → cpu, starting from the reader's saved choice if there is one.
// - Tells every listener which backend is in use and why any was skipped.
// - If a backend fails while running (`reportBackendFailure`), moves to the next one.
import * as tf from "@unrolled/tfjs";
import { FileAttachment } from "observablehq:stdlib";

export type BackendName = "webgpu" | "webgl" | "wasm" | "cpu";
export const BACKEND_ORDER: readonly BackendName[] = ["webgpu", "webgl", "wasm", "cpu"];

export interface BackendNote {
  backend: BackendName;
  message: string;
}

export interface RuntimeState {
  /** The backend in use, or null while starting. */
  backend: BackendName | null;
  /** Backends that started and passed the smoke test in this tab. */
  working: BackendName[];
  /** Why a backend was skipped or abandoned, most recent last. */
  notes: BackendNote[];
  /** Bumped on every switch, so that live examples can rebuild their models. */
  generation: number;
}

const STORAGE_KEY = "unrolled.backend";
const events = new EventTarget();
const state: RuntimeState = { backend: null, working: [], notes: [], generation: 0 };
let switching: Promise<BackendName> | null = null;

// The wasm backend fetches its binary at start-up; Framework copies these files and gives
// their final URLs, so they come from the site's own origin.
tf.setWasmPaths({
  "tfjs-backend-wasm.wasm": FileAttachment("../tfjs/dist/tfjs-backend-wasm.wasm").href,
  "tfjs-backend-wasm-simd.wasm": FileAttachment("../tfjs/dist/tfjs-backend-wasm-simd.wasm").href,
  "tfjs-backend-wasm-threaded-simd.wasm": FileAttachment("../tfjs/dist/tfjs-backend-wasm-threaded-simd.wasm").href,
});

export function runtimeState(): Readonly<RuntimeState> {
  return state;
}

export function onRuntimeChange(listener: (state: Readonly<RuntimeState>) => void): () => void {
  const handler = () => listener(state);
  events.addEventListener("change", handler);
  return () => events.removeEventListener("change", handler);
}

function emit(): void {
  events.dispatchEvent(new Event("change"));
}

function note(backend: BackendName, message: string): void {
  state.notes.push({ backend, message });
  console.info(`[unrolled] ${backend}: ${message}`);
}

/** A short computation with a known answer; a backend that gets it wrong is not used. */
async function smokeTest(): Promise<void> {
  const [valueTensor, gradientTensor] = tf.tidy(() => {
    const w = tf.tensor2d([0.5, -0.25, 0.125, 1], [2, 2]);
    const x = tf.tensor2d([1, 2], [2, 1]);
    const f = (m: tf.Tensor) => tf.sum(tf.tanh(tf.matMul(m as tf.Tensor2D, x)));
    const { value, grad } = tf.valueAndGrad(f)(w);
    return [value, grad];
  });
  const [[value], gradient] = await Promise.all([valueTensor.data(), gradientTensor.data()]).finally(() => tf.dispose([valueTensor, gradientTensor]));
  // f(W) = tanh(0) + tanh(2.125); ∂f/∂W_ij = (1 − tanh(Wx)_i²) x_j
  const expected = Math.tanh(0) + Math.tanh(2.125);
  const d1 = 1 - Math.tanh(2.125) ** 2;
  const expectedGradient = [1, 2, d1, 2 * d1];
  const close = (a: number, b: number) => Math.abs(a - b) < 1e-3;
  if (!close(value, expected) || !Array.from(gradient).every((g, i) => close(g, expectedGradient[i]))) {
    throw new Error(`smoke test gave ${value.toFixed(5)} instead of ${expected.toFixed(5)}`);
  }
}

async function tryBackend(name: BackendName): Promise<boolean> {
  try {
    if (!(await tf.setBackend(name))) {
      note(name, "not available in this browser");
      return false;
    }
    await tf.ready();
    await smokeTest();
    if (!state.working.includes(name)) state.working.push(name);
    return true;
  } catch (error) {
    note(name, `failed to start: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

function savedChoice(): BackendName | null {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return BACKEND_ORDER.includes(saved as BackendName) ? (saved as BackendName) : null;
  } catch {
    return null;
  }
}

/**
 * The name of a software renderer behind a GPU backend (SwiftShader, llvmpipe, …), or null for
 * real hardware. A software "GPU" runs these small recurrent models far slower than
 * WebAssembly, so the automatic choice passes over it; the reader can still pick it.
 */
async function softwareRenderer(name: BackendName): Promise<string | null> {
  const software = /swiftshader|llvmpipe|softpipe|software|basic render/i;
  try {
    if (name === "webgl") {
      const gl = document.createElement("canvas").getContext("webgl2");
      const info = gl?.getExtension("WEBGL_debug_renderer_info");
      const renderer = gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : "";
      gl?.getExtension("WEBGL_lose_context")?.loseContext();
      return software.test(renderer) ? renderer : null;
    }
    if (name === "webgpu") {
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ isFallbackAdapter?: boolean; info?: Record<string, string> } | null> } }).gpu;
      const adapter = await gpu?.requestAdapter();
      if (!adapter) return null;
      const description = Object.values(adapter.info ?? {}).join(" ");
      return adapter.isFallbackAdapter || software.test(description) ? description || "fallback adapter" : null;
    }
  } catch {
    // If the renderer cannot be identified, treat it as hardware.
  }
  return null;
}

/**
 * Starts `first`, or the next backend in BACKEND_ORDER after it that works. `explicit` means
 * the reader asked for `first` (menu, saved choice or URL), so it is tried even if it is a
 * software GPU.
 */
async function startFrom(first: BackendName, explicit: boolean): Promise<BackendName> {
  const candidates = BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(first));
  for (const name of candidates) {
    const renderer = explicit && name === first ? null : await softwareRenderer(name);
    if (renderer) {
      note(name, `runs on a software renderer (${renderer}), slower than WebAssembly here; skipped in the automatic choice, but you can pick it`);
      continue;
    }
    if (await tryBackend(name)) {
      state.backend = name;
      state.generation += 1;
      emit();
      return name;
    }
    emit();
  }
  throw new Error("No TensorFlow.js backend could start, not even cpu.");
}

/** The backend in use, starting one on first call. */
export function ready(): Promise<BackendName> {
  if (state.backend && !switching) return Promise.resolve(state.backend);
  if (!switching) {
    const urlChoice = new URLSearchParams(location.search).get("backend") as BackendName | null;
    const chosen = BACKEND_ORDER.includes(urlChoice as BackendName) ? urlChoice! : savedChoice();
    switching = startFrom(chosen ?? BACKEND_ORDER[0], chosen !== null).finally(() => (switching = null));
  }
  return switching;
}

/** Switches at the reader's request; remembers the choice for the other pages. */
export async function chooseBackend(name: BackendName): Promise<BackendName> {
  if (switching) await switching;
  try {
    localStorage.setItem(STORAGE_KEY, name);
  } catch {
    // Private windows may refuse storage; the choice then lasts for this page only.
  }
  switching = startFrom(name, true).finally(() => (switching = null));
  return switching;
}

/** A backend failed while running: note it and move on to the next one. */
export async function reportBackendFailure(name: BackendName, error: unknown): Promise<BackendName> {
  if (state.backend !== name) return ready();
  note(name, `failed while running: ${error instanceof Error ? error.message : String(error)}`);
  state.working = state.working.filter((b) => b !== name);
  const next = BACKEND_ORDER[BACKEND_ORDER.indexOf(name) + 1];
  if (!next) throw error;
  switching = startFrom(next, false).finally(() => (switching = null));
  return switching;
}

export { tf };
