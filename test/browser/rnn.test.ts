// The RNN page end to end, in Chromium against the built site: training lowers the loss,
// the page stays responsive, tensors stay flat over 1,000 steps and across cell re-runs,
// the scrubber moves every view, and one seed on one backend gives identical numbers.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { assertPageClean, useHarness } from "./harness.js";
import { harnessState, lossEnds, startGapProbe, waitForSteps } from "./pageActions.js";

const harness = useHarness();

/** Waits until the harness has built its model (the value table then shows the state). */
async function waitForModel(page: Page) {
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="values-at-t"] tr').length > 6, undefined, { timeout: 60_000 });
}

test("training lowers the loss while the page stays responsive", async () => {
  const { page, problems, close } = await harness().openPage("rnn", { query: { backend: "wasm" } });
  try {
    await waitForModel(page);
    // Measure the longest gap between timer ticks while training: the main thread must keep breathing.
    const readGaps = await startGapProbe(page);
    // Mark the prediction chart and the hidden-state heatmap: training must update them in
    // place, not rebuild them (the synapse heatmap further down is rebuilt by design).
    await page.evaluate(() => [document.querySelector(".line-chart"), document.querySelector(".heatmap")].forEach((node) => ((node as HTMLElement).dataset.marked = "1")));
    const marked = await page.locator("[data-marked]").count();
    assert.equal(marked, 2);
    await page.click(".training-harness button[name=start]");
    await waitForSteps(page, 150);
    await page.click(".training-harness button[name=pause]");
    assert.equal(await page.locator("[data-marked]").count(), marked, "training rebuilt a chart instead of updating it");
    const state = await harnessState(page);
    const { first, last } = lossEnds(state.losses);
    assert.ok(last < 0.6 * first, `loss fell only from ${first.toFixed(4)} to ${last.toFixed(4)}`);
    const gaps = await readGaps();
    const longest = Math.max(...gaps.slice(2));
    assert.ok(longest < 1000, `the page froze for ${longest.toFixed(0)} ms while training`);
    const shown = await page.locator('.training-harness [data-field="loss"]').innerText();
    assert.match(shown, /^\d/);
    await assertPageClean(page, problems, "rnn page");
  } finally {
    await close();
  }
});

test("the tensor count stays flat over 1,000 training steps and across cell re-runs", async () => {
  const { page, problems, close } = await harness().openPage("rnn", { query: { backend: "wasm" } });
  try {
    await waitForModel(page);
    const before = (await harnessState(page)).numTensors;
    await page.click(".training-harness button[name=start]");
    await waitForSteps(page, 1000, { timeout: 420_000 });
    await page.click(".training-harness button[name=pause]");
    await page.waitForFunction(() => !(document.querySelector(".training-harness") as unknown as { value: { running: boolean } }).value.running);
    await page.waitForTimeout(300);
    const after = await harnessState(page);
    assert.ok(after.step >= 1000);
    // Adam's moment estimates are created with the trainer, so nothing may grow with the steps.
    assert.equal(after.numTensors, before, `tensors went from ${before} to ${after.numTensors} over ${after.step} steps`);

    // Changing the hidden size re-runs the harness cell: the old model must be freed.
    const hidden = page.locator("form", { hasText: "hidden units q" }).last().locator("input[type=number]");
    await hidden.fill("5");
    await hidden.press("Enter");
    await page.waitForFunction(() => document.querySelector(".harness-title")?.textContent?.includes("q = 5"));
    await waitForModel(page);
    await hidden.fill("12");
    await hidden.press("Enter");
    await page.waitForFunction(() => document.querySelector(".harness-title")?.textContent?.includes("q = 12"));
    await waitForModel(page);
    await page.waitForTimeout(500);
    const rebuilt = await harnessState(page);
    assert.equal(rebuilt.numTensors, before, `after two re-runs the page holds ${rebuilt.numTensors} tensors, not ${before}`);
    await assertPageClean(page, problems, "rnn page");
  } finally {
    await close();
  }
});

test("moving the scrubber changes every displayed number at t", async () => {
  const { page, problems, close } = await harness().openPage("rnn", { query: { backend: "wasm" } });
  try {
    await waitForModel(page);
    const table = page.locator('[data-testid="values-at-t"]');
    const readTable = () => table.innerText();
    const before = await readTable();
    const slider = page.locator(".time-scrubber input[type=range]");
    await slider.focus();
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    const after = await readTable();
    assert.notEqual(after, before);
    assert.match(before, /1957/);
    assert.match(after, /1954/);
    await slider.focus();
    // The state row changed too, not only the year.
    const stateRow = () =>
      table.evaluate((node) => {
        const row = Array.from(node.querySelectorAll("tr")).find((tr) => tr.cells[0]?.textContent?.trim().startsWith("state"));
        return row ? Array.from(row.cells).slice(1).map((cell) => cell.textContent).join(" ") : "";
      });
    const stateNow = await stateRow();
    await page.keyboard.press("ArrowLeft");
    assert.ok(stateNow.length > 0, "no state row in the table");
    assert.notEqual(await stateRow(), stateNow);

    // Typing a year step into the number box moves the charts' readouts as well.
    const number = page.locator(".time-scrubber input[type=number]");
    await number.fill("10");
    await number.dispatchEvent("input");
    await page.waitForFunction(() => document.querySelector(".time-scrubber-readout")?.textContent?.includes("1710"));
    assert.match(await readTable(), /1710/);
    const readouts = await page.locator(".chart-readout, .heatmap-readout").allInnerTexts();
    assert.ok(readouts.some((text) => text.includes("1710")), `no chart readout shows 1710: ${readouts.join(" | ")}`);

    // Hovering over the heatmap moves the cursor.
    const canvas = page.locator(".heatmap canvas").first();
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width * 0.12, box.y + box.height / 2);
    await page.waitForTimeout(200);
    const hovered = await page.locator(".time-scrubber-readout").innerText();
    assert.doesNotMatch(hovered, /input 1710/);

    // Clicking a node of the unrolled graph shows its vector and moves the cursor to its step.
    await page.locator('.unrolled-graph circle[data-kind="h"][data-t="3"]').click();
    assert.match(await page.locator(".unrolled-panel").innerText(), /1702/);
    assert.equal(await page.locator(".time-scrubber input[type=number]").inputValue(), "2");
    await assertPageClean(page, problems, "rnn page");
  } finally {
    await close();
  }
});

test("the same seed on the same backend gives identical losses", async () => {
  const run = async () => {
    const { page, close } = await harness().openPage("rnn", { query: { backend: "cpu" } });
    try {
      await waitForModel(page);
      for (let i = 0; i < 15; i++) await page.click(".training-harness button[name=step]");
      await waitForSteps(page, 15);
      return (await harnessState(page)).losses;
    } finally {
      await close();
    }
  };
  const first = await run();
  const second = await run();
  assert.equal(first.length, 15);
  assert.deepEqual(second, first);
});

test("switching backend mid-run rebuilds the model on the new backend", async () => {
  const { page, problems, close } = await harness().openPage("rnn", { query: { backend: "wasm" } });
  try {
    await waitForModel(page);
    await page.click(".training-harness button[name=step]");
    await page.selectOption("#unrolled-runtime select", "cpu");
    await page.waitForFunction(() => document.querySelector('.training-harness [data-field="backend"]')?.textContent === "cpu");
    await page.click(".training-harness button[name=step]");
    await waitForSteps(page, 1);
    assert.match(await page.locator(".harness-message").innerText(), /cpu/);
    await assertPageClean(page, problems, "rnn page");
  } finally {
    await close();
  }
});

