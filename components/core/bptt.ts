// Backpropagation through time for the float64 RNN of rnn.ts, written out step by step so
// the page can show every intermediate gradient, plus truncated BPTT.
//
// Forward (rnn.ts):  a(t) = W h(t−1) + U x(t) + b,  h(t) = tanh(a(t)),  o(t) = V h(t) + c,
//                    L = (1/T) Σ_t ℓ(t)   (the MEAN over the T steps).
//
// Backward, for t = T down to 1:
//   ∂ℓ(t)/∂o(t)  = ŷ(t) − y(t)            multiclass (softmax + cross-entropy, y one-hot)
//                = σ(o(t)) − y(t)          binary (sigmoid + cross-entropy)
//                = (2/k)(o(t) − y(t))      real (ℓ = (1/k) Σ_j (o_j − y_j)²)
//   ∂L/∂o(t)     = (1/T) ∂ℓ(t)/∂o(t)       ← the 1/T of the mean
//   ∂L/∂h(t)     = Vᵀ ∂L/∂o(t) + Wᵀ diag(1 − h(t+1)²) ∂L/∂h(t+1)    (second term absent at t = T)
//   ∂L/∂a(t)     = diag(1 − h(t)²) ∂L/∂h(t)
// and the shared weights collect one contribution per step:
//   ∂L/∂W = Σ_t ∂L/∂a(t) h(t−1)ᵀ     ∂L/∂U = Σ_t ∂L/∂a(t) x(t)ᵀ     ∂L/∂b = Σ_t ∂L/∂a(t)
//   ∂L/∂V = Σ_t ∂L/∂o(t) h(t)ᵀ       ∂L/∂c = Σ_t ∂L/∂o(t)
//   ∂L/∂h(0) = Wᵀ ∂L/∂a(1).
//
// Arrays are indexed like rnnForward's: row i holds step t = i + 1.

import { rnnLoss, rnnSizes, sigmoid, softmax, type Head, type RnnForward, type RnnParams } from "./rnn.js";

/** Gradients have the shapes of the parameters they belong to. */
export type RnnGradients = RnnParams;

export interface RnnBackward {
  /** The loss L = (1/T) Σ_t ℓ(t) at which the gradient is taken. */
  loss: number;
  /** ∂ℓ(t)/∂o(t), the per-step form without the 1/T (e.g. ŷ(t) − y(t) for softmax), T×k. */
  stepLossGrads: number[][];
  /** ∂L/∂o(t) = (1/T) ∂ℓ(t)/∂o(t), T×k. */
  dLdo: number[][];
  /** ∂L/∂h(t), T×q. */
  dLdh: number[][];
  /** ∂L/∂a(t) = (1 − h(t)²) ⊙ ∂L/∂h(t), T×q. */
  dLda: number[][];
  /** ∂L/∂h(0) = Wᵀ ∂L/∂a(1), length q. */
  dLdh0: number[];
  /** Step t's contribution to each gradient: {W: ∂L/∂a(t) h(t−1)ᵀ, U: ∂L/∂a(t) x(t)ᵀ, b: ∂L/∂a(t), V: ∂L/∂o(t) h(t)ᵀ, c: ∂L/∂o(t)}. */
  perStep: RnnGradients[];
  /** The totals Σ_t perStep[t]: the full BPTT gradient ∂L/∂θ. */
  grads: RnnGradients;
}

/** Zero gradients shaped like params. */
export function zeroGradients(params: RnnParams): RnnGradients {
  const zerosLike = (m: number[][]) => m.map((row) => row.map(() => 0));
  return { W: zerosLike(params.W), U: zerosLike(params.U), b: params.b.map(() => 0), V: zerosLike(params.V), c: params.c.map(() => 0) };
}

/** ∂ℓ/∂o for one step (no 1/T): softmax(o) − onehot(y), σ(o) − y, or (2/k)(o − y). */
export function stepOutputGrad(head: Head, o: number[], target: number[] | number): number[] {
  if (head === "multiclass") {
    const y = Array.isArray(target) ? target[0]! : target;
    return softmax(o).map((p, j) => p - (j === y ? 1 : 0));
  }
  const y = typeof target === "number" ? [target] : target;
  if (head === "binary") return o.map((z, j) => sigmoid(z) - y[j]!);
  return o.map((z, j) => (2 / o.length) * (z - y[j]!));
}

