// Builds the browser ES module for @unrolled/tfjs with esbuild.
//
// Why not let Framework bundle @tensorflow/tfjs? Its rollup CommonJS step breaks
// seedrandom (`alea is not a function` in tf.randomNormal and the layer
// initialisers), and tfjs's own prebuilt module cannot share its engine with the
// wasm and webgpu backend packages. esbuild handles seedrandom correctly and lets
// all four backends register with one engine.
import { build } from "esbuild";
import { mkdir, copyFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const outfile = join(here, "dist", "tf.js");

// The wasm backend's Emscripten glue mentions Node built-ins on paths the browser
// never takes; give the bundler empty stand-ins for them.
const nodeBuiltinStubs = {
  name: "node-builtin-stubs",
  setup(b) {
    b.onResolve({ filter: /^(fs|os|path|perf_hooks|worker_threads|crypto|util|url|string_decoder)$/ }, (a) => ({ path: a.path, namespace: "stub" }));
    b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ contents: "export default {};", loader: "js" }));
  },
};

async function isFresh() {
  try {
    const [out, pkg] = await Promise.all([stat(outfile), stat(require.resolve("@tensorflow/tfjs/package.json"))]);
    return out.mtimeMs > pkg.mtimeMs && out.mtimeMs > (await stat(join(here, "entry.js"))).mtimeMs;
  } catch {
    return false;
  }
}

export async function buildTfjs({ force = false } = {}) {
  if (!force && (await isFresh())) return;
  await mkdir(join(here, "dist"), { recursive: true });
  await build({
    entryPoints: [join(here, "entry.js")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    minify: true,
    legalComments: "none",
    define: { "process.env.NODE_ENV": '"production"' },
    outfile,
    plugins: [nodeBuiltinStubs],
    logLevel: "warning",
  });
  // The wasm binaries sit next to the module so that pages can attach them.
  const wasmDir = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
  for (const name of ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"]) {
    await copyFile(join(wasmDir, name), join(here, "dist", name));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildTfjs({ force: process.argv.includes("--force") });
}
