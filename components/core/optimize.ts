// A small, generic unconstrained minimiser, with finite-difference derivatives and the
// symmetric positive-definite solves that turn a Hessian into a covariance matrix.
// Pure TypeScript; shared by the AR maximum-likelihood fit and the Kalman-filter fits.
//
//   minimize(f, x0, { method: "bfgs" })          quasi-Newton (default)
//   minimize(f, x0, { method: "nelder-mead" })   derivative-free simplex search
//
// Both return { x, value, iterations, evaluations, converged, path }, where path[0] = x0
// and path[i] is the best point after iteration i, for drawing the route the optimiser took.
// f may return Infinity (or NaN) to mark points outside its domain; both methods back away.

/** An objective R^d → R. Return Infinity outside the domain. */
export type Objective = (x: number[]) => number;

/** Options of minimize. */
export interface MinimizeOptions {
  /** "bfgs" (default) or "nelder-mead". */
  method?: "bfgs" | "nelder-mead";
  /** Iteration cap (default 1000 for BFGS, 200·d for Nelder–Mead). */
  maxIterations?: number;
  /**
   * Convergence tolerance (default 1e-10). BFGS stops when ‖∇f‖∞ ≤ tolerance·(1 + |f|) or when
   * a step changes neither x nor f beyond rounding; Nelder–Mead when the spread of f over the
   * simplex is ≤ tolerance·(|f_best| + tolerance) and the simplex is tiny.
   */
  tolerance?: number;
  /** Exact gradient for BFGS; by default central differences (numericalGradient). */
  gradient?: (x: number[]) => number[];
  /** Nelder–Mead: initial simplex edge along each axis, default 0.1·max(1, |x0_i|). */
  initialStep?: number | number[];
}

/** The result of minimize. */
export interface MinimizeResult {
  /** The minimiser found. */
  x: number[];
  /** f(x). */
  value: number;
  iterations: number;
  /** Number of calls of f (gradient evaluations count their calls of f). */
  evaluations: number;
  /** Whether the convergence test was met before maxIterations. */
  converged: boolean;
  /** x0, then the best point after each iteration. */
  path: number[][];
  method: "bfgs" | "nelder-mead";
}

/**
 * Minimises f from x0. BFGS keeps an approximation H of the inverse Hessian, steps along
 * d = −H ∇f with a backtracking (Armijo) line search, and updates
 *   H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ,   s = x₊ − x, y = ∇f₊ − ∇f, ρ = 1/(yᵀs)
 * (skipped when yᵀs ≤ 0). Nelder–Mead uses reflection 1, expansion 2, contraction ½, shrink ½.
 */
export function minimize(f: Objective, x0: number[], options: MinimizeOptions = {}): MinimizeResult {
  if (x0.length === 0) throw new Error("minimize needs at least one parameter.");
  if (!x0.every(Number.isFinite)) throw new Error(`The starting point must be finite, got [${x0.join(", ")}].`);
  let evaluations = 0;
  const counted: Objective = (x) => {
    evaluations++;
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  const start = counted(x0);
  if (!Number.isFinite(start)) throw new Error("The objective is not finite at the starting point.");
  const method = options.method ?? "bfgs";
  const tolerance = options.tolerance ?? 1e-10;
  const result =
    method === "bfgs"
      ? bfgs(counted, x0, start, tolerance, options.maxIterations ?? 1000, options.gradient)
      : nelderMead(counted, x0, start, tolerance, options.maxIterations ?? 200 * x0.length, options.initialStep);
  return { ...result, evaluations, method };
}

type Core = Omit<MinimizeResult, "evaluations" | "method">;

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function bfgs(
  f: Objective,
  x0: number[],
  f0: number,
  tolerance: number,
  maxIterations: number,
  exactGradient?: (x: number[]) => number[],
): Core {
  const d = x0.length;
  const grad = exactGradient ?? ((x: number[]) => numericalGradient(f, x));
  let x = x0.slice();
  let fx = f0;
  let g = grad(x);
  let H: number[][] = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));
  const path = [x.slice()];
  let converged = false;
  let iterations = 0;
  let firstStep = true;
  while (iterations < maxIterations) {
    if (Math.max(...g.map(Math.abs)) <= tolerance * (1 + Math.abs(fx))) {
      converged = true;
      break;
    }
    let dir = H.map((row) => -dot(row, g));
    let slope = dot(dir, g);
    if (!(slope < 0)) {
      // Not a descent direction: restart from steepest descent.
      H = H.map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
      dir = g.map((v) => -v);
      slope = dot(dir, g);
    }
    if (firstStep) {
      // Scale the first step to length ≤ 1 so a steep start does not jump far away.
      const norm = Math.sqrt(dot(dir, dir));
      if (norm > 1) {
        dir = dir.map((v) => v / norm);
        slope /= norm;
      }
    }
    let t = 1;
    let xNew = x;
    let fNew = Infinity;
    for (let k = 0; k < 60; k++) {
      xNew = x.map((v, i) => v + t * dir[i]!);
      fNew = f(xNew);
      if (fNew <= fx + 1e-4 * t * slope) break;
      t *= 0.5;
    }
    iterations++;
    if (!(fNew <= fx + 1e-4 * t * slope)) {
      // The line search failed: we are at the limit of what rounding allows.
      converged = true;
      break;
    }
    const gNew = grad(xNew);
    const s = xNew.map((v, i) => v - x[i]!);
    const y = gNew.map((v, i) => v - g[i]!);
    const sy = dot(s, y);
    if (firstStep && sy > 0) {
      // Rescale H₀ = (yᵀs / yᵀy) I before the first update (Nocedal & Wright, eq. 6.20).
      const scale = sy / dot(y, y);
      H = H.map((row) => row.map((v) => v * scale));
    }
    firstStep = false;
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      const rho = 1 / sy;
      const Hy = H.map((row) => dot(row, y));
      const yHy = dot(y, Hy);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          H[i]![j] = H[i]![j]! - rho * (s[i]! * Hy[j]! + Hy[i]! * s[j]!) + (rho * rho * yHy + rho) * s[i]! * s[j]!;
        }
      }
    }
    const fChange = fx - fNew;
    x = xNew;
    fx = fNew;
    g = gNew;
    path.push(x.slice());
    const stepSize = Math.max(...s.map((v, i) => Math.abs(v) / Math.max(1, Math.abs(x[i]!))));
    if (stepSize < 1e-15 || fChange <= 1e-16 * Math.abs(fx)) {
      converged = Math.max(...g.map(Math.abs)) <= Math.sqrt(tolerance) * (1 + Math.abs(fx));
      break;
    }
  }
  return { x, value: fx, iterations, converged, path };
}

