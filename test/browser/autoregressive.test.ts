// The "Autoregressive models" page in Chromium against the built site: it renders cleanly with
// its math and every reference check agreeing with R; the simulation's sliders, roots and
// triangle respond; the three estimators show R's numbers; the order-selection curves finish
// without freezing the page; the scrubber moves the fitted values and the forecast origin; the
// forecast, Ljung–Box, VAR and ARMA controls change what they should; the URL keeps them.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Locator } from "playwright-core";
import { assertPageClean, useHarness } from "./harness.js";
import { control, setRange, settle, startGapProbe } from "./pageActions.js";

const harness = useHarness();
const PAGE = "autoregressive-models";

/** A table's body rows as arrays of trimmed cell texts (TeX labels collapsed to their visible text). */
function tableRows(table: Locator): Promise<string[][]> {
  return table.evaluate((node) =>
    Array.from((node as HTMLTableElement).tBodies[0]?.rows ?? [], (row) =>
      Array.from(row.cells, (cell) => {
        const clone = cell.cloneNode(true) as HTMLElement;
        clone.querySelectorAll(".katex-mathml").forEach((m) => m.remove());
        return (clone.textContent ?? "").replace(/\u200b/g, "").replace(/\s+/g, " ").trim();
      }),
    ),
  );
}

const num = (text: string) => Number(text.replace(/−/g, "-"));

test("the page renders cleanly, its math typeset, and every reference check agrees with R", async () => {
  const { page, problems, close } = await harness().openPage(PAGE);
  try {
    assert.ok((await page.locator("main .katex").count()) > 50, "the page's math did not render");
    assert.ok((await page.locator("main .katex-display").count()) >= 12, "display equations missing");
    const checks = page.locator('[data-testid="reference-table"] td[data-agrees]');
    assert.ok((await checks.count()) >= 20, `only ${await checks.count()} reference checks`);
    assert.deepEqual(new Set(await checks.evaluateAll((cells) => cells.map((c) => (c as HTMLElement).dataset.agrees))), new Set(["true"]));
    const rows = await tableRows(page.locator('[data-testid="reference-table"]'));
    const mle = rows.find((r) => r[0]!.startsWith("exact MLE AR(2), sunspots"));
    assert.deepEqual(mle?.slice(2, 4), ["1.3886", "1.3886"]);
    assert.equal(await page.locator('main a[href$="rnn"]').count() > 0, true, "no link to the RNN page");
    await assertPageClean(page, problems, PAGE);
  } finally {
    await close();
  }
});

test("simulation: sliders change the series and roots; the triangle reports and sets (φ₁, φ₂)", async () => {
  const { page, problems, close } = await harness().openPage(PAGE);
  try {
    const panel = page.locator(".control-panel").first();
    const roots = page.locator(".roots-plot .chart-readout");
    const triangle = page.locator(".triangle-region .chart-readout");
    assert.match(await roots.innerText(), /stationary[\s\S]*period 9\.652/);
    assert.equal(await triangle.getAttribute("data-stationary"), "true");
    const seriesReadout = () => page.locator(".line-chart", { hasText: "simulated AR" }).locator(".chart-readout").innerText();
    const before = await seriesReadout();

    // Outside the triangle: the roots plot and the triangle say so, and the simulation is flagged.
    await setRange(panel, "φ₂", 0.5);
    await settle(page);
    assert.equal(await triangle.getAttribute("data-stationary"), "false");
    assert.match(await roots.innerText(), /not stationary/);
    assert.equal(await page.locator(".roots-plot [data-modulus]").count(), 2, "an AR(2) has two roots, drawn or at the frame's edge");
    assert.match(await page.locator(".line-chart .chart-title", { hasText: "simulated AR" }).innerText(), /not stationary/);
    assert.notEqual(await seriesReadout(), before);

    // Clicking in the triangle at (0.5, 0.3) sets both sliders and the URL.
    const overlay = page.locator(".triangle-region .chart-overlay");
    await overlay.scrollIntoViewIfNeeded();
    const box = await overlay.boundingBox();
    assert.ok(box, "no triangle overlay");
    const [x0, w, y0, h] = await overlay.evaluate((node) => ["x", "width", "y", "height"].map((a) => Number(node.getAttribute(a))));
    const sx = box.width / w!;
    const sy = box.height / h!;
    // The plane spans φ₁ ∈ [−2.5, 2.5] over the overlay's width and φ₂ ∈ [−1.3, 1.3] over its height.
    const svgX = x0! + ((0.5 + 2.5) / 5) * w!;
    const svgY = y0! + ((1.3 - 0.3) / 2.6) * h!;
    await page.mouse.click(box.x + (svgX - x0!) * sx, box.y + (svgY - y0!) * sy);
    await settle(page);
    // A click lands within a pixel, and the triangle rounds to 0.01: allow one step either way.
    const phi1 = num(await control(panel, "φ₁").locator("input[type=number]").inputValue());
    const phi2 = num(await control(panel, "φ₂").locator("input[type=number]").inputValue());
    assert.ok(Math.abs(phi1 - 0.5) < 0.015 && Math.abs(phi2 - 0.3) < 0.015, `clicked (0.5, 0.3), got (${phi1}, ${phi2})`);
    assert.equal(await triangle.getAttribute("data-stationary"), "true");
    assert.match(await triangle.innerText(), /real roots/);
    await page.waitForFunction(([a, b]) => location.search.includes(`phi1=${a}`) && location.search.includes(`phi2=${b}`), [phi1, phi2]);

    // Order 1 greys out φ₂..φ₄ and leaves one real root at 1/φ₁ = 2.
    await setRange(panel, "simulated order p", 1);
    await settle(page);
    assert.equal(await control(panel, "φ₂").locator("input[type=number]").isDisabled(), true);
    const modulus = Number((await roots.innerText()).match(/\|z\| = ([\d.]+)/)?.[1]);
    assert.ok(Math.abs(modulus - 1 / phi1) < 1e-3, `one real root at 1/φ₁ = ${1 / phi1}, shown ${modulus}`);
    await assertPageClean(page, problems, PAGE);
  } finally {
    await close();
  }
});

