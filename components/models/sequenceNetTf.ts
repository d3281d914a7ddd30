// Deep (stacked) and bidirectional networks of RNN, LSTM or GRU cells in tfjs ops, the
// trainable twin of components/core/sequenceNet.ts (same equations, same weights). Each
// cell runs through the state-only unroll of its own module (rnnTf, lstmTf, gruTf), so a
// one-layer, one-direction net computes exactly what the plain models compute. The
// comparison page trains every architecture through this one code path.

import * as tf from "@unrolled/tfjs";
import { checkHead, type Head } from "../core/rnn.js";
import { LSTM_GATES } from "../core/lstm.js";
import { GRU_GATES } from "../core/gru.js";
import { checkSequenceNetParams, directionsOf, sequenceNetParamCount, type CellParams, type Direction, type SequenceNetParams, type SequenceNetSpec } from "../core/sequenceNet.js";
import { readoutTimeMajor, rnnStatesTimeMajor, tfApplyHead, tfHeadLoss, type RnnCellVars } from "./rnnTf.js";
import { lstmStatesTimeMajor, packGates, type FixedGates, type LstmCellVars } from "./lstmTf.js";
import { batchMajor, batchMajorAll, rowsOf } from "./stepTensors.js";
import { gruStatesTimeMajor, type GruCellVars } from "./gruTf.js";

export type TfCell = { kind: "rnn"; vars: RnnCellVars } | { kind: "lstm"; vars: LstmCellVars } | { kind: "gru"; vars: GruCellVars };

export interface NamedVariable {
  /** E.g. "layer 2 backward Wh", or "V" for the read-out. */
  name: string;
  variable: tf.Variable;
}

export interface TfSequenceNet {
  readonly spec: SequenceNetSpec;
  readonly head: Head;
  /** sequenceNetParamCount(spec): the sizes of the variables below, summed (a test checks it). */
  readonly paramCount: number;
  /** cells[ℓ][d] */
  readonly cells: TfCell[][];
  readonly V: tf.Variable<tf.Rank.R2>;
  readonly c: tf.Variable<tf.Rank.R1>;
  readonly variables: tf.Variable[];
  readonly named: NamedVariable[];
  readonly fixedGates: FixedGates;
  dispose(): void;
}

const variable2d = (m: number[][], rows: number, cols: number) => tf.tidy(() => tf.variable(tf.tensor2d(m, [rows, cols], "float32"), true));
const variable1d = (v: number[]) => tf.tidy(() => tf.variable(tf.tensor1d(v, "float32"), true));

function createCell(cell: CellParams, spec: SequenceNetSpec, inputSize: number, fixedGates: FixedGates): { cell: TfCell; named: [string, tf.Variable][] } {
  const q = spec.hiddenSize;
  if (cell.kind === "rnn") {
    const W = variable2d(cell.params.W, q, q);
    const U = variable2d(cell.params.U, q, inputSize);
    const b = variable1d(cell.params.b);
    return { cell: { kind: "rnn", vars: { inputSize, hiddenSize: q, W, U, b } }, named: [["W", W], ["U", U], ["b", b]] };
  }
  if (cell.kind === "lstm") {
    const packed = packGates(cell.params, LSTM_GATES);
    const Wx = variable2d(packed.Wx, inputSize, 4 * q);
    const Wh = variable2d(packed.Wh, q, 4 * q);
    const b = variable1d(packed.b);
    return { cell: { kind: "lstm", vars: { inputSize, hiddenSize: q, Wx, Wh, b, fixedGates } }, named: [["Wx", Wx], ["Wh", Wh], ["b", b]] };
  }
  const reset = spec.reset ?? "before";
  const packed = packGates(cell.params, GRU_GATES);
  const Wx = variable2d(packed.Wx, inputSize, 3 * q);
  const Wh = variable2d(packed.Wh, q, 3 * q);
  const b = variable1d(packed.b);
  const bHR = reset === "after" ? variable1d(cell.params.bHR) : null;
  const named: [string, tf.Variable][] = [["Wx", Wx], ["Wh", Wh], ["b", b]];
  if (bHR) named.push(["bHR", bHR]);
  return { cell: { kind: "gru", vars: { inputSize, hiddenSize: q, Wx, Wh, b, bHR, reset } }, named };
}

