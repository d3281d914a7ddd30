// The HMM page's own logic: the text window, the shared seeded start, the fitted model, the
// numbers at one step, what the states mean, decodings, the identity table, the two tfjs forms
// of log p (loop and balanced tree) and their gradients, and the race task of EM against
// gradient ascent. Runs on the tfjs cpu backend.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, test } from "node:test";
import * as tf from "@unrolled/tfjs";
import { hmmExpectedCounts, hmmForward, hmmLogLikelihood, randomHmmParams, sampleHMM, TEXT_ALPHABET, type HmmParams } from "../../components/core/hmm.js";
import { expectedCountLogitGradient, expectedCountProbabilityGradient, hmmParamsFromLogits, type HmmGradient } from "../../components/models/hmmTf.js";
import {
  compareDecodings,
  firstReaching,
  fitHmm,
  forwardValueRows,
  hmmStart,
  identityMatrix,
  identityTable,
  IDENTITY_COLUMNS,
  relativeDifference,
  runningLogLikelihood,
  stateMeanings,
  SYMBOL_LABELS,
  textWindow,
  topSymbols,
  underflowStep,
  unigramLogLikelihood,
} from "../../components/examples/hmmText.js";
import { autodiffGradient, checkIdentity, logOfParams, tfLoopLogLikelihood, tfTreeLogLikelihood } from "../../components/examples/hmmAutodiff.js";
import { hmmRaceTask } from "../../components/examples/hmmRace.js";
import { contextAround, describeDisagreements, isolateInput, raceGapSeries, raceMilestones, watchDistinct, whenReady } from "../../components/examples/hmmViews.js";

const TEXT = readFileSync(new URL("../../data/english-text.txt", import.meta.url), "utf8").trim();
/** The float32 tolerance the page states: |autodiff − counts| ≤ 2e-6 per symbol. */
const PER_SYMBOL = 2e-6;

before(async () => {
  await tf.setBackend("cpu");
});

test("textWindow takes the characters asked for, moves back at the end, and rejects bad lengths", () => {
  const w = textWindow(TEXT, 3, 10);
  assert.equal(w.text, TEXT.slice(3, 13));
  assert.equal(w.xs.length, 10);
  assert.deepEqual(w.xs.slice(0, 2), [TEXT_ALPHABET.indexOf(TEXT[3]!), TEXT_ALPHABET.indexOf(TEXT[4]!)]);
  const end = textWindow(TEXT, TEXT.length - 5, 100);
  assert.equal(end.start, TEXT.length - 100, "a window past the end is moved back");
  assert.equal(end.text.length, 100);
  assert.throws(() => textWindow(TEXT, 0, 0), /whole number ≥ 1/);
  assert.throws(() => textWindow("abc", 0, 10), /fewer than the window/);
});

test("hmmStart: float32 logits whose softmax is the seeded flat-Dirichlet draw", () => {
  const a = hmmStart(3, 7);
  const b = hmmStart(3, 7);
  assert.deepEqual(a, b, "the same seed gives the same start");
  assert.notDeepEqual(hmmStart(3, 8).logits, a.logits);
  for (const v of [...a.logits.pi, ...a.logits.P.flat(), ...a.logits.C.flat()]) assert.equal(Math.fround(v), v, `${v} is not a float32 number`);
  const draw = randomHmmParams(3, 27, 7);
  const close = (x: number[], y: number[]) => x.forEach((v, i) => assert.ok(Math.abs(v - y[i]!) < 1e-6 * Math.max(1, y[i]!), `${v} vs ${y[i]}`));
  close(a.params.pi, draw.pi);
  close(a.params.P.flat(), draw.P.flat());
  close(a.params.C.flat(), draw.C.flat());
  assert.deepEqual(a.params, hmmParamsFromLogits(a.logits));
});

test("fitHmm: EM from hmmStart never lowers log p, and K = 1 gives the unigram optimum", () => {
  const { xs } = textWindow(TEXT, 0, 600);
  const fit = fitHmm(xs, 2, 3);
  const ll = fit.logLikelihoods;
  for (let n = 1; n < ll.length; n++) assert.ok(ll[n]! >= ll[n - 1]! - 1e-9, `iteration ${n}: ${ll[n - 1]} → ${ll[n]}`);
  assert.ok(fit.converged, "converged within 500 iterations");
  assert.equal(ll[0], hmmLogLikelihood(fit.start.params, xs));
  const unigram = fitHmm(xs, 1, 1);
  const final = unigram.logLikelihoods[unigram.logLikelihoods.length - 1]!;
  assert.ok(Math.abs(final - unigramLogLikelihood(xs)) < 1e-8, `${final} vs ${unigramLogLikelihood(xs)}`);
  assert.ok(ll[ll.length - 1]! > final + 0.03 * xs.length, "two states beat the unigram model by more than 0.03 nats per symbol");
});

