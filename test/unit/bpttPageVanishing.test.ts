// The "Vanishing and exploding gradients" page's pieces: the float64 batched BPTT against
// the math core and finite differences, the lag runs against the stored table, the built
// matrices, the Jacobian products, clipping and the initialisations.
import assert from "node:assert/strict";
import { test } from "node:test";
import { rnnBackward } from "../../components/core/bptt.js";
import { jacobianProducts } from "../../components/core/jacobian.js";
import { addingTask, recallTask } from "../../components/core/lagTask.js";
import { createRng } from "../../components/core/random.js";
import { initRnnParams, rnnForward, type RnnParams } from "../../components/core/rnn.js";
import { batchGradient, cloneFlat, createOptimizer, flatFromParams, forward, gradientNorm, hiddenGradientNorms, paramsFromFlat, type FlatRnn } from "../../components/examples/vanishingFastRnn.js";
import { initialRnn, recallAccuracy, SWEEP_LAGS, SWEEP_SETTINGS, trainAtLag } from "../../components/examples/vanishingLag.js";
import { LAG_TABLE } from "../../components/examples/vanishingLagTable.js";
import { buildMatrix, jacobianProductNorms } from "../../components/examples/vanishingSpectrum.js";
import { clipRace } from "../../components/examples/vanishingClip.js";
import { accuracySeries, groupEigenvalues, initProfiles, summariseTable, tableCheck } from "../../components/examples/vanishingViews.js";
import { lagNetworkTask } from "../../components/examples/vanishingLive.js";

const NAMES = ["W", "U", "b", "V", "c"] as const;

function randomParams(p: number, q: number, k: number, seed: number): RnnParams {
  const params = initRnnParams({ inputSize: p, hiddenSize: q, outputSize: k, seed, scheme: "orthogonal", recurrentScale: 1.05 });
  const rng = createRng(seed + 11);
  params.b = params.b.map(() => 0.3 * rng.normal());
  params.c = params.c.map(() => 0.3 * rng.normal());
  return params;
}

test("batchGradient (tanh) is the batch mean of the core's rnnBackward, for both heads", () => {
  for (const [task, seed] of [[recallTask({ lag: 6, count: 5, seed: 3 }), 1], [addingTask({ lag: 6, count: 5, seed: 3 }), 2]] as const) {
    const params = randomParams(task.inputSize, 5, task.outputSize, seed);
    const fast = batchGradient(flatFromParams(params), task.xs, task.targets as (number | number[])[][], task.head);
    const backs = task.xs.map((xs, n) => rnnBackward(params, rnnForward(params, xs, undefined, task.head), task.targets[n]! as number[] | number[][], task.head, xs));
    const meanLoss = backs.reduce((s, b) => s + b.loss, 0) / backs.length;
    assert.ok(Math.abs(fast.loss - meanLoss) < 1e-12, `${task.kind}: loss`);
    for (const name of NAMES) {
      const want = (backs.map((b) => [b.grads[name]].flat(2) as number[])).reduce((acc, g) => acc.map((v, i) => v + g[i]! / backs.length), new Array<number>(fast.grads[name].length).fill(0));
      fast.grads[name].forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-13 * (1 + Math.abs(want[i]!)), `${task.kind} ${name}[${i}]: ${v} vs ${want[i]}`));
    }
  }
});

test("batchGradient with ReLU units (the IRNN) matches central finite differences", () => {
  const task = addingTask({ lag: 5, count: 3, seed: 8 });
  const params = randomParams(task.inputSize, 4, task.outputSize, 5);
  params.b = params.b.map((v) => v + 0.2); // keep the pre-activations away from the kink at 0
  const model = flatFromParams(params, "relu");
  const { grads } = batchGradient(model, task.xs, task.targets, "real");
  let worst = 0;
  for (const name of NAMES) {
    const theta = model[name];
    for (let i = 0; i < theta.length; i++) {
      const original = theta[i]!;
      const h = 1e-6;
      theta[i] = original + h;
      const up = batchGradient(model, task.xs, task.targets, "real").loss;
      theta[i] = original - h;
      const down = batchGradient(model, task.xs, task.targets, "real").loss;
      theta[i] = original;
      const numeric = (up - down) / (2 * h);
      worst = Math.max(worst, Math.abs(numeric - grads[name][i]!) / Math.max(1e-3, Math.abs(numeric)));
    }
  }
  assert.ok(worst < 1e-5, `worst relative error ${worst}`);
});

