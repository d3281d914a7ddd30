// Matrix helpers for the state-space code (Kalman filter, smoother, EM), on top of
// linalg.ts. Matrices are number[][] (row-major), vectors number[]. Sizes are tiny
// (2×2 … 8×8), so every routine is a plain dense loop written for clarity.

import { matMul } from "./linalg.js";

// zeroMatrix / identityMatrix / transposeMatrix do what linalg.ts's zeros / identity /
// transpose do, with plain loops: Array.from({ length }) is many times slower in V8,
// and these run at every step of the filter and the smoother.

/** A rows × cols matrix of zeros. */
export function zeroMatrix(rows: number, cols: number): number[][] {
  const m: number[][] = new Array(rows);
  for (let i = 0; i < rows; i++) m[i] = new Array<number>(cols).fill(0);
  return m;
}

/** The n × n identity matrix. */
export function identityMatrix(n: number): number[][] {
  const m = zeroMatrix(n, n);
  for (let i = 0; i < n; i++) m[i]![i] = 1;
  return m;
}

/** Aᵀ. */
export function transposeMatrix(a: number[][]): number[][] {
  const rows = a.length;
  const cols = rows === 0 ? 0 : a[0]!.length;
  const t = zeroMatrix(cols, rows);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j]![i] = a[i]![j]!;
  return t;
}

/** C = A + B (same shapes). */
export function addMatrices(a: number[][], b: number[][]): number[][] {
  return a.map((row, i) => row.map((v, j) => v + b[i]![j]!));
}

/** C = A − B (same shapes). */
export function subtractMatrices(a: number[][], b: number[][]): number[][] {
  return a.map((row, i) => row.map((v, j) => v - b[i]![j]!));
}

/** z = x + y. */
export function addVectors(x: readonly number[], y: readonly number[]): number[] {
  return x.map((v, i) => v + y[i]!);
}

/** z = x − y. */
export function subtractVectors(x: readonly number[], y: readonly number[]): number[] {
  return x.map((v, i) => v - y[i]!);
}

/** A B Aᵀ: a covariance B pushed through the linear map A. */
export function sandwich(a: number[][], b: number[][]): number[][] {
  return matMul(matMul(a, b), transposeMatrix(a));
}

/** (A + Aᵀ) / 2: removes the rounding asymmetry of a covariance update. */
export function symmetrize(a: number[][]): number[][] {
  return a.map((row, i) => row.map((v, j) => 0.5 * (v + a[j]![i]!)));
}

/** The largest |a_ij| (0 for an empty matrix). */
export function maxAbs(a: number[][]): number {
  let m = 0;
  for (const row of a) for (const v of row) m = Math.max(m, Math.abs(v));
  return m;
}

/** The rows of A listed in `rows`, and (if given) only the columns in `cols`. */
export function subMatrix(a: number[][], rows: readonly number[], cols?: readonly number[]): number[][] {
  return rows.map((i) => (cols ? cols.map((j) => a[i]![j]!) : a[i]!.slice()));
}

/**
 * The lower-triangular Cholesky factor L with A = L Lᵀ, or null when A is not
 * (numerically) positive definite, i.e. some pivot a_jj − Σ_k l_jk² is ≤ 0 or not finite.
 * Only the lower triangle of A is read.
 */
export function cholesky(a: number[][]): number[][] | null {
  const n = a.length;
  const l = zeroMatrix(n, n);
  for (let j = 0; j < n; j++) {
    let d = a[j]![j]!;
    for (let k = 0; k < j; k++) d -= l[j]![k]! * l[j]![k]!;
    if (!(d > 0) || !Number.isFinite(d)) return null;
    const ljj = Math.sqrt(d);
    l[j]![j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = s / ljj;
    }
  }
  return l;
}

/**
 * A lower-triangular factor L with A = L Lᵀ for a positive *semi*-definite A: a pivot
 * within `tol · max|a_jj|` of zero gives a zero column (its column below the pivot
 * must then vanish too). Returns null if A is not PSD. Used to check covariances that
 * may legitimately be singular (Σ_h of a companion-form AR, Σ_obs = 0) and to draw
 * Gaussian noise with such a covariance (ε = L z, z ~ N(0, I)).
 */
export function choleskySemidefinite(a: number[][], tol = 1e-10): number[][] | null {
  const n = a.length;
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(a[i]![i]!));
  const eps = tol * (scale > 0 ? scale : 1);
  const l = zeroMatrix(n, n);
  for (let j = 0; j < n; j++) {
    let d = a[j]![j]!;
    for (let k = 0; k < j; k++) d -= l[j]![k]! * l[j]![k]!;
    if (!Number.isFinite(d) || d < -eps) return null;
    if (d <= eps) {
      // Zero pivot: the rest of column j of A must be explained by earlier columns.
      for (let i = j + 1; i < n; i++) {
        let s = a[i]![j]!;
        for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
        if (Math.abs(s) > Math.sqrt(eps * Math.max(Math.abs(a[i]![i]!), eps))) return null;
      }
      continue;
    }
    const ljj = Math.sqrt(d);
    l[j]![j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = s / ljj;
    }
  }
  return l;
}

