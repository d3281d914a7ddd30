// Editable cells, shareable state and exports, in Chromium against the built site.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Download, Locator, Page } from "playwright-core";
import { assertPageClean, useHarness } from "./harness.js";

const harness = useHarness();

type CellNode = HTMLElement & { setSource(source: string): Promise<void> };

async function waitForModel(page: Page) {
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="values-at-t"] tr').length > 6, undefined, { timeout: 60_000 });
}

async function setSource(cell: Locator, source: string) {
  await cell.evaluate((node, text) => (node as CellNode).setSource(text), source);
}

/** Clicks Run and waits until that run has finished (each finished run bumps data-runs). */
async function runAndWait(cell: Locator) {
  const runs = Number((await cell.getAttribute("data-runs")) ?? 0);
  await cell.locator(".editable-toolbar button[name=run]").click();
  const id = await cell.getAttribute("data-cell-id");
  await cell.page().waitForFunction(([cellId, before]) => Number(document.querySelector(`.editable-cell[data-cell-id="${cellId}"]`)?.getAttribute("data-runs") ?? 0) > Number(before), [id, runs] as const, { timeout: 30_000 });
}

const EDITED = `const problem = sunspotProblem(sunspots, head);
const task = sunspotTask(problem, {hiddenSize: 3, window: 20});
const steps: number = 20; // a type annotation: TypeScript-style code must run too
const harness = TrainingHarness(task, {seed: 2, title: \`edited: q = 3, \${steps} steps\`, invalidation});
display(harness);
display(d3.sum([1, 2, 3]) + tf.tensor1d([1]).size);`;

test("a reader edits a cell, runs it, breaks it, recovers, and resets", async () => {
  const { page, problems, close } = await harness().openPage("rnn", { query: { backend: "wasm" } });
  try {
    await waitForModel(page);
    const cell = page.locator('.editable-cell[data-cell-id="model"]');
    const title = page.locator(".harness-title");
    assert.match(await title.innerText(), /q = 12/);

    // The editor is not part of the page load: CodeMirror arrives only when asked for.
    const editorRequests: string[] = [];
    page.on("request", (r) => /codemirror|@lezer|compiler/.test(r.url()) && editorRequests.push(r.url()));
    assert.equal(await page.locator(".cm-editor").count(), 0);
    await cell.locator(".editable-toolbar button[name=edit]").click();
    await page.waitForSelector('.editable-cell[data-cell-id="model"] .cm-editor');
    assert.ok(editorRequests.length > 0, "opening the editor loaded nothing");

    // Edit and run: the output is replaced, and the page follows the new model.
    await setSource(cell, EDITED);
    await runAndWait(cell);
    assert.match(await title.innerText(), /edited: q = 3, 20 steps/);
    assert.equal((await cell.locator(".editable-value").allInnerTexts()).join(), "7");
    await page.waitForFunction(() => document.querySelector('[data-testid="values-at-t"]')?.textContent?.includes("3"));
    assert.equal(await page.locator(".training-harness").count(), 1);

    // A syntax error shows inline with its line; nothing else changes.
    await setSource(cell, EDITED + "\nconst broken = ;");
    await runAndWait(cell);
    assert.match(await cell.locator(".editable-error").innerText(), /SyntaxError.*line 7/);
    assert.match(await title.innerText(), /edited: q = 3/);

    // A thrown error shows inline with its line, and the last working run stays in place.
    await setSource(cell, "const problem = 1;\nnull.property;");
    await runAndWait(cell);
    assert.match(await cell.locator(".editable-error").innerText(), /TypeError.*line 2/);
    assert.match(await title.innerText(), /edited: q = 3/);
    await page.click(".training-harness button[name=step]");
    await page.waitForFunction(() => document.querySelector('.training-harness [data-field="step"]')?.textContent === "1");

    // A runaway loop is stopped, and the page keeps working.
    await setSource(cell, "let spins = 0;\nwhile (true) { spins++; }");
    await runAndWait(cell);
    assert.match(await cell.locator(".editable-error").innerText(), /Stopped: the loop on line 2/);
    await page.click(".training-harness button[name=step]");
    await page.waitForFunction(() => document.querySelector('.training-harness [data-field="step"]')?.textContent === "2");

    // Reset restores the original code and output.
    await cell.locator(".editable-toolbar button[name=reset]").click();
    await page.waitForFunction(() => document.querySelector(".harness-title")?.textContent?.includes("q = 12"));
    assert.ok(await cell.locator(".editable-error").isHidden());
    await assertPageClean(page, problems, "rnn page");
  } finally {
    await close();
  }
});

