// Saving and loading a TfRnn's weights as plain JSON.
import * as tf from "@unrolled/tfjs";
import type { Head, RnnParams } from "../core/rnn.js";
import type { TfRnn } from "./rnnTf.js";

export interface RnnWeightsFile {
  kind: "vanilla-rnn";
  head: Head;
  sizes: { p: number; q: number; k: number };
  params: RnnParams;
}

export async function exportRnnWeights(model: TfRnn): Promise<RnnWeightsFile> {
  return {
    kind: "vanilla-rnn",
    head: model.head,
    sizes: { p: model.inputSize, q: model.hiddenSize, k: model.outputSize },
    params: await model.readParams(),
  };
}

function checkMatrix(name: string, value: unknown, rows: number, cols: number): number[][] {
  if (!Array.isArray(value) || value.length !== rows || value.some((row) => !Array.isArray(row) || row.length !== cols)) {
    throw new Error(`${name} must be a ${rows}×${cols} array of numbers`);
  }
  const matrix = value as unknown[][];
  if (matrix.some((row) => row.some((x) => typeof x !== "number" || !Number.isFinite(x)))) throw new Error(`${name} holds a value that is not a finite number`);
  return matrix as number[][];
}

/** Copies saved weights into the model's variables; throws a reader-facing Error if they do not fit. */
export async function importRnnWeights(model: TfRnn, data: unknown): Promise<void> {
  const file = data as Partial<RnnWeightsFile> | null;
  if (!file || file.kind !== "vanilla-rnn" || !file.params || !file.sizes) throw new Error("the file does not hold vanilla RNN weights");
  const { p, q, k } = file.sizes;
  if (p !== model.inputSize || q !== model.hiddenSize || k !== model.outputSize) {
    throw new Error(`the file holds weights for p = ${p}, q = ${q}, k = ${k}, but this example has p = ${model.inputSize}, q = ${model.hiddenSize}, k = ${model.outputSize} (set the controls to match, then load again)`);
  }
  if (file.head !== model.head) throw new Error(`the file was saved with the ${file.head} head; this example uses the ${model.head} head`);
  const W = checkMatrix("W", file.params.W, q, q);
  const U = checkMatrix("U", file.params.U, q, p);
  const V = checkMatrix("V", file.params.V, k, q);
  const [b] = checkMatrix("b", [file.params.b], 1, q);
  const [c] = checkMatrix("c", [file.params.c], 1, k);
  tf.tidy(() => {
    model.W.assign(tf.tensor2d(W, [q, q]));
    model.U.assign(tf.tensor2d(U, [q, p]));
    model.V.assign(tf.tensor2d(V, [k, q]));
    model.b.assign(tf.tensor1d(b));
    model.c.assign(tf.tensor1d(c));
  });
}
