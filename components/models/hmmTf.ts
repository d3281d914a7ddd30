// A categorical HMM trained as a recurrent network: the normalised forward recursion in
// tfjs ops, with unconstrained logits as the trainable variables,
//
//   π = softmax(a),   P[i, ·] = softmax(B[i, ·]) (rows),   C[·, k] = softmax(D[·, k]) (columns),
//
// so autodiff gives ∂ log p(x(1:T)) / ∂(a, B, D), and gradient ascent needs no constraints.
//
// The same gradient from EM's expected sufficient statistics (the "identity"). Write
// N[i][j] = Σ_{t=1}^{T−1} ξ_ij(t), M[v][k] = Σ_t [x(t) = v] γ_k(t), γ(1) from
// forward–backward. Treating the entries of P as free variables, log p is a log-normaliser
// of the posterior exponential family, and
//   ∂ log p / ∂ P_ij = N_ij / P_ij,   ∂ log p / ∂ C_vk = M_vk / C_vk,   ∂ log p / ∂ π_k = γ_k(1) / π_k.
// The softmax Jacobian ∂P_ij' / ∂B_ij = P_ij' (δ_jj' − P_ij) then gives
//   ∂ log p / ∂ B_ij = Σ_j' (N_ij' / P_ij') P_ij' (δ_jj' − P_ij) = N_ij − P_ij Σ_j' N_ij'
//                    = Σ_{t<T} ξ_ij(t) − P_ij Σ_{t<T} γ_i(t),
//   ∂ log p / ∂ D_vk = M_vk − C_vk Σ_t γ_k(t),
//   ∂ log p / ∂ a_k  = γ_k(1) − π_k.
// (Observed minus expected counts: at a fixed point of EM both vanish.)

import * as tf from "@unrolled/tfjs";
import { unstackSteps } from "./unstackSteps.js";
import { gradientOrZero } from "./variableTrainer.js";
import { softmax } from "../core/rnn.js";
import { hmmExpectedCounts } from "../core/baumWelch.js";
import { hmmBackward } from "../core/hmmBackward.js";
import { hmmForward } from "../core/hmmForward.js";
import { hmmSizes, validateSymbols, type HmmParams } from "../core/hmmValidate.js";

/** Unconstrained parameters: π = softmax(pi), P = row-wise softmax(P), C = column-wise softmax(C). */
export interface HmmLogits {
  /** a, length K. */
  pi: number[];
  /** B, K×K; row i gives p(z(t+1) = · | z(t) = i). */
  P: number[][];
  /** D, V×K; column k gives p(x(t) = · | z(t) = k). */
  C: number[][];
}

/** A gradient with the shapes of HmmParams / HmmLogits. */
export interface HmmGradient {
  pi: number[];
  P: number[][];
  C: number[][];
}

/** The probabilities of the logits in float64: π = softmax(a), rows of P, columns of C. */
export function hmmParamsFromLogits(logits: HmmLogits): HmmParams {
  hmmSizes(logits); // same shapes as HmmParams
  const K = logits.pi.length;
  const columns = Array.from({ length: K }, (_, k) => softmax(logits.C.map((row) => row[k]!)));
  return {
    pi: softmax(logits.pi),
    P: logits.P.map((row) => softmax(row)),
    C: logits.C.map((_, v) => columns.map((col) => col[v]!)),
  };
}

/** Logits with softmax(logits) = params: log of every entry, with zeros raised to `floor`. */
export function hmmLogitsFromParams(params: HmmParams, floor = 1e-12): HmmLogits {
  const log = (p: number) => Math.log(Math.max(p, floor));
  return { pi: params.pi.map(log), P: params.P.map((r) => r.map(log)), C: params.C.map((r) => r.map(log)) };
}

/** An HMM whose float32 tf.Variables are the logits (a, B, D); π, P, C are their softmaxes. */
export interface TfHmm {
  /** K. */
  readonly states: number;
  /** V. */
  readonly symbols: number;
  /** a, [K]. */
  readonly piLogits: tf.Variable<tf.Rank.R1>;
  /** B, [K, K]. */
  readonly PLogits: tf.Variable<tf.Rank.R2>;
  /** D, [V, K]. */
  readonly CLogits: tf.Variable<tf.Rank.R2>;
  /** The trainable variables in the order a, B, D. */
  readonly variables: tf.Variable[];
  /** Copies the current logits out as float64 arrays. */
  readLogits(): Promise<HmmLogits>;
  /** The current probabilities (softmax of the float32 logits, computed in float64). */
  readParams(): Promise<HmmParams>;
  dispose(): void;
}

