// The generic minimiser and its finite-difference and Cholesky helpers, against closed forms.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  cholesky, invertSpd, logDetSpd, minimize, numericalGradient, numericalHessian, solveSpd,
} from "../../components/core/optimize.js";

const rosenbrock = ([x, y]: number[]): number => (1 - x!) ** 2 + 100 * (y! - x! * x!) ** 2;

test("BFGS finds the Rosenbrock minimum (1, 1) from (−1.2, 1), with and without a gradient", () => {
  const numeric = minimize(rosenbrock, [-1.2, 1]);
  assert.equal(numeric.method, "bfgs");
  assert.ok(numeric.converged);
  assert.ok(Math.abs(numeric.x[0]! - 1) < 1e-6 && Math.abs(numeric.x[1]! - 1) < 1e-6, `got ${numeric.x}`);
  assert.ok(numeric.value < 1e-12);
  const gradient = ([x, y]: number[]): number[] => [-2 * (1 - x!) - 400 * x! * (y! - x! * x!), 200 * (y! - x! * x!)];
  const exact = minimize(rosenbrock, [-1.2, 1], { gradient });
  assert.ok(Math.abs(exact.x[0]! - 1) < 1e-7 && Math.abs(exact.x[1]! - 1) < 1e-7, `got ${exact.x}`);
  // The path starts at x0, ends at x, has one point per iteration, and f decreases along it.
  assert.deepEqual(exact.path[0], [-1.2, 1]);
  assert.deepEqual(exact.path.at(-1), exact.x);
  assert.equal(exact.path.length, exact.iterations + 1);
  const values = exact.path.map(rosenbrock);
  for (let i = 1; i < values.length; i++) assert.ok(values[i]! <= values[i - 1]!, `f rose at step ${i}`);
  assert.ok(exact.iterations < 200, `${exact.iterations} iterations`);
});

test("Nelder–Mead finds the Rosenbrock minimum; its path of best points never gets worse", () => {
  const r = minimize(rosenbrock, [-1.2, 1], { method: "nelder-mead" });
  assert.equal(r.method, "nelder-mead");
  assert.ok(r.converged);
  assert.ok(Math.abs(r.x[0]! - 1) < 1e-4 && Math.abs(r.x[1]! - 1) < 1e-4, `got ${r.x}`);
  const values = r.path.map(rosenbrock);
  for (let i = 1; i < values.length; i++) assert.ok(values[i]! <= values[i - 1]!, `best value rose at step ${i}`);
  assert.deepEqual(r.path[0], [-1.2, 1]);
});

test("both methods solve a 4-d quadratic exactly: x* = A⁻¹b", () => {
  const A = [[4, 1, 0, 0.5], [1, 3, 0.2, 0], [0, 0.2, 2, 0.1], [0.5, 0, 0.1, 1]];
  const b = [1, -2, 0.5, 3];
  const f = (x: number[]): number =>
    0.5 * x.reduce((s, xi, i) => s + xi * A[i]!.reduce((t, a, j) => t + a * x[j]!, 0), 0) - x.reduce((s, xi, i) => s + xi * b[i]!, 0);
  const star = solveSpd(A, b);
  for (const method of ["bfgs", "nelder-mead"] as const) {
    const r = minimize(f, [0, 0, 0, 0], { method, maxIterations: 5000 });
    r.x.forEach((v, i) => assert.ok(Math.abs(v - star[i]!) < (method === "bfgs" ? 1e-7 : 1e-4), `${method} x${i}: ${v} vs ${star[i]}`));
  }
});

test("Infinity marks the domain: minimising x − ln x (x > 0) from 5 gives 1", () => {
  const f = ([x]: number[]): number => (x! > 0 ? x! - Math.log(x!) : Infinity);
  for (const method of ["bfgs", "nelder-mead"] as const) {
    const r = minimize(f, [5], { method });
    assert.ok(Math.abs(r.x[0]! - 1) < 1e-5, `${method}: ${r.x[0]}`);
  }
  assert.throws(() => minimize(f, [-1]), /not finite at the starting point/);
  assert.throws(() => minimize(f, []), /at least one parameter/);
});

test("finite-difference gradient and Hessian match the analytic ones", () => {
  const f = ([x, y]: number[]): number => Math.exp(x!) * Math.sin(y!) + x! * x! * y!;
  const at = [0.3, 1.1];
  const [x, y] = at as [number, number];
  const g = numericalGradient(f, at);
  assert.ok(Math.abs(g[0]! - (Math.exp(x) * Math.sin(y) + 2 * x * y)) < 1e-9);
  assert.ok(Math.abs(g[1]! - (Math.exp(x) * Math.cos(y) + x * x)) < 1e-9);
  const H = numericalHessian(f, at);
  const exact = [
    [Math.exp(x) * Math.sin(y) + 2 * y, Math.exp(x) * Math.cos(y) + 2 * x],
    [Math.exp(x) * Math.cos(y) + 2 * x, -Math.exp(x) * Math.sin(y)],
  ];
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) assert.ok(Math.abs(H[i]![j]! - exact[i]![j]!) < 1e-6, `H${i}${j}`);
});

test("Cholesky helpers: L Lᵀ = A, A A⁻¹ = I, ln det, and a clear error when not positive definite", () => {
  const A = [[4, 2, 0.4], [2, 5, 1], [0.4, 1, 3]];
  const L = cholesky(A);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    const v = L[i]!.reduce((s, l, k) => s + l * L[j]![k]!, 0);
    assert.ok(Math.abs(v - A[i]![j]!) < 1e-14);
  }
  const inv = invertSpd(A);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    const v = A[i]!.reduce((s, a, k) => s + a * inv[k]![j]!, 0);
    assert.ok(Math.abs(v - (i === j ? 1 : 0)) < 1e-14);
  }
  // det A = 4(15 − 1) − 2(6 − 0.4) + 0.4(2 − 2) = 44.8
  assert.ok(Math.abs(logDetSpd(A) - Math.log(44.8)) < 1e-14);
  assert.throws(() => cholesky([[1, 2], [2, 1]]), /not positive definite/);
});
