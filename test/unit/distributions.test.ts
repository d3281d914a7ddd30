// Normal and chi-square functions against R 4.2.2. Expected values were printed in this
// session with options(digits = 17); each block names the exact R call.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  chiSquareCdf, chiSquareQuantile, chiSquareSurvival, gammaP, gammaQ, logGamma, normalCdf, normalQuantile,
} from "../../components/core/distributions.js";

function close(actual: number, expected: number, relTol: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
  assert.ok(err <= relTol, `${what}: ${actual} vs R ${expected} (relative error ${err})`);
}

test("normalCdf matches R's pnorm, keeping relative precision deep in the lower tail", () => {
  // pnorm(c(-37, -10, -5, -1.96, -1, -0.3, 0, 0.5, 1.644853626951, 3, 8))
  const z = [-37, -10, -5, -1.96, -1, -0.3, 0, 0.5, 1.644853626951, 3, 8];
  const r = [
    5.7255712225245771e-300, 7.6198530241605269e-24, 2.8665157187919391e-07, 2.4997895148220428e-02,
    1.5865525393145705e-01, 3.8208857781104733e-01, 0.5, 6.9146246127401301e-01, 9.4999999999995122e-01,
    9.9865010196836990e-01, 9.9999999999999933e-01,
  ];
  z.forEach((v, i) => close(normalCdf(v), r[i]!, 1e-13, `pnorm(${v})`));
});

test("normalQuantile matches R's qnorm from 1e-300 to 1 − 1e-6", () => {
  // qnorm(c(1e-300, 1e-10, 0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999999))
  const p = [1e-300, 1e-10, 0.001, 0.025, 0.3, 0.8, 0.975, 0.999999];
  const r = [
    -37.04709629936120052, -6.36134090240405570, -3.09023230616781319, -1.95996398454005383,
    -0.52440051270804067, 0.84162123357291441, 1.95996398454005361, 4.75342430881708911,
  ];
  p.forEach((v, i) => close(normalQuantile(v), r[i]!, 1e-13, `qnorm(${v})`));
  assert.equal(normalQuantile(0.5), 0);
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  assert.throws(() => normalQuantile(1.5), /\[0, 1\]/);
});

test("chi-square CDF, upper tail and quantile match R's pchisq and qchisq", () => {
  // pchisq(c(0.001, 0.5, 3.84, 10, 17.48, 100), df = c(1, 2, 1, 8, 8, 30))
  const x = [0.001, 0.5, 3.84, 10, 17.48, 100];
  const df = [1, 2, 1, 8, 8, 30];
  const r = [
    0.025227120630039609, 0.221199216928595122, 0.949956478751294742, 0.734974084702638253,
    0.974518609464886443, 0.999999998143197621,
  ];
  x.forEach((v, i) => close(chiSquareCdf(v, df[i]!), r[i]!, 1e-13, `pchisq(${v}, ${df[i]})`));
  // pchisq(c(200, 88.13), df = c(10, 9), lower.tail = FALSE)
  close(chiSquareSurvival(200, 10), 1.6139305336977309e-37, 1e-12, "upper tail χ²(10) at 200");
  close(chiSquareSurvival(88.13, 9), 3.8597819167777062e-15, 1e-12, "upper tail χ²(9) at 88.13");
  // qchisq(c(0.001, 0.05, 0.5, 0.95, 0.999), df = c(1, 3, 8, 8, 30)); qchisq(0.95, 0.5);
  // qchisq(1e-8, 2); qchisq(1 - 1e-12, 4)
  const p = [0.001, 0.05, 0.5, 0.95, 0.999];
  const qdf = [1, 3, 8, 8, 30];
  const q = [1.5707971492624904e-06, 3.5184631774927144e-01, 7.3441214977017921, 1.5507313055865451e1, 5.9703064304429930e1];
  p.forEach((v, i) => close(chiSquareQuantile(v, qdf[i]!), q[i]!, 1e-12, `qchisq(${v}, ${qdf[i]})`));
  close(chiSquareQuantile(0.95, 0.5), 2.4202322748895178, 1e-12, "qchisq(0.95, 0.5)");
  close(chiSquareQuantile(1e-8, 2), 2.0000000099999939e-08, 1e-12, "qchisq(1e-8, 2)");
  // In the far upper tail R's qchisq (which inverts the lower tail) is good to ~1e-10 only:
  // pchisq(62.199792056778143, 4, lower.tail = FALSE) = 9.9997787892388121e-13, whereas
  // 1 − (1 − 1e-12) = 9.999778782798785e-13. Ours inverts the upper tail, so check both.
  const far = chiSquareQuantile(1 - 1e-12, 4);
  close(far, 62.199792056778143, 1e-9, "qchisq(1 - 1e-12, 4)");
  close(chiSquareSurvival(far, 4), 1 - (1 - 1e-12), 1e-13, "upper tail at our far quantile");
  close(chiSquareSurvival(62.199792056778143, 4), 9.9997787892388121e-13, 1e-13, "upper tail at R's far quantile");
});

test("ln Γ matches R's lgamma; P and Q are complementary and hit closed forms", () => {
  // lgamma(c(0.1, 0.5, 1, 2.5, 10, 171.3, 1e5))
  const x = [0.1, 0.5, 2.5, 10, 171.3, 1e5];
  const r = [2.2527126517342060, 5.7236494292470008e-01, 2.8468287047291918e-01, 1.2801827480081469e1, 7.0811494703899712e2, 1.0512877089736569e6];
  x.forEach((v, i) => close(logGamma(v), r[i]!, 1e-13, `lgamma(${v})`));
  assert.ok(Math.abs(logGamma(1)) < 1e-14 && Math.abs(logGamma(2)) < 1e-14);
  // P(1, x) = 1 − e^{−x} (exponential CDF); χ²(2) CDF = 1 − e^{−x/2}.
  for (const v of [0.01, 0.7, 1.9, 2.1, 15]) {
    close(gammaP(1, v), -Math.expm1(-v), 1e-14, `P(1, ${v})`);
    close(gammaQ(1, v), Math.exp(-v), 1e-13, `Q(1, ${v})`);
    close(gammaP(3.3, v) + gammaQ(3.3, v), 1, 1e-15, `P + Q at ${v}`);
  }
  assert.throws(() => gammaP(0, 1), /shape/);
});
