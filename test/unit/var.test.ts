// VAR(p) by OLS: against R 4.2.2 on (log10 lynx, log10 sunspots), 1821–1934, and by simulation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseSeriesCsv } from "../../components/core/series.js";
import { createRng } from "../../components/core/random.js";
import { fitVAR } from "../../components/core/var.js";

function load(file: string) {
  return parseSeriesCsv(readFileSync(new URL(`../../data/${file}`, import.meta.url), "utf8"));
}
const lynx = load("lynx.csv");
const sun = load("sunspots-annual.csv");
// Rows (log10 lynx, log10 sunspots) for the years both cover, 1821–1934 (no sunspot zeros there).
const rows = lynx.times.map((year, i) => [Math.log10(lynx.values[i]!), Math.log10(sun.values[sun.times.indexOf(year)]!)]);

function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs R ${expected} (diff ${Math.abs(actual - expected)})`);
}

// R: y <- cbind(lynx = log10(lynx), sun = log10(window(sunspot.year, 1821, 1934))); E <- embed(y, 3)
//    lm(E[, r] ~ E[, 3:6]) for r = 1, 2 (regressors lynx(t−1), sun(t−1), lynx(t−2), sun(t−2));
//    coef(m), summary(m)$coefficients[, 2], summary(m)$sigma^2
const R_LM = [
  {
    coef: [1.13352288212768415, 1.36845723070520098, 0.09564545083489788, -0.73518265063463206, -0.14083376602245729],
    se: [0.136188846904024885, 0.064085362306254903, 0.075483146561822159, 0.064629112601956251, 0.075418732690273091],
    sigma2: 0.052304115306989009,
  },
  {
    coef: [0.43398309973534355, 0.05344398583671383, 1.18767857967798340, -0.01741465985767755, -0.55159206993991727],
    se: [0.143893900640577971, 0.067711071543988199, 0.079753699648102541, 0.068285585190308098, 0.079685641481495942],
    sigma2: 0.058389875079368332,
  },
];
// R: a <- ar.ols(y, aic = FALSE, order.max = 2, demean = TRUE, intercept = TRUE); a$var.pred;
//    and -N/2 * (2 * log(2 * pi) + log(det(a$var.pred)) + 2) with N = 112.
const R_VAR_PRED = [[0.0499691101593555814, -0.0067064825604854824], [-0.0067064825604854824, 0.0557831842276107978]];
const R_LOGLIK = 12.496182787812728;

test("VAR(2) of (log10 lynx, log10 sunspots) matches lm per equation and ar.ols", () => {
  assert.equal(rows.length, 114);
  const fit = fitVAR(rows, 2);
  let worst = 0;
  for (let r = 0; r < 2; r++) {
    const ours = [fit.intercept[r]!, fit.coefficients[0]![r]![0]!, fit.coefficients[0]![r]![1]!, fit.coefficients[1]![r]![0]!, fit.coefficients[1]![r]![1]!];
    const se = [fit.standardErrors.intercept[r]!, ...[0, 1].flatMap((i) => [0, 1].map((c) => fit.standardErrors.coefficients[i]![r]![c]!))];
    ours.forEach((v, j) => { near(v, R_LM[r]!.coef[j]!, 1e-12, `equation ${r + 1} coefficient ${j}`); worst = Math.max(worst, Math.abs(v - R_LM[r]!.coef[j]!)); });
    se.forEach((v, j) => near(v, R_LM[r]!.se[j]!, 1e-12, `equation ${r + 1} standard error ${j}`));
    near(fit.sigmaUnbiased[r]![r]!, R_LM[r]!.sigma2, 1e-14, `equation ${r + 1} σ²`);
  }
  for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) {
    near(fit.sigma[a]![b]!, R_VAR_PRED[a]![b]!, 1e-14, `Σ[${a}][${b}] (divisor N)`);
    near(fit.sigmaUnbiased[a]![b]!, (R_VAR_PRED[a]![b]! * 112) / 107, 1e-14, `unbiased Σ[${a}][${b}]`);
  }
  near(fit.logLik, R_LOGLIK, 1e-9, "conditional log-likelihood");
  assert.ok(worst < 1e-12);
  // Residuals: NaN for the first p rows, then x − fitted with covariance Σ.
  assert.ok(fit.residuals[1]!.every(Number.isNaN) && fit.fitted[0]!.every(Number.isNaN));
  const t = 50;
  near(fit.residuals[t]![0]! + fit.fitted[t]![0]!, rows[t]![0]!, 1e-14, "residual + fitted = x");
});

test("VAR(1) simulation: estimates over 50 seeds centre on the truth and the standard errors are honest", () => {
  const Phi = [[0.5, 0.2], [-0.3, 0.7]];
  const c = [1, -1];
  const L = [[1, 0], [0.3, Math.sqrt(0.5 - 0.09)]]; // Σ = L Lᵀ = [[1, 0.3], [0.3, 0.5]]
  const n = 300;
  const seeds = 50;
  const estimates: number[][] = [];
  const ses: number[][] = [];
  const sigma11: number[] = [];
  const sigma12: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const rng = createRng(1000 + seed);
    let x = [0, 0];
    const data: number[][] = [];
    for (let t = 0; t < n + 100; t++) {
      const z = [rng.normal(), rng.normal()];
      const e = [L[0]![0]! * z[0]!, L[1]![0]! * z[0]! + L[1]![1]! * z[1]!];
      x = [0, 1].map((r) => c[r]! + Phi[r]![0]! * x[0]! + Phi[r]![1]! * x[1]! + e[r]!);
      if (t >= 100) data.push(x);
    }
    const fit = fitVAR(data, 1);
    estimates.push([...fit.coefficients[0]!.flat(), ...fit.intercept]);
    ses.push([...fit.standardErrors.coefficients[0]!.flat(), ...fit.standardErrors.intercept]);
    sigma11.push(fit.sigma[0]![0]!);
    sigma12.push(fit.sigma[0]![1]!);
  }
  const truth = [...Phi.flat(), ...c];
  truth.forEach((v, j) => {
    const values = estimates.map((e) => e[j]!);
    const mean = values.reduce((s, x) => s + x, 0) / seeds;
    const sd = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (seeds - 1));
    const meanSe = ses.reduce((s, e) => s + e[j]!, 0) / seeds;
    assert.ok(Math.abs(mean - v) < 3 * (sd / Math.sqrt(seeds)) + 0.01, `parameter ${j}: mean ${mean} vs ${v} (sd ${sd})`);
    assert.ok(meanSe / sd > 0.7 && meanSe / sd < 1.4, `parameter ${j}: mean SE ${meanSe} vs spread ${sd}`);
  });
  const avg = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  assert.ok(Math.abs(avg(sigma11) - 1) < 0.03, `Σ11 ${avg(sigma11)}`);
  assert.ok(Math.abs(avg(sigma12) - 0.3) < 0.02, `Σ12 ${avg(sigma12)}`);
});

test("fitVAR gives clear errors", () => {
  assert.throws(() => fitVAR(rows, 0), /whole number ≥ 1/);
  assert.throws(() => fitVAR([[1, 2], [3]], 1), /row 2 has 1 values/);
  assert.throws(() => fitVAR([[1, 2], [3, NaN], [1, 1]], 1), /row 2, component 2 is NaN/);
  assert.throws(() => fitVAR(rows.slice(0, 7), 2), /too few/);
});
