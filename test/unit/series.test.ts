import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseSeriesCsv, standardize, unstandardize, type Series } from "../../components/core/series.js";

function load(file: string): Series {
  return parseSeriesCsv(readFileSync(new URL(`../../data/${file}`, import.meta.url), "utf8"), file);
}

function valueAt(s: Series, label: string): number {
  const i = s.labels.indexOf(label);
  assert.ok(i >= 0, `${s.name} has no row ${label}`);
  return s.values[i]!;
}

function plainMean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
}

// Expected numbers below were printed by R 4.2.2 in this session, e.g.
//   Rscript -e 'sprintf("%.17g", c(mean(Nile), sd(Nile))); Nile[c(1, 28, 100)]'
// The first values also match the figures usually quoted for these series.
const cases = [
  {
    file: "sunspots-annual.csv", rows: 289, first: "1700", last: "1988",
    firstTime: 1700, lastTime: 1988,
    mean: 48.613494809688582, sd: 39.474102681828796,
    values: { "1700": 5, "1701": 11, "1702": 16, "1779": 125.9, "1957": 190.2, "1988": 100.2 },
  },
  {
    file: "nile.csv", rows: 100, first: "1871", last: "1970",
    firstTime: 1871, lastTime: 1970,
    mean: 919.35000000000002, sd: 169.22750063065095,
    values: { "1871": 1120, "1898": 1100, "1913": 456, "1970": 740 },
  },
  {
    file: "lynx.csv", rows: 114, first: "1821", last: "1934",
    firstTime: 1821, lastTime: 1934,
    mean: 1538.0175438596491, sd: 1585.843914149016,
    values: { "1821": 269, "1904": 6991, "1934": 3396 },
  },
  {
    file: "air-passengers.csv", rows: 144, first: "1949-01", last: "1960-12",
    firstTime: 1949, lastTime: 1960 + 11 / 12,
    mean: 280.29861111111109, sd: 119.96631694294321,
    values: { "1949-01": 112, "1954-12": 229, "1960-07": 622, "1960-12": 432 },
  },
  {
    file: "co2-mauna-loa.csv", rows: 468, first: "1959-01", last: "1997-12",
    firstTime: 1959, lastTime: 1997 + 11 / 12,
    mean: 337.05352564102566, sd: 14.96621972775303,
    values: { "1959-01": 315.42, "1964-01": 319.41, "1964-05": 322.06, "1997-12": 364.34 },
  },
] as const;

for (const c of cases) {
  test(`${c.file}: shape, endpoints, published values, R's mean and sd`, () => {
    const s = load(c.file);
    assert.equal(s.values.length, c.rows);
    assert.equal(s.times.length, c.rows);
    assert.equal(s.labels.length, c.rows);
    assert.equal(s.labels[0], c.first);
    assert.equal(s.labels[c.rows - 1], c.last);
    near(s.times[0]!, c.firstTime, 1e-12, "first time");
    near(s.times[c.rows - 1]!, c.lastTime, 1e-12, "last time");
    for (const [label, v] of Object.entries(c.values)) assert.equal(valueAt(s, label), v, label);
    near(plainMean(s.values), c.mean, 1e-9, "mean vs R mean()");
    near(standardize(s.values).sd, c.sd, 1e-9, "sd vs R sd()");
  });
}

test("annual files have one row per year and monthly files one row per month", () => {
  for (const c of cases) {
    const s = load(c.file);
    const step = c.first.includes("-") ? 1 / 12 : 1;
    for (let i = 1; i < s.times.length; i++) near(s.times[i]! - s.times[i - 1]!, step, 1e-9, `${c.file} step ${i}`);
  }
});

test("co2: Feb-Apr 1964 are the linear interpolation between January and May (R's ?co2)", () => {
  const s = load("co2-mauna-loa.csv");
  const jan = valueAt(s, "1964-01");
  const may = valueAt(s, "1964-05");
  ["1964-02", "1964-03", "1964-04"].forEach((label, k) => {
    near(valueAt(s, label), jan + ((may - jan) * (k + 1)) / 4, 0.005 + 1e-9, label);
  });
});

test("months map to fractional years; labels keep the original text", () => {
  const s = parseSeriesCsv("month,x\n1949-01,1\n1949-03,2\n1949-12,3\n");
  assert.deepEqual(s.labels, ["1949-01", "1949-03", "1949-12"]);
  near(s.times[1]!, 1949 + 2 / 12, 1e-12, "March");
  near(s.times[2]!, 1949 + 11 / 12, 1e-12, "December");
});

