import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@unrolled/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { hmmExpectedCounts, hmmForward, hmmLogLikelihood, randomHmmParams, sampleHMM, type HmmParams } from "../../components/core/hmm.js";
import { createRng } from "../../components/core/random.js";
import {
  createTfHmm,
  expectedCountLogitGradient,
  expectedCountProbabilityGradient,
  hmmGradientAscentStep,
  hmmLogitsFromParams,
  hmmParamsFromLogits,
  tfHmmForward,
  tfHmmLogitGradient,
  tfHmmLogLikelihood,
  tfHmmProbabilities,
  tfHmmProbabilityGradient,
  type HmmGradient,
  type HmmLogits,
} from "../../components/models/hmmTf.js";

before(async () => {
  await tf.setBackend("cpu");
});

const f32 = Math.fround;

/** Random float32 logits (entries ~ N(0, 1)), so tfjs and float64 start from the same point. */
function randomLogits(K: number, V: number, seed: number): HmmLogits {
  const rng = createRng(seed);
  const draw = () => f32(rng.normal());
  return {
    pi: Array.from({ length: K }, draw),
    P: Array.from({ length: K }, () => Array.from({ length: K }, draw)),
    C: Array.from({ length: V }, () => Array.from({ length: K }, draw)),
  };
}

const flatten = (g: HmmGradient) => [...g.pi, ...g.P.flat(), ...g.C.flat()];

/** Largest |a − b| and largest |a − b| / max(|b|, floor) over all entries. */
function differences(a: HmmGradient, b: HmmGradient, floor: number): { maxAbs: number; maxRel: number; scale: number } {
  const x = flatten(a);
  const y = flatten(b);
  assert.equal(x.length, y.length);
  let maxAbs = 0;
  let maxRel = 0;
  let scale = 0;
  x.forEach((v, i) => {
    const d = Math.abs(v - y[i]!);
    maxAbs = Math.max(maxAbs, d);
    maxRel = Math.max(maxRel, d / Math.max(Math.abs(y[i]!), floor));
    scale = Math.max(scale, Math.abs(y[i]!));
  });
  return { maxAbs, maxRel, scale };
}

test("softmax parameterisation: rows of P and columns of C are distributions; logits round-trip", () => {
  const logits = randomLogits(3, 5, 1);
  const params = hmmParamsFromLogits(logits);
  params.P.forEach((row) => assert.ok(Math.abs(row.reduce((s, p) => s + p, 0) - 1) < 1e-15));
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(params.C.reduce((s, row) => s + row[k]!, 0) - 1) < 1e-15);
  const back = hmmParamsFromLogits(hmmLogitsFromParams(params));
  flatten(back).forEach((v, i) => assert.ok(Math.abs(v - flatten(params)[i]!) < 1e-15));
  const model = createTfHmm(logits);
  try {
    const probs = tfHmmProbabilities(model);
    const [P, C] = [probs.P.arraySync(), probs.C.arraySync()];
    tf.dispose([probs.pi, probs.P, probs.C]);
    P.forEach((row, i) => row.forEach((p, j) => assert.ok(Math.abs(p - params.P[i]![j]!) < 1e-6)));
    C.forEach((row, v) => row.forEach((p, k) => assert.ok(Math.abs(p - params.C[v]![k]!) < 1e-6)));
  } finally {
    model.dispose();
  }
});

test("the tfjs forward recursion matches the float64 one (α(t), c(t), log p) to float32 precision", () => {
  const params = randomHmmParams(4, 6, 3);
  const { symbols: xs } = sampleHMM(params, 300, 4);
  const reference = hmmForward(params, xs, { predictive: false });
  const before = tf.memory().numTensors;
  const [pi, P, C] = [tf.tensor1d(params.pi), tf.tensor2d(params.P), tf.tensor2d(params.C)];
  const out = tfHmmForward(pi, P, C, xs);
  const alpha = out.alpha.arraySync();
  const normalisers = out.normalisers.arraySync();
  const logLikelihood = out.logLikelihood.arraySync();
  tf.dispose([pi, P, C, out.alpha, out.normalisers, out.logLikelihood]);
  assert.equal(tf.memory().numTensors, before, "no tensors leaked");
  alpha.forEach((row, t) => row.forEach((a, k) => assert.ok(Math.abs(a - reference.alpha[t]![k]!) < 2e-6, `α${t}(${k})`)));
  normalisers.forEach((c, t) => assert.ok(Math.abs(c - reference.normalisers[t]!) < 1e-6 * reference.normalisers[t]! + 1e-7, `c(${t})`));
  assert.ok(Math.abs(logLikelihood - reference.logLikelihood) < 1e-5 * Math.abs(reference.logLikelihood), `${logLikelihood} vs ${reference.logLikelihood}`);
  const one = [tf.tensor1d([1]), tf.tensor2d([[1]]), tf.tensor2d([[1]])] as const;
  assert.throws(() => tfHmmForward(one[0], one[1], one[2], [1]), /x\[0\] = 1 is outside the alphabet/);
  tf.dispose([...one]);
});