test("hiddenGradientNorms: 'all' is ‖∂L/∂h(t)‖ of the core; the answer's part is a Jacobian product applied to Vᵀ(ŷ − y)", () => {
  const task = recallTask({ lag: 7, count: 1, seed: 4 });
  const params = randomParams(task.inputSize, 6, task.outputSize, 9);
  const xs = task.xs[0]!;
  const T = xs.length;
  const cache = rnnForward(params, xs, undefined, "multiclass");
  const back = rnnBackward(params, cache, task.targets[0]!, "multiclass", xs);
  const all = hiddenGradientNorms(flatFromParams(params), xs, task.targets[0]!, "multiclass", "all");
  for (let d = 0; d < T; d++) assert.ok(Math.abs(all[d]! - Math.hypot(...back.dLdh[T - 1 - d]!)) < 1e-14, `all, d = ${d}`);
  assert.ok(Math.abs(all[T]! - Math.hypot(...back.dLdh0)) < 1e-14, "all, h(0)");
  // The answer's part: Vᵀ(ŷ(T) − y(T)) carried back by (∂h(T)/∂h(t))ᵀ.
  const answer = hiddenGradientNorms(flatFromParams(params), xs, task.targets[0]!, "multiclass");
  const y = task.targets[0]![T - 1]!;
  const g = cache.yhat[T - 1]!.map((p, j) => p - (j === y ? 1 : 0));
  const gT = params.V[0]!.map((_, i) => params.V.reduce((s, row, j) => s + row[i]! * g[j]!, 0));
  assert.ok(Math.abs(answer[0]! - Math.hypot(...gT)) < 1e-14, "d = 0");
  const bound = jacobianProducts(params, cache, 0); // ‖∂ℓ/∂h(0)‖ ≤ ‖∂h(T)/∂h(0)‖₂ ‖∂ℓ/∂h(T)‖
  assert.ok(answer[T]! <= bound.spectral[T]! * answer[0]! * (1 + 1e-12), "the answer's gradient at h(0) obeys the Jacobian bound");
});

test("the optimizer: Adam's first step moves every weight by about the learning rate; clipping caps the step", () => {
  const task = recallTask({ lag: 4, count: 8, seed: 1 });
  const model = initialRnn("orthogonal", { inputSize: 5, hiddenSize: 4, outputSize: 5 }, 1);
  const before = paramsFromFlat(model);
  const { grads } = batchGradient(model, task.xs, task.targets, "multiclass");
  const adam = createOptimizer(model, { optimizer: "adam", learningRate: 0.01 });
  const norm = adam.apply(model, grads);
  assert.ok(Math.abs(norm - gradientNorm(grads)) < 1e-15, "apply reports ‖g‖");
  // m̂ = g and v̂ = g², so the first Adam step is −η·g/(|g| + ε) ≈ −η·sign(g).
  model.W.forEach((w, i) => {
    const g = grads.W[i]!;
    if (Math.abs(g) > 1e-4) assert.ok(Math.abs(w - before.W.flat()[i]! + 0.01 * Math.sign(g)) < 1e-6, `W[${i}]`);
  });
  const sgd = initialRnn("orthogonal", { inputSize: 5, hiddenSize: 4, outputSize: 5 }, 1);
  const start = cloneFlat(sgd);
  createOptimizer(sgd, { optimizer: "sgd", learningRate: 1, clipNorm: 1e-3 }).apply(sgd, grads);
  let moved = 0;
  for (const name of NAMES) sgd[name].forEach((v, i) => (moved += (v - start[name][i]!) ** 2));
  assert.ok(Math.abs(Math.sqrt(moved) - 1e-3) < 1e-9, `a clipped SGD step has length lr·c: ${Math.sqrt(moved)}`);
});

