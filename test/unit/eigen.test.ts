import assert from "node:assert/strict";
import { test } from "node:test";
import {
  eigenvalues,
  eigenvalues2x2,
  frobeniusNorm,
  matrixWithSpectrum,
  singularValues,
  spectralNorm,
  spectralRadius,
  type Complex,
} from "../../components/core/eigen.js";
import { identity, matMul, orthonormalColumns, transpose } from "../../components/core/linalg.js";
import { createRng } from "../../components/core/random.js";

const gaussian = (n: number, m: number, seed: number) => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: m }, () => rng.normal()));
};

/** A⁻¹ by Gauss–Jordan elimination with partial pivoting (test helper). */
function inverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    m[col] = m[col]!.map((v) => v / p);
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]!;
      m[r] = m[r]!.map((v, j) => v - f * m[col]![j]!);
    }
  }
  return m.map((row) => row.slice(n));
}

/**
 * The largest distance between two spectra after pairing each expected eigenvalue with
 * the nearest unused computed one (the multisets must agree; the order is tested apart).
 */
function spectrumDistance(got: Complex[], want: Complex[]): number {
  assert.equal(got.length, want.length, "number of eigenvalues");
  const unused = got.slice();
  let worst = 0;
  for (const w of want) {
    let best = 0;
    unused.forEach((g, i) => {
      if (Math.hypot(g.re - w.re, g.im - w.im) < Math.hypot(unused[best]!.re - w.re, unused[best]!.im - w.im)) best = i;
    });
    const [g] = unused.splice(best, 1);
    worst = Math.max(worst, Math.hypot(g!.re - w.re, g!.im - w.im));
  }
  return worst;
}

const real = (...values: number[]): Complex[] => values.map((re) => ({ re, im: 0 }));

/** The companion matrix of x^n + a_{n−1} x^{n−1} + … + a_0 (its eigenvalues are the roots). */
function companion(coefficients: number[]): number[][] {
  const n = coefficients.length;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (j === n - 1 ? -coefficients[i]! : i === j + 1 ? 1 : 0)),
  );
}

/** Coefficients a_0..a_{n−1} of ∏ (x − r) for real roots r (monic). */
function polynomialWithRoots(roots: number[]): number[] {
  let c = [1]; // highest power last
  for (const r of roots) {
    const next = new Array<number>(c.length + 1).fill(0);
    c.forEach((v, i) => {
      next[i + 1]! += v;
      next[i]! -= r * v;
    });
    c = next;
  }
  return c.slice(0, -1);
}

test("rotation and rotation–scaling matrices: eigenvalues ρe^{±iθ} to 1e−10", () => {
  for (const theta of [0.3, Math.PI / 2, 2.5, -1.1]) {
    for (const rho of [0.5, 1, 1.7]) {
      const m = [[rho * Math.cos(theta), -rho * Math.sin(theta)], [rho * Math.sin(theta), rho * Math.cos(theta)]];
      const want = [{ re: rho * Math.cos(theta), im: rho * Math.abs(Math.sin(theta)) }, { re: rho * Math.cos(theta), im: -rho * Math.abs(Math.sin(theta)) }];
      const got = eigenvalues(m);
      assert.ok(spectrumDistance(got, want) < 1e-10, "spectrumDistance(got, want) < 1e-10");
      assert.ok(got[0]!.im > 0 && got[1]!.im === -got[0]!.im, "a conjugate pair, +im first");
      assert.ok(Math.abs(spectralRadius(m) - rho) < 1e-12, "Math.abs(spectralRadius(m) - rho) < 1e-12");
    }
  }
  // A 3-D rotation about an axis: eigenvalues 1, e^{±iθ}.
  const c = Math.cos(0.7);
  const s = Math.sin(0.7);
  const Q = orthonormalColumns(gaussian(3, 3, 1));
  const R = matMul(matMul(Q, [[c, -s, 0], [s, c, 0], [0, 0, 1]]), transpose(Q));
  assert.ok(spectrumDistance(eigenvalues(R), [{ re: 1, im: 0 }, { re: c, im: s }, { re: c, im: -s }]) < 1e-10, "spectrumDistance(eigenvalues(R), [{ re: 1, im: 0 }, { re: c, im: s }, { re: c, im: -s }]) < 1e-10");
});

