import assert from "node:assert/strict";
import { test } from "node:test";
import { formatCount, formatNumber, integerTicks, legendTicks } from "../../components/ui/format.js";

const M = "\u2212";

test("formatNumber keeps `digits` significant figures and switches to exponential for tiny and huge values", () => {
  assert.equal(formatNumber(0.123456), "0.1235");
  assert.equal(formatNumber(0.0123456), "0.01235");
  assert.equal(formatNumber(-1234.567), `${M}1234.6`);
  assert.equal(formatNumber(0.0000123), "1.230e\u22125");
  assert.equal(formatNumber(1750), "1750");
  assert.equal(formatNumber(2.5e7), "2.500e7");
  assert.equal(formatNumber(0), "0");
  assert.equal(formatNumber(Number.NaN), "NaN");
  assert.equal(formatNumber(-Infinity), `${M}∞`);
  assert.equal(formatCount(12345.4), "12,345");
});

test("integerTicks: the smallest 1-2-5 stride that leaves minSpacing pixels between labels", () => {
  assert.deepEqual(integerTicks(10, 30, 20), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(integerTicks(10, 8, 20), [0, 5]);
  assert.deepEqual(integerTicks(100, 3, 40), [0, 20, 40, 60, 80]);
});

/** Whether labels centred at their tick positions overlap, for a legend `width` px wide. */
function labelsCollide(domain: [number, number], width: number, values: number[], labels: string[], charWidth = 6.5): boolean {
  const x = (v: number) => ((v - domain[0]) / (domain[1] - domain[0])) * width;
  for (let i = 1; i < values.length; i++) {
    const gap = x(values[i]!) - x(values[i - 1]!);
    if ((labels[i]!.length + labels[i - 1]!.length) * charWidth * 0.5 + 4 > gap) return true;
  }
  return false;
}

function overlaps(domain: [number, number], width: number): boolean {
  const { values, labels } = legendTicks(domain, width);
  return labelsCollide(domain, width, values, labels);
}

test("legendTicks: labels fit side by side in 200 px for ranges from 1e−9 to 1e9", () => {
  for (const m of [1e-9, 1.3e-7, 2e-4, 0.05, 1, 7, 60, 1234, 2e5, 3e9]) {
    for (const domain of [[-m, m], [0, m]] as [number, number][]) {
      const { values, labels } = legendTicks(domain, 200);
      assert.ok(values.length >= 2, `${domain}: ${values}`);
      assert.ok(!overlaps(domain, 200), `${domain}: ${labels.join(" | ")}`);
      assert.ok(values.every((v) => v >= domain[0] - 1e-12 * m && v <= domain[1] + 1e-12 * m));
    }
  }
});

test("legendTicks: the tiny range of the old bug gets exponential labels, ordinary ranges fixed ones", () => {
  assert.deepEqual(legendTicks([-1e-7, 1e-7], 200).labels, [`${M}1e${M}7`, `${M}5e${M}8`, "0", `5e${M}8`, `1e${M}7`]);
  assert.deepEqual(legendTicks([-1, 1], 200).labels, [`${M}1.0`, `${M}0.5`, "0", "0.5", "1.0"]);
  assert.deepEqual(legendTicks([0, 20], 200).labels, ["0", "5", "10", "15", "20"]);
  // A narrow legend drops ticks rather than crowding them.
  assert.ok(legendTicks([-1e-7, 1e-7], 60).values.length < 5);
  assert.ok(!overlaps([-1e-7, 1e-7], 60));
});

test("the collision check is sensitive: d3's default five fixed-point ticks on ±1e−7 collide in 200 px", () => {
  const values = [-1e-7, -5e-8, 0, 5e-8, 1e-7];
  const labels = ["−0.0000001", "−0.00000005", "0", "0.00000005", "0.0000001"];
  assert.ok(labelsCollide([-1e-7, 1e-7], 200, values, labels));
});
