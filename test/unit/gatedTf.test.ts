import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@unrolled/tfjs";
import { createRng } from "../../components/core/random.js";
import { rnnLoss } from "../../components/core/rnn.js";
import { flattenLstm, initLstmParams, lstmForward, type GateParams, type LstmParams } from "../../components/core/lstm.js";
import { flattenGru, gruForward, initGruParams, type GruParams, type ResetPlacement } from "../../components/core/gru.js";
import { recallTask } from "../../components/core/lagTask.js";
import { createTfLstm, packGates, readLstmIntermediates, tfLstmForward, tfLstmLoss, unpackGates } from "../../components/models/lstmTf.js";
import { createTfGru, readGruIntermediates, tfGruForward, tfGruLoss } from "../../components/models/gruTf.js";
import { createVariableTrainer } from "../../components/models/variableTrainer.js";

before(async () => {
  await tf.setBackend("cpu");
});

const f32 = Math.fround;
const roundGate = (g: GateParams): GateParams => ({ W: g.W.map((r) => r.map(f32)), U: g.U.map((r) => r.map(f32)), b: g.b.map(f32) });

function lstmParams(p: number, q: number, k: number, seed: number): LstmParams {
  const params = initLstmParams({ inputSize: p, hiddenSize: q, outputSize: k, seed });
  const rng = createRng(seed + 1);
  for (const g of ["F", "I", "O", "C"] as const) params[g] = roundGate({ ...params[g], b: params[g].b.map((v) => v + 0.4 * rng.normal()) });
  return { ...params, V: params.V.map((r) => r.map(f32)), c: params.c.map(() => f32(0.3 * rng.normal())) };
}

function gruParams(p: number, q: number, k: number, seed: number): GruParams {
  const params = initGruParams({ inputSize: p, hiddenSize: q, outputSize: k, seed });
  const rng = createRng(seed + 1);
  for (const g of ["Z", "R", "H"] as const) params[g] = roundGate({ ...params[g], b: params[g].b.map(() => 0.4 * rng.normal()) });
  return { ...params, bHR: params.bHR.map(() => f32(0.4 * rng.normal())), V: params.V.map((r) => r.map(f32)), c: params.c.map(() => f32(0.3 * rng.normal())) };
}

function inputs(batch: number, T: number, p: number, seed: number): number[][][] {
  const rng = createRng(seed);
  return Array.from({ length: batch }, () => Array.from({ length: T }, () => Array.from({ length: p }, () => f32(rng.normal()))));
}

const maxDiff = (a: number[][][], b: number[][][]) => Math.max(...a.flatMap((m, n) => m.flatMap((r, t) => r.map((v, j) => Math.abs(v - b[n]![t]![j]!)))));

test("LSTM forward matches tfjs-layers LSTM (sigmoid recurrent activation) below 1e-5 on the same weights", async () => {
  const [p, q, k, batch, T] = [3, 5, 2, 3, 12];
  const params = lstmParams(p, q, k, 11);
  const xs = inputs(batch, T, p, 12);
  const layer = tf.layers.lstm({ units: q, recurrentActivation: "sigmoid", returnSequences: true, returnState: true, kernelInitializer: "zeros", recurrentInitializer: "zeros", unitForgetBias: false });
  const x = tf.tensor3d(xs);
  layer.apply(x); // builds the weights
  // tfjs-layers packs the blocks in the order i, f, c, o.
  const packed = packGates(params, ["I", "F", "C", "O"] as const);
  layer.setWeights([tf.tensor2d(packed.Wx), tf.tensor2d(packed.Wh), tf.tensor1d(packed.b)]);
  assert.equal(layer.countParams(), 4 * q * (p + q + 1), "tfjs-layers count = 4q(p+q+1)");
  const [hs, , cLast] = layer.apply(x) as tf.Tensor[];
  const theirs = (await hs!.array()) as number[][][];
  const theirC = (await cLast!.array()) as number[][];
  const model = createTfLstm(params, "real");
  const ours = tfLstmForward(model, x);
  const oursH = (await ours.h.array()) as number[][][];
  const oursC = (await ours.c.array()) as number[][][];
  const diffH = maxDiff(oursH, theirs);
  const diffC = Math.max(...theirC.flatMap((r, n) => r.map((v, j) => Math.abs(v - oursC[n]![T - 1]![j]!))));
  console.log(`LSTM vs tf.layers.lstm: max |Δh| = ${diffH.toExponential(2)}, max |Δc(T)| = ${diffC.toExponential(2)}`);
  assert.ok(diffH < 1e-5, `max |Δh| = ${diffH}`);
  assert.ok(diffC < 1e-5, `max |Δc(T)| = ${diffC}`);
  // And the float64 reference, every gate.
  const ref = xs.map((seq) => lstmForward(params, seq));
  for (const key of ["F", "I", "O", "cTilde", "c", "h"] as const) {
    const got = (await ours[key].array()) as number[][][];
    const d = maxDiff(got, ref.map((r) => r[key]));
    assert.ok(d < 1e-5, `${key}: max |tf − float64| = ${d}`);
  }
  // The weights read back are the ones loaded.
  const back = await model.readParams();
  assert.ok(Math.abs(back.O.W[2]![3]! - params.O.W[2]![3]!) < 1e-7 && back.C.U[4]![1] === params.C.U[4]![1], "readParams unpacks the blocks");
  tf.dispose([x, hs!, cLast!, ...Object.values(ours)]);
  layer.dispose();
  model.dispose();
});

