// A vanilla RNN trained by full BPTT in float64 on flat typed arrays, for the experiments
// of the "Vanishing and exploding gradients" page that train many networks in a few
// seconds: the lag sweep, the clipping race and the initialisation comparison.
//
// The equations are those of components/core/rnn.ts and bptt.ts (the tested reference),
// with a choice of activation φ for the IRNN of Le, Jaitly & Hinton (2015):
//
//   a(t) = W h(t−1) + U x(t) + b,   h(t) = φ(a(t)),   o(t) = V h(t) + c,
//   φ = tanh (φ' = 1 − h²)  or  φ = relu (φ' = 1 if a > 0, else 0),
//   L = mean over the batch and over t of ℓ(t), as tfRnnLoss and rnnLoss define it
//   (multiclass: ℓ = logsumexp(o) − o_y; real: ℓ = (1/k) Σ_j (o_j − y_j)²).
//
// Why not tfjs? A tfjs step costs a fixed ~0.1 ms per operation on the wasm backend, and
// BPTT runs about ten operations per time step, so a batch of 32 sequences of 41 steps
// took ~85 ms per update in Chromium; these loops take a few ms and give the same numbers
// in every browser and in Node, so a table computed offline can be checked live.
// test/unit/bpttPageVanishing.test.ts checks the gradient against rnnBackward (tanh) and
// finite differences (relu).

import type { Head, RnnParams } from "../core/rnn.js";

export type Activation = "tanh" | "relu";

/** Parameters as flat row-major arrays: W q×q, U q×p, b q, V k×q, c k. */
export interface FlatRnn {
  p: number;
  q: number;
  k: number;
  activation: Activation;
  W: Float64Array;
  U: Float64Array;
  b: Float64Array;
  V: Float64Array;
  c: Float64Array;
}

export type FlatGradients = Pick<FlatRnn, "W" | "U" | "b" | "V" | "c">;

const NAMES = ["W", "U", "b", "V", "c"] as const;

export function flatFromParams(params: RnnParams, activation: Activation = "tanh"): FlatRnn {
  const q = params.W.length;
  const p = params.U[0]!.length;
  const k = params.V.length;
  return {
    p,
    q,
    k,
    activation,
    W: Float64Array.from(params.W.flat()),
    U: Float64Array.from(params.U.flat()),
    b: Float64Array.from(params.b),
    V: Float64Array.from(params.V.flat()),
    c: Float64Array.from(params.c),
  };
}

export function paramsFromFlat(m: FlatRnn): RnnParams {
  const rows = (a: Float64Array, r: number, cols: number) => Array.from({ length: r }, (_, i) => Array.from(a.subarray(i * cols, (i + 1) * cols)));
  return { W: rows(m.W, m.q, m.q), U: rows(m.U, m.q, m.p), b: Array.from(m.b), V: rows(m.V, m.k, m.q), c: Array.from(m.c) };
}

export function cloneFlat(m: FlatRnn): FlatRnn {
  return { ...m, W: m.W.slice(), U: m.U.slice(), b: m.b.slice(), V: m.V.slice(), c: m.c.slice() };
}

export function zeroGradientsLike(m: FlatRnn): FlatGradients {
  return { W: new Float64Array(m.W.length), U: new Float64Array(m.U.length), b: new Float64Array(m.b.length), V: new Float64Array(m.V.length), c: new Float64Array(m.c.length) };
}

/** A target per step: a class index (multiclass) or a vector of k values (real). */
export type StepTarget = number | number[];

export interface Trajectory {
  /** h(0..T) as (T+1)·q values, h(0) = 0. */
  h: Float64Array;
  /** a(1..T) as T·q values (row t−1 holds a(t)). */
  a: Float64Array;
  /** o(1..T) as T·k values. */
  o: Float64Array;
}

/** The forward pass of one sequence (T×p inputs) from h(0) = 0. */
export function forward(m: FlatRnn, xs: number[][]): Trajectory {
  const { p, q, k, W, U, b, V, c } = m;
  const T = xs.length;
  const h = new Float64Array((T + 1) * q);
  const a = new Float64Array(T * q);
  const o = new Float64Array(T * k);
  const relu = m.activation === "relu";
  for (let t = 1; t <= T; t++) {
    const x = xs[t - 1]!;
    const prev = (t - 1) * q;
    for (let i = 0; i < q; i++) {
      let s = b[i]!;
      const wi = i * q;
      for (let j = 0; j < q; j++) s += W[wi + j]! * h[prev + j]!;
      const ui = i * p;
      for (let j = 0; j < p; j++) {
        const v = x[j]!;
        if (v !== 0) s += U[ui + j]! * v;
      }
      a[prev + i] = s;
      h[t * q + i] = relu ? (s > 0 ? s : 0) : Math.tanh(s);
    }
    for (let j = 0; j < k; j++) {
      let s = c[j]!;
      const vj = j * q;
      for (let i = 0; i < q; i++) s += V[vj + i]! * h[t * q + i]!;
      o[(t - 1) * k + j] = s;
    }
  }
  return { h, a, o };
}

