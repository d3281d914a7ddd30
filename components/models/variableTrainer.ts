// Our own SGD and Adam, with optional clipping by global norm, for any model given as a list
// of tf.Variables and a loss closure: the update rule stays visible, and the learning rate can
// change between steps. The RNN (through trainer.ts), LSTM, GRU and stacked networks train
// with it; the teacher-forcing example still uses tf.train.adam.
//
//   SGD:   θ ← θ − η g
//   Adam:  m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,
//          θ ← θ − η m̂ / (√v̂ + ε)   with m̂ = m / (1 − β₁ⁿ), v̂ = v / (1 − β₂ⁿ) at step n.
//   Clipping by global norm: g ← g · min(1, clipNorm / ‖g‖), ‖g‖² = Σ over all parameters.

import * as tf from "@unrolled/tfjs";

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

export interface VariableTrainer {
  /**
   * One update of the variables down the gradient of `loss`; resolves to the loss before the
   * update. The update itself is applied synchronously, so calls made without awaiting still
   * run in order.
   */
  step(loss: () => tf.Scalar): Promise<number>;
  setLearningRate(learningRate: number): void;
  readonly learningRate: number;
  /** Updates applied so far. */
  readonly iterations: number;
  /** Frees the optimizer state (not the model). */
  dispose(): void;
}

/**
 * The gradient of `v` in a map from tf.variableGrads, or zeros shaped like `v` where the map has
 * none: tfjs leaves out a variable the loss does not reach (an ablated gate's weights, or an
 * HMM's transition logits when the sequence has one symbol). Call it inside tf.tidy.
 */
export function gradientOrZero(grads: tf.NamedTensorMap, v: tf.Variable): tf.Tensor {
  return grads[v.name] ?? tf.zerosLike(v);
}

function checkLearningRate(lr: number): void {
  if (!(Number.isFinite(lr) && lr > 0)) throw new Error(`The learning rate must be a positive number, got ${lr}.`);
}

export function createVariableTrainer(variables: tf.Variable[], options: TrainerOptions): VariableTrainer {
  const { optimizer, clipNorm } = options;
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const epsilon = options.epsilon ?? 1e-7;
  if (optimizer !== "adam" && optimizer !== "sgd") throw new Error(`Unknown optimizer "${String(optimizer)}": use "adam" or "sgd".`);
  if (clipNorm !== undefined && !(clipNorm > 0)) throw new Error(`clipNorm must be positive, got ${clipNorm}.`);
  checkLearningRate(options.learningRate);
  let learningRate = options.learningRate;
  let iterations = 0;
  let disposed = false;
  // Adam's moment estimates: allocated once, here, one pair per parameter.
  const slots =
    optimizer === "adam"
      ? variables.map((v) => ({ m: tf.tidy(() => tf.variable(tf.zerosLike(v), false)), s: tf.tidy(() => tf.variable(tf.zerosLike(v), false)) }))
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
    async step(loss) {
      if (disposed) throw new Error("This trainer has been disposed.");
      const value = tf.tidy(() => {
        const { value: v, grads } = tf.variableGrads(loss, variables);
        update(clip(variables.map((x) => gradientOrZero(grads, x))));
        return v;
      });
      try {
        return (await value.data())[0]!;
      } finally {
        value.dispose();
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
