// Deep and bidirectional networks: the tfjs net (components/models/sequenceNetTf.ts) against
// the float64 reference (components/core/sequenceNet.ts), the plain single-cell models,
// tfjs-layers, and finite differences; plus parameter counts, fixed gates, memory, bad input.

import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@unrolled/tfjs";
import { createRng } from "../../components/core/random.js";
import { initRnnParams, rnnLoss, stepLoss, type Head } from "../../components/core/rnn.js";
import { initLstmParams } from "../../components/core/lstm.js";
import { initGruParams, type ResetPlacement } from "../../components/core/gru.js";
import {
  cellParamCount,
  initSequenceNetParams,
  layerInputSize,
  sequenceNetForward,
  sequenceNetParamCount,
  type CellKind,
  type SequenceNetParams,
  type SequenceNetSpec,
} from "../../components/core/sequenceNet.js";
import {
  createTfSequenceNet,
  readSequenceNetStates,
  sequenceNetUnrollTimeMajor,
  tfSequenceNetLoss,
  tfSequenceNetPredict,
  type TfSequenceNet,
} from "../../components/models/sequenceNetTf.js";
import { createTfLstm, packGates, tfLstmForward, tfLstmLoss } from "../../components/models/lstmTf.js";
import { createTfGru, tfGruForward, tfGruLoss } from "../../components/models/gruTf.js";
import { createTfRnn, tfRnnForward, tfRnnLoss } from "../../components/models/rnnTf.js";
import { createVariableTrainer } from "../../components/models/variableTrainer.js";

before(async () => {
  await tf.setBackend("cpu");
});

// ---------------------------------------------------------------------------------------
// Helpers

const f32 = Math.fround;

/** Applies f to every number of the weights (cells, V, c), leaving spec and kind alone. */
function mapWeights<T>(x: T, f: (v: number) => number): T {
  if (typeof x === "number") return f(x) as T;
  if (Array.isArray(x)) return x.map((v) => mapWeights(v, f)) as T;
  if (x !== null && typeof x === "object") {
    return Object.fromEntries(Object.entries(x).map(([key, v]) => [key, key === "spec" ? v : mapWeights(v, f)])) as T;
  }
  return x;
}

/** Seeded weights moved off the initialiser (so biases and bHR are non-zero), rounded to float32. */
function randomParams(spec: SequenceNetSpec, seed: number, scale = 0.3): SequenceNetParams {
  const rng = createRng(seed + 1000);
  return mapWeights(initSequenceNetParams(spec, { seed }), (v) => f32(v + scale * rng.normal()));
}

function randomInputs(batch: number, T: number, p: number, seed: number): number[][][] {
  const rng = createRng(seed);
  return Array.from({ length: batch }, () => Array.from({ length: T }, () => Array.from({ length: p }, () => f32(rng.normal()))));
}

const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number]);

/** max |a − b| over every entry; Infinity when the shapes hold different numbers of values. */
function maxDiff(a: unknown, b: unknown): number {
  const fa = flat(a);
  const fb = flat(b);
  if (fa.length !== fb.length) return Infinity;
  let m = 0;
  for (let i = 0; i < fa.length; i++) {
    const d = Math.abs(fa[i]! - fb[i]!);
    if (!(d <= m)) m = d; // NaN propagates as NaN
  }
  return m;
}

/** [T][batch][n] → [batch][T][n] */
const toBatchMajor = (tm: number[][][]): number[][][] => tm[0]!.map((_, n) => tm.map((row) => row[n]!));

interface BatchedRead {
  /** layers[ℓ][d][state]: time-major [T][batch][q] arrays with their tensor shapes. */
  layers: Record<string, { shape: number[]; data: number[][][] }>[][];
  o: { shape: number[]; data: number[][][] };
}

/** Runs sequenceNetUnrollTimeMajor on a batch and reads every tensor back, disposing them all. */
async function readBatched(net: TfSequenceNet, xs: number[][][]): Promise<BatchedRead> {
  const x = tf.tensor3d(xs);
  const steps = tf.tidy(() => {
    const s = sequenceNetUnrollTimeMajor(net, x);
    return { layers: s.layers, o: s.o };
  });
  const read = async (t: tf.Tensor3D) => ({ shape: t.shape.slice(), data: (await t.array()) as number[][][] });
  try {
    const layers = await Promise.all(
      steps.layers.map((row) => Promise.all(row.map(async (states) => Object.fromEntries(await Promise.all(Object.entries(states).map(async ([key, v]) => [key, await read(v)] as const)))))),
    );
    return { layers, o: await read(steps.o) };
  } finally {
    tf.dispose([x, steps.o, ...steps.layers.flatMap((row) => row.flatMap((s) => Object.values(s)))]);
  }
}

const STATE_KEYS: Record<CellKind, string[]> = { rnn: ["a", "h"], lstm: ["F", "I", "O", "cTilde", "c", "h"], gru: ["Z", "R", "hTilde", "h"] };

interface Variant {
  label: string;
  cell: CellKind;
  reset?: ResetPlacement;
}
const VARIANTS: Variant[] = [
  { label: "rnn", cell: "rnn" },
  { label: "lstm", cell: "lstm" },
  { label: "gru (reset before)", cell: "gru", reset: "before" },
  { label: "gru (reset after)", cell: "gru", reset: "after" },
];

function specOf(v: Variant, sizes: { p: number; q: number; k: number }, layers: number, bidirectional: boolean): SequenceNetSpec {
  return { cell: v.cell, inputSize: sizes.p, hiddenSize: sizes.q, outputSize: sizes.k, layers, bidirectional, ...(v.reset ? { reset: v.reset } : {}) };
}

// ---------------------------------------------------------------------------------------
// 1. tfjs (float32) against the float64 reference, every state of every layer and direction

const CONFIGS: [number, boolean][] = [
  [1, false],
  [2, false],
  [1, true],
  [3, true],
];

