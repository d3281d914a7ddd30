// The BPTT page's check: the hand-derived float64 BPTT of components/core/bptt.ts beside
// tfjs automatic differentiation (float32), on the same weights and the same sequence,
// for every quantity the derivation names, at every time step.
//
// Autodiff gives the totals ∂L/∂θ directly (tf.variableGrads on the model the page
// trains). To get the per-step quantities from autodiff as well, perStepAutodiff runs the
// same forward pass with three changes that leave every value untouched:
//   - each step t gets its own copy W_t = W, U_t = U, b_t = b, V_t = V, c_t = c, so that
//     ∂L/∂W_t is exactly step t's contribution to ∂L/∂W (and Σ_t ∂L/∂W_t = ∂L/∂W);
//   - h(t) = tanh(a(t)) + ε_h(t) and o(t) = V h(t) + c + ε_o(t) with ε = 0, so that
//     ∂L/∂ε_h(t) = ∂L/∂h(t) and ∂L/∂ε_o(t) = ∂L/∂o(t), the total derivatives BPTT computes.
import * as tf from "@unrolled/tfjs";
import { unstackSteps } from "../models/unstackSteps.js";
import { rnnBackward, type RnnGradients } from "../core/bptt.js";
import { rnnForward, type RnnForward, type RnnParams } from "../core/rnn.js";
import { tfRnnLoss, type TfRnn } from "../models/rnnTf.js";

export const PARAMETERS = ["W", "U", "b", "V", "c"] as const;
export type ParameterName = (typeof PARAMETERS)[number];

export interface StepQuantities {
  /** ∂L/∂o(t), T×k. */
  dLdo: number[][];
  /** ∂L/∂h(t), T×q. */
  dLdh: number[][];
  /** Step t's contribution to each parameter's gradient. */
  perStep: RnnGradients[];
  /** ∂L/∂θ. */
  grads: RnnGradients;
}

export interface StepDifferences {
  o: number;
  h: number;
  W: number;
  U: number;
  b: number;
  V: number;
  c: number;
}

export interface GradientCheck {
  T: number;
  /** The float64 forward pass (every a(t), h(t), o(t), ŷ(t)). */
  forward: RnnForward;
  /** The loss L = (1/T) Σ_t ℓ(t): float64, and as tfjs computed it. */
  loss: number;
  lossAutodiff: number;
  /** ∂ℓ(t)/∂o(t) = ŷ(t) − y(t), without the 1/T. */
  stepLossGrads: number[][];
  /** ∂L/∂a(t) = (1 − h(t)²) ⊙ ∂L/∂h(t), T×q, and ∂L/∂h(0). */
  dLda: number[][];
  dLdh0: number[];
  manual: StepQuantities;
  autodiff: StepQuantities;
  /** relativeDifference(autodiff, manual) for every quantity at every step t (index t − 1). */
  perStepDifference: StepDifferences[];
  /** The same for the totals ∂L/∂θ. */
  totalDifference: Record<ParameterName, number>;
  /** The largest of all the above. */
  largest: number;
  /** Milliseconds for the float64 BPTT and for the two autodiff passes. */
  ms: { manual: number; autodiff: number };
}

/**
 * max_i |a_i − m_i| / max_i |m_i|: the largest entry difference, relative to the largest
 * entry of the reference m (0 when both are zero, Infinity when only m is).
 */
export function relativeDifference(a: number[] | number[][], m: number[] | number[][]): number {
  const av = (a as Array<number | number[]>).flat() as number[];
  const mv = (m as Array<number | number[]>).flat() as number[];
  if (av.length !== mv.length) throw new Error(`Cannot compare ${av.length} entries with ${mv.length}.`);
  let diff = 0;
  let size = 0;
  mv.forEach((v, i) => {
    diff = Math.max(diff, Math.abs(av[i]! - v));
    size = Math.max(size, Math.abs(v));
  });
  if (size === 0) return diff === 0 ? 0 : Infinity;
  return diff / size;
}

function rows(data: Float32Array | Int32Array | Uint8Array, n: number, cols: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * cols, (i + 1) * cols)));
}

/**
 * Per-step autodiff (see the top of this file) for one sequence: xs T×p, class targets,
 * softmax cross-entropy averaged over the T steps.
 */
