// The live stacked / bidirectional example of the comparison page: a TfSequenceNet of any
// cell, depth and direction learns the recall task (lagTask.ts) or its mirror image in time,
// where the answer is due at the first step and the symbol to recall is the last one. The
// inspection reads every state of every layer and direction on one shown sequence, and the
// held-out accuracy at the answer step.

import * as tf from "@unrolled/tfjs";
import { createRng, type Rng } from "../core/random.js";
import { recallTask, reverseInTime, type RecallTask } from "../core/lagTask.js";
import type { CellKind, Direction } from "../core/sequenceNet.js";
import { createVariableTrainer, type VariableTrainer } from "../models/variableTrainer.js";
import { readSequenceNetStates, tfSequenceNetLoss, type TfSequenceNet } from "../models/sequenceNetTf.js";
import type { TrainingTask } from "../ui/trainingHarness.js";
import { COMPARE_SETTINGS, createVariantNet, taskAccuracy, type Variant } from "./compareRun.js";
import { shownSequence } from "./lstmMemory.js";

export interface DeepMemoryOptions {
  cell: CellKind;
  layers: number;
  bidirectional: boolean;
  hiddenSize: number;
  lag: number;
  /** Mirror the task in time: answer at the first step, recall the last symbol. */
  reversed: boolean;
  /** The symbol to recall in the shown sequence. */
  shownSymbol?: number;
  batchSize?: number;
}

export interface DeepModel {
  net: TfSequenceNet;
  trainer: VariableTrainer;
  rng: Rng;
}

export interface DeepInspection {
  /** layers[ℓ][d][state]: T×q arrays on the shown sequence. */
  layers: Record<string, number[][]>[][];
  directions: Direction[];
  /** Softmax outputs on the shown sequence, T×(m+1). */
  yhat: number[][];
  /** Held-out accuracy at the answer step. */
  accuracy: number;
  variables: { name: string; shape: number[]; size: number }[];
}

export function deepVariant(options: DeepMemoryOptions): Variant {
  const { cell, layers, bidirectional, hiddenSize } = options;
  return { id: "deep", label: `${cell.toUpperCase()}, ${layers} layer${layers > 1 ? "s" : ""}${bidirectional ? ", bidirectional" : ""}`, cell, hiddenSize, layers, bidirectional, gateBias: cell === "lstm" ? 1 : undefined };
}

/** The sequence the page shows, in the order the network reads it. */
export function shownDeepSequence(options: DeepMemoryOptions): { xs: number[][]; symbols: number[]; answerStep: number } {
  const m = COMPARE_SETTINGS.alphabetSize;
  const shown = shownSequence(options.lag, options.shownSymbol ?? 0, m);
  // Make the symbol read at the answer step differ from the one to recall, so a reader cannot mistake one for the other.
  const last = shown.symbols[options.lag]!;
  if (options.lag > 0 && last === shown.symbols[0]) {
    const replacement = (last + 1) % m;
    shown.symbols[options.lag] = replacement;
    shown.xs[options.lag] = shown.xs[options.lag]!.map((v, j) => (j === m ? v : j === replacement ? 1 : 0));
  }
  if (!options.reversed) return { ...shown, answerStep: options.lag };
  return { xs: shown.xs.slice().reverse(), symbols: shown.symbols.slice().reverse(), answerStep: 0 };
}

export function deepMemoryTask(options: DeepMemoryOptions): TrainingTask<DeepModel, DeepInspection> {
  const m = COMPARE_SETTINGS.alphabetSize;
  const transform = (task: RecallTask) => (options.reversed ? reverseInTime(task) : task);
  const heldOut = transform(recallTask({ lag: options.lag, count: 200, seed: 7, alphabetSize: m }));
  const shown = shownDeepSequence(options);
  const variant = deepVariant(options);
  return {
    create(seed) {
      const net = createVariantNet(variant, seed);
      const trainer = createVariableTrainer(net.variables, { learningRate: COMPARE_SETTINGS.learningRate, optimizer: "adam", clipNorm: COMPARE_SETTINGS.clipNorm });
      return { net, trainer, rng: createRng(seed * 7919 + 13) };
    },
    async step(model, learningRate) {
      model.trainer.setLearningRate(learningRate);
      const batch = transform(recallTask({ lag: options.lag, count: options.batchSize ?? COMPARE_SETTINGS.batchSize, seed: model.rng.int(2 ** 31), alphabetSize: m }));
      const xs = tf.tensor3d(batch.xs);
      const ys = tf.tensor2d(batch.targets, undefined, "int32");
      try {
        return await model.trainer.step(() => tfSequenceNetLoss(model.net, xs, ys));
      } finally {
        xs.dispose();
        ys.dispose();
      }
    },
    async inspect(model) {
      const [states, accuracy] = await Promise.all([readSequenceNetStates(model.net, shown.xs), taskAccuracy(model.net, heldOut)]);
      return { ...states, accuracy, variables: model.net.named.map(({ name, variable }) => ({ name, shape: variable.shape.slice(), size: variable.size })) };
    },
    dispose(model) {
      model.trainer.dispose();
      model.net.dispose();
    },
    async exportWeights(model) {
      const values = await Promise.all(model.net.named.map(({ variable }) => variable.array()));
      return { architecture: variant.label, spec: model.net.spec, variables: model.net.named.map(({ name, variable }, i) => ({ name, shape: variable.shape, values: values[i] })) };
    },
    async importWeights(model, data) {
      const list = (data as { variables?: { name: string; shape: number[]; values: unknown }[] } | null)?.variables;
      if (!Array.isArray(list)) throw new Error("This file has no list of variables: save weights from this example first.");
      for (const { name, variable } of model.net.named) {
        const saved = list.find((v) => v.name === name);
        if (!saved) throw new Error(`The file has no variable "${name}": it was saved from a different architecture.`);
        if (saved.shape.join("×") !== variable.shape.join("×")) throw new Error(`"${name}" is ${saved.shape.join("×")} in the file but ${variable.shape.join("×")} here.`);
      }
      tf.tidy(() => {
        for (const { name, variable } of model.net.named) variable.assign(tf.tensor(list.find((v) => v.name === name)!.values as number[], variable.shape, "float32"));
      });
    },
  };
}