for (const variant of VARIANTS) {
  for (const [layers, bidirectional] of CONFIGS) {
    test(`${variant.label}, ${layers} layer(s), ${bidirectional ? "bidirectional" : "one direction"}: tfjs states, o and ŷ match the float64 reference below 1e-5`, async () => {
      const [p, q, k, batch, T] = [3, 4, 2, 3, 7];
      const spec = specOf(variant, { p, q, k }, layers, bidirectional);
      const seed = 100 * layers + (bidirectional ? 10 : 0) + VARIANTS.indexOf(variant);
      const params = randomParams(spec, seed);
      const xs = randomInputs(batch, T, p, seed + 1);
      const head: Head = "multiclass";
      const refs = xs.map((seq) => sequenceNetForward(params, seq, head));
      const net = createTfSequenceNet(params, head);
      const d = bidirectional ? 2 : 1;
      const keys = STATE_KEYS[variant.cell];
      let worst = 0;

      // (a) one sequence through readSequenceNetStates.
      const one = await readSequenceNetStates(net, xs[0]!);
      assert.deepEqual(one.directions, bidirectional ? ["forward", "backward"] : ["forward"], "directions of the readout");
      assert.equal(one.layers.length, layers, `readout has ${one.layers.length} layers, expected ${layers}`);
      for (let l = 0; l < layers; l++) {
        assert.equal(one.layers[l]!.length, d, `layer ${l + 1}: ${one.layers[l]!.length} directions, expected ${d}`);
        for (let dir = 0; dir < d; dir++) {
          assert.deepEqual(Object.keys(one.layers[l]![dir]!).sort(), keys.slice().sort(), `layer ${l + 1} dir ${dir}: state names`);
          for (const key of keys) {
            const diff = maxDiff(one.layers[l]![dir]![key], refs[0]!.layers[l]![dir]![key]);
            worst = Math.max(worst, diff);
            assert.ok(diff < 1e-5, `readSequenceNetStates layer ${l + 1} dir ${dir} ${key}: max |tf − float64| = ${diff}`);
          }
        }
      }
      const dYhat1 = maxDiff(one.yhat, refs[0]!.yhat);
      assert.ok(dYhat1 < 1e-5, `readSequenceNetStates ŷ: max |tf − float64| = ${dYhat1}`);

      // (b) the whole batch through sequenceNetUnrollTimeMajor (time-major [T, batch, ·]).
      const all = await readBatched(net, xs);
      assert.equal(all.layers.length, layers, "batched: number of layers");
      for (let l = 0; l < layers; l++) {
        for (let dir = 0; dir < d; dir++) {
          for (const key of keys) {
            const got = all.layers[l]![dir]![key];
            assert.ok(got, `batched layer ${l + 1} dir ${dir}: state ${key} missing`);
            assert.deepEqual(got.shape, [T, batch, q], `batched layer ${l + 1} dir ${dir} ${key}: shape [T, batch, q]`);
            const diff = maxDiff(toBatchMajor(got.data), refs.map((r) => r.layers[l]![dir]![key]));
            worst = Math.max(worst, diff);
            assert.ok(diff < 1e-5, `batched layer ${l + 1} dir ${dir} ${key}: max |tf − float64| = ${diff}`);
          }
        }
      }
      assert.deepEqual(all.o.shape, [T, batch, k], "batched o: shape [T, batch, k]");
      const dO = maxDiff(toBatchMajor(all.o.data), refs.map((r) => r.o));
      assert.ok(dO < 1e-5, `batched o: max |tf − float64| = ${dO}`);
      const xAll = tf.tensor3d(xs);
      const pred = tfSequenceNetPredict(net, xAll);
      const yhat = (await pred.array()) as number[][][];
      assert.deepEqual(pred.shape, [batch, T, k], "tfSequenceNetPredict shape [batch, T, k]");
      const dYhat = maxDiff(yhat, refs.map((r) => r.yhat));
      assert.ok(dYhat < 1e-5, `tfSequenceNetPredict ŷ: max |tf − float64| = ${dYhat}`);
      // Softmax rows sum to 1 (ŷ really went through the head, not a copy of o).
      const rowSum = Math.max(...yhat.flat().map((r) => Math.abs(r.reduce((s, v) => s + v, 0) - 1)));
      assert.ok(rowSum < 1e-6 && maxDiff(yhat, refs.map((r) => r.o)) > 1e-2, `ŷ is softmax(o): |Σŷ − 1| = ${rowSum}`);
      if (bidirectional) {
        // The two directions must not coincide (a backward cell that read forward would).
        const gap = maxDiff(refs[0]!.layers[0]![0]!.h, refs[0]!.layers[0]![1]!.h);
        assert.ok(gap > 1e-3, `forward and backward h of layer 1 should differ, max gap ${gap}`);
      }
      console.log(`${variant.label} D=${layers} ${bidirectional ? "bi" : "uni"}: worst state |tf − float64| = ${worst.toExponential(2)}, o ${dO.toExponential(2)}, ŷ ${dYhat.toExponential(2)}`);
      tf.dispose([pred, xAll]);
      net.dispose();
    });
  }
}

test("direction semantics: forward states at t see x(1..t), backward states see x(t..T) (float64 and tfjs)", async () => {
  const [p, q, k, T, s] = [3, 4, 2, 7, 3];
  for (const variant of VARIANTS) {
    for (const [layers, bidirectional] of [[2, true], [2, false]] as const) {
      const spec = specOf(variant, { p, q, k }, layers, bidirectional);
      const params = randomParams(spec, 77);
      const [seq] = randomInputs(1, T, p, 78);
      const changed = seq!.map((x, t) => (t === s ? x.map((v) => v + 1) : x.slice()));
      const net = createTfSequenceNet(params, "real");
      const tfRead = await readBatched(net, [seq!, changed]);
      net.dispose();
      const [a, b] = [sequenceNetForward(params, seq!), sequenceNetForward(params, changed)];
      const tfA = (key: string, l: number, dir: number) => toBatchMajor(tfRead.layers[l]![dir]![key]!.data)[0]!;
      const tfB = (key: string, l: number, dir: number) => toBatchMajor(tfRead.layers[l]![dir]![key]!.data)[1]!;
      const where = `${variant.label} D=${layers} ${bidirectional ? "bi" : "uni"}`;
      for (const [name, A, B] of [
        ["float64", (l: number, dir: number) => a.layers[l]![dir]!.h!, (l: number, dir: number) => b.layers[l]![dir]!.h!],
        ["tfjs", (l: number, dir: number) => tfA("h", l, dir), (l: number, dir: number) => tfB("h", l, dir)],
      ] as const) {
        // Layer 1 forward: unchanged before s, changed at s.
        const before = maxDiff(A(0, 0).slice(0, s), B(0, 0).slice(0, s));
        const at = maxDiff(A(0, 0)[s], B(0, 0)[s]);
        assert.ok(before === 0 && at > 1e-4, `${name} ${where}: layer-1 forward h changes before t=${s} by ${before} (must be 0) and at t=${s} by ${at}`);
        if (bidirectional) {
          const after = maxDiff(A(0, 1).slice(s + 1), B(0, 1).slice(s + 1));
          const atB = maxDiff(A(0, 1)[s], B(0, 1)[s]);
          const early = maxDiff(A(0, 1)[0], B(0, 1)[0]);
          assert.ok(after === 0 && atB > 1e-4 && early > 0, `${name} ${where}: layer-1 backward h changes after t=${s} by ${after} (must be 0), at t=${s} by ${atB}, at t=0 by ${early}`);
        } else {
          // A one-direction stack is causal at every layer.
          const top = maxDiff(A(layers - 1, 0).slice(0, s), B(layers - 1, 0).slice(0, s));
          assert.ok(top === 0, `${name} ${where}: top-layer h changes before t=${s} by ${top} (must be 0)`);
        }
      }
    }
  }
});

// ---------------------------------------------------------------------------------------
// 2. One layer, one direction = the plain model

