// Seeded tasks whose answer depends on an input seen exactly L steps before it must be
// given, to watch the vanishing gradient stop a vanilla RNN from learning as L grows.
//
// rnnLoss / tfRnnLoss score every step (the sequence loss is the mean over t), so each
// task has a target at every step: a fixed "nothing yet" answer before the last step,
// and an extra input channel "answer now" that is 1 only at the last step. The reader
// can therefore learn the filler answers from the current input alone, and all that is
// left is the long-range part at the last step t = L + 1.
//
// Shapes (N sequences of T = L + 1 steps):
//   xs: N×T×p — xs[n] is what rnnForward takes; tf.tensor3d(xs) is what tfRnnLoss takes.
//   targets: recall N×T class indices (rnnLoss(…, targets[n]); tf.tensor2d(targets, undefined, "int32")),
//            adding N×T×1 reals (rnnLoss(…, targets[n]); tf.tensor3d(targets)).

import { createRng } from "./random.js";

export interface LagTaskBase {
  /** L: steps between the input that matters and the answer. */
  lag: number;
  /** T = L + 1 steps per sequence. */
  length: number;
  /** p, input values per step. */
  inputSize: number;
  /** k, outputs per step. */
  outputSize: number;
  /** N×T×p inputs. */
  xs: number[][][];
  /** Index in 0..T−1 of the step whose output is the answer (always T − 1 = L). */
  answerStep: number;
  /** The correct answer of each sequence (class index, or the sum). */
  answers: number[];
}

export interface RecallTask extends LagTaskBase {
  kind: "recall";
  head: "multiclass";
  /** m, the number of symbols. */
  alphabetSize: number;
  /** Class m means "no answer yet". */
  blankClass: number;
  /** N×T class indices: m at steps 1..L, the first symbol at step L + 1. */
  targets: number[][];
  chance: {
    /** 1/m: guessing a symbol at the answer step. */
    accuracy: number;
    /** ln m: cross-entropy of the uniform guess over the m symbols at the answer step. */
    answerLoss: number;
    /** ln(m)/T: the sequence mean when the blanks are perfect and the answer is a uniform guess. */
    meanLoss: number;
    /** ln(m + 1): the sequence mean of an untrained uniform output over all k = m + 1 classes. */
    uniformLoss: number;
  };
}

export interface AddingTask extends LagTaskBase {
  kind: "adding";
  head: "real";
  /** N×T×1: 0 at steps 1..L, u(1) + u(j) at step L + 1. */
  targets: number[][][];
  /** An answer counts as correct when |ŷ − answer| < tolerance (0.04, Hochreiter & Schmidhuber, 1997). */
  tolerance: number;
  chance: {
    /** P(|1 − (u₁ + u₂)| < δ) = 2δ − δ² for the best constant guess 1. */
    accuracy: number;
    /** Var(u₁ + u₂) = 1/6: squared error of always answering 1 at the answer step. */
    answerLoss: number;
    /** (1/6)/T: the sequence mean when the zeros are perfect and the answer is always 1. */
    meanLoss: number;
  };
}

export interface LagTaskOptions {
  /** L ≥ 1 (recall also allows L = 0: the answer is the current symbol). */
  lag: number;
  /** N, the number of sequences. */
  count: number;
  seed: number;
}

function checkOptions({ lag, count, seed }: LagTaskOptions, minLag: number): void {
  if (!Number.isInteger(lag) || lag < minLag) throw new Error(`lag must be an integer ≥ ${minLag}, got ${lag}.`);
  if (!Number.isInteger(count) || count < 1) throw new Error(`count must be a positive integer, got ${count}.`);
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be a safe integer, got ${seed}.`);
}

/**
 * "Recall the first symbol": T = L + 1 random symbols s(1..T) from {0..m−1}, one-hot in
 * channels 0..m−1, plus channel m = 1 at the last step ("answer now"); p = k = m + 1.
 * Target: the blank class m at t ≤ L, and s(1) at t = L + 1. Multiclass head.
 */
export function recallTask(options: LagTaskOptions & { alphabetSize?: number }): RecallTask {
  checkOptions(options, 0);
  const m = options.alphabetSize ?? 4;
  if (!Number.isInteger(m) || m < 2) throw new Error(`alphabetSize must be an integer ≥ 2, got ${m}.`);
  const { lag, count } = options;
  const T = lag + 1;
  const rng = createRng(options.seed);
  const xs: number[][][] = [];
  const targets: number[][] = [];
  const answers: number[] = [];
  for (let n = 0; n < count; n++) {
    const symbols = Array.from({ length: T }, () => rng.int(m));
    xs.push(symbols.map((s, t) => Array.from({ length: m + 1 }, (_, j) => (j === s || (j === m && t === T - 1) ? 1 : 0))));
    targets.push(symbols.map((_, t) => (t === T - 1 ? symbols[0]! : m)));
    answers.push(symbols[0]!);
  }
  return {
    kind: "recall",
    head: "multiclass",
    lag,
    length: T,
    inputSize: m + 1,
    outputSize: m + 1,
    alphabetSize: m,
    blankClass: m,
    xs,
    targets,
    answerStep: T - 1,
    answers,
    chance: { accuracy: 1 / m, answerLoss: Math.log(m), meanLoss: Math.log(m) / T, uniformLoss: Math.log(m + 1) },
  };
}

/**
 * The adding problem with lag L: T = L + 1 steps; channel 0 holds values u(t) ~ U[0, 1),
 * channel 1 marks two of them (step 1 always, one of steps 2..T uniformly at random),
 * channel 2 = 1 at the last step ("answer now"); p = 3, k = 1. Target: 0 at t ≤ L and
 * the sum of the two marked values at t = L + 1. Real head (squared error).
 */
export function addingTask(options: LagTaskOptions): AddingTask {
  checkOptions(options, 1);
  const { lag, count } = options;
  const T = lag + 1;
  const rng = createRng(options.seed);
  const xs: number[][][] = [];
  const targets: number[][][] = [];
  const answers: number[] = [];
  const tolerance = 0.04;
  for (let n = 0; n < count; n++) {
    const values = Array.from({ length: T }, () => rng.uniform());
    const second = 1 + rng.int(T - 1);
    const sum = values[0]! + values[second]!;
    xs.push(values.map((v, t) => [v, t === 0 || t === second ? 1 : 0, t === T - 1 ? 1 : 0]));
    targets.push(values.map((_, t) => [t === T - 1 ? sum : 0]));
    answers.push(sum);
  }
  return {
    kind: "adding",
    head: "real",
    lag,
    length: T,
    inputSize: 3,
    outputSize: 1,
    xs,
    targets,
    answerStep: T - 1,
    answers,
    tolerance,
    chance: { accuracy: 2 * tolerance - tolerance ** 2, answerLoss: 1 / 6, meanLoss: 1 / 6 / T },
  };
}

/**
 * The same sequences and targets read backwards in time: the "answer now" marker and the
 * answer come at the first step, and the symbol to recall is the last one. No causal
 * network can beat chance on it (at step 1 it has seen one input); a bidirectional one can,
 * through its backward cell.
 */
export function reverseInTime(task: RecallTask): RecallTask {
  return {
    ...task,
    xs: task.xs.map((seq) => seq.slice().reverse()),
    targets: task.targets.map((seq) => seq.slice().reverse()),
    answerStep: task.length - 1 - task.answerStep,
  };
}
