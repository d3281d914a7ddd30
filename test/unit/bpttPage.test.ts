// The BPTT page's pieces: the text problem, the per-step autodiff check against the float64
// BPTT, truncation, cost measurement and the per-step views.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@unrolled/tfjs";
import { rnnBackward, truncatedBackward } from "../../components/core/bptt.js";
import { stepJacobian } from "../../components/core/jacobian.js";
import { createRng } from "../../components/core/random.js";
import { initRnnParams, rnnForward, type RnnParams } from "../../components/core/rnn.js";
import { createTfRnn } from "../../components/models/rnnTf.js";
import { gradientCheck, perStepAutodiff, relativeDifference, PARAMETERS } from "../../components/examples/bpttAutodiff.js";
import { measureCost, measureParallel } from "../../components/examples/bpttCost.js";
import { showChar, textProblem } from "../../components/examples/bpttText.js";
import { biasAgainstK2, truncationStudy } from "../../components/examples/bpttTruncation.js";
import { contributionSeries, differenceRowsAt, gradientRowsAt, hiddenGradientsOverTime, matricesAt, outputGradientsOverTime, stepCaption, truncationText } from "../../components/examples/bpttViews.js";

before(async () => {
  await tf.setBackend("cpu");
});

const f32 = Math.fround;

/** Random float32 weights (tfjs holds float32, so both sides start from the same numbers). */
function weights(p: number, q: number, k: number, seed: number, scale = 1): RnnParams {
  const params = initRnnParams({ inputSize: p, hiddenSize: q, outputSize: k, seed, scheme: "orthogonal", recurrentScale: scale });
  const rng = createRng(seed + 3);
  return {
    W: params.W.map((r) => r.map(f32)),
    U: params.U.map((r) => r.map(f32)),
    b: params.b.map(() => f32(0.3 * rng.normal())),
    V: params.V.map((r) => r.map(f32)),
    c: params.c.map(() => f32(0.3 * rng.normal())),
  };
}

test("textProblem: one-hot inputs of each character and the next character as target", () => {
  const problem = textProblem("abcab");
  assert.deepEqual(problem.alphabet, ["a", "b", "c"]);
  assert.equal(problem.T, 4);
  assert.deepEqual(problem.xs, [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]);
  assert.deepEqual(problem.targets, [1, 2, 0, 1]);
  assert.equal(showChar(" "), "␣");
  assert.throws(() => textProblem("ab"), /at least 3 characters/);
  assert.throws(() => textProblem("aaaa"), /2 different characters/);
  assert.throws(() => textProblem("x".repeat(81)), /80 or fewer/);
  assert.equal(stepCaption(problem, 2), "t = 2: reads “b”, should predict “c”");
});

test("relativeDifference: largest entry difference over the largest reference entry", () => {
  assert.equal(relativeDifference([1, 2, -4], [1, 2, -4]), 0);
  assert.equal(relativeDifference([1, 2.5, -4], [1, 2, -4]), 0.5 / 4);
  assert.equal(relativeDifference([[0, 0]], [[0, 0]]), 0);
  assert.equal(relativeDifference([[1, 0]], [[0, 0]]), Infinity);
  assert.throws(() => relativeDifference([1], [1, 2]), /Cannot compare/);
});

test("per-step autodiff (weight copies and zero probes) equals the float64 BPTT at every step: 12 seeds", async () => {
  let worst = 0;
  for (let seed = 1; seed <= 12; seed++) {
    const p = 4;
    const q = 3 + (seed % 5);
    const k = 4;
    const T = 5 + (seed % 9);
    const params = weights(p, q, k, seed, 0.8 + 0.05 * seed);
    const rng = createRng(seed);
    const xs = Array.from({ length: T }, () => Array.from({ length: p }, () => f32(rng.normal())));
    const targets = Array.from({ length: T }, () => rng.int(k));
    const back = rnnBackward(params, rnnForward(params, xs, undefined, "multiclass"), targets, "multiclass", xs);
    const auto = await perStepAutodiff(params, xs, targets);
    assert.ok(Math.abs(auto.loss - back.loss) < 1e-5 * back.loss, `seed ${seed}: loss ${auto.loss} vs ${back.loss}`);
    for (let t = 0; t < T; t++) {
      worst = Math.max(worst, relativeDifference(auto.dLdo[t]!, back.dLdo[t]!), relativeDifference(auto.dLdh[t]!, back.dLdh[t]!));
      for (const name of PARAMETERS) worst = Math.max(worst, relativeDifference(auto.perStep[t]![name], back.perStep[t]![name]));
    }
    for (const name of PARAMETERS) worst = Math.max(worst, relativeDifference(auto.grads[name], back.grads[name]));
  }
  console.log(`per-step autodiff vs BPTT, worst relative difference over 12 seeds: ${worst.toExponential(2)}`);
  assert.ok(worst < 1e-4, `worst relative difference ${worst}`);
});

test("the check is sensitive: BPTT without the recursion's Wᵀ term is far from autodiff", async () => {
  const params = weights(3, 5, 4, 21);
  const rng = createRng(21);
  const xs = Array.from({ length: 10 }, () => [f32(rng.normal()), f32(rng.normal()), f32(rng.normal())]);
  const targets = Array.from({ length: 10 }, () => rng.int(4));
  const cut = truncatedBackward(params, rnnForward(params, xs, undefined, "multiclass"), targets, "multiclass", { k1: 1, k2: 1 }, xs);
  const auto = await perStepAutodiff(params, xs, targets);
  assert.ok(relativeDifference(auto.grads.W, cut.grads.W) > 1e-2, "a gradient without the recursion must not pass the check");
});

