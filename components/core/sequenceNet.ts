// Deep (stacked) and bidirectional recurrent networks in float64, built from the single
// cells of rnn.ts, lstm.ts and gru.ts: the reference the tfjs version is checked against.
//
// Layer ℓ = 1..D runs one cell forward in time and, when bidirectional, a second cell
// backward in time (on the reversed sequence, its states reversed back):
//   →h_ℓ(t) = cell(→h_ℓ(t−1), z_{ℓ−1}(t)),   ←h_ℓ(t) = cell(←h_ℓ(t+1), z_{ℓ−1}(t)),
//   z_0(t) = x(t),   z_ℓ(t) = [→h_ℓ(t); ←h_ℓ(t)]  (or →h_ℓ(t) alone),
//   o(t) = V z_D(t) + c,   ŷ(t) = head(o(t)).
// So layer 1 sees p inputs and every later layer sees d·q, with d = 2 directions or 1.

import { applyHead, checkHead, initRnnParams, rnnForward, type Head, type RnnParams } from "./rnn.js";
import { gateSizes, glorot, initLstmParams, lstmForward, type GateParams, type LstmParams } from "./lstm.js";
import { gruCellParamCount, gruForward, initGruParams, type GruParams, type ResetPlacement } from "./gru.js";
import { createRng } from "./random.js";

export type CellKind = "rnn" | "lstm" | "gru";
export const CELL_KINDS: readonly CellKind[] = ["rnn", "lstm", "gru"];
export type Direction = "forward" | "backward";

export interface SequenceNetSpec {
  cell: CellKind;
  /** p */
  inputSize: number;
  /** q, units per layer and direction. */
  hiddenSize: number;
  /** k */
  outputSize: number;
  /** D ≥ 1 stacked layers. */
  layers: number;
  bidirectional: boolean;
  /** GRU only. */
  reset?: ResetPlacement;
}

/** One cell's weights without a read-out. */
export type CellParams =
  | { kind: "rnn"; params: Omit<RnnParams, "V" | "c"> }
  | { kind: "lstm"; params: Omit<LstmParams, "V" | "c"> }
  | { kind: "gru"; params: Omit<GruParams, "V" | "c"> };

export interface SequenceNetParams {
  spec: SequenceNetSpec;
  /** cells[ℓ][d]: layer ℓ (0-based), direction d (0 forward, 1 backward). */
  cells: CellParams[][];
  /** Read-out k × d·q. */
  V: number[][];
  c: number[];
}

export function directionsOf(spec: SequenceNetSpec): Direction[] {
  return spec.bidirectional ? ["forward", "backward"] : ["forward"];
}

/** Inputs to layer ℓ (0-based): p for the first, d·q after it. */
export function layerInputSize(spec: SequenceNetSpec, layer: number): number {
  return layer === 0 ? spec.inputSize : directionsOf(spec).length * spec.hiddenSize;
}

/** Maps per cell: 1 (RNN), 4 (LSTM: F, I, O, C̃), 3 (GRU: Z, R, H̃). */
export const MAPS_PER_CELL: Record<CellKind, number> = { rnn: 1, lstm: 4, gru: 3 };

/** g·q(m + q + 1) for a cell with m inputs (+ q for the GRU's b_HR when reset is "after"). */
export function cellParamCount(cell: CellKind, m: number, q: number, reset: ResetPlacement = "before"): number {
  return cell === "gru" ? gruCellParamCount(m, q, reset) : MAPS_PER_CELL[cell] * q * (m + q + 1);
}

/** Every cell of every layer and direction, plus the read-out k·d·q + k. */
export function sequenceNetParamCount(spec: SequenceNetSpec): number {
  checkSpec(spec);
  const d = directionsOf(spec).length;
  let total = spec.outputSize * d * spec.hiddenSize + spec.outputSize;
  for (let layer = 0; layer < spec.layers; layer++) total += d * cellParamCount(spec.cell, layerInputSize(spec, layer), spec.hiddenSize, spec.reset);
  return total;
}

