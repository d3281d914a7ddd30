import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@unrolled/tfjs";
import { rnnBackward, truncatedBackward, type RnnGradients } from "../../components/core/bptt.js";
import { clipByGlobalNorm } from "../../components/core/clip.js";
import { addingTask, recallTask } from "../../components/core/lagTask.js";
import { createRng } from "../../components/core/random.js";
import { initRnnParams, rnnForward, type Head, type RnnParams } from "../../components/core/rnn.js";
import { clipByGlobalNormTf } from "../../components/models/clipTf.js";
import { createTfRnn, tfRnnLoss } from "../../components/models/rnnTf.js";

before(async () => {
  await tf.setBackend("cpu");
});

const HEADS: Head[] = ["real", "binary", "multiclass"];
const PARAM_NAMES = ["W", "U", "b", "V", "c"] as const;
const f32 = Math.fround;

/** Random parameters rounded to float32, so tfjs and the float64 reference start from the same point. */
function float32Params(p: number, q: number, k: number, seed: number, scale: number): RnnParams {
  const params = initRnnParams({ inputSize: p, hiddenSize: q, outputSize: k, seed, scheme: "orthogonal", recurrentScale: scale });
  const rng = createRng(seed + 5);
  return {
    W: params.W.map((r) => r.map(f32)),
    U: params.U.map((r) => r.map(f32)),
    b: params.b.map(() => f32(0.3 * rng.normal())),
    V: params.V.map((r) => r.map(f32)),
    c: params.c.map(() => f32(0.3 * rng.normal())),
  };
}

function randomTargets(head: Head, T: number, k: number, seed: number): number[][] | number[] {
  const rng = createRng(seed);
  if (head === "multiclass") return Array.from({ length: T }, () => rng.int(k));
  return Array.from({ length: T }, () => Array.from({ length: k }, () => f32(head === "binary" ? rng.int(2) : rng.normal())));
}

/** tf.variableGrads of tfRnnLoss (mean over batch and time) for a batch of sequences, read back as float64 arrays. */
async function tfGradients(params: RnnParams, head: Head, xs: number[][][], ys: Array<number[][] | number[]>): Promise<RnnGradients> {
  const model = createTfRnn(params, head);
  const x = tf.tensor3d(xs);
  const y = head === "multiclass" ? tf.tensor2d(ys as number[][], undefined, "int32") : tf.tensor3d(ys as number[][][]);
  const { value, grads } = tf.variableGrads(() => tfRnnLoss(model, x, y), model.variables);
  const arrays = await Promise.all(model.variables.map((v) => grads[v.name]!.array()));
  tf.dispose([x, y, value, ...Object.values(grads)]);
  model.dispose();
  const [W, U, b, V, c] = arrays as [number[][], number[][], number[], number[][], number[]];
  return { W, U, b, V, c };
}

/** The float64 reference: the mean over the batch of rnnBackward's per-sequence gradients. */
function referenceGradients(params: RnnParams, head: Head, xs: number[][][], ys: Array<number[][] | number[]>): RnnGradients {
  const all = xs.map((x, n) => rnnBackward(params, rnnForward(params, x, undefined, head), ys[n]!, head, x).grads);
  const mean = (pick: (g: RnnGradients) => number[][]) =>
    pick(all[0]!).map((row, i) => row.map((_, j) => all.reduce((s, g) => s + pick(g)[i]![j]!, 0) / all.length));
  return { W: mean((g) => g.W), U: mean((g) => g.U), b: mean((g) => [g.b])[0]!, V: mean((g) => g.V), c: mean((g) => [g.c])[0]! };
}

interface Agreement {
  /** max over parameters of ‖g_tf − g‖ / ‖g‖. */
  normwise: number;
  /** max over entries of |g_tf − g| / max(|g_i|, 0.01 · max_j |g_j|), j over the same parameter array. */
  entrywise: number;
}

/**
 * float32 rounding errors scale with the sizes of the terms summed, not with the
 * (possibly cancelled) result, so an entry is compared relative to itself or, if it is
 * tiny, to 1 % of the largest entry of the same parameter.
 */
function agreement(got: RnnGradients, want: RnnGradients): Agreement {
  let normwise = 0;
  let entrywise = 0;
  for (const name of PARAM_NAMES) {
    const a = [got[name]].flat(2) as number[];
    const b = [want[name]].flat(2) as number[];
    assert.equal(a.length, b.length, name);
    const largest = Math.max(...b.map(Math.abs));
    let diff = 0;
    let size = 0;
    a.forEach((v, i) => {
      diff += (v - b[i]!) ** 2;
      size += b[i]! ** 2;
      entrywise = Math.max(entrywise, Math.abs(v - b[i]!) / Math.max(Math.abs(b[i]!), 0.01 * largest));
    });
    normwise = Math.max(normwise, Math.sqrt(diff / size));
  }
  return { normwise, entrywise };
}

