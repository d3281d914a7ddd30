import assert from "node:assert/strict";
import { test } from "node:test";
import {
  compareGradients,
  flattenGradients,
  rnnBackward,
  stepOutputGrad,
  truncatedBackward,
  type RnnGradients,
} from "../../components/core/bptt.js";
import { clipByGlobalNorm, globalNorm } from "../../components/core/clip.js";
import { addingTask, recallTask } from "../../components/core/lagTask.js";
import { createRng } from "../../components/core/random.js";
import { initRnnParams, rnnForward, rnnLoss, stepLoss, type Head, type RnnParams } from "../../components/core/rnn.js";

const HEADS: Head[] = ["real", "binary", "multiclass"];
const PARAM_NAMES = ["W", "U", "b", "V", "c"] as const;

interface Problem {
  params: RnnParams;
  xs: number[][];
  ys: number[][] | number[];
  h0: number[];
}

/** A random RNN (orthogonal W scaled by 1.1, non-zero biases and h0) and a random sequence. */
function problem(head: Head, seed: number, T = 9, p = 3, q = 5): Problem {
  const k = head === "binary" ? 1 : 4;
  const params = initRnnParams({ inputSize: p, hiddenSize: q, outputSize: k, seed, scheme: "orthogonal", recurrentScale: 1.1 });
  const rng = createRng(seed + 77);
  params.b = params.b.map(() => 0.5 * rng.normal());
  params.c = params.c.map(() => 0.5 * rng.normal());
  const xs = Array.from({ length: T }, () => Array.from({ length: p }, () => rng.normal()));
  const ys =
    head === "multiclass"
      ? Array.from({ length: T }, () => rng.int(k))
      : Array.from({ length: T }, () => Array.from({ length: k }, () => (head === "binary" ? rng.uniform() : rng.normal())));
  const h0 = Array.from({ length: q }, () => 0.3 * rng.normal());
  return { params, xs, ys, h0 };
}

/** Fourth-order central difference (f(x−2h) − 8f(x−h) + 8f(x+h) − f(x+2h)) / 12h: error O(h⁴). */
function derivative(f: (d: number) => number, h = 1e-3): number {
  return (8 * (f(h) - f(-h)) - (f(2 * h) - f(-2 * h))) / (12 * h);
}

/** Finite-difference gradient of `loss` in every entry of params, in the order of flattenGradients. */
function numericGradient(params: RnnParams, loss: () => number): number[] {
  const out: number[] = [];
  for (const name of PARAM_NAMES) {
    const value = params[name];
    const rows: number[][] = Array.isArray(value[0]) ? (value as number[][]) : [value as number[]];
    for (const row of rows) {
      for (let j = 0; j < row.length; j++) {
        const original = row[j]!;
        out.push(
          derivative((d) => {
            row[j] = original + d;
            const v = loss();
            row[j] = original;
            return v;
          }),
        );
      }
    }
  }
  return out;
}

/** max_i |a_i − b_i| / max(|a_i|, |b_i|, floor). */
function maxRelativeError(a: number[], b: number[], floor: number): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!) / Math.max(Math.abs(v), Math.abs(b[i]!), floor)), 0);
}

test("rnnBackward equals finite differences of rnnLoss(rnnForward(…)).mean: 20 seeds × every head", () => {
  // Relative error per entry |g − g_fd| / max(|g|, |g_fd|, 1e−8); the floor only matters
  // for entries below 1e−8 (the smallest |g| here is ~1e−5). The fourth-order difference
  // with h = 1e−3 is accurate to ~1e−10 absolute.
  const report: string[] = [];
  let worst = 0;
  for (const head of HEADS) {
    let worstHead = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const { params, xs, ys, h0 } = problem(head, seed);
      const grads = rnnBackward(params, rnnForward(params, xs, h0, head), ys, head, xs).grads;
      const numeric = numericGradient(params, () => rnnLoss(head, rnnForward(params, xs, h0, head).o, ys).mean);
      worstHead = Math.max(worstHead, maxRelativeError(flattenGradients(grads), numeric, 1e-8));
    }
    report.push(`${head} ${worstHead.toExponential(2)}`);
    worst = Math.max(worst, worstHead);
  }
  console.log(`rnnBackward vs finite differences, worst relative error: ${report.join(", ")}`);
  assert.ok(worst < 1e-6, `worst relative error ${worst}`);
});

