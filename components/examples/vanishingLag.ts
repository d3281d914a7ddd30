// The long-range lag experiment of the "Vanishing and exploding gradients" page: train a
// vanilla RNN on "recall the first symbol" (components/core/lagTask.ts) at lag L, with a
// fixed budget of updates, and measure (a) the accuracy of the answer on held-out
// sequences and (b) how large the gradient of the answer's loss still is L steps back.
//
// Everything is float64 JavaScript (vanishingFastRnn.ts) and seeded, so a run gives the
// same numbers in the browser as in Node.

import { recallTask } from "../core/lagTask.js";
import { createRng } from "../core/random.js";
import { initRnnParams } from "../core/rnn.js";
import { argmaxAt, batchGradient, createOptimizer, flatFromParams, forward, hiddenGradientNorms, type Activation, type FlatRnn } from "./vanishingFastRnn.js";

/**
 * How W starts (U and V are Glorot-uniform and the biases zero in every case):
 * - "gaussian":   W_ij ~ N(0, 1/q), tanh. By the circular law its eigenvalues fill the disc of radius ≈ 1.
 * - "orthogonal": W orthogonal (every singular value 1), tanh.
 * - "identity":   W = I, tanh.
 * - "irnn":       W = I with ReLU units (Le, Jaitly & Hinton, 2015).
 */
export type LagInit = "gaussian" | "orthogonal" | "identity" | "irnn";

export const INIT_NAMES: Record<LagInit, string> = {
  gaussian: "Gaussian N(0, 1/q), tanh",
  orthogonal: "orthogonal, tanh",
  identity: "identity, tanh",
  irnn: "identity, ReLU (IRNN)",
};

export function initialRnn(init: LagInit, sizes: { inputSize: number; hiddenSize: number; outputSize: number }, seed: number): FlatRnn {
  const scheme = init === "orthogonal" ? "orthogonal" : init === "gaussian" ? "glorot" : "identity";
  const params = initRnnParams({ ...sizes, seed, scheme });
  if (init === "gaussian") {
    const rng = createRng(seed * 31 + 7);
    const sd = 1 / Math.sqrt(sizes.hiddenSize);
    params.W = params.W.map((row) => row.map(() => sd * rng.normal()));
  }
  const activation: Activation = init === "irnn" ? "relu" : "tanh";
  return flatFromParams(params, activation);
}

export interface LagRunOptions {
  /** L: the answer comes L steps after the symbol it must recall (T = L + 1). */
  lag: number;
  /** q (default 16). */
  hiddenSize?: number;
  /** Number of Adam updates (default 300). */
  steps?: number;
  /** Sequences per update (default 32). */
  batchSize?: number;
  /** Adam's step size (default 0.01). */
  learningRate?: number;
  /** Gradient clipping by global norm (default 1; null for none). */
  clipNorm?: number | null;
  init?: LagInit;
  /** m symbols (default 4): chance accuracy is 1/m. */
  alphabetSize?: number;
  seed?: number;
  /** Held-out sequences to measure accuracy on (default 500). */
  testCount?: number;
}

export interface LagRunResult {
  lag: number;
  init: LagInit;
  seed: number;
  steps: number;
  /** Fraction of held-out sequences whose answer (argmax over the m symbols at t = L + 1) is the first symbol. */
  accuracy: number;
  /** 1/m. */
  chance: number;
  /** The training loss (mean over batch and steps) of the last update. */
  finalLoss: number;
  /** Training loss every `steps / 50` updates. */
  lossCurve: { step: number; loss: number }[];
  /**
   * Mean over held-out sequences of ‖∂ℓ_answer/∂h(L + 1 − d)‖ for d = 0..L+1 steps back
   * from the answer, before training (index d).
   */
  answerGradientBefore: number[];
  /** The same after training. */
  answerGradientAfter: number[];
  /** Mean over held-out sequences of ‖∂L/∂h(L + 1 − d)‖ (all steps' losses), after training. */
  totalGradientAfter: number[];
  /** Milliseconds spent. */
  ms: number;
  /** The trained network. */
  model: FlatRnn;
}