test("rnnBackward equals tfjs autodiff of tfRnnLoss in float32: 30 seeds × every head", async () => {
  const report: string[] = [];
  let worst: Agreement = { normwise: 0, entrywise: 0 };
  for (const head of HEADS) {
    let worstHead: Agreement = { normwise: 0, entrywise: 0 };
    for (let seed = 1; seed <= 30; seed++) {
      const k = head === "binary" ? 1 : 4;
      const T = 6 + (seed % 15);
      const params = float32Params(3, 6, k, seed, 0.8 + 0.02 * seed); // W from contracting to expanding
      const rng = createRng(seed);
      const xs = [Array.from({ length: T }, () => Array.from({ length: 3 }, () => f32(rng.normal())))];
      const ys = [randomTargets(head, T, k, seed + 100)];
      const a = agreement(await tfGradients(params, head, xs, ys), referenceGradients(params, head, xs, ys));
      worstHead = { normwise: Math.max(worstHead.normwise, a.normwise), entrywise: Math.max(worstHead.entrywise, a.entrywise) };
    }
    report.push(`${head} normwise ${worstHead.normwise.toExponential(2)} entrywise ${worstHead.entrywise.toExponential(2)}`);
    worst = { normwise: Math.max(worst.normwise, worstHead.normwise), entrywise: Math.max(worst.entrywise, worstHead.entrywise) };
  }
  console.log(`rnnBackward vs tf.variableGrads (float32), worst: ${report.join("; ")}`);
  assert.ok(worst.entrywise < 1e-4, `entrywise ${worst.entrywise}`);
  assert.ok(worst.normwise < 1e-5, `normwise ${worst.normwise}`);
});

test("a batch: the tf gradient of the batch mean is the mean of the per-sequence rnnBackward gradients", async () => {
  for (const head of HEADS) {
    const k = head === "binary" ? 1 : 3;
    const params = float32Params(2, 5, k, 40, 1);
    const rng = createRng(41);
    const xs = Array.from({ length: 4 }, () => Array.from({ length: 10 }, () => [f32(rng.normal()), f32(rng.normal())]));
    const ys = xs.map((_, n) => randomTargets(head, 10, k, 50 + n));
    const a = agreement(await tfGradients(params, head, xs, ys), referenceGradients(params, head, xs, ys));
    assert.ok(a.entrywise < 1e-4, `${head}: ${a.entrywise}`);
  }
});

test("the comparison is sensitive: a gradient without the Wᵀ term of the recursion is caught", async () => {
  // Truncated BPTT with k1 = k2 = 1 is BPTT with ∂L/∂h(t) = Vᵀ ∂L/∂o(t) only.
  const params = float32Params(3, 6, 4, 7, 1);
  const rng = createRng(7);
  const xs = [Array.from({ length: 10 }, () => [f32(rng.normal()), f32(rng.normal()), f32(rng.normal())])];
  const ys = [randomTargets("multiclass", 10, 4, 8)];
  const cache = rnnForward(params, xs[0]!, undefined, "multiclass");
  const cut = truncatedBackward(params, cache, ys[0]!, "multiclass", { k1: 1, k2: 1 }, xs[0]!).grads;
  const a = agreement(await tfGradients(params, "multiclass", xs, ys), cut);
  assert.ok(a.entrywise > 1e-2, `${a.entrywise}`);
});

test("the lag tasks feed tfRnnLoss directly, and tf and float64 gradients agree on them", async () => {
  const recall = recallTask({ lag: 12, count: 3, seed: 1, alphabetSize: 4 });
  const adding = addingTask({ lag: 12, count: 3, seed: 1 });
  for (const task of [recall, adding]) {
    const params = float32Params(task.inputSize, 8, task.outputSize, 3, 1);
    const xs = task.xs.map((s) => s.map((x) => x.map(f32)));
    const ys = task.targets.map((s) => (s as Array<number | number[]>).map((y) => (Array.isArray(y) ? y.map(f32) : y))) as Array<number[][] | number[]>;
    const a = agreement(await tfGradients(params, task.head, xs, ys), referenceGradients(params, task.head, xs, ys));
    assert.ok(a.entrywise < 1e-4, `${task.kind}: ${a.entrywise}`);
  }
});

test("clipByGlobalNormTf matches the float64 clip, caps the norm and keeps the direction", async () => {
  const grads: [number[][], number[]] = [[[3, -1], [2, 0.5]], [4, -2]];
  const tensors = [tf.tensor2d(grads[0]), tf.tensor1d(grads[1])];
  const before = tf.memory().numTensors;
  for (const maxNorm of [1, 100]) {
    const out = clipByGlobalNormTf(tensors, maxNorm);
    const want = clipByGlobalNorm(grads, maxNorm);
    assert.ok(Math.abs((await out.norm.data())[0]! - want.norm) < 1e-5, "Math.abs((await out.norm.data())[0]! - want.norm) < 1e-5");
    assert.ok(Math.abs((await out.scale.data())[0]! - want.scale) < 1e-6, "Math.abs((await out.scale.data())[0]! - want.scale) < 1e-6");
    const got0 = (await out.clipped[0]!.array()) as number[][];
    const got1 = (await out.clipped[1]!.array()) as number[];
    got0.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - want.clipped[0][i]![j]!) < 1e-6, "Math.abs(v - want.clipped[0][i]![j]!) < 1e-6")));
    got1.forEach((v, i) => assert.ok(Math.abs(v - want.clipped[1][i]!) < 1e-6, "Math.abs(v - want.clipped[1][i]!) < 1e-6"));
    const after = Math.hypot(...got0.flat(), ...got1);
    assert.ok(Math.abs(after - Math.min(maxNorm, want.norm)) < 1e-5, "Math.abs(after - Math.min(maxNorm, want.norm)) < 1e-5");
    tf.dispose([out.norm, out.scale, ...out.clipped]);
  }
  assert.equal(tf.memory().numTensors, before, "only the returned tensors are kept");
  assert.throws(() => clipByGlobalNormTf(tensors, -1), /maxNorm must be a positive number/);
  tf.dispose(tensors);
});