test("a one-layer one-direction net has the plain initialiser's weights and the plain tfjs model's outputs (≤ 1e-6)", async () => {
  const [p, q, k, batch, T] = [3, 4, 2, 3, 7];
  const xs = randomInputs(batch, T, p, 5);
  const x = tf.tensor3d(xs);
  const y = tf.tensor2d(xs.map((seq) => seq.map((_, t) => t % k)), undefined, "int32");
  for (const variant of VARIANTS) {
    for (const gateBias of [undefined, 0.5]) {
      if (variant.cell === "rnn" && gateBias !== undefined) continue;
      const seed = 31;
      const spec = specOf(variant, { p, q, k }, 1, false);
      const params = initSequenceNetParams(spec, gateBias === undefined ? { seed } : { seed, gateBias });
      const sizes = { inputSize: p, hiddenSize: q, outputSize: k, seed };
      const what = `${variant.label}${gateBias === undefined ? "" : ` gateBias ${gateBias}`}`;
      const plainParams =
        variant.cell === "rnn"
          ? initRnnParams(sizes)
          : variant.cell === "lstm"
            ? initLstmParams(gateBias === undefined ? sizes : { ...sizes, forgetBias: gateBias })
            : initGruParams(gateBias === undefined ? sizes : { ...sizes, updateBias: gateBias });
      const { V, c, ...cellOnly } = plainParams;
      assert.equal(params.cells.length, 1, `${what}: one layer`);
      assert.equal(params.cells[0]!.length, 1, `${what}: one direction`);
      assert.equal(params.cells[0]![0]!.kind, variant.cell, `${what}: cell kind`);
      assert.deepStrictEqual(params.cells[0]![0]!.params, cellOnly, `${what}: cell weights = plain initialiser's`);
      assert.deepStrictEqual(params.V, V, `${what}: V = plain initialiser's`);
      assert.deepStrictEqual(params.c, c, `${what}: c = plain initialiser's`);

      const net = createTfSequenceNet(params, "multiclass");
      const ours = tf.tidy(() => {
        const s = sequenceNetUnrollTimeMajor(net, x);
        const bm = (t: tf.Tensor3D) => tf.transpose(t, [1, 0, 2]) as tf.Tensor3D;
        return { states: Object.fromEntries(Object.entries(s.layers[0]![0]!).map(([key, v]) => [key, bm(v)])), o: bm(s.o) };
      });
      const oursYhat = tfSequenceNetPredict(net, x);
      const oursLoss = tfSequenceNetLoss(net, x, y);
      let theirs: Record<string, tf.Tensor3D>;
      let theirLoss: tf.Scalar;
      let dispose: () => void;
      if (variant.cell === "rnn") {
        const m = createTfRnn(plainParams as ReturnType<typeof initRnnParams>, "multiclass");
        theirs = { ...tfRnnForward(m, x) };
        theirLoss = tfRnnLoss(m, x, y);
        dispose = () => m.dispose();
      } else if (variant.cell === "lstm") {
        const m = createTfLstm(plainParams as ReturnType<typeof initLstmParams>, "multiclass");
        theirs = { ...tfLstmForward(m, x) };
        theirLoss = tfLstmLoss(m, x, y);
        dispose = () => m.dispose();
      } else {
        const m = createTfGru(plainParams as ReturnType<typeof initGruParams>, "multiclass", variant.reset);
        theirs = { ...tfGruForward(m, x) };
        theirLoss = tfGruLoss(m, x, y);
        dispose = () => m.dispose();
      }
      for (const key of STATE_KEYS[variant.cell]) {
        const diff = maxDiff(await ours.states[key]!.array(), await theirs[key]!.array());
        assert.ok(diff <= 1e-6, `${what} ${key}: max |net − plain| = ${diff}`);
      }
      const dO = maxDiff(await ours.o.array(), await theirs.o!.array());
      const dY = maxDiff(await oursYhat.array(), await theirs.yhat!.array());
      const dL = Math.abs((await oursLoss.data())[0]! - (await theirLoss.data())[0]!);
      assert.ok(dO <= 1e-6, `${what} o: max |net − plain| = ${dO}`);
      assert.ok(dY <= 1e-6, `${what} ŷ: max |net − plain| = ${dY}`);
      assert.ok(dL <= 1e-6, `${what} loss: |net − plain| = ${dL}`);
      tf.dispose([ours.o, ...Object.values(ours.states), oursYhat, oursLoss, theirLoss, ...Object.values(theirs)]);
      dispose();
      net.dispose();
    }
  }
  tf.dispose([x, y]);
});

test("deeper nets seed cell i = ℓ·d + direction with seed + 7919·i and get a k×d·q read-out with c = 0", () => {
  const [p, q, k, seed] = [3, 4, 2, 9];
  const spec: SequenceNetSpec = { cell: "lstm", inputSize: p, hiddenSize: q, outputSize: k, layers: 2, bidirectional: true };
  const params = initSequenceNetParams(spec, { seed });
  for (const [l, dir] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) {
    const i = 2 * l + dir;
    const { V: _V, c: _c, ...cell } = initLstmParams({ inputSize: layerInputSize(spec, l), hiddenSize: q, outputSize: k, seed: seed + 7919 * i, forgetBias: 1 });
    void _V;
    void _c;
    assert.deepStrictEqual(params.cells[l]![dir]!.params, cell, `cell (layer ${l + 1}, direction ${dir}) = initLstmParams(seed + 7919·${i})`);
  }
  assert.equal(params.V.length, k, `V rows ${params.V.length}, expected k = ${k}`);
  assert.ok(params.V.every((r) => r.length === 2 * q), `V columns must be d·q = ${2 * q}, got ${params.V.map((r) => r.length).join(",")}`);
  assert.deepStrictEqual(params.c, [0, 0], "c = 0");
  assert.notDeepStrictEqual(initSequenceNetParams(spec, { seed: seed + 1 }).cells[1]![1], params.cells[1]![1], "another seed gives other weights");
});

// ---------------------------------------------------------------------------------------
// 3. Independent check against tfjs-layers

/** Our batched last-layer [→h; ←h] (or →h), batch-major, and every layer's as well. */
async function ourLayerOutputs(net: TfSequenceNet, xs: number[][][]): Promise<number[][][][]> {
  const read = await readBatched(net, xs);
  return read.layers.map((row) => {
    const parts = row.map((s) => toBatchMajor(s.h!.data));
    return parts[0]!.map((seq, n) => seq.map((_, t) => parts.flatMap((part) => part[n]![t]!)));
  });
}

/**
 * Runs a stack of freshly built tfjs-layers layers on x, each loaded with our cells' weights
 * packed in tfjs-layers' gate order, and returns every layer's output. `check` sees each
 * built layer first (its weight shapes, names and count).
 */