test("estimation: the three methods give R's numbers, and follow the series and the order", async () => {
  const { page, problems, close } = await harness().openPage(PAGE);
  try {
    const table = page.locator('[data-testid="estimates"]');
    let rows = await tableRows(table);
    // log10 lynx, AR(2): Yule–Walker (R ar.yw), least squares (R ar.ols), exact MLE.
    assert.deepEqual(rows[0]!.slice(1, 6), ["1.3504", "0.06587", "1.3842", "0.06303", "1.3776"]);
    assert.equal(rows[1]![1], "−0.7200");
    assert.match(rows.find((r) => r[0]!.startsWith("innovation variance"))![1]!, /^0\.0586/);

    await control(page, "series").locator("select").selectOption({ label: "sunspot numbers, 1700–1988" });
    await page.waitForFunction(() => document.querySelector('[data-testid="estimates"] caption')?.textContent?.includes("sunspot"));
    await settle(page);
    rows = await tableRows(table);
    assert.equal(rows[0]![5], "1.3886", "sunspots AR(2) by MLE: R's arima gives 1.3886");
    assert.equal(rows[1]![5], "−0.6906");
    assert.equal(rows.find((r) => r[0]!.startsWith("log-likelihood"))![5], "−1222.2", "R: −1222.19");

    await setRange(page, "fitted order p", 9);
    await page.waitForFunction(() => document.querySelector('[data-testid="estimates"] caption')?.textContent?.includes("AR(9)"));
    await settle(page);
    rows = await tableRows(table);
    assert.match(rows[8]![0]!, /^\S9$/, `no φ9 row: ${rows.map((r) => r[0]).join(", ")}`);
    assert.equal(rows[0]![5], "1.1851", "sunspots AR(9) by MLE (R, converged: 1.18507)");
    await page.waitForFunction(() => location.search.includes("series=sunspots") && location.search.includes("p=9"));
    await assertPageClean(page, problems, PAGE);
  } finally {
    await close();
  }
});

