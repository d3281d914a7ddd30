import assert from "node:assert/strict";
import { test } from "node:test";
import { createRng, xoshiro128StarStar } from "../../components/core/random.js";

// An independent xoshiro128** in BigInt arithmetic mod 2^32, straight from the reference C.
function referenceXoshiro(seedState: number[]): () => number {
  const M = 0xffffffffn;
  const s = seedState.map(BigInt);
  const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M;
  return () => {
    const result = (rotl((s[1]! * 5n) & M, 7n) * 9n) & M;
    const t = (s[1]! << 9n) & M;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11n);
    return Number(result);
  };
}

test("xoshiro128** matches the reference output and an independent BigInt version", () => {
  const fast = xoshiro128StarStar(new Uint32Array([1, 2, 3, 4]));
  const first = [fast(), fast(), fast(), fast()];
  // Published first outputs of xoshiro128** from the state {1, 2, 3, 4}.
  assert.deepEqual(first, [11520, 0, 5927040, 70819200]);
  for (const state of [[1, 2, 3, 4], [0xdeadbeef, 0x12345678, 0xffffffff, 7]]) {
    const a = xoshiro128StarStar(new Uint32Array(state));
    const b = referenceXoshiro(state);
    for (let i = 0; i < 10000; i++) assert.equal(a(), b());
  }
});

test("same seed gives the same stream; different seeds differ", () => {
  const draw = (seed: number) => {
    const rng = createRng(seed);
    return [rng.uniform(), rng.normal(), rng.int(1000), rng.nextUint32(), rng.uniform()];
  };
  assert.deepEqual(draw(42), draw(42));
  assert.notDeepEqual(draw(42), draw(43));
  assert.notDeepEqual(draw(1), draw(1 + 2 ** 32)); // the high half of the seed matters
  assert.equal(createRng(42).seed, 42);
  // Pinned values: a change here means every seeded example on the site changes.
  const pinned = createRng(2024);
  assert.deepEqual([pinned.nextUint32(), pinned.nextUint32()], pinnedUint32s());
  assert.throws(() => createRng(0.5), /safe integer/);
});

function pinnedUint32s(): number[] {
  // Recomputed from the definition: splitmix32 seeding, then the BigInt reference generator.
  const mix = { z: 2024 >>> 0 };
  const state: number[] = [];
  for (let i = 0; i < 4; i++) {
    mix.z = (mix.z + 0x9e3779b9) >>> 0;
    let z = BigInt(mix.z);
    z = ((z ^ (z >> 16n)) * 0x21f0aaadn) & 0xffffffffn;
    z = ((z ^ (z >> 15n)) * 0x735a2d97n) & 0xffffffffn;
    state.push(Number(z ^ (z >> 15n)));
  }
  const ref = referenceXoshiro(state);
  return [ref(), ref()];
}

test("uniform: range, mean 1/2 and variance 1/12 over 1e5 draws", () => {
  const rng = createRng(7);
  const n = 100000;
  let sum = 0;
  let sumSq = 0;
  let min = 1;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    sum += u;
    sumSq += u * u;
    min = Math.min(min, u);
    max = Math.max(max, u);
  }
  const mean = sum / n;
  const variance = sumSq / n - mean * mean;
  assert.ok(min >= 0 && max < 1);
  // Standard error of the mean is sqrt(1/12 / n) ≈ 0.00091; allow 5 of them.
  assert.ok(Math.abs(mean - 0.5) < 0.0046, `mean ${mean}`);
  // SE of the variance ≈ sqrt((1/80 − 1/144) / n) ≈ 0.00024.
  assert.ok(Math.abs(variance - 1 / 12) < 0.0012, `variance ${variance}`);
});

test("normal: mean 0, variance 1, kurtosis 3 over 1e5 draws", () => {
  const rng = createRng(11);
  const n = 100000;
  let s1 = 0;
  let s2 = 0;
  let s4 = 0;
  let beyond2 = 0;
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    s1 += z;
    s2 += z * z;
    s4 += z ** 4;
    if (Math.abs(z) > 2) beyond2++;
  }
  const mean = s1 / n;
  const variance = s2 / n - mean * mean;
  assert.ok(Math.abs(mean) < 0.016, `mean ${mean}`); // SE 0.0032
  assert.ok(Math.abs(variance - 1) < 0.023, `variance ${variance}`); // SE ≈ 0.0045
  assert.ok(Math.abs(s4 / n - 3) < 0.12, `fourth moment ${s4 / n}`); // SE ≈ 0.03
  // P(|Z| > 2) = 0.0455
  assert.ok(Math.abs(beyond2 / n - 0.0455) < 0.0033, `tail ${beyond2 / n}`);
});

test("int(n) is uniform over 0..n−1 and rejects bad n", () => {
  const rng = createRng(3);
  const counts = new Array(7).fill(0);
  const n = 70000;
  for (let i = 0; i < n; i++) counts[rng.int(7)]++;
  // Chi-square with 6 degrees of freedom; 22.46 is the 0.999 quantile.
  const chi2 = counts.reduce((s, c) => s + (c - n / 7) ** 2 / (n / 7), 0);
  assert.ok(chi2 < 22.46, `chi-square ${chi2}`);
  assert.equal(rng.int(1), 0);
  assert.throws(() => rng.int(0), /1 ≤ n/);
  assert.throws(() => rng.int(2.5), /integer n/);
});

test("shuffle is an in-place permutation, deterministic per seed, and every order occurs", () => {
  const a = Array.from({ length: 50 }, (_, i) => i);
  const out = createRng(5).shuffle(a);
  assert.equal(out, a);
  assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  assert.notDeepEqual(a, Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(createRng(5).shuffle(Array.from({ length: 50 }, (_, i) => i)), a);

  // All 6 orders of 3 items, each with frequency near 1/6.
  const rng = createRng(9);
  const counts = new Map<string, number>();
  const n = 60000;
  for (let i = 0; i < n; i++) {
    const key = rng.shuffle([0, 1, 2]).join("");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.equal(counts.size, 6);
  for (const c of counts.values()) assert.ok(Math.abs(c / n - 1 / 6) < 0.008, `frequency ${c / n}`);
});
