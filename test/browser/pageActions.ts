// What the page tests do to a page and read back from it, shared: Inputs controls found by
// their exact label, waiting for a page to settle, the training harness's state, and a probe
// of how long the main thread went without running a timer.
//
// In-page code passed as a function must not define named functions: tsx wraps those in a
// helper (__name) that the page lacks. Longer in-page code is passed as a string.
import type { Locator, Page } from "playwright-core";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The Inputs form whose label is exactly `label`, optionally inside `scope`. */
export function control(scope: Page | Locator, label: string): Locator {
  // A `has` locator is matched inside each form, so it must be built from the page, not the scope.
  const page = "goto" in scope ? scope : scope.page();
  return scope.locator("form").filter({ has: page.locator("label", { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
}

/** Types a value into a range input's number box and presses Enter, as a reader would. */
export async function setRange(scope: Page | Locator, label: string, value: number): Promise<void> {
  const box = control(scope, label).locator("input[type=number]");
  await box.fill(String(value));
  await box.press("Enter");
}

/** The text of the first element with this data-testid. */
export function testidText(page: Page, testid: string): Promise<string> {
  return page.locator(`[data-testid="${testid}"]`).first().innerText();
}

/**
 * Waits until the page has reacted to a change: no cell is loading and the main content has
 * not changed for half a second (at most 60 s, for background computations).
 */
export async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector("observablehq-loading") === null, undefined, { timeout: 30_000 });
  await page.evaluate(`new Promise((resolve) => {
    const main = document.querySelector("main") || document.body;
    let quiet;
    let limit;
    const observer = new MutationObserver(() => {
      clearTimeout(quiet);
      quiet = setTimeout(finish, 500);
    });
    function finish() {
      observer.disconnect();
      clearTimeout(quiet);
      clearTimeout(limit);
      resolve(undefined);
    }
    quiet = setTimeout(finish, 500);
    limit = setTimeout(finish, 60000);
    observer.observe(main, { subtree: true, childList: true, characterData: true, attributes: true });
  })`);
}

type HarnessNode = HTMLElement & { value: { step: number; loss: number | null; running: boolean } };

/** The n-th training harness's value, its loss curve's losses, and the page's tensor count. */
export function harnessState(page: Page, index = 0) {
  return page.evaluate((i) => {
    const root = document.querySelectorAll(".training-harness")[i] as HarnessNode;
    const curve = root.querySelector(".loss-curve") as HTMLElement & { points: { step: number; loss: number }[] };
    const tf = (window as unknown as { __unrolled: { tf: { memory(): { numTensors: number } } } }).__unrolled.tf;
    return { ...root.value, losses: curve.points.map((p) => p.loss), numTensors: tf.memory().numTensors };
  }, index);
}

/** Waits until the n-th training harness has taken at least `steps` steps. */
export async function waitForSteps(page: Page, steps: number, { index = 0, timeout = 240_000 } = {}): Promise<void> {
  await page.waitForFunction(
    ([n, i]) => (document.querySelectorAll(".training-harness")[i] as unknown as HarnessNode).value.step >= n,
    [steps, index] as const,
    { timeout, polling: 200 },
  );
}

/**
 * Starts a 50 ms timer in the page and records the gaps between its ticks; the returned
 * function reads them. A long gap means the main thread was blocked that long.
 */
export async function startGapProbe(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { __gaps: number[] };
    w.__gaps = [];
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      w.__gaps.push(now - last);
      last = now;
    }, 50);
  });
  return () => page.evaluate(() => (window as unknown as { __gaps: number[] }).__gaps);
}

/** Starts the first training harness, lets it take `steps` steps, pauses it and waits until it has stopped. */
export async function trainFor(page: Page, steps: number, { timeout = 240_000 } = {}): Promise<void> {
  await page.click(".training-harness button[name=start]");
  await waitForSteps(page, steps, { timeout });
  await page.click(".training-harness button[name=pause]");
  await page.waitForFunction(() => !(document.querySelector(".training-harness") as unknown as HarnessNode).value.running);
}

/** The mean of the first ten and of the last ten losses of a loss curve. */
export function lossEnds(losses: readonly number[]): { first: number; last: number } {
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { first: mean(losses.slice(0, 10)), last: mean(losses.slice(-10)) };
}
