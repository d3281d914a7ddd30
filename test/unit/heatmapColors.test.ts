import assert from "node:assert/strict";
import { test } from "node:test";
import * as d3 from "d3";
import { colorDomain, colorScale, niceBound } from "../../components/ui/heatmapColors.js";

test("the colour domain: symmetric about 0 for signed data, [0, nice max] otherwise, [−1, 1] when empty", () => {
  assert.deepEqual(colorDomain([[0.2, -0.75], [0.3, 0.1]]), [-0.8, 0.8]);
  assert.deepEqual(colorDomain([[0.2, 0.97], [0.3, 0.1]]), [0, 1]);
  assert.deepEqual(colorDomain([[2.3, Number.NaN]]), [0, 2.5]);
  assert.deepEqual(colorDomain([[Number.NaN], []]), [-1, 1]);
  assert.deepEqual(colorDomain([[-3e-8, 1e-8]]), [-niceBound(3e-8), niceBound(3e-8)]);
  assert.deepEqual(colorDomain([[5, 6]], [0, 1]), [0, 1]);
  assert.equal(niceBound(0), 1);
});

test("a symmetric domain is diverging red–blue (0 white, positive red), any other viridis; values clamp to the ends", () => {
  const signed = colorScale([-1, 1]);
  assert.equal(signed.level(0), 128);
  assert.equal(signed.level(-5), 0);
  assert.equal(signed.level(5), 255);
  const positive = d3.rgb(signed.colorOf(1));
  assert.ok(positive.r > positive.b, `+1 should be red, got ${positive}`);
  const negative = d3.rgb(signed.colorOf(-1));
  assert.ok(negative.b > negative.r, `−1 should be blue, got ${negative}`);
  const unsigned = colorScale([0, 1]);
  assert.equal(unsigned.colorOf(0), d3.interpolateViridis(0));
  assert.equal(unsigned.colorOf(1), d3.interpolateViridis(1));
  // The pixel table agrees with the CSS colour of each level.
  for (const v of [0, 0.3, 0.77, 1]) {
    const c = unsigned.level(v) * 3;
    assert.equal(d3.rgb(unsigned.rgb[c]!, unsigned.rgb[c + 1]!, unsigned.rgb[c + 2]!).formatHex(), d3.rgb(unsigned.colorOf(v)).formatHex());
  }
  assert.equal(unsigned.colorOf(Number.NaN), "#999");
});