export interface RunControl {
  /** Called with the fraction done, at most every ~50 ms. */
  onProgress?(fraction: number): void;
  /** Resolve to stop early (e.g. Framework's invalidation); the run then throws "stopped". */
  signal?: { stopped: boolean };
  /** Milliseconds of work between yields to the browser (default 25). */
  sliceMs?: number;
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** Lets the browser paint and handle input between slices of work. */
export function yieldNow(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function meanNorms(model: FlatRnn, task: ReturnType<typeof recallTask>, count: number, lossStep: "answer" | "all"): number[] {
  const T = task.length;
  const sum = new Array<number>(T + 1).fill(0);
  for (let n = 0; n < count; n++) {
    const norms = hiddenGradientNorms(model, task.xs[n]!, task.targets[n]!, "multiclass", lossStep === "all" ? "all" : T);
    norms.forEach((v, d) => (sum[d]! += v / count));
  }
  return sum;
}

/** The held-out accuracy of the answer: argmax over the m symbols at the last step. */
export function recallAccuracy(model: FlatRnn, task: ReturnType<typeof recallTask>): number {
  let correct = 0;
  task.xs.forEach((xs, n) => {
    const tr = forward(model, xs);
    if (argmaxAt(tr, model.k, task.length, task.alphabetSize) === task.answers[n]) correct += 1;
  });
  return correct / task.xs.length;
}

/** Trains one network at one lag; see LagRunOptions for the defaults. */
export async function trainAtLag(options: LagRunOptions, control: RunControl = {}): Promise<LagRunResult> {
  const { lag, hiddenSize = 16, steps = 300, batchSize = 32, learningRate = 0.01, init = "orthogonal", alphabetSize = 4, seed = 1, testCount = 500 } = options;
  const clipNorm = options.clipNorm === undefined ? 1 : options.clipNorm;
  if (!Number.isInteger(lag) || lag < 1) throw new Error(`The lag must be a whole number ≥ 1, got ${lag}.`);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a whole number ≥ 1, got ${steps}.`);
  const started = now();
  const test = recallTask({ lag, count: testCount, seed: 900_001 + lag, alphabetSize });
  const model = initialRnn(init, { inputSize: test.inputSize, hiddenSize, outputSize: test.outputSize }, seed);
  const probe = Math.min(100, testCount);
  const answerGradientBefore = meanNorms(model, test, probe, "answer");
  const optimizer = createOptimizer(model, { optimizer: "adam", learningRate, clipNorm: clipNorm ?? undefined });
  const lossCurve: { step: number; loss: number }[] = [];
  const every = Math.max(1, Math.round(steps / 50));
  let finalLoss = NaN;
  let sliceStart = now();
  let lastProgress = 0;
  for (let step = 1; step <= steps; step++) {
    const batch = recallTask({ lag, count: batchSize, seed: seed * 1_000_003 + step, alphabetSize });
    const { loss, grads } = batchGradient(model, batch.xs, batch.targets, "multiclass");
    optimizer.apply(model, grads);
    finalLoss = loss;
    if (step % every === 0 || step === steps) lossCurve.push({ step, loss });
    if (now() - sliceStart > (control.sliceMs ?? 25)) {
      if (control.onProgress && now() - lastProgress > 50) {
        control.onProgress(step / steps);
        lastProgress = now();
      }
      await yieldNow();
      if (control.signal?.stopped) throw new Error("stopped");
      sliceStart = now();
    }
  }
  const accuracy = recallAccuracy(model, test);
  const result: LagRunResult = {
    lag,
    init,
    seed,
    steps,
    accuracy,
    chance: 1 / alphabetSize,
    finalLoss,
    lossCurve,
    answerGradientBefore,
    answerGradientAfter: meanNorms(model, test, probe, "answer"),
    totalGradientAfter: meanNorms(model, test, probe, "all"),
    ms: now() - started,
    model,
  };
  control.onProgress?.(1);
  return result;
}

/** Trains one network per lag, one after another (see trainAtLag), reporting each result as it lands. */
export async function lagSweep(lags: number[], options: Omit<LagRunOptions, "lag">, control: RunControl & { onResult?(result: LagRunResult, index: number): void } = {}): Promise<LagRunResult[]> {
  const results: LagRunResult[] = [];
  for (const [index, lag] of lags.entries()) {
    const result = await trainAtLag({ ...options, lag }, { ...control, onProgress: (f) => control.onProgress?.((index + f) / lags.length) });
    results.push(result);
    control.onResult?.(result, index);
  }
  return results;
}

/** The settings of the page's sweep and of the stored table (vanishingLagTable.ts). */
export const SWEEP_SETTINGS = { hiddenSize: 16, steps: 300, batchSize: 32, learningRate: 0.01, clipNorm: 1, alphabetSize: 4, testCount: 500 } as const;
export const SWEEP_LAGS = [2, 5, 10, 15, 20, 30, 40];

export interface LagTableRow {
  init: LagInit;
  seed: number;
  lag: number;
  accuracy: number;
  finalLoss: number;
}

/**
 * Recomputes the stored table: one run per init × seed × lag with SWEEP_SETTINGS.
 * From the repository root:
 *   node --import tsx -e 'import("./components/examples/vanishingLag.ts").then((m) => m.printLagTable())'
 */
export async function computeLagTable(inits: LagInit[], seeds: number[], lags: number[] = SWEEP_LAGS, onRow?: (row: LagTableRow) => void): Promise<LagTableRow[]> {
  const rows: LagTableRow[] = [];
  for (const init of inits) {
    for (const seed of seeds) {
      for (const lag of lags) {
        const r = await trainAtLag({ ...SWEEP_SETTINGS, lag, init, seed }, { sliceMs: 1e9 });
        const row = { init, seed, lag, accuracy: r.accuracy, finalLoss: r.finalLoss };
        rows.push(row);
        onRow?.(row);
      }
    }
  }
  return rows;
}

/** Prints the table as the TypeScript source of vanishingLagTable.ts's LAG_TABLE rows. */
export async function printLagTable(inits: LagInit[] = ["gaussian", "orthogonal", "identity", "irnn"], seeds: number[] = [1, 2, 3, 4, 5]): Promise<void> {
  await computeLagTable(inits, seeds, SWEEP_LAGS, (row) => console.log(`  { init: "${row.init}", seed: ${row.seed}, lag: ${row.lag}, accuracy: ${row.accuracy}, finalLoss: ${row.finalLoss} },`));
}
