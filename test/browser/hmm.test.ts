// The HMM page end to end, in Chromium against the built site (wasm backend): it renders clean
// with its math; the scrubber moves α(t), l(t), c(t) and the predictive distribution; EM and
// gradient ascent both raise the log-likelihood, EM faster; the autodiff gradients equal the
// expected counts within the stated float32 tolerance, through the tree form and the loop;
// Viterbi, sampling and the states render; controls and the editable cell drive the numbers.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { assertPageClean, useHarness } from "./harness.js";

const harness = useHarness();
/** The tolerance the page states: |autodiff − expected count| ≤ 2e-6 per symbol. */
const PER_SYMBOL = 2e-6;

type HarnessNode = HTMLElement & { value: { step: number; running: boolean; inspection: { emTrace: number[]; gaTrace: number[]; iteration: number } | null } };
type CellNode = HTMLElement & { setSource(source: string): Promise<void> };

/** "−2.69e−7" → -2.69e-7, "94.22%" → 94.22. */
function num(text: string): number {
  const value = Number(text.trim().replace(/[−–]/g, "-").replace(/%$/, "").replace(/,/g, ""));
  assert.ok(Number.isFinite(value), `not a number: ${JSON.stringify(text)}`);
  return value;
}

async function open(query: Record<string, string> = {}) {
  const opened = await harness().openPage("hmm", { query: { backend: "wasm", ...query } });
  await opened.page.waitForSelector('[data-testid="identity-table"] tbody tr', { timeout: 120_000 });
  await opened.page.waitForFunction(() => (document.querySelector(".training-harness") as HarnessNode | null)?.value.inspection != null, undefined, { timeout: 60_000 });
  return opened;
}