test("edits persist per page and per cell until reset, and a broken saved edit does not break the page", async () => {
  const context = await harness().newContext();
  try {
    const first = await harness().openPage("rnn", { query: { backend: "wasm" }, context });
    await waitForModel(first.page);
    const cell = first.page.locator('.editable-cell[data-cell-id="model"]');
    await setSource(cell, EDITED);
    await runAndWait(cell);
    await first.close();

    const second = await harness().openPage("rnn", { query: { backend: "wasm" }, context });
    await second.page.waitForFunction(() => document.querySelector(".harness-title")?.textContent?.includes("edited: q = 3"), undefined, { timeout: 60_000 });
    const again = second.page.locator('.editable-cell[data-cell-id="model"]');
    assert.ok(await again.evaluate((n) => n.classList.contains("edited")));
    // The other editable cell on the page was not touched.
    assert.ok(!(await second.page.locator('.editable-cell[data-cell-id="counts"]').evaluate((n) => n.classList.contains("edited"))));

    // Save a broken edit: on the next load the page shows the original's results and the error.
    await setSource(again, "const problem = 1;\nnull.property;");
    await second.close();
    const third = await harness().openPage("rnn", { query: { backend: "wasm" }, context });
    await waitForModel(third.page);
    const broken = third.page.locator('.editable-cell[data-cell-id="model"]');
    await third.page.waitForFunction(() => document.querySelector('.editable-cell[data-cell-id="model"] .editable-error')?.textContent?.includes("saved edit failed"), undefined, { timeout: 30_000 });
    assert.match(await third.page.locator(".harness-title").innerText(), /q = 12/);
    assert.equal(await third.page.locator(".observablehq--error").count(), 0);

    await broken.locator(".editable-toolbar button[name=reset]").click();
    await third.page.waitForFunction(() => !document.querySelector('.editable-cell[data-cell-id="model"]')?.classList.contains("edited"));
    await third.close();
    const fourth = await harness().openPage("rnn", { query: { backend: "wasm" }, context });
    await waitForModel(fourth.page);
    assert.ok(!(await fourth.page.locator('.editable-cell[data-cell-id="model"]').evaluate((n) => n.classList.contains("edited"))));
    assert.equal(await fourth.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("unrolled.edit:")).length), 0);
    await fourth.close();
  } finally {
    await context.close();
  }
});

test("a URL restores the controls, and Copy link gives that URL without code", async () => {
  const context = await harness().newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  try {
    const { page, problems } = await harness().openPage("rnn", { query: { backend: "cpu", seed: "7", lr: "0.05", t: "100", head: "binary", q: "6", unroll: "3" }, context });
    await waitForModel(page);
    assert.match(await page.locator(".harness-title").innerText(), /q = 6 hidden units, binary head/);
    assert.equal(await page.locator(".training-harness input[name=seed]").inputValue(), "7");
    assert.equal(await page.locator(".harness-lr").innerText(), "0.0500");
    assert.match(await page.locator(".time-scrubber-readout").innerText(), /input 1800/);
    assert.equal(await page.locator(".unrolled-graph circle[data-kind=h]").count(), 4);
    assert.equal(await page.locator("#unrolled-runtime select").inputValue(), "cpu");

    // Moving a control updates the URL; Copy link copies it.
    const slider = page.locator(".time-scrubber input[type=range]");
    await slider.focus();
    await page.keyboard.press("ArrowRight");
    await page.click(".training-harness button[name=copyLink]");
    const link = await page.evaluate(() => navigator.clipboard.readText());
    const params = new URL(link).searchParams;
    assert.equal(params.get("t"), "101");
    assert.equal(params.get("seed"), "7");
    assert.equal(params.get("head"), "binary");
    assert.ok(![...params.values()].some((v) => v.includes("sunspotProblem")), "code must never travel in a URL");
    await assertPageClean(page, problems, "rnn page");
  } finally {
    await context.close();
  }
});

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent("download"), click()]);
  const path = await (file as Download).path();
  return { name: (file as Download).suggestedFilename(), bytes: readFileSync(path!) };
}

