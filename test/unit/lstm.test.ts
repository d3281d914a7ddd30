import assert from "node:assert/strict";
import { test } from "node:test";
import { flattenLstm, initLstmParams, lstmCellParamCount, lstmForward, lstmParamCount, unflattenLstm, type LstmParams } from "../../components/core/lstm.js";

const sig = (z: number) => 1 / (1 + Math.exp(-z));

/** q = 1, p = 1: every weight written out so one step can be computed by hand. */
function scalarParams(): LstmParams {
  const g = (W: number, U: number, b: number) => ({ W: [[W]], U: [[U]], b: [b] });
  return { F: g(0.5, -0.3, 1), I: g(-0.2, 0.8, 0.1), O: g(0.3, 0.4, -0.2), C: g(0.7, -1.1, 0.05), V: [[2]], c: [0.5] };
}

test("one LSTM step matches the equations computed by hand", () => {
  const params = scalarParams();
  const h0 = 0.4;
  const c0 = -0.6;
  const x = 0.9;
  const F = sig(0.5 * h0 - 0.3 * x + 1);
  const I = sig(-0.2 * h0 + 0.8 * x + 0.1);
  const O = sig(0.3 * h0 + 0.4 * x - 0.2);
  const cT = Math.tanh(0.7 * h0 - 1.1 * x + 0.05);
  const c = F * c0 + I * cT;
  const h = O * Math.tanh(c);
  const out = lstmForward(params, [[x]], { h0: [h0], c0: [c0] });
  for (const [name, got, want] of [["F", out.F[0]![0]!, F], ["I", out.I[0]![0]!, I], ["O", out.O[0]![0]!, O], ["c̃", out.cTilde[0]![0]!, cT], ["c", out.c[0]![0]!, c], ["h", out.h[0]![0]!, h], ["o", out.o[0]![0]!, 2 * h + 0.5]] as const) {
    assert.ok(Math.abs(got - want) < 1e-15, `${name}: got ${got}, want ${want}`);
  }
});

test("with F = 1 and I = 0 the cell state is carried unchanged for any number of steps", () => {
  const params = initLstmParams({ inputSize: 2, hiddenSize: 3, outputSize: 1, seed: 4, forgetBias: 40 });
  params.I.b = params.I.b.map(() => -40);
  const xs = Array.from({ length: 50 }, (_, t) => [Math.sin(t), Math.cos(3 * t)]);
  const c0 = [0.7, -0.2, 0.05];
  const out = lstmForward(params, xs, { c0 });
  for (let j = 0; j < 3; j++) assert.ok(Math.abs(out.c[49]![j]! - c0[j]!) < 1e-12, `unit ${j}: c(50) = ${out.c[49]![j]} but c(0) = ${c0[j]}`);
  // ...while with F = 0 the cell forgets c(0) at the first step.
  params.F.b = params.F.b.map(() => -40);
  const forgetting = lstmForward(params, xs, { c0 });
  assert.ok(forgetting.c[0]!.every((v) => Math.abs(v) < 1e-12), `c(1) should be ≈ 0 with F = 0, got ${forgetting.c[0]}`);
});

test("parameter count 4q(p+q+1) equals the number of cell parameters", () => {
  for (const [p, q, k] of [[1, 1, 1], [3, 5, 2], [5, 8, 5]] as const) {
    const params = initLstmParams({ inputSize: p, hiddenSize: q, outputSize: k, seed: 1 });
    const n = flattenLstm(params).length;
    assert.equal(n, lstmParamCount(p, q, k), `p=${p} q=${q} k=${k}`);
    assert.equal(lstmCellParamCount(p, q), 4 * q * (p + q + 1), "cell count formula");
    assert.equal(n - (k * q + k), 4 * q * q + 4 * p * q + 4 * q, `cell part for p=${p} q=${q}`);
  }
});

test("flatten and unflatten are inverse; initialisation is seeded with b_F = forgetBias", () => {
  const a = initLstmParams({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 9, forgetBias: 1.5 });
  const b = initLstmParams({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 9, forgetBias: 1.5 });
  assert.deepEqual(a, b, "same seed, same parameters");
  assert.deepEqual(unflattenLstm(flattenLstm(a), a), a, "round trip");
  assert.deepEqual(a.F.b, [1.5, 1.5, 1.5], "forget bias");
  assert.deepEqual(a.I.b, [0, 0, 0], "input bias");
  assert.throws(() => lstmForward(a, [[1, 2, 3]]), /p = 2/);
});
