// An RNN whose only recurrence runs from the output to the hidden layer, trained with
// teacher forcing or free-running, in tfjs (Goodfellow, Bengio & Courville, 2016, §10.2.1):
//
//   h(t) = tanh(R y(t−1) + b),   ŷ(t) = V h(t) + c,          y(t), ŷ(t) ∈ R^k, h(t) ∈ R^q,
//
// with a Gaussian output p(y(t) | y(t−1)) = N(ŷ(t), s² I), so −log p is the squared error
// up to constants. The model has no hidden-to-hidden weights: the past reaches h(t) only
// through the previous output.
//
// - Teacher forcing feeds the observed y(t−1) (optionally plus Gaussian noise of standard
//   deviation σ). Every step is then a separate regression on known inputs: all T steps
//   run as one matrix product and the gradient needs no backpropagation through time.
// - Free-running feeds the model's own ŷ(t−1) (from the observed y(0)); training this way
//   backpropagates through the fed-back outputs, one step after another.
// Generation is always free-running: at test time there is no observed y(t−1) to feed.
//
// Shapes: a batch of sequences y(0..T) is a tensor [B, T + 1, k]. Losses are the mean of
// (ŷ − y)² over batch, steps and components.

import * as tf from "@unrolled/tfjs";
import { createRng } from "../core/random.js";

export interface OutputRnnParams {
  /** Output-to-hidden weights, q×k. */
  R: number[][];
  b: number[];
  /** Hidden-to-output weights, k×q. */
  V: number[][];
  c: number[];
}

export interface OutputRnn {
  readonly outputSize: number;
  readonly hiddenSize: number;
  readonly R: tf.Variable<tf.Rank.R2>;
  readonly b: tf.Variable<tf.Rank.R1>;
  readonly V: tf.Variable<tf.Rank.R2>;
  readonly c: tf.Variable<tf.Rank.R1>;
  /** R, b, V, c. */
  readonly variables: tf.Variable[];
  readParams(): Promise<OutputRnnParams>;
  dispose(): void;
}

