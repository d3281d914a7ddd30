import assert from "node:assert/strict";
import { test } from "node:test";
import { flattenGru, flipUpdateGate, gruCellParamCount, gruForward, gruParamCount, gruStep, initGruParams, unflattenGru, type GruParams } from "../../components/core/gru.js";
import { rnnForward } from "../../components/core/rnn.js";
import { createRng } from "../../components/core/random.js";

const sig = (z: number) => 1 / (1 + Math.exp(-z));

function randomGru(p: number, q: number, k: number, seed: number): GruParams {
  const params = initGruParams({ inputSize: p, hiddenSize: q, outputSize: k, seed });
  const rng = createRng(seed + 77);
  for (const g of ["Z", "R", "H"] as const) params[g].b = params[g].b.map(() => 0.5 * rng.normal());
  params.bHR = params.bHR.map(() => 0.5 * rng.normal());
  return params;
}

test("one GRU step, reset before and after the recurrent product, matches hand computation (q = 2)", () => {
  const params: GruParams = {
    Z: { W: [[0.2, -0.1], [0.3, 0.4]], U: [[0.5], [-0.6]], b: [0.1, -0.2] },
    R: { W: [[-0.3, 0.2], [0.1, 0.6]], U: [[0.7], [0.2]], b: [0, 0.3] },
    H: { W: [[0.9, -0.4], [0.5, 0.8]], U: [[-1.2], [0.4]], b: [0.05, -0.1] },
    bHR: [0.25, -0.35],
    V: [[1, 1]],
    c: [0],
  };
  const h = [0.6, -0.4];
  const x = [0.8];
  const Z = [sig(0.2 * 0.6 - 0.1 * -0.4 + 0.5 * 0.8 + 0.1), sig(0.3 * 0.6 + 0.4 * -0.4 - 0.6 * 0.8 - 0.2)];
  const R = [sig(-0.3 * 0.6 + 0.2 * -0.4 + 0.7 * 0.8), sig(0.1 * 0.6 + 0.6 * -0.4 + 0.2 * 0.8 + 0.3)];
  const rh = [R[0]! * 0.6, R[1]! * -0.4];
  const before = [Math.tanh(0.9 * rh[0]! - 0.4 * rh[1]! - 1.2 * 0.8 + 0.05), Math.tanh(0.5 * rh[0]! + 0.8 * rh[1]! + 0.4 * 0.8 - 0.1)];
  const after = [
    Math.tanh(-1.2 * 0.8 + 0.05 + R[0]! * (0.9 * 0.6 - 0.4 * -0.4 + 0.25)),
    Math.tanh(0.4 * 0.8 - 0.1 + R[1]! * (0.5 * 0.6 + 0.8 * -0.4 - 0.35)),
  ];
  for (const [reset, cand] of [["before", before], ["after", after]] as const) {
    const s = gruStep(params, h, x, reset);
    for (let j = 0; j < 2; j++) {
      const hj = Z[j]! * h[j]! + (1 - Z[j]!) * cand[j]!;
      assert.ok(Math.abs(s.hTilde[j]! - cand[j]!) < 1e-15, `${reset} h̃_${j}: ${s.hTilde[j]} vs ${cand[j]}`);
      assert.ok(Math.abs(s.h[j]! - hj) < 1e-15, `${reset} h_${j}: ${s.h[j]} vs ${hj}`);
      assert.ok(Math.abs(s.Z[j]! - Z[j]!) < 1e-15 && Math.abs(s.R[j]! - R[j]!) < 1e-15, `${reset} gates ${j}`);
    }
  }
  const gap = Math.abs(gruStep(params, h, x, "before").h[0]! - gruStep(params, h, x, "after").h[0]!);
  assert.ok(gap > 1e-3, `the two placements should differ on the same weights, gap ${gap}`);
});

/**
 * PyTorch's nn.GRU, as documented: weights stacked as rows in the order r, z, n;
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
 *   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),  h' = (1 − z) ⊙ n + z ⊙ h.
 */
function torchGruStep(wIh: number[][], wHh: number[][], bIh: number[], bHh: number[], h: number[], x: number[]): number[] {
  const q = h.length;
  const lin = (w: number[][], b: number[], v: number[], block: number) =>
    Array.from({ length: q }, (_, i) => w[block * q + i]!.reduce((s, wij, j) => s + wij * v[j]!, b[block * q + i]!));
  const r = lin(wIh, bIh, x, 0).map((a, i) => sig(a + lin(wHh, bHh, h, 0)[i]!));
  const z = lin(wIh, bIh, x, 1).map((a, i) => sig(a + lin(wHh, bHh, h, 1)[i]!));
  const n = lin(wIh, bIh, x, 2).map((a, i) => Math.tanh(a + r[i]! * lin(wHh, bHh, h, 2)[i]!));
  return h.map((hv, i) => (1 - z[i]!) * n[i]! + z[i]! * hv);
}

