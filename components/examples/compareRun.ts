// The measured comparison of the "Comparing RNN, LSTM and GRU" page: every architecture
// (vanilla RNN, LSTM, GRU, LSTM with a gate removed, stacked, bidirectional) is a
// TfSequenceNet trained by the same code with the same budget: the same seeded minibatches
// of the recall task (lagTask.ts), the same optimiser, learning rate, clipping and number of
// updates, and the same held-out sequences. Only the network differs.

import * as tf from "@unrolled/tfjs";
import { createRng } from "../core/random.js";
import { recallTask, reverseInTime, type RecallTask } from "../core/lagTask.js";
import { initSequenceNetParams, sequenceNetParamCount, type CellKind, type SequenceNetSpec } from "../core/sequenceNet.js";
import type { ResetPlacement } from "../core/gru.js";
import { createTfSequenceNet, sequenceNetUnrollTimeMajor, tfSequenceNetLoss, type TfSequenceNet } from "../models/sequenceNetTf.js";
import type { FixedGates } from "../models/lstmTf.js";
import { createVariableTrainer } from "../models/variableTrainer.js";
import { yieldToBrowser } from "../runtime/yieldToBrowser.js";

export interface Variant {
  id: string;
  label: string;
  cell: CellKind;
  hiddenSize: number;
  layers: number;
  bidirectional: boolean;
  /** LSTM only: gates held at a constant (the ablation). */
  fixedGates?: FixedGates;
  /** LSTM: initial b_F; GRU: initial b_Z. */
  gateBias?: number;
  reset?: ResetPlacement;
}

export interface CompareSettings {
  /** Adam updates per network. */
  steps: number;
  batchSize: number;
  learningRate: number;
  /** Global gradient-norm clipping threshold. */
  clipNorm: number;
  /** m, symbols in the recall task. */
  alphabetSize: number;
  /** Held-out sequences for the accuracy. */
  heldOut: number;
  /** Accuracy is also measured after every this many updates. */
  checkEvery: number;
}

export const COMPARE_SETTINGS: CompareSettings = { steps: 800, batchSize: 32, learningRate: 0.01, clipNorm: 5, alphabetSize: 4, heldOut: 500, checkEvery: 200 };

const Q = 16;
const P = COMPARE_SETTINGS.alphabetSize + 1;

/** The vanilla RNN width whose parameter count is closest to the LSTM's at q = 16. */
export function matchedRnnWidth(target = sequenceNetParamCount(specOf({ id: "", label: "", cell: "lstm", hiddenSize: Q, layers: 1, bidirectional: false }, P))): number {
  let best = 1;
  for (let q = 1; q <= 200; q++) {
    const count = sequenceNetParamCount(specOf({ id: "", label: "", cell: "rnn", hiddenSize: q, layers: 1, bidirectional: false }, P));
    if (Math.abs(count - target) < Math.abs(sequenceNetParamCount(specOf({ id: "", label: "", cell: "rnn", hiddenSize: best, layers: 1, bidirectional: false }, P)) - target)) best = q;
  }
  return best;
}

const base = { hiddenSize: Q, layers: 1, bidirectional: false };

/** The lag sweep's architectures: equal width q = 16 unless said otherwise. */
export const LAG_VARIANTS: Variant[] = [
  { id: "rnn", label: "RNN", cell: "rnn", ...base },
  { id: "rnn-wide", label: `RNN, q = ${matchedRnnWidth()} (LSTM's parameters)`, cell: "rnn", ...base, hiddenSize: matchedRnnWidth() },
  { id: "lstm", label: "LSTM", cell: "lstm", ...base, gateBias: 1 },
  { id: "gru", label: "GRU", cell: "gru", ...base, reset: "before" },
];

/** The gate ablation: the LSTM with one gate held at 1 (always open). */
export const ABLATION_VARIANTS: Variant[] = [
  { id: "lstm", label: "LSTM, all gates", cell: "lstm", ...base, gateBias: 1 },
  { id: "lstm-no-forget", label: "no forget gate (F = 1)", cell: "lstm", ...base, gateBias: 1, fixedGates: { F: 1 } },
  { id: "lstm-no-input", label: "no input gate (I = 1)", cell: "lstm", ...base, gateBias: 1, fixedGates: { I: 1 } },
  { id: "lstm-no-output", label: "no output gate (O = 1)", cell: "lstm", ...base, gateBias: 1, fixedGates: { O: 1 } },
];

/** Depth and direction, one LSTM layer of q = 16 per direction and layer. */
export const DEEP_VARIANTS: Variant[] = [
  { id: "lstm", label: "LSTM, 1 layer", cell: "lstm", ...base, gateBias: 1 },
  { id: "lstm-2-layers", label: "LSTM, 2 layers", cell: "lstm", ...base, layers: 2, gateBias: 1 },
  { id: "lstm-bidirectional", label: "LSTM, bidirectional", cell: "lstm", ...base, bidirectional: true, gateBias: 1 },
];

export const ALL_VARIANTS: Variant[] = [...LAG_VARIANTS, ...ABLATION_VARIANTS.slice(1), ...DEEP_VARIANTS.slice(1)];

export function variantById(id: string): Variant {
  const found = ALL_VARIANTS.find((v) => v.id === id);
  if (!found) throw new Error(`Unknown architecture "${id}": use one of ${ALL_VARIANTS.map((v) => v.id).join(", ")}.`);
  return found;
}

export function specOf(variant: Variant, inputSize = P): SequenceNetSpec {
  return { cell: variant.cell, inputSize, hiddenSize: variant.hiddenSize, outputSize: inputSize, layers: variant.layers, bidirectional: variant.bidirectional, reset: variant.reset };
}

