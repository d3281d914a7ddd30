// Time per training step of each architecture on the current tfjs backend, measured side by
// side: every network is built first, warmed up, and then timed in interleaved rounds on the
// same minibatch, so a slow moment of the machine hits all of them alike. The page reports
// the median over rounds and the ratio to the vanilla RNN measured in the same run.

import * as tf from "@unrolled/tfjs";
import { recallTask } from "../core/lagTask.js";
import { createVariableTrainer } from "../models/variableTrainer.js";
import { tfSequenceNetLoss } from "../models/sequenceNetTf.js";
import { yieldToBrowser } from "../runtime/yieldToBrowser.js";
import { COMPARE_SETTINGS, createVariantNet, type Variant } from "./compareRun.js";

export interface StepTiming {
  variant: string;
  label: string;
  paramCount: number;
  /** Median over rounds of the mean time per update within a round (ms). */
  msPerStep: number;
  /** Every round's mean time per update (ms). */
  rounds: number[];
}

export interface TimingOptions {
  lag: number;
  batchSize?: number;
  /** Updates per network per round. */
  stepsPerRound?: number;
  rounds?: number;
  warmup?: number;
  signal?: { stopped: boolean };
  onProgress?(fraction: number): void;
}

const median = (values: number[]) => {
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function measureStepTimes(variants: Variant[], options: TimingOptions): Promise<StepTiming[]> {
  const { lag, batchSize = COMPARE_SETTINGS.batchSize, stepsPerRound = 5, rounds = 5, warmup = 3 } = options;
  const batch = recallTask({ lag, count: batchSize, seed: 11, alphabetSize: COMPARE_SETTINGS.alphabetSize });
  const xs = tf.tensor3d(batch.xs);
  const ys = tf.tensor2d(batch.targets, undefined, "int32");
  const runs = variants.map((variant) => {
    const net = createVariantNet(variant, 1);
    return { variant, net, trainer: createVariableTrainer(net.variables, { learningRate: COMPARE_SETTINGS.learningRate, optimizer: "adam", clipNorm: COMPARE_SETTINGS.clipNorm }), rounds: [] as number[] };
  });
  const total = runs.length * (warmup + rounds * stepsPerRound);
  let done = 0;
  const step = async (run: (typeof runs)[number]) => {
    if (options.signal?.stopped) throw new Error("stopped");
    await run.trainer.step(() => tfSequenceNetLoss(run.net, xs, ys));
    options.onProgress?.(++done / total);
  };
  try {
    for (const run of runs) for (let i = 0; i < warmup; i++) await step(run);
    for (let r = 0; r < rounds; r++) {
      for (const run of runs) {
        await yieldToBrowser();
        const started = performance.now();
        // trainer.step awaits the loss value, so each update has finished on the device when it resolves.
        for (let i = 0; i < stepsPerRound; i++) await step(run);
        run.rounds.push((performance.now() - started) / stepsPerRound);
      }
    }
    return runs.map((run) => ({ variant: run.variant.id, label: run.variant.label, paramCount: run.net.paramCount, msPerStep: median(run.rounds), rounds: run.rounds }));
  } finally {
    for (const run of runs) {
      run.trainer.dispose();
      run.net.dispose();
    }
    xs.dispose();
    ys.dispose();
  }
}