test("GRU (reset before) matches tfjs-layers GRU below 1e-5; reset after matches the float64 reference", async () => {
  const [p, q, k, batch, T] = [2, 4, 3, 3, 10];
  const params = gruParams(p, q, k, 21);
  const xs = inputs(batch, T, p, 22);
  const x = tf.tensor3d(xs);
  const layer = tf.layers.gru({ units: q, recurrentActivation: "sigmoid", returnSequences: true, kernelInitializer: "zeros", recurrentInitializer: "zeros" });
  layer.apply(x);
  const packed = packGates(params, ["Z", "R", "H"] as const); // tfjs-layers order z, r, h
  layer.setWeights([tf.tensor2d(packed.Wx), tf.tensor2d(packed.Wh), tf.tensor1d(packed.b)]);
  assert.equal(layer.countParams(), 3 * q * (p + q + 1), "tfjs-layers count = 3q(p+q+1)");
  const hs = layer.apply(x) as tf.Tensor;
  const theirs = (await hs.array()) as number[][][];
  const model = createTfGru(params, "real", "before");
  const ours = tfGruForward(model, x);
  const diff = maxDiff((await ours.h.array()) as number[][][], theirs);
  console.log(`GRU vs tf.layers.gru: max |Δh| = ${diff.toExponential(2)}`);
  assert.ok(diff < 1e-5, `max |Δh| = ${diff}`);
  const after = createTfGru(params, "real", "after");
  const oursAfter = tfGruForward(after, x);
  for (const [m, out, reset] of [[model, ours, "before"], [after, oursAfter, "after"]] as const) {
    const ref = xs.map((seq) => gruForward(params, seq, { reset }));
    for (const key of ["Z", "R", "hTilde", "h"] as const) {
      const d = maxDiff((await out[key].array()) as number[][][], ref.map((r) => r[key]));
      assert.ok(d < 1e-5, `${reset} ${key}: max |tf − float64| = ${d}`);
    }
    assert.equal(m.reset, reset, "reset placement recorded");
  }
  const gap = maxDiff((await ours.h.array()) as number[][][], (await oursAfter.h.array()) as number[][][]);
  assert.ok(gap > 1e-3, `the placements must give different h on the same weights, gap ${gap}`);
  tf.dispose([x, hs, ...Object.values(ours), ...Object.values(oursAfter)]);
  layer.dispose();
  model.dispose();
  after.dispose();
});

function float64Loss(forward: (seq: number[][]) => number[][], xs: number[][][], targets: number[][]): number {
  return xs.reduce((s, seq, n) => s + rnnLoss("multiclass", forward(seq), targets[n]!).mean, 0) / xs.length;
}

/** Central differences in float64, step 1e-6. */
function finiteDifferences(flat: number[], loss: (v: number[]) => number): number[] {
  const eps = 1e-6;
  return flat.map((_, i) => {
    const plus = flat.slice();
    const minus = flat.slice();
    plus[i]! += eps;
    minus[i]! -= eps;
    return (loss(plus) - loss(minus)) / (2 * eps);
  });
}

