// The "Dependent data" page in Chromium against the built site: it renders cleanly with its
// math, every control moves the numbers it should, the time scrubber drives the per-year
// views, shuffling behaves, the editable cells feed the rest of the page, and the URL keeps
// the controls.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { assertPageClean, useHarness } from "./harness.js";
import { control, setRange, settle } from "./pageActions.js";

const harness = useHarness();
const PAGE = "dependent-data";

const text = (locator: Locator) => locator.innerText();

/** The lag plot's r(k) as printed (the last value of its readout). */
async function lagR(page: Page): Promise<number> {
  const value = await page.locator(".lag-plot .chart-readout .chart-readout-value").last().innerText();
  return Number(value.replace("−", "-"));
}

test("five real series, each with its ACF and band, math typeset, provenance linked, no problems", async () => {
  const { page, problems, close } = await harness().openPage(PAGE);
  try {
    const galleries = page.locator(".series-with-acf");
    assert.equal(await galleries.count(), 5);
    assert.deepEqual(await galleries.evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.series)), ["nile", "sunspots", "lynx", "air", "co2"]);
    for (let i = 0; i < 5; i++) {
      const acf = galleries.nth(i).locator(".acf-plot");
      assert.equal(await acf.locator(".acf-band").count(), 1, `series ${i} has no band`);
      assert.ok((await acf.locator("rect[data-lag]").count()) >= 30, `series ${i} shows too few lags`);
      assert.match(await text(acf.locator(".chart-readout")), /95% band for white noise ±\s*0\.\d+/);
    }
    // The lynx ACF at lag 1, as the readout prints it (R: 0.7108 for the raw counts).
    assert.match(await text(galleries.nth(2).locator(".acf-plot .chart-readout")), /0\.7108/);
    assert.ok((await page.locator("main .katex").count()) > 20, "the page's math did not render");
    assert.equal(await page.locator(".math-error").count(), 0);
    for (const file of ["nile", "sunspots-annual", "lynx", "air-passengers", "co2-mauna-loa"]) {
      assert.equal(await page.locator(`main a[href$="data/${file}"]`).count(), 1, `no provenance link to ${file}`);
    }
    // The i.i.d. pairs keep their fit after shuffling; the Nile loses its lag-1 correlation.
    const contrast = page.locator("main table").first();
    const rows = await contrast.locator("tbody tr").allInnerTexts();
    const cells = rows.map((r) => r.split("\t").map((c) => c.trim()));
    assert.equal(cells[0]![1], cells[0]![2], "the slope changed under shuffling");
    assert.match(cells[2]![1]!, /^0\.498/);
    await assertPageClean(page, problems, PAGE);
  } finally {
    await close();
  }
});

test("series, transformation and lag move the ACF, the lag plot and the URL", async () => {
  const { page, problems, close } = await harness().openPage(PAGE);
  try {
    const acfCell = page.locator('.editable-cell[data-cell-id="acf"]');
    const title = () => text(acfCell.locator(".chart-title"));
    const lagReadout = () => text(page.locator(".lag-plot .chart-readout"));
    assert.match(await title(), /lynx.*log₁₀/);
    assert.match(await lagReadout(), /r\(1\)/);
    assert.equal(await lagR(page), 0.7851, "r(1) of log10 lynx, R: 0.785124");

    await setRange(page, "lag k", 5);
    await settle(page);
    assert.match(await lagReadout(), /r\(5\)/);
    assert.equal(await lagR(page), -0.6205, "lag 5 of log10 lynx, R: −0.620542");

    await control(page, "series").locator("select").selectOption({ label: "Airline passengers, 1949–1960 (monthly)" });
    await control(page, "transformation").getByLabel("first difference x(t) − x(t−1)").check();
    await setRange(page, "lag k", 12);
    await settle(page);
    assert.match(await title(), /Airline passengers.*first difference/);
    const r12 = await lagR(page);
    assert.ok(r12 > 0.7, `differenced passengers should be strongly seasonal at lag 12, got ${r12}`);
    await page.waitForFunction(() => location.search.includes("series=air") && location.search.includes("k=12") && location.search.includes("transform=difference"));

    // A log of the sunspot numbers (which include zeros) falls back to log10(1 + x), without errors.
    await control(page, "series").locator("select").selectOption({ label: "Annual sunspot number, 1700–1988" });
    await control(page, "transformation").getByLabel("log₁₀").check();
    await settle(page);
    assert.match(await text(page.locator(".lag-plot .chart-readout")), /r\(12\)/);
    await assertPageClean(page, problems, PAGE);
  } finally {
    await close();
  }
});

test("the time scrubber drives the series chart, the lag plot and the shuffled series", async () => {
  const { page, problems, close } = await harness().openPage(PAGE);
  try {
    const number = page.locator(".time-scrubber input[type=number]");
    await number.fill("10");
    await number.dispatchEvent("input");
    await page.waitForFunction(() => document.querySelector(".time-scrubber-readout")?.textContent?.startsWith("1831"));
    assert.match(await text(page.locator(".lag-plot .chart-readout")), /1831 \(t = 10\)/);
    const readouts = await page.locator(".line-chart .chart-readout").allInnerTexts();
    assert.ok(readouts.filter((r) => r.includes("1831 (t = 10)")).length >= 2, `series and shuffled charts should follow: ${readouts.join(" | ")}`);
    const before = await text(page.locator(".lag-plot .chart-readout"));
    await page.locator(".time-scrubber input[type=range]").focus();
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction(() => document.querySelector(".lag-plot .chart-readout")?.textContent?.includes("1832"));
    assert.notEqual(await text(page.locator(".lag-plot .chart-readout")), before);

    // Hovering a point of the lag plot moves the cursor to that point's year.
    const overlay = page.locator(".lag-plot .chart-overlay");
    await overlay.scrollIntoViewIfNeeded();
    const box = await overlay.boundingBox();
    assert.ok(box, "no lag plot overlay");
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.1);
    await page.waitForTimeout(200);
    assert.doesNotMatch(await page.locator(".time-scrubber-readout").innerText(), /^1832/);
    await assertPageClean(page, problems, PAGE);
  } finally {
    await close();
  }
});