test("gradientCheck on the page's model: every quantity agrees to float32 precision, totals from the model's own variableGrads", async () => {
  const problem = textProblem("the cat sat on the mat.");
  const k = problem.alphabet.length;
  const model = createTfRnn(initRnnParams({ inputSize: k, hiddenSize: 8, outputSize: k, seed: 1 }), "multiclass");
  const params = await model.readParams();
  const tensors = tf.memory().numTensors;
  const check = await gradientCheck(model, params, problem.xs, problem.targets);
  assert.equal(tf.memory().numTensors, tensors, "gradientCheck must free every tensor it makes");
  assert.equal(check.T, problem.T);
  assert.equal(check.perStepDifference.length, problem.T);
  console.log(`gradientCheck on "the cat sat on the mat.", q = 8, seed 1: largest relative difference ${check.largest.toExponential(2)}`);
  assert.ok(check.largest < 1e-5, `largest ${check.largest}`);
  assert.ok(Math.abs(check.loss - check.lossAutodiff) < 1e-6, "the two losses agree");
  // ∂L/∂o(t) = (ŷ(t) − y(t)) / T.
  check.manual.dLdo.forEach((g, t) => g.forEach((v, j) => assert.ok(Math.abs(v - (check.forward.yhat[t]![j]! - (j === problem.targets[t] ? 1 : 0)) / problem.T) < 1e-12, "dL/do")));
  model.dispose();
});

test("views: the rows at t, the over-time matrices, the matrices at t", async () => {
  const problem = textProblem("abcabd");
  const k = problem.alphabet.length;
  const model = createTfRnn(initRnnParams({ inputSize: k, hiddenSize: 3, outputSize: k, seed: 4 }), "multiclass");
  const params = await model.readParams();
  const check = await gradientCheck(model, params, problem.xs, problem.targets);
  model.dispose();
  const rows = gradientRowsAt(problem, params, check, 2);
  const row = (start: string) => rows.find((r) => r.label.startsWith(start))!;
  const sum = (row("from the output").values as number[]).map((v, i) => v + (row("from later steps").values as number[])[i]!);
  (row("$\\partial L/\\partial\\vh^{(t)}$ (their sum)").values as number[]).forEach((v, i) => assert.ok(Math.abs(v - sum[i]!) < 1e-15, "the two terms add up to dL/dh(t)"));
  const last = gradientRowsAt(problem, params, check, problem.T);
  assert.ok((last.find((r) => r.label.startsWith("from later steps"))!.values as number[]).every((v) => Math.abs(v) < 1e-18), "nothing comes from after the last step");
  assert.equal(differenceRowsAt(check, 2)[0]!.values.toString().split(",").length, 7);
  const over = outputGradientsOverTime(check, problem);
  assert.equal(over.length, problem.T + 1);
  assert.ok(over[0]!.every(Number.isNaN), "no output at t = 0");
  assert.deepEqual(hiddenGradientsOverTime(check, problem, 3)[0], check.dLdh0);
  const m = matricesAt(params, check, 3, { p: k, q: 3, k });
  assert.deepEqual(m.J, stepJacobian(params, check.forward, 2));
  m.J.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - (1 - check.forward.h[2]![i]! ** 2) * params.W[i]![j]!) < 1e-15, "J = diag(1 − h(t)²) W")));
  assert.equal(contributionSeries(check).length, 5);
});

test("truncation: exact at k2 = T, biased below, and never in V and c", () => {
  const problem = textProblem("hello hello hello");
  const k = problem.alphabet.length;
  const params = initRnnParams({ inputSize: k, hiddenSize: 6, outputSize: k, seed: 2, scheme: "orthogonal" });
  const exact = truncationStudy(params, problem.xs, problem.targets, 4, problem.T);
  assert.ok(exact.agreement.relativeError < 1e-14, `k2 = T: ${exact.agreement.relativeError}`);
  const cut = truncationStudy(params, problem.xs, problem.targets, 2, 3);
  assert.ok(cut.agreement.relativeError > 1e-3, `k2 = 3 must be biased: ${cut.agreement.relativeError}`);
  assert.ok(cut.perParameter.V < 1e-14 && cut.perParameter.c < 1e-14, "V and c are not affected by truncation");
  assert.equal(truncationStudy(params, problem.xs, problem.targets, 5, 2).k2, 5, "k2 is raised to k1");
  const curve = biasAgainstK2(params, problem.xs, problem.targets, 3);
  assert.deepEqual(curve[0]!.x, Array.from({ length: problem.T - 2 }, (_, i) => i + 3));
  assert.ok((curve[0]!.values.at(-1) as number) < 1e-14, "no bias at k2 = T");
  assert.ok((curve[0]!.values[0] as number) > (curve[0]!.values.at(-2) as number), "more bias at small k2 than near T");
  assert.match(truncationText(cut, 3), /BPTT\(k₁ = 2, k₂ = 3\)/);
});

test("cost: stored numbers grow exactly linearly in T; tfjs's peak memory grows with T", async () => {
  const rows = await measureCost([10, 20, 40], { reps: 1, hiddenSize: 4, classes: 5 });
  assert.deepEqual(rows.map((r) => r.storedNumbers), [10, 20, 40].map((T) => T * (2 * 4 + 2 * 5) + 4));
  assert.ok(rows[2]!.peakBytes > 1.5 * rows[0]!.peakBytes, `peak memory ${rows.map((r) => r.peakBytes).join(", ")}`);
  assert.ok(rows.every((r) => r.manualMs >= 0 && r.autodiffMs > 0), "times are measured");
  const parallel = await measureParallel(32, [2, 8, 32], { reps: 1, hiddenSize: 4, classes: 5 });
  assert.deepEqual(parallel.map((r) => [r.batch, r.T]), [[16, 2], [4, 8], [1, 32]]);
});
