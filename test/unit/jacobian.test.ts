import assert from "node:assert/strict";
import { test } from "node:test";
import { rnnBackward } from "../../components/core/bptt.js";
import { frobeniusNorm, matrixWithSpectrum, spectralNorm } from "../../components/core/eigen.js";
import { jacobianProducts, linearPowers, stepJacobian } from "../../components/core/jacobian.js";
import { recallTask } from "../../components/core/lagTask.js";
import { matMul, matVec, transpose } from "../../components/core/linalg.js";
import { createRng } from "../../components/core/random.js";
import { initRnnParams, rnnForward, type RnnForward, type RnnParams } from "../../components/core/rnn.js";

function setup(seed: number, T = 8, q = 4, scale = 1.2): { params: RnnParams; xs: number[][]; cache: RnnForward } {
  const params = initRnnParams({ inputSize: 2, hiddenSize: q, outputSize: 3, seed, scheme: "orthogonal", recurrentScale: scale });
  const rng = createRng(seed + 9);
  params.b = params.b.map(() => 0.4 * rng.normal());
  const xs = Array.from({ length: T }, () => [rng.normal(), rng.normal()]);
  const h0 = Array.from({ length: q }, () => 0.5 * rng.normal());
  return { params, xs, cache: rnnForward(params, xs, h0, "multiclass") };
}

/** h(t) run forward from a replacement h(s), with the inputs of the original run: the map whose Jacobian we test. */
function rollFrom(params: RnnParams, xs: number[][], s: number, t: number, hs: number[]): number[] {
  return t === s ? hs : rnnForward(params, xs.slice(s, t), hs, "multiclass").h[t - s - 1]!;
}

/** ∂h(t)/∂h(s) by central differences, column by column. */
function numericJacobian(params: RnnParams, xs: number[][], cache: RnnForward, s: number, t: number): number[][] {
  const hs = s === 0 ? cache.h0 : cache.h[s - 1]!;
  const eps = 1e-6;
  const columns = hs.map((v, j) => {
    const plus = rollFrom(params, xs, s, t, hs.map((u, i) => (i === j ? v + eps : u)));
    const minus = rollFrom(params, xs, s, t, hs.map((u, i) => (i === j ? v - eps : u)));
    return plus.map((p, i) => (p - minus[i]!) / (2 * eps));
  });
  return transpose(columns);
}

const maxAbsDiff = (a: number[][], b: number[][]) => Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i]![j]!))));

test("stepJacobian(t) = ∂h(t+1)/∂h(t) = diag(1 − h(t+1)²) W (finite differences), t = 0..T−1", () => {
  const { params, xs, cache } = setup(1);
  for (let t = 0; t < xs.length; t++) {
    const J = stepJacobian(params, cache, t);
    assert.ok(maxAbsDiff(J, numericJacobian(params, xs, cache, t, t + 1)) < 1e-9, `t = ${t}`);
    const h = cache.h[t]!;
    assert.equal(J[1]![2], (1 - h[1]! * h[1]!) * params.W[1]![2]!);
  }
  assert.throws(() => stepJacobian(params, cache, xs.length), /t must be an integer step in 0\.\.7/);
});

test("jacobianProducts: the norms of ∂h(t)/∂h(s) for every t ≥ s match the finite-difference products", () => {
  const { params, xs, cache } = setup(2, 10);
  for (const from of [0, 3, 10]) {
    const result = jacobianProducts(params, cache, from);
    assert.deepEqual(result.steps, Array.from({ length: 11 - from }, (_, i) => from + i));
    assert.equal(result.spectral[0], 1);
    assert.equal(result.frobenius[0], 2); // √q, q = 4
    result.steps.forEach((t, i) => {
      if (t === from) return;
      const numeric = numericJacobian(params, xs, cache, from, t);
      assert.ok(Math.abs(result.spectral[i]! - spectralNorm(numeric)) < 1e-8, `spectral s = ${from}, t = ${t}`);
      assert.ok(Math.abs(result.frobenius[i]! - frobeniusNorm(numeric)) < 1e-8, `frobenius s = ${from}, t = ${t}`);
      assert.ok(result.spectral[i]! <= result.frobenius[i]! + 1e-15, "result.spectral[i]! <= result.frobenius[i]! + 1e-15");
    });
  }
});

