// Every built page, opened in Chromium under a sub-path: no console error, page error, HTTP
// error, cell error, TeX error or request to another host; math typeset with self-hosted
// KaTeX fonts; sidebar links that resolve; a title.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { assertClean, BASE, collectDomProblems, DIST, listPages, SRC, useHarness, type ProblemCollector } from "./harness.js";

const harness = useHarness();

/** Whether Markdown has TeX in its prose: $…$ or $$…$$ outside code, front matter and ${…}. */
export function hasMath(markdown: string): boolean {
  const prose = markdown
    .replace(/^---\n[\s\S]*?\n---\n/, "")
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "")
    .replace(/`[^`\n]*`/g, "")
    .replace(/\$\{[^}]*\}/g, "");
  return /\$\$[\s\S]+?\$\$/.test(prose) || /\$(?![\s${])(?:\\.|[^$\\\n])+?(?<!\s)\$(?!\d)/.test(prose);
}

/**
 * TeX or interpolation left as text in the rendered prose (outside code, editors and KaTeX
 * output): what a `${…}` inside `$…$` or a typo in a delimiter leaves behind.
 */
export async function rawTexInProse(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const main = document.querySelector("#observablehq-main")?.cloneNode(true) as HTMLElement | undefined;
    if (!main) return [];
    for (const skip of Array.from(main.querySelectorAll("pre, code, textarea, .katex, .cm-editor, .editable-cell, script, style"))) skip.remove();
    return main.textContent?.match(/\\[a-zA-Z]{2,}|\$[^$\s][^$]{0,30}\$|\$\{/g) ?? [];
  });
}

/** What sticks out past the right edge of the window, outside any box that scrolls or clips it. */
export async function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    if (document.documentElement.scrollWidth <= innerWidth + 1) return [];
    // (No named functions in here: the test runner's transpiler would wrap them in a helper the page lacks.)
    const culprits = Array.from(document.querySelectorAll("body *")).filter((e) => {
      if (e.getBoundingClientRect().right <= innerWidth + 1 || e.closest(".katex-mathml")) return false;
      for (let a = e.parentElement; a; a = a.parentElement) if (getComputedStyle(a).overflowX !== "visible") return false; // scrolls or clips
      return true;
    });
    // Report the outermost offenders only.
    return culprits.filter((e) => !culprits.includes(e.parentElement!)).slice(0, 5).map((e) => `<${e.tagName.toLowerCase()} class="${e.getAttribute("class") ?? ""}"> ends at ${Math.round(e.getBoundingClientRect().right)} px: ${(e.textContent ?? "").trim().slice(0, 40)}`);
  });
}

/** Labels of Observable Inputs forms that are not laid out by Inputs' stylesheet (it makes each form a flex row). */
export async function unstyledInputs(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLFormElement>('form[class^="inputs-"]'))
      .filter((form) => getComputedStyle(form).display !== "flex")
      .map((form) => (form.querySelector("label")?.textContent ?? "(no label)").trim()),
  );
}

/** Display equations wider than their box (they scroll), with the start of their TeX. */
export async function wideEquations(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll(".math-display"))
      .filter((e) => e.scrollWidth > e.clientWidth + 1)
      .map((e) => `${e.scrollWidth} px in ${e.clientWidth} px: ${(e.querySelector("annotation")?.textContent ?? "").trim().slice(0, 60)}`),
  );
}

const linkStatus = new Map<string, Promise<number>>();
function statusOf(url: string): Promise<number> {
  if (!linkStatus.has(url)) linkStatus.set(url, fetch(url).then((r) => r.status));
  return linkStatus.get(url)!;
}

async function checkMath(page: Page, problems: ProblemCollector, origin: string): Promise<void> {
  assert.ok((await page.locator(".katex").count()) > 0, "the source has $ math but the page has no .katex element");
  // The fonts the page loaded by itself, before we ask for any.
  const katexFonts = problems.responses.filter((r) => /\/KaTeX_[A-Za-z0-9]+-[A-Za-z]+\.[0-9a-f]+\.woff2$/.test(r.url));
  assert.ok(katexFonts.length > 0, "no KaTeX .woff2 was fetched while rendering the page's math");
  for (const font of katexFonts) {
    assert.ok(font.url.startsWith(origin + BASE), `KaTeX font not from the site: ${font.url}`);
    assert.equal(font.status, 200, `KaTeX font ${font.url} answered ${font.status}`);
  }
  const fonts = await page.evaluate(async () => {
    await document.fonts.ready;
    const loaded = await document.fonts.load("16px KaTeX_Main", "x=1");
    return {
      check: document.fonts.check("16px KaTeX_Main", "x=1"),
      loaded: loaded.map((f) => `${f.family} ${f.style} ${f.weight} ${f.status}`),
      katexFamily: getComputedStyle(document.querySelector(".katex")!).fontFamily,
    };
  });
  assert.ok(fonts.loaded.some((f) => /^"?KaTeX_Main"? normal 400 loaded$/.test(f)), `KaTeX_Main regular did not load: ${JSON.stringify(fonts.loaded)}`);
  assert.ok(fonts.check, "document.fonts.check('16px KaTeX_Main') is false");
  assert.match(fonts.katexFamily, /^"?KaTeX_Main"?/, ".katex is not set in KaTeX_Main: is KaTeX's stylesheet missing?");
  const main = problems.responses.find((r) => /\/KaTeX_Main-Regular\.[0-9a-f]+\.woff2$/.test(r.url));
  assert.ok(main && main.url.startsWith(origin + BASE) && main.status === 200, `KaTeX_Main-Regular.woff2 not served by the site: ${JSON.stringify(main)}`);
}

async function checkLinks(page: Page, root: string): Promise<void> {
  const hrefs = await page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLAnchorElement>("#observablehq-sidebar a[href], .observablehq-pager a[href]"), (a) => a.href),
  );
  assert.ok(hrefs.length > 0, "the sidebar has no links");
  for (const href of new Set(hrefs)) {
    const url = href.replace(/#.*$/, "");
    assert.ok(url.startsWith(root), `link leaves the site's sub-path: ${href}`);
    assert.equal(await statusOf(url), 200, `link ${href} does not resolve`);
  }
}

