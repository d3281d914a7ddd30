// The live memory experiment shared by the LSTM and GRU pages: a gated network learns the
// "recall the first symbol" task of lagTask.ts (lag L, T = L + 1 steps, an "answer now"
// channel at the last step), on fresh seeded minibatches every step. The inspection reads
// every gate and state on one shown sequence, the accuracy at the answer step on held-out
// sequences, and the size of ∂ℓ(answer)/∂state(t) through time.

import * as tf from "@unrolled/tfjs";
import { createRng, type Rng } from "../core/random.js";
import { recallTask, type RecallTask } from "../core/lagTask.js";
import { initRnnParams, rnnForward, softmax, type RnnParams } from "../core/rnn.js";
import { initLstmParams } from "../core/lstm.js";
import { initGruParams, type ResetPlacement } from "../core/gru.js";
import { createTfLstm, lstmUnrollTimeMajor, readLstmIntermediates, tfLstmLoss, type FixedGates, type TfLstm } from "../models/lstmTf.js";
import { createTfGru, gruUnrollTimeMajor, readGruIntermediates, tfGruLoss, type TfGru } from "../models/gruTf.js";
import { createVariableTrainer, type VariableTrainer } from "../models/variableTrainer.js";
import { createTfRnn, type TfRnn } from "../models/rnnTf.js";
import { createTrainer, type Trainer } from "../models/trainer.js";
import type { TrainingTask } from "../ui/trainingHarness.js";

export type GatedKind = "lstm" | "gru";

export interface MemoryOptions {
  kind: GatedKind;
  lag: number;
  hiddenSize: number;
  /** LSTM: initial b_F. GRU: initial b_Z. */
  gateBias?: number;
  /** GRU only. */
  reset?: ResetPlacement;
  /** LSTM only: gates held constant. */
  fixedGates?: FixedGates;
  batchSize?: number;
  alphabetSize?: number;
  /** The first symbol of the shown sequence (0..m−1). */
  shownSymbol?: number;
  clipNorm?: number;
  /** Also train a vanilla RNN of the same width on the same minibatches (default true). */
  companion?: boolean;
}

export interface MemoryModel {
  net: TfLstm | TfGru;
  trainer: VariableTrainer;
  rng: Rng;
  /** The vanilla RNN trained alongside on the same minibatches, if any. */
  rnn: { net: TfRnn; trainer: Trainer } | null;
}

export interface MemoryInspection {
  kind: GatedKind;
  /** Every gate and state on the shown sequence, T×q each: F, I, O, cTilde, c, h (LSTM) or Z, R, hTilde, h (GRU). */
  states: Record<string, number[][]>;
  /** Softmax outputs on the shown sequence, T×(m+1). */
  yhat: number[][];
  /** Fraction of held-out sequences answered correctly at the last step. */
  accuracy: number;
  /** ‖∂ℓ(answer)/∂c(t)‖ (LSTM) or ‖∂ℓ(answer)/∂h(t)‖ (GRU) for t = 1..T, on the gradient batch. */
  gradNorms: number[];
  /** Sum of the live variables' sizes. */
  liveParamCount: number;
  /** The companion vanilla RNN's held-out accuracy and ‖∂ℓ(answer)/∂h(t)‖, or null without one. */
  rnn: { accuracy: number; gradNorms: number[] } | null;
  /** Each variable's name and shape. */
  variables: { name: string; shape: number[]; size: number }[];
}

const ALPHABET = 4;
/** Held-out sequences for the accuracy. */
export const HELD_OUT = 100;

/** The sequence the page shows: fixed symbols except the first, which the reader picks. */
export function shownSequence(lag: number, firstSymbol: number, alphabetSize = ALPHABET): { xs: number[][]; symbols: number[] } {
  const rng = createRng(2024 + lag);
  const symbols = Array.from({ length: lag + 1 }, (_, t) => (t === 0 ? firstSymbol : rng.int(alphabetSize)));
  const xs = symbols.map((s, t) => Array.from({ length: alphabetSize + 1 }, (_, j) => (j === s || (j === alphabetSize && t === lag) ? 1 : 0)));
  return { xs, symbols };
}

function createNet(options: MemoryOptions, seed: number): TfLstm | TfGru {
  const m = options.alphabetSize ?? ALPHABET;
  const sizes = { inputSize: m + 1, hiddenSize: options.hiddenSize, outputSize: m + 1, seed };
  if (options.kind === "lstm") {
    return createTfLstm(initLstmParams({ ...sizes, forgetBias: options.gateBias ?? 1 }), "multiclass", { fixedGates: options.fixedGates });
  }
  return createTfGru(initGruParams({ ...sizes, updateBias: options.gateBias ?? 0 }), "multiclass", options.reset ?? "before");
}

