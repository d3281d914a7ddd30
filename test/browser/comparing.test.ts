// The comparison page end to end: the parameter counts agree with the live tensors for any
// sizes, the stored tables are complete, a reader's own run trains the chosen networks,
// can be stopped, and leaves no tensors behind, the timing table measures every
// architecture, and the deep/bidirectional harness shows one heatmap per layer and direction.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { assertClean, collectDomProblems, useHarness } from "./harness.js";

const harness = useHarness();

type RunnerValue = { results: { variant: string; lag: number; accuracy: number; paramCount: number }[]; running: boolean; done: boolean; error: string | null };

function runnerValue(page: Page, index: number): Promise<RunnerValue> {
  return page.evaluate((i) => (document.querySelectorAll(".batch-runner")[i] as unknown as { value: RunnerValue }).value, index);
}

function numTensors(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __unrolled: { tf: { memory(): { numTensors: number } } } }).__unrolled.tf.memory().numTensors);
}

async function waitForRunner(page: Page, index: number, timeout = 180_000): Promise<RunnerValue> {
  await page.waitForFunction((i) => {
    const v = (document.querySelectorAll(".batch-runner")[i] as unknown as { value: RunnerValue }).value;
    return !v.running; // a click starts the batch synchronously, so this is its end
  }, index, { timeout, polling: 250 });
  return runnerValue(page, index);
}

async function countCells(table: Locator): Promise<{ formula: number; live: number; verdict: string }[]> {
  const rows = await table.locator("tbody tr").all();
  return Promise.all(
    rows.map(async (row) => {
      const cells = await row.locator("td").allInnerTexts();
      return { formula: Number(cells[1]), live: Number(cells[2]), verdict: cells[3]!.trim() };
    }),
  );
}

test("counts agree with the live tensors, and the stored tables cover every architecture and lag", async () => {
  const { page, problems, close } = await harness().openPage("comparing-rnns", { query: { backend: "wasm" } });
  try {
    const table = page.locator('[data-testid="count-table"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="count-table"]')?.textContent?.includes("…"), undefined, { timeout: 60_000 });
    const single = await countCells(table);
    // p = k = 5, q = 16: q(p+q+1) + kq + k, with g = 1, 4, 3, and 3 plus q for b_HR.
    assert.deepEqual(single.map((r) => r.formula), [437, 1493, 1141, 1157]);
    for (const r of single) assert.equal(r.live, r.formula);
    for (const r of single) assert.equal(r.verdict, "✓ agree");

    // Two bidirectional layers: 2[4·16·22 + 4·16·49] + 5·32 + 5 = 9253 for the LSTM.
    const layers = page.locator("form", { hasText: "layers D" }).first().locator("input[type=number]");
    await layers.fill("2");
    await layers.press("Enter");
    await page.locator("label", { hasText: "bidirectional (d = 2)" }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="count-table"]')?.textContent?.includes("9253"), undefined, { timeout: 60_000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid="count-table"]')?.textContent?.includes("…"), undefined, { timeout: 60_000 });
    const deep = await countCells(table);
    assert.equal(deep[1]!.formula, 9253);
    for (const r of deep) assert.equal(r.live, r.formula, JSON.stringify(deep));
    assert.match(await table.innerText(), /2⋅\[4⋅16\(5\+16\+1\)\+1⋅4⋅16\(32\+16\+1\)\]/, "the LSTM's formula should show d = 2 and the second layer's 2q inputs");
    await page.waitForFunction(() => location.search.includes("D=2") && location.search.includes("bi=1"), undefined, { timeout: 5000 });

    // Stored tables: four architectures at five lags, four ablations, and every cell a number.
    for (const [id, rows, columns] of [["lag-table", 4, 5], ["ablation-table", 4, 5], ["deep-table", 3, 4], ["reversed-table", 2, 4]] as const) {
      const stored = page.locator(`[data-testid="${id}"]`);
      assert.equal(await stored.locator("tbody tr").count(), rows, `${id} rows`);
      assert.equal(await stored.locator("thead th").count(), columns + 2, `${id} columns`);
      for (const text of await stored.locator("tbody td").allInnerTexts()) assert.match(text, /^\d/, `${id} has an empty cell`);
    }
    await collectDomProblems(page, problems);
    assertClean(problems, "comparing page");
  } finally {
    await close();
  }
});

