// The lag sweep's control on the "Vanishing and exploding gradients" page: trains one
// network per lag (vanishingLag.ts) when the reader scrolls to it or presses the button,
// shows its progress, and publishes the results as its value (an `input` event per result),
// so that the page's charts can follow.
import { formatNumber } from "../ui/format.js";
import { whenVisible } from "./bpttCostView.js";
import { INIT_NAMES, lagSweep, type LagRunOptions, type LagRunResult } from "./vanishingLag.js";

export interface LagSweepElement extends HTMLDivElement {
  run(): Promise<LagRunResult[]>;
  readonly value: { lags: number[]; results: LagRunResult[]; running: boolean; done: boolean; options: Omit<LagRunOptions, "lag"> };
}

export function LagSweep(lags: number[], options: Omit<LagRunOptions, "lag">, { autostart = true, invalidation }: { autostart?: boolean; invalidation?: Promise<unknown> } = {}): LagSweepElement {
  const clean = [...new Set(lags.map((l) => Math.round(l)).filter((l) => l >= 1))].sort((a, b) => a - b);
  if (clean.length === 0) throw new Error("Give at least one lag L ≥ 1.");
  const root = document.createElement("div") as unknown as LagSweepElement;
  root.className = "lag-sweep harness-controls";
  const button = Object.assign(document.createElement("button"), { type: "button", textContent: "Train again", name: "sweep" });
  const progress = Object.assign(document.createElement("progress"), { max: 1, value: 0 });
  progress.style.width = "160px";
  const status = document.createElement("span");
  status.className = "harness-message";
  status.dataset.testid = "sweep-status";
  root.append(button, progress, status);
  let results: LagRunResult[] = [];
  let running = false;
  let done = false;
  let current: Promise<LagRunResult[]> | null = null;
  const signal = { stopped: false };
  invalidation?.then(() => (signal.stopped = true));
  const publish = () => root.dispatchEvent(new Event("input", { bubbles: true }));
  const describe = () => `${INIT_NAMES[options.init ?? "orthogonal"]}, q = ${options.hiddenSize ?? 16}, ${options.steps ?? 300} Adam updates of ${options.batchSize ?? 32} sequences, seed ${options.seed ?? 1}`;
  root.run = () => {
    if (current) return current;
    running = true;
    done = false;
    results = [];
    button.disabled = true;
    publish();
    const started = performance.now();
    status.textContent = `Training at L = ${clean[0]}… (${describe()})`;
    current = lagSweep(clean, options, {
      signal,
      onProgress: (f) => (progress.value = f),
      onResult: (r, i) => {
        results = [...results, r];
        status.textContent = `L = ${r.lag}: accuracy ${formatNumber(r.accuracy, 3)} in ${formatNumber(r.ms / 1000, 2)} s.${i + 1 < clean.length ? ` Training at L = ${clean[i + 1]}…` : ""}`;
        publish();
      },
    })
      .then((all) => {
        done = true;
        status.textContent = `Done: ${all.length} networks in ${formatNumber((performance.now() - started) / 1000, 2)} s (${describe()}).`;
        return all;
      })
      .catch((error) => {
        status.textContent = error instanceof Error && error.message === "stopped" ? "Stopped." : `The sweep failed: ${error instanceof Error ? error.message : String(error)}`;
        return results;
      })
      .finally(() => {
        running = false;
        button.disabled = false;
        current = null;
        publish();
      });
    return current;
  };
  Object.defineProperty(root, "value", { get: () => ({ lags: clean, results, running, done, options }) });
  button.addEventListener("click", () => void root.run());
  status.textContent = autostart ? "Scroll here to train." : "Press the button to train.";
  if (autostart) whenVisible(root, () => void root.run(), invalidation);
  return root;
}
