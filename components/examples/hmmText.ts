// The HMM page's pure helpers (no DOM, no tfjs): the window of text, the seeded starting
// point both learners share, the model fitted by Baum–Welch, the numbers at one time step,
// what the states mean, Viterbi against the posterior marginals, and the identity table.
//
// Conventions, as on the page: time counts from 0 (x(0) is the window's first character,
// α(0) = π); states are 0..K−1; symbols are 0..26 (space, a..z); C is V×K with columns
// that sum to 1; P is K×K with rows that sum to 1.
import { TEXT_ALPHABET, encodeText, hmmExpectedCounts, hmmForwardUnnormalised, baumWelch, randomHmmParams } from "../core/hmm.js";
import type { BaumWelchResult, HmmForwardResult, HmmParams } from "../core/hmm.js";
import { hmmParamsFromLogits, type HmmGradient, type HmmLogits } from "../models/hmmTf.js";

/** The 27 symbols as the page prints them: the space as ␣. */
export const SYMBOL_LABELS: string[] = [...TEXT_ALPHABET].map((ch) => (ch === " " ? "␣" : ch));

/** The vowels; with the space they are what one state of a two-state HMM takes. */
export const VOWELS = "aeiou";

/** A stretch of the text and its symbols. */
export interface TextWindow {
  /** Index of the first character in the whole text. */
  start: number;
  text: string;
  /** Symbols 0..26, one per character. */
  xs: number[];
}

/** The `length` characters from `start` (moved back if the text ends first). */
export function textWindow(all: string, start: number, length: number): TextWindow {
  if (!Number.isInteger(length) || length < 1) throw new Error(`The window length must be a whole number ≥ 1, got ${length}.`);
  if (all.length < length) throw new Error(`The text has ${all.length} characters, fewer than the window's ${length}.`);
  const first = Math.max(0, Math.min(Math.floor(start), all.length - length));
  const text = all.slice(first, first + length);
  return { start: first, text, xs: encodeText(text) };
}

/** The one starting point of the page's learners: logits rounded to float32, and their probabilities. */
export interface HmmStart {
  /** log of a flat-Dirichlet draw, rounded to float32 so that tfjs holds exactly these numbers. */
  logits: HmmLogits;
  /** softmax of the logits in float64: what EM starts from. */
  params: HmmParams;
}

/** π, the rows of P and the columns of C drawn from the flat Dirichlet with `seed` (randomHmmParams), as logits. */
export function hmmStart(states: number, seed: number, symbols = TEXT_ALPHABET.length): HmmStart {
  const draw = randomHmmParams(states, symbols, seed);
  const log32 = (p: number) => Math.fround(Math.log(Math.max(p, 1e-30)));
  const logits: HmmLogits = { pi: draw.pi.map(log32), P: draw.P.map((r) => r.map(log32)), C: draw.C.map((r) => r.map(log32)) };
  return { logits, params: hmmParamsFromLogits(logits) };
}

/** Baum–Welch from hmmStart(K, seed) until the gain per iteration is below `tolerance` nats per symbol. */
export function fitHmm(xs: readonly number[], states: number, seed: number, { iterations = 500, tolerance = 1e-7 } = {}): BaumWelchResult & { start: HmmStart } {
  const start = hmmStart(states, seed);
  return { ...baumWelch(xs, start.params, { iterations, tolerance }), start };
}

/** log p(x(0:t)) = Σ_{s ≤ t} log c(s), for every t. */
export function runningLogLikelihood(normalisers: readonly number[]): number[] {
  let sum = 0;
  return normalisers.map((c) => (sum += Math.log(c)));
}

/** The log-likelihood of the best unigram model of xs (the K = 1 optimum): Σ_v n_v log(n_v / T). */
export function unigramLogLikelihood(xs: readonly number[], symbols = TEXT_ALPHABET.length): number {
  const counts = new Array<number>(symbols).fill(0);
  for (const x of xs) counts[x]! += 1;
  return counts.reduce((s, n) => (n > 0 ? s + n * Math.log(n / xs.length) : s), 0);
}

