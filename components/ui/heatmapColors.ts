// The heatmap's colours: which values the colour range spans, and how a value becomes a colour.
//
//   domain   given, or from the data: [−m, m] with m a nice bound on max |v| when any value is
//            negative, else [0, m]; [−1, 1] when there is no finite value.
//   colours  a diverging red–blue scale on a domain symmetric about 0 (blue negative, red
//            positive), viridis otherwise; a value is placed on 256 levels, clamped to the
//            domain, and a non-finite value is grey.
// No DOM here, so Node tests it.
import * as d3 from "d3";

/** The grey of a missing (NaN or infinite) value. */
export const MISSING_GREY = 153;

/** The upper end of a nice domain [0, m]: 0.97 → 1, 2.3 → 2.5. */
export function niceBound(m: number): number {
  if (!(m > 0)) return 1;
  return d3.nice(0, m, 5)[1];
}

/** The colour domain of a units × time matrix (rows are time steps), unless one is given. */
export function colorDomain(matrix: readonly (readonly number[])[], fixed?: [number, number]): [number, number] {
  if (fixed) return fixed;
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of matrix) {
    for (const v of row) {
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (lo > hi) return [-1, 1];
  if (lo >= 0) return [0, niceBound(hi)];
  const m = niceBound(Math.max(-lo, hi));
  return [-m, m];
}

export interface ColorScale {
  domain: [number, number];
  /** u ∈ [0, 1] along the domain → a CSS colour. */
  interpolate: (u: number) => string;
  /** The level 0…255 of a finite value (clamped to the domain). */
  level(v: number): number;
  /** RGB of each level, 256 × 3 bytes, for writing pixels. */
  rgb: Uint8ClampedArray;
  /** The CSS colour of a value, grey when it is not finite. */
  colorOf(v: number): string;
}

export function colorScale(domain: [number, number]): ColorScale {
  const [lo, hi] = domain;
  const symmetric = lo < 0 && Math.abs(lo + hi) <= 1e-12 * Math.max(-lo, hi);
  const interpolate = symmetric ? (u: number) => d3.interpolateRdBu(1 - u) : d3.interpolateViridis;
  const level = (v: number) => {
    const u = hi > lo ? (v - lo) / (hi - lo) : 0.5;
    return Math.round(255 * Math.min(1, Math.max(0, u)));
  };
  const rgb = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const c = d3.rgb(interpolate(i / 255));
    rgb.set([c.r, c.g, c.b], i * 3);
  }
  const grey = "#999"; // MISSING_GREY as CSS
  return { domain, interpolate, level, rgb, colorOf: (v) => (Number.isFinite(v) ? interpolate(level(v) / 255) : grey) };
}
