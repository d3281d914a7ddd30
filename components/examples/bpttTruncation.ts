// Truncated BPTT on the BPTT page: the gradient BPTT(k1, k2) uses, against the full one,
// on the live model's weights and the page's sequence (core: truncatedBackward).
import { compareGradients, rnnBackward, truncatedBackward, type GradientAgreement, type RnnGradients, type TruncatedBackward } from "../core/bptt.js";
import { rnnForward, type RnnParams } from "../core/rnn.js";
import type { NormSeries } from "../ui/normPlot.js";
import { PARAMETER_COLORS } from "./bpttViews.js";

export interface TruncationStudy {
  k1: number;
  k2: number;
  truncated: TruncatedBackward;
  full: RnnGradients;
  /** ‖g̃ − g‖/‖g‖, cosine and norm ratio over all parameters. */
  agreement: GradientAgreement;
  /** ‖g̃_θ − g_θ‖/‖g_θ‖ for each parameter θ. */
  perParameter: Record<"W" | "U" | "b" | "V" | "c", number>;
}

function relativeError(a: number[][] | number[], b: number[][] | number[]): number {
  const av = (a as Array<number | number[]>).flat() as number[];
  const bv = (b as Array<number | number[]>).flat() as number[];
  let diff = 0;
  let size = 0;
  bv.forEach((v, i) => {
    diff += (av[i]! - v) ** 2;
    size += v * v;
  });
  return size === 0 ? (diff === 0 ? 0 : Infinity) : Math.sqrt(diff / size);
}

/** The truncated gradient for (k1, k2) against the full BPTT gradient (k2 is raised to k1 if smaller). */
export function truncationStudy(params: RnnParams, xs: number[][], targets: number[], k1: number, k2: number): TruncationStudy {
  const T = xs.length;
  const a = Math.max(1, Math.min(Math.round(k1), T));
  const b = Math.max(a, Math.min(Math.round(k2), T));
  const forward = rnnForward(params, xs, undefined, "multiclass");
  const full = rnnBackward(params, forward, targets, "multiclass", xs).grads;
  const truncated = truncatedBackward(params, forward, targets, "multiclass", { k1: a, k2: b }, xs);
  const perParameter = {
    W: relativeError(truncated.grads.W, full.W),
    U: relativeError(truncated.grads.U, full.U),
    b: relativeError(truncated.grads.b, full.b),
    V: relativeError(truncated.grads.V, full.V),
    c: relativeError(truncated.grads.c, full.c),
  };
  return { k1: a, k2: b, truncated, full, agreement: compareGradients(truncated.grads, full), perParameter };
}

/** The bias ‖g̃ − g‖/‖g‖ for every k2 = k1..T at fixed k1: overall and for W, U, b (V and c are never biased). */
export function biasAgainstK2(params: RnnParams, xs: number[][], targets: number[], k1: number): NormSeries[] {
  const T = xs.length;
  const a = Math.max(1, Math.min(Math.round(k1), T));
  const forward = rnnForward(params, xs, undefined, "multiclass");
  const full = rnnBackward(params, forward, targets, "multiclass", xs).grads;
  const ks: number[] = [];
  const overall: number[] = [];
  const per = { W: [] as number[], U: [] as number[], b: [] as number[] };
  for (let k2 = a; k2 <= T; k2++) {
    const g = truncatedBackward(params, forward, targets, "multiclass", { k1: a, k2 }, xs).grads;
    ks.push(k2);
    overall.push(compareGradients(g, full).relativeError);
    per.W.push(relativeError(g.W, full.W));
    per.U.push(relativeError(g.U, full.U));
    per.b.push(relativeError(g.b, full.b));
  }
  return [
    { name: "all parameters", x: ks, values: overall, color: "#111827", dots: true },
    { name: "$W$", x: ks, values: per.W, color: PARAMETER_COLORS.W },
    { name: "$U$", x: ks, values: per.U, color: PARAMETER_COLORS.U },
    { name: "$\\vb$", x: ks, values: per.b, color: PARAMETER_COLORS.b, dash: true },
  ];
}
