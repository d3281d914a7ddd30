import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@unrolled/tfjs";
import { createRng, type Rng } from "../../components/core/random.js";
import { initRnnParams, rnnForward, rnnLoss, type Head, type RnnParams } from "../../components/core/rnn.js";
import { createTfRnn, readIntermediates, tfRnnForward, tfRnnLoss } from "../../components/models/rnnTf.js";
import { batchTensors, createTrainer, makeWindows, sampleBatch } from "../../components/models/trainer.js";

before(async () => {
  await tf.setBackend("cpu");
});

const HEADS: Head[] = ["real", "binary", "multiclass"];
const PARAM_NAMES = ["W", "U", "b", "V", "c"] as const;
const f32 = Math.fround;

/** Random parameters with non-zero biases, rounded to float32 so both sides use the same point. */
function randomParams(p: number, q: number, k: number, seed: number): RnnParams {
  const params = initRnnParams({ inputSize: p, hiddenSize: q, outputSize: k, seed, scheme: "orthogonal", recurrentScale: 0.9 });
  const rng = createRng(seed + 1000);
  params.b = params.b.map(() => 0.3 * rng.normal());
  params.c = params.c.map(() => 0.3 * rng.normal());
  return {
    W: params.W.map((r) => r.map(f32)),
    U: params.U.map((r) => r.map(f32)),
    b: params.b.map(f32),
    V: params.V.map((r) => r.map(f32)),
    c: params.c.map(f32),
  };
}

interface Problem {
  xs: number[][][];
  ys: number[][][] | number[][];
}

function randomProblem(head: Head, batch: number, T: number, p: number, k: number, rng: Rng): Problem {
  const xs = Array.from({ length: batch }, () => Array.from({ length: T }, () => Array.from({ length: p }, () => f32(rng.normal()))));
  const ys =
    head === "multiclass"
      ? Array.from({ length: batch }, () => Array.from({ length: T }, () => rng.int(k)))
      : Array.from({ length: batch }, () =>
          Array.from({ length: T }, () => Array.from({ length: k }, () => f32(head === "binary" ? rng.int(2) : rng.normal()))),
        );
  return { xs, ys };
}

function targetTensor(head: Head, ys: Problem["ys"]): tf.Tensor {
  return head === "multiclass" ? tf.tensor2d(ys as number[][], undefined, "int32") : tf.tensor3d(ys as number[][][]);
}

/** The float64 reference: mean over the batch of the per-sequence mean loss. */
function referenceLoss(params: RnnParams, head: Head, problem: Problem): number {
  let total = 0;
  problem.xs.forEach((x, i) => {
    total += rnnLoss(head, rnnForward(params, x, undefined, head).o, problem.ys[i]!).mean;
  });
  return total / problem.xs.length;
}

const flatParams = (p: RnnParams): number[] => [...p.W.flat(), ...p.U.flat(), ...p.b, ...p.V.flat(), ...p.c];

function maxAbsDiff(a: number[][], b: number[][]): number {
  let m = 0;
  a.forEach((row, i) => row.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i]![j]!)))));
  return m;
}

const sizesFor = (head: Head) => ({ p: 2, q: 5, k: head === "multiclass" ? 3 : head === "binary" ? 1 : 2 });

test("forward and loss equal the float64 reference (several seeds, every head)", async () => {
  let worstForward = 0;
  let worstLoss = 0;
  for (const head of HEADS) {
    for (const seed of [1, 2, 3]) {
      const { p, q, k } = sizesFor(head);
      const params = randomParams(p, q, k, seed);
      const problem = randomProblem(head, 3, 12, p, k, createRng(seed));
      const model = createTfRnn(params, head);
      const before = tf.memory().numTensors;
      const xs = tf.tensor3d(problem.xs);
      const ys = targetTensor(head, problem.ys);
      const h0s = problem.xs.map((_, i) => Array.from({ length: q }, (_, j) => f32(0.1 * (i - j))));
      const h0 = tf.tensor2d(h0s);
      const out = tfRnnForward(model, xs, h0);
      const [a, h, o, yhat] = await Promise.all([out.a.array(), out.h.array(), out.o.array(), out.yhat.array()]);
      problem.xs.forEach((x, i) => {
        const ref = rnnForward(params, x, h0s[i], head);
        worstForward = Math.max(worstForward, maxAbsDiff(a[i]!, ref.a), maxAbsDiff(h[i]!, ref.h), maxAbsDiff(o[i]!, ref.o), maxAbsDiff(yhat[i]!, ref.yhat));
      });
      const lossTensor = tfRnnLoss(model, xs, ys);
      const loss = (await lossTensor.data())[0]!;
      worstLoss = Math.max(worstLoss, Math.abs(loss - referenceLoss(params, head, problem)));
      tf.dispose([xs, ys, h0, out.a, out.h, out.o, out.yhat, lossTensor]);
      assert.equal(tf.memory().numTensors, before); // no intermediate escaped the tidy scopes
      model.dispose();
    }
  }
  console.log(`forward max abs error ${worstForward.toExponential(2)}, loss max abs error ${worstLoss.toExponential(2)}`);
  assert.ok(worstForward < 1e-5, `forward error ${worstForward}`);
  assert.ok(worstLoss < 1e-5, `loss error ${worstLoss}`);
});