test("BPTT is these Jacobians transposed: ∂L/∂h(s) = Σ_{t ≥ s} (∂h(t)/∂h(s))ᵀ Vᵀ ∂L/∂o(t)", () => {
  const { params, xs, cache } = setup(3, 7);
  const rng = createRng(3);
  const ys = xs.map(() => rng.int(3));
  const back = rnnBackward(params, cache, ys, "multiclass", xs);
  const T = xs.length;
  for (let s = 1; s <= T; s++) {
    let product: number[][] = params.W.map((row, i) => row.map((_, j) => (i === j ? 1 : 0))); // ∂h(s)/∂h(s)
    let sum = new Array<number>(4).fill(0);
    for (let t = s; t <= T; t++) {
      if (t > s) product = matMul(stepJacobian(params, cache, t - 1), product);
      const fromOutput = matVec(transpose(params.V), back.dLdo[t - 1]!); // Vᵀ ∂L/∂o(t)
      sum = sum.map((v, i) => v + matVec(transpose(product), fromOutput)[i]!);
    }
    sum.forEach((v, i) => assert.ok(Math.abs(v - back.dLdh[s - 1]![i]!) < 1e-14, `s = ${s}`));
  }
});

test("recall task: the answer's gradient reaching h(1) is a product of L Jacobians and vanishes with L", () => {
  // ∂ℓ(T)/∂h(1) = (∂h(T)/∂h(1))ᵀ Vᵀ ∂ℓ(T)/∂o(T): only the answer step, not the blank targets.
  const rows = [2, 8, 32].map((lag) => {
    const task = recallTask({ lag, count: 1, seed: 4, alphabetSize: 3 });
    const params = initRnnParams({ inputSize: 4, hiddenSize: 8, outputSize: 4, seed: 4, scheme: "orthogonal", recurrentScale: 0.8 });
    const cache = rnnForward(params, task.xs[0]!, undefined, "multiclass");
    const back = rnnBackward(params, cache, task.targets[0]!, "multiclass", task.xs[0]!);
    let product: number[][] = params.W.map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
    for (let t = 1; t < task.length; t++) product = matMul(stepJacobian(params, cache, t), product); // ∂h(T)/∂h(1)
    const atAnswer = matVec(transpose(params.V), back.stepLossGrads[task.answerStep]!);
    const gradient = matVec(transpose(product), atAnswer);
    return { lag, norm: Math.hypot(...gradient), bound: jacobianProducts(params, cache, 1).spectral.at(-1)! * Math.hypot(...atAnswer) };
  });
  console.log(`‖∂ℓ(answer)/∂h(1)‖ by lag: ${rows.map((r) => `L=${r.lag} ${r.norm.toExponential(2)}`).join(", ")}`);
  rows.forEach((r) => assert.ok(r.norm <= r.bound * (1 + 1e-12), "‖Jᵀg‖ ≤ ‖J‖₂ ‖g‖"));
  assert.ok(rows[0]!.norm > 5 * rows[1]!.norm && rows[1]!.norm > 1e3 * rows[2]!.norm, `${rows.map((r) => r.norm)}`);
});

test("linearPowers: ‖Wᵗ h0‖ = ρᵗ ‖h0‖ for a normal W, transient growth for a non-normal one", () => {
  const h0 = [1, -2, 0.5, 3, 0, 1];
  const n0 = Math.hypot(...h0);
  for (const radius of [0.8, 1, 1.1]) {
    const normal = matrixWithSpectrum({ radius, rotation: 0.5, size: 6, seed: 1 });
    linearPowers(normal.W, h0, 30).forEach((v, t) => assert.ok(Math.abs(v - radius ** t * n0) < 1e-12 * radius ** t * n0 * (t + 1), `ρ ${radius}, t ${t}`));
  }
  const skewed = matrixWithSpectrum({ radius: 0.9, rotation: 0.5, size: 6, seed: 1, conditionNumber: 50 });
  const norms = linearPowers(skewed.W, h0, 80);
  const ratios = norms.map((v, t) => v / (0.9 ** t * n0));
  assert.ok(Math.max(...ratios) > 2, `the eigenvalues alone underestimate ‖Wᵗh0‖: max ratio ${Math.max(...ratios)}`);
  assert.ok(ratios.every((r) => r <= 50 * (1 + 1e-9)), "but never by more than κ(Q)");
  assert.ok(norms[80]! < norms[0]!, "and ρ < 1 wins in the end");
  assert.deepEqual(linearPowers([[2]], [1], 3), [1, 2, 4, 8]);
  assert.throws(() => linearPowers([[2]], [1, 1], 3), /h0 has 2 values but W is 1×1/);
});
