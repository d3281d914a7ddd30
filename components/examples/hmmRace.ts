// The HMM page's training task: gradient ascent and Baum–Welch EM, one iteration each per
// harness step, from the same seeded starting point (hmmStart), on the same window of text.
//
//   gradient ascent  the logits (a, B, D) of π = softmax(a), P = row-softmax(B),
//                    C = column-softmax(D) are float32 tf.Variables; one step is
//                    θ ← θ + η · ∂[(1/T) log p] / ∂θ with the gradient from tfjs autodiff
//                    (the tree form of log p, see hmmAutodiff.ts).
//   EM               θ ← M-step(E-step(θ)) in float64 (hmmExpectedCounts, baumWelchUpdate).
//
// Both traces record log p(x; θ_n) / T in float64 before the n-th update, so iteration n
// means the same thing on both curves. The harness's loss is gradient ascent's −log p / T.
import { baumWelchUpdate, hmmExpectedCounts, hmmLogLikelihood, type HmmParams } from "../core/hmm.js";
import { ascendLogits, createTfHmm, hmmParamsFromLogits, type HmmLogits, type TfHmm } from "../models/hmmTf.js";
import type { TrainingTask } from "../ui/trainingHarness.js";
import { softmaxParams, tfTreeLogLikelihood } from "./hmmAutodiff.js";
import { hmmStart } from "./hmmText.js";

export interface RaceModel {
  /** The gradient-ascent learner: float32 logits. */
  ga: TfHmm;
  /** The EM learner: float64 probabilities. */
  em: HmmParams;
  /** log p(x; θ_n) / T of each learner for n = 0, 1, … (before the n-th update). */
  gaTrace: number[];
  emTrace: number[];
}

export interface RaceInspection {
  /** Updates taken by each learner. */
  iteration: number;
  /** log p / T for n = 0..iteration (the last entry is the current parameters). */
  gaTrace: number[];
  emTrace: number[];
  /** The current parameters of both learners (gradient ascent's as the float64 softmax of its float32 logits). */
  gaParams: HmmParams;
  emParams: HmmParams;
  /** Gradient ascent's current float32 logits, for the identity table. */
  gaLogits: HmmLogits;
}

export interface RaceOptions {
  /** Re-estimate π too (default true; both learners do the same). */
  updateInitial?: boolean;
}

/** One gradient-ascent step on (1/T) log p with tfjs autodiff, by the tree form; returns nothing (log p is tracked in float64). */
export function gradientAscentStep(model: TfHmm, xs: readonly number[], learningRate: number): void {
  const logLikelihood = () => {
    const { pi, P, C } = softmaxParams(model.piLogits, model.PLogits, model.CLogits);
    return tfTreeLogLikelihood(pi, P, C, xs);
  };
  ascendLogits(model, logLikelihood, learningRate / xs.length).dispose();
}

/** The training task of the race (see the file comment). `xs` must hold at least 2 symbols. */
export function hmmRaceTask(xs: readonly number[], states: number, { updateInitial = true }: RaceOptions = {}): TrainingTask<RaceModel, RaceInspection> {
  if (xs.length < 2) throw new Error("The race needs at least two symbols.");
  const T = xs.length;
  return {
    create(seed) {
      const start = hmmStart(states, seed);
      return { ga: createTfHmm(start.logits), em: start.params, gaTrace: [], emTrace: [] };
    },
    async step(model, learningRate) {
      const gaLogLikelihood = hmmLogLikelihood(await model.ga.readParams(), xs);
      gradientAscentStep(model.ga, xs, learningRate);
      const counts = hmmExpectedCounts(model.em, xs);
      model.em = baumWelchUpdate(counts, model.em, updateInitial);
      model.gaTrace.push(gaLogLikelihood / T);
      model.emTrace.push(counts.logLikelihood / T);
      return -gaLogLikelihood / T;
    },
    async inspect(model) {
      const gaLogits = await model.ga.readLogits();
      const gaParams = hmmParamsFromLogits(gaLogits);
      return {
        iteration: model.gaTrace.length,
        gaTrace: [...model.gaTrace, hmmLogLikelihood(gaParams, xs) / T],
        emTrace: [...model.emTrace, hmmLogLikelihood(model.em, xs) / T],
        gaParams,
        emParams: model.em,
        gaLogits,
      };
    },
    dispose(model) {
      model.ga.dispose();
    },
  };
}