test("the running log-likelihood ends at log p, and the value rows are consistent at every step", () => {
  const { xs } = textWindow(TEXT, 100, 300);
  const { params } = fitHmm(xs, 3, 2);
  const forward = hmmForward(params, xs);
  const running = runningLogLikelihood(forward.normalisers);
  assert.ok(Math.abs(running[running.length - 1]! - forward.logLikelihood) < 1e-9);
  for (const t of [0, 17, 299]) {
    const rows = forwardValueRows(forward, xs, running, t);
    const get = (start: string) => rows.find((r) => r.label.startsWith(start))!.values as number[] | number;
    const alpha = get("$\\alpha^{(t)} =") as number[];
    const l = get("$\\mathbf{l}") as number[];
    const c = get("$c^{(t)}") as number;
    assert.ok(Math.abs(alpha.reduce((s, a, k) => s + a * l[k]!, 0) - c) < 1e-15, "c(t) = α(t)ᵀ l(t)");
    assert.equal(get("symbol"), xs[t]);
    assert.deepEqual(l, params.C[xs[t]!], "l(t) is row x(t) of C");
    const next = get("$\\alpha^{(t+1)}") as number[];
    assert.deepEqual(next, t + 1 < xs.length ? forward.alpha[t + 1] : forward.nextAlpha);
    assert.ok(Math.abs((get("$\\log p") as number) - running[t]!) < 1e-12);
  }
});

test("underflowStep finds where the unnormalised recursion reaches 0, and −1 when it never does", () => {
  const { xs } = textWindow(TEXT, 0, 1000);
  const { params } = fitHmm(xs, 2, 3);
  const t = underflowStep(params, xs);
  const running = runningLogLikelihood(hmmForward(params, xs).normalisers);
  assert.ok(t > 0, "a thousand characters underflow");
  // Doubles reach down to about e^−744.4; the joint probability p(x(0:t), z) ≤ p(x(0:t)).
  assert.ok(running[t]! < -700, `log p(x(0:${t})) = ${running[t]}`);
  assert.ok(running[t - 1]! > -760, `underflowed too early: log p(x(0:${t - 1})) = ${running[t - 1]}`);
  assert.equal(underflowStep(params, xs.slice(0, 50)), -1);
});

test("on the default window, two states split vowels and the space from consonants", () => {
  const { xs } = textWindow(TEXT, 0, 1000);
  const { params } = fitHmm(xs, 2, 3);
  const meanings = stateMeanings(params, xs);
  const vowelState = meanings.find((m) => m.vowelSpaceMass > 0.9);
  const consonantState = meanings.find((m) => m.vowelSpaceMass < 0.1);
  assert.ok(vowelState && consonantState, `vowel masses ${meanings.map((m) => m.vowelSpaceMass)}`);
  const owned = vowelState.symbols.map((v) => SYMBOL_LABELS[v]).join("");
  for (const ch of "␣aeiou") assert.ok(owned.includes(ch), `the vowel state does not own “${ch}”: ${owned}`);
  for (const ch of "tnshr") assert.ok(consonantState.symbols.map((v) => SYMBOL_LABELS[v]).includes(ch), `the consonant state does not own “${ch}”`);
  assert.ok(Math.abs(meanings.reduce((s, m) => s + m.occupancy, 0) - 1) < 1e-12, "occupancies sum to 1");
  assert.deepEqual(topSymbols([0.1, 0.5, 0.4], 2), [{ symbol: 1, probability: 0.5 }, { symbol: 2, probability: 0.4 }]);
});

test("compareDecodings counts agreements and switches; firstReaching finds the first crossing", () => {
  const gamma = [[0.9, 0.1], [0.4, 0.6], [0.2, 0.8], [0.7, 0.3]];
  const c = compareDecodings([0, 0, 1, 0], gamma);
  assert.deepEqual(c.disagreements, [1]);
  assert.equal(c.agreement, 0.75);
  assert.equal(c.viterbiSwitches, 2);
  assert.equal(c.marginalSwitches, 2);
  assert.equal(firstReaching([-3, -2.5, -2.1, -2.0], -2.2), 2);
  assert.equal(firstReaching([-3, -2.5], -1), null);
  assert.equal(relativeDifference(101, 100), 0.01);
  assert.equal(relativeDifference(0.5, 0), 0.5);
});

/** The exact (float64) gradients of the three parameterisations at θ, from the counts. */
function exactGradients(params: HmmParams, xs: number[]): { probability: HmmGradient; log: HmmGradient; logit: HmmGradient } {
  const counts = hmmExpectedCounts(params, xs);
  return {
    probability: expectedCountProbabilityGradient(params, xs),
    log: { pi: counts.initial, P: counts.transitions, C: counts.emissions },
    logit: expectedCountLogitGradient(params, xs),
  };
}