export async function perStepAutodiff(params: RnnParams, xs: number[][], targets: number[]): Promise<StepQuantities & { loss: number }> {
  const T = xs.length;
  const q = params.W.length;
  const p = params.U[0]!.length;
  const k = params.V.length;
  const tile = <R extends tf.Rank>(values: number[] | number[][], shape: number[]) => tf.tidy(() => tf.tile(tf.expandDims(tf.tensor(values), 0), [T, ...shape.map(() => 1)]) as tf.Tensor<R>);
  const inputs = [
    tile(params.W, [q, q]),
    tile(params.U, [q, p]),
    tile(params.b, [q]),
    tile(params.V, [k, q]),
    tile(params.c, [k]),
    tf.zeros([T, q]),
    tf.zeros([T, k]),
  ];
  const x = tf.tensor2d(xs, [T, p]);
  const oneHot = tf.tidy(() => tf.oneHot(tf.tensor1d(targets, "int32"), k).asType("float32"));
  const lossOf = (Ws: tf.Tensor, Us: tf.Tensor, bs: tf.Tensor, Vs: tf.Tensor, cs: tf.Tensor, eh: tf.Tensor, eo: tf.Tensor): tf.Scalar => {
    // The input part U_t x(t) + b_t of every pre-activation in one batched product, [T, q, 1].
    const inputPart = tf.add(tf.matMul(Us, tf.reshape(x, [T, p, 1])), tf.reshape(bs, [T, q, 1]));
    const [W, inputs, probesH] = [Ws, inputPart, tf.reshape(eh, [T, q, 1])].map((t) => unstackSteps(t));
    let h: tf.Tensor = tf.zeros([q, 1]);
    const hs: tf.Tensor[] = [];
    for (let t = 0; t < T; t++) {
      // h(t) = tanh(W_t h(t−1) + U_t x(t) + b_t) + ε_h(t)
      h = tf.add(tf.tanh(tf.add(tf.matMul(W[t]!, h), inputs[t]!)), probesH[t]!);
      hs.push(h);
    }
    // o(t) = V_t h(t) + c_t + ε_o(t) for every t at once, [T, k];  ℓ(t) = logsumexp(o) − o_y
    const o = tf.add(tf.add(tf.reshape(tf.matMul(Vs, tf.stack(hs)), [T, k]), cs), eo);
    return tf.mean(tf.sub(tf.logSumExp(o, 1), tf.sum(tf.mul(o, oneHot), 1))) as tf.Scalar;
  };
  const { value, grads } = tf.tidy(() => tf.valueAndGrads(lossOf as (...args: tf.Tensor[]) => tf.Scalar)(inputs));
  try {
    const data = await Promise.all([value, ...grads].map((g) => g.data()));
    const [loss, gW, gU, gb, gV, gc, gh, go] = data as Float32Array[];
    const perStep: RnnGradients[] = Array.from({ length: T }, (_, t) => ({
      W: rows(gW!.subarray(t * q * q, (t + 1) * q * q), q, q),
      U: rows(gU!.subarray(t * q * p, (t + 1) * q * p), q, p),
      b: Array.from(gb!.subarray(t * q, (t + 1) * q)),
      V: rows(gV!.subarray(t * k * q, (t + 1) * k * q), k, q),
      c: Array.from(gc!.subarray(t * k, (t + 1) * k)),
    }));
    const sum = (pick: (g: RnnGradients) => number[][]) => pick(perStep[0]!).map((row, i) => row.map((_, j) => perStep.reduce((s, g) => s + pick(g)[i]![j]!, 0)));
    return {
      loss: loss![0]!,
      dLdo: rows(go!, T, k),
      dLdh: rows(gh!, T, q),
      perStep,
      grads: { W: sum((g) => g.W), U: sum((g) => g.U), b: sum((g) => [g.b])[0]!, V: sum((g) => g.V), c: sum((g) => [g.c])[0]! },
    };
  } finally {
    tf.dispose([value, ...grads, ...inputs, x, oneHot]);
  }
}

/** tf.variableGrads of the model's own training loss (tfRnnLoss) on one sequence. */
export async function modelAutodiff(model: TfRnn, xs: number[][], targets: number[]): Promise<{ loss: number; grads: RnnGradients }> {
  const x = tf.tensor3d([xs]);
  const y = tf.tensor2d([targets], [1, targets.length], "int32");
  const { value, grads } = tf.tidy(() => tf.variableGrads(() => tfRnnLoss(model, x, y), model.variables));
  try {
    const [loss, W, U, b, V, c] = await Promise.all([value.data(), ...model.variables.map((v) => grads[v.name]!.array())]);
    return { loss: loss[0]!, grads: { W: W as number[][], U: U as number[][], b: b as number[], V: V as number[][], c: c as number[] } };
  } finally {
    tf.dispose([x, y, value, ...Object.values(grads)]);
  }
}

const now = () => performance.now();

/**
 * Everything the page shows: the float64 BPTT (rnnBackward) on `params` — the model's
 * float32 weights read back — and autodiff of the same loss. The per-step autodiff
 * quantities come from perStepAutodiff, the totals from the model's own variableGrads.
 */
export async function gradientCheck(model: TfRnn, params: RnnParams, xs: number[][], targets: number[]): Promise<GradientCheck> {
  const started = now();
  const forward = rnnForward(params, xs, undefined, "multiclass");
  const back = rnnBackward(params, forward, targets, "multiclass", xs);
  const manualMs = now() - started;
  const autoStart = now();
  const [steps, whole] = await Promise.all([perStepAutodiff(params, xs, targets), modelAutodiff(model, xs, targets)]);
  const autodiffMs = now() - autoStart;
  const perStepDifference = back.perStep.map((m, t): StepDifferences => {
    const a = steps.perStep[t]!;
    return {
      o: relativeDifference(steps.dLdo[t]!, back.dLdo[t]!),
      h: relativeDifference(steps.dLdh[t]!, back.dLdh[t]!),
      W: relativeDifference(a.W, m.W),
      U: relativeDifference(a.U, m.U),
      b: relativeDifference(a.b, m.b),
      V: relativeDifference(a.V, m.V),
      c: relativeDifference(a.c, m.c),
    };
  });
  const totalDifference = Object.fromEntries(PARAMETERS.map((name) => [name, relativeDifference(whole.grads[name], back.grads[name])])) as Record<ParameterName, number>;
  const largest = Math.max(...Object.values(totalDifference), ...perStepDifference.flatMap((d) => Object.values(d)));
  return {
    T: xs.length,
    forward,
    loss: back.loss,
    lossAutodiff: whole.loss,
    stepLossGrads: back.stepLossGrads,
    dLda: back.dLda,
    dLdh0: back.dLdh0,
    manual: { dLdo: back.dLdo, dLdh: back.dLdh, perStep: back.perStep, grads: back.grads },
    autodiff: { dLdo: steps.dLdo, dLdh: steps.dLdh, perStep: steps.perStep, grads: whole.grads },
    perStepDifference,
    totalDifference,
    largest,
    ms: { manual: manualMs, autodiff: autodiffMs },
  };
}