let pages: string[] = [];
try {
  pages = listPages(DIST);
} catch (error) {
  test("the built site exists", () => {
    throw error;
  });
}

for (const path of pages) {
  test(`page ${path}`, { timeout: 240_000 }, async () => {
    const h = harness();
    const { page, problems, close } = await h.openPage(path);
    try {
      await collectDomProblems(page, problems);
      const source = join(SRC, `${path}.md`);
      if (existsSync(source) && hasMath(readFileSync(source, "utf8"))) await checkMath(page, problems, h.origin);
      await checkLinks(page, h.url);
      assert.deepEqual(await rawTexInProse(page), [], "raw TeX or interpolation left in the prose");
      assert.deepEqual(await unstyledInputs(page), [], "controls without Observable Inputs' stylesheet");
      // On a desktop every display equation fits the column: none hides its end behind a scroll bar.
      assert.deepEqual(await wideEquations(page), [], "display equations wider than the 1280 px page's column");
      // On a phone the page re-lays out (cells that use `width` re-run) and must not scroll sideways.
      await page.setViewportSize({ width: 420, height: 900 });
      // Cells that use `width` re-run, which can take seconds on a software GPU backend.
      await page.waitForFunction(() => document.documentElement.scrollWidth <= innerWidth + 1, undefined, { timeout: 20_000, polling: 250 }).catch(() => undefined);
      assert.deepEqual(await sidewaysOverflow(page), [], "at 420 px the page scrolls sideways");
      // In a 40 px window (as when a cell first renders before its container has a width) charts
      // get less width than their margins: they must still draw without errors (SVG rejects a
      // negative size with a console error, which fails the page). Before this check the HMM,
      // BPTT and vanishing-gradients pages failed it.
      await page.setViewportSize({ width: 40, height: 900 });
      await page.waitForTimeout(1500);
      await collectDomProblems(page, problems);
      assert.ok((await page.locator("main h1").count()) > 0, "the page has no h1 in its main content");
      assertClean(problems, path);
    } finally {
      await close();
    }
  });
}