test("trainAtLag reproduces the stored table exactly (seeded float64)", async () => {
  for (const [init, lag] of [["gaussian", 2], ["irnn", 5]] as const) {
    const run = await trainAtLag({ ...SWEEP_SETTINGS, lag, init, seed: 3 }, { sliceMs: 1e9 });
    const row = LAG_TABLE.find((r) => r.init === init && r.seed === 3 && r.lag === lag);
    assert.ok(row, `the table has ${init}, seed 3, L = ${lag}`);
    assert.equal(run.accuracy, row!.accuracy, `${init} L = ${lag}: accuracy`);
    assert.equal(run.finalLoss, row!.finalLoss, `${init} L = ${lag}: final loss`);
    assert.equal(run.answerGradientBefore.length, lag + 2);
  }
});

test("the stored table shows the collapse: perfect at short lags, chance for tanh networks at long ones", () => {
  assert.equal(LAG_TABLE.length, 4 * 5 * SWEEP_LAGS.length, "4 initialisations × 5 seeds × every lag");
  for (const init of ["gaussian", "orthogonal", "identity"] as const) {
    const summary = summariseTable(LAG_TABLE, init);
    assert.equal(summary.find((s) => s.lag === 2)!.mean, 1, `${init}: L = 2 is solved`);
    for (const lag of [20, 30, 40]) assert.ok(summary.find((s) => s.lag === lag)!.max < 0.35, `${init}: L = ${lag} stays near chance`);
  }
  const series = accuracySeries([], LAG_TABLE, "gaussian");
  assert.equal(series.length, 4);
  assert.match(tableCheck([], LAG_TABLE, { init: "gaussian", seed: 1, steps: 100 }, SWEEP_SETTINGS), /differ/);
});

test("recallAccuracy: an untrained network scores about 1/4 (chance)", () => {
  const task = recallTask({ lag: 3, count: 200, seed: 5 });
  const untrained = initialRnn("gaussian", { inputSize: 5, hiddenSize: 8, outputSize: 5 }, 2);
  const acc = recallAccuracy(untrained, task);
  assert.ok(acc > 0.1 && acc < 0.45, `untrained accuracy ${acc}`);
});

test("buildMatrix: computed eigenvalues at ρe^{±iθ}; ‖Wᵗh‖ = ρᵗ when κ = 1, transient growth when κ is large", () => {
  const normal = buildMatrix({ radius: 0.9, rotationDegrees: 30, conditionNumber: 1, size: 8, seed: 3, horizon: 30 });
  normal.eigenvalues.forEach((l) => assert.ok(Math.abs(Math.hypot(l.re, l.im) - 0.9) < 1e-9, "|λ| = ρ"));
  assert.equal(groupEigenvalues(normal.eigenvalues).length, 2);
  normal.powers.forEach((v, t) => assert.ok(Math.abs(v - 0.9 ** t) < 1e-9 * 0.9 ** t + 1e-15, `‖Wᵗh‖ at t = ${t}`));
  normal.powerNorms.forEach((v, t) => assert.ok(Math.abs(v - 0.9 ** t) < 1e-8, `‖Wᵗ‖ at t = ${t}`));
  const skewed = buildMatrix({ radius: 0.9, rotationDegrees: 30, conditionNumber: 30, size: 8, seed: 3, horizon: 30 });
  assert.ok(Math.abs(skewed.radius - 0.9) < 1e-6, `ρ stays 0.9: ${skewed.radius}`);
  assert.ok(skewed.sigmaMax > 1.5, `σ_max ${skewed.sigmaMax}`);
  assert.ok(Math.max(...skewed.powerNorms.slice(1, 6)) > 1, "‖Wᵗ‖ exceeds 1 for a while");
  skewed.powerNorms.forEach((v, t) => assert.ok(v <= 30 * 0.9 ** t * (1 + 1e-9) && v >= 0.9 ** t * (1 - 1e-9), `ρᵗ ≤ ‖Wᵗ‖ ≤ κρᵗ at t = ${t}`));
});

