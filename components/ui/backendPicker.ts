// The backend indicator and switcher shown in every page's header.
import { BACKEND_ORDER, chooseBackend, onRuntimeChange, ready, runtimeState, type BackendName } from "../runtime/backend.js";
import { setUrlParam } from "../runtime/urlState.js";

const LABELS: Record<BackendName, string> = {
  webgpu: "WebGPU (GPU)",
  webgl: "WebGL (GPU)",
  wasm: "WebAssembly (CPU, SIMD)",
  cpu: "Plain JavaScript (CPU)",
};

export function BackendPicker(): HTMLElement {
  const root = document.createElement("span");
  root.className = "backend-picker";
  const label = document.createElement("label");
  label.textContent = "tfjs backend ";
  const select = document.createElement("select");
  select.setAttribute("aria-label", "TensorFlow.js backend");
  select.name = "backend";
  for (const name of BACKEND_ORDER) {
    const option = document.createElement("option");
    option.value = name;
    option.textContent = LABELS[name];
    select.append(option);
  }
  label.append(select);
  const status = document.createElement("span");
  status.className = "backend-status";
  status.setAttribute("role", "status");
  root.append(label, status);

  const render = () => {
    const { backend, notes } = runtimeState();
    select.disabled = backend === null;
    if (backend) select.value = backend;
    root.dataset.backend = backend ?? "starting";
    const last = notes.at(-1);
    status.textContent = backend === null ? "starting…" : last && last.backend !== backend ? `${last.backend} ${last.message}; using ${backend}` : "";
    status.title = notes.map((n) => `${n.backend}: ${n.message}`).join("\n");
  };
  select.addEventListener("change", () => {
    void chooseBackend(select.value as BackendName);
    setUrlParam("backend", select.value);
    render();
  });
  onRuntimeChange(render);
  render();
  void ready().catch((error) => {
    status.textContent = String(error instanceof Error ? error.message : error);
  });
  return root;
}