function nelderMead(
  f: Objective,
  x0: number[],
  f0: number,
  tolerance: number,
  maxIterations: number,
  initialStep?: number | number[],
): Core {
  const d = x0.length;
  const stepFor = (i: number): number =>
    initialStep === undefined
      ? 0.1 * Math.max(1, Math.abs(x0[i]!))
      : typeof initialStep === "number"
        ? initialStep
        : initialStep[i]!;
  const simplex: { x: number[]; v: number }[] = [{ x: x0.slice(), v: f0 }];
  for (let i = 0; i < d; i++) {
    const x = x0.slice();
    x[i]! += stepFor(i);
    simplex.push({ x, v: f(x) });
  }
  const path = [x0.slice()];
  let iterations = 0;
  let converged = false;
  const along = (centroid: number[], worst: number[], t: number): number[] =>
    centroid.map((c, i) => c + t * (worst[i]! - c));
  while (iterations < maxIterations) {
    simplex.sort((a, b) => a.v - b.v);
    const best = simplex[0]!;
    const worst = simplex[d]!;
    const spread = worst.v - best.v;
    let size = 0;
    for (let k = 1; k <= d; k++) {
      for (let i = 0; i < d; i++) {
        size = Math.max(size, Math.abs(simplex[k]!.x[i]! - best.x[i]!) / Math.max(1, Math.abs(best.x[i]!)));
      }
    }
    if (spread <= tolerance * (Math.abs(best.v) + tolerance) && size <= Math.sqrt(tolerance)) {
      converged = true;
      break;
    }
    iterations++;
    const centroid = new Array<number>(d).fill(0);
    for (let k = 0; k < d; k++) for (let i = 0; i < d; i++) centroid[i]! += simplex[k]!.x[i]! / d;
    const reflected = along(centroid, worst.x, -1);
    const fr = f(reflected);
    if (fr < best.v) {
      const expanded = along(centroid, worst.x, -2);
      const fe = f(expanded);
      simplex[d] = fe < fr ? { x: expanded, v: fe } : { x: reflected, v: fr };
    } else if (fr < simplex[d - 1]!.v) {
      simplex[d] = { x: reflected, v: fr };
    } else {
      // Contract towards the better of the worst point and its reflection.
      const outside = fr < worst.v;
      const contracted = along(centroid, worst.x, outside ? -0.5 : 0.5);
      const fc = f(contracted);
      if (fc < (outside ? fr : worst.v)) {
        simplex[d] = { x: contracted, v: fc };
      } else {
        for (let k = 1; k <= d; k++) {
          const x = simplex[k]!.x.map((v, i) => best.x[i]! + 0.5 * (v - best.x[i]!));
          simplex[k] = { x, v: f(x) };
        }
      }
    }
    let bestNow = simplex[0]!;
    for (const vertex of simplex) if (vertex.v < bestNow.v) bestNow = vertex;
    path.push(bestNow.x.slice());
  }
  simplex.sort((a, b) => a.v - b.v);
  return { x: simplex[0]!.x.slice(), value: simplex[0]!.v, iterations, converged, path };
}