function relativeError(a: number[], b: number[]): number {
  let num = 0;
  let den = 0;
  a.forEach((v, i) => {
    num += (v - b[i]!) ** 2;
    den += v * v + b[i]! ** 2;
  });
  return Math.sqrt(num / den);
}

for (const T of [6, 1]) test(`LSTM autodiff gradients match finite differences of the float64 reference (T = ${T})`, async () => {
  const [p, q, k] = [3, 3, 3];
  const params = lstmParams(p, q, k, 31);
  const xs = inputs(2, T, p, 32);
  const rng = createRng(33);
  const targets = xs.map((seq) => seq.map(() => rng.int(k)));
  const model = createTfLstm(params, "multiclass");
  const x = tf.tensor3d(xs);
  const y = tf.tensor2d(targets, undefined, "int32");
  const { grads, value } = tf.variableGrads(() => tfLstmLoss(model, x, y), model.variables);
  const [gWx, gWh, gb, gV, gc] = await Promise.all(model.variables.map((v) => grads[v.name]!.array()));
  const g = { ...unpackGates(gWx as number[][], gWh as number[][], gb as number[], ["F", "I", "O", "C"] as const), V: gV as number[][], c: gc as number[] };
  const auto = flattenLstm(g);
  const flat = flattenLstm(params);
  const { unflattenLstm } = await import("../../components/core/lstm.js");
  const fd = finiteDifferences(flat, (v) => float64Loss((seq) => lstmForward(unflattenLstm(v, params), seq).o, xs, targets));
  const err = relativeError(auto, fd);
  const lossRef = float64Loss((seq) => lstmForward(params, seq).o, xs, targets);
  console.log(`LSTM gradient (T = ${T}): ${flat.length} parameters, relative error ${err.toExponential(2)}`);
  assert.ok(Math.abs((await value.data())[0]! - lossRef) < 1e-5, "loss agrees");
  assert.ok(err < 1e-4, `relative error ${err}`);
  tf.dispose([x, y, value, ...Object.values(grads)]);
  model.dispose();
});

for (const reset of ["before", "after"] as ResetPlacement[]) {
  for (const T of [6, 1]) test(`GRU (reset ${reset}) autodiff gradients match finite differences of the float64 reference (T = ${T})`, async () => {
    const [p, q, k] = [2, 3, 3];
    const params = gruParams(p, q, k, 41);
    const xs = inputs(2, T, p, 42);
    const rng = createRng(43);
    const targets = xs.map((seq) => seq.map(() => rng.int(k)));
    const model = createTfGru(params, "multiclass", reset);
    const x = tf.tensor3d(xs);
    const y = tf.tensor2d(targets, undefined, "int32");
    const { grads, value } = tf.variableGrads(() => tfGruLoss(model, x, y), model.variables);
    const arrays = await Promise.all(model.variables.map((v) => grads[v.name]!.array()));
    const [gWx, gWh, gb] = arrays as [number[][], number[][], number[]];
    const gbHR = reset === "after" ? (arrays[3] as number[]) : params.bHR.map(() => 0);
    const [gV, gc] = arrays.slice(-2) as [number[][], number[]];
    const auto = flattenGru({ ...unpackGates(gWx, gWh, gb, ["Z", "R", "H"] as const), bHR: gbHR, V: gV, c: gc });
    const { unflattenGru } = await import("../../components/core/gru.js");
    const fd = finiteDifferences(flattenGru(params), (v) => float64Loss((seq) => gruForward(unflattenGru(v, params), seq, { reset }).o, xs, targets));
    const err = relativeError(auto, fd);
    console.log(`GRU ${reset} gradient (T = ${T}): relative error ${err.toExponential(2)}`);
    assert.ok(err < 1e-4, `relative error ${err}`);
    if (reset === "before") assert.ok(fd.slice(3 * q * (p + q + 1), 3 * q * (p + q + 1) + q).every((v) => Math.abs(v) < 1e-9), "b_HR has no effect with reset before");
    tf.dispose([x, y, value, ...Object.values(grads)]);
    model.dispose();
  });
}