/** Creates float32 variables holding a copy of `logits`. */
export function createTfHmm(logits: HmmLogits): TfHmm {
  const { states: K, symbols: V } = hmmSizes(logits);
  const piLogits = tf.tidy(() => tf.variable(tf.tensor1d(logits.pi, "float32"), true));
  const PLogits = tf.tidy(() => tf.variable(tf.tensor2d(logits.P, [K, K], "float32"), true));
  const CLogits = tf.tidy(() => tf.variable(tf.tensor2d(logits.C, [V, K], "float32"), true));
  const variables: tf.Variable[] = [piLogits, PLogits, CLogits];
  let disposed = false;
  const readLogits = async (): Promise<HmmLogits> => {
    const [pi, P, C] = await Promise.all([piLogits.array(), PLogits.array(), CLogits.array()]);
    return { pi, P, C };
  };
  return {
    states: K,
    symbols: V,
    piLogits,
    PLogits,
    CLogits,
    variables,
    readLogits,
    async readParams() {
      return hmmParamsFromLogits(await readLogits());
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const v of variables) v.dispose();
    },
  };
}

/** π = softmax(a), P = softmax over each row of B, C = softmax over each column of D, as tensors. */
export function tfHmmProbabilities(model: TfHmm): { pi: tf.Tensor1D; P: tf.Tensor2D; C: tf.Tensor2D } {
  return tf.tidy(() => ({
    pi: tf.softmax(model.piLogits),
    P: tf.softmax(model.PLogits),
    C: tf.transpose(tf.softmax(tf.transpose(model.CLogits))),
  }));
}

/** The tensors of tfHmmForward (owned by the caller). */
export interface TfHmmForward {
  /** α(1..T) = p(z(t) | x(1:t−1)), [T, K]. */
  alpha: tf.Tensor2D;
  /** c(1..T) = α(t)ᵀ Cᵀ x(t) = p(x(t) | x(1:t−1)), [T]. */
  normalisers: tf.Tensor1D;
  /** log p(x(1:T)) = Σ_t log c(t). */
  logLikelihood: tf.Scalar;
}

/**
 * L = onehot(x) C, [T, K]: row t is l(t) = Cᵀ x(t). A product with a one-hot matrix rather
 * than tf.gather, whose gradient needs a kernel (UnsortedSegmentSum) that the wasm backend lacks.
 */
export function tfLikelihoodRows(C: tf.Tensor2D, xs: readonly number[]): tf.Tensor2D {
  const V = C.shape[0];
  validateSymbols(xs, V);
  return tf.tidy(() => tf.matMul(tf.oneHot(tf.tensor1d(Array.from(xs), "int32"), V).toFloat(), C));
}

/**
 * The normalised forward recursion on probability tensors π [K], P [K, K], C [V, K]:
 * α(1) = π, c(t) = α(t)ᵀ l(t) with l(t) = Cᵀ x(t) (row t of tfLikelihoodRows),
 * α(t+1) = Pᵀ (α(t) ⊙ l(t)) / c(t), log p = Σ_t log c(t). Differentiable in π, P and C.
 * Returns new tensors the caller owns. T = xs.length ≥ 1.
 */