test("∂L/∂h(t) at every t and ∂L/∂h(0) equal finite differences of the loss in that state", () => {
  for (const head of HEADS) {
    for (const seed of [3, 4]) {
      const { params, xs, ys, h0 } = problem(head, seed);
      const T = xs.length;
      const cache = rnnForward(params, xs, h0, head);
      const back = rnnBackward(params, cache, ys, head, xs);
      // L as a function of h(t) with everything before it fixed:
      //   (1/T) [Σ_{s<t} ℓ(s) (constant) + ℓ(t)(V h + c) + Σ_{s>t} ℓ(s) run from h].
      const lossFrom = (t: number, h: number[]): number => {
        const ot = params.V.map((row, j) => row.reduce((s, v, i) => s + v * h[i]!, params.c[j]!));
        let later = stepLoss(head, ot, ys[t]!);
        if (t + 1 < T) {
          const rest = rnnForward(params, xs.slice(t + 1), h, head);
          later += rnnLoss(head, rest.o, ys.slice(t + 1) as number[][] | number[]).perStep.reduce((s, v) => s + v, 0);
        }
        return later / T;
      };
      for (let t = 0; t < T; t++) {
        const h = cache.h[t]!;
        h.forEach((original, i) => {
          const fd = derivative((d) => lossFrom(t, h.map((v, j) => (j === i ? original + d : v))));
          assert.ok(Math.abs(fd - back.dLdh[t]![i]!) < 1e-9, `${head} seed ${seed}: ∂L/∂h(${t + 1})_${i} ${back.dLdh[t]![i]} vs ${fd}`);
          const slope = 1 - original * original;
          assert.equal(back.dLda[t]![i], slope * back.dLdh[t]![i]!);
        });
      }
      h0.forEach((original, i) => {
        const fd = derivative((d) => rnnLoss(head, rnnForward(params, xs, h0.map((v, j) => (j === i ? original + d : v)), head).o, ys).mean);
        assert.ok(Math.abs(fd - back.dLdh0[i]!) < 1e-9, `${head}: ∂L/∂h(0)_${i}`);
      });
    }
  }
});

test("∂ℓ(t)/∂o(t) per head (ŷ − y, σ(o) − y, (2/k)(o − y)) and ∂L/∂o(t) = that / T", () => {
  for (const head of HEADS) {
    const { params, xs, ys, h0 } = problem(head, 5);
    const T = xs.length;
    const cache = rnnForward(params, xs, h0, head);
    const back = rnnBackward(params, cache, ys, head, xs);
    cache.o.forEach((o, t) => {
      o.forEach((original, j) => {
        const fd = derivative((d) => stepLoss(head, o.map((v, l) => (l === j ? original + d : v)), ys[t]!));
        assert.ok(Math.abs(fd - back.stepLossGrads[t]![j]!) < 1e-10, `${head} ∂ℓ(${t + 1})/∂o_${j}`);
        assert.equal(back.dLdo[t]![j], back.stepLossGrads[t]![j]! / T);
      });
    });
  }
  // The softmax form by hand: o = (0, ln 3), y = 1 → ŷ = (1/4, 3/4), ŷ − y = (1/4, −1/4).
  const g = stepOutputGrad("multiclass", [0, Math.log(3)], 1);
  assert.ok(Math.abs(g[0]! - 0.25) < 1e-15 && Math.abs(g[1]! + 0.25) < 1e-15, `${g}`);
});

