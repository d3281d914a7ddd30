// Gradient-norm clipping on the "Vanishing and exploding gradients" page: the same network,
// the same minibatches and the same learning rate, trained twice side by side, once with
// the raw gradient and once with g ← g · min(1, c/‖g‖). Float64 BPTT (vanishingFastRnn.ts).
import { addingTask, recallTask } from "../core/lagTask.js";
import { formatNumber } from "../ui/format.js";
import { NormPlot } from "../ui/normPlot.js";
import { whenVisible } from "./bpttCostView.js";
import { chartRow } from "./bpttViews.js";
import { batchGradient, cloneFlat, createOptimizer, gradientNorm, type FlatRnn } from "./vanishingFastRnn.js";
import { initialRnn, yieldNow, type LagInit } from "./vanishingLag.js";

export interface ClipRaceOptions {
  /** "adding" (default) or "recall". */
  task?: "adding" | "recall";
  lag?: number;
  init?: LagInit;
  hiddenSize?: number;
  optimizer?: "sgd" | "adam";
  learningRate?: number;
  /** The clipping threshold c of the clipped run. */
  clipNorm?: number;
  steps?: number;
  batchSize?: number;
  seed?: number;
}

export interface ClipRun {
  label: string;
  clipNorm: number | null;
  /** Training loss before each update (NaN or ∞ once it diverges). */
  losses: number[];
  /** ‖g‖ before clipping at each update. */
  norms: number[];
  /** The update at which the loss stopped being finite, or null. */
  divergedAt: number | null;
}

function makeBatch(task: "adding" | "recall", lag: number, count: number, seed: number) {
  return task === "adding" ? addingTask({ lag, count, seed }) : recallTask({ lag, count, seed });
}

/** One update: returns the loss and ‖g‖, or non-finite values once the run has diverged. */
function update(net: FlatRnn, apply: (g: ReturnType<typeof batchGradient>["grads"]) => number, batch: ReturnType<typeof makeBatch>): { loss: number; norm: number } {
  const { loss, grads } = batchGradient(net, batch.xs, batch.targets as (number | number[])[][], batch.head);
  if (!Number.isFinite(loss)) return { loss, norm: gradientNorm(grads) };
  const norm = apply(grads);
  return { loss, norm };
}

/** Runs both trainings in lockstep; `onUpdate` sees both runs after every slice of work. */
export async function clipRace(options: ClipRaceOptions = {}, control: { onUpdate?(runs: ClipRun[]): void; signal?: { stopped: boolean } } = {}): Promise<ClipRun[]> {
  const { task = "adding", lag = 20, init = "irnn", hiddenSize = 16, optimizer = "sgd", learningRate = 0.1, clipNorm = 1, steps = 300, batchSize = 32, seed = 1 } = options;
  const probe = makeBatch(task, lag, 1, 0);
  const start = initialRnn(init, { inputSize: probe.inputSize, hiddenSize, outputSize: probe.outputSize }, seed);
  const runs = [null, clipNorm].map((c) => {
    const net = cloneFlat(start);
    return {
      net,
      optimizer: createOptimizer(net, { optimizer, learningRate, clipNorm: c ?? undefined }),
      run: { label: c === null ? "no clipping" : `clipped at ‖g‖ ≤ ${formatNumber(c)}`, clipNorm: c, losses: [], norms: [], divergedAt: null } as ClipRun,
    };
  });
  let sliceStart = performance.now();
  for (let step = 1; step <= steps; step++) {
    const batch = makeBatch(task, lag, batchSize, seed * 1_000_003 + step);
    for (const r of runs) {
      if (r.run.divergedAt !== null) continue;
      const { loss, norm } = update(r.net, (g) => r.optimizer.apply(r.net, g), batch);
      r.run.losses.push(loss);
      r.run.norms.push(norm);
      if (!Number.isFinite(loss) || !Number.isFinite(norm)) r.run.divergedAt = step;
    }
    if (performance.now() - sliceStart > 30 || step === steps) {
      control.onUpdate?.(runs.map((r) => r.run));
      await yieldNow();
      if (control.signal?.stopped) break;
      sliceStart = performance.now();
    }
  }
  return runs.map((r) => r.run);
}