const testid = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`).first().innerText();

/** The numbers in the row of the values-at-t table whose TeX label starts with `tex`. */
function valueRow(page: Page, tex: string): Promise<number[]> {
  return page.evaluate((prefix) => {
    const table = document.querySelector('[data-testid="values-at-t"]')!;
    const row = Array.from(table.querySelectorAll("tr")).find((tr) => (tr.querySelector("th annotation")?.textContent ?? "").trim().startsWith(prefix));
    if (!row) throw new Error(`no row ${prefix}`);
    return Array.from(row.querySelectorAll("td"), (td) => Number((td.textContent ?? "").replace(/−/g, "-")));
  }, tex);
}

test("the page renders clean, with its math, its conventions and every live part", async () => {
  const { page, problems, close } = await open();
  try {
    assert.ok((await page.locator(".katex").count()) > 100, "the page's math did not render");
    assert.equal(await page.locator(".math-error").count(), 0);
    assert.ok((await page.locator('[id^="eq-eq-"]').count()) >= 10, "the labelled equations lost their anchors");
    assert.match(await page.locator("#eq-eq-hmm-cell").innerText(), /\(6\)/, "the RNN-cell equation is not numbered (6)");
    const prose = await page.locator("main").innerText();
    assert.match(prose, /Time counts from 0/);
    assert.match(prose, /columns that sum to 1/);
    assert.match(prose, /is the predictive distribution[\s\S]{0,300}?before[\s\S]{0,120}?is seen/, "the page does not say that α(t) comes before x(t) is seen");
    for (const id of ["forward", "race"]) assert.equal(await page.locator(`.editable-cell[data-cell-id="${id}"]`).count(), 1, `no editable cell ${id}`);
    for (const selector of [".stacked-area", ".heatmap", ".line-chart", ".distribution-bars", ".sequence-strip", '[data-testid="race-chart"]', '[data-testid="gap-chart"]', '[data-testid="fitted-emissions"]', '[data-testid="fitted-transitions"]', '[data-testid="hmm-sample"]', '[data-testid="closing-figures"]']) {
      assert.ok((await page.locator(selector).count()) > 0, `missing ${selector}`);
    }
    // The fitted model's numbers: log p and its per-symbol value agree, and beat the unigram model.
    const logLik = num(await testid(page, "window-loglik"));
    const perSymbol = num(await testid(page, "window-per-symbol"));
    assert.ok(Math.abs(logLik / 1000 - perSymbol) < 1e-5, `${logLik} / 1000 vs ${perSymbol}`);
    assert.ok(perSymbol > -2.78 && perSymbol < -2.5, `log p / T = ${perSymbol}`);
    // Two states split vowels (and the space) from consonants.
    const masses = [num(await testid(page, "vowel-mass-0")), num(await testid(page, "vowel-mass-1"))].sort((a, b) => a - b);
    assert.ok(masses[0]! < 10 && masses[1]! > 90, `vowel masses ${masses}`);
    // Viterbi and sampling rendered with numbers.
    assert.ok(num(await testid(page, "viterbi-agreement")) > 90);
    assert.ok(num(await testid(page, "viterbi-log")) < logLik, "the best path is less probable than all paths together");
    // textContent: innerText would collapse the sample's runs of spaces.
    const sampled = await page.locator('[data-testid="sample-text"]').evaluate((node) => node.textContent ?? "");
    assert.equal(sampled.length, 300);
    assert.match(sampled, /^[a-z ]+$/);
    await assertPageClean(page, problems, "hmm page");
  } finally {
    await close();
  }
});

test("the scrubber moves α(t), l(t), c(t) and the predictive distribution", async () => {
  const { page, problems, close } = await open();
  try {
    const read = async () => ({
      alpha: await valueRow(page, "\\alpha^{(t)} ="),
      nextAlpha: await valueRow(page, "\\alpha^{(t+1)} ="),
      l: await valueRow(page, "\\mathbf{l}^{(t)} ="),
      c: (await valueRow(page, "c^{(t)} ="))[0]!,
      caption: await page.locator('[data-testid="values-at-t"] caption').innerText(),
      bars: await page.locator(".distribution-bars .chart-readout").innerText(),
      strip: await page.locator(".sequence-strip [data-current]").first().getAttribute("data-t"),
    });
    const before = await read();
    assert.match(before.caption, /t = 42/);
    assert.equal(before.strip, "42");
    // c(t) = α(t)ᵀ l(t), from the printed numbers; the highlighted bar has height c(t).
    const dot = before.alpha.reduce((s, a, k) => s + a * before.l[k]!, 0);
    assert.ok(Math.abs(dot - before.c) < 1e-3 * before.c, `α·l = ${dot}, c = ${before.c}`);
    assert.ok(Math.abs(num(/observed “.”: ([−\d.e]+)/.exec(before.bars)![1]!) - before.c) < 1e-3, before.bars);
    assert.ok(Math.abs(before.alpha.reduce((s, a) => s + a, 0) - 1) < 1e-3, "α(t) is a distribution");

    const slider = page.locator(".time-scrubber input[type=range]");
    await slider.focus();
    await page.keyboard.press("ArrowRight");
    const after = await read();
    assert.match(after.caption, /t = 43/);
    assert.equal(after.strip, "43");
    assert.notDeepEqual(after.alpha, before.alpha, "α(t) did not move");
    assert.notDeepEqual(after.l, before.l, "l(t) did not move");
    assert.notEqual(after.c, before.c, "c(t) did not move");
    assert.notEqual(after.bars, before.bars, "the predictive bars did not move");
    assert.deepEqual(after.alpha, before.nextAlpha, "α(t) at t = 43 is the α(t+1) computed at t = 42");
    assert.match(await page.locator(".stacked-area .chart-readout").first().innerText(), /t = 43/);

    // Clicking a column of the close-up strip moves every view there.
    await page.locator('.sequence-strip [data-t="50"]').first().click();
    assert.match(await page.locator('[data-testid="values-at-t"] caption').innerText(), /t = 50/);
    assert.equal(await page.locator(".time-scrubber input[type=number]").inputValue(), "50");
    await assertPageClean(page, problems, "hmm page");
  } finally {
    await close();
  }
});

test("EM and gradient ascent both raise the log-likelihood, EM faster, with flat tensors", async () => {
  const { page, problems, close } = await open();
  try {
    const tensors = () => page.evaluate(() => (window as unknown as { __unrolled: { tf: { memory(): { numTensors: number } } } }).__unrolled.tf.memory().numTensors);
    const before = await tensors();
    await page.click(".training-harness button[name=start]");
    await page.waitForFunction(() => (document.querySelector(".training-harness") as HarnessNode).value.step >= 40, undefined, { timeout: 180_000, polling: 200 });
    await page.click(".training-harness button[name=pause]");
    await page.waitForFunction(() => !(document.querySelector(".training-harness") as HarnessNode).value.running);
    // One more single step re-reads the learners, so the inspection covers every step taken.
    await page.click(".training-harness button[name=step]");
    await page.waitForFunction(() => {
      const v = (document.querySelector(".training-harness") as HarnessNode).value;
      return !v.running && v.inspection !== null && v.inspection.iteration === v.step;
    }, undefined, { timeout: 30_000 });
    const { em, ga } = await page.evaluate(() => {
      const inspection = (document.querySelector(".training-harness") as HarnessNode).value.inspection!;
      return { em: inspection.emTrace, ga: inspection.gaTrace };
    });
    assert.ok(em.length >= 41 && ga.length === em.length);
    assert.equal(em[0], ga[0], "both learners start from the same point");
    for (let n = 1; n < em.length; n++) assert.ok(em[n]! >= em[n - 1]! - 1e-9, `EM lowered log p at iteration ${n}: ${em[n - 1]} → ${em[n]}`);
    const last = em.length - 1;
    assert.ok(em[last]! > em[0]! + 0.5, `EM: ${em[0]} → ${em[last]}`);
    assert.ok(ga[last]! > ga[0]! + 0.5, `gradient ascent: ${ga[0]} → ${ga[last]}`);
    assert.ok(em[30]! > ga[30]! + 0.03, `at iteration 30 EM is at ${em[30]}, gradient ascent at ${ga[30]}`);
    // The milestones table: EM comes within 0.1 nats per symbol in a few iterations; gradient ascent later or not yet.
    const milestones = await page.locator('[data-testid="race-milestones"] tbody tr').first().locator("td").allInnerTexts();
    assert.ok(num(milestones[0]!) <= 5, `EM milestone ${milestones[0]}`);
    assert.ok(milestones[1] === "–" || num(milestones[1]!) > num(milestones[0]!), `gradient ascent milestone ${milestones[1]}`);
    assert.ok(Math.abs(num(await testid(page, "race-em")) - em[last]!) < 1e-4, "the summary shows the latest EM value");
    const paths = await page.locator('[data-testid="race-chart"] path[stroke]').evaluateAll((nodes) => nodes.map((n) => (n.getAttribute("d") ?? "").split("L").length));
    assert.ok(paths.filter((points) => points > 30).length >= 2, `race curves have ${paths} points`);
    await page.waitForTimeout(300);
    assert.equal(await tensors(), before, "the tensor count grew while training");
    await assertPageClean(page, problems, "hmm page");
  } finally {
    await close();
  }
});

test("autodiff gradients equal the expected counts within the float32 tolerance, through the tree and the loop", async () => {
  const { page, problems, close } = await open();
  try {
    const summary = page.locator(".identity-summary");
    assert.ok(num(await testid(page, "identity-per-symbol")) <= PER_SYMBOL);
    assert.match(await testid(page, "identity-verdict"), /✓ agree/);
    assert.ok(num(await testid(page, "identity-max-rel")) < 1e-3);
    assert.ok(num(await testid(page, "identity-largest-count")) > 100, "the counts are real counts");
    assert.equal(await page.locator('[data-testid="identity-table"] tbody tr').count(), 2 + 4 + 54);
    assert.equal(await page.locator('[data-testid="identity-table"] tbody tr th[style*="600"]').count(), 1, "the worst row is marked");

    // Train a few steps, then check again at the new parameters.
    for (let i = 0; i < 5; i++) await page.click(".training-harness button[name=step]");
    await page.waitForFunction(() => {
      const v = (document.querySelector(".training-harness") as HarnessNode).value;
      return v.step === 5 && v.inspection?.iteration === 5;
    }, undefined, { timeout: 60_000 });
    await page.getByRole("button", { name: "Check at gradient ascent's current parameters" }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="identity-table"] caption')?.textContent?.includes("after 5 steps"), undefined, { timeout: 60_000 });
    assert.ok(num(await testid(page, "identity-per-symbol")) <= PER_SYMBOL);

    // Backpropagation through the step-by-step loop agrees too.
    assert.equal(await page.locator('[data-testid="loop-pending"]').count(), 1);
    await page.getByRole("button", { name: "Differentiate through the loop (BPTT)" }).click();
    await page.waitForSelector('[data-testid="closing-loop-max-abs"]', { timeout: 120_000 });
    assert.equal(await summary.count(), 2);
    const loopPerSymbol = num(await summary.nth(1).locator('[data-testid="identity-per-symbol"]').innerText());
    assert.ok(loopPerSymbol <= PER_SYMBOL, `loop: ${loopPerSymbol} per symbol`);
    assert.match(await summary.nth(1).locator('[data-testid="identity-verdict"]').innerText(), /✓ agree/);
    assert.match(await testid(page, "closing-figures"), /400 characters/);
    await assertPageClean(page, problems, "hmm page");
  } finally {
    await close();
  }
});

test("K, the window, the sample seed and an edit of the forward cell drive the numbers and the URL", async () => {
  const { page, problems, close } = await open();
  try {
    const logLik = await testid(page, "window-loglik");
    const sample = await testid(page, "sample-text");

    const seedBox = page.locator("form", { hasText: "sample seed" }).locator("input[type=number]");
    await seedBox.fill("2");
    await seedBox.press("Enter");
    await page.waitForFunction((old) => document.querySelector('[data-testid="sample-text"]')?.textContent !== old, sample);
    await page.waitForFunction(() => location.search.includes("sseed=2"));

    const kBox = page.locator("form", { hasText: "hidden states K" }).locator("input[type=number]");
    await kBox.fill("3");
    await kBox.press("Enter");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="identity-table"] tbody tr').length === 3 + 9 + 81, undefined, { timeout: 120_000 });
    assert.notEqual(await testid(page, "window-loglik"), logLik);
    assert.ok(num(await testid(page, "window-loglik")) > num(logLik), "three states fit better than two");
    await page.waitForFunction(() => location.search.includes("K=3"));
    assert.match(await page.locator(".harness-title").innerText(), /K = 3/);

    const startBox = page.locator("form", { hasText: "window starts at character" }).locator("input[type=number]");
    await startBox.fill("5000");
    await startBox.press("Enter");
    await page.waitForFunction(() => location.search.includes("start=5000"));
    await page.waitForFunction(() => !document.body.innerText.includes("The window holds characters 0 to"), undefined, { timeout: 60_000 });

    // Edit the main live example: no EM iterations, so the views show the seeded start itself.
    const cell = page.locator('.editable-cell[data-cell-id="forward"]');
    await cell.locator(".editable-toolbar button[name=edit]").click();
    await page.waitForSelector('.editable-cell[data-cell-id="forward"] .cm-editor');
    await cell.evaluate((node) => (node as CellNode).setSource(`const fitted = fitHmm(windowed.xs, K, seed, {iterations: 0});
const forward = hmmForward(fitted.params, windowed.xs);
const running = runningLogLikelihood(forward.normalisers);`));
    await cell.locator(".editable-toolbar button[name=run]").click();
    await page.waitForFunction(() => {
      const ll = document.querySelector('[data-testid="window-per-symbol"]')?.textContent;
      const start = document.querySelector('[data-testid="race-start"]')?.textContent;
      return ll !== undefined && ll === start;
    }, undefined, { timeout: 60_000 });
    await cell.locator(".editable-toolbar button[name=reset]").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="window-per-symbol"]')?.textContent !== document.querySelector('[data-testid="race-start"]')?.textContent, undefined, { timeout: 60_000 });
    await assertPageClean(page, problems, "hmm page");
  } finally {
    await close();
  }
});
