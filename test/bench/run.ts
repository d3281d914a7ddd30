// Benchmarks, run side by side in one process (`npm run bench`, after `npm run build`):
//   1. JavaScript weight of each built page (raw and gzip), from dist/.
//   2. RNN training speed on the RNN page, per tfjs backend, in headless Chromium: steps per
//      second over a fixed window after warm-up, and each backend's ratio to wasm.
//   3. The same training step in Node on the cpu backend, for reference.
//   4. Time per Adam update of each architecture of the comparison page (its Measure button,
//      T = 21, batch 32), per backend in headless Chromium, with the ratio to the vanilla RNN.
// Absolute numbers depend on the machine; the ratios measured in one run are what to compare.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { performance } from "node:perf_hooks";
import { DIST, listPages, startHarness } from "../browser/harness.js";

const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 3000);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 12000);
const BACKENDS = (process.env.BENCH_BACKENDS ?? "wasm,cpu,webgl,webgpu").split(",");

function pageWeights(): { page: string; files: number; raw: number; gzip: number }[] {
  return listPages().map((page) => {
    const html = readFileSync(join(DIST, `${page}.html`), "utf8");
    const hrefs = new Set<string>();
    for (const match of html.matchAll(/<(?:link rel="modulepreload"|script type="module") (?:href|src)="([^"]+)"/g)) hrefs.add(match[1]);
    let raw = 0;
    let gzip = 0;
    const dir = join(DIST, page, "..");
    for (const href of hrefs) {
      const file = join(dir, href.split("?")[0]);
      const bytes = readFileSync(file);
      raw += statSync(file).size;
      gzip += gzipSync(bytes).length;
    }
    return { page, files: hrefs.size, raw, gzip };
  });
}

async function browserTraining(): Promise<{ backend: string; used: string; stepsPerSecond: number }[]> {
  const harness = await startHarness();
  const results = [];
  try {
    for (const backend of BACKENDS) {
      const { page, close } = await harness.openPage("rnn", { query: { backend } });
      try {
        await page.waitForFunction(() => document.querySelectorAll('[data-testid="values-at-t"] tr').length > 6, undefined, { timeout: 120_000 });
        const used = await page.evaluate(() => (window as unknown as { __unrolled: { runtimeState(): { backend: string } } }).__unrolled.runtimeState().backend);
        const stepNow = () => page.evaluate(() => (document.querySelector(".training-harness") as unknown as { value: { step: number } }).value.step);
        await page.click(".training-harness button[name=start]");
        await page.waitForTimeout(WARMUP_MS);
        const [s0, t0] = [await stepNow(), performance.now()];
        await page.waitForTimeout(WINDOW_MS);
        const [s1, t1] = [await stepNow(), performance.now()];
        await page.click(".training-harness button[name=pause]");
        results.push({ backend, used, stepsPerSecond: ((s1 - s0) * 1000) / (t1 - t0) });
      } finally {
        await close();
      }
    }
  } finally {
    await harness.close();
  }
  return results;
}

async function nodeTraining(): Promise<number> {
  const tf = await import("@unrolled/tfjs");
  await tf.setBackend("cpu");
  const { parseSeriesCsv } = await import("../../components/core/series.js");
  const { sunspotProblem, sunspotTask } = await import("../../components/examples/rnnSunspots.js");
  const series = parseSeriesCsv(readFileSync(new URL("../../data/sunspots-annual.csv", import.meta.url), "utf8"));
  const task = sunspotTask(sunspotProblem(series, "real"), { hiddenSize: 12, window: 40, batchSize: 16 });
  const model = await task.create(1);
  for (let i = 0; i < 10; i++) await task.step(model, 0.01);
  const start = performance.now();
  let steps = 0;
  while (performance.now() - start < WINDOW_MS / 2) {
    await task.step(model, 0.01);
    steps += 1;
  }
  const rate = (steps * 1000) / (performance.now() - start);
  task.dispose(model);
  return rate;
}

async function architectureTiming(): Promise<{ backend: string; used: string; rows: string[][] }[]> {
  const harness = await startHarness();
  const results = [];
  try {
    for (const backend of BACKENDS) {
      const { page, close } = await harness.openPage("comparing-rnns", { query: { backend, tL: "20" } });
      try {
        const used = await page.evaluate(() => (window as unknown as { __unrolled: { runtimeState(): { backend: string } } }).__unrolled.runtimeState().backend);
        await page.locator(".batch-runner").nth(1).locator("button[name=run]").click();
        await page.locator('[data-testid="timing-table"]').waitFor({ timeout: 600_000 });
        const rows = await page.locator('[data-testid="timing-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => (c.textContent ?? "").trim())));
        results.push({ backend, used, rows });
      } finally {
        await close();
      }
    }
  } finally {
    await harness.close();
  }
  return results;
}

const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
console.log("\n## JavaScript weight per page (module scripts and preloads)\n");
console.log("| page | files | raw | gzip |\n|---|---|---|---|");
for (const w of pageWeights()) console.log(`| ${w.page} | ${w.files} | ${kib(w.raw)} | ${kib(w.gzip)} |`);

console.log(`\n## RNN page training speed (q = 12, minibatch 16 × 40 steps, Adam), ${WINDOW_MS / 1000} s window after ${WARMUP_MS / 1000} s warm-up\n`);
const browser = await browserTraining();
const nodeRate = await nodeTraining();
const wasm = browser.find((r) => r.used === "wasm")?.stepsPerSecond ?? NaN;
console.log("| backend asked | backend used | steps/s | ratio to wasm |\n|---|---|---|---|");
for (const r of browser) console.log(`| ${r.backend} | ${r.used} | ${r.stepsPerSecond.toFixed(2)} | ${(r.stepsPerSecond / wasm).toFixed(3)} |`);
console.log(`| Node (cpu, no page) | cpu | ${nodeRate.toFixed(2)} | ${(nodeRate / wasm).toFixed(3)} |`);
console.log("\n## Comparing page: time per update by architecture (T = 21, batch 32, median of 5 interleaved rounds)\n");
for (const { backend, used, rows } of await architectureTiming()) {
  console.log(`\n### backend asked ${backend}, used ${used}\n`);
  console.log("| architecture | parameters | ms per update | × vanilla RNN |\n|---|---|---|---|");
  for (const [label, params, ms, , ratio] of rows) console.log(`| ${label} | ${params} | ${ms} | ${ratio} |`);
}
console.log("\nGPU backends here run on SwiftShader (software), so their numbers say nothing about a real GPU.");