test("per-step contributions are the outer products of the equations and sum to the totals", () => {
  const head: Head = "multiclass";
  const { params, xs, ys, h0 } = problem(head, 6);
  const cache = rnnForward(params, xs, h0, head);
  const back = rnnBackward(params, cache, ys, head, xs);
  const T = xs.length;
  back.perStep.forEach((step, t) => {
    const prev = t === 0 ? h0 : cache.h[t - 1]!;
    assert.equal(step.W[2]![3], back.dLda[t]![2]! * prev[3]!);
    assert.equal(step.U[1]![2], back.dLda[t]![1]! * xs[t]![2]!);
    assert.equal(step.V[3]![4], back.dLdo[t]![3]! * cache.h[t]![4]!);
  });
  // Summed in the order BPTT visits them (t = T … 1), the totals agree bit for bit.
  const summed = flattenGradients(
    back.perStep.reduceRight(
      (acc, step) => ({
        W: acc.W.map((r, i) => r.map((v, j) => v + step.W[i]![j]!)),
        U: acc.U.map((r, i) => r.map((v, j) => v + step.U[i]![j]!)),
        b: acc.b.map((v, i) => v + step.b[i]!),
        V: acc.V.map((r, i) => r.map((v, j) => v + step.V[i]![j]!)),
        c: acc.c.map((v, i) => v + step.c[i]!),
      }),
      { W: params.W.map((r) => r.map(() => 0)), U: params.U.map((r) => r.map(() => 0)), b: params.b.map(() => 0), V: params.V.map((r) => r.map(() => 0)), c: params.c.map(() => 0) },
    ),
  );
  assert.equal(maxRelativeError(summed, flattenGradients(back.grads), 1e-300), 0);
  assert.equal(back.perStep.length, T);
  assert.equal(back.loss, rnnLoss(head, cache.o, ys).mean);
});

test("rnnBackward rejects inputs that do not match the cache, and bad targets", () => {
  const { params, xs, ys, h0 } = problem("real", 7);
  const cache = rnnForward(params, xs, h0, "real");
  assert.throws(() => rnnBackward(params, cache, ys, "real", xs.slice(1)), /xs has 8 steps but the cache has T = 9/);
  const other = xs.map((x) => x.map((v) => v + 1));
  assert.throws(() => rnnBackward(params, cache, ys, "real", other), /does not match these params and xs at step 1/);
  assert.throws(() => rnnBackward(params, cache, ys.slice(1) as number[][], "real", xs), /9 output steps but 8 targets/);
});

test("truncated BPTT with k2 ≥ T is the full gradient (bit for bit with one pass)", () => {
  const report: string[] = [];
  for (const head of HEADS) {
    const { params, xs, ys, h0 } = problem(head, 8, 12);
    const cache = rnnForward(params, xs, h0, head);
    const full = rnnBackward(params, cache, ys, head, xs).grads;
    const onePass = truncatedBackward(params, cache, ys, head, { k1: 12, k2: 12 }, xs);
    assert.deepEqual(onePass.grads, full);
    assert.equal(onePass.blocks.length, 1);
    // k1 < T: the losses are injected in several passes, each reaching step 1. Only the
    // order of the additions differs from the single pass.
    for (const k1 of [1, 5, 7]) {
      const split = truncatedBackward(params, cache, ys, head, { k1, k2: 20 }, xs);
      const { relativeError, cosine } = compareGradients(split.grads, full);
      report.push(`${head} k1=${k1}: ${relativeError.toExponential(1)}`);
      assert.ok(relativeError < 1e-14, `${head} k1 = ${k1}: ${relativeError}`);
      assert.ok(Math.abs(cosine - 1) < 1e-14, "Math.abs(cosine - 1) < 1e-14");
    }
  }
  console.log(`truncated (k2 ≥ T, k1 < T) vs full, relative error: ${report.join(", ")}`);
});

test("truncated BPTT is the exact gradient of the truncated surrogate (finite differences)", () => {
  // Each pass treats the state before the window as a constant: the surrogate is
  //   S(θ) = Σ_passes (1/T) Σ_{t injected} ℓ(t) [run from the frozen h(reach − 1)],
  // whose gradient is exactly what truncatedBackward returns.
  for (const head of HEADS) {
    for (const [k1, k2] of [[1, 1], [2, 3], [3, 3], [4, 6]] as const) {
      const { params, xs, ys, h0 } = problem(head, 20 + k1 + k2, 10);
      const T = xs.length;
      const cache = rnnForward(params, xs, h0, head);
      const truncated = truncatedBackward(params, cache, ys, head, { k1, k2 }, xs);
      const frozen = (t: number) => (t === 0 ? cache.h0 : cache.h[t - 1]!.slice()); // h(t) at the original θ
      const surrogate = () => {
        let s = 0;
        for (const block of truncated.blocks) {
          const from = block.reachesBackTo - 1; // array index of the first step in the window
          const run = rnnForward(params, xs.slice(from, block.end), frozen(from), head);
          const losses = rnnLoss(head, run.o, ys.slice(from, block.end) as number[][] | number[]).perStep;
          losses.forEach((l, i) => {
            if (from + i >= block.injectedFrom - 1) s += l / T;
          });
        }
        return s;
      };
      const numeric = numericGradient(params, surrogate);
      const err = maxRelativeError(flattenGradients(truncated.grads), numeric, 1e-8);
      assert.ok(err < 1e-6, `${head} k1=${k1} k2=${k2}: ${err}`);
      // Passes: every k1 steps plus the remainder, each injecting ≤ k1 losses.
      assert.deepEqual(truncated.blocks.map((b) => b.end), Array.from({ length: Math.ceil(T / k1) }, (_, i) => Math.min((i + 1) * k1, T)));
    }
  }
});