/**
 * The first t at which the textbook recursion without normalisers, α̃(t) = p(x(0:t), z(t)),
 * has underflowed to all zeros in float64, or −1 if it never does.
 */
export function underflowStep(params: HmmParams, xs: readonly number[]): number {
  const unnormalised = hmmForwardUnnormalised(params, xs);
  return unnormalised.findIndex((row) => row.every((v) => v === 0));
}

/** One row of the table of values at the cursor (the ValueTable's row type). */
export interface ValueRow {
  label: string;
  values: number[] | number;
  unitLabels?: string[];
}

/** "state 0", "state 1", … */
export function stateNames(states: number): string[] {
  return Array.from({ length: states }, (_, k) => `state ${k}`);
}

/** Every quantity of one step of the recursion, at time t. */
export function forwardValueRows(forward: HmmForwardResult, xs: readonly number[], running: readonly number[], t: number): ValueRow[] {
  const K = forward.alpha[0]?.length ?? 0;
  const units = stateNames(K);
  const next = t + 1 < forward.alpha.length ? forward.alpha[t + 1]! : forward.nextAlpha;
  const joint = forward.alpha[t]!.map((a, k) => a * forward.likelihoods[t]![k]!);
  return [
    { label: `symbol $x^{(t)}$ = “${SYMBOL_LABELS[xs[t]!]}”`, values: xs[t]! },
    { label: "$\\alpha^{(t)} = p(z^{(t)} \\mid x^{(0:t-1)})$", values: forward.alpha[t]!, unitLabels: units },
    { label: "$\\mathbf{l}^{(t)} = C^\\top \\vx^{(t)}$", values: forward.likelihoods[t]!, unitLabels: units },
    { label: "$\\alpha^{(t)} \\odot \\mathbf{l}^{(t)}$", values: joint, unitLabels: units },
    { label: "$c^{(t)} = \\alpha^{(t)\\top}\\mathbf{l}^{(t)} = p(x^{(t)} \\mid x^{(0:t-1)})$", values: forward.normalisers[t]! },
    { label: "$\\hat\\alpha^{(t)} = \\alpha^{(t)} \\odot \\mathbf{l}^{(t)} / c^{(t)}$", values: forward.filtered[t]!, unitLabels: units },
    { label: "$\\alpha^{(t+1)} = P^\\top\\hat\\alpha^{(t)}$", values: next, unitLabels: units },
    { label: "$\\log c^{(t)}$", values: Math.log(forward.normalisers[t]!) },
    { label: "$\\log p(x^{(0:t)}) = \\sum_{s \\le t} \\log c^{(s)}$", values: running[t]! },
  ];
}

/** The `count` most probable symbols of a distribution over the 27, most probable first. */
export function topSymbols(distribution: readonly number[], count: number): { symbol: number; probability: number }[] {
  return distribution
    .map((probability, symbol) => ({ symbol, probability }))
    .sort((a, b) => b.probability - a.probability || a.symbol - b.symbol)
    .slice(0, count);
}

/** What one state stands for. */
export interface StateMeaning {
  state: number;
  /** How often the fitted model is in this state: the mean of γ_k(t) over the window. */
  occupancy: number;
  /** Σ over the vowels and the space of C[v][k]: the mass this state's emissions put on them. */
  vowelSpaceMass: number;
  /** The symbols this state most probably emitted, p(z = k | x = v) > 1/2 (weights: occupancy). */
  symbols: number[];
  /** Its five most probable emissions. */
  top: { symbol: number; probability: number }[];
}