test("readIntermediates returns one sequence's a, h, o, ŷ and frees its tensors", async () => {
  const params = randomParams(1, 4, 3, 7);
  const model = createTfRnn(params, "multiclass");
  const xs = [[0.5], [-1], [2], [0.25]];
  const h0 = [0.1, -0.2, 0.3, 0];
  const before = tf.memory().numTensors;
  const got = await readIntermediates(model, xs, h0);
  assert.equal(tf.memory().numTensors, before);
  const ref = rnnForward(params, xs, h0, "multiclass");
  for (const key of ["a", "h", "o", "yhat"] as const) {
    assert.equal(got[key].length, 4);
    assert.ok(maxAbsDiff(got[key], ref[key]) < 1e-6, key);
  }
  await assert.rejects(readIntermediates(model, [[1, 2]]), /xs\[0\] has 2 values but the RNN expects p = 1 input\./);
  assert.equal(model.paramCount, 16 + 4 + 4 + 12 + 3);
  assert.deepEqual(await model.readParams(), params);
  model.dispose();
  assert.equal(tf.memory().numTensors, before - 5);
});

test("shape errors from the tf model are specific", () => {
  const model = createTfRnn(randomParams(2, 3, 1, 1), "real");
  assert.throws(() => createTfRnn(randomParams(2, 3, 2, 1), "binary"), /binary head needs k = 1/);
  tf.tidy(() => {
    assert.throws(() => tfRnnForward(model, tf.zeros([2, 5, 3]) as tf.Tensor3D), /shape \[batch, T, p\] with p = 2 but has shape \[2, 5, 3\]/);
    assert.throws(() => tfRnnForward(model, tf.zeros([2, 5, 2]) as tf.Tensor3D, tf.zeros([2, 4]) as tf.Tensor2D), /h0 must have shape \[batch, q\] = \[2, 3\]/);
    assert.throws(() => tfRnnLoss(model, tf.zeros([2, 5, 2]) as tf.Tensor3D, tf.zeros([2, 5])), /Targets must have shape \[batch, T, k\] = \[2, 5, 1\]/);
  });
  model.dispose();
});

test("tf gradients of every parameter match float64 central differences (h = 1e-5), for T = 8 and T = 1", async () => {
  // Relative error per entry: |g_tf − g_fd| / max(|g_tf|, |g_fd|, 1e-6) (the floor only
  // matters for entries that are zero in both).
  const report: string[] = [];
  let worst = 0;
  for (const head of HEADS) {
    for (const [seed, T] of [[11, 8], [12, 8], [13, 8], [14, 1]] as const) {
      const { p, q, k } = sizesFor(head);
      const params = randomParams(p, q, k, seed);
      const problem = randomProblem(head, 2, T, p, k, createRng(seed));
      const model = createTfRnn(params, head);
      const xs = tf.tensor3d(problem.xs);
      const ys = targetTensor(head, problem.ys);
      const { value, grads } = tf.variableGrads(() => tfRnnLoss(model, xs, ys), model.variables);
      const tfGrads = await Promise.all(model.variables.map((v) => grads[v.name]!.data()));
      tf.dispose([xs, ys, value, ...Object.values(grads)]);

      let worstHere = 0;
      PARAM_NAMES.forEach((name, n) => {
        const flat = tfGrads[n]!;
        const isMatrix = Array.isArray((params[name] as unknown[])[0]);
        const rows = isMatrix ? (params[name] as number[][]) : [params[name] as number[]];
        const cols = rows[0]!.length;
        rows.forEach((row, i) =>
          row.forEach((original, j) => {
            const h = 1e-5;
            row[j] = original + h;
            const plus = referenceLoss(params, head, problem);
            row[j] = original - h;
            const minus = referenceLoss(params, head, problem);
            row[j] = original;
            const fd = (plus - minus) / (2 * h);
            const g = flat[i * cols + j]!;
            const rel = Math.abs(g - fd) / Math.max(Math.abs(g), Math.abs(fd), 1e-6);
            worstHere = Math.max(worstHere, rel);
          }),
        );
      });
      worst = Math.max(worst, worstHere);
      report.push(`${head}/${seed}/T=${T}: ${worstHere.toExponential(2)}`);
      model.dispose();
    }
  }
  console.log(`gradient max relative error per case: ${report.join(", ")}`);
  assert.ok(worst < 1e-3, `worst relative gradient error ${worst}`);
});