test("triangular matrices: the eigenvalues are the diagonal", () => {
  const rng = createRng(2);
  for (const n of [1, 3, 6, 12]) {
    const diag = Array.from({ length: n }, () => 4 * rng.uniform() - 2);
    const upper = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j > i ? rng.normal() : j === i ? diag[i]! : 0)));
    assert.ok(spectrumDistance(eigenvalues(upper), real(...diag)) < 1e-10, `upper n = ${n}`);
    assert.ok(spectrumDistance(eigenvalues(transpose(upper)), real(...diag)) < 1e-10, `lower n = ${n}`);
  }
});

test("companion matrices of known polynomials: the eigenvalues are the roots", () => {
  // (x − 1)(x − 2)(x − 3)
  assert.ok(spectrumDistance(eigenvalues(companion(polynomialWithRoots([1, 2, 3]))), real(1, 2, 3)) < 1e-10, "spectrumDistance(eigenvalues(companion(polynomialWithRoots([1, 2, 3]))), real(1, 2, 3)) < 1e-10");
  // x^n − 1: the n-th roots of unity.
  for (const n of [2, 5, 8, 13]) {
    const coefficients = new Array<number>(n).fill(0);
    coefficients[0] = -1;
    const roots = Array.from({ length: n }, (_, j) => ({ re: Math.cos((2 * Math.PI * j) / n), im: Math.sin((2 * Math.PI * j) / n) }));
    assert.ok(spectrumDistance(eigenvalues(companion(coefficients)), roots) < 1e-10, `x^${n} − 1`);
  }
  // (x² + 1)(x − 0.5)(x + 2) = x⁴ + 1.5x³ + 0x² + 1.5x − 1  →  ±i, 0.5, −2.
  assert.ok(spectrumDistance(eigenvalues(companion([-1, 1.5, 0, 1.5])), [{ re: 0, im: 1 }, { re: 0, im: -1 }, ...real(0.5, -2)]) < 1e-10, "spectrumDistance(eigenvalues(companion([-1, 1.5, 0, 1.5])), [{ re: 0, im: 1 }, { re: 0, im: -1 }, ...real(0.5, -2)]) < 1e-10");
  // Eight distinct real roots spread over [−3, 3].
  const roots = [-3, -2.2, -1.1, -0.4, 0.3, 1.2, 2.1, 2.9];
  assert.ok(spectrumDistance(eigenvalues(companion(polynomialWithRoots(roots))), real(...roots)) < 1e-10, "spectrumDistance(eigenvalues(companion(polynomialWithRoots(roots))), real(...roots)) < 1e-10");
});

test("random Q Λ Q⁻¹ with Gaussian (non-orthogonal) Q: the chosen Λ comes back to 1e−10", () => {
  let worst = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const rng = createRng(seed);
    const n = 3 + (seed % 8);
    // Λ in real block form: 2×2 blocks [[a, −b], [b, a]] (eigenvalues a ± ib) and 1×1 blocks.
    const D = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    const want: Complex[] = [];
    let i = 0;
    while (i < n) {
      if (i + 1 < n && rng.uniform() < 0.5) {
        const a = 2 * rng.uniform() - 1;
        const b = 0.1 + rng.uniform();
        D[i]![i] = a;
        D[i]![i + 1] = -b;
        D[i + 1]![i] = b;
        D[i + 1]![i + 1] = a;
        want.push({ re: a, im: b }, { re: a, im: -b });
        i += 2;
      } else {
        D[i]![i] = 3 * rng.uniform() - 1.5;
        want.push({ re: D[i]![i]!, im: 0 });
        i += 1;
      }
    }
    const Q = gaussian(n, n, seed + 100);
    const W = matMul(matMul(Q, D), inverse(Q));
    worst = Math.max(worst, spectrumDistance(eigenvalues(W), want));
  }
  console.log(`Q Λ Q⁻¹ (n = 3..10, 20 seeds): worst eigenvalue error ${worst.toExponential(2)}`);
  assert.ok(worst < 1e-10, `${worst}`);
});