/** Reads the states of a fitted model: occupancy, the symbols each one owns, vowel mass. */
export function stateMeanings(params: HmmParams, xs: readonly number[]): StateMeaning[] {
  const K = params.pi.length;
  const counts = hmmExpectedCounts(params, xs);
  const occupancy = new Array<number>(K).fill(0);
  for (const row of counts.emissions) row.forEach((m, k) => (occupancy[k]! += m / xs.length));
  const vowelish = new Set([0, ...[...VOWELS].map((ch) => TEXT_ALPHABET.indexOf(ch))]);
  return Array.from({ length: K }, (_, k) => {
    const column = params.C.map((row) => row[k]!);
    const symbols = params.C.flatMap((row, v) => {
      const weights = row.map((c, j) => c * occupancy[j]!);
      const total = weights.reduce((s, w) => s + w, 0);
      return total > 0 && weights[k]! / total > 0.5 ? [v] : [];
    });
    return {
      state: k,
      occupancy: occupancy[k]!,
      vowelSpaceMass: column.reduce((s, c, v) => (vowelish.has(v) ? s + c : s), 0),
      symbols,
      top: topSymbols(column, 5),
    };
  });
}

/** How the Viterbi path compares with the step-by-step argmax of the posterior marginals. */
export interface DecodingComparison {
  /** Fraction of steps where z*(t) = argmax_k γ_k(t). */
  agreement: number;
  /** The steps where they differ. */
  disagreements: number[];
  /** State changes along the Viterbi path and along the marginal argmax. */
  viterbiSwitches: number;
  marginalSwitches: number;
}

export function compareDecodings(path: readonly number[], gamma: readonly (readonly number[])[]): DecodingComparison {
  const argmax = gamma.map((g) => g.reduce((best, v, k) => (v > g[best]! ? k : best), 0));
  const disagreements = path.flatMap((z, t) => (z === argmax[t] ? [] : [t]));
  const switches = (s: readonly number[]) => s.reduce((n, z, t) => (t > 0 && z !== s[t - 1] ? n + 1 : n), 0);
  return {
    agreement: path.length === 0 ? 1 : 1 - disagreements.length / path.length,
    disagreements,
    viterbiSwitches: switches(path),
    marginalSwitches: switches(argmax),
  };
}

/** The first iteration n with trace[n] ≥ target, or null. */
export function firstReaching(trace: readonly number[], target: number): number | null {
  const n = trace.findIndex((v) => v >= target);
  return n < 0 ? null : n;
}

// ---------------------------------------------------------------------------------------
// The identity table: autodiff gradients against expected counts.

/** One parameter entry of the identity table. */
export interface IdentityRow {
  /** "π[0]", "P[0][1]", "C[e][1]". */
  name: string;
  group: "π" | "P" | "C";
  /** θ: the probability itself. */
  value: number;
  /** The expected count n: γ_k(0), Σ_t ξ_ij(t) or Σ_t [x(t) = v] γ_k(t). */
  count: number;
  /** ∂ log p / ∂θ from the counts (n / θ) and by autodiff. */
  probabilityCounts: number;
  probabilityAutodiff: number;
  /** ∂ log p / ∂ log θ (θ = e^φ, no renormalisation): n, and by autodiff. */
  logAutodiff: number;
  /** ∂ log p / ∂ logit (softmax): n − θ · (the count total of θ's group), and by autodiff. */
  logitCounts: number;
  logitAutodiff: number;
  /** The largest of the three |autodiff − counts| / max(1, |counts|). */
  difference: number;
}

/** The three autodiff gradients the table compares, all at the same θ. */
export interface AutodiffGradients {
  probability: HmmGradient;
  log: HmmGradient;
  logit: HmmGradient;
}

/** The table, and its largest difference. */
export interface IdentityTable {
  rows: IdentityRow[];
  logLikelihood: number;
  /** max over rows and columns of |autodiff − counts| / max(1, |counts|). */
  maxDifference: number;
  /** The row where it occurs. */
  worst: string;
  /** max |autodiff − counts| per parameterisation (absolute). */
  maxAbsolute: { probability: number; log: number; logit: number };
  /** The largest |count|, for scale. */
  largestCount: number;
}

