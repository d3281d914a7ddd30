// Eigenvalues and singular values of small dense real matrices, in float64.
//
// Why not mathjs? mathjs 15.2.0's eigs does return complex eigenvalues of non-symmetric
// matrices, but it often stops with "The eigenvalues failed to converge" on random
// non-symmetric matrices: measured on uniform(−½, ½) entries, 0/20 failures at n = 4,
// 5/20 at n = 8, 13/20 at n = 12, 16/20 at n = 20, 20/20 at n = 32. Recurrent weight
// matrices are exactly such matrices, so this file has its own routine:
//
//   1. balance: D⁻¹ M D with D a diagonal of powers of two (exact), so rows and columns
//      have comparable norms (Parlett & Reinsch, 1969);
//   2. reduce to upper Hessenberg form H = Pᵀ M P with Householder reflectors;
//   3. Francis' implicit double-shift QR iteration on H, deflating whenever a
//      subdiagonal entry becomes negligible, reading the eigenvalues off the 1×1 and
//      2×2 diagonal blocks that remain (a 2×2 block with complex roots gives a
//      conjugate pair re ± i·im).
//
// Singular values use one-sided Jacobi (Hestenes, 1958), which is accurate to the last
// few bits even for the tiny singular values of long Jacobian products.
//
// Eigenvalues are NOT singular values unless M is normal (M Mᵀ = Mᵀ M): for W = QΛQ⁻¹
// with a non-orthogonal Q, ‖Wᵗ‖ can grow for a while although every |λ| < 1.
// matrixWithSpectrum builds such matrices on purpose.

import { matMul, orthonormalColumns, transpose } from "./linalg.js";
import { createRng } from "./random.js";

/** A complex number re + i·im. */
export interface Complex {
  re: number;
  im: number;
}

const EPS = Number.EPSILON;

function checkSquare(m: number[][], name: string): number {
  const n = Array.isArray(m) ? m.length : 0;
  if (n < 1) throw new Error(`${name} must be a non-empty square matrix.`);
  m.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== n) {
      throw new Error(`${name} must be square (${n}×${n}) but row ${i} has ${Array.isArray(row) ? row.length : "no"} entries.`);
    }
    row.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new Error(`${name}[${i}][${j}] is ${v}; every entry must be finite.`);
    });
  });
  return n;
}

/** Scales row i by 1/f and column i by f (powers of 2) until row and column norms balance. */
function balance(a: number[][]): void {
  const n = a.length;
  const radix = 2;
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 0; i < n; i++) {
      let col = 0;
      let row = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        col += Math.abs(a[j]![i]!);
        row += Math.abs(a[i]![j]!);
      }
      if (col === 0 || row === 0) continue;
      const total = col + row;
      let f = 1;
      let c = col;
      let r = row;
      while (c < r / radix) {
        c *= radix;
        r /= radix;
        f *= radix;
      }
      while (c >= r * radix) {
        c /= radix;
        r *= radix;
        f /= radix;
      }
      if (c + r < 0.95 * total) {
        changed = true;
        for (let j = 0; j < n; j++) a[i]![j]! /= f;
        for (let j = 0; j < n; j++) a[j]![i]! *= f;
      }
    }
  }
}

/**
 * Applies the reflector P = I − 2 v vᵀ / (vᵀ v) from the left to rows r0..r0+len−1 over
 * columns c0..c1, and from the right to the same columns over rows d0..d1.
 */
function reflectBothSides(a: number[][], v: number[], r0: number, c0: number, c1: number, d0: number, d1: number): void {
  const len = v.length;
  let vv = 0;
  for (const x of v) vv += x * x;
  if (vv === 0) return;
  const beta = 2 / vv;
  for (let j = c0; j <= c1; j++) {
    let s = 0;
    for (let l = 0; l < len; l++) s += v[l]! * a[r0 + l]![j]!;
    s *= beta;
    for (let l = 0; l < len; l++) a[r0 + l]![j]! -= s * v[l]!;
  }
  for (let i = d0; i <= d1; i++) {
    const rowI = a[i]!;
    let s = 0;
    for (let l = 0; l < len; l++) s += rowI[r0 + l]! * v[l]!;
    s *= beta;
    for (let l = 0; l < len; l++) rowI[r0 + l]! -= s * v[l]!;
  }
}

/** v with (I − 2vvᵀ/vᵀv) u = ∓‖u‖ e₁, choosing the sign that avoids cancellation. */
function householderVector(u: number[]): number[] {
  const norm = Math.hypot(...u);
  const v = u.slice();
  if (norm === 0) return v.map(() => 0);
  v[0]! += u[0]! >= 0 ? norm : -norm;
  return v;
}

