// Sample ACF and PACF against R 4.2.2 on log10(lynx), plus closed forms for Durbin–Levinson.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseSeriesCsv } from "../../components/core/series.js";
import { acf, acfBand, autocovariance, defaultMaxLag, durbinLevinson, pacf } from "../../components/core/acf.js";

const lynx = parseSeriesCsv(readFileSync(new URL("../../data/lynx.csv", import.meta.url), "utf8")).values;
const logLynx = lynx.map(Math.log10);

function maxAbsDiff(a: number[], b: number[]): number {
  assert.equal(a.length, b.length, "lengths differ");
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
}

// R: options(digits = 17); acf(log10(lynx), lag.max = 20, plot = FALSE)$acf[, 1, 1]
const R_ACF_LOG_LYNX = [
  1, 0.785124044940165522, 0.340230148449303216, -0.132281591162961260, -0.493883800312603205,
  -0.620541953997674978, -0.487942192456659263, -0.157808807435824677, 0.234851481319303362,
  0.537207418583102503, 0.605506765993745089, 0.382944500442893354, -0.012289506859672672,
  -0.384794943083738350, -0.607331567244905113, -0.610186441101890353, -0.406893145482644936,
  -0.072711345694122687, 0.253188411546512393, 0.455006551718063201, 0.446489805060295064,
];
// R: pacf(log10(lynx), lag.max = 20, plot = FALSE)$acf[, 1, 1]
const R_PACF_LOG_LYNX = [
  0.785124044940164967, -0.720030890468172036, -0.143072241480986490, -0.206169968137177528,
  0.115215978319374260, 0.084558926240851262, 0.207741978464353577, 0.118370656635078675,
  0.102817841689566897, -0.186889414380800589, -0.310958526358041942, -0.095509860706918415,
  0.096902022261240561, -0.035859668723796811, -0.021977372204832975, -0.120840084100581446,
  0.005669276639278951, -0.132841831281038159, 0.062356354338950343, -0.073955477875622622,
];

test("acf and pacf of log10(lynx) match R to 1e-10 (lags 0..20 and 1..20)", () => {
  const r = acf(logLynx, 20);
  const phi = pacf(logLynx, 20);
  assert.equal(r.length, 21);
  assert.equal(phi.length, 20);
  assert.ok(maxAbsDiff(r, R_ACF_LOG_LYNX) < 1e-10, `acf diff ${maxAbsDiff(r, R_ACF_LOG_LYNX)}`);
  assert.ok(maxAbsDiff(phi, R_PACF_LOG_LYNX) < 1e-10, `pacf diff ${maxAbsDiff(phi, R_PACF_LOG_LYNX)}`);
  // The default lag count is R's min(n − 1, ⌊10 log10 n⌋) = 20 for n = 114.
  assert.equal(defaultMaxLag(114), 20);
  assert.deepEqual(acf(logLynx), r);
});

test("autocovariance uses divisor n and removes the mean (hand computation on 4 values)", () => {
  // x = 1, 2, 4, 7: mean 3.5, deviations −2.5, −1.5, 0.5, 3.5
  const c = autocovariance([1, 2, 4, 7], 3);
  const expected = [(6.25 + 2.25 + 0.25 + 12.25) / 4, (3.75 - 0.75 + 1.75) / 4, (-1.25 - 5.25) / 4, -8.75 / 4];
  assert.ok(maxAbsDiff(c, expected) < 1e-15);
});

test("the white-noise band is qnorm(0.975)/√n, as R's plot.acf draws it", () => {
  // R: qnorm(0.975) / sqrt(114) = 0.18356816...
  assert.ok(Math.abs(acfBand(114) - 1.959963984540054 / Math.sqrt(114)) < 1e-15);
  assert.ok(Math.abs(acfBand(100, 0.9) - 1.6448536269514722 / 10) < 1e-15);
});

test("Durbin–Levinson on an AR(2)'s autocorrelations returns φ, the PACF cuts off after lag 2", () => {
  // AR(2) with φ = (0.5, 0.3): ρ(1) = φ1/(1 − φ2), ρ(k) = φ1 ρ(k−1) + φ2 ρ(k−2).
  const rho = [1, 0.5 / 0.7];
  for (let k = 2; k <= 6; k++) rho.push(0.5 * rho[k - 1]! + 0.3 * rho[k - 2]!);
  const dl = durbinLevinson(rho, 6);
  assert.ok(maxAbsDiff(dl.phi, [0.5, 0.3, 0, 0, 0, 0]) < 1e-14);
  assert.ok(maxAbsDiff(dl.pacf.slice(2), [0, 0, 0, 0]) < 1e-14);
  // v₂/γ(0) = 1 − φ1 ρ1 − φ2 ρ2, the share of variance left unpredicted.
  assert.ok(Math.abs(dl.variances[2]! - (1 - 0.5 * rho[1]! - 0.3 * rho[2]!)) < 1e-14);
});

test("clear errors for NaN, too many lags and constant series", () => {
  assert.throws(() => acf([1, NaN, 3], 1), /value 2 is NaN/);
  assert.throws(() => acf([1, 2, 3], 3), /too large/);
  assert.throws(() => acf([2, 2, 2], 1), /constant/);
  assert.throws(() => pacf([1, 2, 3], 0), /≥ 1/);
});