async function tfLayersStackOutputs(
  x: tf.Tensor3D,
  params: SequenceNetParams,
  makeLayer: () => tf.layers.Layer,
  pack: (cell: SequenceNetParams["cells"][number][number]) => { Wx: number[][]; Wh: number[][]; b: number[] },
  check: (layer: tf.layers.Layer, l: number) => void,
): Promise<number[][][][]> {
  const theirs: number[][][][] = [];
  let input: tf.Tensor = x;
  for (let l = 0; l < params.spec.layers; l++) {
    const layer = params.spec.bidirectional ? tf.layers.bidirectional({ layer: makeLayer() as tf.RNN, mergeMode: "concat" }) : makeLayer();
    layer.apply(input); // builds the weights
    check(layer, l);
    const weights = params.cells[l]!.flatMap((cell) => {
      const packed = pack(cell);
      return [tf.tensor2d(packed.Wx), tf.tensor2d(packed.Wh), tf.tensor1d(packed.b)];
    });
    layer.setWeights(weights);
    tf.dispose(weights);
    const out = layer.apply(input) as tf.Tensor;
    theirs.push((await out.array()) as number[][][]);
    if (input !== x) input.dispose();
    input = out;
    layer.dispose();
  }
  if (input !== x) input.dispose();
  return theirs;
}

test("LSTM: tf.layers bidirectional (concat) and stacked LSTMs with our weights agree with our hidden states below 1e-5", async () => {
  const [p, q, k, batch, T] = [3, 4, 2, 3, 7];
  const xs = randomInputs(batch, T, p, 61);
  const x = tf.tensor3d(xs);
  const lstmLayer = () => tf.layers.lstm({ units: q, recurrentActivation: "sigmoid", returnSequences: true, kernelInitializer: "zeros", recurrentInitializer: "zeros", unitForgetBias: false });
  for (const [layers, bidirectional] of [[1, true], [2, false], [2, true]] as const) {
    const spec: SequenceNetSpec = { cell: "lstm", inputSize: p, hiddenSize: q, outputSize: k, layers, bidirectional };
    const params = randomParams(spec, 60 + layers + (bidirectional ? 5 : 0));
    const theirs = await tfLayersStackOutputs(
      x,
      params,
      lstmLayer,
      (cell) => {
        assert.equal(cell.kind, "lstm");
        return packGates(cell.params as Record<"F" | "I" | "O" | "C", { W: number[][]; U: number[][]; b: number[] }>, ["I", "F", "C", "O"]);
      },
      (layer, l) => {
        const shapes = layer.getWeights().map((w) => w.shape);
        const m = layerInputSize(spec, l);
        const one = [[m, 4 * q], [q, 4 * q], [4 * q]];
        assert.deepEqual(shapes, bidirectional ? [...one, ...one] : one, `layer ${l + 1}: tfjs-layers weight shapes ${JSON.stringify(shapes)}`);
        if (bidirectional) {
          // Shapes cannot tell the halves apart; the names do: forward first, then backward.
          const names = layer.weights.map((w) => w.name);
          assert.ok(names.slice(0, 3).every((n) => n.includes("forward")) && names.slice(3).every((n) => n.includes("backward")), `Bidirectional weight order: ${names.join(", ")}`);
        }
        assert.equal(layer.countParams(), (bidirectional ? 2 : 1) * cellParamCount("lstm", m, q), `layer ${l + 1}: tfjs-layers countParams ${layer.countParams()}`);
      },
    );
    const net = createTfSequenceNet(params, "real");
    const ours = await ourLayerOutputs(net, xs);
    net.dispose();
    for (let l = 0; l < layers; l++) {
      const diff = maxDiff(ours[l], theirs[l]);
      console.log(`LSTM D=${layers} ${bidirectional ? "bi" : "uni"} layer ${l + 1} vs tf.layers: max |Δh| = ${diff.toExponential(2)}`);
      assert.ok(diff < 1e-5, `LSTM D=${layers} ${bidirectional ? "bidirectional" : "one direction"} layer ${l + 1}: max |ours − tf.layers| = ${diff}`);
    }
  }
  x.dispose();
});

test("GRU: a 2-layer stack (and a 2-layer bidirectional stack) of tf.layers.gru matches our reset-before net below 1e-5", async () => {
  const [p, q, k, batch, T] = [3, 4, 2, 3, 7];
  const xs = randomInputs(batch, T, p, 71);
  const x = tf.tensor3d(xs);
  const gruLayer = () => tf.layers.gru({ units: q, recurrentActivation: "sigmoid", returnSequences: true, kernelInitializer: "zeros", recurrentInitializer: "zeros" });
  for (const bidirectional of [false, true]) {
    const spec: SequenceNetSpec = { cell: "gru", inputSize: p, hiddenSize: q, outputSize: k, layers: 2, bidirectional, reset: "before" };
    const params = randomParams(spec, bidirectional ? 72 : 73);
    const theirs = await tfLayersStackOutputs(
      x,
      params,
      gruLayer,
      (cell) => {
        assert.equal(cell.kind, "gru");
        return packGates(cell.params as Record<"Z" | "R" | "H", { W: number[][]; U: number[][]; b: number[] }>, ["Z", "R", "H"]); // tfjs-layers order z, r, h
      },
      (layer, l) => {
        const m = layerInputSize(spec, l);
        const one = [[m, 3 * q], [q, 3 * q], [3 * q]];
        assert.deepEqual(layer.getWeights().map((w) => w.shape), bidirectional ? [...one, ...one] : one, `GRU layer ${l + 1}: tfjs-layers weight shapes`);
        assert.equal(layer.countParams(), (bidirectional ? 2 : 1) * cellParamCount("gru", m, q, "before"), `GRU layer ${l + 1}: countParams ${layer.countParams()}`);
      },
    );
    const net = createTfSequenceNet(params, "real");
    const ours = await ourLayerOutputs(net, xs);
    net.dispose();
    for (let l = 0; l < 2; l++) {
      const diff = maxDiff(ours[l], theirs[l]);
      console.log(`GRU D=2 ${bidirectional ? "bi" : "uni"} layer ${l + 1} vs tf.layers.gru: max |Δh| = ${diff.toExponential(2)}`);
      assert.ok(diff < 1e-5, `GRU ${bidirectional ? "bidirectional" : "one direction"} layer ${l + 1}: max |ours − tf.layers.gru| = ${diff}`);
    }
    // The comparison can tell the placements apart: reset "after" on the same weights differs.
    const afterNet = createTfSequenceNet({ ...params, spec: { ...spec, reset: "after" } }, "real");
    const after = await ourLayerOutputs(afterNet, xs);
    afterNet.dispose();
    const gap = maxDiff(after[1], theirs[1]);
    assert.ok(gap > 1e-3, `reset "after" should differ from tf.layers.gru, gap ${gap}`);
  }
  x.dispose();
});

// ---------------------------------------------------------------------------------------
// 4. Gradients against central differences of the float64 loss

interface Leaf {
  path: string;
  get(): number;
  set(v: number): void;
}

/** Every weight of params (cells, V, c) as a settable leaf, in a fixed traversal order. */
function leavesOf(x: unknown, path = "", out: Leaf[] = []): Leaf[] {
  if (Array.isArray(x)) {
    x.forEach((v, i) => {
      if (typeof v === "number") out.push({ path: `${path}[${i}]`, get: () => x[i] as number, set: (nv) => void (x[i] = nv) });
      else leavesOf(v, `${path}[${i}]`, out);
    });
  } else if (x !== null && typeof x === "object") {
    const obj = x as Record<string, unknown>;
    for (const [key, v] of Object.entries(obj)) {
      if (key === "spec" || key === "kind") continue;
      if (typeof v === "number") out.push({ path: `${path}.${key}`, get: () => obj[key] as number, set: (nv) => void (obj[key] = nv) });
      else leavesOf(v, `${path}.${key}`, out);
    }
  }
  return out;
}