test("a reader's run trains the chosen networks, can be stopped, and leaves no tensors", async () => {
  const { page, problems, close } = await harness().openPage("comparing-rnns", { query: { backend: "wasm", steps: "200", lags: "5", arch: "rnn,lstm", seed: "1" } });
  try {
    const before = await numTensors(page);
    const runner = page.locator(".batch-runner").first();
    assert.match(await runner.innerText(), /2 architectures × 1 lag, 200 updates each, seed 1/);
    await runner.locator("button[name=run]").click();
    const done = await waitForRunner(page, 0);
    assert.equal(done.error, null);
    assert.ok(done.done);
    assert.deepEqual(done.results.map((r) => [r.variant, r.lag, r.paramCount]), [["rnn", 5, 437], ["lstm", 5, 1493]]);
    for (const r of done.results) assert.ok(r.accuracy >= 0 && r.accuracy <= 1);
    assert.equal(await numTensors(page), before, "training left tensors behind");
    await page.waitForFunction(() => document.querySelector('[data-testid="live-check"]')?.textContent?.includes("Compared with the stored runs"));
    // The first 200 updates are the stored runs' first 200: at L = 5 both reached 1.0 there, in Node and here.
    assert.match(await page.locator('[data-testid="live-check"]').innerText(), /after 200 updates: 2 of 2 accuracies are identical/);
    assert.equal(await page.locator(".chart", { hasText: "Your runs" }).locator("path[stroke-dasharray='5 3']").count(), 2, "one dashed line per trained architecture");

    // A long run stops at the next update and keeps what finished.
    const steps = page.locator("form", { hasText: "updates per network" }).locator("input");
    await steps.fill("5000");
    await steps.press("Enter");
    await page.waitForFunction(() => document.querySelector(".batch-runner")?.textContent?.includes("5000 updates each"));
    await page.locator(".batch-runner").first().locator("button[name=run]").click();
    await page.waitForTimeout(1500);
    await page.locator(".batch-runner").first().locator("button[name=stop]").click();
    const stopped = await waitForRunner(page, 0, 60_000);
    assert.ok(!stopped.done || stopped.results.length < 2, "the stopped batch should not have finished both networks");
    assert.match(await page.locator(".batch-runner").first().innerText(), /Stopped/);
    await page.waitForTimeout(500);
    assert.equal(await numTensors(page), before, "stopping left tensors behind");
    await collectDomProblems(page, problems);
    assertClean(problems, "comparing page run");
  } finally {
    await close();
  }
});

test("timing measures all six architectures side by side, with the RNN as the unit", async () => {
  const { page, problems, close } = await harness().openPage("comparing-rnns", { query: { backend: "wasm", tL: "5" } });
  try {
    const timer = page.locator(".batch-runner").nth(1);
    await timer.locator("button[name=run]").click();
    const value = await waitForRunner(page, 1);
    assert.equal(value.error, null);
    const table = page.locator('[data-testid="timing-table"]');
    await table.waitFor({ timeout: 30_000 });
    const rows = await table.locator("tbody tr").all();
    assert.equal(rows.length, 6);
    const ratios = await Promise.all(rows.map(async (row) => Number((await row.locator("td").last().innerText()).trim())));
    assert.equal(ratios[0], 1);
    for (const r of ratios) assert.ok(Number.isFinite(r) && r > 0, `ratio ${r}`);
    assert.match(await table.locator("caption").innerText(), /wasm/);
    await collectDomProblems(page, problems);
    assertClean(problems, "comparing page timing");
  } finally {
    await close();
  }
});

test("the deep harness shows every layer and direction, trains, and follows its controls", async () => {
  const { page, problems, close } = await harness().openPage("comparing-rnns", { query: { backend: "wasm", dL: "4", dD: "2", dbi: "1", dcell: "gru" } });
  try {
    await page.waitForFunction(() => document.querySelector('[data-testid="deep-summary"]')?.textContent?.startsWith("Step"), undefined, { timeout: 60_000 });
    const maps = page.locator(".layer-maps .heatmap");
    assert.equal(await maps.count(), 4);
    assert.deepEqual(
      await page.locator(".layer-maps .chart-title").allInnerTexts().then((t) => t.map((s) => s.split(":")[0])),
      ["layer 1, forward", "layer 1, backward", "layer 2, forward", "layer 2, backward"],
    );
    const harnessRoot = page.locator(".training-harness").last();
    for (let i = 0; i < 3; i++) await harnessRoot.locator("button[name=step]").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="deep-summary"]')?.textContent?.startsWith("Step 3"), undefined, { timeout: 60_000 });
    // Resizing the window re-lays out the page but keeps the trained network.
    await page.setViewportSize({ width: 900, height: 900 });
    await page.waitForTimeout(800);
    assert.equal(await page.evaluate(() => (document.querySelectorAll(".training-harness")[0] as unknown as { value: { step: number } }).value.step), 3, "a resize reset the harness");
    await page.setViewportSize({ width: 1280, height: 900 });
    const values = await page.locator('[data-testid="deep-values"] tbody td').allInnerTexts();
    assert.ok(values.length >= 4 * 8 + 5, `value table too small: ${values.length}`);
    assert.ok(!values.some((v) => v.includes("NaN")), "value table shows NaN after training");

    await page.locator("label", { hasText: "bidirectional" }).last().click();
    await page.waitForFunction(() => document.querySelectorAll(".layer-maps .heatmap").length === 2, undefined, { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="deep-summary"]')?.textContent?.startsWith("Step"), undefined, { timeout: 60_000 });
    await collectDomProblems(page, problems);
    assertClean(problems, "comparing page deep harness");
  } finally {
    await close();
  }
});