export function checkSpec(spec: SequenceNetSpec): void {
  if (!["rnn", "lstm", "gru"].includes(spec.cell)) throw new Error(`cell must be "rnn", "lstm" or "gru", got "${String(spec.cell)}".`);
  for (const [name, n] of [["inputSize", spec.inputSize], ["hiddenSize", spec.hiddenSize], ["outputSize", spec.outputSize], ["layers", spec.layers]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${n}.`);
  }
  if (spec.reset !== undefined && spec.reset !== "before" && spec.reset !== "after") throw new Error(`reset must be "before" or "after", got "${String(spec.reset)}".`);
}

/** The gates of one cell, whatever its kind (the RNN's single map as one gate). */
function cellGates(cell: CellParams): [string, GateParams][] {
  if (cell.kind === "rnn") return [["RNN", cell.params]];
  if (cell.kind === "lstm") return (["F", "I", "O", "C"] as const).map((g) => [g, cell.params[g]]);
  return (["Z", "R", "H"] as const).map((g) => [g, cell.params[g]]);
}

/** Checks that every cell has the spec's kind and sizes (q units; p inputs in layer 1, d·q after) and the read-out is k × d·q. */
export function checkSequenceNetParams(net: SequenceNetParams): void {
  const { spec } = net;
  checkSpec(spec);
  const directions = directionsOf(spec);
  if (net.cells.length !== spec.layers || net.cells.some((row) => row.length !== directions.length)) {
    throw new Error(`params.cells must be ${spec.layers} layers × ${directions.length} direction(s).`);
  }
  net.cells.forEach((row, layer) =>
    row.forEach((cell, d) => {
      const where = `Layer ${layer + 1}${spec.bidirectional ? ` (${directions[d]})` : ""}`;
      if (cell.kind !== spec.cell) throw new Error(`Layer ${layer + 1} holds a ${cell.kind} cell in a ${spec.cell} network${spec.bidirectional ? ` (${directions[d]} direction)` : ""}.`);
      const m = layerInputSize(spec, layer);
      for (const [name, gate] of cellGates(cell)) {
        const { p, q } = gateSizes(gate, name);
        if (p !== m || q !== spec.hiddenSize) throw new Error(`${where}: gate ${name} is for ${p} inputs and ${q} units, but this layer reads ${m} inputs${layer > 0 ? ` (d·q = ${m})` : ""} with q = ${spec.hiddenSize} units.`);
      }
      if (cell.kind === "gru" && cell.params.bHR.length !== spec.hiddenSize) throw new Error(`${where}: bHR must have q = ${spec.hiddenSize} values.`);
    }),
  );
  const width = directions.length * spec.hiddenSize;
  if (net.c.length !== spec.outputSize || net.V.length !== spec.outputSize || net.V.some((r) => r.length !== width)) {
    throw new Error(`The read-out must be V: k × d·q = ${spec.outputSize} × ${width} and c: ${spec.outputSize} values.`);
  }
}

export interface InitSequenceNetOptions {
  seed: number;
  /** LSTM: initial b_F (default 1). GRU: initial b_Z (default 0). */
  gateBias?: number;
}

/**
 * Seeded start. Cell i = ℓ·d + direction gets the single-cell initialiser of its kind with
 * seed + 7919·i. The first cell uses `seed` itself, so a one-layer, one-direction net has
 * exactly the weights (read-out included) of the plain RNN, LSTM or GRU with that seed.
 */
export function initSequenceNetParams(spec: SequenceNetSpec, options: InitSequenceNetOptions): SequenceNetParams {
  checkSpec(spec);
  const directions = directionsOf(spec);
  const q = spec.hiddenSize;
  const k = spec.outputSize;
  let firstReadout: { V: number[][]; c: number[] } | null = null;
  const cells: CellParams[][] = [];
  for (let layer = 0; layer < spec.layers; layer++) {
    const row: CellParams[] = [];
    for (let d = 0; d < directions.length; d++) {
      const index = layer * directions.length + d;
      const sizes = { inputSize: layerInputSize(spec, layer), hiddenSize: q, outputSize: k, seed: options.seed + 7919 * index };
      const full =
        spec.cell === "rnn"
          ? initRnnParams(sizes)
          : spec.cell === "lstm"
            ? initLstmParams({ ...sizes, forgetBias: options.gateBias ?? 1 })
            : initGruParams({ ...sizes, updateBias: options.gateBias ?? 0 });
      if (index === 0) firstReadout = { V: full.V, c: full.c };
      const { V: _V, c: _c, ...cell } = full;
      void _V;
      void _c;
      row.push({ kind: spec.cell, params: cell } as CellParams);
    }
    cells.push(row);
  }
  const plain = spec.layers === 1 && !spec.bidirectional;
  const V = plain ? firstReadout!.V : glorot(k, directions.length * q, createRng(options.seed + 104729));
  return { spec: { ...spec }, cells, V, c: plain ? firstReadout!.c : new Array<number>(k).fill(0) };
}

/** The states one cell produces: h for the RNN (and a), every gate and state for LSTM and GRU. */
export type CellStates = Record<string, number[][]>;

/** Runs one cell over xs (T×m) and returns its states, T×q each. */
export function cellForward(cell: CellParams, xs: number[][], reset: ResetPlacement = "before"): CellStates {
  const q = cell.kind === "rnn" ? cell.params.b.length : cell.kind === "lstm" ? cell.params.F.b.length : cell.params.Z.b.length;
  // The single-cell forwards also compute a read-out; give them a zero one and drop it.
  const readout = { V: [new Array<number>(q).fill(0)], c: [0] };
  if (cell.kind === "rnn") {
    const { a, h } = rnnForward({ ...cell.params, ...readout }, xs);
    return { a, h };
  }
  if (cell.kind === "lstm") {
    const { F, I, O, cTilde, c, h } = lstmForward({ ...cell.params, ...readout }, xs);
    return { F, I, O, cTilde, c, h };
  }
  const { Z, R, hTilde, h } = gruForward({ ...cell.params, ...readout }, xs, { reset });
  return { Z, R, hTilde, h };
}

export interface SequenceNetForward {
  /** layers[ℓ][d]: every state of that cell, T×q each, indexed by time t (backward cells too). */
  layers: CellStates[][];
  /** o(1..T), T×k. */
  o: number[][];
  yhat: number[][];
}

/** The whole network on one sequence xs (T×p). */
export function sequenceNetForward(net: SequenceNetParams, xs: number[][], head: Head = "real"): SequenceNetForward {
  const { spec } = net;
  checkSequenceNetParams(net);
  checkHead(head, spec.outputSize);
  const layers: CellStates[][] = [];
  let input = xs;
  for (const row of net.cells) {
    const states = row.map((cell, d) => {
      if (d === 0) return cellForward(cell, input, spec.reset);
      // Backward in time: run on the reversed sequence, then put the states back in time order.
      const reversed = cellForward(cell, input.slice().reverse(), spec.reset);
      return Object.fromEntries(Object.entries(reversed).map(([key, rows]) => [key, rows.slice().reverse()]));
    });
    layers.push(states);
    input = input.map((_, t) => states.flatMap((s) => s.h![t]!));
  }
  const o = input.map((z) => net.c.map((ci, i) => net.V[i]!.reduce((s, v, j) => s + v * z[j]!, ci)));
  return { layers, o, yhat: o.map((row) => applyHead(head, row)) };
}
