// What the HMM page's views show: series for the charts, and the short paragraphs that
// report the live numbers (each number carries a data-testid for the browser test).
import * as d3 from "d3";
import type { BaumWelchResult, HmmSample } from "../core/hmm.js";
import type { ConvergenceSeries } from "../ui/convergenceChart.js";
import { formatNumber } from "../ui/format.js";
import type { RaceInspection } from "./hmmRace.js";
import { firstReaching, SYMBOL_LABELS, type DecodingComparison, type IdentityTable, type StateMeaning } from "./hmmText.js";

/** One colour per state, the same in every view of the page. */
export const STATE_COLORS: string[] = ["#e15759", "#4e79a7", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#bab0ac", "#ff9da7"];
export const EM_COLOR = "#4e79a7";
export const GA_COLOR = "#e15759";

/**
 * Calls notify(pick(target.value)) now and whenever the target's `input` event brings a new
 * value of pick; returns the function that stops listening. For Generators.observe: a cell that
 * depends only on the harness's seed, not on every training update.
 */
export function watchDistinct<V, T>(target: EventTarget & { value: V }, pick: (value: V) => T, notify: (value: T) => void): () => void {
  let last: T | typeof UNSET = UNSET;
  const check = () => {
    const next = pick(target.value);
    if (last === UNSET || !Object.is(next, last)) notify((last = next));
  };
  check();
  target.addEventListener("input", check);
  return () => target.removeEventListener("input", check);
}
const UNSET = Symbol("unset");

const isolated = new WeakSet<EventTarget>();

/**
 * Stops the element's own `input` events from bubbling further up the page; listeners on the
 * element itself (Generators.input) still get them. A training harness shown inside an
 * editable cell would otherwise make that cell's value fire again on every training update,
 * and re-run every cell that depends on the harness. Returns the element.
 */
export function isolateInput<E extends EventTarget>(element: E): E {
  if (!isolated.has(element)) {
    isolated.add(element);
    element.addEventListener("input", (event) => event.stopPropagation());
  }
  return element;
}

/** Resolves with pick(target.value) as soon as it is not null (now, or on a later `input` event). */
export function whenReady<V, T>(target: EventTarget & { value: V }, pick: (value: V) => T | null): Promise<T> {
  return new Promise((resolve) => {
    const check = () => {
      const v = pick(target.value);
      if (v === null) return;
      target.removeEventListener("input", check);
      resolve(v);
    };
    target.addEventListener("input", check);
    check();
  });
}

const span = (text: string, testid?: string, strong = true) => {
  const node = document.createElement(strong ? "strong" : "span");
  node.textContent = text;
  if (testid) node.dataset.testid = testid;
  return node;
};

/** The race chart's traces: log p / T of each learner. */
export function raceSeries(inspection: RaceInspection | null): ConvergenceSeries[] {
  return [
    { name: "Baum–Welch EM", values: inspection?.emTrace ?? [], color: EM_COLOR },
    { name: "gradient ascent (tfjs autodiff)", values: inspection?.gaTrace ?? [], color: GA_COLOR },
  ];
}

/** The same traces as gaps below the converged EM value, for a log axis. */
export function raceGapSeries(inspection: RaceInspection | null, converged: number): ConvergenceSeries[] {
  const gap = (trace: number[] | undefined) => (trace ?? []).map((v) => (converged - v > 0 ? converged - v : null));
  return [
    { name: "EM gap", values: gap(inspection?.emTrace), color: EM_COLOR },
    { name: "gradient ascent gap", values: gap(inspection?.gaTrace), color: GA_COLOR },
  ];
}

/** Iterations each learner needed to come within each gap of the converged EM value. */
export function raceMilestones(inspection: RaceInspection | null, converged: number, gaps = [0.1, 0.03, 0.01]): { gap: number; em: number | null; ga: number | null }[] {
  return gaps.map((gap) => ({
    gap,
    em: inspection ? firstReaching(inspection.emTrace, converged - gap) : null,
    ga: inspection ? firstReaching(inspection.gaTrace, converged - gap) : null,
  }));
}

/** The paragraph under the race chart: where both learners are, and the milestones. */
export function raceSummary(inspection: RaceInspection | null, fitted: BaumWelchResult, T: number): HTMLElement {
  const root = document.createElement("div");
  root.className = "race-summary";
  const converged = fitted.logLikelihoods[fitted.logLikelihoods.length - 1]! / T;
  const p = document.createElement("p");
  if (!inspection) {
    p.textContent = "Building both learners…";
    root.append(p);
    return root;
  }
  const n = inspection.iteration;
  const em = inspection.emTrace[n]!;
  const ga = inspection.gaTrace[n]!;
  p.append(
    "After ", span(String(n), "race-iteration"), ` iteration${n === 1 ? "" : "s"} from log p / T = `, span(formatNumber(inspection.emTrace[0]!, 5), "race-start"),
    " nats per symbol, EM is at ", span(formatNumber(em, 5), "race-em"),
    " and gradient ascent at ", span(formatNumber(ga, 5), "race-ga"),
    `. EM run to convergence (${fitted.iterations} iterations) reaches `, span(formatNumber(converged, 5), "race-converged"), ".",
  );
  const table = document.createElement("table");
  table.className = "value-table";
  table.dataset.testid = "race-milestones";
  const caption = table.createCaption();
  caption.textContent = "iterations needed to come within a gap of the converged EM value (– : not yet)";
  const head = table.createTHead().insertRow();
  for (const text of ["gap (nats per symbol)", "EM", "gradient ascent"]) {
    const th = document.createElement("th");
    th.textContent = text;
    head.append(th);
  }
  const body = table.createTBody();
  for (const m of raceMilestones(inspection, converged)) {
    const tr = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = String(m.gap);
    tr.append(th);
    for (const v of [m.em, m.ga]) tr.insertCell().textContent = v === null ? "–" : String(v);
  }
  root.append(p, table);
  return root;
}

/** The sentence that reports the identity check's agreement. */
export function identitySummary(table: IdentityTable, T: number, tolerancePerSymbol: number, ms: number, backend: string | null): HTMLElement {
  const p = document.createElement("p");
  p.className = "identity-summary";
  const worstAbs = Math.max(table.maxAbsolute.log, table.maxAbsolute.logit);
  const ok = worstAbs / T <= tolerancePerSymbol;
  p.append(
    "Largest |autodiff − expected counts| over all ", span(String(table.rows.length)), " entries, for log θ and the logits: ",
    span(formatNumber(worstAbs, 3), "identity-max-abs"), " (log θ: ", span(formatNumber(table.maxAbsolute.log, 3), "identity-max-log"),
    "; logits: ", span(formatNumber(table.maxAbsolute.logit, 3), "identity-max-logit"), "), against counts as large as ",
    span(formatNumber(table.largestCount, 4), "identity-largest-count"), ". Per symbol that is ",
    span(formatNumber(worstAbs / T, 3), "identity-per-symbol"), ok ? " ≤ " : " > ", `the float32 tolerance ${formatNumber(tolerancePerSymbol, 2)} `,
    span(ok ? "✓ agree" : "✗ disagree", "identity-verdict"),
    `. The largest relative difference, |a − b| / max(1, |b|) over all three columns, is `, span(formatNumber(table.maxDifference, 3), "identity-max-rel"),
    ` at ${table.worst}. (Autodiff on ${backend ?? "?"} in float32 took ${Math.round(ms)} ms; the counts are float64.)`,
  );
  return p;
}

/** The sampled text, each character on the colour of the state that emitted it. */
export function sampleView(sample: HmmSample): HTMLElement {
  const root = document.createElement("div");
  root.className = "hmm-sample";
  root.dataset.testid = "hmm-sample";
  Object.assign(root.style, { font: "15px/1.9 var(--monospace)", wordBreak: "break-all", maxWidth: "760px", margin: "0.5rem 0 1rem" });
  for (let t = 0; t < sample.symbols.length; t++) {
    const ch = document.createElement("span");
    const z = sample.states[t]!;
    ch.textContent = sample.symbols[t] === 0 ? "␣" : SYMBOL_LABELS[sample.symbols[t]!]!;
    ch.title = `t = ${t}, state ${z}`;
    Object.assign(ch.style, { borderBottom: `3px solid ${STATE_COLORS[z % STATE_COLORS.length]}`, padding: "0 1px" });
    root.append(ch);
  }
  return root;
}

/** A legend of state colours. */
export function stateLegend(states: number): HTMLElement {
  const root = document.createElement("div");
  Object.assign(root.style, { display: "flex", gap: "1rem", font: "13px var(--sans-serif)", margin: "0.25rem 0" });
  for (let k = 0; k < states; k++) {
    const item = document.createElement("span");
    const swatch = document.createElement("span");
    Object.assign(swatch.style, { display: "inline-block", width: "12px", height: "12px", background: STATE_COLORS[k % STATE_COLORS.length], marginRight: "4px", verticalAlign: "-1px" });
    item.append(swatch, `state ${k}`);
    root.append(item);
  }
  return root;
}

/** One line per state: how often it is used, its vowel-and-space mass, the symbols it owns. */
export function meaningList(meanings: StateMeaning[]): HTMLElement {
  const list = document.createElement("ul");
  list.dataset.testid = "state-meanings";
  for (const m of meanings) {
    const li = document.createElement("li");
    const name = document.createElement("strong");
    name.textContent = `State ${m.state}`;
    name.style.color = STATE_COLORS[m.state % STATE_COLORS.length]!;
    const owned = m.symbols.map((v) => SYMBOL_LABELS[v]).join(" ");
    li.append(
      name,
      ` is in use ${formatNumber(100 * m.occupancy, 3)}% of the time and puts `,
      span(m.vowelSpaceMass < 1e-4 ? "< 0.01%" : `${formatNumber(100 * m.vowelSpaceMass, 3)}%`, `vowel-mass-${m.state}`),
      " of its emissions on a e i o u and the space. Its top five: ",
      m.top.map((s) => `${SYMBOL_LABELS[s.symbol]} ${formatNumber(s.probability, 3)}`).join(", "),
      ". It owns (is the more probable source of): ",
      span(owned || "no symbol", `owned-${m.state}`, false),
      ".",
    );
    list.append(li);
  }
  return list;
}

/** Viterbi against the marginals, in one paragraph. */
export function decodingSummary(comparison: DecodingComparison, viterbiLog: number, logLikelihood: number, T: number): HTMLElement {
  const p = document.createElement("p");
  p.append(
    "The Viterbi path and the step-by-step argmax of γ(t) agree at ",
    span(`${formatNumber(100 * comparison.agreement, 4)}%`, "viterbi-agreement"),
    ` of the ${T} steps (${describeDisagreements(comparison.disagreements)}). The Viterbi path changes state `,
    span(String(comparison.viterbiSwitches), "viterbi-switches"),
    " times, the marginal argmax ",
    span(String(comparison.marginalSwitches)),
    " times. Its joint log-probability is log p(z*, x) = ",
    span(formatNumber(viterbiLog, 6), "viterbi-log"),
    ", against log p(x) = ",
    span(formatNumber(logLikelihood, 6)),
    ": the single best path carries a fraction exp(",
    formatNumber(viterbiLog - logLikelihood, 4),
    ") of the probability of the data, p(z* | x) = p(z*, x) / p(x).",
  );
  return p;
}

/** "they differ nowhere" / "they differ at 3 steps: t = 5, 9, 40" (the first five). */
export function describeDisagreements(steps: readonly number[]): string {
  if (steps.length === 0) return "they differ nowhere";
  const shown = steps.slice(0, 5).join(", ");
  return `they differ at ${steps.length} step${steps.length === 1 ? "" : "s"}: t = ${shown}${steps.length > 5 ? ", …" : ""}`;
}

/** "it is a truth universally…" with the character at t in brackets, for the scrubber readout. */
export function contextAround(text: string, t: number, radius = 12): string {
  const show = (s: string) => s.replace(/ /g, "␣");
  const before = text.slice(Math.max(0, t - radius), t);
  const after = text.slice(t + 1, t + 1 + radius);
  return `${show(before)}[${show(text[t] ?? "")}]${show(after)}`;
}

/** The colour scale of state k, for components that take a list. */
export function stateColors(states: number): string[] {
  return d3.range(states).map((k) => STATE_COLORS[k % STATE_COLORS.length]!);
}

/** A plain paragraph (for short live messages). */
export function paragraph(text: string, testid?: string): HTMLParagraphElement {
  const p = document.createElement("p");
  p.textContent = text;
  if (testid) p.dataset.testid = testid;
  return p;
}

/** "As plain text: <code>…</code>". */
export function plainTextLine(label: string, text: string, testid: string): HTMLParagraphElement {
  const p = document.createElement("p");
  const code = document.createElement("code");
  code.textContent = text;
  code.dataset.testid = testid;
  code.style.wordBreak = "break-all";
  p.append(`${label} `, code);
  return p;
}

/** The closing list of agreement figures, from the live identity checks and the fitted model. */
export function closingFigures({ identity, loop, steps, K, converged, iterations }: {
  identity: { table: IdentityTable; T: number };
  loop: { table: IdentityTable; T: number } | null;
  steps: number;
  K: number;
  converged: number;
  iterations: number;
}): HTMLElement {
  const list = document.createElement("ul");
  list.dataset.testid = "closing-figures";
  const worst = (t: IdentityTable) => Math.max(t.maxAbsolute.log, t.maxAbsolute.logit);
  const item = (...parts: (string | Node)[]) => {
    const li = document.createElement("li");
    li.append(...parts);
    list.append(li);
  };
  item(
    `At gradient ascent's parameters after ${steps} steps, on T = ${identity.T} characters with K = ${K}, the largest |autodiff − expected count| for log θ and the logits is `,
    span(formatNumber(worst(identity.table), 3), "closing-max-abs"),
    `, which is ${formatNumber(worst(identity.table) / identity.T, 3)} per symbol, against counts as large as ${formatNumber(identity.table.largestCount, 4)}. The largest relative difference over all three parameterisations (θ, log θ, logits) is `,
    span(formatNumber(identity.table.maxDifference, 3), "closing-max-rel"),
    ".",
  );
  if (loop) {
    item(
      `At the same parameters, through the step-by-step loop (backpropagation through time) on the first ${loop.T} characters, the largest |autodiff − expected count| is `,
      span(formatNumber(worst(loop.table), 3), "closing-loop-max-abs"),
      ` (${formatNumber(worst(loop.table) / loop.T, 3)} per symbol), and the largest relative difference is ${formatNumber(loop.table.maxDifference, 3)}.`,
    );
  }
  item(`Baum–Welch from the same start converges to ${formatNumber(converged, 5)} nats per symbol in ${iterations} iterations. The race above counts how many iterations each learner needs to get close to it.`);
  return list;
}

/** Elements side by side (wrapping on narrow screens), each in its own box so that download menus stay with their table. */
export function sideBySide(...items: HTMLElement[]): HTMLElement {
  const root = document.createElement("div");
  root.style.cssText = "display: flex; flex-wrap: wrap; gap: 0 2.5rem; align-items: flex-start;";
  for (const item of items) {
    const box = document.createElement("div");
    box.append(item);
    root.append(box);
  }
  return root;
}
