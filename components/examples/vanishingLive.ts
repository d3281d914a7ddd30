// The "Vanishing and exploding gradients" page's live network: a vanilla RNN learning to
// recall the first symbol after L steps (core: recallTask), trained by full BPTT in float64
// (vanishingFastRnn.ts) with Adam and gradient clipping at 1, in the site's training
// harness. Each inspection reports what the page plots: the eigenvalues and singular
// values of its W, the Jacobian products along a held-out sequence, how much gradient of
// the answer's loss reaches each step back, and the held-out accuracy.
import { eigenvalues, singularValues, type Complex } from "../core/eigen.js";
import { recallTask } from "../core/lagTask.js";
import type { TrainingTask } from "../ui/trainingHarness.js";
import { batchGradient, cloneFlat, createOptimizer, hiddenGradientNorms, type FlatRnn, type Optimizer } from "./vanishingFastRnn.js";
import { initialRnn, recallAccuracy, type LagInit } from "./vanishingLag.js";
import { jacobianProductNorms, recurrentRows } from "./vanishingSpectrum.js";

export interface LiveSettings {
  lag: number;
  init: LagInit;
  hiddenSize?: number;
  batchSize?: number;
  alphabetSize?: number;
}

export interface LiveModel {
  net: FlatRnn;
  optimizer: Optimizer;
  seed: number;
  updates: number;
}

export interface LiveInspection {
  lag: number;
  /** The network at the time of the inspection (a copy). */
  net: FlatRnn;
  W: number[][];
  eigenvalues: Complex[];
  singular: number[];
  /** One held-out sequence: the trajectory the Jacobian products follow. */
  probe: number[][];
  /** ‖∂h(t)/∂h(0)‖₂ along the probe, t = 0..L+1. */
  jacobian: number[];
  /** Mean over 50 held-out sequences of ‖∂ℓ_answer/∂h(L + 1 − d)‖, d = 0..L+1. */
  answerGradient: number[];
  /** Fraction of 300 held-out sequences answered correctly. */
  accuracy: number;
  chance: number;
}

export function lagNetworkTask({ lag, init, hiddenSize = 16, batchSize = 32, alphabetSize = 4 }: LiveSettings): TrainingTask<LiveModel, LiveInspection> {
  const test = recallTask({ lag, count: 300, seed: 900_001 + lag, alphabetSize });
  const probe = test.xs[0]!;
  return {
    create(seed) {
      const net = initialRnn(init, { inputSize: test.inputSize, hiddenSize, outputSize: test.outputSize }, seed);
      return { net, optimizer: createOptimizer(net, { optimizer: "adam", learningRate: 0.01, clipNorm: 1 }), seed, updates: 0 };
    },
    async step(model, rate) {
      model.optimizer.learningRate = rate;
      model.updates += 1;
      const batch = recallTask({ lag, count: batchSize, seed: model.seed * 1_000_003 + model.updates, alphabetSize });
      const { loss, grads } = batchGradient(model.net, batch.xs, batch.targets, "multiclass");
      model.optimizer.apply(model.net, grads);
      return loss;
    },
    async inspect(model) {
      const net = cloneFlat(model.net);
      const W = recurrentRows(net);
      const T = test.length;
      const answerGradient = new Array<number>(T + 1).fill(0);
      const probes = 50;
      for (let n = 0; n < probes; n++) {
        hiddenGradientNorms(net, test.xs[n]!, test.targets[n]!, "multiclass", T).forEach((v, d) => (answerGradient[d]! += v / probes));
      }
      return {
        lag,
        net,
        W,
        eigenvalues: eigenvalues(W),
        singular: singularValues(W),
        probe,
        jacobian: jacobianProductNorms(net, probe),
        answerGradient,
        accuracy: recallAccuracy(net, test),
        chance: 1 / alphabetSize,
      };
    },
    dispose() {
      // Plain arrays: nothing to free.
    },
  };
}
