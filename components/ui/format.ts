// How every chart and table shows a number to the reader.
//
//   formatNumber(0.123456)   "0.1235"      fixed, `digits` decimals below 10
//   formatNumber(0.0123456)  "0.01235"     and at least `digits` significant digits below 0.1
//   formatNumber(-1234.567)  "−1234.6"     about digits + 1 significant digits above 10
//   formatNumber(0.0000123)  "1.230e−5"    exponential when fixed would hide the digits
//   formatNumber(1750)       "1750"         integers below a million as themselves
//   formatNumber(NaN)        "NaN"          and "∞", "−∞" for the infinities
//
// Uses the typographic minus sign (U+2212), as d3's axis ticks do.

import * as d3 from "d3";

const MINUS = "\u2212";

export function formatNumber(x: number, digits = 4): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "∞";
  if (x === -Infinity) return `${MINUS}∞`;
  if (x === 0) return "0";
  const magnitude = Math.abs(x);
  if (Number.isInteger(x) && magnitude < 1e6) return String(x).replace("-", MINUS);
  const order = Math.floor(Math.log10(magnitude));
  const tooSmall = magnitude < Math.max(1e-3, 10 ** (1 - digits));
  const text =
    tooSmall || magnitude >= 1e6
      ? x.toExponential(Math.max(1, digits - 1)).replace("e+", "e")
      : x.toFixed(Math.max(0, digits - Math.max(0, order) + Math.max(0, -order - 1)));
  return text.replace(/-/g, MINUS);
}

/** A training step or other count: 12345 → "12,345". */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString("en-US").replace(/-/g, MINUS) : formatNumber(n);
}

/** Evenly spaced integers in [0, count) to label on an axis: multiples of a 1-2-5 stride,
 *  the smallest stride that leaves at least `minSpacing` pixels between labels. */
export function integerTicks(count: number, pixelsPerStep: number, minSpacing: number): number[] {
  let stride = 1;
  for (let base = 1; stride * pixelsPerStep < minSpacing && base < 1e9; base *= 10) {
    stride = [1, 2, 5].map((m) => m * base).find((s) => s * pixelsPerStep >= minSpacing) ?? base * 10;
  }
  const ticks: number[] = [];
  for (let t = 0; t < count; t += stride) ticks.push(t);
  return ticks;
}

/**
 * Tick values and labels for a colour legend `width` pixels wide over `domain`: the most
 * ticks (at most 5, from d3's 1-2-5 steps) whose labels fit side by side, measuring each label
 * with `labelWidth` (the charts pass texLabel's textWidth; the default, 6.5 px a character,
 * serves where nothing can measure). Labels share one format: fixed-point with the step's
 * precision, or exponential ("5e−8") when the values are below 10⁻³ or at least 10⁵, where
 * fixed-point labels run long.
 */
export function legendTicks(
  domain: readonly [number, number],
  width: number,
  labelWidth: (label: string) => number = (label) => label.length * 6.5,
): { values: number[]; labels: string[] } {
  const [lo, hi] = domain;
  const labelled = (values: number[], step: number) => ({ values, labels: values.map((v) => tickLabel(v, step, values)) });
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return labelled([lo], 1);
  const pixelsPerUnit = width / (hi - lo);
  for (const count of [5, 4, 3, 2]) {
    const values = d3.ticks(lo, hi, count);
    if (values.length < 2) continue;
    const step = values[1]! - values[0]!;
    const candidate = labelled(values, step);
    const widest = Math.max(...candidate.labels.map(labelWidth));
    if (widest + 6 <= step * pixelsPerUnit) return candidate;
  }
  return labelled([lo, hi], hi - lo);
}

function tickLabel(v: number, step: number, values: readonly number[]): string {
  if (v === 0) return "0";
  const largest = Math.max(...values.map(Math.abs));
  const exponential = largest !== 0 && (largest < 1e-3 || largest >= 1e5);
  const text = exponential ? d3.format("~e")(v) : d3.format(`.${d3.precisionFixed(step)}f`)(v);
  return text.replace(/-/g, MINUS).replace("e+", "e");
}