test("truncation bias: measured against the full gradient, and it shrinks as k2 grows", () => {
  const { params, xs, ys, h0 } = problem("multiclass", 31, 40);
  const cache = rnnForward(params, xs, h0, "multiclass");
  const full = rnnBackward(params, cache, ys, "multiclass", xs).grads;
  const rows = [1, 2, 4, 8, 16, 32].map((k2) => ({ k2, ...compareGradients(truncatedBackward(params, cache, ys, "multiclass", { k1: 1, k2 }, xs).grads, full) }));
  console.log(`TBPTT(k1 = 1) vs full, T = 40: ${rows.map((r) => `k2=${r.k2} rel ${r.relativeError.toExponential(1)} cos ${r.cosine.toFixed(4)}`).join("; ")}`);
  assert.ok(rows[0]!.relativeError > 1e-3, "k2 = 1 must be visibly biased");
  assert.ok(rows[rows.length - 1]!.relativeError < rows[0]!.relativeError / 10, "rows[rows.length - 1]!.relativeError < rows[0]!.relativeError / 10");
  assert.throws(() => truncatedBackward(params, cache, ys, "multiclass", { k1: 3, k2: 2 }, xs), /k2 must be an integer ≥ k1 = 3/);
});

test("compareGradients: relative error, cosine and norm ratio", () => {
  const g = (v: number[]): RnnGradients => ({ W: [[v[0]!]], U: [[v[1]!]], b: [v[2]!], V: [[0]], c: [0] });
  const r = compareGradients(g([3, 0, 0]), g([0, 4, 0]));
  assert.equal(r.cosine, 0);
  assert.equal(r.relativeError, 5 / 4);
  assert.equal(r.normRatio, 3 / 4);
  const same = compareGradients(g([1, 2, 2]), g([2, 4, 4]));
  assert.equal(same.cosine, 1);
  assert.equal(same.relativeError, 0.5);
});

test("clipByGlobalNorm caps the global norm and keeps the direction", () => {
  const grads: [number[][], number[]] = [[[3, 0], [0, 0]], [4]]; // ‖g‖ = 5
  const { clipped, norm, scale } = clipByGlobalNorm(grads, 1);
  assert.equal(norm, 5);
  assert.equal(scale, 0.2);
  assert.deepEqual(clipped, [[[0.6000000000000001, 0], [0, 0]], [0.8]]);
  assert.deepEqual(grads, [[[3, 0], [0, 0]], [4]], "the input is not modified");
  const below = clipByGlobalNorm(grads, 10);
  assert.equal(below.scale, 1);
  assert.deepEqual(below.clipped, grads);
  assert.equal(clipByGlobalNorm([[0, 0]], 1).scale, 1);
  assert.equal(globalNorm([[1e200, 1e200]]), Math.SQRT2 * 1e200, "no overflow in the sum of squares");
  assert.throws(() => clipByGlobalNorm(grads, 0), /maxNorm must be a positive number/);
  // A real RNN gradient: after clipping, norm = maxNorm and cosine with the original = 1.
  const { params, xs, ys, h0 } = problem("real", 9);
  const full = rnnBackward(params, rnnForward(params, xs, h0, "real"), ys, "real", xs).grads;
  const before = globalNorm([full.W, full.U, full.b, full.V, full.c]);
  const [W, U, b, V, c] = clipByGlobalNorm([full.W, full.U, full.b, full.V, full.c], before / 3).clipped;
  const after = { W, U, b, V, c } as RnnGradients;
  assert.ok(Math.abs(globalNorm([W!, U!, b!, V!, c!]) - before / 3) < 1e-15 * before, "Math.abs(globalNorm([W!, U!, b!, V!, c!]) - before / 3) < 1e-15 * before");
  assert.ok(Math.abs(compareGradients(after, full).cosine - 1) < 1e-15, "Math.abs(compareGradients(after, full).cosine - 1) < 1e-15");
});