function lossOf(net: TfLstm | TfGru, xs: tf.Tensor3D, ys: tf.Tensor2D): tf.Scalar {
  return net.kind === "lstm" ? tfLstmLoss(net, xs, ys) : tfGruLoss(net, xs, ys);
}

/** Cross-entropy at the answer step only, averaged over the batch, from time-major logits. */
function answerLoss(o: tf.Tensor3D, answers: tf.Tensor1D): tf.Scalar {
  const [T, , k] = o.shape;
  const last = tf.squeeze(tf.slice(o, [T - 1, 0, 0], [1, -1, -1]), [0]) as tf.Tensor2D;
  const picked = tf.sum(tf.mul(last, tf.oneHot(answers, k)), -1);
  return tf.mean(tf.sub(tf.logSumExp(last, -1), picked));
}

/** ‖∂ℓ(answer)/∂state(t)‖ (Frobenius over batch and units) for every t, by differentiating with respect to a zero nudge. */
export async function gatedGradNorms(net: TfLstm | TfGru, task: RecallTask): Promise<number[]> {
  const norms = tf.tidy(() => {
    const xs = tf.tensor3d(task.xs);
    const answers = tf.tensor1d(task.answers, "int32");
    const nudge = tf.zeros([task.length, task.xs.length, net.hiddenSize]) as tf.Tensor3D;
    const grad = tf.grad((n: tf.Tensor) => {
      const o = net.kind === "lstm" ? lstmUnrollTimeMajor(net, xs, { nudge: n as tf.Tensor3D }).o : gruUnrollTimeMajor(net, xs, { nudge: n as tf.Tensor3D }).o;
      return answerLoss(o, answers);
    })(nudge);
    return tf.sqrt(tf.sum(tf.square(grad), [1, 2]));
  });
  try {
    return Array.from(await norms.data());
  } finally {
    norms.dispose();
  }
}

/**
 * The same quantity for a vanilla RNN h(t) = tanh(W h(t−1) + U x(t) + b) in float64:
 * δ(T) = Vᵀ(softmax(o(T)) − e_y)/N, δ(t−1) = Wᵀ((1 − h(t)²) ⊙ δ(t)), summed over the batch.
 */
export function rnnGradNorms(params: RnnParams, task: RecallTask): number[] {
  const T = task.length;
  const q = params.W.length;
  const N = task.xs.length;
  const total = Array.from({ length: T }, () => new Array<number>(N * q).fill(0));
  task.xs.forEach((xs, n) => {
    const f = rnnForward(params, xs);
    const p = softmax(f.o[T - 1]!).map((v, j) => (v - (j === task.answers[n] ? 1 : 0)) / N);
    let delta = Array.from({ length: q }, (_, i) => params.V.reduce((s, row, j) => s + row[i]! * p[j]!, 0));
    for (let t = T - 1; t >= 0; t--) {
      delta.forEach((v, i) => (total[t]![n * q + i] = v));
      if (t === 0) break;
      const a = delta.map((v, i) => v * (1 - f.h[t]![i]! ** 2));
      delta = Array.from({ length: q }, (_, i) => params.W.reduce((s, row, j) => s + row[i]! * a[j]!, 0));
    }
  });
  return total.map((row) => Math.sqrt(row.reduce((s, v) => s + v * v, 0)));
}

/** The batch on which gradient norms are measured (fixed, so curves are comparable). */
export function gradientBatch(lag: number, alphabetSize = ALPHABET): RecallTask {
  return recallTask({ lag, count: 16, seed: 99, alphabetSize });
}

/** Gradient norms through time at initialisation: the gated net from `seed`, and a Glorot vanilla RNN of the same width. */
export async function initialGradNorms(options: MemoryOptions, seed: number): Promise<{ gated: number[]; rnn: number[] }> {
  const batch = gradientBatch(options.lag, options.alphabetSize);
  const net = createNet(options, seed);
  try {
    const gated = await gatedGradNorms(net, batch);
    const m = options.alphabetSize ?? ALPHABET;
    const rnn = rnnGradNorms(initRnnParams({ inputSize: m + 1, hiddenSize: options.hiddenSize, outputSize: m + 1, seed }), batch);
    return { gated, rnn };
  } finally {
    net.dispose();
  }
}