test("shuffling keeps the values, removes the autocorrelation, and follows the seed", async () => {
  const { page, problems, close } = await harness().openPage(PAGE);
  try {
    const table = page.locator('[data-testid="shuffle-table"]');
    const row = async (label: RegExp) => {
      const rows = await table.locator("tbody tr").allInnerTexts();
      const found = rows.find((r) => label.test(r.replace(/\s+/g, "")));
      assert.ok(found, `no row ${label} in ${rows.join(" | ")}`);
      return found.split("\t").slice(-2).map((c) => c.trim());
    };
    const [meanA, meanB] = await row(/^mean/);
    assert.equal(meanA, meanB, "shuffling changed the mean");
    const [sdA, sdB] = await row(/^standarddeviation/);
    assert.equal(sdA, sdB, "shuffling changed the standard deviation");
    const [r1, r1Shuffled] = (await row(/^\S{0,4}\(1\)r\(1\)/)).map((v) => Number(v.replace("−", "-")));
    assert.ok(r1! > 0.7 && Math.abs(r1Shuffled!) < 0.25, `r(1): ${r1} before, ${r1Shuffled} after`);
    const [, pShuffled] = await row(/^p-value/);
    assert.ok(Number(pShuffled!.replace("−", "-")) > 0.01, `the shuffled series should pass Ljung–Box, p = ${pShuffled}`);
    const coverage = await page.locator("main li", { hasText: "shuffled copies" }).innerText();
    const share = Number(coverage.match(/([\d.]+)%/)?.[1]);
    assert.ok(share > 2 && share < 7, `shuffled r(k) outside the band: ${share}%`);

    const shuffledBefore = await row(/^\S{0,4}\(1\)r\(1\)/);
    await setRange(page, "shuffle seed", 17);
    await settle(page);
    const shuffledAfter = await row(/^\S{0,4}\(1\)r\(1\)/);
    assert.equal(shuffledAfter[0], shuffledBefore[0], "the original column must not depend on the seed");
    assert.notEqual(shuffledAfter[1], shuffledBefore[1], "a new seed should give a new shuffle");
    assert.match(await page.locator(".acf-plot .chart-title", { hasText: "before and after" }).locator("xpath=..").innerText(), /seed 17/);
    await page.waitForFunction(() => location.search.includes("seed=17"));
    await assertPageClean(page, problems, PAGE);
  } finally {
    await close();
  }
});

test("an edited ACF cell feeds the lag plot and the shuffle section; reset restores it", async () => {
  const { page, problems, close } = await harness().openPage(PAGE);
  try {
    const cell = page.locator('.editable-cell[data-cell-id="acf"]');
    const source = await cell.evaluate((node) => Promise.resolve((node as unknown as { value: Record<string, unknown> }).value).then((v) => Object.keys(v).sort()));
    assert.deepEqual(source, ["L", "band", "chosen", "r", "x"]);
    const edited = `const chosen = transformSeries(byKey.nile, "none");
const x = chosen.values;
const L = 8;
const r = acf(x, L);
const band = acfBand(x.length);
display(AcfPlot([{name: "$r(k)$", values: r}], {band, title: "edited: Nile, 8 lags"}));`;
    await cell.evaluate((node, text) => (node as unknown as { setSource(s: string): Promise<void> }).setSource(text), edited);
    await cell.locator(".editable-toolbar button[name=run]").click();
    await page.waitForFunction(() => document.querySelector('.editable-cell[data-cell-id="acf"] .chart-title')?.textContent?.includes("edited: Nile"));
    await settle(page);
    // The shuffle section now compares the Nile's 8 lags.
    const shuffleAcf = page.locator(".acf-plot", { hasText: "before and after" });
    await page.waitForFunction(() => Array.from(document.querySelectorAll(".acf-plot")).some((n) => n.textContent?.includes("before and after") && n.querySelectorAll("rect[data-lag]").length === 18));
    assert.equal(await shuffleAcf.locator("rect[data-lag]").count(), 18);
    assert.match(await text(page.locator(".time-scrubber-readout")), /^18\d\d|^19\d\d/);
    await cell.locator(".editable-toolbar button[name=reset]").click();
    await page.waitForFunction(() => document.querySelector('.editable-cell[data-cell-id="acf"] .chart-title')?.textContent?.includes("lynx"));
    await assertPageClean(page, problems, PAGE);
  } finally {
    await close();
  }
});

test("a shared link restores every control", async () => {
  const { page, problems, close } = await harness().openPage(PAGE, { query: { series: "nile", transform: "none", k: "3", seed: "9", lags: "20" } });
  try {
    assert.equal(await control(page, "series").locator("select").inputValue(), await control(page, "series").locator("select option", { hasText: "Nile" }).getAttribute("value"));
    assert.equal(await control(page, "lag k").locator("input[type=number]").inputValue(), "3");
    assert.equal(await control(page, "shuffle seed").locator("input[type=number]").inputValue(), "9");
    assert.match(await text(page.locator(".lag-plot .chart-readout")), /r\(3\)/);
    assert.match(await text(page.locator('.editable-cell[data-cell-id="acf"] .chart-title')), /Nile.*as recorded/);
    assert.equal(await page.locator('.editable-cell[data-cell-id="acf"] rect[data-lag]').count(), 21);
    await assertPageClean(page, problems, PAGE);
  } finally {
    await close();
  }
});