export function createVariantNet(variant: Variant, seed: number, inputSize = P): TfSequenceNet {
  const spec = specOf(variant, inputSize);
  return createTfSequenceNet(initSequenceNetParams(spec, { seed, gateBias: variant.gateBias }), "multiclass", { fixedGates: variant.fixedGates });
}

/** Builds the network of `spec` in tfjs, sums the sizes of its variables, and frees it. */
export function countLiveParameters(spec: SequenceNetSpec): number {
  const net = createTfSequenceNet(initSequenceNetParams(spec, { seed: 1 }), "real");
  try {
    return net.variables.reduce((s, v) => s + v.size, 0);
  } finally {
    net.dispose();
  }
}

/** Accuracy at the task's answer step over its sequences. */
export async function taskAccuracy(net: TfSequenceNet, task: RecallTask): Promise<number> {
  const logits = tf.tidy(() => {
    const o = sequenceNetUnrollTimeMajor(net, tf.tensor3d(task.xs)).o;
    return tf.argMax(tf.squeeze(tf.slice(o, [task.answerStep, 0, 0], [1, -1, -1]), [0]), -1);
  });
  try {
    const picked = await logits.data();
    return task.answers.filter((a, n) => picked[n] === a).length / task.answers.length;
  } finally {
    logits.dispose();
  }
}

/** "recall": answer the first symbol at the last step. "reversed": the same read backwards in time (lagTask.ts reverseInTime). */
export type CompareTaskKind = "recall" | "reversed";

export interface CompareResult {
  variant: string;
  task: CompareTaskKind;
  lag: number;
  seed: number;
  /** Held-out accuracy at the answer step after all updates. */
  accuracy: number;
  /** Held-out accuracy after every checkEvery updates (the last one is `accuracy`). */
  checkpoints: { step: number; accuracy: number }[];
  /** Mean training loss over the last 50 updates. */
  finalLoss: number;
  paramCount: number;
  /** Wall time per update on the backend that ran it (ms). */
  msPerStep: number;
}

export interface RunControl {
  signal?: { stopped: boolean };
  onProgress?(fraction: number): void;
}

/**
 * Trains one architecture at one lag from scratch. The minibatches depend only on `seed`
 * (not on the architecture), so every variant sees the same data.
 */
export async function trainVariant(variant: Variant, lag: number, seed: number, settings: CompareSettings = COMPARE_SETTINGS, control: RunControl = {}, task: CompareTaskKind = "recall"): Promise<CompareResult> {
  const m = settings.alphabetSize;
  const transform = (t: RecallTask) => (task === "reversed" ? reverseInTime(t) : t);
  const heldOut = transform(recallTask({ lag, count: settings.heldOut, seed: 7, alphabetSize: m }));
  const net = createVariantNet(variant, seed, m + 1);
  const trainer = createVariableTrainer(net.variables, { learningRate: settings.learningRate, optimizer: "adam", clipNorm: settings.clipNorm });
  const data = createRng(seed * 7919 + 13);
  const checkpoints: CompareResult["checkpoints"] = [];
  const losses: number[] = [];
  let trainingMs = 0;
  let lastYield = performance.now();
  try {
    for (let step = 1; step <= settings.steps; step++) {
      if (control.signal?.stopped) throw new Error("stopped");
      const batch = transform(recallTask({ lag, count: settings.batchSize, seed: data.int(2 ** 31), alphabetSize: m }));
      const xs = tf.tensor3d(batch.xs);
      const ys = tf.tensor2d(batch.targets, undefined, "int32");
      const started = performance.now();
      try {
        losses.push(await trainer.step(() => tfSequenceNetLoss(net, xs, ys)));
      } finally {
        xs.dispose();
        ys.dispose();
      }
      trainingMs += performance.now() - started;
      if (step % settings.checkEvery === 0 || step === settings.steps) checkpoints.push({ step, accuracy: await taskAccuracy(net, heldOut) });
      control.onProgress?.(step / settings.steps);
      if (performance.now() - lastYield > 30) {
        await yieldToBrowser();
        lastYield = performance.now();
      }
    }
    const tail = losses.slice(-50);
    return {
      variant: variant.id,
      task,
      lag,
      seed,
      accuracy: checkpoints.at(-1)!.accuracy,
      checkpoints,
      finalLoss: tail.reduce((s, v) => s + v, 0) / tail.length,
      paramCount: net.variables.reduce((s, v) => s + v.size, 0),
      msPerStep: trainingMs / settings.steps,
    };
  } finally {
    trainer.dispose();
    net.dispose();
  }
}

/** Runs a grid of (variant, lag) one network at a time, reporting each result as it lands. */
export async function compareGrid(
  variants: Variant[],
  lags: number[],
  seed: number,
  settings: CompareSettings = COMPARE_SETTINGS,
  control: RunControl & { onResult?(result: CompareResult, index: number, total: number): void } = {},
  task: CompareTaskKind = "recall",
): Promise<CompareResult[]> {
  const jobs = lags.flatMap((lag) => variants.map((variant) => ({ variant, lag })));
  const results: CompareResult[] = [];
  for (const [i, { variant, lag }] of jobs.entries()) {
    const result = await trainVariant(variant, lag, seed, settings, { signal: control.signal, onProgress: (f) => control.onProgress?.((i + f) / jobs.length) }, task);
    results.push(result);
    control.onResult?.(result, i, jobs.length);
  }
  return results;
}