/** Mean over the batch of rnnLoss(...).mean (itself a mean over time), in float64. */
function float64Loss(params: SequenceNetParams, xs: number[][][], targets: number[][]): number {
  return xs.reduce((s, seq, n) => s + rnnLoss("multiclass", sequenceNetForward(params, seq).o, targets[n]!).mean, 0) / xs.length;
}

for (const variant of VARIANTS) {
  test(`${variant.label}, 2 layers, bidirectional: autodiff of tfSequenceNetLoss matches float64 central differences on a sample of every variable`, async () => {
    const [p, q, k, batch, T] = [2, 3, 3, 2, 5];
    const spec = specOf(variant, { p, q, k }, 2, true);
    const params = randomParams(spec, 400 + VARIANTS.indexOf(variant), 0.4);
    const xs = randomInputs(batch, T, p, 401);
    const rng = createRng(402);
    const targets = xs.map((seq) => seq.map(() => rng.int(k)));

    // Which float64 weight sits in which element of which variable: load every weight as its
    // own label (1..N, exact in float32) and read the variables back.
    const leaves = leavesOf(params);
    const labelled = structuredClone(params);
    const labelLeaves = leavesOf(labelled);
    assert.equal(labelLeaves.length, leaves.length, "same traversal for the labelled copy");
    labelLeaves.forEach((leaf, i) => leaf.set(i + 1));
    const labelNet = createTfSequenceNet(labelled, "multiclass");
    const labels = await Promise.all(labelNet.named.map(async (n) => Array.from(await n.variable.data())));
    labelNet.dispose();
    const seen = new Set<number>();
    for (const [v, ids] of labels.entries()) {
      for (const id of ids) {
        assert.ok(Number.isInteger(id) && id >= 1 && id <= leaves.length && !seen.has(id), `variable ${labelNet.named[v]!.name}: label ${id} is not a fresh weight index`);
        seen.add(id);
      }
    }
    const unused = leaves.filter((_, i) => !seen.has(i + 1)).map((l) => l.path);
    assert.ok(unused.every((path) => path.includes("bHR")) && (variant.reset === "before" ? unused.length === 2 * 2 * q : unused.length === 0), `weights in no variable: ${unused.join(", ") || "none"}`);

    // Autodiff (float32).
    const net = createTfSequenceNet(params, "multiclass");
    const x = tf.tensor3d(xs);
    const y = tf.tensor2d(targets, undefined, "int32");
    const { value, grads } = tf.variableGrads(() => tfSequenceNetLoss(net, x, y), net.variables);
    const gradData = await Promise.all(
      net.named.map(async (n) => {
        const g = grads[n.variable.name];
        assert.ok(g, `no gradient for ${n.name}`);
        assert.deepEqual(g.shape, n.variable.shape, `gradient shape of ${n.name}`);
        return Array.from(await g.data());
      }),
    );
    const tfLoss = (await value.data())[0]!;

    // tfHeadLoss's mean over batch and time = the batch mean of rnnLoss's time means = Σ ℓ / (batch·T).
    const lossRef = float64Loss(params, xs, targets);
    let sum = 0;
    xs.forEach((seq, n) => sequenceNetForward(params, seq).o.forEach((o, t) => (sum += stepLoss("multiclass", o, targets[n]![t]!))));
    assert.ok(Math.abs(sum / (batch * T) - lossRef) < 1e-12, `Σℓ/(batch·T) = ${sum / (batch * T)} vs batch mean of rnnLoss means ${lossRef}`);
    assert.ok(Math.abs(tfLoss - lossRef) < 1e-5, `loss: tf ${tfLoss} vs float64 ${lossRef}, |Δ| = ${Math.abs(tfLoss - lossRef)}`);

    // A sample: two random elements of every variable plus its largest gradient.
    const sample: { v: number; e: number }[] = [];
    gradData.forEach((g, v) => {
      const picks = new Set<number>([rng.int(g.length), rng.int(g.length)]);
      let big = 0;
      g.forEach((val, e) => {
        if (Math.abs(val) > Math.abs(g[big]!)) big = e;
      });
      picks.add(big);
      for (const e of picks) sample.push({ v, e });
    });
    assert.ok(sample.length >= 20, `sample has ${sample.length} parameters`);
    const eps = 1e-6;
    const autos: number[] = [];
    const fds: number[] = [];
    let worst = 0;
    let worstWhere = "";
    for (const { v, e } of sample) {
      const leaf = leaves[labels[v]![e]! - 1]!;
      const orig = leaf.get();
      leaf.set(orig + eps);
      const plus = float64Loss(params, xs, targets);
      leaf.set(orig - eps);
      const minus = float64Loss(params, xs, targets);
      leaf.set(orig);
      const fd = (plus - minus) / (2 * eps);
      const g = gradData[v]![e]!;
      autos.push(g);
      fds.push(fd);
      const err = Math.abs(g - fd) / Math.max(1, Math.abs(fd));
      if (err > worst) [worst, worstWhere] = [err, `${net.named[v]!.name}[${e}] (${leaf.path}): autodiff ${g}, FD ${fd}`];
      assert.ok(Math.abs(g - fd) <= 1e-3 * Math.max(1, Math.abs(fd)), `${net.named[v]!.name}[${e}] = ${leaf.path}: autodiff ${g} vs FD ${fd}, |Δ| = ${Math.abs(g - fd)}`);
    }
    // Nontrivial: the backward direction, layer 2 and the read-out all carry real gradient.
    for (const part of ["layer 1 backward", "layer 2 forward", "layer 2 backward", "V", "c"]) {
      const m = Math.max(...sample.map(({ v }, i) => (net.named[v]!.name.startsWith(part) ? Math.abs(fds[i]!) : 0)));
      assert.ok(m > 1e-4, `largest sampled |∂L/∂θ| in "${part}" is ${m}: too small to test anything`);
    }
    let num = 0;
    let den = 0;
    autos.forEach((g, i) => {
      num += (g - fds[i]!) ** 2;
      den += g * g + fds[i]! ** 2;
    });
    const rel = Math.sqrt(num / den);
    console.log(`${variant.label} 2-layer bi gradient: ${sample.length} of ${leaves.length} weights sampled, relative error ${rel.toExponential(2)}, worst ${worst.toExponential(2)} at ${worstWhere}`);
    assert.ok(rel < 1e-4, `relative error of the sampled gradient vector ${rel}`);
    tf.dispose([x, y, value, ...Object.values(grads)]);
    net.dispose();
  });
}

// ---------------------------------------------------------------------------------------
// 5. Parameter counts