/** φ'(a(t)) for unit i at step t (1-based), from the trajectory. */
function slope(m: FlatRnn, tr: Trajectory, t: number, i: number): number {
  if (m.activation === "relu") return tr.a[(t - 1) * m.q + i]! > 0 ? 1 : 0;
  const h = tr.h[t * m.q + i]!;
  return 1 - h * h;
}

/** ℓ(t) and ∂ℓ(t)/∂o(t) (unscaled) for one step. */
function stepLossAndGrad(head: Head, o: Float64Array, offset: number, k: number, target: StepTarget, grad: Float64Array): number {
  if (head === "multiclass") {
    const y = target as number;
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, o[offset + j]!);
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(o[offset + j]! - max);
      grad[j] = e;
      sum += e;
    }
    for (let j = 0; j < k; j++) grad[j] = grad[j]! / sum - (j === y ? 1 : 0); // softmax(o) − onehot(y)
    return max + Math.log(sum) - o[offset + y]!;
  }
  if (head !== "real") throw new Error(`The fast RNN supports the multiclass and real heads, not "${head}".`);
  const y = target as number[];
  let loss = 0;
  for (let j = 0; j < k; j++) {
    const d = o[offset + j]! - y[j]!;
    loss += d * d;
    grad[j] = (2 / k) * d;
  }
  return loss / k;
}

export interface BatchResult {
  /** Mean loss over the batch and over t. */
  loss: number;
  grads: FlatGradients;
}

/**
 * The loss and its full BPTT gradient for a batch (mean over sequences and steps, as
 * tfRnnLoss): xs is B×T×p, targets B×T (class indices or k-vectors).
 */
export function batchGradient(m: FlatRnn, xs: number[][][], targets: StepTarget[][], head: Head): BatchResult {
  const { p, q, k, W, V } = m;
  const g = zeroGradientsLike(m);
  const B = xs.length;
  let total = 0;
  let count = 0;
  const dOut = new Float64Array(k);
  const gh = new Float64Array(q);
  const da = new Float64Array(q);
  const carry = new Float64Array(q);
  for (let n = 0; n < B; n++) count += xs[n]!.length;
  for (let n = 0; n < B; n++) {
    const x = xs[n]!;
    const T = x.length;
    const tr = forward(m, x);
    carry.fill(0);
    for (let t = T; t >= 1; t--) {
      total += stepLossAndGrad(head, tr.o, (t - 1) * k, k, targets[n]![t - 1]!, dOut);
      for (let j = 0; j < k; j++) dOut[j] = dOut[j]! / count; // ∂L/∂o(t): the mean over all B·T steps
      // ∂L/∂h(t) = Vᵀ ∂L/∂o(t) + Wᵀ ∂L/∂a(t+1);  ∂L/∂a(t) = φ'(a(t)) ⊙ ∂L/∂h(t)
      for (let i = 0; i < q; i++) {
        let s = carry[i]!;
        for (let j = 0; j < k; j++) s += V[j * q + i]! * dOut[j]!;
        gh[i] = s;
        da[i] = slope(m, tr, t, i) * s;
      }
      const ht = t * q;
      const prev = (t - 1) * q;
      const xt = x[t - 1]!;
      for (let i = 0; i < q; i++) {
        const d = da[i]!;
        if (d === 0) continue;
        const wi = i * q;
        for (let j = 0; j < q; j++) g.W[wi + j]! += d * tr.h[prev + j]!;
        const ui = i * p;
        for (let j = 0; j < p; j++) g.U[ui + j]! += d * xt[j]!;
        g.b[i]! += d;
      }
      for (let j = 0; j < k; j++) {
        const d = dOut[j]!;
        const vj = j * q;
        for (let i = 0; i < q; i++) g.V[vj + i]! += d * tr.h[ht + i]!;
        g.c[j]! += d;
      }
      carry.fill(0);
      for (let i = 0; i < q; i++) {
        const d = da[i]!;
        if (d === 0) continue;
        const wi = i * q;
        for (let j = 0; j < q; j++) carry[j]! += W[wi + j]! * d;
      }
    }
  }
  return { loss: total / count, grads: g };
}

