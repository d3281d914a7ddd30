// Bundles the cell compiler (compile.ts with Sucrase and acorn) into one browser ES module,
// dist/compiler.js, loaded only when a reader runs edited code. Framework's own bundling of
// Sucrase breaks on one of its CommonJS dependencies; esbuild handles it.
import { build } from "esbuild";
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

export async function buildCompiler() {
  await build({
    entryPoints: [join(here, "compile.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    minify: true,
    legalComments: "none",
    outfile: join(here, "dist", "compiler.js"),
    logLevel: "warning",
  });
  // Its types are those of the source.
  await writeFile(join(here, "dist", "compiler.d.ts"), 'export * from "../compile.js";\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCompiler();
