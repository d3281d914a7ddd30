// Gradient clipping by global norm (Pascanu, Mikolov & Bengio, 2013), in float64:
//   ‖g‖ = √(Σ over every parameter array of Σ entries²),
//   g ← g · s   with  s = min(1, maxNorm / ‖g‖),
// one factor for all arrays, so the direction of the whole gradient is kept and only its
// length is capped. (The tfjs version is components/models/clipTf.ts.)

/** A gradient array: a matrix or a vector. */
export type GradientArray = number[][] | number[];

export interface ClipResult<G extends GradientArray[]> {
  /** g · scale, new arrays of the same shapes. */
  clipped: G;
  /** ‖g‖ before clipping. */
  norm: number;
  /** s = min(1, maxNorm / ‖g‖) (1 when ‖g‖ = 0). */
  scale: number;
}

/** ‖g‖ = √(Σ_arrays Σ_entries g²), accumulated with scaling so it cannot overflow. */
export function globalNorm(grads: GradientArray[]): number {
  const values = grads.flatMap((g) => (g as Array<number | number[]>).flat());
  const largest = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  if (largest === 0 || !Number.isFinite(largest)) return largest;
  let s = 0;
  for (const v of values) s += (v / largest) ** 2;
  return largest * Math.sqrt(s);
}

/**
 * Scales every array by s = min(1, maxNorm / ‖g‖), ‖g‖ the global norm over all of them,
 * so ‖g·s‖ ≤ maxNorm and g·s points the same way as g.
 * Works for any list of matrices and vectors, e.g. [W, U, b, V, c] of an RnnGradients.
 */
export function clipByGlobalNorm<G extends GradientArray[]>(grads: G, maxNorm: number): ClipResult<G> {
  if (!(maxNorm > 0)) throw new Error(`maxNorm must be a positive number, got ${maxNorm}.`);
  const norm = globalNorm(grads);
  if (!Number.isFinite(norm)) throw new Error(`The gradient norm is ${norm}: clipping cannot rescue a non-finite gradient.`);
  const scale = norm > maxNorm ? maxNorm / norm : 1;
  const clipped = grads.map((g) =>
    (g as Array<number | number[]>).map((row) => (Array.isArray(row) ? row.map((v) => v * scale) : row * scale)),
  ) as G;
  return { clipped, norm, scale };
}
