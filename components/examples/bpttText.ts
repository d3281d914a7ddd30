// The BPTT page's live example: a character-level vanilla RNN reads a short text one
// character at a time and predicts the next character (softmax over the text's alphabet,
// cross-entropy, mean over the T steps). It trains on that one sequence with full BPTT
// (tf.variableGrads through the unrolled tfjs graph); every inspection reads the weights
// back and runs the float64 BPTT of components/core/bptt.ts beside tfjs autodiff
// (bpttAutodiff.ts) on the same weights and the same sequence.
import * as tf from "@unrolled/tfjs";
import { initRnnParams, type RnnParams } from "../core/rnn.js";
import { createTfRnn, type TfRnn } from "../models/rnnTf.js";
import { createTrainer, type Trainer } from "../models/trainer.js";
import { exportRnnWeights, importRnnWeights } from "../models/rnnWeights.js";
import type { TrainingTask } from "../ui/trainingHarness.js";
import { gradientCheck, type GradientCheck } from "./bpttAutodiff.js";

export interface TextProblem {
  text: string;
  /** The distinct characters, sorted: class j is alphabet[j]. */
  alphabet: string[];
  /** T = text.length − 1 steps: x(t) is character t (1-based) one-hot, the target is character t + 1. */
  T: number;
  /** T×p one-hot inputs (p = alphabet size). */
  xs: number[][];
  /** T class indices. */
  targets: number[];
}

/** Inputs and targets for next-character prediction over `text` (3 to 80 characters). */
export function textProblem(text: string): TextProblem {
  if (typeof text !== "string" || text.length < 3) throw new Error("The text needs at least 3 characters (2 time steps).");
  if (text.length > 80) throw new Error(`The text has ${text.length} characters; keep it to 80 or fewer so that every step stays readable.`);
  const alphabet = [...new Set(text)].sort();
  if (alphabet.length < 2) throw new Error("The text needs at least 2 different characters.");
  const index = new Map(alphabet.map((c, j) => [c, j]));
  const chars = [...text];
  const oneHot = (c: string) => alphabet.map((_, j) => (j === index.get(c) ? 1 : 0));
  return {
    text,
    alphabet,
    T: chars.length - 1,
    xs: chars.slice(0, -1).map(oneHot),
    targets: chars.slice(1).map((c) => index.get(c)!),
  };
}

/** A character as the page shows it ("␣" for a space). */
export function showChar(c: string | undefined): string {
  return c === undefined ? "" : c === " " ? "␣" : c;
}

export interface TextModel {
  rnn: TfRnn;
  trainer: Trainer;
  learningRate: number;
  updates: number;
  /** The check at the initial weights, kept to compare with later ones. */
  initialCheck: GradientCheck | null;
}

export interface TextTaskOptions {
  hiddenSize: number;
  learningRate?: number;
}

export interface TextInspection {
  params: RnnParams;
  check: GradientCheck;
  /** Updates applied when the check ran. */
  updates: number;
  /** The check at the initial weights (before any update). */
  initialCheck: GradientCheck | null;
}

export function textTask(problem: TextProblem, { hiddenSize, learningRate = 0.02 }: TextTaskOptions): TrainingTask<TextModel, TextInspection> {
  const k = problem.alphabet.length;
  return {
    create(seed) {
      const params = initRnnParams({ inputSize: k, hiddenSize, outputSize: k, seed, scheme: "glorot" });
      const rnn = createTfRnn(params, "multiclass");
      return { rnn, trainer: createTrainer(rnn, { learningRate, optimizer: "adam" }), learningRate, updates: 0, initialCheck: null };
    },
    async step(model, rate) {
      if (rate !== model.learningRate) {
        model.trainer.setLearningRate(rate);
        model.learningRate = rate;
      }
      const xs = tf.tensor3d([problem.xs]);
      const ys = tf.tensor2d([problem.targets], [1, problem.T], "int32");
      try {
        const loss = await model.trainer.step(xs, ys);
        model.updates += 1;
        return loss;
      } finally {
        tf.dispose([xs, ys]);
      }
    },
    async inspect(model) {
      const params = await model.rnn.readParams();
      const check = await gradientCheck(model.rnn, params, problem.xs, problem.targets);
      if (model.updates === 0) model.initialCheck = check;
      return { params, check, updates: model.updates, initialCheck: model.initialCheck };
    },
    dispose(model) {
      model.trainer.dispose();
      model.rnn.dispose();
    },
    exportWeights: (model) => exportRnnWeights(model.rnn),
    importWeights: (model, data) => importRnnWeights(model.rnn, data),
  };
}