test("large random matrices: Σλᵏ = tr(Mᵏ) for k = 1, 2, 3, and the order is by modulus", () => {
  for (const n of [30, 64]) {
    const M = gaussian(n, n, n).map((row) => row.map((v) => v / Math.sqrt(n)));
    const lambda = eigenvalues(M);
    const powerSum = (k: number) =>
      lambda.reduce(
        (acc, l) => {
          let re = 1;
          let im = 0;
          for (let j = 0; j < k; j++) [re, im] = [re * l.re - im * l.im, re * l.im + im * l.re];
          return { re: acc.re + re, im: acc.im + im };
        },
        { re: 0, im: 0 },
      );
    let P = identity(n);
    for (let k = 1; k <= 3; k++) {
      P = matMul(P, M);
      const trace = P.reduce((s, row, i) => s + row[i]!, 0);
      const sum = powerSum(k);
      assert.ok(Math.abs(sum.re - trace) < 1e-10 * n && Math.abs(sum.im) < 1e-10 * n, `n = ${n}, k = ${k}: ${sum.re} vs ${trace}`);
    }
    for (let i = 1; i < n; i++) {
      assert.ok(Math.hypot(lambda[i - 1]!.re, lambda[i - 1]!.im) >= Math.hypot(lambda[i]!.re, lambda[i]!.im) - 1e-12, "Math.hypot(lambda[i - 1]!.re, lambda[i - 1]!.im) >= Math.hypot(lambda[i]!.re, lambda[i]!.im) - 1e-12");
    }
    // Complex eigenvalues come in exact conjugate pairs.
    const complexOnes = lambda.filter((l) => l.im !== 0);
    for (const l of complexOnes) assert.ok(complexOnes.some((m) => m.re === l.re && m.im === -l.im), "complexOnes.some((m) => m.re === l.re && m.im === -l.im)");
  }
});

test("a defective eigenvalue (Jordan block) is found to about √ε, as expected", () => {
  const J = [[2, 1, 0], [0, 2, 1], [0, 0, 2]]; // (λ − 2)³, one eigenvector
  const Q = gaussian(3, 3, 5);
  const W = matMul(matMul(Q, J), inverse(Q));
  const err = spectrumDistance(eigenvalues(W), real(2, 2, 2));
  assert.ok(err < 1e-4, `${err}`); // (ε‖W‖)^{1/3} ≈ 1e−5
  assert.deepEqual(eigenvalues(J), real(2, 2, 2)); // already triangular: exact
});

test("eigenvalues2x2 avoids cancellation and handles the repeated case", () => {
  // [[1e8, 1], [0, 1e−8]]: eigenvalues 1e8 and 1e−8 exactly.
  const [a, b] = eigenvalues2x2(1e8, 1, 0, 1e-8);
  assert.deepEqual([a.re, b.re].sort((x, y) => y - x), [1e8, 1e-8]);
  const [c, d] = eigenvalues2x2(3, 0, 0, 3);
  assert.deepEqual([c, d], real(3, 3));
  assert.throws(() => eigenvalues([[1, 2], [3]]), /must be square/);
  assert.throws(() => eigenvalues([[NaN]]), /must be finite/);
});

