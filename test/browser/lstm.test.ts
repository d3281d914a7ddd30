// The LSTM page end to end: math rendered, the parameter count checked live, training
// raises the held-out accuracy and lowers the loss with a flat tensor count, the scrubber
// moves every per-step view, and the forget-bias control changes the numbers it drives.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { assertPageClean, useHarness } from "./harness.js";
import { harnessState, lossEnds, trainFor } from "./pageActions.js";

const harness = useHarness();

async function waitForModel(page: Page) {
  await page.waitForFunction(() => document.querySelector('[data-testid="memory-summary"]')?.textContent?.startsWith("Step"), undefined, { timeout: 60_000 });
}

test("math renders and the live parameter count matches 4q(p+q+1) + kq + k", async () => {
  const { page, problems, close } = await harness().openPage("lstm", { query: { backend: "wasm" } });
  try {
    await waitForModel(page);
    assert.ok((await page.locator(".katex").count()) > 40, "the page's math did not render");
    assert.ok((await page.locator(".math-display").count()) >= 8, "display equations missing");
    const check = await page.locator('[data-testid="param-check"]').innerText();
    // p = 5 (four symbols + answer flag), q = 16, k = 5: 4·16·22 = 1408 and 85.
    assert.match(check, /total, counted from the live tensors\s+1493/);
    assert.match(check, /1408 \+ 85\s+1493/);
    assert.match(check, /✓/);
    await assertPageClean(page, problems, "lstm page");
  } finally {
    await close();
  }
});

test("training lowers the loss, raises held-out accuracy, and keeps tensors flat", async () => {
  const { page, problems, close } = await harness().openPage("lstm", { query: { backend: "wasm", lag: "8" } });
  try {
    await waitForModel(page);
    const before = await harnessState(page);
    const cellBefore = await page.locator(".heatmap canvas").nth(4).evaluate((c: HTMLCanvasElement) => c.toDataURL());
    await trainFor(page, 400);
    await page.waitForTimeout(800);
    const after = await harnessState(page);
    const { first, last } = lossEnds(after.losses);
    assert.ok(last < 0.5 * first, `loss fell only from ${first} to ${last}`);
    assert.equal(after.numTensors, before.numTensors, `tensors went from ${before.numTensors} to ${after.numTensors} over ${after.step} steps`);
    const summary = await page.locator('[data-testid="memory-summary"]').innerText();
    const accuracy = Number(/answers (\d+)%/.exec(summary)?.[1]);
    assert.ok(accuracy > 60, `held-out accuracy after ${after.step} steps at lag 8 is only ${accuracy}%: ${summary}`);
    const grad = await page.locator('[data-testid="grad-summary"]').innerText();
    assert.match(grad, /After \d+ training steps: vanilla RNN -?\d/);
    const cellAfter = await page.locator(".heatmap canvas").nth(4).evaluate((c: HTMLCanvasElement) => c.toDataURL());
    assert.notEqual(cellAfter, cellBefore, "the cell-state heatmap did not change with training");
    await assertPageClean(page, problems, "lstm page");
  } finally {
    await close();
  }
});

test("the scrubber moves the value table and every heatmap readout; the forget bias control changes its numbers", async () => {
  const { page, problems, close } = await harness().openPage("lstm", { query: { backend: "wasm" } });
  try {
    await waitForModel(page);
    const table = page.locator('[data-testid="values-at-t"]');
    const row = (name: string) => table.evaluate((node, n) => {
      const tr = Array.from(node.querySelectorAll("tr")).find((r) => r.cells[0]?.textContent?.includes(n));
      return tr ? Array.from(tr.cells).slice(1).map((c) => c.textContent).join(" ") : "";
    }, name);
    const forgetBefore = await row("forget gate");
    const cellBefore = await row("cell state");
    assert.ok(forgetBefore.length > 0 && cellBefore.length > 0, "no gate rows in the value table");
    const number = page.locator(".time-scrubber input[type=number]");
    await number.fill("5");
    await number.dispatchEvent("input");
    await page.waitForTimeout(300);
    assert.notEqual(await row("forget gate"), forgetBefore, "forget gate values did not change with t");
    assert.notEqual(await row("cell state"), cellBefore, "cell state values did not change with t");
    const readouts = await page.locator(".gate-maps .chart-readout").allInnerTexts();
    assert.equal(readouts.length, 6, "six heatmaps with readouts");
    for (const text of readouts) assert.match(text, /\(t = 5\)/, `a heatmap readout did not follow the cursor: ${text}`);

    // The forget-bias control: the factor σ(b_F)^L and the initial gradient decay both change.
    const factor = () => page.locator('[data-testid="forget-bias-factor"]').innerText();
    const grad = () => page.locator('[data-testid="grad-summary"]').innerText();
    const [factorBefore, gradBefore] = [await factor(), await grad()];
    assert.match(factorBefore, /σ\(b_F\) = 0\.731/);
    const control = page.locator("form", { hasText: "initial forget bias" }).locator("input[type=number]");
    await control.fill("-1");
    await control.press("Enter");
    await page.waitForFunction((text) => document.querySelector('[data-testid="forget-bias-factor"]')?.textContent !== text, factorBefore);
    assert.match(await factor(), /σ\(b_F\) = 0\.269/);
    await page.waitForFunction((text) => document.querySelector('[data-testid="grad-summary"]')?.textContent !== text, gradBefore, { timeout: 30_000 });
    await page.waitForFunction(() => location.search.includes("bf=-1"), undefined, { timeout: 5000 });
    await waitForModel(page);
    await assertPageClean(page, problems, "lstm page");
  } finally {
    await close();
  }
});
