// Training a TfRnn by backpropagation through time (tf.variableGrads on the unrolled graph)
// with the course's own SGD and Adam (variableTrainer.ts). Plus helpers that cut a series into
// next-value training windows and draw seeded minibatches of them.

import * as tf from "@unrolled/tfjs";
import type { Rng } from "../core/random.js";
import { tfRnnLoss, type TfRnn } from "./rnnTf.js";
import { createVariableTrainer, type TrainerOptions, type VariableTrainer } from "./variableTrainer.js";

export type { TrainerOptions } from "./variableTrainer.js";

export interface Trainer extends Omit<VariableTrainer, "step"> {
  /**
   * One update on a minibatch: xs [batch, T, p], targets as for tfRnnLoss. Resolves to the
   * loss before the update. The update itself is applied synchronously, so calls made
   * without awaiting still run in order.
   */
  step(xs: tf.Tensor3D, targets: tf.Tensor, h0?: tf.Tensor2D): Promise<number>;
}

export function createTrainer(model: TfRnn, options: TrainerOptions): Trainer {
  const trainer = createVariableTrainer(model.variables, options);
  return {
    step: (xs, targets, h0) => trainer.step(() => tfRnnLoss(model, xs, targets, h0)),
    setLearningRate: (lr) => trainer.setLearningRate(lr),
    get learningRate() {
      return trainer.learningRate;
    },
    get iterations() {
      return trainer.iterations;
    },
    dispose: () => trainer.dispose(),
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