/** Reduces a (in place) to upper Hessenberg form by Householder similarity transforms. */
function toHessenberg(a: number[][]): void {
  const n = a.length;
  for (let k = 0; k < n - 2; k++) {
    const u: number[] = [];
    for (let i = k + 1; i < n; i++) u.push(a[i]![k]!);
    reflectBothSides(a, householderVector(u), k + 1, k, n - 1, 0, n - 1);
    for (let i = k + 2; i < n; i++) a[i]![k] = 0; // exactly zero below the subdiagonal
  }
}

/** The two eigenvalues of [[p, q], [r, s]], computed without cancellation. */
export function eigenvalues2x2(p: number, q: number, r: number, s: number): [Complex, Complex] {
  // μ = λ − s solves μ² − (p − s) μ − q r = 0, so μ = h ± √(h² + q r) with h = (p − s)/2.
  const h = (p - s) / 2;
  const disc = h * h + q * r;
  if (disc >= 0) {
    const root = Math.sqrt(disc);
    const mu1 = h + (h >= 0 ? root : -root); // the larger |μ|, no cancellation
    if (mu1 === 0) return [{ re: s, im: 0 }, { re: s, im: 0 }];
    const mu2 = (-q * r) / mu1; // product of the roots is −q r
    return [{ re: s + mu1, im: 0 }, { re: s + mu2, im: 0 }];
  }
  const im = Math.sqrt(-disc);
  return [{ re: s + h, im }, { re: s + h, im: -im }];
}

/**
 * Largest modulus first; moduli within 1e−12 (relative) count as ties, broken by the larger
 * real part (same tolerance), then the larger imaginary part.
 */
function byModulus(x: Complex, y: Complex): number {
  const mx = Math.hypot(x.re, x.im);
  const my = Math.hypot(y.re, y.im);
  const tol = 1e-12 * Math.max(mx, my, Number.MIN_VALUE);
  if (Math.abs(my - mx) > tol) return my - mx;
  if (Math.abs(y.re - x.re) > tol) return y.re - x.re;
  return y.im - x.im;
}

/**
 * All n eigenvalues λ of a real n×n matrix M (det(M − λI) = 0), with multiplicity, as
 * complex numbers sorted by modulus |λ| from largest to smallest (ties: larger real part,
 * then +im before −im, so conjugate pairs sit side by side). Complex eigenvalues of a real
 * matrix come in exact conjugate pairs re ± i·im here.
 *
 * Accuracy: about ε‖M‖ (ε ≈ 2.2e−16) for well-conditioned eigenvalues; a defective
 * eigenvalue (a Jordan block of size s) is only accurate to about (ε‖M‖)^{1/s}.
 */
export function eigenvalues(M: number[][]): Complex[] {
  const n = checkSquare(M, "M");
  const a = M.map((row) => row.slice());
  balance(a);
  toHessenberg(a);
  let norm = 0;
  for (const row of a) for (const v of row) norm = Math.max(norm, Math.abs(v));
  const found: Complex[] = [];
  let hi = n - 1;
  let sinceDeflation = 0;
  let totalSweeps = 0;
  while (hi >= 0) {
    // Find the active block lo..hi: the bottom-most run with non-negligible subdiagonals.
    let lo = hi;
    while (lo > 0) {
      const scale = Math.abs(a[lo - 1]![lo - 1]!) + Math.abs(a[lo]![lo]!) || norm;
      if (Math.abs(a[lo]![lo - 1]!) <= EPS * scale) {
        a[lo]![lo - 1] = 0;
        break;
      }
      lo--;
    }
    if (lo === hi) {
      found.push({ re: a[hi]![hi]!, im: 0 });
      hi -= 1;
      sinceDeflation = 0;
      continue;
    }
    if (lo === hi - 1) {
      found.push(...eigenvalues2x2(a[hi - 1]![hi - 1]!, a[hi - 1]![hi]!, a[hi]![hi - 1]!, a[hi]![hi]!));
      hi -= 2;
      sinceDeflation = 0;
      continue;
    }
    totalSweeps++;
    if (totalSweeps > 100 * n) throw new Error(`eigenvalues: the QR iteration did not converge after ${totalSweeps - 1} sweeps.`);
    sinceDeflation++;
    francisDoubleStep(a, lo, hi, sinceDeflation % 10 === 0);
  }
  return found.sort(byModulus);
}