export function tfHmmForward(pi: tf.Tensor1D, P: tf.Tensor2D, C: tf.Tensor2D, xs: readonly number[]): TfHmmForward {
  const K = pi.shape[0];
  if (P.shape[0] !== K || P.shape[1] !== K) throw new Error(`P must have shape [${K}, ${K}] but has [${P.shape.join(", ")}].`);
  if (C.shape[1] !== K) throw new Error(`C must have shape [V, ${K}] but has [${C.shape.join(", ")}].`);
  if (xs.length < 1) throw new Error("The forward recursion needs at least one symbol.");
  return tf.tidy(() => {
    const likelihoods = unstackSteps<tf.Rank.R1>(tfLikelihoodRows(C, xs)); // l(t) = Cᵀ x(t)
    let alpha: tf.Tensor2D = tf.reshape(pi, [1, K]);
    const alphas: tf.Tensor2D[] = [];
    const normalisers: tf.Scalar[] = [];
    for (const l of likelihoods) {
      const joint = tf.mul(alpha, l); // α(t) ⊙ l(t), [1, K]
      const c = tf.sum(joint) as tf.Scalar; // c(t) = α(t)ᵀ l(t)
      alphas.push(alpha);
      normalisers.push(c);
      alpha = tf.matMul(tf.div(joint, c), P); // row vector: (Pᵀ α̂)ᵀ = α̂ᵀ P
    }
    const cs = tf.stack(normalisers) as tf.Tensor1D;
    return { alpha: tf.concat(alphas, 0), normalisers: cs, logLikelihood: tf.sum(tf.log(cs)) as tf.Scalar };
  });
}

/** log p(x(1:T)) of the model's current logits, as a differentiable scalar. */
export function tfHmmLogLikelihood(model: TfHmm, xs: readonly number[]): tf.Scalar {
  return tf.tidy(() => {
    const { pi, P, C } = tfHmmProbabilities(model);
    return tfHmmForward(pi, P, C, xs).logLikelihood;
  });
}

/**
 * Reads the gradients of (π, P, C)-shaped variables from a tf.variableGrads map into arrays in
 * HmmGradient layout; a variable log p does not reach (P when T = 1) gets zeros.
 */
async function readGradient(variables: [tf.Variable, tf.Variable, tf.Variable], grads: tf.NamedTensorMap): Promise<HmmGradient> {
  const tensors = tf.tidy(() => variables.map((v) => gradientOrZero(grads, v)));
  try {
    const [pi, P, C] = await Promise.all(tensors.map((t) => t.array()));
    return { pi: pi as number[], P: P as number[][], C: C as number[][] };
  } finally {
    tf.dispose(tensors);
  }
}

/** Autodiff (float32): log p(x(1:T)) and ∂ log p / ∂(a, B, D) at the model's logits. */
export async function tfHmmLogitGradient(model: TfHmm, xs: readonly number[]): Promise<{ logLikelihood: number; gradient: HmmGradient }> {
  const { value, grads } = tf.variableGrads(() => tfHmmLogLikelihood(model, xs), model.variables);
  try {
    const [logLikelihood, gradient] = await Promise.all([value.data(), readGradient([model.piLogits, model.PLogits, model.CLogits], grads)]);
    return { logLikelihood: logLikelihood[0]!, gradient };
  } finally {
    value.dispose();
    tf.dispose(grads);
  }
}

/**
 * Autodiff (float32) of log p(x(1:T)) with respect to the probabilities themselves, each
 * entry of π, P and C treated as a free variable (no softmax): for comparison with
 * N_ij / P_ij and the like.
 */
export async function tfHmmProbabilityGradient(params: HmmParams, xs: readonly number[]): Promise<{ logLikelihood: number; gradient: HmmGradient }> {
  const { states: K, symbols: V } = hmmSizes(params);
  const variables: [tf.Variable, tf.Variable, tf.Variable] = [
    tf.variable(tf.tensor1d(params.pi)),
    tf.variable(tf.tensor2d(params.P, [K, K])),
    tf.variable(tf.tensor2d(params.C, [V, K])),
  ];
  const [pi, P, C] = variables;
  const { value, grads } = tf.variableGrads(() => tfHmmForward(pi as tf.Variable<tf.Rank.R1>, P as tf.Variable<tf.Rank.R2>, C as tf.Variable<tf.Rank.R2>, xs).logLikelihood, variables);
  try {
    const [logLikelihood, gradient] = await Promise.all([value.data(), readGradient(variables, grads)]);
    return { logLikelihood: logLikelihood[0]!, gradient };
  } finally {
    tf.dispose([value, ...Object.values(grads), ...variables]);
  }
}

/**
 * θ ← θ + η ∂ℓ/∂θ for the logits θ = (a, B, D), where ℓ = logLikelihood() is any
 * differentiable form of log p (a logit log p does not reach moves by 0). Applied
 * synchronously; returns ℓ before the step, which the caller disposes.
 */