test("sequenceNetParamCount = live variable sizes = the hand formulas (and hand-worked numbers)", () => {
  const formula = (s: SequenceNetSpec) => {
    const d = s.bidirectional ? 2 : 1;
    const g = { rnn: 1, lstm: 4, gru: 3 }[s.cell];
    const extra = s.cell === "gru" && s.reset === "after" ? d * s.hiddenSize : 0;
    const q = s.hiddenSize;
    let total = d * g * q * (s.inputSize + q + 1) + extra;
    for (let l = 1; l < s.layers; l++) total += d * g * q * (d * q + q + 1) + extra;
    return total + s.outputSize * d * q + s.outputSize;
  };
  const specs: SequenceNetSpec[] = [];
  for (const variant of VARIANTS) {
    for (const [layers, bidirectional] of [[1, false], [2, false], [1, true], [3, true], [2, true]] as const) {
      specs.push(specOf(variant, { p: 5, q: 16, k: 5 }, layers, bidirectional));
      specs.push(specOf(variant, { p: 2, q: 3, k: 4 }, layers, bidirectional));
    }
  }
  for (const spec of specs) {
    const where = `${spec.cell}${spec.reset ? ` ${spec.reset}` : ""} p=${spec.inputSize} q=${spec.hiddenSize} k=${spec.outputSize} D=${spec.layers} ${spec.bidirectional ? "bi" : "uni"}`;
    const params = initSequenceNetParams(spec, { seed: 1 });
    const net = createTfSequenceNet(params, "real");
    const live = net.variables.reduce((s, v) => s + v.size, 0);
    const count = sequenceNetParamCount(spec);
    assert.equal(count, live, `${where}: sequenceNetParamCount ${count} vs live variables ${live}`);
    assert.equal(net.paramCount, live, `${where}: net.paramCount ${net.paramCount} vs live ${live}`);
    assert.equal(count, formula(spec), `${where}: sequenceNetParamCount ${count} vs hand formula ${formula(spec)}`);
    // The float64 weights hold the same numbers, plus b_HR per cell for a reset-before GRU (unused there).
    const unusedBHR = spec.cell === "gru" && spec.reset !== "after" ? spec.layers * (spec.bidirectional ? 2 : 1) * spec.hiddenSize : 0;
    const leaves = leavesOf(params).length;
    assert.equal(leaves, count + unusedBHR, `${where}: float64 weights ${leaves} vs count ${count} + unused bHR ${unusedBHR}`);
    assert.equal(net.named.length, net.variables.length, `${where}: named and variables agree`);
    net.dispose();
  }
  const lstm2bi: SequenceNetSpec = { cell: "lstm", inputSize: 5, hiddenSize: 16, outputSize: 5, layers: 2, bidirectional: true };
  // 2·4·16·(5+16+1) = 2816, 2·4·16·(32+16+1) = 6272, 5·32 + 5 = 165.
  assert.equal(sequenceNetParamCount(lstm2bi), 9253, `2-layer bi LSTM p=5 q=16 k=5: ${sequenceNetParamCount(lstm2bi)}, by hand 2816 + 6272 + 165 = 9253`);
  // 2·3·16·22 + 32 = 2144, 2·3·16·49 + 32 = 4736, 165.
  const gruAfter: SequenceNetSpec = { ...lstm2bi, cell: "gru", reset: "after" };
  assert.equal(sequenceNetParamCount(gruAfter), 7045, `2-layer bi GRU (after): ${sequenceNetParamCount(gruAfter)}, by hand 2144 + 4736 + 165 = 7045`);
  assert.equal(sequenceNetParamCount({ ...gruAfter, reset: "before" }), 6981, `2-layer bi GRU (before): ${sequenceNetParamCount({ ...gruAfter, reset: "before" })}, by hand 2112 + 4704 + 165 = 6981`);
  // The plain RNN: q² + qp + q + kq + k = 16 + 12 + 4 + 8 + 2 = 42.
  const rnn: SequenceNetSpec = { cell: "rnn", inputSize: 3, hiddenSize: 4, outputSize: 2, layers: 1, bidirectional: false };
  assert.equal(sequenceNetParamCount(rnn), 42, `1-layer RNN p=3 q=4 k=2: ${sequenceNetParamCount(rnn)}, by hand 42`);
  // 3 stacked GRUs p=2 q=3 k=4: 54 + 63 + 63 + 16 = 196.
  assert.equal(sequenceNetParamCount({ cell: "gru", inputSize: 2, hiddenSize: 3, outputSize: 4, layers: 3, bidirectional: false }), 196, "3-layer GRU p=2 q=3 k=4, by hand 196");
  assert.equal(cellParamCount("lstm", 32, 16), 4 * 16 * 49, `cellParamCount(lstm, 32, 16) = ${cellParamCount("lstm", 32, 16)}`);
  assert.equal(cellParamCount("gru", 5, 16, "after"), 3 * 16 * 22 + 16, `cellParamCount(gru, 5, 16, after) = ${cellParamCount("gru", 5, 16, "after")}`);
  assert.equal(layerInputSize(lstm2bi, 0), 5, "layer 1 sees p");
  assert.equal(layerInputSize(lstm2bi, 1), 32, "layer 2 sees d·q");
  assert.equal(layerInputSize({ ...lstm2bi, bidirectional: false }, 1), 16, "layer 2 of a one-direction stack sees q");
});

// ---------------------------------------------------------------------------------------
// 6. Fixed gates

test("fixedGates {F: 1}: every forget gate is exactly 1 and c(t) − c(t∓1) = I ⊙ c̃ in every layer and direction", async () => {
  const [p, q, k, T] = [3, 4, 2, 7];
  const spec: SequenceNetSpec = { cell: "lstm", inputSize: p, hiddenSize: q, outputSize: k, layers: 2, bidirectional: true };
  const params = randomParams(spec, 81);
  const [seq] = randomInputs(1, T, p, 82);
  const options = { fixedGates: { F: 1 } };
  const fixed = createTfSequenceNet(params, "real", options);
  options.fixedGates.F = 0.5; // the net keeps its own copy
  assert.deepEqual(fixed.fixedGates, { F: 1 }, `net.fixedGates = ${JSON.stringify(fixed.fixedGates)}`);
  const free = createTfSequenceNet(params, "real");
  const a = await readSequenceNetStates(fixed, seq!);
  const b = await readSequenceNetStates(free, seq!);
  for (let l = 0; l < 2; l++) {
    for (let dir = 0; dir < 2; dir++) {
      const s = a.layers[l]![dir]!;
      const notOne = s.F!.flat().filter((v) => v !== 1);
      assert.equal(notOne.length, 0, `layer ${l + 1} dir ${dir}: ${notOne.length} forget-gate values ≠ 1, e.g. ${notOne[0]}`);
      let worst = 0;
      for (let t = 0; t < T; t++) {
        const prevT = dir === 0 ? t - 1 : t + 1; // the backward cell's previous step is t + 1
        const prev = prevT >= 0 && prevT < T ? s.c![prevT]! : new Array<number>(q).fill(0);
        for (let j = 0; j < q; j++) worst = Math.max(worst, Math.abs(s.c![t]![j]! - prev[j]! - s.I![t]![j]! * s.cTilde![t]![j]!));
      }
      assert.ok(worst < 1e-6, `layer ${l + 1} dir ${dir}: max |c(t) − c(prev) − I⊙c̃| = ${worst}`);
      const freeF = Math.max(...b.layers[l]![dir]!.F!.flat());
      assert.ok(freeF < 0.9999, `without fixed gates F stays below 1 (max ${freeF})`);
    }
  }
  const dy = maxDiff(a.yhat, b.yhat);
  assert.ok(dy > 1e-3, `fixing F must change the output, max |Δŷ| = ${dy}`);
  fixed.dispose();
  free.dispose();

  // {F: 1, O: 1}: h = tanh(c) exactly where computed.
  const both = createTfSequenceNet(params, "real", { fixedGates: { F: 1, O: 1 } });
  const c = await readSequenceNetStates(both, seq!);
  both.dispose();
  for (let l = 0; l < 2; l++) {
    for (let dir = 0; dir < 2; dir++) {
      const s = c.layers[l]![dir]!;
      const dO = maxDiff(s.O, s.O!.map((r) => r.map(() => 1)));
      const dH = maxDiff(s.h, s.c!.map((r) => r.map(Math.tanh)));
      assert.ok(dO === 0 && dH < 1e-6, `{F:1, O:1} layer ${l + 1} dir ${dir}: max |O − 1| = ${dO}, max |h − tanh c| = ${dH}`);
    }
  }
});