/** Glorot-uniform R and V from the seed, zero biases. */
export function initOutputRnnParams({ outputSize: k, hiddenSize: q, seed }: { outputSize: number; hiddenSize: number; seed: number }): OutputRnnParams {
  for (const [name, n] of [["outputSize", k], ["hiddenSize", q]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${n}.`);
  }
  const rng = createRng(seed);
  const r = Math.sqrt(6 / (q + k));
  const draw = (rows: number, cols: number) => Array.from({ length: rows }, () => Array.from({ length: cols }, () => (2 * rng.uniform() - 1) * r));
  return { R: draw(q, k), b: new Array<number>(q).fill(0), V: draw(k, q), c: new Array<number>(k).fill(0) };
}

export function createOutputRnn(params: OutputRnnParams): OutputRnn {
  const q = params.R.length;
  const k = params.V.length;
  if (params.R.some((row) => row.length !== k) || params.V.some((row) => row.length !== q) || params.b.length !== q || params.c.length !== k) {
    throw new Error(`The parameters do not fit together: R must be q×k, V k×q, b of length q and c of length k (here q = ${q}, k = ${k}).`);
  }
  const R = tf.tidy(() => tf.variable(tf.tensor2d(params.R, [q, k]), true));
  const b = tf.tidy(() => tf.variable(tf.tensor1d(params.b), true));
  const V = tf.tidy(() => tf.variable(tf.tensor2d(params.V, [k, q]), true));
  const c = tf.tidy(() => tf.variable(tf.tensor1d(params.c), true));
  const variables: tf.Variable[] = [R, b, V, c];
  let disposed = false;
  return {
    outputSize: k,
    hiddenSize: q,
    R,
    b,
    V,
    c,
    variables,
    async readParams() {
      const [r, bb, v, cc] = await Promise.all([R.array(), b.array(), V.array(), c.array()]);
      return { R: r, b: bb, V: v, c: cc };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      variables.forEach((v) => v.dispose());
    },
  };
}

function checkSequences(model: OutputRnn, ys: tf.Tensor): [number, number] {
  if (ys.rank !== 3 || ys.shape[2] !== model.outputSize || ys.shape[1]! < 2) {
    throw new Error(`ys must have shape [batch, T + 1, k] with T ≥ 1 and k = ${model.outputSize}, but has shape [${ys.shape.join(", ")}].`);
  }
  return [ys.shape[0]!, ys.shape[1]! - 1];
}

/** One step for a batch of fed-back outputs [B, k]: ŷ = V tanh(R y + b) + c, as row vectors. */
function step(model: OutputRnn, fed: tf.Tensor2D): tf.Tensor2D {
  const h = tf.tanh(tf.add(tf.matMul(fed, model.R, false, true), model.b));
  return tf.add(tf.matMul(h, model.V, false, true), model.c) as tf.Tensor2D;
}

/**
 * Teacher-forced one-step predictions ŷ(1..T) from the observed y(0..T−1) (+ noise, a
 * tensor [B, T, k] added to the fed values), all steps in one batch: [B, T, k].
 */
export function teacherForcedPredictions(model: OutputRnn, ys: tf.Tensor3D, noise?: tf.Tensor3D): tf.Tensor3D {
  const [B, T] = checkSequences(model, ys);
  const k = model.outputSize;
  return tf.tidy(() => {
    let fed = tf.slice(ys, [0, 0, 0], [B, T, k]);
    if (noise) fed = tf.add(fed, noise);
    return tf.reshape(step(model, tf.reshape(fed, [B * T, k]) as tf.Tensor2D), [B, T, k]) as tf.Tensor3D;
  });
}

/** Free-running outputs ŷ(1..steps) from the given y(0) [B, k]: each ŷ(t) is fed back. [B, steps, k]. */
export function freeRunning(model: OutputRnn, y0: tf.Tensor2D, steps: number): tf.Tensor3D {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer, got ${steps}.`);
  if (y0.rank !== 2 || y0.shape[1] !== model.outputSize) throw new Error(`y0 must have shape [batch, ${model.outputSize}] but has shape [${y0.shape.join(", ")}].`);
  return tf.tidy(() => {
    const outputs: tf.Tensor2D[] = [];
    let fed = y0;
    for (let t = 0; t < steps; t++) {
      fed = step(model, fed);
      outputs.push(fed);
    }
    return tf.stack(outputs, 1) as tf.Tensor3D;
  });
}

/** Mean squared error of the teacher-forced predictions against y(1..T). */
export function teacherForcedLoss(model: OutputRnn, ys: tf.Tensor3D, noise?: tf.Tensor3D): tf.Scalar {
  const [B, T] = checkSequences(model, ys);
  return tf.tidy(() => tf.mean(tf.squaredDifference(teacherForcedPredictions(model, ys, noise), tf.slice(ys, [0, 1, 0], [B, T, model.outputSize]))) as tf.Scalar);
}

/** Mean squared error of the free-running outputs (from the observed y(0)) against y(1..T). */
export function freeRunningLoss(model: OutputRnn, ys: tf.Tensor3D): tf.Scalar {
  const [B, T] = checkSequences(model, ys);
  const k = model.outputSize;
  return tf.tidy(() => {
    const y0 = tf.reshape(tf.slice(ys, [0, 0, 0], [B, 1, k]), [B, k]) as tf.Tensor2D;
    return tf.mean(tf.squaredDifference(freeRunning(model, y0, T), tf.slice(ys, [0, 1, 0], [B, T, k]))) as tf.Scalar;
  });
}

export type TrainingMode = "teacher" | "free";

export interface OutputRnnTrainer {
  /** One Adam update on ys [B, T + 1, k]; resolves to the loss before the update. */
  step(ys: tf.Tensor3D): Promise<number>;
  setLearningRate(rate: number): void;
  dispose(): void;
}

/**
 * Adam (tf.train.adam) on the teacher-forced loss, with fresh N(0, σ²) noise on the fed
 * values at every update when `inputNoise` σ > 0, or on the free-running loss.
 */
export function createOutputRnnTrainer(model: OutputRnn, { mode, learningRate, inputNoise = 0, seed = 0 }: { mode: TrainingMode; learningRate: number; inputNoise?: number; seed?: number }): OutputRnnTrainer {
  if (mode !== "teacher" && mode !== "free") throw new Error(`Unknown training mode "${String(mode)}": use "teacher" or "free".`);
  if (!(inputNoise >= 0)) throw new Error(`inputNoise must be ≥ 0, got ${inputNoise}.`);
  let optimizer = tf.train.adam(learningRate);
  let updates = 0;
  return {
    async step(ys) {
      const [B, T] = checkSequences(model, ys);
      updates += 1;
      const loss = tf.tidy(() => {
        const noise = mode === "teacher" && inputNoise > 0 ? (tf.randomNormal([B, T, model.outputSize], 0, inputNoise, "float32", seed * 100_003 + updates) as tf.Tensor3D) : undefined;
        const f = () => (mode === "teacher" ? teacherForcedLoss(model, ys, noise) : freeRunningLoss(model, ys));
        return optimizer.minimize(f, true, model.variables)!;
      });
      try {
        return (await loss.data())[0]!;
      } finally {
        loss.dispose();
      }
    },
    setLearningRate(rate) {
      // tf.train.adam fixes its rate at creation; keep its moments by changing the field.
      (optimizer as unknown as { learningRate: number }).learningRate = rate;
    },
    dispose() {
      optimizer.dispose();
      optimizer = null as unknown as tf.AdamOptimizer;
    },
  };
}

/**
 * The data of the page's example: points going round the unit circle at an uneven speed,
 * y(t) = (cos φ(t), sin φ(t)) with φ(t+1) = φ(t) + ω (1 + wobble · cos φ(t)),
 * ω = 2π/period, for t = 0..length, each sequence from its own uniform φ(0).
 * Returns [count][length + 1][2].
 */
export function circleSequences({ count, length, period = 16, wobble = 0, seed }: { count: number; length: number; period?: number; wobble?: number; seed: number }): number[][][] {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(length) || length < 1) throw new Error("count and length must be positive integers.");
  const rng = createRng(seed);
  const omega = (2 * Math.PI) / period;
  return Array.from({ length: count }, () => {
    let phase = 2 * Math.PI * rng.uniform();
    return Array.from({ length: length + 1 }, () => {
      const point = [Math.cos(phase), Math.sin(phase)];
      phase += omega * (1 + wobble * Math.cos(phase));
      return point;
    });
  });
}