test("the gradient check is sensitive: a wrong loss scale is caught", async () => {
  // Doubling the tf loss must break agreement with the reference by a factor of 2.
  const params = randomParams(2, 5, 2, 21);
  const problem = randomProblem("real", 2, 6, 2, 2, createRng(21));
  const model = createTfRnn(params, "real");
  const xs = tf.tensor3d(problem.xs);
  const ys = targetTensor("real", problem.ys);
  const { value, grads } = tf.variableGrads(() => tf.mul(tfRnnLoss(model, xs, ys), 2) as tf.Scalar, model.variables);
  const gW = (await grads[model.W.name]!.data())[0]!;
  const h = 1e-5;
  const original = params.W[0]![0]!;
  params.W[0]![0] = original + h;
  const plus = referenceLoss(params, "real", problem);
  params.W[0]![0] = original - h;
  const minus = referenceLoss(params, "real", problem);
  const fd = (plus - minus) / (2 * h);
  assert.ok(Math.abs(gW / fd - 2) < 1e-3);
  tf.dispose([xs, ys, value, ...Object.values(grads)]);
  model.dispose();
});

test("makeWindows and sampleBatch", () => {
  const windows = makeWindows([0, 1, 2, 3, 4, 5, 6], { window: 3, stride: 2 });
  assert.deepEqual(windows.map((w) => w.start), [0, 2]);
  assert.deepEqual(windows[1]!.inputs, [[2], [3], [4]]);
  assert.deepEqual(windows[1]!.targets, [[3], [4], [5]]);
  assert.equal(makeWindows([0, 1, 2, 3], { window: 3 }).length, 1);
  assert.throws(() => makeWindows([0, 1, 2], { window: 3 }), /needs 4 values/);

  const many = makeWindows(Array.from({ length: 30 }, (_, i) => i), { window: 4 });
  const a = sampleBatch(many, 10, createRng(3));
  assert.deepEqual(a, sampleBatch(many, 10, createRng(3)));
  assert.equal(new Set(a.starts).size, 10); // distinct windows
  a.xs.forEach((x, i) => assert.deepEqual(x, [[a.starts[i]!], [a.starts[i]! + 1], [a.starts[i]! + 2], [a.starts[i]! + 3]]));
  assert.equal(sampleBatch(many, many.length, createRng(1)).starts.slice().sort((x, y) => x - y).join(), many.map((w) => w.start).join());
  assert.throws(() => sampleBatch(many, 27, createRng(1)), /Cannot draw 27 distinct windows from 26/);
});

function noisySine(n: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, t) => Math.sin((2 * Math.PI * t) / 25) + 0.1 * rng.normal());
}

test("the trainer's Adam and SGD steps equal tf.train.adam / tf.train.sgd; clipping caps the step", async () => {
  const params = randomParams(1, 4, 1, 5);
  const windows = makeWindows(noisySine(120, 5), { window: 10 });
  for (const optimizer of ["adam", "sgd"] as const) {
    const mine = createTfRnn(params, "real");
    const theirs = createTfRnn(params, "real");
    const trainer = createTrainer(mine, { learningRate: 0.05, optimizer });
    const reference = optimizer === "adam" ? tf.train.adam(0.05) : tf.train.sgd(0.05);
    const rng = createRng(8);
    for (let i = 0; i < 5; i++) {
      const { xs, ys } = batchTensors(sampleBatch(windows, 4, rng));
      await trainer.step(xs, ys);
      reference.minimize(() => tfRnnLoss(theirs, xs, ys), true, theirs.variables)?.dispose();
      tf.dispose([xs, ys]);
    }
    const [a, b] = await Promise.all([mine.readParams(), theirs.readParams()]);
    const diff = maxAbsDiff([flatParams(a)], [flatParams(b)]);
    console.log(`${optimizer}: max |θ_mine − θ_tf.train| after 5 steps = ${diff.toExponential(2)}`);
    assert.ok(diff < 1e-5, `${optimizer} differs by ${diff}`);
    trainer.dispose();
    reference.dispose();
    mine.dispose();
    theirs.dispose();
  }

  // With SGD and clipNorm = 1e-3, the whole update has norm exactly lr · 1e-3.
  const model = createTfRnn(params, "real");
  const trainer = createTrainer(model, { learningRate: 0.5, optimizer: "sgd", clipNorm: 1e-3 });
  const { xs, ys } = batchTensors(sampleBatch(windows, 4, createRng(1)));
  await trainer.step(xs, ys);
  const after = await model.readParams();
  const initial = flatParams(params);
  const sq = flatParams(after).reduce((s, v, i) => s + (v - initial[i]!) ** 2, 0);
  assert.ok(Math.abs(Math.sqrt(sq) - 0.5e-3) < 2e-6, `clipped step norm ${Math.sqrt(sq)}`);
  tf.dispose([xs, ys]);
  trainer.dispose();
  model.dispose();
});

