// Small dense linear algebra on plain float64 arrays (a matrix is number[][], row-major).
// Only what the from-scratch models need; sizes are tiny, so clarity beats speed.

export function zeros(rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

export function identity(n: number): number[][] {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m[i]![i] = 1;
  return m;
}

export function transpose(a: number[][]): number[][] {
  const rows = a.length;
  const cols = rows === 0 ? 0 : a[0]!.length;
  const t = zeros(cols, rows);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j]![i] = a[i]![j]!;
  return t;
}

/** y = A x. */
export function matVec(a: number[][], x: number[]): number[] {
  return a.map((row) => {
    let s = 0;
    for (let j = 0; j < row.length; j++) s += row[j]! * x[j]!;
    return s;
  });
}

/** C = A B. */
export function matMul(a: number[][], b: number[][]): number[][] {
  const inner = b.length;
  const cols = inner === 0 ? 0 : b[0]!.length;
  return a.map((row) => {
    const out = new Array<number>(cols).fill(0);
    for (let l = 0; l < inner; l++) {
      const ail = row[l]!;
      const bl = b[l]!;
      for (let j = 0; j < cols; j++) out[j]! += ail * bl[j]!;
    }
    return out;
  });
}

export function scaleMatrix(a: number[][], s: number): number[][] {
  return a.map((row) => row.map((v) => v * s));
}

/**
 * The orthogonal factor Q of A = QR (A square, full rank) by modified Gram–Schmidt on
 * the columns, with signs fixed so that diag(R) > 0. For a Gaussian A this Q is
 * uniformly (Haar) distributed over the orthogonal group.
 */
export function orthonormalColumns(a: number[][]): number[][] {
  const n = a.length;
  const cols = transpose(a); // work on columns as rows
  for (let j = 0; j < n; j++) {
    const v = cols[j]!;
    for (let i = 0; i < j; i++) {
      const qi = cols[i]!;
      let r = 0;
      for (let l = 0; l < n; l++) r += qi[l]! * v[l]!;
      for (let l = 0; l < n; l++) v[l]! -= r * qi[l]!;
    }
    let norm = 0;
    for (let l = 0; l < n; l++) norm += v[l]! * v[l]!;
    norm = Math.sqrt(norm);
    if (!(norm > 1e-12)) throw new Error("orthonormalColumns: the matrix is (numerically) singular.");
    for (let l = 0; l < n; l++) v[l]! /= norm; // r_jj = norm > 0
  }
  return transpose(cols);
}
