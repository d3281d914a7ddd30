// The BPTT page in Chromium against the built site: the math renders, BPTT agrees with
// autodiff at every step, training moves every per-step view, the scrubber moves them,
// truncation, the cost measurement and teacher forcing all run live, and nothing leaks.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { assertPageClean, useHarness } from "./harness.js";
import { harnessState, waitForSteps } from "./pageActions.js";

const harness = useHarness();

/** Waits until the text model has been inspected once (the agreement summary carries its numbers). */
async function waitForCheck(page: Page, minUpdates = 0) {
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="agreement"]')?.getAttribute("data-updates") ?? -1) >= n, minUpdates, { timeout: 120_000, polling: 200 });
}

const tableText = (page: Page) => page.locator('[data-testid="values-at-t"]').first().innerText();

test("the derivation renders, and BPTT agrees with autodiff at the initial weights to float32 precision", async () => {
  const { page, problems, close } = await harness().openPage("bptt", { query: { backend: "wasm" } });
  try {
    await waitForCheck(page);
    const math = await page.evaluate(() => ({ katex: document.querySelectorAll(".katex").length, displays: document.querySelectorAll(".math-display").length, refs: Array.from(document.querySelectorAll("a.eqref"), (a) => a.textContent) }));
    assert.ok(math.katex > 150, `only ${math.katex} formulas rendered`);
    assert.ok(math.displays >= 12, `only ${math.displays} displayed equations`);
    assert.ok(math.refs.length >= 8 && math.refs.every((r) => /^\(\d+\)$/.test(r ?? "")), `equation references: ${math.refs.join(" ")}`);
    const largest = Number(await page.locator('[data-testid="agreement"]').getAttribute("data-largest"));
    assert.ok(largest > 0 && largest < 1e-5, `largest relative difference at the initial weights: ${largest}`);
    const summary = await page.locator('[data-testid="agreement"]').innerText();
    assert.match(summary, /after 0 updates/);
    console.log(`bptt page, initial weights: ${summary}`);
    // Every gradient of the derivation is in the table at t, beside its autodiff value.
    const table = await tableText(page);
    for (const name of ["prediction", "state", "from the output", "from later steps", "(their sum), BPTT", "autodiff"]) {
      assert.ok(table.includes(name), `the table at t has no row "${name}"`);
    }
    const rows = await page.locator('[data-testid="values-at-t"] >> nth=0 >> tbody tr:not(.value-table-units)').count();
    assert.equal(rows, 12, "twelve quantities at t");
    await assertPageClean(page, problems, "bptt page");
  } finally {
    await close();
  }
});

test("training lowers the loss, and the gradients shown follow the model", async () => {
  const { page, problems, close } = await harness().openPage("bptt", { query: { backend: "wasm" } });
  try {
    await waitForCheck(page);
    const before = await tableText(page);
    const heatmapBefore = await page.locator(".heatmap .chart-readout").first().innerText();
    await page.click(".training-harness button[name=start] >> nth=0");
    await waitForSteps(page, 150);
    await page.click(".training-harness button[name=pause] >> nth=0");
    await waitForCheck(page, 100);
    const state = await harnessState(page);
    const first = state.losses.slice(0, 5).reduce((a, b) => a + b, 0) / 5;
    const last = state.losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
    assert.ok(last < 0.5 * first, `loss fell only from ${first} to ${last}`);
    assert.notEqual(await tableText(page), before, "the table at t did not follow training");
    assert.notEqual(await page.locator(".heatmap .chart-readout").first().innerText(), heatmapBefore, "the ∂L/∂o heatmap did not follow training");
    const largest = Number(await page.locator('[data-testid="agreement"]').getAttribute("data-largest"));
    assert.ok(largest < 1e-3, `after ${state.step} updates the difference is ${largest}`);
    console.log(`bptt page after ${state.step} updates: ${await page.locator('[data-testid="agreement"]').innerText()}`);
    await assertPageClean(page, problems, "bptt page");
  } finally {
    await close();
  }
});

