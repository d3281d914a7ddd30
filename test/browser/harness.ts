// Shared helpers for the browser tests: serve the built site under a sub-path, open pages
// in Chromium while collecting every problem, and wait until a page has finished rendering.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser, type LaunchBrowserOptions } from "./chromium.js";
// @ts-expect-error: serve.mjs is plain JavaScript without type declarations.
import { serve as serveUntyped } from "./serve.mjs";

const serve = serveUntyped as (dir: string, options: { port?: number; base?: string }) => Promise<{ url: string; close(): Promise<void> }>;

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The built site under test: $UNROLLED_DIST, else dist/ in the repo. */
export const DIST = resolve(process.env.UNROLLED_DIST ?? join(REPO, "dist"));
/** The Markdown sources of DIST: the src/ next to it if there is one, else the repo's. */
export const SRC = existsSync(join(dirname(DIST), "src")) ? join(dirname(DIST), "src") : join(REPO, "src");
/** The site is served from a sub-path, to prove that it works when not hosted at a root. */
export const BASE = "/course/";

/** Every page of a built site, relative to its root and without ".html" ("index", "rnn", "a/b"). */
export function listPages(distDir: string = DIST): string[] {
  if (!existsSync(join(distDir, "index.html"))) {
    throw new Error(`No built site at ${distDir} (no index.html): run npm run build, or set UNROLLED_DIST.`);
  }
  const pages: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith("_")) walk(path);
      else if (entry.isFile() && entry.name.endsWith(".html")) pages.push(relative(distDir, path).slice(0, -".html".length));
    }
  };
  walk(distDir);
  return pages.filter((page) => page !== "404").sort();
}

/** The URL path of a page relative to the site's root, as Framework links to it ("index" → ""). */
export function pageHref(page: string): string {
  return page === "index" ? "" : page.endsWith("/index") ? page.slice(0, -"index".length) : page;
}

export interface Problem {
  kind: "console" | "pageerror" | "http" | "external" | "requestfailed" | "dom";
  text: string;
}

/** Everything that went wrong on a page, and every response, for later checks. */
export class ProblemCollector {
  readonly problems: Problem[] = [];
  readonly responses: { url: string; status: number }[] = [];
  add(kind: Problem["kind"], text: string): void {
    this.problems.push({ kind, text });
  }
}

function isOtherHost(url: string, origin: string): boolean {
  if (/^(data|blob|about|javascript):/.test(url)) return false;
  try {
    return new URL(url).origin !== origin;
  } catch {
    return true;
  }
}

/** Records problems on `page`; requests to any other host are blocked and recorded. */
export async function collectProblems(page: Page, origin: string): Promise<ProblemCollector> {
  const collector = new ProblemCollector();
  // Every request the page makes shows here, routed or not, so this is where they are recorded.
  page.on("request", (request) => {
    if (isOtherHost(request.url(), origin)) collector.add("external", `${request.method()} ${request.url()}`);
  });
  await page.route(
    (url) => isOtherHost(url.href, origin),
    (route) => route.abort("blockedbyclient"),
  );
  page.on("console", (message) => {
    if (message.type() === "error") {
      const { url, lineNumber } = message.location();
      collector.add("console", `${message.text()}${url ? ` (${url}:${lineNumber})` : ""}`);
    }
  });
  page.on("pageerror", (error) => collector.add("pageerror", error.stack ?? error.message));
  page.on("response", (response) => {
    collector.responses.push({ url: response.url(), status: response.status() });
    if (response.status() >= 400) collector.add("http", `${response.status()} ${response.url()}`);
  });
  page.on("requestfailed", (request) => {
    const failure = request.failure()?.errorText ?? "failed";
    // Blocked external requests are already recorded; aborted ones were cancelled by the page itself.
    if (!isOtherHost(request.url(), origin) && failure !== "net::ERR_ABORTED") collector.add("requestfailed", `${failure} ${request.url()}`);
  });
  return collector;
}

/** Cell errors and TeX errors rendered in the page, added to the collector. */
export async function collectDomProblems(page: Page, collector: ProblemCollector): Promise<void> {
  const found = await page.evaluate(() =>
    [
      ...Array.from(document.querySelectorAll(".observablehq--error"), (e) => `cell error: ${e.textContent?.trim().slice(0, 300)}`),
      ...Array.from(document.querySelectorAll(".math-error"), (e) => `math error: ${(e.getAttribute("title") ?? e.textContent ?? "").trim().slice(0, 300)}`),
    ],
  );
  for (const text of found) collector.add("dom", text);
}

