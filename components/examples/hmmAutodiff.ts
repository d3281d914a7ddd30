// The HMM page's tfjs side: log p(x(0:T−1)) as a differentiable function of the parameters,
// in two forms that compute the same number, and autodiff gradients for the identity table.
//
//   loop form  the normalised forward recursion of the page, one RNN step per symbol:
//              c(t) = α(t)ᵀ l(t),  α(t+1) = Pᵀ(α(t) ⊙ l(t)) / c(t),  log p = Σ_t log c(t).
//              Backpropagating through it is backpropagation through time over T steps.
//   tree form  the same probability as a product of matrices,
//              p(x) = (π ⊙ l(0))ᵀ M(1) M(2) ⋯ M(T−1) 1,   M(t) = P diag(l(t)),
//              multiplied in a balanced tree (log₂ T rounds of batched K×K products, each
//              product rescaled to sum 1 with its log scale kept). Before normalisation the
//              forward recursion is linear in α, which is what makes this possible.
//
// Both read l(t) = Cᵀ x(t) with tfLikelihoodRows (a one-hot product, which every backend
// can differentiate).
//
// Training uses the tree form: tfjs records one tape node per op, and the loop form's
// backward pass costs seconds for a few hundred symbols, the tree form's milliseconds.
import * as tf from "@unrolled/tfjs";
import { hmmSizes, type HmmParams } from "../core/hmmValidate.js";
import { hmmParamsFromLogits, tfLikelihoodRows, type HmmGradient, type HmmLogits } from "../models/hmmTf.js";
import { unstackSteps } from "../models/unstackSteps.js";
import { identityTable, type IdentityTable } from "./hmmText.js";

/** Which graph computes log p: the step-by-step recursion, or the balanced matrix product. */
export type ForwardForm = "loop" | "tree";

function checkShapes(pi: tf.Tensor, P: tf.Tensor, C: tf.Tensor, xs: readonly number[]): number {
  const K = pi.shape[0]!;
  if (P.shape[0] !== K || P.shape[1] !== K) throw new Error(`P must have shape [${K}, ${K}] but has [${P.shape.join(", ")}].`);
  if (C.rank !== 2 || C.shape[1] !== K) throw new Error(`C must have shape [V, ${K}] but has [${C.shape.join(", ")}].`);
  if (xs.length < 1) throw new Error("log p needs at least one symbol.");
  return K;
}

/** log p(x(0:T−1)) by the normalised forward recursion, one step per symbol (differentiable). */
export function tfLoopLogLikelihood(pi: tf.Tensor1D, P: tf.Tensor2D, C: tf.Tensor2D, xs: readonly number[]): tf.Scalar {
  const K = checkShapes(pi, P, C, xs);
  return tf.tidy(() => {
    const rows = unstackSteps<tf.Rank.R1>(tfLikelihoodRows(C, xs));
    let alpha: tf.Tensor2D = tf.reshape(pi, [1, K]); // α(0) = π, as a row
    const logs: tf.Scalar[] = [];
    for (const l of rows) {
      const joint = tf.mul(alpha, l); // α(t) ⊙ l(t)
      const c = tf.sum(joint) as tf.Scalar; // c(t) = α(t)ᵀ l(t)
      logs.push(tf.log(c));
      alpha = tf.matMul(tf.div(joint, c), P); // α(t+1)ᵀ = α̂(t)ᵀ P
    }
    return tf.sum(tf.stack(logs)) as tf.Scalar;
  });
}

/** log p(x(0:T−1)) as a balanced product of the matrices P diag(l(t)) (differentiable; see the file comment). */
export function tfTreeLogLikelihood(pi: tf.Tensor1D, P: tf.Tensor2D, C: tf.Tensor2D, xs: readonly number[]): tf.Scalar {
  const K = checkShapes(pi, P, C, xs);
  const T = xs.length;
  return tf.tidy(() => {
    const L = tfLikelihoodRows(C, xs);
    const first = tf.mul(tf.reshape(pi, [1, K]), tf.slice(L, [0, 0], [1, K])); // (π ⊙ l(0))ᵀ, [1, K]
    if (T === 1) return tf.log(tf.sum(first)) as tf.Scalar;
    const n = T - 1;
    let size = 1;
    while (size < n) size *= 2;
    // M(t)[i][j] = P[i][j] l_j(t) for t = 1..T−1, padded with identities to a power of two.
    let M: tf.Tensor3D = tf.mul(tf.reshape(P, [1, K, K]), tf.reshape(tf.slice(L, [1, 0], [n, K]), [n, 1, K]));
    if (size > n) M = tf.concat([M, tf.tile(tf.reshape(tf.eye(K), [1, K, K]), [size - n, 1, 1]) as tf.Tensor3D], 0);
    const logScales: tf.Tensor[] = [];
    while (size > 1) {
      const half = size / 2;
      const [left, right] = tf.unstack(tf.reshape(M, [half, 2, K, K]), 1) as tf.Tensor3D[]; // M(2m), M(2m+1)
      const product = tf.matMul(left!, right!);
      const scale = tf.sum(product, [1, 2], true); // every entry is ≥ 0; rescale each product to sum 1
      M = tf.div(product, scale);
      logScales.push(tf.sum(tf.log(scale)));
      size = half;
    }
    const rest = tf.sum(tf.matMul(first, tf.reshape(M, [K, K])));
    return (logScales.length === 0 ? tf.log(rest) : tf.add(tf.log(rest), tf.addN(logScales))) as tf.Scalar;
  });
}