/** log det A = 2 Σ log l_ii from a Cholesky factor L of A. */
export function logDetFromCholesky(l: number[][]): number {
  let s = 0;
  for (let i = 0; i < l.length; i++) s += Math.log(l[i]![i]!);
  return 2 * s;
}

/** Solves L Lᵀ x = b for x, given the Cholesky factor L (forward then back substitution). */
export function choleskySolveVector(l: number[][], b: readonly number[]): number[] {
  const n = l.length;
  const z = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * z[k]!;
    z[i] = s / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k]![i]! * x[k]!;
    x[i] = s / l[i]![i]!;
  }
  return x;
}

/** Solves (L Lᵀ) X = B column by column, given the Cholesky factor L. */
export function choleskySolveMatrix(l: number[][], b: number[][]): number[][] {
  const cols = transposeMatrix(b).map((col) => choleskySolveVector(l, col));
  return transposeMatrix(cols);
}

/**
 * Eigen-decomposition A = V diag(λ) Vᵀ of a symmetric matrix by cyclic Jacobi rotations.
 * Returns the eigenvalues and the eigenvectors as the columns of `vectors` (unsorted).
 */
export function symmetricEigen(a: number[][]): { values: number[]; vectors: number[][] } {
  const n = a.length;
  const m = symmetrize(a);
  const v = identityMatrix(n);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i]![j]! * m[i]![j]!;
    if (off <= 1e-30 * Math.max(1, maxAbs(m)) ** 2) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p]![q]!;
        if (apq === 0) continue;
        // Rotation angle that zeroes m[p][q]: tan(2θ) = 2 a_pq / (a_qq − a_pp).
        const theta = (m[q]![q]! - m[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k]![p]!;
          const mkq = m[k]![q]!;
          m[k]![p] = c * mkp - s * mkq;
          m[k]![q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p]![k]!;
          const mqk = m[q]![k]!;
          m[p]![k] = c * mpk - s * mqk;
          m[q]![k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: m.map((row, i) => row[i]!), vectors: v };
}

/**
 * The Moore–Penrose pseudo-inverse of a symmetric matrix, A⁺ = V diag(1/λ) Vᵀ over the
 * eigenvalues with |λ| > tol · max|λ| (the others are treated as exactly zero).
 */
export function pseudoInverseSymmetric(a: number[][], tol = 1e-12): number[][] {
  const { values, vectors } = symmetricEigen(a);
  const n = a.length;
  const top = Math.max(0, ...values.map(Math.abs));
  const out = zeroMatrix(n, n);
  for (let k = 0; k < n; k++) {
    const lam = values[k]!;
    if (!(Math.abs(lam) > tol * top)) continue;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i]![j]! += (vectors[i]![k]! * vectors[j]![k]!) / lam;
  }
  return out;
}

/**
 * Solves A x = b for a square A by Gaussian elimination with partial pivoting.
 * Throws if A is (numerically) singular: a pivot below 1e-13 · max|a_ij|.
 */
export function solveLinear(a: number[][], b: readonly number[]): number[] {
  const n = a.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  const scale = maxAbs(a) || 1;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (!(Math.abs(m[pivot]![col]!) > 1e-13 * scale)) throw new Error("solveLinear: the matrix is (numerically) singular.");
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / m[col]![col]!;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i]![n]!;
    for (let k = i + 1; k < n; k++) s -= m[i]![k]! * x[k]!;
    x[i] = s / m[i]![i]!;
  }
  return x;
}

/**
 * The solution P of the discrete Lyapunov equation P = Φ P Φᵀ + Σ, i.e. the stationary
 * covariance of h^{(t)} = Φ h^{(t−1)} + ε^{(t)}, ε ~ N(0, Σ). Solved exactly as the
 * linear system (I − Φ ⊗ Φ) vec P = vec Σ (size p² × p², fine for small p). Throws if
 * the system is singular (an eigenvalue pair of Φ with λ_i λ_j = 1, e.g. a unit root).
 */
export function solveDiscreteLyapunov(phi: number[][], sigma: number[][]): number[][] {
  const p = phi.length;
  const n = p * p;
  const a = zeroMatrix(n, n);
  const b = new Array<number>(n).fill(0);
  // Row (i, j) of vec P: P_ij − Σ_kl Φ_ik Φ_jl P_kl = Σ_ij.
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      const r = i * p + j;
      b[r] = sigma[i]![j]!;
      a[r]![r]! += 1;
      for (let k = 0; k < p; k++) for (let l = 0; l < p; l++) a[r]![k * p + l]! -= phi[i]![k]! * phi[j]![l]!;
    }
  }
  let x: number[];
  try {
    x = solveLinear(a, b);
  } catch {
    throw new Error("solveDiscreteLyapunov: I − Φ⊗Φ is singular (Φ has a unit root or λ_i λ_j = 1).");
  }
  return symmetrize(Array.from({ length: p }, (_, i) => x.slice(i * p, i * p + p)));
}