/** Float32 variables holding a copy of `params`. `fixedGates` (LSTM only) holds gates at a constant in every cell. */
export function createTfSequenceNet(params: SequenceNetParams, head: Head, options: { fixedGates?: FixedGates } = {}): TfSequenceNet {
  const { spec } = params;
  checkHead(head, spec.outputSize);
  checkSequenceNetParams(params);
  const directions = directionsOf(spec);
  const fixedGates = { ...(options.fixedGates ?? {}) };
  if (spec.cell !== "lstm" && Object.keys(fixedGates).length > 0) throw new Error("Only LSTM gates can be held fixed.");
  const named: NamedVariable[] = [];
  const cells = params.cells.map((row, layer) =>
    row.map((cell, d) => {
      const made = createCell(cell, spec, layer === 0 ? spec.inputSize : directions.length * spec.hiddenSize, fixedGates);
      const prefix = `layer ${layer + 1}${spec.bidirectional ? ` ${directions[d]}` : ""}`;
      for (const [name, variable] of made.named) named.push({ name: `${prefix} ${name}`, variable });
      return made.cell;
    }),
  );
  const V = variable2d(params.V, spec.outputSize, directions.length * spec.hiddenSize);
  const c = variable1d(params.c);
  named.push({ name: "V", variable: V }, { name: "c", variable: c });
  const variables = named.map((n) => n.variable);
  let disposed = false;
  return {
    spec: { ...spec },
    head,
    paramCount: sequenceNetParamCount(spec),
    cells,
    V,
    c,
    variables,
    named,
    fixedGates,
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const v of variables) v.dispose();
    },
  };
}

/** One cell's states, time-major [T, batch, q], from batch-major inputs [batch, T, m]. */
function cellStates(cell: TfCell, xs: tf.Tensor3D): Record<string, tf.Tensor3D> {
  if (cell.kind === "rnn") return rnnStatesTimeMajor(cell.vars, xs);
  if (cell.kind === "lstm") return lstmStatesTimeMajor(cell.vars, xs);
  return gruStatesTimeMajor(cell.vars, xs);
}

/** A type alias, not an interface, so that tf.tidy accepts it as a TensorContainer. */
export type SequenceNetSteps = {
  /** layers[ℓ][d]: every state of that cell, [T, batch, q], in time order (backward cells too). */
  layers: Record<string, tf.Tensor3D>[][];
  /** Read-out before the head, [T, batch, k]. */
  o: tf.Tensor3D;
};

/** The whole network, time-major. xs is batch-major [batch, T, p]. */
export function sequenceNetUnrollTimeMajor(net: TfSequenceNet, xs: tf.Tensor3D): SequenceNetSteps {
  let input = xs;
  let top: tf.Tensor3D | null = null;
  const layers: Record<string, tf.Tensor3D>[][] = [];
  for (const row of net.cells) {
    const states = row.map((cell, d) => {
      if (d === 0) return cellStates(cell, input);
      // Backward in time: the reversed sequence in, its states reversed back into time order.
      const reversed = cellStates(cell, tf.reverse(input, 1));
      return Object.fromEntries(Object.entries(reversed).map(([key, value]) => [key, tf.reverse(value, 0) as tf.Tensor3D]));
    });
    layers.push(states);
    // z_ℓ(t) = [→h_ℓ(t); ←h_ℓ(t)], time-major; the next layer takes it batch-major.
    top = states.length === 1 ? states[0]!.h! : (tf.concat(states.map((s) => s.h!), 2) as tf.Tensor3D);
    input = tf.transpose(top, [1, 0, 2]) as tf.Tensor3D;
  }
  return { layers, o: readoutTimeMajor(top!, net.V, net.c) };
}


/** Mean loss over batch and time (tfHeadLoss). */
export function tfSequenceNetLoss(net: TfSequenceNet, xs: tf.Tensor3D, targets: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tfHeadLoss(net.head, batchMajor(sequenceNetUnrollTimeMajor(net, xs).o), targets));
}

/** ŷ = head(o), batch-major [batch, T, k], a tensor the caller owns. */
export function tfSequenceNetPredict(net: TfSequenceNet, xs: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => tfApplyHead(net.head, batchMajor(sequenceNetUnrollTimeMajor(net, xs).o)));
}

export interface SequenceNetReadout {
  /** layers[ℓ][d][state]: T×q arrays. */
  layers: Record<string, number[][]>[][];
  directions: Direction[];
  /** head(o), T×k. */
  yhat: number[][];
}

/** Every state of every cell for one sequence xs (T×p), read asynchronously. */
export async function readSequenceNetStates(net: TfSequenceNet, xs: number[][]): Promise<SequenceNetReadout> {
  const p = net.spec.inputSize;
  xs.forEach((x, t) => {
    if (x.length !== p) throw new Error(`xs[${t}] has ${x.length} values but the network expects p = ${p} inputs.`);
  });
  const out = tf.tidy(() => {
    const steps = sequenceNetUnrollTimeMajor(net, tf.tensor3d([xs], [1, xs.length, net.spec.inputSize]));
    return {
      layers: steps.layers.map((row) => row.map((states) => batchMajorAll(states))),
      yhat: tfApplyHead(net.head, batchMajor(steps.o)),
    };
  });
  const tensors = [...out.layers.flatMap((row) => row.flatMap((s) => Object.values(s))), out.yhat];
  try {
    const layers = await Promise.all(
      out.layers.map((row) => Promise.all(row.map(async (states) => Object.fromEntries(await Promise.all(Object.entries(states).map(async ([key, value]) => [key, await rowsOf(value)] as const)))))),
    );
    return { layers, directions: directionsOf(net.spec), yhat: await rowsOf(out.yhat) };
  } finally {
    tf.dispose(tensors);
  }
}