/**
 * One implicit double-shift QR step on the Hessenberg block a[lo..hi][lo..hi] (size ≥ 3):
 * the shifts are the eigenvalues σ₁, σ₂ of the trailing 2×2 block, entering only through
 * their sum s and product t; the first column of (H − σ₁I)(H − σ₂I) = H² − sH + tI starts
 * a bulge that 3×3 reflectors chase down the subdiagonal. With `exceptional`, an ad hoc
 * shift pair breaks the rare cycles of the standard shifts.
 */
function francisDoubleStep(a: number[][], lo: number, hi: number, exceptional: boolean): void {
  let s: number;
  let t: number;
  if (exceptional) {
    const w = Math.abs(a[hi]![hi - 1]!) + Math.abs(a[hi - 1]![hi - 2]!);
    const d = a[hi]![hi]! + 0.75 * w;
    s = 2 * d; // shifts = eigenvalues of [[d, −0.4375w], [w, d]]
    t = d * d + 0.4375 * w * w;
  } else {
    s = a[hi - 1]![hi - 1]! + a[hi]![hi]!;
    t = a[hi - 1]![hi - 1]! * a[hi]![hi]! - a[hi - 1]![hi]! * a[hi]![hi - 1]!;
  }
  const h00 = a[lo]![lo]!;
  const h10 = a[lo + 1]![lo]!;
  let x = h00 * h00 + a[lo]![lo + 1]! * h10 - s * h00 + t;
  let y = h10 * (h00 + a[lo + 1]![lo + 1]! - s);
  let z = h10 * a[lo + 2]![lo + 1]!;
  for (let k = lo; k <= hi - 2; k++) {
    const size = Math.abs(x) + Math.abs(y) + Math.abs(z) || 1;
    const v = householderVector([x / size, y / size, z / size]);
    reflectBothSides(a, v, k, Math.max(lo, k - 1), hi, lo, Math.min(k + 3, hi));
    if (k > lo) {
      a[k + 1]![k - 1] = 0; // the bulge entries just annihilated
      a[k + 2]![k - 1] = 0;
    }
    x = a[k + 1]![k]!;
    y = a[k + 2]![k]!;
    if (k < hi - 2) z = a[k + 3]![k]!;
  }
  const size = Math.abs(x) + Math.abs(y) || 1;
  reflectBothSides(a, householderVector([x / size, y / size]), hi - 1, hi - 2, hi, lo, hi);
  a[hi]![hi - 2] = 0; // the last bulge entry
}

/** ρ(M) = max |λ| over the eigenvalues of M. */
export function spectralRadius(M: number[][]): number {
  const largest = eigenvalues(M)[0]!;
  return Math.hypot(largest.re, largest.im);
}

/**
 * The singular values σ₁ ≥ σ₂ ≥ … ≥ σ_min(m,n) ≥ 0 of a real m×n matrix (σᵢ² are the
 * eigenvalues of MᵀM), by one-sided Jacobi: plane rotations of column pairs until every
 * pair is orthogonal; the column norms are then the σᵢ.
 */
export function singularValues(M: number[][]): number[] {
  const m = Array.isArray(M) ? M.length : 0;
  const n0 = m === 0 ? 0 : M[0]!.length;
  if (m < 1 || n0 < 1) throw new Error("singularValues needs a non-empty matrix.");
  M.forEach((row, i) => {
    if (row.length !== n0) throw new Error(`M must be rectangular: row ${i} has ${row.length} entries, row 0 has ${n0}.`);
  });
  // Work on the columns of whichever of M, Mᵀ is taller (same singular values).
  const cols = m >= n0 ? transpose(M) : M.map((row) => row.slice());
  const n = cols.length;
  const len = cols[0]!.length;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let i = 0; i < n - 1; i++) {
      for (let j = i + 1; j < n; j++) {
        const ci = cols[i]!;
        const cj = cols[j]!;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let l = 0; l < len; l++) {
          alpha += ci[l]! * ci[l]!;
          beta += cj[l]! * cj[l]!;
          gamma += ci[l]! * cj[l]!;
        }
        if (gamma === 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        // The rotation that zeroes the (i, j) entry of the 2×2 Gram matrix [[α, γ], [γ, β]].
        const zeta = (beta - alpha) / (2 * gamma);
        const tan = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const cos = 1 / Math.sqrt(1 + tan * tan);
        const sin = cos * tan;
        for (let l = 0; l < len; l++) {
          const u = ci[l]!;
          const w = cj[l]!;
          ci[l] = cos * u - sin * w;
          cj[l] = sin * u + cos * w;
        }
      }
    }
    if (!rotated) break;
  }
  return cols.map((c) => Math.hypot(...c)).sort((x, y) => y - x);
}