function checkInputs(params: RnnParams, cache: RnnForward, xs: number[][]): void {
  const { inputSize: p } = rnnSizes(params);
  const T = cache.h.length;
  if (!Array.isArray(xs) || xs.length !== T) {
    throw new Error(`xs has ${Array.isArray(xs) ? xs.length : "no"} steps but the cache has T = ${T}: pass the xs given to rnnForward.`);
  }
  // The cache must come from these params and xs: a(t) = W h(t−1) + U x(t) + b, to rounding.
  for (let t = 0; t < T; t++) {
    const x = xs[t]!;
    if (!Array.isArray(x) || x.length !== p) throw new Error(`xs[${t}] must have p = ${p} values.`);
    const prev = t === 0 ? cache.h0 : cache.h[t - 1]!;
    params.W.forEach((row, i) => {
      let a = params.b[i]!;
      let size = Math.abs(a);
      row.forEach((w, j) => {
        a += w * prev[j]!;
        size += Math.abs(w * prev[j]!);
      });
      params.U[i]!.forEach((u, j) => {
        a += u * x[j]!;
        size += Math.abs(u * x[j]!);
      });
      if (Math.abs(a - cache.a[t]![i]!) > 1e-9 * (1 + size)) {
        throw new Error(`The cache does not match these params and xs at step ${t + 1} (a differs by ${Math.abs(a - cache.a[t]![i]!).toExponential(2)}): rerun rnnForward(params, xs, h0, head).`);
      }
    });
  }
}

/** The per-step ∂ℓ(t)/∂o(t) (unscaled) after rnnLoss has validated the targets. */
function stepLossGradients(head: Head, o: number[][], targets: number[][] | number[]): number[][] {
  return o.map((ot, t) => stepOutputGrad(head, ot, targets[t]!));
}

interface WindowResult {
  dLdh: number[][];
  dLda: number[][];
  /** The gradient that reaches the state before the window, Wᵀ ∂L/∂a(first). */
  dLdhBefore: number[];
  perStep: RnnGradients[] | null;
  grads: RnnGradients;
}

/**
 * The BPTT recursion over steps first..last (array indices), with output gradients dLdo
 * injected at those steps and nothing arriving from after `last`. Shared by the full and
 * the truncated gradient so that both run the very same arithmetic.
 */
function backpropWindow(
  params: RnnParams,
  cache: RnnForward,
  xs: number[][],
  dLdo: number[][],
  first: number,
  last: number,
  keepPerStep: boolean,
): WindowResult {
  const { W, V } = params;
  const q = W.length;
  const grads = zeroGradients(params);
  const perStep: RnnGradients[] = [];
  const dLdh: number[][] = [];
  const dLda: number[][] = [];
  let fromLater = new Array<number>(q).fill(0); // Wᵀ ∂L/∂a(t+1)
  for (let t = last; t >= first; t--) {
    const go = dLdo[t]!;
    const ht = cache.h[t]!;
    const prev = t === 0 ? cache.h0 : cache.h[t - 1]!;
    const x = xs[t]!;
    // ∂L/∂h(t) = Vᵀ ∂L/∂o(t) + Wᵀ ∂L/∂a(t+1)
    const gh = fromLater.map((v, i) => {
      let s = v;
      for (let j = 0; j < go.length; j++) s += V[j]![i]! * go[j]!;
      return s;
    });
    const ga = gh.map((g, i) => (1 - ht[i]! * ht[i]!) * g); // ∂L/∂a(t) = (1 − h(t)²) ⊙ ∂L/∂h(t)
    dLdh[t] = gh;
    dLda[t] = ga;
    const step: RnnGradients = {
      W: ga.map((g) => prev.map((v) => g * v)),
      U: ga.map((g) => x.map((v) => g * v)),
      b: ga.slice(),
      V: go.map((g) => ht.map((v) => g * v)),
      c: go.slice(),
    };
    addInto(grads, step);
    if (keepPerStep) perStep[t] = step;
    fromLater = new Array<number>(q).fill(0);
    for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) fromLater[j]! += W[i]![j]! * ga[i]!;
  }
  return { dLdh, dLda, dLdhBefore: fromLater, perStep: keepPerStep ? perStep : null, grads };
}

function addInto(total: RnnGradients, part: RnnGradients): void {
  const addMatrix = (a: number[][], b: number[][]) => a.forEach((row, i) => row.forEach((_, j) => (row[j]! += b[i]![j]!)));
  addMatrix(total.W, part.W);
  addMatrix(total.U, part.U);
  total.b.forEach((_, i) => (total.b[i]! += part.b[i]!));
  addMatrix(total.V, part.V);
  total.c.forEach((_, i) => (total.c[i]! += part.c[i]!));
}

/**
 * Full BPTT for one sequence: every ∂L/∂o(t), ∂L/∂h(t), ∂L/∂a(t), the per-step
 * contributions to ∂L/∂W, ∂L/∂U, ∂L/∂b, ∂L/∂V, ∂L/∂c and their totals, for
 * L = (1/T) Σ_t ℓ(t) (see the equations at the top of this file).
 * `cache` is rnnForward(params, xs, h0, head); `xs` must be the same inputs (the cache does
 * not keep them, and ∂L/∂U needs them); targets are as for rnnLoss.
 */
export function rnnBackward(
  params: RnnParams,
  cache: RnnForward,
  targets: number[][] | number[],
  head: Head,
  xs: number[][],
): RnnBackward {
  const loss = rnnLoss(head, cache.o, targets).mean; // also validates targets and head
  checkInputs(params, cache, xs);
  const T = cache.o.length;
  const stepLossGrads = stepLossGradients(head, cache.o, targets);
  const dLdo = stepLossGrads.map((g) => g.map((v) => v / T));
  const window = backpropWindow(params, cache, xs, dLdo, 0, T - 1, true);
  return {
    loss,
    stepLossGrads,
    dLdo,
    dLdh: window.dLdh,
    dLda: window.dLda,
    dLdh0: window.dLdhBefore,
    perStep: window.perStep!,
    grads: window.grads,
  };
}