test("live models' variable sizes add up to 4q(p+q+1) + kq + k and 3q(p+q+1) (+q) + kq + k", () => {
  for (const [p, q, k] of [[5, 8, 5], [3, 16, 1]] as const) {
    const lstm = createTfLstm(initLstmParams({ inputSize: p, hiddenSize: q, outputSize: k, seed: 1 }), "real");
    const size = (m: { variables: tf.Variable[] }) => m.variables.reduce((s, v) => s + v.size, 0);
    assert.equal(size(lstm), 4 * q * (p + q + 1) + k * q + k, `LSTM p=${p} q=${q} k=${k}`);
    assert.equal(lstm.paramCount, size(lstm), "paramCount is the live size");
    const gp = initGruParams({ inputSize: p, hiddenSize: q, outputSize: k, seed: 1 });
    const before = createTfGru(gp, "real", "before");
    const after = createTfGru(gp, "real", "after");
    assert.equal(size(before), 3 * q * (p + q + 1) + k * q + k, "GRU before");
    assert.equal(size(after), 3 * q * (p + q + 1) + q + k * q + k, "GRU after has b_HR");
    assert.equal(before.paramCount, size(before), "GRU paramCount");
    assert.equal(after.paramCount, size(after), "GRU after paramCount");
    for (const m of [lstm, before, after]) m.dispose();
  }
});

test("nudge gradients give ∂L/∂c(t) without changing the forward pass", async () => {
  const task = recallTask({ lag: 8, count: 4, seed: 3 });
  const model = createTfLstm(initLstmParams({ inputSize: task.inputSize, hiddenSize: 4, outputSize: task.outputSize, seed: 2 }), "multiclass");
  const x = tf.tensor3d(task.xs);
  const y = tf.tensor2d(task.targets, undefined, "int32");
  const nudge = tf.zeros([task.length, 4, 4]) as tf.Tensor3D;
  const plain = tfLstmLoss(model, x, y);
  const { value, grad: grads } = tf.valueAndGrad((n: tf.Tensor) => tfLstmLoss(model, x, y, { nudge: n as tf.Tensor3D }))(nudge);
  assert.ok(Math.abs((await plain.data())[0]! - (await value.data())[0]!) < 1e-7, "zero nudge leaves the loss");
  // Finite difference on one entry of the nudge (float32, so a loose tolerance).
  const eps = 1e-2;
  const at = (d: number) => tf.tidy(() => tfLstmLoss(model, x, y, { nudge: tf.add(nudge, tf.mul(tf.oneHot(tf.tensor1d([2 * 16 + 1 * 4 + 3], "int32"), task.length * 16).reshape([task.length, 4, 4]), d)) as tf.Tensor3D }).dataSync()[0]!);
  const fd = (at(eps) - at(-eps)) / (2 * eps);
  const g = (await grads.array()) as number[][][];
  assert.ok(Math.abs(fd - g[2]![1]![3]!) < 1e-3 + 0.02 * Math.abs(fd), `∂L/∂c: autodiff ${g[2]![1]![3]} vs FD ${fd}`);
  tf.dispose([x, y, nudge, plain, value, grads]);
  model.dispose();
});

test("tensors stay flat over 300 training steps of the LSTM and the GRU, with inspection", async () => {
  const task = recallTask({ lag: 6, count: 16, seed: 5 });
  const x = tf.tensor3d(task.xs);
  const y = tf.tensor2d(task.targets, undefined, "int32");
  const lstm = createTfLstm(initLstmParams({ inputSize: task.inputSize, hiddenSize: 6, outputSize: task.outputSize, seed: 1 }), "multiclass");
  const gru = createTfGru(initGruParams({ inputSize: task.inputSize, hiddenSize: 6, outputSize: task.outputSize, seed: 1 }), "multiclass", "after");
  const tl = createVariableTrainer(lstm.variables, { learningRate: 0.02, optimizer: "adam", clipNorm: 5 });
  const tg = createVariableTrainer(gru.variables, { learningRate: 0.02, optimizer: "adam" });
  const first = await tl.step(() => tfLstmLoss(lstm, x, y));
  await tg.step(() => tfGruLoss(gru, x, y));
  const baseline = tf.memory().numTensors;
  let last = first;
  for (let i = 0; i < 300; i++) {
    last = await tl.step(() => tfLstmLoss(lstm, x, y));
    await tg.step(() => tfGruLoss(gru, x, y));
    if (i % 100 === 0) {
      await readLstmIntermediates(lstm, task.xs[0]!);
      await readGruIntermediates(gru, task.xs[0]!);
    }
  }
  assert.equal(tf.memory().numTensors, baseline, "tensor count unchanged");
  assert.ok(last < 0.6 * first, `LSTM loss should fall: ${first} → ${last}`);
  tl.dispose();
  tg.dispose();
  lstm.dispose();
  gru.dispose();
  tf.dispose([x, y]);
});