/** The default finite-difference step for coordinate i: h = scale · max(1, |xᵢ|). */
function stepAt(x: number[], i: number, scale: number | number[]): number {
  const s = typeof scale === "number" ? scale : scale[i]!;
  return s * Math.max(1, Math.abs(x[i]!));
}

/**
 * Central-difference gradient ∂f/∂xᵢ ≈ (f(x + hᵢeᵢ) − f(x − hᵢeᵢ)) / (2hᵢ) with
 * hᵢ = relStep·max(1, |xᵢ|) (relStep defaults to 1e-6, or one value per coordinate).
 * Error O(h²) plus rounding O(ε|f|/h).
 */
export function numericalGradient(f: Objective, x: number[], relStep: number | number[] = 1e-6): number[] {
  return x.map((_, i) => {
    const h = stepAt(x, i, relStep);
    const plus = x.slice();
    const minus = x.slice();
    plus[i]! += h;
    minus[i]! -= h;
    return (f(plus) - f(minus)) / (2 * h);
  });
}

/**
 * Central-difference Hessian, with hᵢ = relStep·max(1, |xᵢ|) (default relStep 1e-4):
 *   ∂²f/∂xᵢ² ≈ (f(x+hᵢeᵢ) − 2f(x) + f(x−hᵢeᵢ)) / hᵢ²
 *   ∂²f/∂xᵢ∂xⱼ ≈ (f(+,+) − f(+,−) − f(−,+) + f(−,−)) / (4hᵢhⱼ).
 * Returned exactly symmetric.
 */
export function numericalHessian(f: Objective, x: number[], relStep: number | number[] = 1e-4): number[][] {
  const d = x.length;
  const h = x.map((_, i) => stepAt(x, i, relStep));
  const f0 = f(x);
  const at = (moves: [number, number][]): number => {
    const y = x.slice();
    for (const [i, s] of moves) y[i]! += s * h[i]!;
    return f(y);
  };
  const H = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < d; i++) {
    H[i]![i] = (at([[i, 1]]) - 2 * f0 + at([[i, -1]])) / (h[i]! * h[i]!);
    for (let j = 0; j < i; j++) {
      const v =
        (at([[i, 1], [j, 1]]) - at([[i, 1], [j, -1]]) - at([[i, -1], [j, 1]]) + at([[i, -1], [j, -1]])) /
        (4 * h[i]! * h[j]!);
      H[i]![j] = v;
      H[j]![i] = v;
    }
  }
  return H;
}

/**
 * The Cholesky factor L (lower triangular, A = L Lᵀ) of a symmetric positive-definite A.
 * Throws if A is not (numerically) positive definite.
 */
export function cholesky(A: number[][]): number[][] {
  const n = A.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let diag = A[j]![j]!;
    for (let k = 0; k < j; k++) diag -= L[j]![k]! * L[j]![k]!;
    if (!(diag > 0)) throw new Error("The matrix is not positive definite (Cholesky failed).");
    const ljj = Math.sqrt(diag);
    L[j]![j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = A[i]![j]!;
      for (let k = 0; k < j; k++) s -= L[i]![k]! * L[j]![k]!;
      L[i]![j] = s / ljj;
    }
  }
  return L;
}

/** Solves A x = b for symmetric positive-definite A, by Cholesky and two triangular solves. */
export function solveSpd(A: number[][], b: number[]): number[] {
  return choleskySolve(cholesky(A), b);
}

function choleskySolve(L: number[][], b: number[]): number[] {
  const n = L.length;
  const z = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i]![k]! * z[k]!;
    z[i] = s / L[i]![i]!;
  }
  const x = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k]![i]! * x[k]!;
    x[i] = s / L[i]![i]!;
  }
  return x;
}

/**
 * A⁻¹ for symmetric positive-definite A (column by column from the Cholesky factor).
 * Use it to turn the Hessian of a negative log-likelihood into the asymptotic covariance.
 */
export function invertSpd(A: number[][]): number[][] {
  const L = cholesky(A);
  const n = A.length;
  const columns = Array.from({ length: n }, (_, j) => choleskySolve(L, Array.from({ length: n }, (_, i) => (i === j ? 1 : 0))));
  // columns[j] is column j of A⁻¹; symmetrise away rounding.
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => 0.5 * (columns[j]![i]! + columns[i]![j]!)));
}

/** ln det A for symmetric positive-definite A: 2 Σ ln Lᵢᵢ. */
export function logDetSpd(A: number[][]): number {
  const L = cholesky(A);
  let s = 0;
  for (let i = 0; i < L.length; i++) s += 2 * Math.log(L[i]![i]!);
  return s;
}
