// The RNN page's live example: a vanilla RNN, built from the project's own cell, reads the
// annual sunspot numbers one year at a time and predicts something about the next year.
//
// Conventions (stated on the page too):
// - Input x(t) is the sunspot number of year t, standardised with the mean and standard
//   deviation (divisor n − 1) of the training years only.
// - Heads: "real" predicts next year's standardised number (mean squared error);
//   "binary" predicts whether next year is higher than this year (cross-entropy);
//   "multiclass" predicts next year's tercile — low, middle, high — with terciles taken
//   from the training years (cross-entropy).
// - Training uses random windows of `window` consecutive years from the training years,
//   each starting from h(0) = 0, in minibatches drawn with the seeded generator.
// - The display runs the trained cell over the whole series from h(0) = 0.
import * as tf from "@unrolled/tfjs";
import { createRng, type Rng } from "../core/random.js";
import { initRnnParams, rnnLoss, type Head } from "../core/rnn.js";
import type { Series } from "../core/series.js";
import { standardize } from "../core/series.js";
import { createTfRnn, readIntermediates, type TfRnn } from "../models/rnnTf.js";
import { createTrainer, type Trainer } from "../models/trainer.js";
import { exportRnnWeights, importRnnWeights } from "../models/rnnWeights.js";
import type { TrainingTask } from "../ui/trainingHarness.js";

export const HEAD_CLASSES: Record<Head, string[]> = {
  real: ["next year's standardised sunspot number"],
  binary: ["next year higher"],
  multiclass: ["low", "middle", "high"],
};

export interface SunspotProblem {
  head: Head;
  /** Year of each time step t = 0..T−1 (the input year; the target is about year + 1). */
  years: number[];
  inputs: number[][];
  /** Real: [z(t+1)]; binary: [0 or 1]; multiclass: class index. */
  targets: number[][] | number[];
  /** Steps 0..trainSteps−1 are for training; the rest are held out. */
  trainSteps: number;
  mean: number;
  sd: number;
  /** Tercile boundaries (raw sunspot numbers) for the multiclass head. */
  terciles: [number, number];
}

/** Builds inputs and targets from the series; years after `lastTrainingYear` are held out. */
export function sunspotProblem(series: Series, head: Head, lastTrainingYear = 1920): SunspotProblem {
  const values = series.values;
  const T = values.length - 1; // each step needs next year's value as its target
  const trainSteps = series.times.filter((year) => year <= lastTrainingYear).length - 1;
  const training = values.slice(0, trainSteps + 1);
  const { mean, sd } = standardize(training);
  const sorted = [...training].sort((a, b) => a - b);
  const quantile = (p: number) => sorted[Math.floor(p * (sorted.length - 1))];
  const terciles: [number, number] = [quantile(1 / 3), quantile(2 / 3)];
  const z = (v: number) => (v - mean) / sd;
  const inputs = values.slice(0, T).map((v) => [z(v)]);
  const next = values.slice(1);
  const targets =
    head === "real"
      ? next.map((v) => [z(v)])
      : head === "binary"
        ? next.map((v, t) => [v > values[t] ? 1 : 0])
        : next.map((v) => (v <= terciles[0] ? 0 : v <= terciles[1] ? 1 : 2));
  return { head, years: series.times.slice(0, T), inputs, targets, trainSteps, mean, sd, terciles };
}

export interface SunspotModel {
  rnn: TfRnn;
  trainer: Trainer;
  rng: Rng;
  learningRate: number;
}

export interface SunspotInspection {
  /** Every h(t), pre-activation a(t), output o(t) and prediction ŷ(t) over the whole series. */
  h: number[][];
  a: number[][];
  o: number[][];
  yhat: number[][];
  h0: number[];
  trainLoss: number;
  heldOutLoss: number;
  /** Per-step loss, so the page can show the loss at the scrubbed year. */
  stepLoss: number[];
  /** The recurrent weights W (q×q), read from the live variables. */
  W: number[][];
  /** The number of trainable values the live model holds (sum of its variables' sizes). */
  paramCount: number;
}

export interface SunspotTaskOptions {
  hiddenSize: number;
  window?: number;
  batchSize?: number;
  learningRate?: number;
}

export function sunspotTask(problem: SunspotProblem, { hiddenSize, window = 40, batchSize = 16, learningRate = 0.01 }: SunspotTaskOptions): TrainingTask<SunspotModel, SunspotInspection> {
  const outputSize = problem.head === "multiclass" ? 3 : 1;
  const lastStart = problem.trainSteps - window;
  if (lastStart < 0) throw new Error(`The training years hold ${problem.trainSteps} steps, fewer than one window of ${window}.`);

  const batch = (rng: Rng) => {
    const starts = Array.from({ length: batchSize }, () => rng.int(lastStart + 1));
    const xs = starts.map((s) => problem.inputs.slice(s, s + window));
    const ys = starts.map((s) => (problem.targets as (number[] | number)[]).slice(s, s + window));
    return { xs, ys };
  };

  return {
    create(seed) {
      const params = initRnnParams({ inputSize: 1, hiddenSize, outputSize, seed, scheme: "glorot" });
      const rnn = createTfRnn(params, problem.head);
      const trainer = createTrainer(rnn, { learningRate, optimizer: "adam" });
      // The minibatch order has its own stream, derived from the same seed.
      return { rnn, trainer, rng: createRng(seed * 7919 + 1), learningRate };
    },
    async step(model, rate) {
      if (rate !== model.learningRate) {
        model.trainer.setLearningRate(rate);
        model.learningRate = rate;
      }
      const { xs, ys } = batch(model.rng);
      const xsTensor = tf.tensor3d(xs);
      const ysTensor = problem.head === "multiclass" ? tf.tensor2d(ys as number[][], undefined, "int32") : tf.tensor3d(ys as number[][][]);
      try {
        return await model.trainer.step(xsTensor, ysTensor);
      } finally {
        xsTensor.dispose();
        ysTensor.dispose();
      }
    },
    async inspect(model) {
      const [{ a, h, o, yhat }, { W }] = await Promise.all([readIntermediates(model.rnn, problem.inputs), model.rnn.readParams()]);
      const { perStep } = rnnLoss(problem.head, o, problem.targets);
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      return {
        a, h, o, yhat, W,
        paramCount: model.rnn.variables.reduce((total, v) => total + v.size, 0),
        h0: new Array(hiddenSize).fill(0),
        stepLoss: perStep,
        trainLoss: mean(perStep.slice(0, problem.trainSteps)),
        heldOutLoss: mean(perStep.slice(problem.trainSteps)),
      };
    },
    dispose(model) {
      model.trainer.dispose();
      model.rnn.dispose();
    },
    exportWeights: (model) => exportRnnWeights(model.rnn),
    importWeights: (model, data) => importRnnWeights(model.rnn, data),
  };
}