/** The relative difference the table reports: |a − b| / max(1, |b|). */
export function relativeDifference(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(b));
}

/**
 * Builds the identity table at θ = params from float64 expected counts (forward–backward)
 * and the three autodiff gradients taken at the same θ.
 */
export function identityTable(params: HmmParams, xs: readonly number[], autodiff: AutodiffGradients): IdentityTable {
  const counts = hmmExpectedCounts(params, xs);
  const K = params.pi.length;
  const rows: IdentityRow[] = [];
  const add = (name: string, group: IdentityRow["group"], value: number, count: number, total: number, pick: (g: HmmGradient) => number) => {
    const probabilityCounts = count / value;
    const logitCounts = count - value * total;
    const probabilityAutodiff = pick(autodiff.probability);
    const logAutodiff = pick(autodiff.log);
    const logitAutodiff = pick(autodiff.logit);
    const difference = Math.max(
      relativeDifference(probabilityAutodiff, probabilityCounts),
      relativeDifference(logAutodiff, count),
      relativeDifference(logitAutodiff, logitCounts),
    );
    rows.push({ name, group, value, count, probabilityCounts, probabilityAutodiff, logAutodiff, logitCounts, logitAutodiff, difference });
  };
  const initialTotal = counts.initial.reduce((s, g) => s + g, 0);
  params.pi.forEach((p, k) => add(`π[${k}]`, "π", p, counts.initial[k]!, initialTotal, (g) => g.pi[k]!));
  params.P.forEach((row, i) => {
    const total = counts.transitions[i]!.reduce((s, n) => s + n, 0);
    row.forEach((p, j) => add(`P[${i}][${j}]`, "P", p, counts.transitions[i]![j]!, total, (g) => g.P[i]![j]!));
  });
  const columnTotals = new Array<number>(K).fill(0);
  for (const row of counts.emissions) row.forEach((m, k) => (columnTotals[k]! += m));
  params.C.forEach((row, v) => row.forEach((c, k) => add(`C[${SYMBOL_LABELS[v]}][${k}]`, "C", c, counts.emissions[v]![k]!, columnTotals[k]!, (g) => g.C[v]![k]!)));

  let worst = rows[0]!;
  for (const row of rows) if (row.difference > worst.difference) worst = row;
  const maxAbs = (f: (r: IdentityRow) => number) => rows.reduce((m, r) => Math.max(m, f(r)), 0);
  return {
    rows,
    logLikelihood: counts.logLikelihood,
    maxDifference: worst.difference,
    worst: worst.name,
    maxAbsolute: {
      probability: maxAbs((r) => Math.abs(r.probabilityAutodiff - r.probabilityCounts)),
      log: maxAbs((r) => Math.abs(r.logAutodiff - r.count)),
      logit: maxAbs((r) => Math.abs(r.logitAutodiff - r.logitCounts)),
    },
    largestCount: maxAbs((r) => Math.abs(r.count)),
  };
}

/** The identity table's columns (plain text), in the order of identityMatrix. */
export const IDENTITY_COLUMNS = [
  "θ",
  "count n = ∂/∂log θ",
  "autodiff ∂/∂log θ",
  "n/θ = ∂/∂θ",
  "autodiff ∂/∂θ",
  "n − θN = ∂/∂logit",
  "autodiff ∂/∂logit",
  "largest relative difference",
];

/** One numeric row per parameter entry, in IDENTITY_COLUMNS order: each count form next to its autodiff. */
export function identityMatrix(table: IdentityTable): number[][] {
  return table.rows.map((r) => [r.value, r.count, r.logAutodiff, r.probabilityCounts, r.probabilityAutodiff, r.logitCounts, r.logitAutodiff, r.difference]);
}
