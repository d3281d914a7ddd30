// The tfjs runtime in a real browser: every backend starts and computes, the same seed gives
// the same numbers, the header's picker switches backend and remembers it, and a backend that
// cannot start falls back to the next with an explanation.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { assertClean, listPages, startHarness, useHarness } from "./harness.js";

type BackendName = "webgpu" | "webgl" | "wasm" | "cpu";
const BACKENDS: BackendName[] = ["webgpu", "webgl", "wasm", "cpu"];
// With software WebGL and WebGPU (see chromium.ts) all four start on a machine without a GPU.
// WebGPU is the least portable, so outside CI a WebGPU that cannot start only has to be
// explained to the reader; set UNROLLED_REQUIRE_WEBGPU=1 (as .ci/run does) to require it.
const REQUIRED = new Set<BackendName>(["webgl", "wasm", "cpu"]);
if (process.env.UNROLLED_REQUIRE_WEBGPU === "1" || process.env.CI === "true") REQUIRED.add("webgpu");

interface RuntimeState {
  backend: BackendName | null;
  working: BackendName[];
  notes: { backend: BackendName; message: string }[];
  generation: number;
}

interface Unrolled {
  tf: typeof import("@unrolled/tfjs");
  runtimeState(): RuntimeState;
  ready(): Promise<BackendName>;
}

const harness = useHarness();

function runtimeState(page: Page): Promise<RuntimeState> {
  return page.evaluate(() => {
    const state = (window as unknown as { __unrolled: Unrolled }).__unrolled.runtimeState();
    return JSON.parse(JSON.stringify(state)) as RuntimeState;
  });
}

async function picker(page: Page) {
  return {
    backend: await page.locator("#unrolled-runtime .backend-picker").getAttribute("data-backend"),
    selected: await page.locator('#unrolled-runtime .backend-picker select[name="backend"]').inputValue(),
    status: (await page.locator("#unrolled-runtime .backend-status").textContent()) ?? "",
  };
}

/** Seeded normals and a product computed with them, on the page's backend. */
function compute(page: Page) {
  return page.evaluate(async () => {
    const { tf, ready } = (window as unknown as { __unrolled: Unrolled }).__unrolled;
    await ready();
    const x = tf.randomNormal([5], 0, 1, "float32", 7);
    const w = tf.randomNormal([5, 3], 0, 1, "float32", 11);
    const y = tf.matMul(tf.reshape(x, [1, 5]), w);
    const result = { backend: tf.getBackend(), x: Array.from(await x.data()), w: Array.from(await w.data()), y: Array.from(await y.data()) };
    tf.dispose([x, w, y]);
    return result;
  });
}

type Computed = Awaited<ReturnType<typeof compute>>;
const results = new Map<BackendName, Computed>();

function assertProductRight({ x, w, y }: Computed): void {
  assert.equal(x.length, 5);
  assert.ok(x.every(Number.isFinite) && new Set(x).size === 5, `seeded normals look wrong: ${x}`);
  for (let j = 0; j < 3; j++) {
    const expected = x.reduce((sum, xi, i) => sum + xi * w[i * 3 + j], 0);
    assert.ok(Math.abs(y[j] - expected) < 1e-4 * (1 + Math.abs(expected)), `matMul[${j}] = ${y[j]}, expected ${expected}`);
  }
}

for (const name of BACKENDS) {
  test(`backend ${name} starts, computes, and is deterministic`, { timeout: 300_000 }, async (t) => {
    const h = harness();
    const first = await h.openPage("index", { query: { backend: name } });
    try {
      const state = await runtimeState(first.page);
      const shown = await picker(first.page);
      if (state.backend !== name) {
        // It fell back: the reader must be told why, in the header and in the notes.
        assert.ok(state.backend !== null && BACKENDS.indexOf(state.backend) > BACKENDS.indexOf(name), `fell back to ${state.backend}`);
        const note = state.notes.find((n) => n.backend === name);
        assert.ok(note, `no note explains why ${name} was not used: ${JSON.stringify(state.notes)}`);
        assert.match(shown.status, new RegExp(name), `the picker does not explain the fallback from ${name}: "${shown.status}"`);
        assert.ok(!REQUIRED.has(name), `${name} is required but did not start: ${note.message}`);
        t.skip(`${name} cannot start in this browser (${note.message}); the picker explains it`);
        return;
      }
      assert.equal(shown.backend, name, "the picker's data-backend");
      assert.equal(shown.selected, name, "the picker's select");
      assert.ok(state.working.includes(name));
      const computed = await compute(first.page);
      assert.equal(computed.backend, name);
      assertProductRight(computed);
      assertClean(first.problems, `index?backend=${name}`);

      const second = await h.openPage("index", { query: { backend: name } });
      try {
        assert.deepEqual(await compute(second.page), computed, "the same seed gave different numbers on a second load");
        assertClean(second.problems, `index?backend=${name} (second load)`);
      } finally {
        await second.close();
      }
      results.set(name, computed);
    } finally {
      await first.close();
    }
  });
}

