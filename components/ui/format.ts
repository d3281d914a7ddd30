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