test("jacobianProductNorms equals the core's jacobianProducts for tanh, with the network's W or another", () => {
  const task = recallTask({ lag: 9, count: 1, seed: 2 });
  const params = randomParams(task.inputSize, 6, task.outputSize, 4);
  const xs = task.xs[0]!;
  const own = jacobianProductNorms(flatFromParams(params), xs);
  const core = jacobianProducts(params, rnnForward(params, xs), 0).spectral;
  own.forEach((v, t) => assert.ok(Math.abs(v - core[t]!) < 1e-12 * (1 + core[t]!), `own W, t = ${t}`));
  const other = buildMatrix({ radius: 1.2, rotationDegrees: 10, conditionNumber: 1, size: 6, seed: 1, horizon: 1 }).W;
  const swapped = jacobianProductNorms(flatFromParams(params), xs, other);
  const coreSwapped = jacobianProducts({ ...params, W: other }, rnnForward({ ...params, W: other }, xs), 0).spectral;
  swapped.forEach((v, t) => assert.ok(Math.abs(v - coreSwapped[t]!) < 1e-12 * (1 + coreSwapped[t]!), `replaced W, t = ${t}`));
  assert.throws(() => jacobianProductNorms(flatFromParams(params), xs, [[1]]), /must be 6×6/);
});

test("clipping rescues the IRNN that explodes without it (the page's race, shortened)", async () => {
  const [raw, clipped] = await clipRace({ task: "adding", lag: 20, init: "irnn", optimizer: "sgd", learningRate: 0.1, clipNorm: 1, steps: 60 });
  assert.ok(raw!.divergedAt !== null && raw!.divergedAt <= 10, `the unclipped run diverges early: ${raw!.divergedAt}`);
  assert.equal(clipped!.divergedAt, null, "the clipped run stays finite");
  assert.ok(clipped!.losses.every(Number.isFinite), "every clipped loss is finite");
  assert.ok(clipped!.losses.at(-1)! < 0.3 * clipped!.losses[0]!, `clipped loss ${clipped!.losses[0]} → ${clipped!.losses.at(-1)}`);
  assert.ok(Math.max(...raw!.norms.filter(Number.isFinite)) > 100, "the raw gradient norm blows up");
});

test("initialisations: orthogonal and identity have every singular value 1; the IRNN passes the gradient through", () => {
  const profiles = initProfiles(20, 8, 1);
  const by = Object.fromEntries(profiles.map((p) => [p.init, p]));
  for (const init of ["orthogonal", "identity", "irnn"]) by[init]!.singular.forEach((s) => assert.ok(Math.abs(s - 1) < 1e-12, `${init}: σ = 1`));
  assert.ok(by.gaussian!.singular[0]! > 1.2, "a Gaussian W stretches some directions");
  assert.ok(by.irnn!.answerGradient[20]! > 0.1 * by.irnn!.answerGradient[0]!, "the IRNN keeps most of the answer's gradient over 20 steps");
  assert.ok(by.gaussian!.answerGradient[20]! < 0.1 * by.gaussian!.answerGradient[0]!, "the Gaussian tanh network loses most of it");
});

test("the live network's task: steps lower the loss, inspections report the spectrum and the gradients", async () => {
  const task = lagNetworkTask({ lag: 3, init: "orthogonal", hiddenSize: 8 });
  const model = (await task.create(1)) as { net: FlatRnn };
  const losses: number[] = [];
  for (let i = 0; i < 150; i++) losses.push(await task.step(model as never, 0.02));
  assert.ok(losses.at(-1)! < 0.5 * losses[0]!, `loss ${losses[0]} → ${losses.at(-1)}`);
  const inspection = await task.inspect!(model as never);
  assert.equal(inspection.eigenvalues.length, 8);
  assert.equal(inspection.jacobian.length, 5);
  assert.equal(inspection.answerGradient.length, 5);
  assert.ok(inspection.accuracy > 0.5, `accuracy after 150 updates at L = 3: ${inspection.accuracy}`);
  const tr = forward(inspection.net, inspection.probe);
  assert.equal(tr.h.length, 5 * 8);
});