test("fixedGates on a GRU or RNN net throws a clear message and creates no variables; an empty set is fine", () => {
  for (const cell of ["gru", "rnn"] as const) {
    const spec: SequenceNetSpec = { cell, inputSize: 3, hiddenSize: 4, outputSize: 2, layers: 2, bidirectional: true, ...(cell === "gru" ? { reset: "after" as const } : {}) };
    const params = initSequenceNetParams(spec, { seed: 1 });
    const start = tf.memory().numTensors;
    assert.throws(() => createTfSequenceNet(params, "real", { fixedGates: { F: 1 } }), /Only LSTM gates can be held fixed/, `${cell}: fixedGates must be refused`);
    assert.equal(tf.memory().numTensors, start, `${cell}: a refused net leaves ${tf.memory().numTensors - start} tensors behind`);
    const net = createTfSequenceNet(params, "real", { fixedGates: {} });
    net.dispose();
    assert.equal(tf.memory().numTensors, start, `${cell}: dispose leaves ${tf.memory().numTensors - start} tensors behind`);
  }
});

// ---------------------------------------------------------------------------------------
// 7. Memory

test("no tensors leak over 30 training steps of a 2-layer bidirectional LSTM, readSequenceNetStates, predict and dispose", async () => {
  const [p, q, k, batch, T] = [3, 4, 3, 4, 6];
  const spec: SequenceNetSpec = { cell: "lstm", inputSize: p, hiddenSize: q, outputSize: k, layers: 2, bidirectional: true };
  const xs = randomInputs(batch, T, p, 91);
  const rng = createRng(92);
  const x = tf.tensor3d(xs);
  const y = tf.tensor2d(xs.map((seq) => seq.map(() => rng.int(k))), undefined, "int32");
  const start = tf.memory().numTensors;
  const net = createTfSequenceNet(randomParams(spec, 93), "multiclass");
  assert.equal(tf.memory().numTensors - start, net.variables.length, `creating the net made ${tf.memory().numTensors - start} tensors for ${net.variables.length} variables`);
  const trainer = createVariableTrainer(net.variables, { learningRate: 0.03, optimizer: "adam", clipNorm: 5 });
  const first = await trainer.step(() => tfSequenceNetLoss(net, x, y));
  const baseline = tf.memory().numTensors;
  let last = first;
  for (let i = 0; i < 30; i++) last = await trainer.step(() => tfSequenceNetLoss(net, x, y));
  assert.equal(tf.memory().numTensors, baseline, `30 steps changed the tensor count by ${tf.memory().numTensors - baseline}`);
  assert.ok(Number.isFinite(last) && last < first, `loss should fall: ${first} → ${last}`);
  const beforeRead = tf.memory().numTensors;
  await readSequenceNetStates(net, xs[0]!);
  assert.equal(tf.memory().numTensors, beforeRead, `readSequenceNetStates leaked ${tf.memory().numTensors - beforeRead} tensors`);
  await assert.rejects(readSequenceNetStates(net, xs[0]!.map((r) => [...r, 0])), Error, "wrong p must reject");
  assert.equal(tf.memory().numTensors, beforeRead, `a failed readSequenceNetStates leaked ${tf.memory().numTensors - beforeRead} tensors`);
  const pred = tfSequenceNetPredict(net, x);
  const loss = tfSequenceNetLoss(net, x, y);
  assert.equal(tf.memory().numTensors, beforeRead + 2, `predict and loss must return exactly one tensor each, count grew by ${tf.memory().numTensors - beforeRead}`);
  tf.dispose([pred, loss]);
  trainer.dispose();
  net.dispose();
  net.dispose(); // twice is harmless
  assert.equal(tf.memory().numTensors, start, `after disposing trainer and net the count is ${tf.memory().numTensors}, was ${start} before creating them`);
  tf.dispose([x, y]);
});

// ---------------------------------------------------------------------------------------
// 8. Bad input