test("rnnGradNorms (float64 BPTT of the answer-step loss) matches finite differences on h(t)", async () => {
  const { rnnGradNorms } = await import("../../components/examples/lstmMemory.js");
  const { initRnnParams, softmax } = await import("../../components/core/rnn.js");
  const task = recallTask({ lag: 6, count: 3, seed: 4 });
  const params = initRnnParams({ inputSize: task.inputSize, hiddenSize: 4, outputSize: task.outputSize, seed: 6 });
  params.b = [0.1, -0.2, 0.3, 0];
  const q = 4;
  const T = task.length;
  // Answer-step loss (mean over sequences) when h(t) of sequence n is replaced by h + d.
  const lossWith = (t: number, n: number, d: number[]) => {
    let total = 0;
    task.xs.forEach((xs, m) => {
      let h = new Array<number>(q).fill(0);
      for (let s = 0; s < T; s++) {
        h = params.W.map((row, i) => Math.tanh(row.reduce((acc, w, j) => acc + w * h[j]!, params.b[i]!) + params.U[i]!.reduce((acc, u, j) => acc + u * xs[s]![j]!, 0)));
        if (s === t && m === n) h = h.map((v, i) => v + d[i]!);
      }
      const o = params.V.map((row, i) => row.reduce((acc, v, j) => acc + v * h[j]!, params.c[i]!));
      total += -Math.log(softmax(o)[task.answers[m]!]!);
    });
    return total / task.xs.length;
  };
  const norms = rnnGradNorms(params, task);
  for (const t of [0, 3, T - 1]) {
    let sq = 0;
    for (let n = 0; n < task.xs.length; n++) {
      for (let i = 0; i < q; i++) {
        const e = new Array<number>(q).fill(0);
        e[i] = 1e-6;
        const g = (lossWith(t, n, e) - lossWith(t, n, e.map((v) => -v))) / 2e-6;
        sq += g * g;
      }
    }
    const fd = Math.sqrt(sq);
    assert.ok(Math.abs(fd - norms[t]!) < 1e-6 * Math.max(1, fd), `t = ${t}: BPTT ${norms[t]} vs FD ${fd}`);
  }
});

test("memoryTask with its companion RNN keeps the tensor count flat and inspects every gate", async () => {
  const { memoryTask } = await import("../../components/examples/lstmMemory.js");
  for (const kind of ["lstm", "gru"] as const) {
    const task = memoryTask({ kind, lag: 4, hiddenSize: 4, reset: "after" });
    const model = await task.create(1);
    await task.step(model, 0.01);
    await task.inspect!(model);
    const baseline = tf.memory().numTensors;
    for (let i = 0; i < 30; i++) await task.step(model, 0.01);
    const inspection = await task.inspect!(model);
    assert.equal(tf.memory().numTensors, baseline, `${kind}: tensors changed`);
    const keys = kind === "lstm" ? ["F", "I", "O", "cTilde", "c", "h"] : ["Z", "R", "hTilde", "h"];
    assert.deepEqual(Object.keys(inspection.states).sort(), keys.slice().sort(), `${kind}: state keys`);
    assert.equal(inspection.states.h!.length, 5, "T = L + 1 rows");
    assert.equal(inspection.gradNorms.length, 5, "a gradient norm per step");
    assert.ok(inspection.rnn && inspection.rnn.gradNorms.length === 5, "companion RNN inspected");
    assert.equal(inspection.liveParamCount, model.net.paramCount, "live count = formula");
    task.dispose(model);
    assert.ok(tf.memory().numTensors < baseline, `${kind}: dispose frees the model`);
  }
});