test("recall task: shapes, one-hot inputs, blank targets, first symbol at the last step", () => {
  const task = recallTask({ lag: 6, count: 50, seed: 1, alphabetSize: 5 });
  assert.equal(task.length, 7);
  assert.equal(task.inputSize, 6);
  assert.equal(task.outputSize, 6);
  assert.equal(task.xs.length, 50);
  task.xs.forEach((seq, n) => {
    assert.equal(seq.length, 7);
    seq.forEach((x, t) => {
      assert.equal(x.slice(0, 5).reduce((s, v) => s + v, 0), 1, "one symbol per step");
      assert.equal(x[5], t === 6 ? 1 : 0, "answer-now flag only at the last step");
    });
    assert.equal(seq[0]![task.answers[n]!], 1, "the answer is the first symbol");
    assert.deepEqual(task.targets[n], [5, 5, 5, 5, 5, 5, task.answers[n]]);
  });
  assert.ok(new Set(task.answers).size === 5, "all symbols occur");
  assert.deepEqual(recallTask({ lag: 6, count: 50, seed: 1, alphabetSize: 5 }), task, "seeded");
  assert.notDeepEqual(recallTask({ lag: 6, count: 50, seed: 2, alphabetSize: 5 }).answers, task.answers);
  assert.equal(task.chance.accuracy, 0.2);
  assert.equal(task.chance.meanLoss, Math.log(5) / 7);
  // The shapes are those rnnForward / rnnLoss take, and an untrained uniform output scores ln(m + 1).
  const params = initRnnParams({ inputSize: 6, hiddenSize: 4, outputSize: 6, seed: 1 });
  const zeroOut = { ...params, V: params.V.map((r) => r.map(() => 0)) };
  const loss = rnnLoss("multiclass", rnnForward(zeroOut, task.xs[0]!, undefined, "multiclass").o, task.targets[0]!).mean;
  assert.ok(Math.abs(loss - task.chance.uniformLoss) < 1e-15, "Math.abs(loss - task.chance.uniformLoss) < 1e-15");
  assert.throws(() => recallTask({ lag: 2, count: 1, seed: 1, alphabetSize: 1 }), /alphabetSize must be an integer ≥ 2/);
});

test("adding task: two marked values, the first at step 1, target their sum at the last step", () => {
  const task = addingTask({ lag: 9, count: 2000, seed: 3 });
  assert.equal(task.length, 10);
  let meanAnswer = 0;
  task.xs.forEach((seq, n) => {
    const marked = seq.map((x, t) => (x[1] === 1 ? t : -1)).filter((t) => t >= 0);
    assert.equal(marked.length, 2);
    assert.equal(marked[0], 0);
    assert.equal(task.answers[n], seq[0]![0]! + seq[marked[1]!]![0]!);
    assert.deepEqual(task.targets[n]!.map((y) => y[0]), [...new Array(9).fill(0), task.answers[n]]);
    assert.deepEqual(seq.map((x) => x[2]), [...new Array(9).fill(0), 1]);
    meanAnswer += task.answers[n]! / task.xs.length;
  });
  assert.ok(Math.abs(meanAnswer - 1) < 0.03, `E[u₁ + u₂] = 1, got ${meanAnswer}`);
  // The best constant guess 1 scores Var = 1/6 at the answer step.
  const mse = task.answers.reduce((s, a) => s + (a - 1) ** 2, 0) / task.answers.length;
  assert.ok(Math.abs(mse - task.chance.answerLoss) < 0.01, `${mse}`);
  const hits = task.answers.filter((a) => Math.abs(a - 1) < task.tolerance).length / task.answers.length;
  assert.ok(Math.abs(hits - task.chance.accuracy) < 0.02, `${hits}`);
  assert.throws(() => addingTask({ lag: 0, count: 1, seed: 1 }), /lag must be an integer ≥ 1/);
});
