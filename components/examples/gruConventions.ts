// The GRU page's side-by-side of the two reset placements and the two update conventions,
// all in float64 on one seeded set of weights and one input sequence.
import { flipUpdateGate, gruForward, initGruParams, type GruParams } from "../core/gru.js";
import { createRng } from "../core/random.js";
import type { LineSeries } from "../ui/lineChart.js";
import type { ValueTableRow } from "../ui/valueTable.js";

export interface ConventionDemo {
  params: GruParams;
  xs: number[][];
  before: number[][];
  after: number[][];
  /** Z-takes-the-new-state convention on the same weights (a different model). */
  takeSameWeights: number[][];
  /** Z-takes-the-new-state convention with Z's parameters negated: equal to `before`. */
  takeFlipped: number[][];
}

/** q units, p = 2 inputs (a sine and a square wave), T steps, biases drawn so that b_HR matters. */
export function conventionDemo({ hiddenSize, seed, T = 30 }: { hiddenSize: number; seed: number; T?: number }): ConventionDemo {
  const params = initGruParams({ inputSize: 2, hiddenSize, outputSize: 1, seed });
  const rng = createRng(seed + 500);
  params.bHR = params.bHR.map(() => 0.5 * rng.normal());
  params.H.b = params.H.b.map(() => 0.3 * rng.normal());
  const xs = Array.from({ length: T }, (_, t) => [Math.sin((2 * Math.PI * t) / 12), t % 8 < 4 ? 1 : -1]);
  return {
    params,
    xs,
    before: gruForward(params, xs, { reset: "before" }).h,
    after: gruForward(params, xs, { reset: "after" }).h,
    takeSameWeights: gruForward(params, xs, { reset: "before", update: "take" }).h,
    takeFlipped: gruForward(flipUpdateGate(params), xs, { reset: "before", update: "take" }).h,
  };
}

export function conventionSeries(demo: ConventionDemo, unit: number): LineSeries[] {
  return [
    { name: `reset before: $W_H(R\\odot h)$`, values: demo.before.map((h) => h[unit]!), color: "#2563eb" },
    { name: `reset after: $R\\odot(W_H h + b_{HR})$`, values: demo.after.map((h) => h[unit]!), color: "#dc2626" },
    { name: `Z takes the new state, same weights`, values: demo.takeSameWeights.map((h) => h[unit]!), color: "#9ca3af", dash: true },
  ];
}

export function conventionRows(demo: ConventionDemo): ValueTableRow[] {
  const q = demo.before[0]!.length;
  const units = Array.from({ length: q }, (_, j) => `unit ${j + 1}`);
  return [
    { label: "input $x^{(t)}$", values: (t: number) => demo.xs[t]!, unitLabels: ["sine", "square"] },
    { label: "$h^{(t)}$, reset before", values: (t: number) => demo.before[t]!, unitLabels: units },
    { label: "$h^{(t)}$, reset after", values: (t: number) => demo.after[t]!, unitLabels: units },
    { label: "difference after − before", values: (t: number) => demo.after[t]!.map((v, j) => v - demo.before[t]![j]!), unitLabels: units },
    { label: "Z takes the new state, same weights", values: (t: number) => demo.takeSameWeights[t]!, unitLabels: units },
    { label: "Z takes the new state, Z's weights negated", values: (t: number) => demo.takeFlipped[t]!, unitLabels: units },
  ];
}

/** Largest absolute differences, for the sentence under the table. */
export function conventionGaps(demo: ConventionDemo): { placement: number; sameWeights: number; flipped: number } {
  const gap = (a: number[][], b: number[][]) => Math.max(...a.flatMap((r, t) => r.map((v, j) => Math.abs(v - b[t]![j]!))));
  return { placement: gap(demo.before, demo.after), sameWeights: gap(demo.before, demo.takeSameWeights), flipped: gap(demo.before, demo.takeFlipped) };
}
