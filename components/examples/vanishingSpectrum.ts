// The eigenvalue argument on the "Vanishing and exploding gradients" page, in numbers:
// a recurrent matrix with a chosen spectrum (core: matrixWithSpectrum), the norms of its
// powers, and the norms of the Jacobian products ∏ diag(φ'(a(u))) W along a real
// trajectory of a network (with its own W, or with another W put in its place).
import { eigenvalues, matrixWithSpectrum, singularValues, type Complex } from "../core/eigen.js";
import { matMul, matVec } from "../core/linalg.js";
import { createRng } from "../core/random.js";
import { forward, type FlatRnn } from "./vanishingFastRnn.js";

export interface BuiltMatrixOptions {
  /** ρ: the modulus of every eigenvalue. */
  radius: number;
  /** θ in degrees: the eigenvalues are ρe^{±iθ}. */
  rotationDegrees: number;
  /** κ(Q) of the eigenvector basis: 1 gives a normal W. */
  conditionNumber: number;
  size: number;
  seed: number;
  /** Steps t = 0..horizon for the powers. */
  horizon: number;
}

export interface BuiltMatrix {
  W: number[][];
  /** Computed from W (not copied from the request), largest modulus first. */
  eigenvalues: Complex[];
  /** σ₁ ≥ … ≥ σ_q of W. */
  singular: number[];
  /** ρ(W) = max |λ| and σ_max(W) = ‖W‖₂, both computed from W. */
  radius: number;
  sigmaMax: number;
  /** The unit vector h(0) used for ‖Wᵗ h(0)‖. */
  h0: number[];
  /** ‖Wᵗ h(0)‖ for t = 0..horizon. */
  powers: number[];
  /** ‖Wᵗ‖₂, the largest ‖Wᵗ h‖ over unit h, for t = 0..horizon. */
  powerNorms: number[];
}

/** A unit vector from the seed. */
export function unitVector(size: number, seed: number): number[] {
  const rng = createRng(seed);
  const v = Array.from({ length: size }, () => rng.normal());
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** W = Q D Q⁻¹ with eigenvalues ρe^{±iθ} and cond(Q) = κ, and its powers. */
export function buildMatrix(options: BuiltMatrixOptions): BuiltMatrix {
  const { radius, rotationDegrees, conditionNumber, size, seed, horizon } = options;
  const { W } = matrixWithSpectrum({ radius, rotation: (rotationDegrees * Math.PI) / 180, size, seed, conditionNumber });
  const eig = eigenvalues(W);
  const singular = singularValues(W);
  const h0 = unitVector(size, seed + 1);
  const powers = [1];
  const powerNorms = [1];
  let h = h0;
  let P = W.map((row) => row.slice());
  for (let t = 1; t <= horizon; t++) {
    h = matVec(W, h);
    powers.push(Math.hypot(...h));
    powerNorms.push(singularValues(P)[0]!);
    P = matMul(W, P);
  }
  return { W, eigenvalues: eig, singular, radius: Math.hypot(eig[0]!.re, eig[0]!.im), sigmaMax: singular[0]!, h0, powers, powerNorms };
}

/** ‖Wᵗ‖₂ for t = 0..horizon. */
export function powerNorms(W: number[][], horizon: number): number[] {
  const norms = [1];
  let P = W.map((row) => row.slice());
  for (let t = 1; t <= horizon; t++) {
    norms.push(singularValues(P)[0]!);
    P = matMul(W, P);
  }
  return norms;
}

/** The recurrent matrix of a flat network as rows. */
export function recurrentRows(m: FlatRnn): number[][] {
  return Array.from({ length: m.q }, (_, i) => Array.from(m.W.subarray(i * m.q, (i + 1) * m.q)));
}

/**
 * ‖∂h(t)/∂h(0)‖₂ = σ_max(∏_{u=1}^{t} diag(φ'(a(u))) W) for t = 0..T along the trajectory of
 * xs. With `W` given, it replaces the network's own recurrent matrix (the trajectory is
 * recomputed with it; U, b, V, c are the network's).
 */
export function jacobianProductNorms(m: FlatRnn, xs: number[][], W?: number[][]): number[] {
  const q = m.q;
  const model = W ? { ...m, W: Float64Array.from(W.flat()) } : m;
  if (W && (W.length !== q || W.some((row) => row.length !== q))) throw new Error(`The replacement W must be ${q}×${q}.`);
  const rows = W ?? recurrentRows(m);
  const tr = forward(model, xs);
  const norms = [1];
  let P: number[][] = Array.from({ length: q }, (_, i) => Array.from({ length: q }, (_, j) => (i === j ? 1 : 0)));
  for (let t = 1; t <= xs.length; t++) {
    const J = rows.map((row, i) => {
      const s = model.activation === "relu" ? (tr.a[(t - 1) * q + i]! > 0 ? 1 : 0) : 1 - tr.h[t * q + i]! ** 2;
      return row.map((w) => s * w);
    });
    P = matMul(J, P);
    norms.push(singularValues(P)[0]!);
  }
  return norms;
}
