// The BPTT page's cost panel: measures (bpttCost.ts) when the reader scrolls to it, and
// again on request, and plots time and memory against T.
import { formatNumber } from "../ui/format.js";
import { NormPlot } from "../ui/normPlot.js";
import { chartRow } from "./bpttViews.js";
import { measureCost, measureParallel, type CostRow, type ParallelRow } from "./bpttCost.js";

/**
 * Calls `run` once, the first time `element` comes into view or has been scrolled past (at
 * once where there is no IntersectionObserver). The root is extended far upwards, so that a
 * quick scroll past the element, between two frames, still counts.
 */
export function whenVisible(element: Element, run: () => void, invalidation?: Promise<unknown>): void {
  if (typeof IntersectionObserver === "undefined") return void run();
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        observer.disconnect();
        run();
      }
    },
    { rootMargin: "1000000px 0px 0px 0px" },
  );
  observer.observe(element);
  invalidation?.then(() => observer.disconnect());
}

export interface CostPanelOptions {
  lengths: number[];
  /** B·T for the parallel comparison, and the lengths T to split it into. */
  total: number;
  parallelLengths: number[];
  hiddenSize?: number;
  width?: number;
  invalidation?: Promise<unknown>;
}

export interface CostPanelElement extends HTMLDivElement {
  /** Resolves when the current measurement has finished. */
  measure(): Promise<void>;
  readonly value: { rows: CostRow[]; parallel: ParallelRow[]; done: boolean };
}

export function CostPanel({ lengths, total, parallelLengths, hiddenSize = 8, width = 640, invalidation }: CostPanelOptions): CostPanelElement {
  const root = document.createElement("div") as unknown as CostPanelElement;
  root.className = "cost-panel";
  const bar = document.createElement("div");
  bar.className = "harness-controls";
  const button = Object.assign(document.createElement("button"), { type: "button", textContent: "Measure again", name: "measure" });
  const status = document.createElement("span");
  status.className = "harness-message";
  status.dataset.testid = "cost-status";
  bar.append(button, status);
  const full = Math.min(width, 900);
  const half = full >= 560 ? Math.floor((full - 24) / 2) : full;
  const timePlot = NormPlot([], { yScale: "linear", width: half, height: 230, xLabel: "sequence length $T$", yLabel: "milliseconds", title: "Time for one forward and backward pass", xName: (x) => `T = ${x}`, format: (v) => `${formatNumber(v, 3)} ms` });
  const memoryPlot = NormPlot([], { yScale: "linear", width: half, height: 230, xLabel: "sequence length $T$", yLabel: "kilobytes", title: "Memory kept for the backward pass", xName: (x) => `T = ${x}`, format: (v) => `${formatNumber(v, 3)} kB` });
  const parallelPlot = NormPlot([], { yScale: "linear", width: Math.min(width, 640), height: 230, xLabel: `sequence length $T$ (batch of ${total}/$T$ sequences)`, yLabel: "milliseconds", title: `The same ${total} steps of work, as B sequences of length T`, xName: (x) => `T = ${x}, B = ${Math.max(1, Math.round(total / x))}`, format: (v) => `${formatNumber(v, 3)} ms` });
  const grid = chartRow(timePlot, memoryPlot);
  root.append(bar, grid, parallelPlot);

  let rows: CostRow[] = [];
  let parallel: ParallelRow[] = [];
  let done = false;
  let running: Promise<void> | null = null;
  let stopped = false;
  invalidation?.then(() => (stopped = true));

  const draw = () => {
    const T = rows.map((r) => r.T);
    timePlot.update([
      { name: "float64 BPTT (rnnBackward)", x: T, values: rows.map((r) => r.manualMs), color: "#c2410c", dots: true },
      { name: "tfjs autodiff (variableGrads)", x: T, values: rows.map((r) => r.autodiffMs), color: "#2563eb", dots: true },
    ]);
    memoryPlot.update([
      { name: "float64: a, h, o, ŷ at every step", x: T, values: rows.map((r) => (r.storedNumbers * 8) / 1000), color: "#c2410c", dots: true },
      { name: "tfjs: peak memory during the backward pass", x: T, values: rows.map((r) => r.peakBytes / 1000), color: "#2563eb", dots: true },
    ]);
    parallelPlot.update([{ name: "tfjs forward + backward", x: parallel.map((r) => r.T), values: parallel.map((r) => r.ms), color: "#2563eb", dots: true }]);
  };

  root.measure = () => {
    if (running) return running;
    running = (async () => {
      button.disabled = true;
      done = false;
      rows = [];
      parallel = [];
      draw();
      try {
        status.textContent = "Measuring time and memory against T…";
        await measureCost(lengths, { hiddenSize, onRow: (row) => (!stopped && (rows.push(row), draw(), (status.textContent = `Measured T = ${row.T}…`))) });
        status.textContent = "Measuring batches of different shapes…";
        await measureParallel(total, parallelLengths, { hiddenSize, onRow: (row) => (!stopped && (parallel.push(row), draw())) });
        const last = rows[rows.length - 1]!;
        const first = rows[0]!;
        status.textContent = `Done. From T = ${first.T} to T = ${last.T} (×${formatNumber(last.T / first.T)}): float64 time ×${formatNumber(last.manualMs / first.manualMs, 2)}, tfjs time ×${formatNumber(last.autodiffMs / first.autodiffMs, 2)}, stored numbers ×${formatNumber(last.storedNumbers / first.storedNumbers, 2)}, tfjs peak memory ×${formatNumber(last.peakBytes / first.peakBytes, 2)}.`;
        done = true;
      } catch (error) {
        status.textContent = `The measurement failed: ${error instanceof Error ? error.message : String(error)}`;
      } finally {
        button.disabled = false;
        running = null;
        root.dispatchEvent(new Event("input", { bubbles: true }));
      }
    })();
    return running;
  };
  Object.defineProperty(root, "value", { get: () => ({ rows, parallel, done }) });
  button.addEventListener("click", () => void root.measure());
  status.textContent = "Scroll here to measure.";
  whenVisible(root, () => void root.measure(), invalidation);
  return root;
}
