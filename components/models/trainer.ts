// Training a TfRnn by backpropagation through time (tf.variableGrads on the unrolled
// graph), with our own SGD and Adam so that the update rule is visible and the
// learning rate can change between steps. Plus helpers that cut a series into
// next-value training windows and draw seeded minibatches of them.
//
//   SGD:   θ ← θ − η g
//   Adam:  m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,
//          θ ← θ − η m̂ / (√v̂ + ε)   with m̂ = m / (1 − β₁ⁿ), v̂ = v / (1 − β₂ⁿ) at step n.
//   Clipping by global norm: g ← g · min(1, clipNorm / ‖g‖), ‖g‖² = Σ over all parameters.

import * as tf from "@unrolled/tfjs";
import type { Rng } from "../core/random.js";
import { tfRnnLoss, type TfRnn } from "./rnnTf.js";

export interface TrainerOptions {
  learningRate: number;
  optimizer: "adam" | "sgd";
  /** Rescale the whole gradient when its global norm exceeds this. Off by default. */
  clipNorm?: number;
  /** Adam constants; defaults 0.9, 0.999, 1e-7 (those of tf.train.adam). */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export interface Trainer {
  /**
   * One update on a minibatch: xs [batch, T, p], targets as for tfRnnLoss. Resolves to the
   * loss before the update. The update itself is applied synchronously, so calls made
   * without awaiting still run in order.
   */
  step(xs: tf.Tensor3D, targets: tf.Tensor, h0?: tf.Tensor2D): Promise<number>;
  setLearningRate(learningRate: number): void;
  readonly learningRate: number;
  /** Updates applied so far. */
  readonly iterations: number;
  /** Frees the optimizer state (not the model). */
  dispose(): void;
}

function checkLearningRate(lr: number): void {
  if (!(Number.isFinite(lr) && lr > 0)) throw new Error(`The learning rate must be a positive number, got ${lr}.`);
}

export function createTrainer(model: TfRnn, options: TrainerOptions): Trainer {
  const { optimizer, clipNorm } = options;
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const epsilon = options.epsilon ?? 1e-7;
  if (optimizer !== "adam" && optimizer !== "sgd") {
    throw new Error(`Unknown optimizer "${String(optimizer)}": use "adam" or "sgd".`);
  }
  if (clipNorm !== undefined && !(clipNorm > 0)) throw new Error(`clipNorm must be positive, got ${clipNorm}.`);
  checkLearningRate(options.learningRate);
  let learningRate = options.learningRate;
  let iterations = 0;
  let disposed = false;

  const variables = model.variables;
  // Adam's moment estimates: allocated once, here, one pair per parameter.
  const slots =
    optimizer === "adam"
      ? variables.map((v) => ({
          m: tf.tidy(() => tf.variable(tf.zerosLike(v), false)),
          s: tf.tidy(() => tf.variable(tf.zerosLike(v), false)),
        }))
      : [];

  function clip(grads: tf.Tensor[]): tf.Tensor[] {
    if (clipNorm === undefined) return grads;
    const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
    const factor = tf.div(clipNorm, tf.maximum(norm, clipNorm)); // min(1, clipNorm / ‖g‖)
    return grads.map((g) => tf.mul(g, factor));
  }

  function update(grads: tf.Tensor[]): void {
    iterations += 1;
    if (optimizer === "sgd") {
      variables.forEach((v, i) => v.assign(tf.sub(v, tf.mul(grads[i]!, learningRate))));
      return;
    }
    const correction1 = 1 - Math.pow(beta1, iterations);
    const correction2 = 1 - Math.pow(beta2, iterations);
    variables.forEach((v, i) => {
      const g = grads[i]!;
      const { m, s } = slots[i]!;
      m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
      s.assign(tf.add(tf.mul(s, beta2), tf.mul(tf.square(g), 1 - beta2)));
      const mHat = tf.div(m, correction1);
      const sHat = tf.div(s, correction2);
      v.assign(tf.sub(v, tf.mul(tf.div(mHat, tf.add(tf.sqrt(sHat), epsilon)), learningRate)));
    });
  }

  return {
    async step(xs, targets, h0) {
      if (disposed) throw new Error("This trainer has been disposed.");
      const loss = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tfRnnLoss(model, xs, targets, h0), variables);
        update(clip(variables.map((v) => grads[v.name]!)));
        return value;
      });
      try {
        return (await loss.data())[0]!;
      } finally {
        loss.dispose();
      }
    },
    setLearningRate(lr) {
      checkLearningRate(lr);
      learningRate = lr;
    },
    get learningRate() {
      return learningRate;
    },
    get iterations() {
      return iterations;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const { m, s } of slots) {
        m.dispose();
        s.dispose();
      }
    },
  };
}

export interface Window {
  /** Index in the series of the window's first input. */
  start: number;
  /** x(t) = values[start + t], as T×1 rows. */
  inputs: number[][];
  /** y(t) = values[start + t + 1], the next value, as T×1 rows. */
  targets: number[][];
}

/**
 * Cuts a series into windows of `window` inputs, each paired with the next values
 * (teacher forcing: the target at every step is the following value of the series).
 * Windows start at 0, stride, 2·stride, … while start + window < values.length.
 */
export function makeWindows(values: number[], { window, stride = 1 }: { window: number; stride?: number }): Window[] {
  if (!Number.isInteger(window) || window < 1) throw new Error(`window must be a positive integer, got ${window}.`);
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`stride must be a positive integer, got ${stride}.`);
  if (values.length < window + 1) {
    throw new Error(`A window of ${window} inputs needs ${window + 1} values (inputs plus the next value), but the series has ${values.length}.`);
  }
  const windows: Window[] = [];
  for (let start = 0; start + window < values.length; start += stride) {
    const slice = values.slice(start, start + window + 1);
    windows.push({
      start,
      inputs: slice.slice(0, window).map((v) => [v]),
      targets: slice.slice(1).map((v) => [v]),
    });
  }
  return windows;
}

export interface Batch {
  /** [batch][T][1] */
  xs: number[][][];
  /** [batch][T][1] */
  ys: number[][][];
  /** The starts of the chosen windows, for display. */
  starts: number[];
}

/**
 * Draws `batchSize` distinct windows uniformly at random (a partial Fisher–Yates shuffle
 * of the indices with the seeded rng), so the same rng state gives the same batch.
 */
export function sampleBatch(windows: Window[], batchSize: number, rng: Rng): Batch {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}.`);
  if (batchSize > windows.length) {
    throw new Error(`Cannot draw ${batchSize} distinct windows from ${windows.length}.`);
  }
  const order = windows.map((_, i) => i);
  const chosen: Window[] = [];
  for (let i = 0; i < batchSize; i++) {
    const j = i + rng.int(order.length - i);
    [order[i], order[j]] = [order[j]!, order[i]!];
    chosen.push(windows[order[i]!]!);
  }
  return { xs: chosen.map((w) => w.inputs), ys: chosen.map((w) => w.targets), starts: chosen.map((w) => w.start) };
}

/** The batch as tensors [batch, T, 1] for Trainer.step; the caller disposes them. */
export function batchTensors(batch: Batch): { xs: tf.Tensor3D; ys: tf.Tensor3D } {
  return { xs: tf.tensor3d(batch.xs), ys: tf.tensor3d(batch.ys) };
}