test("the scrubber moves every per-step view: table, heatmaps, matrices, charts and the truncation diagram", async () => {
  const { page, problems, close } = await harness().openPage("bptt", { query: { backend: "wasm" } });
  try {
    await waitForCheck(page);
    const snapshot = () =>
      page.evaluate(() => ({
        table: (document.querySelector('[data-testid="values-at-t"]') as HTMLElement).innerText,
        readouts: Array.from(document.querySelectorAll(".chart-readout"), (e) => (e as HTMLElement).innerText).join(" | "),
        matrices: (document.querySelector(".chart-row") as HTMLElement | null)?.innerText ?? "",
        step: document.querySelector(".chart-row")?.getAttribute("data-step"),
        rule: document.querySelector(".truncation-diagram .chart-rule")?.getAttribute("x1"),
      }));
    const before = await snapshot();
    assert.equal(before.step, "5");
    const slider = page.locator(".time-scrubber input[type=range]");
    await slider.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    const after = await snapshot();
    assert.equal(after.step, "7");
    assert.notEqual(after.table, before.table, "the table did not move");
    assert.match(after.table, /reads “ ?s”|reads “␣”|reads “.”/);
    assert.notEqual(after.readouts, before.readouts, "the chart readouts did not move");
    assert.notEqual(after.rule, before.rule, "the truncation diagram's marker did not move");
    // The number box moves it too, and the caption names the characters.
    const number = page.locator(".time-scrubber input[type=number]");
    await number.fill("1");
    await number.dispatchEvent("input");
    await page.waitForFunction(() => document.querySelector(".time-scrubber-readout")?.textContent?.includes("t = 1: reads “t”, should predict “h”"));
    assert.match(await tableText(page), /reads “t”, should predict “h”/);
    await assertPageClean(page, problems, "bptt page");
  } finally {
    await close();
  }
});

test("truncated BPTT: the bias vanishes at k2 = T and grows as k2 shrinks", async () => {
  const { page, problems, close } = await harness().openPage("bptt", { query: { backend: "wasm" } });
  try {
    await waitForCheck(page);
    const line = page.locator('[data-testid="truncation"]');
    const errorOf = async () => Number((/relative error ‖g̃ − g‖\/‖g‖ = ([^,]+),/.exec(await line.innerText())?.[1] ?? "NaN").replace("−", "-"));
    const setK2 = async (value: number) => {
      const box = page.locator("form", { hasText: "k₂" }).locator("input[type=number]");
      await box.fill(String(value));
      await box.press("Enter");
      await page.waitForFunction((v) => document.querySelector('[data-testid="truncation"]')?.textContent?.includes(`k₂ = ${v})`), value);
    };
    await setK2(22);
    const exact = await errorOf();
    assert.ok(exact < 1e-12, `k2 = T: relative error ${exact}`);
    await setK2(3);
    const cut = await errorOf();
    assert.ok(cut > 1e-3, `k2 = 3: relative error ${cut}`);
    const v = Number((/V ([^,]+),/.exec(await line.innerText())?.[1] ?? "NaN").replace("−", "-"));
    assert.ok(v < 1e-12, `truncation must leave ∂L/∂V exact: ${v}`);
    await assertPageClean(page, problems, "bptt page");
  } finally {
    await close();
  }
});