test("the scrubber moves the fitted values and the forecast origin; forecast controls change the forecast", async () => {
  const { page, problems, close } = await harness().openPage(PAGE);
  try {
    const fittedTable = page.locator('[data-testid="values-at-t"]');
    const forecastTable = page.locator('[data-testid="forecast-table"]');
    assert.match(await fittedTable.innerText(), /1934/);
    assert.equal((await tableRows(forecastTable)).length, 20);
    assert.match(await forecastTable.locator("caption").innerText(), /1821–1934/);

    const number = page.locator(".time-scrubber input[type=number]");
    await number.fill("80");
    await number.dispatchEvent("input");
    await page.waitForFunction(() => document.querySelector('[data-testid="forecast-table"] caption')?.textContent?.includes("1821–1901"));
    assert.match(await fittedTable.innerText(), /1901/);
    const rows = await tableRows(forecastTable);
    assert.equal(rows[0]![1], "1902");
    assert.notEqual(rows[0]![6], "–", "held-out years have observed values");
    assert.match(await page.locator(".forecast-chart .chart-readout").innerText(), /origin 1901/);

    // Dragging on the forecast chart moves the shared cursor too.
    const overlay = page.locator(".forecast-chart .chart-overlay");
    await overlay.scrollIntoViewIfNeeded();
    const box = await overlay.boundingBox();
    assert.ok(box, "no forecast overlay");
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.waitForFunction(() => !document.querySelector('[data-testid="forecast-table"] caption')?.textContent?.includes("1821–1901"));
    assert.doesNotMatch(await page.locator(".time-scrubber-readout").innerText(), /^1901/);

    await setRange(page, "steps ahead h", 7);
    await setRange(page, "interval level", 0.8);
    await control(page, "estimator").locator("select").selectOption({ label: "Yule–Walker" });
    await settle(page);
    assert.equal((await tableRows(forecastTable)).length, 7);
    assert.match(await forecastTable.locator("caption").innerText(), /Yule–Walker.*80% intervals/);
    await page.waitForFunction(() => location.search.includes("h=7") && location.search.includes("level=0.8") && location.search.includes("fc_method=yule-walker"));
    await assertPageClean(page, problems, PAGE);
  } finally {
    await close();
  }
});

test("order selection finishes in the background without freezing the page, and each criterion picks its p", async () => {
  const { page, problems, close } = await harness().openPage(PAGE);
  try {
    const picks = page.locator('[data-testid="order-picks"]');
    const finished = () => page.waitForFunction(() => {
      const t = document.querySelector('[data-testid="order-picks"]');
      return t !== null && !t.textContent?.includes("computing");
    }, undefined, { timeout: 120_000, polling: 200 });
    await finished();
    let rows = await tableRows(picks);
    // R: ar(log10(lynx))$order = 11 (Yule–Walker AIC); BIC prefers 2; CV with h = 1 picks 12 (OLS).
    assert.deepEqual(rows[0]!.slice(1), ["11", "2"]);
    assert.deepEqual(rows[1]!.slice(1), ["12", "12"]);
    assert.match(rows[2]![1]!, /^\d+$/);
    assert.equal(rows[3]![1], "12");
    // Each criterion's minimum is ringed on its curve.
    assert.ok((await page.locator(".order-curves .curve-minimum").count()) >= 7);

    // Switch the series: 20 exact-MLE fits and 21 × 144 cross-validation fits run again. Measure
    // the longest gap between timer ticks meanwhile: the main thread must keep breathing.
    const readGaps = await startGapProbe(page);
    await control(page, "series").locator("select").selectOption({ label: "sunspot numbers, 1700–1988" });
    await page.waitForFunction(() => document.querySelector('[data-testid="order-picks"]')?.textContent?.includes("computing"));
    await finished();
    const gaps = await readGaps();
    const longest = Math.max(...gaps);
    assert.ok(longest < 2000, `the page froze for ${longest.toFixed(0)} ms while refitting`);
    rows = await tableRows(picks);
    // Sunspots: AIC and BIC both pick 9 with Yule–Walker and least squares.
    assert.deepEqual(rows[0]!.slice(1), ["9", "9"]);
    assert.deepEqual(rows[1]!.slice(1), ["9", "9"]);

    // Moving the fitted order does not restart the background computations.
    await setRange(page, "fitted order p", 4);
    await settle(page);
    assert.doesNotMatch(await picks.innerText(), /computing/);
    assert.match(await page.locator('[data-testid="estimates"] caption').innerText(), /AR\(4\)/);

    // A longer CV horizon recomputes the CV curve.
    await setRange(page, "forecast horizon h", 3);
    await page.waitForFunction(() => Array.from(document.querySelectorAll(".order-curves .chart-title")).some((n) => n.textContent?.includes("3-step forecasts")));
    await finished();
    await assertPageClean(page, problems, PAGE);
  } finally {
    await close();
  }
});