test("charts download as SVG and PNG, tables as CSV, weights as JSON that load back", async () => {
  const { page, problems, close } = await harness().openPage("rnn", { query: { backend: "wasm" } });
  try {
    await waitForModel(page);
    for (let i = 0; i < 5; i++) await page.click(".training-harness button[name=step]");
    await page.waitForFunction(() => document.querySelector('.training-harness [data-field="step"]')?.textContent === "5");

    const charts = await page.locator(".chart").count();
    assert.ok(charts >= 4, `only ${charts} charts`);
    assert.equal(await page.locator(".export-menu").filter({ hasText: "SVG" }).count(), charts);

    const heatmapMenu = page.locator("xpath=//div[contains(@class,'export-menu')][following-sibling::*[1][contains(@class,'heatmap')]]").first();
    const svg = await download(page, () => heatmapMenu.getByRole("button", { name: "SVG" }).click());
    const svgText = svg.bytes.toString("utf8");
    assert.match(svg.name, /\.svg$/);
    assert.match(svgText, /^<\?xml[^>]*>\s*<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svgText, /<image [^>]*href="data:image\/png;base64,/, "the heatmap's cells are missing");
    assert.match(svgText, /hidden unit/, "the axis title is missing");
    assert.doesNotMatch(svgText, /foreignObject/);
    const parsed = await page.evaluate((text) => new DOMParser().parseFromString(text, "image/svg+xml").querySelector("parsererror") === null, svgText);
    assert.ok(parsed, "the SVG does not parse");

    const png = await download(page, () => heatmapMenu.getByRole("button", { name: "PNG" }).click());
    assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(png.bytes.length > 2000);

    const tableMenu = page.locator("xpath=//div[contains(@class,'export-menu')][following-sibling::*[1][self::table and contains(@class,'value-table')]]").first();
    const csv = await download(page, () => tableMenu.getByRole("button", { name: "CSV" }).click());
    assert.match(csv.bytes.toString("utf8"), /^year,1957/m);
    const steps = await download(page, () => page.click("button[name=downloadSteps]"));
    const lines = steps.bytes.toString("utf8").trim().split(/\r\n/);
    assert.equal(lines.length, 289);
    assert.match(lines[0], /^t,year,sunspots,x,a1,.*,h12,o1,yhat1,target,loss,split$/);

    // Weights: save, train on, load back: the model's numbers return exactly.
    // (The table follows the model a frame after each step, so read it once it has settled.)
    const state = async () => {
      let previous = "";
      let current = await page.locator('[data-testid="values-at-t"]').innerText();
      while (current !== previous) {
        await page.waitForTimeout(600);
        [previous, current] = [current, await page.locator('[data-testid="values-at-t"]').innerText()];
      }
      return current;
    };
    const before = await state();
    const weights = await download(page, () => page.click(".training-harness button[name=saveWeights]"));
    const json = JSON.parse(weights.bytes.toString("utf8"));
    assert.equal(json.format, "unrolled-weights");
    assert.equal(json.weights.params.W.length, 12);
    for (let i = 0; i < 3; i++) await page.click(".training-harness button[name=step]");
    await page.waitForFunction(() => document.querySelector('.training-harness [data-field="step"]')?.textContent === "8");
    assert.notEqual(await state(), before);
    await page.setInputFiles(".training-harness input[type=file]", { name: "weights.json", mimeType: "application/json", buffer: weights.bytes });
    await page.waitForFunction(() => document.querySelector(".harness-message")?.textContent?.includes("Loaded the weights"));
    assert.equal(await state(), before);

    // A file that does not fit is refused with a clear message, and nothing changes.
    json.weights.sizes.q = 5;
    await page.setInputFiles(".training-harness input[type=file]", { name: "other.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(json)) });
    await page.waitForFunction(() => document.querySelector(".harness-message")?.textContent?.includes("Could not load other.json"));
    assert.match(await page.locator(".harness-message").innerText(), /q = 5/);
    assert.equal(await state(), before);
    await assertPageClean(page, problems, "rnn page");
  } finally {
    await close();
  }
});