export interface TruncationOptions {
  /** k1: run a backward pass every k1 steps (and once more at t = T for the remainder). */
  k1: number;
  /** k2 ≥ k1: each backward pass goes back k2 steps. */
  k2: number;
}

export interface TruncatedBlock {
  /** Step t_b (1-based) at which this backward pass runs. */
  end: number;
  /** The losses ℓ(t) injected here are those of steps injectedFrom..end (1-based). */
  injectedFrom: number;
  /** The pass stops at step max(1, end − k2 + 1) (1-based): nothing flows into earlier steps. */
  reachesBackTo: number;
  /** This pass's gradient. */
  grads: RnnGradients;
}

export interface TruncatedBackward {
  loss: number;
  /** Σ over passes: the gradient truncated BPTT(k1, k2) uses for this sequence. */
  grads: RnnGradients;
  blocks: TruncatedBlock[];
}

/**
 * Truncated BPTT as Williams & Peng (1990) define BPTT(h; h') with h = k2, h' = k1: at
 * every k1-th step t_b (and at t = T if T is not a multiple of k1) inject the output
 * gradients ∂L/∂o(t) = (1/T) ∂ℓ(t)/∂o(t) of the k1 steps since the previous pass, and
 * backpropagate from t_b down to step t_b − k2 + 1 only:
 *   ∂L/∂h(t) ≈ Vᵀ ∂L/∂o(t)[t injected] + Wᵀ diag(1 − h(t+1)²) ∂L/∂h(t+1)  for t_b − k2 < t ≤ t_b.
 * Every loss term is injected exactly once, so the bias comes only from cutting the
 * recursion. The weights are held fixed over the sequence (no updates between passes),
 * so the result is directly comparable with rnnBackward's grads; with k2 ≥ T it equals
 * them (bit for bit when also k1 ≥ T).
 */
export function truncatedBackward(
  params: RnnParams,
  cache: RnnForward,
  targets: number[][] | number[],
  head: Head,
  options: TruncationOptions,
  xs: number[][],
): TruncatedBackward {
  const { k1, k2 } = options;
  if (!Number.isInteger(k1) || k1 < 1) throw new Error(`k1 must be a positive integer, got ${k1}.`);
  if (!Number.isInteger(k2) || k2 < k1) {
    throw new Error(`k2 must be an integer ≥ k1 = ${k1} (each pass must reach every loss it injects), got ${k2}.`);
  }
  const loss = rnnLoss(head, cache.o, targets).mean;
  checkInputs(params, cache, xs);
  const T = cache.o.length;
  const dLdo = stepLossGradients(head, cache.o, targets).map((g) => g.map((v) => v / T));
  const grads = zeroGradients(params);
  const blocks: TruncatedBlock[] = [];
  for (let start = 0; start < T; start += k1) {
    const end = Math.min(start + k1, T) - 1; // array indices start..end are injected
    const injected = dLdo.map((g, t) => (t >= start && t <= end ? g : g.map(() => 0)));
    const first = Math.max(0, end - k2 + 1);
    const window = backpropWindow(params, cache, xs, injected, first, end, false);
    addInto(grads, window.grads);
    blocks.push({ end: end + 1, injectedFrom: start + 1, reachesBackTo: first + 1, grads: window.grads });
  }
  return { loss, grads, blocks };
}

/** All gradient entries in the order W, U, b, V, c (row-major), as one vector g. */
export function flattenGradients(g: RnnGradients): number[] {
  return [...g.W.flat(), ...g.U.flat(), ...g.b, ...g.V.flat(), ...g.c];
}

export interface GradientAgreement {
  /** ‖g − g_ref‖ / ‖g_ref‖ over all parameters (Infinity if g_ref = 0 ≠ g, 0 if both are 0). */
  relativeError: number;
  /** ⟨g, g_ref⟩ / (‖g‖ ‖g_ref‖), 1 = same direction (NaN if either is 0). */
  cosine: number;
  /** ‖g‖ / ‖g_ref‖. */
  normRatio: number;
}

/** How far a gradient g (e.g. truncated) is from a reference g_ref (e.g. full BPTT). */
export function compareGradients(g: RnnGradients, reference: RnnGradients): GradientAgreement {
  const a = flattenGradients(g);
  const b = flattenGradients(reference);
  if (a.length !== b.length) throw new Error(`The gradients have ${a.length} and ${b.length} entries: they must belong to the same RNN.`);
  let diff = 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((v, i) => {
    const w = b[i]!;
    diff += (v - w) ** 2;
    dot += v * w;
    na += v * v;
    nb += w * w;
  });
  const relativeError = nb === 0 ? (diff === 0 ? 0 : Infinity) : Math.sqrt(diff / nb);
  return { relativeError, cosine: dot / Math.sqrt(na * nb), normRatio: Math.sqrt(na / nb) };
}