/** Accuracy at the answer step over a task's sequences. */
export async function answerAccuracy(net: TfLstm | TfGru, task: RecallTask): Promise<number> {
  const logits = tf.tidy(() => {
    const xs = tf.tensor3d(task.xs);
    const o = net.kind === "lstm" ? lstmUnrollTimeMajor(net, xs).o : gruUnrollTimeMajor(net, xs).o;
    return tf.squeeze(tf.slice(o, [task.length - 1, 0, 0], [1, -1, -1]), [0]);
  });
  try {
    const rows = (await logits.array()) as number[][];
    return rows.filter((r, n) => r.indexOf(Math.max(...r)) === task.answers[n]).length / rows.length;
  } finally {
    logits.dispose();
  }
}

/** Names of the live variables, in the order of net.variables. */
export function variableNames(net: TfLstm | TfGru): string[] {
  if (net.kind === "lstm") return ["Wx", "Wh", "b", "V", "c"];
  return net.reset === "after" ? ["Wx", "Wh", "b", "bHR", "V", "c"] : ["Wx", "Wh", "b", "V", "c"];
}

export function memoryTask(options: MemoryOptions): TrainingTask<MemoryModel, MemoryInspection> {
  const { lag, batchSize = 16 } = options;
  const m = options.alphabetSize ?? ALPHABET;
  const shown = shownSequence(lag, options.shownSymbol ?? 0, m);
  const heldOut = recallTask({ lag, count: HELD_OUT, seed: 7, alphabetSize: m });
  const gradBatch = gradientBatch(lag, m);
  return {
    create(seed) {
      const net = createNet(options, seed);
      const trainer = createVariableTrainer(net.variables, { learningRate: 0.01, optimizer: "adam", clipNorm: options.clipNorm ?? 5 });
      let rnn: MemoryModel["rnn"] = null;
      if (options.companion ?? true) {
        const rnnNet = createTfRnn(initRnnParams({ inputSize: m + 1, hiddenSize: options.hiddenSize, outputSize: m + 1, seed }), "multiclass");
        rnn = { net: rnnNet, trainer: createTrainer(rnnNet, { learningRate: 0.01, optimizer: "adam", clipNorm: options.clipNorm ?? 5 }) };
      }
      return { net, trainer, rng: createRng(seed * 7919 + 13), rnn };
    },
    async step(model, learningRate) {
      model.trainer.setLearningRate(learningRate);
      model.rnn?.trainer.setLearningRate(learningRate);
      // A fresh minibatch every step, drawn from the model's own seeded stream.
      const batch = recallTask({ lag, count: batchSize, seed: model.rng.int(2 ** 31), alphabetSize: m });
      const xs = tf.tensor3d(batch.xs);
      const ys = tf.tensor2d(batch.targets, undefined, "int32");
      try {
        // The companion RNN's update is applied synchronously; only the gated loss is awaited.
        const companion = model.rnn?.trainer.step(xs, ys);
        const loss = await model.trainer.step(() => lossOf(model.net, xs, ys));
        await companion;
        return loss;
      } finally {
        xs.dispose();
        ys.dispose();
      }
    },
    async inspect(model) {
      const net = model.net;
      const all = net.kind === "lstm" ? await readLstmIntermediates(net, shown.xs) : await readGruIntermediates(net, shown.xs);
      const { yhat, o: _o, ...states } = all as Record<string, number[][]>;
      void _o;
      const [accuracy, gradNorms] = await Promise.all([answerAccuracy(net, heldOut), gatedGradNorms(net, gradBatch)]);
      let rnn: MemoryInspection["rnn"] = null;
      if (model.rnn) {
        const params = await model.rnn.net.readParams();
        const correct = heldOut.xs.filter((xs, n) => {
          const o = rnnForward(params, xs).o[lag]!;
          return o.indexOf(Math.max(...o)) === heldOut.answers[n];
        }).length;
        rnn = { accuracy: correct / heldOut.xs.length, gradNorms: rnnGradNorms(params, gradBatch) };
      }
      return {
        kind: options.kind,
        states,
        yhat: yhat!,
        accuracy,
        gradNorms,
        rnn,
        liveParamCount: net.variables.reduce((s, v) => s + v.size, 0),
        variables: net.variables.map((v, i) => ({ name: variableNames(net)[i]!, shape: v.shape.slice(), size: v.size })),
      };
    },
    dispose(model) {
      model.rnn?.trainer.dispose();
      model.rnn?.net.dispose();
      model.trainer.dispose();
      model.net.dispose();
    },
  };
}