test("singular values: known SVDs, σ² = eigenvalues of MᵀM, norms", () => {
  // M = O₁ diag(σ) O₂ᵀ with chosen σ, square and rectangular.
  const sigma = [5, 2, 1, 1e-3, 1e-9];
  const O1 = orthonormalColumns(gaussian(5, 5, 1));
  const O2 = orthonormalColumns(gaussian(5, 5, 2));
  const M = matMul(O1.map((row) => row.map((v, j) => v * sigma[j]!)), transpose(O2));
  const got = singularValues(M);
  sigma.forEach((s, i) => assert.ok(Math.abs(got[i]! - s) < 1e-14 * 5, `σ${i + 1} ${got[i]} vs ${s}`));
  const tall = gaussian(7, 3, 3);
  const wide = transpose(tall);
  const fromGram = eigenvalues(matMul(transpose(tall), tall)).map((l) => Math.sqrt(l.re));
  assert.equal(singularValues(tall).length, 3);
  singularValues(tall).forEach((s, i) => {
    assert.ok(Math.abs(s - fromGram[i]!) < 1e-12, "Math.abs(s - fromGram[i]!) < 1e-12");
    assert.ok(Math.abs(s - singularValues(wide)[i]!) < 1e-12, "Math.abs(s - singularValues(wide)[i]!) < 1e-12");
  });
  assert.ok(Math.abs(spectralNorm(M) - 5) < 1e-13, "Math.abs(spectralNorm(M) - 5) < 1e-13");
  assert.ok(Math.abs(frobeniusNorm(M) - Math.hypot(...sigma)) < 1e-13, "Math.abs(frobeniusNorm(M) - Math.hypot(...sigma)) < 1e-13");
  assert.deepEqual(singularValues([[0, 0], [0, 0]]), [0, 0]);
  assert.deepEqual(singularValues([[-3]]), [3]);
});

test("matrixWithSpectrum: W = Q D Q⁻¹ with exactly the chosen spectral radius and angle", () => {
  for (const size of [1, 2, 5, 8]) {
    for (const conditionNumber of [1, 30]) {
      const built = matrixWithSpectrum({ radius: 0.9, rotation: 0.4, size, seed: size, conditionNumber });
      const err = spectrumDistance(eigenvalues(built.W), built.eigenvalues);
      assert.ok(err < 1e-10, `size ${size}, κ ${conditionNumber}: ${err}`);
      assert.ok(Math.abs(spectralRadius(built.W) - 0.9) < 1e-10, "Math.abs(spectralRadius(built.W) - 0.9) < 1e-10");
      const QQinv = matMul(built.Q, built.Qinv);
      QQinv.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - (i === j ? 1 : 0)) < 1e-12, "Math.abs(v - (i === j ? 1 : 0)) < 1e-12")));
      const s = singularValues(built.Q);
      assert.ok(Math.abs(s[0]! / s[s.length - 1]! - (size === 1 ? 1 : conditionNumber)) < 1e-10 * conditionNumber, "Math.abs(s[0]! / s[s.length - 1]! - (size === 1 ? 1 : conditionNumber)) < 1e-10 * conditionNumber");
      const sv = singularValues(built.W);
      if (conditionNumber === 1) {
        // Normal W: every singular value equals the spectral radius.
        sv.forEach((v) => assert.ok(Math.abs(v - 0.9) < 1e-12, "Math.abs(v - 0.9) < 1e-12"));
      } else if (size > 1) {
        // Non-normal W: eigenvalue moduli all 0.9, yet W stretches some vector by more.
        assert.ok(sv[0]! > 1.5, `σ₁ = ${sv[0]}`);
      }
    }
  }
  const odd = matrixWithSpectrum({ radius: 1.2, rotation: 1, size: 3, seed: 1 });
  assert.ok(spectrumDistance(odd.eigenvalues, [{ re: 1.2, im: 0 }, { re: 1.2 * Math.cos(1), im: 1.2 * Math.sin(1) }, { re: 1.2 * Math.cos(1), im: -1.2 * Math.sin(1) }]) === 0, "spectrumDistance(odd.eigenvalues, [{ re: 1.2, im: 0 }, { re: 1.2 * Math.cos(1), im: 1.2 * Math.sin(1) }, { re: 1.2 * Math.cos(1), im: -1.2 * Math.sin(1) }]) === 0");
  assert.deepEqual(matrixWithSpectrum({ radius: 1, rotation: 0.2, size: 4, seed: 9 }).W, matrixWithSpectrum({ radius: 1, rotation: 0.2, size: 4, seed: 9 }).W);
  assert.throws(() => matrixWithSpectrum({ radius: 1, rotation: 0, size: 3, seed: 1, conditionNumber: 0.5 }), /conditionNumber must be ≥ 1/);
});
