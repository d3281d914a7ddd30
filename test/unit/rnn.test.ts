import assert from "node:assert/strict";
import { test } from "node:test";
import { matMul, transpose } from "../../components/core/linalg.js";
import {
  initRnnParams,
  logSumExp,
  rnnForward,
  rnnLoss,
  rnnParamCount,
  sigmoid,
  softmax,
  type RnnParams,
} from "../../components/core/rnn.js";

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

// One unit everywhere: W = [w], U = [u], b, V = [v], c.
const scalarRnn = (w: number, u: number, b: number, v: number, c: number): RnnParams => ({
  W: [[w]],
  U: [[u]],
  b: [b],
  V: [[v]],
  c: [c],
});

test("one-unit RNN by hand: h1 = tanh(u x1 + b), h2 = tanh(w h1 + u x2 + b), o = v h + c", () => {
  const [w, u, b, v, c] = [0.5, 2, 0.1, -1.5, 0.3];
  const xs = [[0.2], [-0.4], [1]];
  const out = rnnForward(scalarRnn(w, u, b, v, c), xs);
  // h1 = tanh(2·0.2 + 0.1) = tanh(0.5)
  close(out.h[0]![0]!, 0.46211715726000974, 1e-15);
  const h1 = Math.tanh(0.5);
  const h2 = Math.tanh(w * h1 + u * -0.4 + b);
  const h3 = Math.tanh(w * h2 + u * 1 + b);
  close(out.a[1]![0]!, w * h1 - 0.8 + b);
  close(out.h[1]![0]!, h2);
  close(out.h[2]![0]!, h3);
  close(out.o[2]![0]!, v * h3 + c);
  assert.deepEqual(out.yhat, out.o); // real head
  assert.deepEqual(out.h0, [0]);
  // With h0 = 0.7 the first pre-activation gains w·0.7.
  close(rnnForward(scalarRnn(w, u, b, v, c), xs, [0.7]).a[0]![0]!, 0.5 + w * 0.7);
});

test("two hidden units: matches a written-out matrix computation", () => {
  const params: RnnParams = {
    W: [[0.1, -0.2], [0.3, 0.4]],
    U: [[1, 0.5, -1], [0, 2, 0.25]],
    b: [0.05, -0.1],
    V: [[1, -1]],
    c: [0.2],
  };
  const x = [0.3, -0.2, 0.4];
  const h0 = [0.5, -0.5];
  const a0 = 0.1 * 0.5 - 0.2 * -0.5 + (0.3 - 0.1 - 0.4) + 0.05; // row 0 of W h0 + U x + b
  const a1 = 0.3 * 0.5 + 0.4 * -0.5 + (0 - 0.4 + 0.1) - 0.1;
  const out = rnnForward(params, [x], h0);
  close(out.a[0]![0]!, a0);
  close(out.a[0]![1]!, a1);
  close(out.o[0]![0]!, Math.tanh(a0) - Math.tanh(a1) + 0.2);
});

test("parameter count q² + qp + q + kq + k, independent of T", () => {
  assert.equal(rnnParamCount(1, 1, 1), 5);
  assert.equal(rnnParamCount(3, 5, 2), 25 + 15 + 5 + 10 + 2);
  const params = initRnnParams({ inputSize: 3, hiddenSize: 5, outputSize: 2, seed: 1 });
  const entries = params.W.flat().length + params.U.flat().length + params.b.length + params.V.flat().length + params.c.length;
  assert.equal(entries, 57);
});

test("initialisation: deterministic, shapes, schemes and scaling", () => {
  const sizes = { inputSize: 2, hiddenSize: 6, outputSize: 3 };
  const a = initRnnParams({ ...sizes, seed: 4 });
  assert.deepEqual(a, initRnnParams({ ...sizes, seed: 4 }));
  assert.notDeepEqual(a, initRnnParams({ ...sizes, seed: 5 }));
  assert.equal(a.U.length, 6);
  assert.equal(a.U[0]!.length, 2);
  assert.equal(a.V.length, 3);
  assert.ok(a.b.every((v) => v === 0) && a.c.every((v) => v === 0));
  const rU = Math.sqrt(6 / (2 + 6));
  assert.ok(a.U.flat().every((v) => Math.abs(v) <= rU));
  assert.ok(a.W.flat().every((v) => Math.abs(v) <= Math.sqrt(6 / 12)));

  const orth = initRnnParams({ ...sizes, seed: 4, scheme: "orthogonal", recurrentScale: 0.9 });
  const gram = matMul(transpose(orth.W), orth.W); // = 0.81 I
  gram.forEach((row, i) => row.forEach((v, j) => close(v, i === j ? 0.81 : 0, 1e-12)));
  const ident = initRnnParams({ ...sizes, seed: 4, scheme: "identity", recurrentScale: 0.5 });
  ident.W.forEach((row, i) => row.forEach((v, j) => assert.equal(v, i === j ? 0.5 : 0)));

  // Glorot variance 2 / (fan_in + fan_out) = 1/64 for a 64×64 matrix (SE of the estimate ≈ 0.00022).
  const big = initRnnParams({ inputSize: 1, hiddenSize: 64, outputSize: 1, seed: 2 });
  const w = big.W.flat();
  const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
  assert.ok(Math.abs(variance - 1 / 64) < 0.001, `variance ${variance}`);
  assert.throws(() => initRnnParams({ ...sizes, hiddenSize: 0, seed: 1 }), /hiddenSize must be a positive integer/);
});