test("identityTable: zero difference for exact gradients, and a planted error is found and named", () => {
  const params = randomHmmParams(2, 27, 4);
  const { symbols: xs } = sampleHMM(params, 200, 5);
  const exact = exactGradients(params, xs);
  const table = identityTable(params, xs, exact);
  assert.equal(table.rows.length, 2 + 4 + 54);
  assert.ok(table.maxDifference < 1e-9, `exact gradients differ by ${table.maxDifference}`);
  const matrix = identityMatrix(table);
  assert.equal(matrix[0]!.length, IDENTITY_COLUMNS.length);
  const e = table.rows.find((r) => r.name === "C[e][1]")!;
  assert.ok(Math.abs(e.logitCounts - (e.count - e.value * table.rows.filter((r) => r.group === "C" && r.name.endsWith("[1]")).reduce((s, r) => s + r.count, 0))) < 1e-9);
  const wrong = structuredClone(exact);
  wrong.logit.P[1]![0]! += 0.5;
  const bad = identityTable(params, xs, wrong);
  assert.equal(bad.worst, "P[1][0]");
  assert.ok(bad.maxAbsolute.logit >= 0.5 - 1e-9 && bad.maxAbsolute.log < 1e-9);
});

test("the tree and loop forms of log p equal the float64 forward recursion, for awkward lengths too", async () => {
  const params = randomHmmParams(3, 27, 9);
  for (const T of [1, 2, 3, 8, 9, 257]) {
    const { symbols: xs } = sampleHMM(params, T, T);
    const expected = hmmLogLikelihood(params, xs);
    const tensors = [tf.tensor1d(params.pi), tf.tensor2d(params.P), tf.tensor2d(params.C)] as const;
    const before = tf.memory().numTensors;
    const tree = tfTreeLogLikelihood(tensors[0], tensors[1], tensors[2], xs);
    const loop = tfLoopLogLikelihood(tensors[0], tensors[1], tensors[2], xs);
    const [a, b] = [(await tree.data())[0]!, (await loop.data())[0]!];
    tf.dispose([tree, loop]);
    assert.equal(tf.memory().numTensors, before, "no tensors leaked");
    tf.dispose([...tensors]);
    for (const [name, v] of [["tree", a], ["loop", b]] as const) assert.ok(Math.abs(v - expected) < 1e-5 * Math.max(1, Math.abs(expected)), `${name} T=${T}: ${v} vs ${expected}`);
  }
  const one = [tf.tensor1d([1]), tf.tensor2d([[1]]), tf.tensor2d([[1]])] as const;
  assert.throws(() => tfTreeLogLikelihood(one[0], one[1], one[2], []), /at least one symbol/);
  assert.throws(() => tfTreeLogLikelihood(one[0], one[1], one[2], [1]), /outside the alphabet/);
  tf.dispose([...one]);
});

test("the tree form does not underflow on 20,000 characters", async () => {
  const { xs } = textWindow(TEXT, 0, 20000);
  const { params } = hmmStart(2, 3);
  const tensors = [tf.tensor1d(params.pi), tf.tensor2d(params.P), tf.tensor2d(params.C)] as const;
  const value = tfTreeLogLikelihood(tensors[0], tensors[1], tensors[2], xs);
  const got = (await value.data())[0]!;
  tf.dispose([value, ...tensors]);
  const expected = hmmLogLikelihood(params, xs);
  assert.ok(Number.isFinite(got), `log p = ${got}`);
  assert.ok(Math.abs(got - expected) < 1e-5 * Math.abs(expected), `${got} vs ${expected}`);
});

test("autodiff through the tree and through the loop equals the expected counts to float32 precision", async (t) => {
  const { xs } = textWindow(TEXT, 500, 300);
  for (const form of ["tree", "loop"] as const) {
    const check = await checkIdentity(hmmStart(3, 11).logits, xs, form);
    const worst = Math.max(check.table.maxAbsolute.log, check.table.maxAbsolute.logit);
    t.diagnostic(`${form}: max |autodiff − counts| ${worst.toExponential(2)} (${(worst / xs.length).toExponential(2)} per symbol), max relative ${check.table.maxDifference.toExponential(2)}, largest count ${check.table.largestCount.toFixed(1)}`);
    assert.ok(worst / xs.length <= PER_SYMBOL, `${form}: ${worst / xs.length} per symbol`);
    assert.ok(check.table.maxDifference < 1e-4, `${form}: relative ${check.table.maxDifference} at ${check.table.worst}`);
    assert.ok(check.table.largestCount > 10, "the counts are not trivially small");
  }
  // The three parameterisations really are different gradients.
  const params = hmmStart(2, 1).params;
  const [logit, log, probability] = await Promise.all([
    autodiffGradient(hmmStart(2, 1).logits, xs, "logit"),
    autodiffGradient(logOfParams(params), xs, "log"),
    autodiffGradient(params, xs, "probability"),
  ]);
  assert.ok(log.gradient.P.flat().every((g) => g > 0), "∂/∂log P is a count, so positive");
  assert.ok(Math.abs(logit.gradient.P[0]!.reduce((s, g) => s + g, 0)) < 1e-3, "a row of logit gradients sums to 0");
  assert.ok(Math.abs(probability.gradient.P[0]![0]! * params.P[0]![0]! - log.gradient.P[0]![0]!) < 1e-3 * log.gradient.P[0]![0]!, "∂/∂P · P = ∂/∂log P");
});

