// The "Dependent data" page's computations (components/examples/dependentData.ts): the five
// series, the transformations, shuffling, and how often shuffled autocorrelations leave the band.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseSeriesCsv } from "../../components/core/series.js";
import { acf } from "../../components/core/acf.js";
import { leastSquares, realSeries, shuffleContrast, shuffleCoverage, shuffled, transformSeries } from "../../components/examples/dependentData.js";

const load = (file: string) => parseSeriesCsv(readFileSync(new URL(`../../data/${file}`, import.meta.url), "utf8"));
const all = realSeries({
  nile: load("nile.csv"),
  sunspots: load("sunspots-annual.csv"),
  lynx: load("lynx.csv"),
  air: load("air-passengers.csv"),
  co2: load("co2-mauna-loa.csv"),
});
const byKey = Object.fromEntries(all.map((s) => [s.key, s]));

function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (diff ${Math.abs(actual - expected)})`);
}

test("the five series in the page's order, with their lengths and data files", () => {
  assert.deepEqual(all.map((s) => s.key), ["nile", "sunspots", "lynx", "air", "co2"]);
  assert.deepEqual(all.map((s) => s.values.length), [100, 289, 114, 144, 468]);
  assert.deepEqual(all.map((s) => s.file), ["nile", "sunspots-annual", "lynx", "air-passengers", "co2-mauna-loa"]);
  assert.equal(byKey.air!.labels[2], "1949-03");
  assert.equal(byKey.air!.step, "month");
});

test("transformations: log10, log10(1 + x) for a series with zeros, and first differences", () => {
  const logLynx = transformSeries(byKey.lynx!, "log10");
  near(logLynx.values[0]!, Math.log10(269), 1e-15, "log10 lynx 1821");
  near(acf(logLynx.values, 1)[1]!, 0.785124044940165522, 1e-10, "R's acf(log10(lynx)) at lag 1");
  assert.ok(byKey.sunspots!.values.includes(0), "the sunspot record has zeros");
  const logSun = transformSeries(byKey.sunspots!, "log10");
  assert.ok(logSun.values.every(Number.isFinite), "log10(1 + x) is finite at zeros");
  assert.match(logSun.valueLabel, /1 \+/);
  const diff = transformSeries(byKey.nile!, "difference");
  assert.equal(diff.values.length, 99);
  assert.equal(diff.values[0], byKey.nile!.values[1]! - byKey.nile!.values[0]!);
  assert.equal(diff.labels[0], "1872");
  assert.equal(transformSeries(byKey.nile!, "none"), byKey.nile);
});

test("shuffling is a seeded permutation: same values, new order, reproducible", () => {
  const x = byKey.nile!.values;
  const a = shuffled(x, 7);
  assert.deepEqual(a.slice().sort((p, q) => p - q), x.slice().sort((p, q) => p - q), "the same multiset of values");
  assert.deepEqual(shuffled(x, 7), a, "the same seed gives the same order");
  assert.notDeepEqual(shuffled(x, 8), a, "another seed gives another order");
  assert.notDeepEqual(a, x, "the order changed");
  assert.deepEqual(x.slice(0, 2), [1120, 1160], "the input is not modified");
});

test("shuffling leaves the least-squares fit of i.i.d. pairs unchanged but removes the Nile's lag-1 correlation", () => {
  for (const seed of [1, 2, 3]) {
    const c = shuffleContrast(byKey.nile!.values, 100, seed);
    near(c.pairsFitShuffled.slope, c.pairsFit.slope, 1e-12, `slope, seed ${seed}`);
    near(c.pairsFitShuffled.intercept, c.pairsFit.intercept, 1e-12, `intercept, seed ${seed}`);
    near(c.pairsFit.slope, 2, 0.35, `the slope estimates the true 2 (seed ${seed})`);
    near(c.seriesR1, acf(byKey.nile!.values, 1)[1]!, 0, "r(1) of the Nile");
    assert.ok(c.seriesR1 > 0.45, `the Nile's r(1) is ${c.seriesR1}`);
    assert.ok(Math.abs(c.seriesR1Shuffled) < 0.3, `after shuffling r(1) = ${c.seriesR1Shuffled}`);
  }
  const line = leastSquares([0, 1, 2, 3], [1, 3, 5, 7]);
  near(line.slope, 2, 1e-15, "slope of an exact line");
  near(line.intercept, 1, 1e-15, "intercept of an exact line");
});

test("shuffled autocorrelations leave the 95% band about 5% of the time; the real order far more often", () => {
  for (const key of ["lynx", "nile", "co2"]) {
    const cover = shuffleCoverage(byKey[key]!.values, 20, 200, 1);
    assert.ok(cover.outsideShare > 0.02 && cover.outsideShare < 0.07, `${key}: ${cover.outsideShare} of shuffled r(k) outside`);
    assert.ok(cover.originalOutsideShare > 0.3, `${key}: only ${cover.originalOutsideShare} of the real r(k) outside`);
  }
  const cover = shuffleCoverage(byKey.lynx!.values, 20, 10, 1);
  near(cover.band, 1.959963984540054 / Math.sqrt(114), 1e-15, "band 1.96/√n");
});