/** ‖g‖ over every parameter array. */
export function gradientNorm(g: FlatGradients): number {
  let s = 0;
  for (const name of NAMES) for (const v of g[name]) s += v * v;
  return Math.sqrt(s);
}

export interface OptimizerOptions {
  optimizer: "adam" | "sgd";
  learningRate: number;
  /** Rescale g by min(1, clipNorm/‖g‖) before the update; undefined: no clipping. */
  clipNorm?: number;
}

export interface Optimizer {
  /** Applies one update with gradient g; returns ‖g‖ before clipping. */
  apply(m: FlatRnn, g: FlatGradients): number;
  readonly steps: number;
  learningRate: number;
}

/** SGD or Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e−7, as components/models/trainer.ts). */
export function createOptimizer(m: FlatRnn, options: OptimizerOptions): Optimizer {
  const beta1 = 0.9;
  const beta2 = 0.999;
  const epsilon = 1e-7;
  const first = zeroGradientsLike(m);
  const second = zeroGradientsLike(m);
  let steps = 0;
  const state = {
    learningRate: options.learningRate,
    get steps() {
      return steps;
    },
    apply(model: FlatRnn, g: FlatGradients): number {
      const norm = gradientNorm(g);
      const scale = options.clipNorm !== undefined && norm > options.clipNorm ? options.clipNorm / norm : 1;
      steps += 1;
      const lr = state.learningRate;
      const c1 = 1 - beta1 ** steps;
      const c2 = 1 - beta2 ** steps;
      for (const name of NAMES) {
        const theta = model[name];
        const grad = g[name];
        const mm = first[name];
        const vv = second[name];
        for (let i = 0; i < theta.length; i++) {
          const gi = grad[i]! * scale;
          if (options.optimizer === "sgd") {
            theta[i]! -= lr * gi;
            continue;
          }
          mm[i] = beta1 * mm[i]! + (1 - beta1) * gi;
          vv[i] = beta2 * vv[i]! + (1 - beta2) * gi * gi;
          theta[i]! -= (lr * (mm[i]! / c1)) / (Math.sqrt(vv[i]! / c2) + epsilon);
        }
      }
      return norm;
    },
  };
  return state;
}

/** The class with the largest logit at step t (1-based) among the first `classes` outputs. */
export function argmaxAt(tr: Trajectory, k: number, t: number, classes = k): number {
  let best = 0;
  for (let j = 1; j < classes; j++) if (tr.o[(t - 1) * k + j]! > tr.o[(t - 1) * k + best]!) best = j;
  return best;
}

/**
 * ‖∂ℓ/∂h(t)‖ for t = T, T−1, …, 0 (index d = T − t, the distance back), where ℓ is the loss
 * of the single step `lossStep` (1-based; T by default) or, with lossStep = "all", the mean
 * loss L over all T steps (then this is ‖∂L/∂h(t)‖, the recursion of the BPTT page).
 * Entries for t > lossStep are 0.
 */
export function hiddenGradientNorms(m: FlatRnn, xs: number[][], targets: StepTarget[], head: Head, lossStep: number | "all" = xs.length): number[] {
  const { q, k, W, V } = m;
  const T = xs.length;
  const tr = forward(m, xs);
  const dOut = new Float64Array(k);
  const carry = new Float64Array(q);
  const gh = new Float64Array(q);
  const norms = new Array<number>(T + 1).fill(0);
  for (let t = T; t >= 1; t--) {
    const inject = lossStep === "all" || lossStep === t;
    if (inject) {
      stepLossAndGrad(head, tr.o, (t - 1) * k, k, targets[t - 1]!, dOut);
      if (lossStep === "all") for (let j = 0; j < k; j++) dOut[j] = dOut[j]! / T;
    }
    let sq = 0;
    for (let i = 0; i < q; i++) {
      let s = carry[i]!;
      if (inject) for (let j = 0; j < k; j++) s += V[j * q + i]! * dOut[j]!;
      gh[i] = s;
      sq += s * s;
    }
    norms[T - t] = Math.sqrt(sq);
    carry.fill(0);
    for (let i = 0; i < q; i++) {
      const d = slope(m, tr, t, i) * gh[i]!;
      if (d === 0) continue;
      for (let j = 0; j < q; j++) carry[j]! += W[i * q + j]! * d;
    }
  }
  let sq = 0;
  for (let j = 0; j < q; j++) sq += carry[j]! * carry[j]!;
  norms[T] = Math.sqrt(sq); // ∂ℓ/∂h(0)
  return norms;
}
