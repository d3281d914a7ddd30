// The "Vanishing and exploding gradients" page in Chromium against the built site: the
// spectrum controls move the eigenvalues and the norms, the live network trains and its
// views follow it and the scrubber, clipping rescues the exploding run, and the lag sweep
// reproduces the stored table and shows the collapse.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { assertPageClean, useHarness } from "./harness.js";

const harness = useHarness();

type HarnessNode = HTMLElement & { value: { step: number; loss: number | null; running: boolean; inspection: { accuracy: number } | null } };

const text = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`).first().innerText();

async function waitForNetwork(page: Page) {
  await page.waitForFunction(() => /After \d+ updates/.test(document.querySelector('[data-testid="live-summary"]')?.textContent ?? ""), undefined, { timeout: 120_000, polling: 200 });
}

async function setRange(page: Page, label: string, value: number) {
  const box = page.locator("form", { hasText: label }).locator("input[type=number]");
  await box.fill(String(value));
  await box.press("Enter");
}

test("the math renders, and the spectrum controls move the computed eigenvalues and the norms of Wᵗ", async () => {
  const { page, problems, close } = await harness().openPage("vanishing-gradients", { query: { backend: "wasm" } });
  try {
    await waitForNetwork(page);
    const math = await page.evaluate(() => ({ katex: document.querySelectorAll(".katex").length, refs: document.querySelectorAll("a.eqref").length }));
    assert.ok(math.katex > 100, `only ${math.katex} formulas`);
    assert.ok(math.refs >= 2, `equation references: ${math.refs}`);
    assert.match(await text(page, "built-summary"), /ρ\(W\) = 0\.9000 \(computed\), largest singular value σ_max = 0\.9000/);
    const dots = () => page.evaluate(() => Array.from(document.querySelectorAll('.complex-plane [data-set="0"] circle.eigenvalue'), (c) => `${c.getAttribute("cx")},${c.getAttribute("cy")}`).join(" "));
    const before = await dots();
    await setRange(page, "spectral radius ρ", 1.2);
    await page.waitForFunction(() => document.querySelector('[data-testid="built-summary"]')?.textContent?.includes("ρ(W) = 1.2000"));
    assert.notEqual(await dots(), before, "the eigenvalues did not move");
    assert.match(await text(page, "built-summary"), /ρ⁶⁰ = 56348\.?/);
    // A non-normal W: same eigenvalues, larger σ_max, transient growth.
    await setRange(page, "spectral radius ρ", 0.9);
    await setRange(page, "condition number κ", 30);
    await page.waitForFunction(() => /ρ\(W\) = 0\.900\d \(computed\), largest singular value σ_max = [2-9]/.test(document.querySelector('[data-testid="built-summary"]')?.textContent ?? ""));
    assert.equal(await page.locator(".complex-plane .extra-circle").count(), 1, "the σ_max circle is drawn");
    await assertPageClean(page, problems, "vanishing-gradients page");
  } finally {
    await close();
  }
});

test("the live network learns a short lag, and its Jacobian and gradient views follow it and the scrubber", async () => {
  const { page, problems, close } = await harness().openPage("vanishing-gradients", { query: { backend: "wasm", L: "4" } });
  try {
    await waitForNetwork(page);
    const readouts = () => page.evaluate(() => Array.from(document.querySelectorAll(".norm-plot .chart-readout"), (e) => (e as HTMLElement).innerText).join(" | "));
    const first = await readouts();
    await page.click(".training-harness button[name=start]");
    await page.waitForFunction(() => ((document.querySelector(".training-harness") as unknown as HarnessNode).value.inspection?.accuracy ?? 0) > 0.95 && (document.querySelector(".training-harness") as unknown as HarnessNode).value.step > 100, undefined, { timeout: 240_000, polling: 250 });
    await page.click(".training-harness button[name=pause]");
    await page.waitForTimeout(800);
    const summary = await text(page, "live-summary");
    console.log(`live network, L = 4: ${summary}`);
    assert.match(summary, /held-out accuracy (0\.9[5-9]\d*|1) /);
    const trained = await readouts();
    assert.notEqual(trained, first, "the views did not follow training");
    const slider = page.locator(".time-scrubber input[type=range]");
    await slider.focus();
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    const moved = await readouts();
    assert.notEqual(moved, trained, "the scrubber did not move the readouts");
    assert.match(moved, /t = 8:/);
    assert.match(moved, /d = 8:/);
    await assertPageClean(page, problems, "vanishing-gradients page");
  } finally {
    await close();
  }
});

test("clipping rescues the IRNN run that explodes without it", async () => {
  const { page, problems, close } = await harness().openPage("vanishing-gradients", { query: { backend: "wasm" } });
  try {
    await waitForNetwork(page);
    await page.locator('[data-testid="clip-status"]').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => /With clipping|failed/.test(document.querySelector('[data-testid="clip-status"]')?.textContent ?? ""), undefined, { timeout: 180_000, polling: 250 });
    const status = await text(page, "clip-status");
    console.log(`clipping: ${status}`);
    const runs = await page.evaluate(() => (document.querySelector(".clip-race") as HTMLElement & { value: { runs: { divergedAt: number | null; losses: number[] }[] } }).value.runs);
    assert.ok(runs[0]!.divergedAt !== null, "the unclipped run diverges");
    assert.equal(runs[1]!.divergedAt, null, "the clipped run does not");
    assert.equal(runs[1]!.losses.length, 300);
    assert.ok(runs[1]!.losses.at(-1)! < 0.1 * runs[1]!.losses[0]!, `clipped loss ${runs[1]!.losses[0]} → ${runs[1]!.losses.at(-1)}`);
    await assertPageClean(page, problems, "vanishing-gradients page");
  } finally {
    await close();
  }
});

test("the lag sweep reproduces the stored table and shows the collapse; the initialisations are compared", async () => {
  const { page, problems, close } = await harness().openPage("vanishing-gradients", { query: { backend: "wasm" } });
  try {
    await waitForNetwork(page);
    await page.locator('[data-testid="sweep-status"]').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => /^Done|failed/.test(document.querySelector('[data-testid="sweep-status"]')?.textContent ?? ""), undefined, { timeout: 420_000, polling: 500 });
    const status = await text(page, "sweep-status");
    console.log(`sweep: ${status}`);
    const results = await page.evaluate(() => (document.querySelector(".lag-sweep") as HTMLElement & { value: { results: { lag: number; accuracy: number; answerGradientBefore: number[] }[] } }).value.results.map((r) => ({ lag: r.lag, accuracy: r.accuracy, reach: r.answerGradientBefore.at(-2)! / r.answerGradientBefore[0]! })));
    console.log(`sweep results: ${JSON.stringify(results)}`);
    assert.deepEqual(results.map((r) => r.lag), [2, 5, 10, 15, 20, 30, 40]);
    assert.equal(results[0]!.accuracy, 1, "L = 2 is learned");
    for (const r of results.filter((x) => x.lag >= 20)) assert.ok(r.accuracy < 0.35, `L = ${r.lag}: accuracy ${r.accuracy} should be near chance`);
    // Before training, the answer's gradient that reaches the first symbol shrinks with L.
    assert.ok(results.at(-1)!.reach < 0.1 * results[0]!.reach, "the gradient reaching back L steps shrinks with L");
    assert.match(await text(page, "table-check"), /all 7 accuracies .* are identical to it/);
    // Switching to the gradients after training redraws the curves.
    const plotText = () => page.evaluate(() => Array.from(document.querySelectorAll(".norm-plot")).find((p) => p.querySelector(".chart-body")?.getAttribute("aria-label")?.includes("mean gradient norm"))?.querySelector("svg path[stroke-width=\"1.75\"]")?.getAttribute("d") ?? "none");
    const before = await plotText();
    await page.locator("label", { hasText: "after training" }).first().click();
    await page.waitForTimeout(300);
    assert.notEqual(await plotText(), before);
    const table = await page.locator('[data-testid="lag-table"]').innerText();
    assert.match(table, /identity, ReLU \(IRNN\)/);
    const initTable = await page.locator("table.value-table", { hasText: "how much survives 40 steps" }).innerText();
    assert.match(initTable, /orthogonal, tanh\s+1\.000\s+1\.000\s+1\.000/);
    await assertPageClean(page, problems, "vanishing-gradients page");
  } finally {
    await close();
  }
});