export interface ClipRaceElement extends HTMLDivElement {
  /** Runs (again); resolves with both runs when done. */
  race(): Promise<ClipRun[]>;
  readonly value: { runs: ClipRun[]; done: boolean };
}

/** The race with its charts: loss and ‖g‖ against the update, for both runs. Starts when scrolled into view. */
export function ClipRaceView(options: ClipRaceOptions, { width = 640, invalidation }: { width?: number; invalidation?: Promise<unknown> } = {}): ClipRaceElement {
  const root = document.createElement("div") as unknown as ClipRaceElement;
  root.className = "clip-race";
  const bar = document.createElement("div");
  bar.className = "harness-controls";
  const button = Object.assign(document.createElement("button"), { type: "button", textContent: "Run again", name: "race" });
  const status = document.createElement("span");
  status.className = "harness-message";
  status.dataset.testid = "clip-status";
  bar.append(button, status);
  const colors = ["#c2410c", "#2563eb"];
  const half = width >= 560 ? Math.floor((width - 24) / 2) : width;
  const lossPlot = NormPlot([], { width: half, height: 240, xLabel: "update", yLabel: "training loss", title: "Loss (values above 10⁶ drawn at the top)", xName: (x) => `update ${x}`, yMax: 1e6 });
  const normPlot = NormPlot([], { width: half, height: 240, xLabel: "update", yLabel: "$\\lVert g\\rVert$ before clipping", title: "Gradient norm (values above 10⁶ drawn at the top)", xName: (x) => `update ${x}`, yMax: 1e6, reference: { y: options.clipNorm ?? 1, label: `threshold c = ${formatNumber(options.clipNorm ?? 1)}` } });
  const grid = chartRow(lossPlot, normPlot);
  root.append(bar, grid);
  let runs: ClipRun[] = [];
  let done = false;
  let current: Promise<ClipRun[]> | null = null;
  const signal = { stopped: false };
  invalidation?.then(() => (signal.stopped = true));
  const draw = () => {
    const series = (pick: (r: ClipRun) => number[]) =>
      runs.map((r, i) => ({ name: r.divergedAt ? `${r.label} (diverged at update ${r.divergedAt})` : r.label, x: pick(r).map((_, j) => j + 1), values: pick(r).map((v) => (Number.isFinite(v) ? v : null)), color: colors[i] }));
    lossPlot.update(series((r) => r.losses));
    normPlot.update(series((r) => r.norms));
  };
  root.race = () => {
    if (current) return current;
    button.disabled = true;
    done = false;
    status.textContent = "Training both…";
    current = clipRace(options, { signal, onUpdate: (r) => ((runs = r), draw()) })
      .then((r) => {
        runs = r;
        done = true;
        draw();
        const [raw, clipped] = r;
        const last = (xs: number[]) => xs[xs.length - 1]!;
        status.textContent = `${raw!.divergedAt ? `Without clipping the loss became ${formatNumber(raw!.losses[raw!.divergedAt - 1]!)} at update ${raw!.divergedAt} (largest ‖g‖ ${formatNumber(Math.max(...raw!.norms.filter(Number.isFinite)), 3)}).` : `Without clipping the run finished with loss ${formatNumber(last(raw!.losses), 3)}.`} With clipping: loss ${formatNumber(clipped!.losses[0]!, 3)} → ${formatNumber(last(clipped!.losses), 3)} after ${clipped!.losses.length} updates${clipped!.divergedAt ? `, but it diverged at update ${clipped!.divergedAt}` : ""}.`;
        root.dispatchEvent(new Event("input", { bubbles: true }));
        return r;
      })
      .catch((error) => {
        status.textContent = `The run failed: ${error instanceof Error ? error.message : String(error)}`;
        return runs;
      })
      .finally(() => {
        button.disabled = false;
        current = null;
      });
    return current;
  };
  Object.defineProperty(root, "value", { get: () => ({ runs, done }) });
  button.addEventListener("click", () => void root.race());
  status.textContent = "Scroll here to train.";
  whenVisible(root, () => void root.race(), invalidation);
  return root;
}
