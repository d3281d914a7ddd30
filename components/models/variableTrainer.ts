// Adam / SGD with optional global-norm clipping for any model given as a list of
// tf.Variables and a loss closure (trainer.ts's createTrainer takes only a TfRnn).
// The update rules are those of trainer.ts.

import * as tf from "@unrolled/tfjs";
import type { TrainerOptions } from "./trainer.js";

export interface GatedTrainer {
  /** One update; resolves to the loss before it. The update is applied synchronously. */
  step(loss: () => tf.Scalar): Promise<number>;
  setLearningRate(learningRate: number): void;
  readonly learningRate: number;
  readonly iterations: number;
  dispose(): void;
}

export function createGatedTrainer(variables: tf.Variable[], options: TrainerOptions): GatedTrainer {
  const { optimizer, clipNorm } = options;
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const epsilon = options.epsilon ?? 1e-7;
  if (optimizer !== "adam" && optimizer !== "sgd") throw new Error(`Unknown optimizer "${String(optimizer)}": use "adam" or "sgd".`);
  if (clipNorm !== undefined && !(clipNorm > 0)) throw new Error(`clipNorm must be positive, got ${clipNorm}.`);
  const checkRate = (lr: number) => {
    if (!(Number.isFinite(lr) && lr > 0)) throw new Error(`The learning rate must be a positive number, got ${lr}.`);
  };
  checkRate(options.learningRate);
  let learningRate = options.learningRate;
  let iterations = 0;
  let disposed = false;
  const slots =
    optimizer === "adam"
      ? variables.map((v) => ({ m: tf.tidy(() => tf.variable(tf.zerosLike(v), false)), s: tf.tidy(() => tf.variable(tf.zerosLike(v), false)) }))
      : [];

  function update(grads: tf.Tensor[]): void {
    if (clipNorm !== undefined) {
      const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
      const factor = tf.div(clipNorm, tf.maximum(norm, clipNorm));
      grads = grads.map((g) => tf.mul(g, factor));
    }
    iterations += 1;
    if (optimizer === "sgd") {
      variables.forEach((v, i) => v.assign(tf.sub(v, tf.mul(grads[i]!, learningRate))));
      return;
    }
    const c1 = 1 - Math.pow(beta1, iterations);
    const c2 = 1 - Math.pow(beta2, iterations);
    variables.forEach((v, i) => {
      const g = grads[i]!;
      const { m, s } = slots[i]!;
      m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
      s.assign(tf.add(tf.mul(s, beta2), tf.mul(tf.square(g), 1 - beta2)));
      v.assign(tf.sub(v, tf.mul(tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(s, c2)), epsilon)), learningRate)));
    });
  }

  return {
    async step(loss) {
      if (disposed) throw new Error("This trainer has been disposed.");
      const value = tf.tidy(() => {
        const { value: v, grads } = tf.variableGrads(loss, variables);
        // Ablated gates leave some variables out of the graph: their gradient is zero.
        update(variables.map((x) => grads[x.name] ?? tf.zerosLike(x)));
        return v;
      });
      try {
        return (await value.data())[0]!;
      } finally {
        value.dispose();
      }
    },
    setLearningRate(lr) {
      checkRate(lr);
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