/** ‖M‖₂ = σ₁(M), the largest singular value (the most M can stretch a vector). */
export function spectralNorm(M: number[][]): number {
  return singularValues(M)[0]!;
}

/** ‖M‖_F = √(Σᵢⱼ Mᵢⱼ²) = √(Σᵢ σᵢ²). */
export function frobeniusNorm(M: number[][]): number {
  let s = 0;
  for (const row of M) for (const v of row) s += v * v;
  return Math.sqrt(s);
}

export interface SpectrumOptions {
  /** ρ: every eigenvalue has modulus ρ (so ρ(W) = ρ exactly). */
  radius: number;
  /** θ in radians: eigenvalues ρ e^{±iθ}. θ = 0 gives the real eigenvalue ρ. */
  rotation: number;
  /** n, the matrix size. */
  size: number;
  seed: number;
  /**
   * κ(Q) = σ_max(Q)/σ_min(Q) of the eigenvector basis; 1 (the default) gives an
   * orthogonal Q and a normal W whose singular values all equal ρ. κ > 1 gives a
   * non-normal W whose ‖Wᵗ‖ can exceed ρᵗ by up to a factor κ.
   */
  conditionNumber?: number;
}

export interface MatrixWithSpectrum {
  /** W = Q D Q⁻¹. */
  W: number[][];
  /** Block diagonal: ⌊n/2⌋ blocks ρ[[cos θ, −sin θ], [sin θ, cos θ]] and, for odd n, one 1×1 block ρ. */
  D: number[][];
  Q: number[][];
  Qinv: number[][];
  /** The exact eigenvalues of W (those of D), sorted like eigenvalues(). */
  eigenvalues: Complex[];
}

/**
 * A real n×n matrix W = Q D Q⁻¹ with a chosen spectrum: D is block diagonal with ⌊n/2⌋
 * rotation–scaling blocks ρ·R(θ) (eigenvalues ρe^{±iθ}) plus a 1×1 block ρ when n is
 * odd; Q = O₁ diag(σ) O₂ᵀ with O₁, O₂ Haar-random orthogonal (from `seed`) and σ
 * geometric from 1 down to 1/κ, so Q⁻¹ = O₂ diag(1/σ) O₁ᵀ is exact.
 * With κ = 1, Wᵗ = Q Dᵗ Qᵀ and ‖Wᵗ h‖ = ρᵗ ‖h‖ for every h.
 */
export function matrixWithSpectrum(options: SpectrumOptions): MatrixWithSpectrum {
  const { radius, rotation, size: n, seed } = options;
  const kappa = options.conditionNumber ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new Error(`size must be a positive integer, got ${n}.`);
  if (!(Number.isFinite(radius) && radius >= 0)) throw new Error(`radius must be a finite number ≥ 0, got ${radius}.`);
  if (!Number.isFinite(rotation)) throw new Error(`rotation must be a finite angle in radians, got ${rotation}.`);
  if (!(Number.isFinite(kappa) && kappa >= 1)) throw new Error(`conditionNumber must be ≥ 1, got ${kappa}.`);
  const cos = radius * Math.cos(rotation);
  const sin = radius * Math.sin(rotation);
  const D = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const spectrum: Complex[] = [];
  for (let i = 0; i + 1 < n; i += 2) {
    D[i]![i] = cos;
    D[i]![i + 1] = -sin;
    D[i + 1]![i] = sin;
    D[i + 1]![i + 1] = cos;
    spectrum.push({ re: cos, im: sin }, { re: cos, im: -sin });
  }
  if (n % 2 === 1) {
    D[n - 1]![n - 1] = radius;
    spectrum.push({ re: radius, im: 0 });
  }
  const rng = createRng(seed);
  const haar = () => orthonormalColumns(Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal())));
  const O1 = haar();
  const O2 = haar();
  const sigma = Array.from({ length: n }, (_, i) => (n === 1 ? 1 : kappa ** (-i / (n - 1))));
  const Q = matMul(O1.map((row) => row.map((v, j) => v * sigma[j]!)), transpose(O2));
  const Qinv = matMul(O2.map((row) => row.map((v, j) => v / sigma[j]!)), transpose(O1));
  return { W: matMul(matMul(Q, D), Qinv), D, Q, Qinv, eigenvalues: spectrum.sort(byModulus) };
}