/** The chosen form's log p. */
export function tfLogLikelihood(form: ForwardForm, pi: tf.Tensor1D, P: tf.Tensor2D, C: tf.Tensor2D, xs: readonly number[]): tf.Scalar {
  return form === "loop" ? tfLoopLogLikelihood(pi, P, C, xs) : tfTreeLogLikelihood(pi, P, C, xs);
}

/** π = softmax(a), rows of P = softmax(rows of B), columns of C = softmax(columns of D). */
export function softmaxParams(a: tf.Tensor1D, B: tf.Tensor2D, D: tf.Tensor2D): { pi: tf.Tensor1D; P: tf.Tensor2D; C: tf.Tensor2D } {
  return tf.tidy(() => ({ pi: tf.softmax(a), P: tf.softmax(B), C: tf.transpose(tf.softmax(tf.transpose(D))) }));
}

/** An autodiff gradient of log p, read back as arrays, with the value and the time it took. */
export interface AutodiffResult {
  /** log p from the same float32 graph. */
  logLikelihood: number;
  gradient: HmmGradient;
  /** Wall-clock milliseconds of the forward and backward pass. */
  ms: number;
}

/** How the three parameter arrays map to the probabilities that enter log p. */
export type Parameterisation = "logit" | "log" | "probability";

/**
 * Autodiff (float32) of log p(x(0:T−1)) with respect to one parameterisation of (π, P, C):
 * - "logit":       the softmax logits (a, B, D) of hmmTf.ts;
 * - "log":         φ = log θ with θ = exp φ entry by entry, no renormalisation (the notes' log P, log C);
 * - "probability": θ itself, each entry a free variable.
 * `values` holds the logits, the logs or the probabilities accordingly.
 */
export async function autodiffGradient(values: HmmLogits, xs: readonly number[], parameterisation: Parameterisation, form: ForwardForm = "tree"): Promise<AutodiffResult> {
  const { states: K, symbols: V } = hmmSizes(values);
  const started = performance.now();
  const inputs = [tf.tensor1d(values.pi, "float32"), tf.tensor2d(values.P, [K, K], "float32"), tf.tensor2d(values.C, [V, K], "float32")] as const;
  const f = (a: tf.Tensor, B: tf.Tensor, D: tf.Tensor): tf.Scalar => {
    const [pi, P, C] =
      parameterisation === "logit"
        ? Object.values(softmaxParams(a as tf.Tensor1D, B as tf.Tensor2D, D as tf.Tensor2D))
        : parameterisation === "log"
          ? [tf.exp(a), tf.exp(B), tf.exp(D)]
          : [a, B, D];
    return tfLogLikelihood(form, pi as tf.Tensor1D, P as tf.Tensor2D, C as tf.Tensor2D, xs);
  };
  const { value, grads } = tf.valueAndGrads(f)([...inputs]);
  try {
    const [logLikelihood, pi, P, C] = await Promise.all([value.data(), grads[0]!.array(), grads[1]!.array(), grads[2]!.array()]);
    return {
      logLikelihood: logLikelihood[0]!,
      gradient: { pi: pi as number[], P: P as number[][], C: C as number[][] },
      ms: performance.now() - started,
    };
  } finally {
    tf.dispose([value, ...grads, ...inputs]);
  }
}

/** The log of every entry of θ, for the "log" parameterisation (an entry of 0 becomes −80, e^−80 ≈ 2e−35). */
export function logOfParams(params: HmmParams): HmmLogits {
  const log = (p: number) => (p > 0 ? Math.log(p) : -80);
  return { pi: params.pi.map(log), P: params.P.map((r) => r.map(log)), C: params.C.map((r) => r.map(log)) };
}

/** The identity table at the parameters of some float32 logits, and how it was computed. */
export interface IdentityCheck {
  table: IdentityTable;
  /** θ = softmax(logits), in float64. */
  params: HmmParams;
  logits: HmmLogits;
  form: ForwardForm;
  /** Symbols the check covered. */
  T: number;
  /** Milliseconds of the three autodiff passes together. */
  ms: number;
}

/**
 * Autodiff (float32, in the given form) of log p with respect to θ, log θ and the logits, all at
 * θ = softmax(logits), against the float64 expected counts of forward–backward at the same θ.
 */
export async function checkIdentity(logits: HmmLogits, xs: readonly number[], form: ForwardForm = "tree"): Promise<IdentityCheck> {
  const params = hmmParamsFromLogits(logits);
  const logit = await autodiffGradient(logits, xs, "logit", form);
  const log = await autodiffGradient(logOfParams(params), xs, "log", form);
  const probability = await autodiffGradient(params, xs, "probability", form);
  const table = identityTable(params, xs, { logit: logit.gradient, log: log.gradient, probability: probability.gradient });
  return { table, params, logits, form, T: xs.length, ms: logit.ms + log.ms + probability.ms };
}
