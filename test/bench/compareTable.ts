// Regenerates the stored results of the "Comparing RNN, LSTM and GRU" page
// (components/examples/compareTable.ts): the page's own training code (compareRun.ts) on
// tfjs's WebAssembly backend in Node, for the given seeds.
//   node --import tsx test/bench/compareTable.ts lag 1 2 3 > lag.jsonl    RNN, LSTM, GRU and the ablation at COMPARE_LAGS
//   node --import tsx test/bench/compareTable.ts deep 1 2 3 > deep.jsonl  depth and direction at DEEP_LAGS, both tasks
//   node --import tsx test/bench/compareTable.ts module lag.jsonl deep.jsonl > components/examples/compareTable.ts
// The first two print one JSON CompareResult per line as each network finishes.
import { readFileSync } from "node:fs";
import * as tf from "@unrolled/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { ABLATION_VARIANTS, COMPARE_SETTINGS, DEEP_VARIANTS, LAG_VARIANTS, trainVariant, type CompareResult, type CompareTaskKind, type Variant } from "../../components/examples/compareRun.js";

const COMPARE_LAGS = [5, 10, 20, 40, 80];
const DEEP_LAGS = [5, 10, 20, 40];

const [mode, ...rest] = process.argv.slice(2);

async function grid(jobs: { variants: Variant[]; lags: number[]; task: CompareTaskKind }[], seeds: number[]): Promise<void> {
  await tf.setBackend("wasm");
  await tf.ready();
  for (const seed of seeds) {
    for (const { variants, lags, task } of jobs) {
      for (const lag of lags) {
        for (const variant of variants) {
          const result = await trainVariant(variant, lag, seed, COMPARE_SETTINGS, {}, task);
          process.stdout.write(JSON.stringify(result) + "\n");
        }
      }
    }
  }
}

function emitModule(files: string[]): void {
  const rows: CompareResult[] = files.flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => ({ task: "recall", ...JSON.parse(line) }) as CompareResult),
  );
  const order = (r: CompareResult) => [r.task, r.seed, r.lag, r.variant].join("|");
  rows.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  const line = (r: CompareResult) =>
    `  { variant: ${JSON.stringify(r.variant)}, task: ${JSON.stringify(r.task)}, lag: ${r.lag}, seed: ${r.seed}, accuracy: ${r.accuracy}, checkpoints: ${JSON.stringify(r.checkpoints).replace(/"(\w+)":/g, "$1: ")}, finalLoss: ${r.finalLoss}, paramCount: ${r.paramCount}, msPerStep: ${r.msPerStep.toFixed(2)} },`;
  process.stdout.write(`// Stored results of the comparison page, computed by test/bench/compareTable.ts (see its
// header for the commands) with the page's own code (compareRun.ts) and COMPARE_SETTINGS, on
// tfjs's WebAssembly backend in Node 20 on a 2-core machine. msPerStep is that machine's time
// per update, with two such runs sharing the two cores. Do not edit by hand.
import type { CompareResult } from "./compareRun.js";

export const COMPARE_LAGS = ${JSON.stringify(COMPARE_LAGS)};
export const DEEP_LAGS = ${JSON.stringify(DEEP_LAGS)};

export const COMPARE_ROWS: CompareResult[] = [
${rows.map(line).join("\n")}
];
`);
}

const seeds = rest.map(Number);
if (mode === "module") emitModule(rest);
else if ((mode === "lag" || mode === "deep") && seeds.length > 0 && seeds.every(Number.isSafeInteger)) {
  await grid(
    mode === "lag"
      ? [{ variants: [...LAG_VARIANTS, ...ABLATION_VARIANTS.slice(1)], lags: COMPARE_LAGS, task: "recall" }]
      : [
          { variants: DEEP_VARIANTS.slice(1), lags: DEEP_LAGS, task: "recall" },
          { variants: [DEEP_VARIANTS[0]!, DEEP_VARIANTS[2]!], lags: DEEP_LAGS, task: "reversed" },
        ],
    seeds,
  );
} else {
  throw new Error("Usage: compareTable.ts lag|deep SEED… or compareTable.ts module FILE…");
}
