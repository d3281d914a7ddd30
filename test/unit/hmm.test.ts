import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  baumWelch,
  decodeSymbols,
  encodeText,
  hmmBackward,
  hmmExpectedCounts,
  hmmForward,
  hmmForwardUnnormalised,
  hmmLogLikelihood,
  hmmLogLikelihoodLogSpace,
  hmmPosteriors,
  normaliseText,
  randomHmmParams,
  sampleHMM,
  TEXT_ALPHABET,
  validateHmmParams,
  validateSymbols,
  viterbi,
  type HmmParams,
} from "../../components/core/hmm.js";
import { createRng } from "../../components/core/random.js";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (|diff| = ${Math.abs(a - b)} > ${tol})`);

// ---------------------------------------------------------------------------------------
// Brute force over all K^T state paths: p(z, x) = π_{z1} C[x1][z1] Π_t P[z(t−1)][z(t)] C[x(t)][z(t)].

function* allPaths(K: number, T: number): Generator<number[]> {
  const z = new Array<number>(T).fill(0);
  for (;;) {
    yield z.slice();
    let t = T - 1;
    while (t >= 0 && z[t] === K - 1) z[t--] = 0;
    if (t < 0) return;
    z[t]!++;
  }
}

function jointProbability(params: HmmParams, z: number[], xs: number[]): number {
  let p = params.pi[z[0]!]! * params.C[xs[0]!]![z[0]!]!;
  for (let t = 1; t < xs.length; t++) p *= params.P[z[t - 1]!]![z[t]!]! * params.C[xs[t]!]![z[t]!]!;
  return p;
}

interface BruteForce {
  likelihood: number;
  gamma: number[][];
  xi: number[][][];
  best: { path: number[]; joint: number };
}

function bruteForce(params: HmmParams, xs: number[]): BruteForce {
  const K = params.pi.length;
  const T = xs.length;
  let likelihood = 0;
  const gamma = Array.from({ length: T }, () => new Array<number>(K).fill(0));
  const xi = Array.from({ length: T - 1 }, () => Array.from({ length: K }, () => new Array<number>(K).fill(0)));
  let best = { path: [] as number[], joint: -1 };
  for (const z of allPaths(K, T)) {
    const p = jointProbability(params, z, xs);
    likelihood += p;
    z.forEach((k, t) => (gamma[t]![k]! += p));
    for (let t = 0; t + 1 < T; t++) xi[t]![z[t]!]![z[t + 1]!]! += p;
    if (p > best.joint) best = { path: z, joint: p };
  }
  return {
    likelihood,
    gamma: gamma.map((row) => row.map((v) => v / likelihood)),
    xi: xi.map((m) => m.map((row) => row.map((v) => v / likelihood))),
    best,
  };
}

function randomSymbols(T: number, V: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: T }, () => rng.int(V));
}

const SMALL_CASES = [2, 3].flatMap((K) => [1, 2, 5, 8].map((T) => ({ K, T, V: 4, seed: 100 * K + T })));

test("forward log-likelihood equals brute-force enumeration over all K^T paths (K = 2, 3; T ≤ 8) to 1e-12", () => {
  for (const { K, T, V, seed } of SMALL_CASES) {
    const params = randomHmmParams(K, V, seed);
    const xs = randomSymbols(T, V, seed + 1);
    const brute = bruteForce(params, xs);
    const fwd = hmmForward(params, xs);
    close(fwd.logLikelihood, Math.log(brute.likelihood), 1e-12, `K=${K} T=${T} log p`);
    close(hmmLogLikelihood(params, xs), Math.log(brute.likelihood), 1e-12, `K=${K} T=${T} streaming`);
    close(hmmLogLikelihoodLogSpace(params, xs), Math.log(brute.likelihood), 1e-12, `K=${K} T=${T} log space`);
    // c(t) = p(x(1:t)) / p(x(1:t−1)), each prefix enumerated separately.
    let previous = 1;
    for (let t = 1; t <= T; t++) {
      const prefix = bruteForce(params, xs.slice(0, t)).likelihood;
      close(fwd.normalisers[t - 1]!, prefix / previous, 1e-12, `K=${K} c(${t})`);
      previous = prefix;
    }
  }
});

test("filtered, predictive and read-out quantities are consistent distributions", () => {
  const params = randomHmmParams(3, 5, 7);
  const xs = randomSymbols(30, 5, 8);
  const fwd = hmmForward(params, xs);
  const sum = (v: number[]) => v.reduce((s, x) => s + x, 0);
  xs.forEach((x, t) => {
    close(sum(fwd.alpha[t]!), 1, 1e-12, `Σ α(${t})`);
    close(sum(fwd.filtered[t]!), 1, 1e-12, `Σ α̂(${t})`);
    close(sum(fwd.predictive[t]!), 1, 1e-12, `Σ Cα(${t})`);
    assert.deepEqual(fwd.likelihoods[t], params.C[x]); // l(t) = Cᵀ x(t) = row x(t) of C
    close(fwd.predictive[t]![x]!, fwd.normalisers[t]!, 1e-15, `(Cα)[x(t)] = c(t) at ${t}`);
  });
  assert.deepEqual(fwd.alpha[0], params.pi);
  close(sum(fwd.nextAlpha), 1, 1e-12, "Σ α(T+1)");
  assert.deepEqual(hmmForward(params, xs, { predictive: false }).predictive, []);
});

// ---------------------------------------------------------------------------------------
// Textbook examples with numbers checked by hand.

// Jurafsky & Martin, Speech and Language Processing (3rd ed. draft), Appendix A "Hidden
// Markov Models", Fig. A.2: the ice-cream HMM. States HOT = 0, COLD = 1; observations are
// 1, 2, 3 ice creams (symbols 0, 1, 2). π = (.8, .2); P(H|H) = .6, P(C|H) = .4,
// P(H|C) = .5, P(C|C) = .5; P(1|H) = .2, P(2|H) = .4, P(3|H) = .4; P(1|C) = .5,
// P(2|C) = .4, P(3|C) = .1. The book's forward trellis for "3 1 3" starts with
// α1(H) = .8·.4 = .32 and α1(C) = .2·.1 = .02.
const iceCream: HmmParams = {
  pi: [0.8, 0.2],
  P: [
    [0.6, 0.4],
    [0.5, 0.5],
  ],
  C: [
    [0.2, 0.5],
    [0.4, 0.4],
    [0.4, 0.1],
  ],
};
const threeOneThree = [2, 0, 2];

test("ice-cream HMM (Jurafsky & Martin): unnormalised α and p(3 1 3) = .028562 by hand", () => {
  // α2(H) = (.32·.6 + .02·.5)·.2 = .0404      α2(C) = (.32·.4 + .02·.5)·.5 = .069
  // α3(H) = (.0404·.6 + .069·.5)·.4 = .023496  α3(C) = (.0404·.4 + .069·.5)·.1 = .005066
  // p(3 1 3) = .023496 + .005066 = .028562
  const expected = [
    [0.32, 0.02],
    [0.0404, 0.069],
    [0.023496, 0.005066],
  ];
  const raw = hmmForwardUnnormalised(iceCream, threeOneThree);
  raw.forEach((row, t) => row.forEach((v, k) => close(v, expected[t]![k]!, 1e-12, `α̃${t + 1}(${k})`)));
  const fwd = hmmForward(iceCream, threeOneThree);
  close(Math.exp(fwd.logLikelihood), 0.028562, 1e-12, "p(3 1 3)");
  // The normalised quantities rebuild the textbook ones: α̃(t) = α̂(t) Π_{s≤t} c(s).
  let prefix = 1;
  fwd.filtered.forEach((f, t) => {
    prefix *= fwd.normalisers[t]!;
    f.forEach((v, k) => close(v * prefix, expected[t]![k]!, 1e-12, `α̂·Πc at ${t + 1}`));
  });
  // Viterbi by hand: v2(H) = max(.32·.6, .02·.5)·.2 = .0384, v2(C) = max(.32·.4, .02·.5)·.5 = .064,
  // v3(H) = max(.0384·.6, .064·.5)·.4 = .0128 (from C), v3(C) = max(.0384·.4, .064·.5)·.1 = .0032.
  const best = viterbi(iceCream, threeOneThree);
  assert.deepEqual(best.path, [0, 1, 0]); // HOT COLD HOT
  close(Math.exp(best.logProbability), 0.0128, 1e-12, "Viterbi p");
});

test("Viterbi on the healthy/fever example: path Healthy Healthy Fever with p = 0.01512", () => {
  // The worked example in Wikipedia's "Viterbi algorithm" article: states Healthy = 0,
  // Fever = 1; observations normal = 0, cold = 1, dizzy = 2.
  const doctor: HmmParams = {
    pi: [0.6, 0.4],
    P: [
      [0.7, 0.3],
      [0.4, 0.6],
    ],
    C: [
      [0.5, 0.1],
      [0.4, 0.3],
      [0.1, 0.6],
    ],
  };
  const xs = [0, 1, 2];
  // δ1 = (.3, .04); δ2 = (.3·.7·.4, .3·.3·.3) = (.084, .027); δ3 = (.084·.7·.1, .084·.3·.6) = (.00588, .01512).
  const best = viterbi(doctor, xs);
  assert.deepEqual(best.path, [0, 0, 1]);
  close(Math.exp(best.logProbability), 0.01512, 1e-12, "p(z*, x)");
  // Forward by hand: α2 = ((.3·.7 + .04·.4)·.4, (.3·.3 + .04·.6)·.3) = (.0904, .0342);
  // α3 = ((.0904·.7 + .0342·.4)·.1, (.0904·.3 + .0342·.6)·.6) = (.007696, .028584); p = .03628.
  close(Math.exp(hmmLogLikelihood(doctor, xs)), 0.03628, 1e-12, "p(x)");
});

test("Viterbi equals the brute-force argmax for small T", () => {
  for (const { K, T, V, seed } of SMALL_CASES) {
    const params = randomHmmParams(K, V, seed + 50);
    const xs = randomSymbols(T, V, seed + 51);
    const brute = bruteForce(params, xs).best;
    const best = viterbi(params, xs);
    assert.deepEqual(best.path, brute.path, `K=${K} T=${T}`);
    close(best.logProbability, Math.log(brute.joint), 1e-12, `K=${K} T=${T} log p(z*, x)`);
  }
  assert.deepEqual(viterbi(iceCream, []), { path: [], logProbability: 0 });
});

// ---------------------------------------------------------------------------------------

test("posteriors: γ and ξ equal brute force, sum to 1 and marginalise consistently", () => {
  for (const { K, T, V, seed } of SMALL_CASES.filter((c) => c.T > 1)) {
    const params = randomHmmParams(K, V, seed + 20);
    const xs = randomSymbols(T, V, seed + 21);
    const brute = bruteForce(params, xs);
    const post = hmmPosteriors(params, xs);
    post.gamma.forEach((row, t) => row.forEach((g, k) => close(g, brute.gamma[t]![k]!, 1e-12, `γ${t}(${k})`)));
    post.xi.forEach((m, t) => m.forEach((row, i) => row.forEach((x, j) => close(x, brute.xi[t]![i]![j]!, 1e-12, `ξ${t}(${i},${j})`))));
  }
  const params = randomHmmParams(4, 6, 3);
  const xs = randomSymbols(200, 6, 4);
  const { gamma, xi } = hmmPosteriors(params, xs);
  const fwd = hmmForward(params, xs, { predictive: false });
  const beta = hmmBackward(params, xs, fwd);
  gamma.forEach((row, t) => {
    close(row.reduce((s, g) => s + g, 0), 1, 1e-12, `Σ γ(${t})`);
    // Σ_k α̂_k(t) β̂_k(t) = 1 is the same statement through the messages.
    close(fwd.filtered[t]!.reduce((s, f, k) => s + f * beta[t]![k]!, 0), 1, 1e-12, `α̂ᵀβ̂ at ${t}`);
  });
  xi.forEach((m, t) => {
    let total = 0;
    for (let i = 0; i < 4; i++) {
      close(m[i]!.reduce((s, x) => s + x, 0), gamma[t]![i]!, 1e-12, `Σ_j ξ${t}(${i},j) = γ${t}(${i})`);
      close(m.reduce((s, row) => s + row[i]!, 0), gamma[t + 1]![i]!, 1e-12, `Σ_i ξ${t}(i,${i}) = γ${t + 1}(${i})`);
      total += m[i]!.reduce((s, x) => s + x, 0);
    }
    close(total, 1, 1e-12, `Σ ξ(${t})`);
  });
});

test("streamed expected counts equal the sums of the stored posteriors", () => {
  const params = randomHmmParams(3, 5, 11);
  const xs = randomSymbols(150, 5, 12);
  const counts = hmmExpectedCounts(params, xs);
  const { gamma, xi, logLikelihood } = hmmPosteriors(params, xs);
  close(counts.logLikelihood, logLikelihood, 1e-10, "log p");
  counts.initial.forEach((g, k) => close(g, gamma[0]![k]!, 1e-13, `γ1(${k})`));
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) close(counts.transitions[i]![j]!, xi.reduce((s, m) => s + m[i]![j]!, 0), 1e-10, `N(${i},${j})`);
  }
  for (let v = 0; v < 5; v++) {
    for (let k = 0; k < 3; k++) {
      const expected = xs.reduce((s, x, t) => s + (x === v ? gamma[t]![k]! : 0), 0);
      close(counts.emissions[v]![k]!, expected, 1e-10, `M(${v},${k})`);
    }
  }
});

test("T = 50,000: the normalised forward pass stays finite and matches the log-space recursion", () => {
  const params = randomHmmParams(3, 4, 2024);
  const { symbols: xs } = sampleHMM(params, 50_000, 99);
  const fwd = hmmForward(params, xs, { predictive: false });
  assert.ok(Number.isFinite(fwd.logLikelihood), `log p = ${fwd.logLikelihood}`);
  assert.ok(fwd.logLikelihood < -10_000, `log p = ${fwd.logLikelihood} should be of order −T`);
  const logSpace = hmmLogLikelihoodLogSpace(params, xs);
  close(fwd.logLikelihood, logSpace, 1e-9 * Math.abs(logSpace), "normalised vs log space");
  close(hmmLogLikelihood(params, xs), fwd.logLikelihood, 1e-9, "streaming vs stored");
  close(fwd.filtered[49_999]!.reduce((s, f) => s + f, 0), 1, 1e-12, "Σ α̂(T)");
  // The textbook unnormalised α̃(T) = p(x(1:T), z(T)) underflows to exactly 0: why we normalise.
  const raw = hmmForwardUnnormalised(params, xs);
  assert.equal(raw[49_999]!.reduce((s, a) => s + a, 0), 0);
});

test("Baum–Welch never decreases the log-likelihood (every iteration, several seeds)", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const truth = randomHmmParams(3, 5, 1000 + seed);
    const { symbols: xs } = sampleHMM(truth, 1500, seed);
    const init = randomHmmParams(3, 5, 2000 + seed);
    const seen: number[] = [];
    const result = baumWelch(xs, init, {
      iterations: 40,
      tolerance: -Infinity,
      onIteration: (n, ll, params) => {
        assert.equal(n, seen.length);
        close(ll, hmmLogLikelihood(params, xs), 1e-8, `seed ${seed} reported log p at ${n}`);
        seen.push(ll);
      },
    });
    assert.equal(result.iterations, 40);
    assert.equal(result.converged, false);
    assert.deepEqual(result.logLikelihoods, seen);
    close(result.logLikelihoods[40]!, hmmLogLikelihood(result.params, xs), 1e-8, "final log p");
    validateHmmParams(result.params, 1e-12);
    const ll = result.logLikelihoods;
    for (let n = 1; n < ll.length; n++) {
      assert.ok(ll[n]! >= ll[n - 1]! - 1e-9, `seed ${seed}: log p fell from ${ll[n - 1]} to ${ll[n]} at iteration ${n}`);
    }
    assert.ok(ll[40]! > ll[0]! + 10, `seed ${seed}: EM barely moved (${ll[0]} → ${ll[40]})`);
  }
});

test("Baum–Welch stops at the tolerance, keeps π fixed on request, and validates its input", () => {
  const truth = randomHmmParams(2, 3, 5);
  const { symbols: xs } = sampleHMM(truth, 500, 6);
  const init = randomHmmParams(2, 3, 7);
  const loose = baumWelch(xs, init, { iterations: 500, tolerance: 1e-4 });
  assert.equal(loose.converged, true);
  assert.ok(loose.iterations < 500);
  const n = loose.iterations;
  assert.ok((loose.logLikelihoods[n]! - loose.logLikelihoods[n - 1]!) / xs.length < 1e-4);
  const fixed = baumWelch(xs, init, { iterations: 5, updateInitial: false });
  assert.deepEqual(fixed.params.pi, init.pi);
  const zero = baumWelch(xs, init, { iterations: 0 });
  assert.deepEqual(zero.params, init);
  assert.equal(zero.logLikelihoods.length, 1);
  assert.throws(() => baumWelch([0, 1, 3], init), /x\[2\] = 3 is outside the alphabet \{0, …, 2\}/);
});

// ---------------------------------------------------------------------------------------

test("validation messages name the row or column and its sum, the entry, the shape, the symbol", () => {
  const good = (): HmmParams => ({
    pi: [0.5, 0.5],
    P: [
      [0.9, 0.1],
      [0.2, 0.8],
    ],
    C: [
      [0.1, 0.6],
      [0.9, 0.4],
    ],
  });
  assert.deepEqual(validateHmmParams(good()), { states: 2, symbols: 2 });
  const broken = (edit: (p: HmmParams) => void) => {
    const p = good();
    edit(p);
    return () => validateHmmParams(p);
  };
  assert.throws(broken((p) => (p.P[1] = [0.2, 0.7])), { message: /^Row 1 of P sums to 0\.9 but must sum to 1/ });
  assert.throws(broken((p) => (p.C[0]![1] = 0.7)), { message: /^Column 1 of C \(state 1\) sums to 1\.1 but must sum to 1/ });
  assert.throws(broken((p) => (p.pi = [0.5, 0.6])), { message: /^π sums to 1\.1 but must sum to 1/ });
  assert.throws(broken((p) => (p.P[0] = [1.1, -0.1])), { message: "P[0][1] = -0.1 is negative; probabilities must be ≥ 0." });
  assert.throws(broken((p) => (p.C[1]![0] = Number.NaN)), { message: "C[1][0] = NaN is not a finite number." });
  assert.throws(broken((p) => (p.P[1] = [1])), { message: "Row 1 of P has 1 entries but P must be K×K with K = 2." });
  assert.throws(broken((p) => p.P.pop()), { message: "P must be K×K with K = 2 (the length of π) but has 1 row." });
  assert.throws(broken((p) => (p.C[1] = [0.9, 0.4, 0])), {
    message: "Row 1 of C has 3 entries but C must be V×K with K = 2 (one column per state).",
  });
  assert.throws(broken((p) => (p.pi = [])), /π must have at least one entry/);
  // A K×V emission matrix (the other orientation) is caught when V ≠ K.
  const transposed = { pi: [1], P: [[1]], C: [[0.2, 0.3, 0.5]] };
  assert.throws(() => validateHmmParams(transposed), /Row 0 of C has 3 entries but C must be V×K with K = 1/);
  // Symbols.
  validateSymbols([0, 1, 2], 3);
  assert.throws(() => validateSymbols([0, 1, 2, 3], 3), { message: "x[3] = 3 is outside the alphabet {0, …, 2} (V = 3 symbols)." });
  assert.throws(() => validateSymbols([0, -1], 3), /x\[1\] = -1 is outside the alphabet/);
  assert.throws(() => validateSymbols([0.5], 3), { message: "x[0] = 0.5 is not an integer symbol." });
  assert.throws(() => hmmForward(good(), [0, 1, 2]), /x\[2\] = 2 is outside the alphabet \{0, …, 1\}/);
  assert.throws(() => viterbi(good(), [5]), /x\[0\] = 5/);
  // An impossible observation: c(t) = 0.
  const deterministic: HmmParams = { pi: [1, 0], P: [[1, 0], [0, 1]], C: [[1, 0], [0, 1]] };
  assert.throws(() => hmmForward(deterministic, [0, 1]), /x\[1\] = 1 has probability 0/);
  assert.equal(hmmLogLikelihood(deterministic, [0, 1]), -Infinity);
  assert.equal(hmmLogLikelihood(deterministic, [0, 0]), 0);
});

test("sampleHMM is reproducible, follows P exactly when P is deterministic, and matches C's frequencies", () => {
  const params = randomHmmParams(3, 4, 8);
  assert.deepEqual(sampleHMM(params, 100, 1), sampleHMM(params, 100, 1));
  assert.notDeepEqual(sampleHMM(params, 100, 1).symbols, sampleHMM(params, 100, 2).symbols);
  const flip: HmmParams = { pi: [0, 1], P: [[0, 1], [1, 0]], C: [[1, 0], [0, 1]] };
  const alternating = sampleHMM(flip, 9, 3);
  assert.deepEqual(alternating.states, [1, 0, 1, 0, 1, 0, 1, 0, 1]);
  assert.deepEqual(alternating.symbols, alternating.states);
  const single: HmmParams = { pi: [1], P: [[1]], C: [[0.2], [0.3], [0.5]] };
  const { symbols } = sampleHMM(single, 20_000, 4);
  [0.2, 0.3, 0.5].forEach((p, v) => close(symbols.filter((x) => x === v).length / 20_000, p, 0.015, `frequency of ${v}`));
  // Emissions come from columns of C: in a two-state chain that never leaves state 1, only column 1 counts.
  const stuck: HmmParams = { pi: [0, 1], P: [[1, 0], [0, 1]], C: [[1, 0], [0, 0], [0, 1]] };
  assert.deepEqual(new Set(sampleHMM(stuck, 50, 5).symbols), new Set([2]));
});

// ---------------------------------------------------------------------------------------

const englishText = readFileSync(new URL("../../data/english-text.txt", import.meta.url), "utf8");

test("the 27-symbol text helpers: normalise, encode, decode", () => {
  assert.equal(normaliseText("Don't\u2014stop, Mr. Bennet!\n_You_ 2 caf\u00e9s\u2019 "), "dont stop mr bennet you cafes");
  assert.deepEqual(encodeText(" az"), [0, 1, 26]);
  assert.equal(decodeSymbols(encodeText("it is a truth")), "it is a truth");
  assert.throws(() => encodeText("ab,c"), /Character "," at position 2 is not in the 27-symbol alphabet/);
  assert.throws(() => decodeSymbols([27]), /x\[0\] = 27 is outside the alphabet/);
  assert.equal(TEXT_ALPHABET.length, 27);
});

test("data/english-text.txt is the documented preprocessed text", () => {
  assert.match(englishText, /^[a-z]+( [a-z]+)*\n$/, "one line of lowercase words separated by single spaces");
  const text = englishText.trim();
  assert.equal(text.length, 82_971);
  assert.equal(normaliseText(text), text);
  assert.ok(text.startsWith("it is a truth universally acknowledged that a single man in possession of a good fortune"));
  assert.ok(text.endsWith("as to intend leaving her room for a couple of hours that evening"));
});

test("two-state Baum–Welch on the English text separates vowels from consonants", () => {
  const xs = encodeText(englishText.trim()).slice(0, 5000);
  const result = baumWelch(xs, randomHmmParams(2, 27, 2), { iterations: 150 });
  const ll = result.logLikelihoods;
  for (let n = 1; n < ll.length; n++) assert.ok(ll[n]! >= ll[n - 1]! - 1e-9, `iteration ${n}`);
  const vowelMass = [0, 1].map((k) => [..."aeiou"].reduce((s, ch) => s + result.params.C[TEXT_ALPHABET.indexOf(ch)]![k]!, 0));
  const [vowelState, consonantState] = vowelMass[0]! > vowelMass[1]! ? [0, 1] : [1, 0];
  assert.ok(vowelMass[vowelState]! > 0.5, `vowel mass ${vowelMass}`);
  assert.ok(vowelMass[consonantState]! < 0.1, `vowel mass ${vowelMass}`);
  // The space sides with the vowels, and the two states mostly alternate.
  assert.ok(result.params.C[0]![vowelState]! > result.params.C[0]![consonantState]!);
  assert.ok(result.params.P[vowelState]![consonantState]! > 0.5 && result.params.P[consonantState]![vowelState]! > 0.5);
});