test("hasMath finds TeX in prose and nowhere else", () => {
  assert.ok(hasMath("Let $x_t$ be."));
  assert.ok(hasMath("$$\nh_t = f(h_{t-1})\n$$"));
  assert.ok(!hasMath("Costs $5 and $6, shown as ${price}."));
  assert.ok(!hasMath("```js\nconst s = `$x$`;\n```\nNo math."));
  assert.ok(!hasMath("Use `$x$` in code."));
});

test("raw TeX left in the prose is found, and typeset math is not", { timeout: 240_000 }, async () => {
  const { page, close } = await harness().openPage("index");
  try {
    assert.deepEqual(await rawTexInProse(page), []);
    await page.evaluate(() => {
      const p = document.createElement("p");
      p.textContent = "a loss of $\\ln 4 / T = 0.066$ left untypeset";
      document.querySelector("#observablehq-main")!.append(p);
    });
    assert.deepEqual(await rawTexInProse(page), ["$\\ln 4 / T = 0.066$"]);
  } finally {
    await close();
  }
});

test("a control without Inputs' stylesheet is found", { timeout: 240_000 }, async () => {
  const { page, close } = await harness().openPage("rnn");
  try {
    assert.ok((await page.locator('form[class^="inputs-"]').count()) > 0, "the RNN page has no Inputs to check");
    assert.deepEqual(await unstyledInputs(page), []);
    await page.evaluate(() => {
      document.querySelector<HTMLFormElement>('form[class^="inputs-"]')!.style.display = "block";
    });
    assert.equal((await unstyledInputs(page)).length, 1);
  } finally {
    await close();
  }
});

test("a display equation wider than the column is found", { timeout: 240_000 }, async () => {
  const { page, close } = await harness().openPage("rnn");
  try {
    assert.deepEqual(await wideEquations(page), []);
    await page.evaluate(() => {
      const display = document.querySelector<HTMLElement>(".math-display .katex-html")!;
      display.style.width = "3000px";
    });
    assert.equal((await wideEquations(page)).length, 1);
  } finally {
    await close();
  }
});

test("something wider than a phone is found, and a box that scrolls it is not", { timeout: 240_000 }, async () => {
  const { page, close } = await harness().openPage("index", { viewport: { width: 420, height: 900 } });
  try {
    assert.deepEqual(await sidewaysOverflow(page), []);
    await page.evaluate(() => {
      const scroller = Object.assign(document.createElement("div"), { style: "overflow-x: auto" });
      scroller.append(Object.assign(document.createElement("div"), { style: "width: 2000px", textContent: "scrolls in its box" }));
      document.querySelector("#observablehq-main")!.append(scroller);
    });
    assert.deepEqual(await sidewaysOverflow(page), []);
    await page.evaluate(() => document.querySelector("#observablehq-main")!.append(Object.assign(document.createElement("div"), { style: "width: 2000px", textContent: "too wide" })));
    const found = await sidewaysOverflow(page);
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.match(found[0]!, /too wide/);
  } finally {
    await close();
  }
});

test("the checks catch each kind of problem", { timeout: 240_000 }, async () => {
  const { page, problems, close } = await harness().openPage("index");
  try {
    await page.evaluate(async () => {
      console.error("planted console error");
      setTimeout(() => {
        throw new Error("planted page error");
      });
      await fetch("http://example.invalid/planted").catch(() => undefined);
      await fetch("./planted-missing-file").catch(() => undefined);
      for (const className of ["observablehq--error", "math-error"]) {
        const div = document.createElement("div");
        div.className = className;
        div.textContent = "planted";
        document.body.append(div);
      }
    });
    await page.waitForTimeout(200);
    await collectDomProblems(page, problems);
    const kinds = new Set(problems.problems.map((p) => p.kind));
    for (const kind of ["console", "pageerror", "external", "http", "dom"] as const) assert.ok(kinds.has(kind), `a planted ${kind} problem was missed`);
    assert.equal(problems.problems.filter((p) => p.kind === "dom").length, 2);
    assert.throws(() => assertClean(problems), /planted/);
  } finally {
    await close();
  }
});
