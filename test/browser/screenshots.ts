// Full-page screenshots of every built page at 1280 px wide, for people to look at (not a test).
//   node --import tsx test/browser/screenshots.ts [outDir]      (default test-results/screenshots)
// Set UNROLLED_DIST to shoot another build. Problems seen on a page are printed, not fatal.
import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { collectDomProblems, listPages, REPO, startHarness } from "./harness.js";

const outDir = resolve(process.argv[2] ?? join(REPO, "test-results", "screenshots"));
const harness = await startHarness();
let failures = 0;
try {
  for (const path of listPages()) {
    const file = join(outDir, `${path}.png`);
    const started = Date.now();
    try {
      const { page, problems, close } = await harness.openPage(path, { viewport: { width: 1280, height: 900 } });
      try {
        await collectDomProblems(page, problems);
        await mkdir(dirname(file), { recursive: true });
        await page.screenshot({ path: file, fullPage: true });
        console.log(`${file} (${Date.now() - started} ms)`);
        for (const p of problems.problems) console.log(`  [${p.kind}] ${p.text}`);
      } finally {
        await close();
      }
    } catch (error) {
      failures += 1;
      console.error(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
} finally {
  await harness.close();
}
process.exitCode = failures > 0 ? 1 : 0;