/** Throws listing every problem, if there is any. */
export function assertClean(collector: ProblemCollector, label = "page"): void {
  if (collector.problems.length === 0) return;
  const lines = collector.problems.map((p) => `  [${p.kind}] ${p.text}`);
  throw new Error(`${label} had ${collector.problems.length} problem(s):\n${lines.join("\n")}`);
}

/** Adds the cell and TeX errors rendered in the page to `collector`, then throws if it holds any problem. */
export async function assertPageClean(page: Page, collector: ProblemCollector, label = "page"): Promise<void> {
  await collectDomProblems(page, collector);
  assertClean(collector, label);
}

/** Waits until every Framework cell has rendered and the tfjs backend has started. */
export async function waitForPage(page: Page, { timeout = 120_000 } = {}): Promise<void> {
  try {
    await page.waitForFunction(
      () => {
        const picker = document.querySelector("#unrolled-runtime .backend-picker");
        return (
          document.readyState === "complete" &&
          document.querySelector("observablehq-loading") === null &&
          picker !== null &&
          (picker.getAttribute("data-backend") ?? "starting") !== "starting"
        );
      },
      undefined,
      { timeout, polling: 100 },
    );
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
  } catch (error) {
    const state = await page
      .evaluate(() => ({
        readyState: document.readyState,
        loadingCells: document.querySelectorAll("observablehq-loading").length,
        picker: document.querySelector("#unrolled-runtime .backend-picker")?.getAttribute("data-backend") ?? "missing",
        status: document.querySelector(".backend-status")?.textContent ?? "",
      }))
      .catch(() => null);
    throw new Error(`${page.url()} did not finish rendering within ${timeout} ms: ${JSON.stringify(state)}`, { cause: error });
  }
}

export interface OpenOptions {
  /** Added to the URL's query string, e.g. {backend: "wasm"}. */
  query?: Record<string, string>;
  /** Reuse a context (to keep localStorage between loads); by default each page gets a fresh one. */
  context?: BrowserContext;
  /** Wait for the page to finish rendering (default true). */
  wait?: boolean;
  viewport?: { width: number; height: number };
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  problems: ProblemCollector;
  url: string;
  /** Closes the page, and its context if openPage created it. */
  close(): Promise<void>;
}

export interface Harness {
  /** The site's root URL, ending in BASE. */
  url: string;
  origin: string;
  browser: Browser;
  newContext(): Promise<BrowserContext>;
  openPage(path: string, options?: OpenOptions): Promise<OpenedPage>;
  close(): Promise<void>;
}

/** Serves DIST under BASE and launches Chromium. */
export async function startHarness(launch: LaunchBrowserOptions = {}, distDir: string = DIST): Promise<Harness> {
  listPages(distDir); // fails early, and clearly, without a built site
  const server = await serve(distDir, { base: BASE });
  let browser: Browser;
  try {
    browser = await launchBrowser(launch);
  } catch (error) {
    await server.close();
    throw error;
  }
  const origin = new URL(server.url).origin;
  const newContext = () => browser.newContext({ viewport: { width: 1280, height: 900 } });
  return {
    url: server.url,
    origin,
    browser,
    newContext,
    async openPage(path, options = {}) {
      const ownContext = !options.context;
      const context = options.context ?? (await newContext());
      const page = await context.newPage();
      if (options.viewport) await page.setViewportSize(options.viewport);
      const problems = await collectProblems(page, origin);
      const search = options.query ? `?${new URLSearchParams(options.query)}` : "";
      const url = server.url + pageHref(path.replace(/^\//, "")) + search;
      const close = async () => {
        await page.close();
        if (ownContext) await context.close();
      };
      try {
        const response = await page.goto(url, { waitUntil: "load" });
        if (!response || response.status() !== 200) throw new Error(`${url} answered ${response?.status() ?? "nothing"}`);
        if (options.wait !== false) await waitForPage(page);
      } catch (error) {
        await close();
        throw error;
      }
      return { page, context, problems, url, close };
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** One harness for the test file that calls this at top level: started before, closed after. */
export function useHarness(launch: LaunchBrowserOptions = {}): () => Harness {
  let harness: Harness | undefined;
  before(async () => {
    harness = await startHarness(launch);
  });
  after(async () => {
    await harness?.close();
  });
  return () => {
    if (!harness) throw new Error("The harness is not started (did its before hook fail?)");
    return harness;
  };
}