test("autodiff gradient of log p w.r.t. the logits equals the expected-count expression (float32)", async (t) => {
  for (const [K, V, T, seed] of [
    [2, 3, 1, 9],
    [2, 3, 50, 10],
    [3, 5, 200, 11],
    [4, 27, 400, 12],
  ] as const) {
    const logits = randomLogits(K, V, seed);
    const params = hmmParamsFromLogits(logits); // the float32 logits' probabilities, in float64
    const { symbols: xs } = sampleHMM(params, T, seed + 1);
    const model = createTfHmm(logits);
    const before = tf.memory().numTensors;
    const { logLikelihood, gradient } = await tfHmmLogitGradient(model, xs);
    assert.equal(tf.memory().numTensors, before, "no tensors leaked");
    model.dispose();
    const expected = expectedCountLogitGradient(params, xs);
    const { maxAbs, maxRel, scale } = differences(gradient, expected, 1);
    t.diagnostic(
      `logits K=${K} V=${V} T=${T}: log p tf ${logLikelihood.toFixed(4)} vs ${expected.logLikelihood.toFixed(4)}; ` +
        `max |grad| ${scale.toFixed(3)}; max abs diff ${maxAbs.toExponential(2)}; max rel diff ${maxRel.toExponential(2)}`,
    );
    assert.ok(Math.abs(logLikelihood - expected.logLikelihood) < 1e-5 * Math.abs(expected.logLikelihood));
    assert.ok(maxAbs < 1e-5 * Math.max(1, scale), `max abs diff ${maxAbs} (max |grad| ${scale})`);
  }
});

test("autodiff gradient w.r.t. the probabilities themselves equals Σ_t ξ(t) / P (and the like)", async (t) => {
  for (const [K, V, T, seed] of [
    [2, 3, 1, 19],
    [2, 3, 60, 20],
    [3, 6, 250, 21],
  ] as const) {
    const params = hmmParamsFromLogits(randomLogits(K, V, seed));
    const { symbols: xs } = sampleHMM(params, T, seed + 1);
    const { gradient } = await tfHmmProbabilityGradient(params, xs);
    const expected = expectedCountProbabilityGradient(params, xs);
    const { maxAbs, maxRel, scale } = differences(gradient, expected, 1);
    t.diagnostic(`probabilities K=${K} V=${V} T=${T}: max |grad| ${scale.toFixed(2)}; max abs diff ${maxAbs.toExponential(2)}; max rel diff ${maxRel.toExponential(2)}`);
    assert.ok(maxAbs < 1e-5 * Math.max(1, scale), `max abs diff ${maxAbs} (max |grad| ${scale})`);
  }
});

test("float64 identities: message-form gradient × P = expected counts; both agree with finite differences", () => {
  const logits = randomLogits(3, 4, 30);
  const params = hmmParamsFromLogits(logits);
  const { symbols: xs } = sampleHMM(params, 40, 31);
  const counts = hmmExpectedCounts(params, xs);
  const dP = expectedCountProbabilityGradient(params, xs);
  // ∂ log p / ∂P_ij · P_ij = Σ_t ξ_ij(t),  ∂ log p / ∂C_vk · C_vk = Σ_t [x(t)=v] γ_k(t),  ∂/∂π_k · π_k = γ_k(1).
  dP.P.forEach((row, i) => row.forEach((g, j) => assert.ok(Math.abs(g * params.P[i]![j]! - counts.transitions[i]![j]!) < 1e-12)));
  dP.C.forEach((row, v) => row.forEach((g, k) => assert.ok(Math.abs(g * params.C[v]![k]! - counts.emissions[v]![k]!) < 1e-12)));
  dP.pi.forEach((g, k) => assert.ok(Math.abs(g * params.pi[k]! - counts.initial[k]!) < 1e-12));

  // Central differences of log p along every logit, in float64.
  const analytic = expectedCountLogitGradient(params, xs);
  const h = 1e-5;
  const perturbed = (path: (l: HmmLogits) => { get: () => number; set: (v: number) => void }) => {
    const copy: HmmLogits = structuredClone(logits);
    const slot = path(copy);
    const x0 = slot.get();
    slot.set(x0 + h);
    const up = hmmLogLikelihood(hmmParamsFromLogits(copy), xs);
    slot.set(x0 - h);
    const down = hmmLogLikelihood(hmmParamsFromLogits(copy), xs);
    return (up - down) / (2 * h);
  };
  const cell = (arr: number[], i: number) => ({ get: () => arr[i]!, set: (v: number) => (arr[i] = v) });
  analytic.pi.forEach((g, k) => assert.ok(Math.abs(g - perturbed((l) => cell(l.pi, k))) < 1e-6, `a_${k}`));
  analytic.P.forEach((row, i) => row.forEach((g, j) => assert.ok(Math.abs(g - perturbed((l) => cell(l.P[i]!, j))) < 1e-6, `B_${i}${j}`)));
  analytic.C.forEach((row, v) => row.forEach((g, k) => assert.ok(Math.abs(g - perturbed((l) => cell(l.C[v]!, k))) < 1e-6, `D_${v}${k}`)));
  // Observed minus expected: the logit gradient sums to 0 along every softmax group.
  analytic.P.forEach((row) => assert.ok(Math.abs(row.reduce((s, g) => s + g, 0)) < 1e-10));
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(analytic.C.reduce((s, row) => s + row[k]!, 0)) < 1e-10);
  assert.ok(Math.abs(analytic.pi.reduce((s, g) => s + g, 0)) < 1e-12);
});