test("all backends draw the same seeded numbers and agree on the product", (t) => {
  const cpu = results.get("cpu");
  if (!cpu || results.size < 2) return t.skip("needs cpu and another backend from the tests above");
  for (const [name, r] of results) {
    assert.deepEqual(r.x, cpu.x, `${name} drew different seeded normals from cpu`);
    r.y.forEach((v, j) => assert.ok(Math.abs(v - cpu.y[j]) < 1e-4, `${name} matMul differs from cpu: ${r.y} vs ${cpu.y}`));
  }
});

test("the picker switches backend and the choice persists across pages", { timeout: 300_000 }, async () => {
  const h = harness();
  const context = await h.newContext();
  try {
    const first = await h.openPage("index", { context });
    const initial = (await runtimeState(first.page)).backend;
    const target: BackendName = initial === "wasm" ? "cpu" : "wasm";
    await first.page.locator('#unrolled-runtime select[name="backend"]').selectOption(target);
    await first.page.waitForFunction((b) => document.querySelector(".backend-picker")?.getAttribute("data-backend") === b, target, { timeout: 60_000 });
    assert.equal((await runtimeState(first.page)).backend, target);
    assert.equal((await compute(first.page)).backend, target);
    assert.equal(await first.page.evaluate(() => localStorage.getItem("unrolled.backend")), target);
    assertClean(first.problems, "index after switching");
    await first.page.close();

    // Another page if there is one, in the same browser profile, without ?backend=.
    const other = listPages().find((p) => p !== "index") ?? "index";
    const next = await h.openPage(other, { context });
    const state = await runtimeState(next.page);
    assert.equal(state.backend, target, `${other} did not start on the saved backend`);
    assert.deepEqual(state.notes, [], "the saved backend should start directly");
    assert.equal((await picker(next.page)).selected, target);
    await next.page.close();
  } finally {
    await context.close();
  }
});

test("without WebGL and WebGPU, ?backend=webgl falls back to wasm and says why", { timeout: 300_000 }, async (t) => {
  const h = await startHarness({ disable: ["webgl", "webgpu"] });
  try {
    const opened = await h.openPage("index", { query: { backend: "webgl" } });
    try {
      const apis = await opened.page.evaluate(async () => ({
        webgl: ["webgl2", "webgl"].some(
          (kind) => document.createElement("canvas").getContext(kind) !== null || new OffscreenCanvas(1, 1).getContext(kind as "webgl") !== null,
        ),
        webgpu: "gpu" in navigator && (await (navigator as unknown as { gpu: { requestAdapter(): Promise<unknown> } }).gpu.requestAdapter()) !== null,
      }));
      assert.equal(apis.webgl, false, "WebGL is still available: the test cannot test the fallback");
      const state = await runtimeState(opened.page);
      assert.equal(state.backend, "wasm");
      assert.ok(state.notes.some((n) => n.backend === "webgl"), `no webgl note: ${JSON.stringify(state.notes)}`);
      assert.ok(!state.working.includes("webgl"));
      const shown = await picker(opened.page);
      assert.equal(shown.backend, "wasm");
      assert.equal(shown.selected, "wasm");
      assert.match(shown.status, /webgl/i, `the status does not mention webgl: "${shown.status}"`);
      assertProductRight(await compute(opened.page));
      assertClean(opened.problems, "index?backend=webgl without WebGL");

      await t.test("and with no choice made, starts from webgpu and also lands on wasm", async (st) => {
        if (apis.webgpu) return st.skip("this machine's Chromium still offers a WebGPU adapter without the flags");
        const fresh = await h.openPage("index");
        try {
          const s = await runtimeState(fresh.page);
          assert.equal(s.backend, "wasm");
          assert.deepEqual(s.notes.map((n) => n.backend), ["webgpu", "webgl"]);
          assertClean(fresh.problems, "index without WebGL and WebGPU");
        } finally {
          await fresh.close();
        }
      });
    } finally {
      await opened.close();
    }
  } finally {
    await h.close();
  }
});