test("the cost panel measures memory growing linearly in T, and long sequences costing more than wide batches", async () => {
  const { page, problems, close } = await harness().openPage("bptt", { query: { backend: "wasm" } });
  try {
    await waitForCheck(page);
    await page.locator('[data-testid="cost-status"]').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => /Done|failed/.test(document.querySelector('[data-testid="cost-status"]')?.textContent ?? ""), undefined, { timeout: 180_000, polling: 500 });
    const status = await page.locator('[data-testid="cost-status"]').innerText();
    assert.match(status, /^Done/, status);
    const value = await page.evaluate(() => (document.querySelector(".cost-panel") as HTMLElement & { value: { rows: { T: number; storedNumbers: number; peakBytes: number; manualMs: number; autodiffMs: number }[]; parallel: { T: number; ms: number }[] } }).value);
    console.log(`cost: ${JSON.stringify(value)}`);
    const { rows, parallel } = value;
    assert.deepEqual(rows.map((r) => r.T), [20, 40, 80, 160, 320]);
    rows.forEach((r) => assert.equal(r.storedNumbers, r.T * (2 * 8 + 2 * 11) + 8, `stored numbers at T = ${r.T}`));
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i]!.peakBytes > rows[i - 1]!.peakBytes, "tfjs's peak memory grows with T");
    const perStep = rows.map((r) => r.peakBytes / r.T);
    assert.ok(Math.max(...perStep.slice(1)) < 1.6 * Math.min(...perStep.slice(1)), `peak memory per step is not roughly constant: ${perStep.join(", ")}`);
    assert.ok(rows.at(-1)!.manualMs > rows[0]!.manualMs, "float64 time grows with T");
    assert.ok(parallel.at(-1)!.ms > 3 * parallel[0]!.ms, `one sequence of 256 steps (${parallel.at(-1)!.ms} ms) should take far longer than 128 of 2 (${parallel[0]!.ms} ms)`);
    await assertPageClean(page, problems, "bptt page");
  } finally {
    await close();
  }
});

test("teacher forcing: the model trains, and free-running errors grow beyond the teacher-forced ones", async () => {
  const { page, problems, close } = await harness().openPage("bptt", { query: { backend: "wasm" } });
  try {
    await waitForCheck(page);
    await page.locator(".training-harness >> nth=1").scrollIntoViewIfNeeded();
    await page.click(".training-harness >> nth=1 >> button[name=start]");
    await waitForSteps(page, 600, { index: 1, timeout: 300_000 });
    await page.click(".training-harness >> nth=1 >> button[name=pause]");
    await page.waitForFunction(() => /After [1-9]\d* updates/.test(document.querySelector('[data-testid="teacher-summary"]')?.textContent ?? ""), undefined, { timeout: 30_000 });
    await page.waitForTimeout(800);
    const state = await harnessState(page, 1);
    assert.ok(state.losses.at(-1)! < 0.1 * state.losses[0]!, `teacher-forced loss ${state.losses[0]} → ${state.losses.at(-1)}`);
    const summary = await page.locator('[data-testid="teacher-summary"]').innerText();
    console.log(`teacher forcing: ${summary}`);
    const teacherAt64 = Number(await page.locator('[data-testid="teacher-summary"]').getAttribute("data-teacher"));
    const freeAt64 = Number(await page.locator('[data-testid="teacher-summary"]').getAttribute("data-free"));
    assert.ok(freeAt64! > 2 * teacherAt64!, `free-running error ${freeAt64} vs teacher-forced ${teacherAt64} at step 64`);
    await assertPageClean(page, problems, "bptt page");
  } finally {
    await close();
  }
});

test("a new text rebuilds the model, the cursor range and the views, without leaking tensors", async () => {
  const { page, problems, close } = await harness().openPage("bptt", { query: { backend: "wasm" } });
  try {
    await waitForCheck(page);
    const tensors = (await harnessState(page)).numTensors;
    const form = page.locator("form").filter({ has: page.locator("button", { hasText: "Use this text" }) });
    await form.locator("input").fill("abcabcabcabc");
    await form.locator("button").click();
    await page.waitForFunction(() => document.querySelector(".harness-title")?.textContent?.includes("T = 11 steps, 3 characters"));
    await page.waitForFunction(() => document.querySelector('.time-scrubber input[type=range]')?.getAttribute("max") === "11");
    await waitForCheck(page);
    await page.waitForTimeout(500);
    assert.equal((await harnessState(page)).numTensors, tensors, "the old model's tensors were not all freed");
    assert.match(await tableText(page), /reads “[abc]”/);
    await assertPageClean(page, problems, "bptt page");
  } finally {
    await close();
  }
});