test("the message-form probability gradient stays finite where an entry is 0", () => {
  const params: HmmParams = { pi: [1, 0], P: [[0.5, 0.5], [0, 1]], C: [[0.7, 0.1], [0.3, 0.9]] };
  const xs = [0, 1, 1, 0];
  const g = expectedCountProbabilityGradient(params, xs);
  flatten(g).forEach((v) => assert.ok(Number.isFinite(v)));
  // Raising P[1][0] from 0 by ε changes log p at rate ∂/∂P_10 > 0 (some path would now use 1 → 0).
  const eps = 1e-7;
  const bumped: HmmParams = structuredClone(params);
  bumped.P[1]![0] = eps; // as a free variable: rows need not sum to 1 for this derivative
  const slope = (Math.log(forwardUnchecked(bumped, xs)) - Math.log(forwardUnchecked(params, xs))) / eps;
  assert.ok(Math.abs(slope - g.P[1]![0]!) < 1e-5 * Math.max(1, Math.abs(slope)), `${slope} vs ${g.P[1]![0]}`);
});

/** p(x) by the unnormalised recursion without validation (so P need not be stochastic). */
function forwardUnchecked(params: HmmParams, xs: number[]): number {
  let a = params.pi.map((p, k) => p * params.C[xs[0]!]![k]!);
  for (let t = 1; t < xs.length; t++) {
    a = a.map((_, j) => a.reduce((s, ai, i) => s + ai * params.P[i]![j]!, 0) * params.C[xs[t]!]![j]!);
  }
  return a.reduce((s, v) => s + v, 0);
}

test("gradient ascent on the logits raises log p and returns the pre-step value", async () => {
  const truth = randomHmmParams(3, 5, 40);
  const { symbols: xs } = sampleHMM(truth, 150, 41);
  const model = createTfHmm(randomLogits(3, 5, 42));
  try {
    const before = tf.memory().numTensors;
    const start = hmmLogLikelihood(await model.readParams(), xs);
    const values: number[] = [];
    for (let i = 0; i < 10; i++) values.push(await hmmGradientAscentStep(model, xs, 1 / xs.length));
    assert.equal(tf.memory().numTensors, before, "no tensors leaked");
    assert.ok(Math.abs(values[0]! - start) < 1e-4 * Math.abs(start), `${values[0]} vs ${start}`);
    for (let i = 1; i < values.length; i++) assert.ok(values[i]! > values[i - 1]!, `step ${i}: ${values[i - 1]} → ${values[i]}`);
    const end = hmmLogLikelihood(await model.readParams(), xs);
    assert.ok(end > start + 1, `${start} → ${end}`);
    const scalar = tfHmmLogLikelihood(model, xs);
    assert.ok(Math.abs((await scalar.data())[0]! - end) < 1e-4 * Math.abs(end));
    scalar.dispose();
  } finally {
    model.dispose();
  }
  const small = createTfHmm(randomLogits(2, 2, 1));
  await assert.rejects(hmmGradientAscentStep(small, [0], Number.NaN), /learning rate/);
  small.dispose();
});

test("the logit gradient also runs on the wasm backend (no tf.gather, whose gradient wasm lacks) and agrees with cpu", async (t) => {
  const logits = randomLogits(3, 5, 30);
  const { symbols: xs } = sampleHMM(hmmParamsFromLogits(logits), 120, 31);
  const gradientOn = async (backend: string) => {
    await tf.setBackend(backend);
    const model = createTfHmm(logits);
    try {
      return await tfHmmLogitGradient(model, xs);
    } finally {
      model.dispose();
    }
  };
  try {
    const onCpu = await gradientOn("cpu");
    const onWasm = await gradientOn("wasm");
    assert.equal(tf.getBackend(), "wasm");
    const { maxAbs, scale } = differences(onWasm.gradient, onCpu.gradient, 1);
    t.diagnostic(`wasm vs cpu: log p ${onWasm.logLikelihood.toFixed(4)} vs ${onCpu.logLikelihood.toFixed(4)}; max abs gradient diff ${maxAbs.toExponential(2)} (max |grad| ${scale.toFixed(3)})`);
    assert.ok(Math.abs(onWasm.logLikelihood - onCpu.logLikelihood) < 1e-4 * Math.abs(onCpu.logLikelihood));
    assert.ok(maxAbs < 1e-4 * Math.max(1, scale), `max abs diff ${maxAbs}`);
  } finally {
    await tf.setBackend("cpu");
  }
});