test("shape errors are specific", () => {
  const params = scalarRnn(0.5, 1, 0, 1, 0);
  assert.throws(() => rnnForward(params, [[1], [2], [3], [4, 5]]), {
    message: "xs[3] has 2 values but the RNN expects p = 1 input.",
  });
  assert.throws(() => rnnForward(params, [[1]], [0, 0]), /h0 has 2 values but the RNN has q = 1 hidden units/);
  assert.throws(() => rnnForward({ ...params, W: [[1, 2]] }, [[1]]), /W\[0\] must have 1 column/);
  assert.throws(() => rnnForward({ ...params, b: [0, 0] }, [[1]]), /b must have q = 1 values but has 2/);
  assert.throws(() => rnnForward({ ...params, c: [] }, [[1]]), /c must have k = 1 values but has 0/);
  const twoOut = { ...params, V: [[1], [2]], c: [0, 0] };
  assert.throws(() => rnnForward(twoOut, [[1]], undefined, "binary"), /binary head needs k = 1/);
  assert.throws(() => rnnForward(params, [[1]], undefined, "multiclass"), /multiclass head needs k ≥ 2/);
  assert.throws(() => rnnLoss("multiclass", [[0, 1]], [2]), /targets\[0\] must be a class index in 0..1/);
  assert.throws(() => rnnLoss("real", [[0], [1]], [[1]]), /2 output steps but 1 targets/);
  assert.throws(() => rnnLoss("real", [[0, 1]], [[1]]), /targets\[0\] has 1 value but the outputs have k = 2/);
  assert.throws(() => rnnLoss("binary", [[0]], [[2]]), /binary targets must lie in \[0, 1\]/);
  assert.deepEqual(rnnForward(params, []).h, []);
});

test("real head: per-step mean squared error (1/k) Σ (o − y)², averaged over t", () => {
  const o = [[1, 2], [0.5, -1], [3, 3]];
  const y = [[0, 2], [1, 1], [2, 5]];
  const { perStep, mean } = rnnLoss("real", o, y);
  assert.deepEqual(perStep, [(1 + 0) / 2, (0.25 + 4) / 2, (1 + 4) / 2]);
  close(mean, (0.5 + 2.125 + 2.5) / 3);
  assert.deepEqual(rnnLoss("real", [[1], [2]], [0, 0]).perStep, [1, 4]); // k = 1 accepts plain numbers
});

test("binary head: stable form equals −y log σ(o) − (1 − y) log(1 − σ(o))", () => {
  const logits = [-3, -0.2, 0, 0.7, 4];
  const targets = [0, 1, 1, 0, 0.3];
  const { perStep, mean } = rnnLoss("binary", logits.map((z) => [z]), targets.map((y) => [y]));
  logits.forEach((z, t) => {
    const p = 1 / (1 + Math.exp(-z));
    const y = targets[t]!;
    close(perStep[t]!, -y * Math.log(p) - (1 - y) * Math.log(1 - p), 1e-14);
  });
  close(mean, perStep.reduce((s, v) => s + v, 0) / 5);
  const yhat = rnnForward(scalarRnn(0, 1, 0, 2, 0.5), [[1]], undefined, "binary").yhat[0]![0]!;
  close(yhat, 1 / (1 + Math.exp(-(2 * Math.tanh(1) + 0.5))), 1e-15);
});

test("multiclass head: ℓ = −log softmax(o)_y against the direct formula", () => {
  const o = [[1, 2, 3], [0.1, -0.4, 0.2], [5, 1, 1]];
  const y = [2, 0, 1];
  const { perStep } = rnnLoss("multiclass", o, y);
  o.forEach((row, t) => {
    const z = row.reduce((s, v) => s + Math.exp(v), 0);
    close(perStep[t]!, -Math.log(Math.exp(row[y[t]!]!) / z), 1e-14);
  });
  const probs = softmax([1, 2, 3]);
  close(probs.reduce((s, v) => s + v, 0), 1, 1e-15);
  close(probs[2]!, Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), 1e-15);
});

test("large logits (±1000) stay finite and exact", () => {
  assert.equal(sigmoid(1000), 1);
  assert.equal(sigmoid(-1000), 0);
  assert.deepEqual(rnnLoss("binary", [[1000], [1000], [-1000], [-1000]], [1, 0, 1, 0]).perStep, [0, 1000, 1000, 0]);
  close(logSumExp([1000, 1000]), 1000 + Math.LN2, 1e-12);
  assert.deepEqual(rnnLoss("multiclass", [[1000, 0, -1000]], [1]).perStep, [1000]);
  assert.deepEqual(rnnLoss("multiclass", [[1000, 0, -1000]], [0]).perStep, [0]);
  const p = softmax([1000, 999]);
  close(p[0]!, 1 / (1 + Math.exp(-1)), 1e-15);
  assert.ok(p.every(Number.isFinite));
  // A naive exp(1000) overflows: the reason for the stable forms.
  assert.equal(Math.exp(1000), Infinity);
});