test("overfitting, Ljung–Box, VAR and ARMA controls each change their numbers", async () => {
  const { page, problems, close } = await harness().openPage(PAGE);
  try {
    // Overfitting: the sentence under the chart follows the order.
    const sentence = page.locator("main p", { hasText: "the training error is" });
    assert.match(await sentence.innerText(), /With p = 20, the training error is 0\.02525 and the held-out error 0\.06708\. The held-out error is smallest at p = 12/);
    await setRange(page, "order p for the overfitting view", 12);
    await settle(page);
    assert.match(await sentence.innerText(), /With p = 12, the training error is 0\.0351\d and the held-out error 0\.0354\d/);

    // Ljung–Box: R's Box.test on the MLE AR(2) residuals of log10 lynx, m = 10: Q = 17.48, p = 0.0255.
    const lb = page.locator('[data-testid="ljung-box"]');
    let rows = await tableRows(lb);
    assert.equal(rows.find((r) => r[0] === "Q")![3], "17.481");
    assert.equal(rows.find((r) => r[0]!.startsWith("degrees"))![1], "8");
    await setRange(page, "lags m", 20);
    await settle(page);
    rows = await tableRows(lb);
    assert.equal(rows.find((r) => r[0]!.startsWith("degrees"))![1], "18");

    // VAR: one coefficient table per lag, with lm's numbers for p = 2.
    assert.equal(await page.locator('[data-testid^="var-phi-"]').count(), 2);
    const phi1 = await tableRows(page.locator('[data-testid="var-phi-1"]'));
    assert.deepEqual(phi1[0]!.slice(1, 4), ["1.3685", "0.06409", "0.09565"]);
    await setRange(page, "VAR order p", 3);
    await settle(page);
    assert.equal(await page.locator('[data-testid^="var-phi-"]').count(), 3);
    assert.notDeepEqual((await tableRows(page.locator('[data-testid="var-phi-1"]')))[0], phi1[0]);

    // ARMA: the MA part's theoretical ACF at lag 1 is θ/(1 + θ²); a non-stationary φ is reported.
    const arma = page.locator(".control-panel").nth(1);
    await setRange(arma, "θ₁", 0.5);
    await settle(page);
    const maRow = page.locator('.side-by-side[data-model="1"] .acf-plot').first();
    assert.match(await maRow.locator(".chart-readout").innerText(), /theory\s*0\.4000/);
    await setRange(arma, "φ₁", 1.5);
    await settle(page);
    assert.equal(await page.locator("main p", { hasText: "not stationary, so there is no ACF" }).count(), 2);
    assert.equal(await page.locator('.side-by-side[data-model="1"]').count(), 1, "the MA part is always stationary");
    await assertPageClean(page, problems, PAGE);
  } finally {
    await close();
  }
});

test("a shared link restores the controls, and an edited estimation cell drives the rest of the page", async () => {
  const { page, problems, close } = await harness().openPage(PAGE, { query: { series: "nile", p: "1", t: "99", h: "5", fc_method: "mle" } });
  try {
    // Nile AR(1) by MLE from 1970: R's predict(arima(Nile, c(1, 0, 0), method = "ML"), n.ahead = 5).
    const rows = await tableRows(page.locator('[data-testid="forecast-table"]'));
    assert.equal(rows.length, 5);
    assert.deepEqual(rows.map((r) => r[2]), ["828.66", "873.54", "896.26", "907.77", "913.59"]);
    assert.equal(rows[0]![3], "145.34");

    // An edited estimation cell: the fits of the first 60 years only, order 3, flow into the tables.
    const cell = page.locator('.editable-cell[data-cell-id="estimate"]');
    const edited = `const fits = AR_METHODS.map((method) => fitAR(x.slice(0, 60), 3, {method}));`;
    await cell.evaluate((node, text) => (node as unknown as { setSource(s: string): Promise<void> }).setSource(text), edited);
    await cell.locator(".editable-toolbar button[name=run]").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="estimates"] caption')?.textContent?.includes("AR(3)"));
    await settle(page);
    const estimates = await tableRows(page.locator('[data-testid="estimates"]'));
    assert.match(estimates[2]![0]!, /^\S3$/, "the edited fits have three coefficients");
    const lb = await tableRows(page.locator('[data-testid="ljung-box"]'));
    assert.equal(lb.find((r) => r[0] === "residuals used")![1], "57", "Ljung–Box uses the edited fits' 60 − 3 residuals");
    await cell.locator(".editable-toolbar button[name=reset]").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="estimates"] caption')?.textContent?.includes("AR(1)"));
    await assertPageClean(page, problems, PAGE);
  } finally {
    await close();
  }
});