test("reset-after reproduces PyTorch's GRU equations from PyTorch-layout weights", () => {
  const p = 3;
  const q = 4;
  const rng = createRng(5);
  const mat = (r: number, c: number) => Array.from({ length: r }, () => Array.from({ length: c }, () => rng.normal() * 0.5));
  const wIh = mat(3 * q, p);
  const wHh = mat(3 * q, q);
  const bIh = mat(1, 3 * q)[0]!;
  const bHh = mat(1, 3 * q)[0]!;
  const rows = (m: number[][], block: number) => m.slice(block * q, (block + 1) * q);
  const bias = (b: number[], block: number) => b.slice(block * q, (block + 1) * q);
  const add = (a: number[], b: number[]) => a.map((v, i) => v + b[i]!);
  // Map: r is block 0, z block 1, n block 2; the recurrent biases of r and z fold into b_R, b_Z.
  const params: GruParams = {
    R: { W: rows(wHh, 0), U: rows(wIh, 0), b: add(bias(bIh, 0), bias(bHh, 0)) },
    Z: { W: rows(wHh, 1), U: rows(wIh, 1), b: add(bias(bIh, 1), bias(bHh, 1)) },
    H: { W: rows(wHh, 2), U: rows(wIh, 2), b: bias(bIh, 2) },
    bHR: bias(bHh, 2),
    V: [[1, 0, 0, 0]],
    c: [0],
  };
  let hTorch = [0.1, -0.2, 0.3, 0];
  const xs = Array.from({ length: 6 }, () => Array.from({ length: p }, () => rng.normal()));
  const ours = gruForward(params, xs, { reset: "after", h0: hTorch });
  let worst = 0;
  xs.forEach((x, t) => {
    hTorch = torchGruStep(wIh, wHh, bIh, bHh, hTorch, x);
    hTorch.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - ours.h[t]![i]!))));
  });
  assert.ok(worst < 1e-14, `max |h_ours − h_torch| = ${worst}`);
});

test("the two update-gate conventions are the same model with Z's parameters negated", () => {
  const params = randomGru(2, 3, 1, 3);
  const xs = Array.from({ length: 8 }, (_, t) => [Math.sin(t), t / 8]);
  for (const reset of ["before", "after"] as const) {
    const keep = gruForward(params, xs, { reset, update: "keep" });
    const take = gruForward(flipUpdateGate(params), xs, { reset, update: "take" });
    const diff = Math.max(...keep.h.flatMap((r, t) => r.map((v, j) => Math.abs(v - take.h[t]![j]!))));
    assert.ok(diff < 1e-15, `${reset}: max difference ${diff}`);
    const same = gruForward(params, xs, { reset, update: "take" });
    const differ = Math.max(...keep.h.flatMap((r, t) => r.map((v, j) => Math.abs(v - same.h[t]![j]!))));
    assert.ok(differ > 1e-3, `${reset}: the conventions must differ on the same weights (${differ})`);
  }
});

test("with Z = 0 and R = 1 the GRU is the vanilla RNN h = tanh(W_H h + U_H x + b_H)", () => {
  const params = randomGru(2, 3, 2, 8);
  params.Z.b = params.Z.b.map(() => -60); // Z ≈ 0: take the candidate entirely
  params.R.b = params.R.b.map(() => 60); // R ≈ 1: the whole previous state enters the candidate
  const xs = Array.from({ length: 10 }, (_, t) => [Math.cos(t), 0.3 * t - 1]);
  const gru = gruForward(params, xs, { reset: "before" });
  const rnn = rnnForward({ W: params.H.W, U: params.H.U, b: params.H.b, V: params.V, c: params.c }, xs);
  const diff = Math.max(...gru.h.flatMap((r, t) => r.map((v, j) => Math.abs(v - rnn.h[t]![j]!))));
  assert.ok(diff < 1e-12, `max |h_GRU − h_RNN| = ${diff}`);
});

test("parameter counts 3q(p+q+1), plus q for b_HR with reset after", () => {
  for (const [p, q, k] of [[1, 1, 1], [3, 5, 2]] as const) {
    const params = initGruParams({ inputSize: p, hiddenSize: q, outputSize: k, seed: 2 });
    assert.equal(gruCellParamCount(p, q), 3 * q * (p + q + 1), "formula");
    assert.equal(flattenGru(params).length, gruParamCount(p, q, k, "after"), "flat length counts b_HR");
    assert.equal(gruParamCount(p, q, k, "before"), 3 * q * q + 3 * p * q + 3 * q + k * q + k, "before");
    assert.deepEqual(unflattenGru(flattenGru(params), params), params, "round trip");
  }
});
