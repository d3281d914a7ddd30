// A button that runs a long, seeded batch of computations (train many networks, time many
// steps) on the reader's request, with a progress bar and a status line. Its value holds
// the results so far, and it dispatches `input` after each one, so a page's charts can follow.
// A cell re-run (`invalidation`) stops the batch between steps.
import { formatNumber } from "./format.js";

export interface BatchControl<T> {
  signal: { stopped: boolean };
  onProgress(fraction: number): void;
  /** Report one result as soon as it is ready. */
  onResult(result: T): void;
}

export interface BatchRunnerOptions<T> {
  /** Button text, e.g. "Train". */
  label: string;
  /** What the batch does, shown in the status line (e.g. the budget). */
  description: string;
  run(control: BatchControl<T>): Promise<unknown>;
  /** Status text for one result. */
  describe?(result: T): string;
  invalidation?: Promise<unknown>;
}

export interface BatchRunnerValue<T> {
  results: T[];
  running: boolean;
  done: boolean;
  error: string | null;
}

export interface BatchRunnerElement<T> extends HTMLDivElement {
  readonly value: BatchRunnerValue<T>;
  run(): Promise<void>;
}

export function BatchRunner<T>(options: BatchRunnerOptions<T>): BatchRunnerElement<T> {
  const root = document.createElement("div") as unknown as BatchRunnerElement<T>;
  root.className = "batch-runner harness-controls";
  const button = Object.assign(document.createElement("button"), { type: "button", textContent: options.label, name: "run" });
  const stopButton = Object.assign(document.createElement("button"), { type: "button", textContent: "Stop", name: "stop", disabled: true });
  const progress = Object.assign(document.createElement("progress"), { max: 1, value: 0 });
  progress.style.width = "160px";
  const status = document.createElement("span");
  status.className = "harness-message";
  status.dataset.testid = "batch-status";
  status.textContent = `Press “${options.label}” to start (${options.description}).`;
  root.append(button, stopButton, progress, status);
  let state: BatchRunnerValue<T> = { results: [], running: false, done: false, error: null };
  let signal = { stopped: false };
  let current: Promise<void> | null = null;
  options.invalidation?.then(() => (signal.stopped = true));
  const publish = () => root.dispatchEvent(new Event("input", { bubbles: true }));
  root.run = () => {
    if (current) return current;
    signal = { stopped: false };
    const mine = signal;
    options.invalidation?.then(() => (mine.stopped = true));
    state = { results: [], running: true, done: false, error: null };
    button.disabled = true;
    stopButton.disabled = false;
    progress.value = 0;
    const started = performance.now();
    status.textContent = `Running: ${options.description}…`;
    publish();
    current = options
      .run({
        signal: mine,
        onProgress: (f) => (progress.value = f),
        onResult: (result) => {
          state = { ...state, results: [...state.results, result] };
          status.textContent = `${state.results.length} done${options.describe ? `; last: ${options.describe(result)}` : ""}. Running…`;
          publish();
        },
      })
      .then(() => {
        state = { ...state, done: true };
        status.textContent = `Done: ${state.results.length} result${state.results.length === 1 ? "" : "s"} in ${formatNumber((performance.now() - started) / 1000, 3)} s (${options.description}).`;
      })
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        state = { ...state, error: message === "stopped" ? null : message };
        status.textContent = message === "stopped" ? `Stopped after ${state.results.length} result${state.results.length === 1 ? "" : "s"}.` : `Failed: ${message}`;
      })
      .finally(() => {
        state = { ...state, running: false };
        button.disabled = false;
        stopButton.disabled = true;
        current = null;
        publish();
      });
    return current;
  };
  Object.defineProperty(root, "value", { get: () => state });
  button.addEventListener("click", () => void root.run());
  stopButton.addEventListener("click", () => (signal.stopped = true));
  return root;
}
