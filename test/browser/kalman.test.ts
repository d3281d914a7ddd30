// The Kalman-filter page end to end, in Chromium against the built site: the math renders,
// the scrubber moves every per-step view, the noise sliders change the gain and the RNN
// weights, the seed changes the track, the Nile fit agrees with R, EM runs live and stops
// where asked, and the AR limit closes as the observation noise goes to zero. Any console
// error, page error, cell error or external request fails the test.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { assertClean, collectDomProblems, useHarness } from "./harness.js";

const harness = useHarness();

/** Sets a range/number input of the Inputs form whose label contains `label`. */
async function setInput(page: Page, label: string, value: string): Promise<void> {
  const box = page.locator("form", { hasText: label }).first().locator("input[type=number]");
  await box.fill(value);
  await box.press("Enter");
}

const text = (page: Page, testid: string) => page.locator(`[data-testid="${testid}"]`).first().innerText();

test("kalman page: math, scrubber, noise sliders, seed, Nile vs R, live EM, AR limit", async () => {
  const { page, problems, close } = await harness().openPage("kalman-filter", { query: { backend: "wasm" } });
  try {
    // The math rendered, with numbered equations and no KaTeX errors.
    const katex = await page.locator(".katex").count();
    assert.ok(katex > 80, `only ${katex} KaTeX nodes`);
    assert.ok((await page.locator(".katex-display").count()) >= 15, "too few display equations");
    assert.equal(await page.locator(".math-error").count(), 0, "KaTeX errors on the page");
    assert.equal(await page.locator(".graphical-model").count(), 1, "no graphical model");

    // The scrubber: every per-step view follows it.
    const table = page.locator('[data-testid="values-at-t"]');
    await table.waitFor();
    const before = await table.innerText();
    assert.match(before, /t = 8/);
    const trackReadout = () => page.locator(".track-plot .chart-readout").first().innerText();
    const trackBefore = await trackReadout();
    const slider = page.locator(".time-scrubber input[type=range]");
    await slider.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    const after = await table.innerText();
    assert.match(after, /t = 10/);
    assert.notEqual(after, before, "the value table did not change with t");
    assert.notEqual(await trackReadout(), trackBefore, "the track plot did not follow t");
    const readouts = await page.locator(".line-chart .chart-readout").allInnerTexts();
    assert.ok(readouts.filter((r) => r.includes("t = 10")).length >= 4, `line charts not at t = 10: ${readouts.join(" | ")}`);
    // t = 0 shows the prior.
    const number = page.locator(".time-scrubber input[type=number]");
    await number.fill("0");
    await number.dispatchEvent("input");
    await page.waitForFunction(() => document.querySelector('[data-testid="values-at-t"]')?.textContent?.includes("prior mean"));
    // Clicking in the zoomed track plot moves the cursor.
    await number.fill("30");
    await number.dispatchEvent("input");
    await page.waitForFunction(() => document.querySelector('[data-testid="values-at-t"]')?.textContent?.includes("t = 30"));
    const overlay = page.locator(".track-plot .chart-overlay").first();
    await overlay.scrollIntoViewIfNeeded();
    const box = await overlay.boundingBox();
    assert.ok(box, "no track plot overlay");
    await page.mouse.click(box.x + box.width / 2, box.y + box.height - 5);
    await page.waitForFunction(() => !document.querySelector('[data-testid="values-at-t"] caption')?.textContent?.includes("t = 30"));

    // The GPS-noise slider changes the steady-state gain and the RNN weights W.
    const gainBefore = await text(page, "steady-gain");
    const wBefore = await text(page, "kalman-W");
    assert.match(gainBefore, /0\.43012/);
    await setInput(page, "GPS noise r", "40");
    await page.waitForFunction((g) => document.querySelector('[data-testid="steady-gain"]')?.textContent !== g, gainBefore.replace(/\s+/g, ""));
    await page.waitForFunction((old) => (document.querySelector('[data-testid="steady-gain"]') as HTMLElement | null)?.innerText !== old, gainBefore);
    const gainAfter = await text(page, "steady-gain");
    const kBefore = Number(/x\s+([\d.]+)/.exec(gainBefore.split("\n").slice(1).join("\n"))?.[1]);
    const kAfter = Number(/x\s+([\d.]+)/.exec(gainAfter.split("\n").slice(1).join("\n"))?.[1]);
    assert.ok(kAfter < kBefore, `a noisier GPS should lower the position gain: ${kBefore} → ${kAfter}`);
    assert.notEqual(await text(page, "kalman-W"), wBefore, "W did not change with the noise");

    // The seed changes the track (and the numbers at t).
    const atT = await table.innerText();
    await setInput(page, "seed", "5");
    await page.waitForFunction((old) => (document.querySelector('[data-testid="values-at-t"]') as HTMLElement | null)?.innerText !== old, atT);
    // The URL is written 150 ms after the last change (urlState.ts).
    await page.waitForFunction(() => location.search.includes("seed=5"), undefined, { timeout: 5000 });

    // Nile: the ML fit agrees with R's StructTS.
    const comparison = await text(page, "nile-comparison");
    assert.match(comparison, /R 4\.2\.2 StructTS[^\n]*1469\.14\d*\s+15098\.5\d*\s+−643\.2009/);
    assert.match(comparison, /ML \(bfgs\)[^\n]*1469\.1\d*\s+15098\.\d*\s+−643\.2009/);

    // EM runs live up to the requested count; a new count restarts it.
    await page.waitForFunction(() => document.querySelector('[data-testid="em-convergence"] .chart-readout')?.textContent?.includes("iteration 300"), undefined, { timeout: 60_000 });
    await setInput(page, "EM iterations", "40");
    await page.waitForFunction(() => document.querySelector('[data-testid="em-convergence"] .chart-readout')?.textContent?.includes("iteration 40 (latest)"), undefined, { timeout: 30_000 });
    assert.match(await text(page, "nile-comparison"), /EM after 40 iterations/);

    // The AR limit: the difference shrinks as s → 0.
    const diff = () =>
      page.evaluate(() => {
        const rows = Array.from(document.querySelectorAll('[data-testid="ar-limit"] tbody tr'));
        const row = rows.find((tr) => tr.querySelector("th")?.textContent?.trim().startsWith("difference"));
        return Math.abs(Number((row?.querySelector("td")?.textContent ?? "NaN").replace("−", "-").replace("e−", "e-")));
      });
    const atLarge = await diff();
    const limitBefore = await text(page, "ar-limit");
    await setInput(page, "log₁₀ s", "-4");
    await page.waitForFunction((old) => (document.querySelector('[data-testid="ar-limit"]') as HTMLElement | null)?.innerText !== old, limitBefore);
    const atSmall = await diff();
    assert.ok(atLarge > 1e-3 && atSmall < 1e-5, `the AR limit did not close: ${atLarge} → ${atSmall}`);
    assert.match(await text(page, "ar-limit"), /−637\.98709711/);

    await collectDomProblems(page, problems);
    assertClean(problems, "kalman page");
  } finally {
    await close();
  }
});