test("handles CRLF, a trailing newline, spaces around fields and a byte-order mark", () => {
  const s = parseSeriesCsv("\uFEFFyear, level\r\n1871, 1120\r\n1872,1160.5\r\n\r\n", "Nile");
  assert.deepEqual(s, {
    name: "Nile", timeLabel: "year", valueLabel: "level",
    times: [1871, 1872], labels: ["1871", "1872"], values: [1120, 1160.5],
  });
  assert.equal(parseSeriesCsv("t,v\n1,2").name, "v");
});

test("error messages name the problem and the line", () => {
  const cases: Array<[string, RegExp]> = [
    ["", /CSV is empty/],
    ["  \n\r\n", /CSV is empty/],
    ["year\n1871\n", /Line 1 \(header\) must name exactly two columns/],
    ["year,flow,extra\n1871,1,2\n", /Line 1 \(header\) must name exactly two columns/],
    ["year,\n1871,1\n", /Line 1 \(header\)/],
    ["year,flow\n", /header but no data rows/],
    ["year,flow\n1871,1120\n1872\n", /^Error: Line 3 has 1 field, expected 2/],
    ["year,flow\n1871,1120,5\n", /^Error: Line 2 has 3 fields, expected 2/],
    ["year,flow\n1871,1120\n\n1873,1\n", /Line 3 has 1 field/],
    ["year,flow\n1871,1120\n1872,\n", /Line 3: the flow is missing/],
    ["year,flow\n1871,NA\n", /Line 2: the flow "NA" is not a number/],
    ["year,flow\n1871,abc\n", /Line 2: the flow "abc" is not a number/],
    ["year,flow\n1871,0x10\n", /Line 2: the flow "0x10" is not a number/],
    ["year,flow\n1871,Infinity\n", /Line 2: the flow "Infinity" is not a number/],
    ["year,flow\nabc,1\n", /Line 2: the year "abc" is not a number or a YYYY-MM month/],
    ["month,x\n1949-13,1\n", /Line 2: the month "1949-13" is not/],
    ["year,flow\n1871,1\n1872,2\n1872,3\n", /Line 4: year 1872 does not come after 1872 on line 3/],
    ["year,flow\n1871,1\n1870,2\n", /Line 3: year 1870 does not come after 1871 on line 2/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseSeriesCsv(text), (e: unknown) => {
      assert.ok(e instanceof Error, "throws an Error");
      assert.match(String(e), message, JSON.stringify(text));
      return true;
    });
  }
});

test("accepts signed, decimal and exponent values", () => {
  assert.deepEqual(parseSeriesCsv("t,v\n1,-1.5\n2,.25\n3,2e3\n4,+7\n").values, [-1.5, 0.25, 2000, 7]);
});

test("standardize uses the n - 1 divisor (hand-computed examples)", () => {
  // 1, 3, 5: mean 3, squared deviations 4 + 0 + 4 = 8, 8 / (3 - 1) = 4, sd 2.
  const a = standardize([1, 3, 5]);
  assert.equal(a.mean, 3);
  assert.equal(a.sd, 2);
  assert.deepEqual(a.z, [-1, 0, 1]);
  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32; the population sd
  // would be sqrt(32 / 8) = 2, the sample sd is sqrt(32 / 7) = 2.1380899352993950.
  const b = standardize([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(b.mean, 5);
  near(b.sd, 2.138089935299395, 1e-15, "sample sd");
  near(b.z[0]!, -3 / 2.138089935299395, 1e-12, "z of 2");
  near(b.z[7]!, 4 / 2.138089935299395, 1e-12, "z of 9");
});

test("unstandardize inverts standardize", () => {
  const xs = [315.42, 316.31, 316.5, 317.56, 318.13];
  const { z, mean, sd } = standardize(xs);
  unstandardize(z, mean, sd).forEach((x, i) => near(x, xs[i]!, 1e-12, `value ${i}`));
  assert.deepEqual(unstandardize([-1, 0, 2], 10, 3), [7, 10, 16]);
});

test("standardize rejects fewer than two values and constant input", () => {
  assert.throws(() => standardize([]), /at least 2 values, got 0/);
  assert.throws(() => standardize([4]), /at least 2 values, got 1/);
  assert.throws(() => standardize([2, 2, 2]), /all equal/);
});