export function ascendLogits(model: TfHmm, logLikelihood: () => tf.Scalar, learningRate: number): tf.Scalar {
  if (!Number.isFinite(learningRate)) throw new Error(`The learning rate must be a finite number, got ${learningRate}.`);
  const { value, grads } = tf.variableGrads(logLikelihood, model.variables);
  try {
    tf.tidy(() => {
      for (const v of model.variables) v.assign(tf.add(v, tf.mul(gradientOrZero(grads, v), learningRate)));
    });
    return value;
  } catch (error) {
    value.dispose();
    throw error;
  } finally {
    tf.dispose(grads);
  }
}

/**
 * One step of gradient ascent on log p(x(1:T)) by the forward recursion (ascendLogits).
 * Returns log p before the step. The gradient grows with T, so η of order 1/T is a sensible start.
 */
export async function hmmGradientAscentStep(model: TfHmm, xs: readonly number[], learningRate: number): Promise<number> {
  const value = ascendLogits(model, () => tfHmmLogLikelihood(model, xs), learningRate);
  try {
    return (await value.data())[0]!;
  } finally {
    value.dispose();
  }
}

/**
 * The expected-count form of ∂ log p / ∂(logits) (float64, see the file comment):
 *   ∂/∂a_k = γ_k(1) − π_k,
 *   ∂/∂B_ij = Σ_{t<T} ξ_ij(t) − P_ij Σ_{t<T} γ_i(t),
 *   ∂/∂D_vk = Σ_t [x(t) = v] γ_k(t) − C_vk Σ_t γ_k(t),
 * evaluated at the probabilities `params` (= softmax of the logits).
 */
export function expectedCountLogitGradient(params: HmmParams, xs: readonly number[]): HmmGradient & { logLikelihood: number } {
  const counts = hmmExpectedCounts(params, xs);
  const K = params.pi.length;
  const columnTotals = new Array<number>(K).fill(0);
  for (const row of counts.emissions) for (let k = 0; k < K; k++) columnTotals[k]! += row[k]!;
  const initialTotal = counts.initial.reduce((s, g) => s + g, 0); // = 1
  return {
    pi: counts.initial.map((g, k) => g - params.pi[k]! * initialTotal),
    P: counts.transitions.map((row, i) => {
      const rowTotal = row.reduce((s, n) => s + n, 0); // Σ_{t<T} γ_i(t)
      return row.map((n, j) => n - params.P[i]![j]! * rowTotal);
    }),
    C: counts.emissions.map((row, v) => row.map((m, k) => m - params.C[v]![k]! * columnTotals[k]!)),
    logLikelihood: counts.logLikelihood,
  };
}

/**
 * ∂ log p / ∂(π, P, C) with every entry a free variable, from the forward–backward messages:
 *   ∂/∂P_ij = Σ_{t<T} α̂_i(t) l_j(t+1) β̂_j(t+1) / c(t+1)  = Σ_t ξ_ij(t) / P_ij,
 *   ∂/∂C_vk = Σ_{t: x(t)=v} α_k(t) β̂_k(t) / c(t)          = Σ_t [x(t) = v] γ_k(t) / C_vk,
 *   ∂/∂π_k  = l_k(1) β̂_k(1) / c(1)                        = γ_k(1) / π_k.
 * The message form stays finite where an entry is 0 (the count form would be 0/0).
 */
export function expectedCountProbabilityGradient(params: HmmParams, xs: readonly number[]): HmmGradient {
  const fwd = hmmForward(params, xs, { predictive: false });
  const beta = hmmBackward(params, xs, fwd);
  const K = params.pi.length;
  const P = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const C = params.C.map(() => new Array<number>(K).fill(0));
  xs.forEach((x, t) => {
    const c = fwd.normalisers[t]!;
    const a = fwd.alpha[t]!;
    const b = beta[t]!;
    for (let k = 0; k < K; k++) C[x]![k]! += (a[k]! * b[k]!) / c;
    if (t === 0) return;
    const prev = fwd.filtered[t - 1]!;
    const l = fwd.likelihoods[t]!;
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) P[i]![j]! += (prev[i]! * l[j]! * b[j]!) / c;
  });
  const pi = xs.length === 0 ? new Array<number>(K).fill(0) : fwd.likelihoods[0]!.map((l, k) => (l * beta[0]![k]!) / fwd.normalisers[0]!);
  return { pi, P, C };
}