test("training on a noisy sine reduces the loss by a large factor", async () => {
  const series = noisySine(400, 1);
  const windows = makeWindows(series, { window: 40, stride: 1 });
  const params = initRnnParams({ inputSize: 1, hiddenSize: 16, outputSize: 1, seed: 1 });
  const model = createTfRnn(params, "real");
  const trainer = createTrainer(model, { learningRate: 0.01, optimizer: "adam", clipNorm: 5 });
  const all = { xs: windows.map((w) => w.inputs), ys: windows.map((w) => w.targets) };
  const fullLoss = async () => referenceLoss(await model.readParams(), "real", all);
  const initial = await fullLoss();
  const rng = createRng(2);
  const steps = 300;
  const started = performance.now();
  for (let i = 0; i < steps; i++) {
    const { xs, ys } = batchTensors(sampleBatch(windows, 16, rng));
    await trainer.step(xs, ys);
    tf.dispose([xs, ys]);
  }
  const msPerStep = (performance.now() - started) / steps;
  const final = await fullLoss();
  console.log(
    `noisy sine: full-data MSE ${initial.toFixed(4)} → ${final.toFixed(4)} after ${steps} Adam steps ` +
      `(factor ${(initial / final).toFixed(1)}; noise variance 0.01); ${msPerStep.toFixed(1)} ms/step (batch 16, T = 40, q = 16, cpu)`,
  );
  assert.ok(initial / final > 10, `loss fell only from ${initial} to ${final}`);
  assert.ok(final < 0.03, `final loss ${final}`);
  trainer.dispose();
  model.dispose();
});

test("1,000 trainer steps leave no tensors behind", async () => {
  const model = createTfRnn(initRnnParams({ inputSize: 1, hiddenSize: 16, outputSize: 1, seed: 3 }), "real");
  const trainer = createTrainer(model, { learningRate: 0.001, optimizer: "adam", clipNorm: 1 });
  const windows = makeWindows(noisySine(200, 3), { window: 40 });
  const { xs, ys } = batchTensors(sampleBatch(windows, 16, createRng(4)));
  await trainer.step(xs, ys); // warm-up
  const before = tf.memory().numTensors;
  const started = performance.now();
  for (let i = 0; i < 1000; i++) await trainer.step(xs, ys);
  const ms = (performance.now() - started) / 1000;
  assert.equal(tf.memory().numTensors, before);
  console.log(`1,000 steps: numTensors ${before} before and ${tf.memory().numTensors} after; ${ms.toFixed(1)} ms/step`);
  tf.dispose([xs, ys]);
  const withModel = tf.memory().numTensors;
  trainer.dispose();
  model.dispose();
  assert.equal(tf.memory().numTensors, withModel - 10 - 5); // 10 Adam slots, 5 weights
});

test("two trainers with the same seed give bit-identical losses", async () => {
  const run = async () => {
    const model = createTfRnn(initRnnParams({ inputSize: 1, hiddenSize: 8, outputSize: 1, seed: 9 }), "real");
    const trainer = createTrainer(model, { learningRate: 0.01, optimizer: "adam" });
    const windows = makeWindows(noisySine(150, 9), { window: 20 });
    const rng = createRng(10);
    const losses: number[] = [];
    for (let i = 0; i < 40; i++) {
      if (i === 20) trainer.setLearningRate(0.003);
      const { xs, ys } = batchTensors(sampleBatch(windows, 8, rng));
      losses.push(await trainer.step(xs, ys));
      tf.dispose([xs, ys]);
    }
    const final = await model.readParams();
    trainer.dispose();
    model.dispose();
    return { losses, final };
  };
  const a = await run();
  const b = await run();
  assert.deepEqual(a.losses, b.losses);
  assert.deepEqual(a.final, b.final);
  assert.ok(a.losses[39]! < a.losses[0]!);
});