test("the race: both learners start equal, EM never decreases, both rise, EM matches fitHmm, no leaks", async () => {
  const { xs } = textWindow(TEXT, 0, 400);
  const task = hmmRaceTask(xs, 2);
  const before = tf.memory().numTensors;
  const model = await task.create(3);
  const losses: number[] = [];
  for (let i = 0; i < 12; i++) losses.push(await task.step(model, 10));
  const inspection = await task.inspect!(model);
  task.dispose(model);
  assert.equal(tf.memory().numTensors, before, "the race frees every tensor");
  assert.equal(inspection.iteration, 12);
  assert.equal(inspection.emTrace.length, 13);
  assert.ok(Math.abs(inspection.emTrace[0]! - inspection.gaTrace[0]!) < 1e-12, "one starting point");
  assert.ok(Math.abs(losses[0]! + inspection.gaTrace[0]!) < 1e-12, "the loss is −log p / T of gradient ascent before its step");
  for (let n = 1; n < inspection.emTrace.length; n++) assert.ok(inspection.emTrace[n]! >= inspection.emTrace[n - 1]! - 1e-12, `EM fell at ${n}`);
  assert.ok(inspection.gaTrace[12]! > inspection.gaTrace[0]! + 0.3, `gradient ascent ${inspection.gaTrace[0]} → ${inspection.gaTrace[12]}`);
  assert.ok(inspection.emTrace[12]! > inspection.gaTrace[12]!, "EM is ahead after 12 iterations");
  const fit = fitHmm(xs, 2, 3, { iterations: 12, tolerance: -Infinity });
  fit.logLikelihoods.forEach((ll, n) => assert.ok(Math.abs(ll / xs.length - inspection.emTrace[n]!) < 1e-12, `EM iteration ${n} differs from fitHmm`));
  assert.throws(() => hmmRaceTask([1], 2), /two symbols/);
});

test("race views: gaps and milestones", () => {
  const inspection = { iteration: 3, emTrace: [-3, -2.6, -2.52, -2.505], gaTrace: [-3, -2.9, -2.8, -2.7], gaParams: {} as HmmParams, emParams: {} as HmmParams, gaLogits: { pi: [], P: [], C: [] } };
  const gaps = raceGapSeries(inspection, -2.5);
  assert.ok(Math.abs((gaps[0]!.values[3] as number) - 0.005) < 1e-12);
  assert.deepEqual(raceMilestones(inspection, -2.5, [0.1, 0.01]), [{ gap: 0.1, em: 1, ga: null }, { gap: 0.01, em: 3, ga: null }]);
  assert.equal(contextAround("it is a truth", 3, 2), "t␣[i]s␣");
  assert.equal(describeDisagreements([]), "they differ nowhere");
  assert.equal(describeDisagreements([4]), "they differ at 1 step: t = 4");
  assert.equal(describeDisagreements([1, 2, 3, 4, 5, 6]), "they differ at 6 steps: t = 1, 2, 3, 4, 5, …");
});

test("watchDistinct, whenReady and isolateInput", async () => {
  const target = Object.assign(new EventTarget(), { value: { seed: 1, inspection: null as number | null } });
  const seen: number[] = [];
  const stop = watchDistinct(target, (v) => v.seed, (s) => seen.push(s));
  target.dispatchEvent(new Event("input"));
  target.value = { seed: 2, inspection: null };
  target.dispatchEvent(new Event("input"));
  stop();
  target.value = { seed: 3, inspection: null };
  target.dispatchEvent(new Event("input"));
  assert.deepEqual(seen, [1, 2], "only changes, and nothing after stopping");
  const ready = whenReady(target, (v) => v.inspection);
  target.value = { seed: 3, inspection: 42 };
  target.dispatchEvent(new Event("input"));
  assert.equal(await ready, 42);
  isolateInput(target);
  isolateInput(target);
  const event = new Event("input", { bubbles: true });
  target.dispatchEvent(event);
  assert.equal(event.cancelBubble, true, "the input event stops at the element");
});