test("bad input throws an Error that says what is wrong", async () => {
  const spec: SequenceNetSpec = { cell: "lstm", inputSize: 3, hiddenSize: 4, outputSize: 2, layers: 2, bidirectional: true };
  const params = initSequenceNetParams(spec, { seed: 3 });
  const start = tf.memory().numTensors;
  // Wrong params.cells shape.
  assert.throws(() => createTfSequenceNet({ ...params, cells: params.cells.slice(0, 1) }, "real"), /params\.cells must be 2 layers × 2 direction/, "one layer missing");
  assert.throws(() => createTfSequenceNet({ ...params, cells: [params.cells[0]!, [params.cells[1]![0]!]] }, "real"), /params\.cells must be 2 layers × 2 direction/, "one direction missing in layer 2");
  const uni = initSequenceNetParams({ ...spec, layers: 1, bidirectional: false }, { seed: 3 });
  assert.throws(() => createTfSequenceNet({ ...uni, cells: [[uni.cells[0]![0]!, uni.cells[0]![0]!]] }, "real"), /params\.cells must be 1 layers × 1 direction/, "two directions in a one-direction net");
  assert.equal(tf.memory().numTensors, start, `a refused cells shape left ${tf.memory().numTensors - start} tensors`);
  // A cell of the wrong kind, in layer 1 (before any variable is made).
  const gru = initSequenceNetParams({ ...spec, cell: "gru" }, { seed: 3 });
  assert.throws(() => createTfSequenceNet({ ...params, cells: [[gru.cells[0]![0]!, params.cells[0]![1]!], params.cells[1]!] }, "real"), /Layer 1 holds a gru cell in a lstm network/, "gru cell in layer 1");
  assert.equal(tf.memory().numTensors, start, `a refused layer-1 cell left ${tf.memory().numTensors - start} tensors`);
  // ... and in layer 2 (the first version leaked the layer-1 variables here; the count is
  // re-based after it, and the test below checks that nothing leaks).
  const mixed = { ...params, cells: [params.cells[0]!, [params.cells[1]![0]!, gru.cells[1]![1]!]] };
  assert.throws(() => createTfSequenceNet(mixed, "real"), /Layer 2 holds a gru cell in a lstm network/, "gru cell in layer 2");
  const rebased = tf.memory().numTensors;
  // A head that does not fit k.
  assert.throws(() => createTfSequenceNet(params, "binary"), /binary head needs k = 1/, "binary head with k = 2");
  // A bad spec.
  assert.throws(() => sequenceNetParamCount({ ...spec, layers: 0 }), /layers must be a positive integer, got 0/, "layers = 0");
  assert.throws(() => initSequenceNetParams({ ...spec, hiddenSize: 2.5 }, { seed: 1 }), /hiddenSize must be a positive integer, got 2.5/, "q = 2.5");
  assert.throws(() => initSequenceNetParams({ ...spec, cell: "transformer" as CellKind }, { seed: 1 }), /cell must be "rnn", "lstm" or "gru", got "transformer"/, "unknown cell");

  // xs with the wrong p.
  const net = createTfSequenceNet(params, "multiclass");
  const bad = tf.zeros([2, 5, 4]) as tf.Tensor3D;
  const y = tf.zeros([2, 5], "int32");
  const good = tf.zeros([2, 5, 3]) as tf.Tensor3D;
  const shortY = tf.zeros([2, 4], "int32");
  const afterNet = tf.memory().numTensors;
  assert.throws(() => tf.tidy(() => sequenceNetUnrollTimeMajor(net, bad).o), /xs must have shape \[batch, T, p\] with p = 3 but has shape \[2, 5, 4\]/, "unroll with p = 4");
  assert.throws(() => tfSequenceNetLoss(net, bad, y), /with p = 3 but has shape \[2, 5, 4\]/, "loss with p = 4");
  assert.throws(() => tfSequenceNetPredict(net, bad), /with p = 3 but has shape \[2, 5, 4\]/, "predict with p = 4");
  assert.throws(() => tfSequenceNetLoss(net, good, shortY), /Multiclass targets must be class indices of shape \[batch, T\] = \[2, 5\] but have shape \[2, 4\]/, "targets of the wrong T");
  assert.equal(tf.memory().numTensors, afterNet, `failed calls left ${tf.memory().numTensors - afterNet} tensors`);
  assert.throws(() => sequenceNetForward(params, [[1, 2, 3, 4]]), /xs\[0\] has 4 values but the cell expects p = 3/, "float64 forward with p = 4");
  await assert.rejects(readSequenceNetStates(net, [[1, 2, 3, 4]]), Error, "readSequenceNetStates with p = 4");
  assert.equal(tf.memory().numTensors, afterNet, `a failed readSequenceNetStates left ${tf.memory().numTensors - afterNet} tensors`);
  tf.dispose([bad, y, good, shortY]);
  net.dispose();
  assert.equal(tf.memory().numTensors, rebased, `the test left ${tf.memory().numTensors - rebased} tensors`);
});

// ---------------------------------------------------------------------------------------
// Defects the first version had (each test failed before its fix)

test("createTfSequenceNet frees the variables it already made when a later cell is refused", () => {
  const spec: SequenceNetSpec = { cell: "lstm", inputSize: 3, hiddenSize: 4, outputSize: 2, layers: 2, bidirectional: true };
  const params = initSequenceNetParams(spec, { seed: 3 });
  const gru = initSequenceNetParams({ ...spec, cell: "gru" }, { seed: 3 });
  const start = tf.memory().numTensors;
  assert.throws(() => createTfSequenceNet({ ...params, cells: [params.cells[0]!, [params.cells[1]![0]!, gru.cells[1]![1]!]] }, "real"), /Layer 2 holds a gru cell/);
  const leakKind = tf.memory().numTensors - start;
  const wrongSize = initSequenceNetParams({ ...spec, layers: 1 }, { seed: 4 }).cells[0]!; // built for p = 3, layer 2 needs d·q = 8
  const mid = tf.memory().numTensors;
  assert.throws(() => createTfSequenceNet({ ...params, cells: [params.cells[0]!, wrongSize] }, "real"));
  const leakSize = tf.memory().numTensors - mid;
  assert.equal(leakKind + leakSize, 0, `refused nets leaked ${leakKind} (wrong kind in layer 2) + ${leakSize} (wrong input size in layer 2) tensors`);
});

test("a layer-2 cell with the wrong input size is refused with a message naming the layer and d·q", () => {
  const spec: SequenceNetSpec = { cell: "lstm", inputSize: 3, hiddenSize: 4, outputSize: 2, layers: 2, bidirectional: true };
  const params = initSequenceNetParams(spec, { seed: 3 });
  const wrongSize = initSequenceNetParams({ ...spec, layers: 1 }, { seed: 4 }).cells[0]!;
  assert.throws(() => createTfSequenceNet({ ...params, cells: [params.cells[0]!, wrongSize] }, "real"), /[Ll]ayer 2.*8/, "message should name layer 2 and its 8 = d·q inputs");
});

test("readSequenceNetStates with rows of the wrong length names p in its message", async () => {
  const spec: SequenceNetSpec = { cell: "gru", inputSize: 3, hiddenSize: 4, outputSize: 2, layers: 1, bidirectional: true };
  const net = createTfSequenceNet(initSequenceNetParams(spec, { seed: 1 }), "real");
  try {
    await assert.rejects(readSequenceNetStates(net, [[1, 2, 3, 4], [5, 6, 7, 8]]), /p = 3/);
  } finally {
    net.dispose();
  }
});

test("an invalid GRU reset placement is refused when the tfjs net is made", async () => {
  const spec = { cell: "gru", inputSize: 3, hiddenSize: 4, outputSize: 2, layers: 1, bidirectional: false, reset: "sideways" } as unknown as SequenceNetSpec;
  assert.throws(() => initSequenceNetParams(spec, { seed: 1 }), /reset must be "before" or "after"/, "the initialiser refuses it");
  // Valid weights, then the spec changed under them.
  const params = { ...initSequenceNetParams({ ...spec, reset: "after" }, { seed: 1 }), spec };
  assert.throws(() => sequenceNetForward(params, [[1, 2, 3]]), /reset must be "before" or "after"/, "float64 side refuses it");
  let net: TfSequenceNet | null = null;
  try {
    assert.throws(() => (net = createTfSequenceNet(params, "real")), /reset must be "before" or "after"/, "tfjs side should refuse it the same way");
  } finally {
    (net as TfSequenceNet | null)?.dispose();
  }
});

test("the float64 forward refuses a head that does not fit k, like the tfjs net", () => {
  const spec: SequenceNetSpec = { cell: "rnn", inputSize: 3, hiddenSize: 4, outputSize: 2, layers: 1, bidirectional: false };
  const params = initSequenceNetParams(spec, { seed: 1 });
  assert.throws(() => createTfSequenceNet(params, "binary"), /binary head needs k = 1/);
  assert.throws(() => sequenceNetForward(params, [[1, 2, 3]], "binary"), /binary head needs k = 1/);
});
