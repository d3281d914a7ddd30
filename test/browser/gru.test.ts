// The GRU page end to end: math rendered, the two reset placements and update conventions
// give the numbers the page claims, the parameter count follows the placement, training
// raises the held-out accuracy with a flat tensor count, and the scrubber moves every view.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { assertPageClean, useHarness } from "./harness.js";
import { harnessState, lossEnds, trainFor } from "./pageActions.js";

const harness = useHarness();

async function waitForModel(page: Page) {
  await page.waitForFunction(() => document.querySelector('[data-testid="memory-summary"]')?.textContent?.startsWith("Step"), undefined, { timeout: 60_000 });
}

test("conventions: placements differ, flipped Z matches, and the demo follows its controls and scrubber", async () => {
  const { page, problems, close } = await harness().openPage("gru", { query: { backend: "wasm" } });
  try {
    await waitForModel(page);
    assert.ok((await page.locator(".math-display").count()) >= 6, "display equations missing");
    assert.ok((await page.locator(".katex").count()) > 30, "inline math missing");
    const gaps = await page.locator('[data-testid="convention-gaps"]').innerText();
    const [placement, same, flipped] = [...gaps.matchAll(/(\d\.\d+(?:e-?\d+)?)/g)].map((m) => Number(m[1]));
    assert.ok(placement! > 1e-3, `reset placements should differ: ${gaps}`);
    assert.ok(same! > 1e-3, `Z conventions on the same weights should differ: ${gaps}`);
    assert.ok(flipped! < 1e-12, `negated Z weights should reproduce the keep convention: ${gaps}`);
    const table = page.locator('[data-testid="conventions-at-t"]');
    const before = await table.innerText();
    const dt = page.locator(".time-scrubber input[type=number]");
    await dt.fill("7");
    await dt.dispatchEvent("input");
    await page.waitForTimeout(300);
    assert.notEqual(await table.innerText(), before, "the demo table did not follow its scrubber");
    const seed = page.locator("form", { hasText: "weight seed (demo)" }).locator("input[type=number]");
    await seed.fill("7");
    await seed.press("Enter");
    await page.waitForFunction((text) => document.querySelector('[data-testid="convention-gaps"]')?.textContent !== text, gaps);
    await page.waitForFunction(() => location.search.includes("dseed=7"), undefined, { timeout: 5000 });

    // The parameter count follows the reset placement: + q for b_HR.
    const check = () => page.locator('[data-testid="param-check"]').innerText();
    // p = 5, q = 8, k = 5: 3·8·14 = 336 and 45.
    assert.match(await check(), /336 \+ 45\s+381/);
    assert.match(await check(), /✓/);
    await page.locator("label", { hasText: "after W_H" }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="param-check"]')?.textContent?.includes("344 + 45"), undefined, { timeout: 30_000 });
    await waitForModel(page);
    assert.match(await check(), /total, counted from the live tensors\s+389/);
    assert.match(await check(), /✓/);
    await assertPageClean(page, problems, "gru page");
  } finally {
    await close();
  }
});

test("training the GRU raises accuracy with flat tensors; the scrubber moves the gate table and heatmaps", async () => {
  const { page, problems, close } = await harness().openPage("gru", { query: { backend: "wasm", lag: "8" } });
  try {
    await waitForModel(page);
    const before = await harnessState(page);
    await trainFor(page, 300);
    await page.waitForTimeout(800);
    const after = await harnessState(page);
    const { first, last } = lossEnds(after.losses);
    assert.ok(last < 0.5 * first, `loss fell only from ${first} to ${last}`);
    assert.equal(after.numTensors, before.numTensors, "tensor count changed over training");
    const summary = await page.locator('[data-testid="memory-summary"]').innerText();
    assert.ok(Number(/answers (\d+)%/.exec(summary)?.[1]) > 60, `GRU accuracy too low: ${summary}`);

    const table = page.locator('[data-testid="values-at-t"]');
    const row = () => table.evaluate((node) => {
      const tr = Array.from(node.querySelectorAll("tr")).find((r) => r.cells[0]?.textContent?.includes("update gate"));
      return tr ? Array.from(tr.cells).slice(1).map((c) => c.textContent).join(" ") : "";
    });
    const z0 = await row();
    const scrubber = page.locator(".time-scrubber input[type=number]");
    assert.equal(await scrubber.count(), 1, "one time scrubber per page");
    await scrubber.fill("4");
    await scrubber.dispatchEvent("input");
    await page.waitForTimeout(300);
    assert.notEqual(await row(), z0, "update gate row did not change with t");
    const readouts = await page.locator(".gate-maps .chart-readout").allInnerTexts();
    assert.equal(readouts.length, 4);
    for (const text of readouts) assert.match(text, /\(t = 4\)/);
    await assertPageClean(page, problems, "gru page");
  } finally {
    await close();
  }
});
