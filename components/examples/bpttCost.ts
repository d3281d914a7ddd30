// The cost of BPTT, measured live on the BPTT page: time and memory against the sequence
// length T, and the time of the same amount of arithmetic arranged as few long sequences or
// many short ones (the backward pass cannot run in parallel across time, only across the
// sequences of a batch).
import * as tf from "@unrolled/tfjs";
import { rnnBackward } from "../core/bptt.js";
import { createRng } from "../core/random.js";
import { initRnnParams, rnnForward, type RnnParams } from "../core/rnn.js";
import { createTfRnn, tfRnnLoss } from "../models/rnnTf.js";

export interface CostRow {
  T: number;
  /** Milliseconds of rnnForward + rnnBackward (float64, plain arrays): the fastest of the runs. */
  manualMs: number;
  /** Milliseconds of tf.variableGrads through the unrolled tfjs graph, loss and gradients read back: the fastest run. */
  autodiffMs: number;
  /** Numbers the float64 forward pass keeps for the backward pass: a(t), h(t), o(t), ŷ(t) for every t, and h(0). */
  storedNumbers: number;
  /** The most memory tfjs held at once during the backward pass, above what it held before (bytes). */
  peakBytes: number;
}

export interface ParallelRow {
  /** Sequences in the batch. */
  batch: number;
  T: number;
  /** Milliseconds of forward + backward for the whole batch: the fastest run. */
  ms: number;
}

function randomSequence(T: number, p: number, rng: ReturnType<typeof createRng>): { xs: number[][]; targets: number[] } {
  const xs = Array.from({ length: T }, () => {
    const j = rng.int(p);
    return Array.from({ length: p }, (_, i) => (i === j ? 1 : 0));
  });
  return { xs, targets: Array.from({ length: T }, () => rng.int(p)) };
}

// The fastest of several runs: other work on a shared machine only ever adds time.
const fastest = (xs: number[]) => Math.min(...xs);
const now = () => performance.now();
const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function timeAutodiff(params: RnnParams, xs: number[][][], targets: number[][], reps: number): Promise<{ ms: number; peakBytes: number }> {
  const model = createTfRnn(params, "multiclass");
  const x = tf.tensor3d(xs);
  const y = tf.tensor2d(targets, [targets.length, targets[0]!.length], "int32");
  // Read the results back synchronously where the backend allows it (cpu, wasm, webgl), so
  // that no other work on the page can run inside a timed interval.
  let sync = true;
  const once = async () => {
    const { value, grads } = tf.tidy(() => tf.variableGrads(() => tfRnnLoss(model, x, y), model.variables));
    try {
      if (sync) {
        try {
          [value, ...Object.values(grads)].forEach((g) => g.dataSync());
          return;
        } catch {
          sync = false;
        }
      }
      await Promise.all([value.data(), ...Object.values(grads).map((g) => g.data())]);
    } finally {
      tf.dispose([value, ...Object.values(grads)]);
    }
  };
  try {
    await once(); // warm-up: kernels compiled, buffers allocated
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      const start = now();
      await once();
      times.push(now() - start);
      await pause();
    }
    const before = tf.memory().numBytes;
    const info = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => tfRnnLoss(model, x, y), model.variables);
      tf.dispose([value, ...Object.values(grads)]);
    });
    return { ms: fastest(times), peakBytes: info.peakBytes - before };
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
}

/** Measures one CostRow per length (q hidden units, k classes = p inputs). */
export async function measureCost(lengths: number[], { hiddenSize = 8, classes = 11, reps = 3, seed = 1, onRow }: { hiddenSize?: number; classes?: number; reps?: number; seed?: number; onRow?: (row: CostRow) => void } = {}): Promise<CostRow[]> {
  const params = initRnnParams({ inputSize: classes, hiddenSize, outputSize: classes, seed });
  const rng = createRng(seed + 1);
  const rows: CostRow[] = [];
  for (const T of lengths) {
    const { xs, targets } = randomSequence(T, classes, rng);
    const manual: number[] = [];
    let stored = 0;
    for (let r = 0; r < Math.max(reps, 5); r++) {
      const start = now();
      const cache = rnnForward(params, xs, undefined, "multiclass");
      rnnBackward(params, cache, targets, "multiclass", xs);
      manual.push(now() - start);
      stored = cache.h0.length + [cache.a, cache.h, cache.o, cache.yhat].reduce((s, m) => s + m.length * m[0]!.length, 0);
    }
    await pause();
    const auto = await timeAutodiff(params, [xs], [targets], reps);
    const row = { T, manualMs: fastest(manual), autodiffMs: auto.ms, storedNumbers: stored, peakBytes: auto.peakBytes };
    rows.push(row);
    onRow?.(row);
    await pause();
  }
  return rows;
}

/** The same B·T = total steps of work as batches of B sequences of length T: forward + backward time for each. */
export async function measureParallel(total: number, lengths: number[], { hiddenSize = 8, classes = 11, reps = 3, seed = 1, onRow }: { hiddenSize?: number; classes?: number; reps?: number; seed?: number; onRow?: (row: ParallelRow) => void } = {}): Promise<ParallelRow[]> {
  const params = initRnnParams({ inputSize: classes, hiddenSize, outputSize: classes, seed });
  const rng = createRng(seed + 2);
  const rows: ParallelRow[] = [];
  for (const T of lengths) {
    const batch = Math.max(1, Math.round(total / T));
    const seqs = Array.from({ length: batch }, () => randomSequence(T, classes, rng));
    const { ms } = await timeAutodiff(params, seqs.map((s) => s.xs), seqs.map((s) => s.targets), reps);
    const row = { batch, T, ms };
    rows.push(row);
    onRow?.(row);
    await pause();
  }
  return rows;
}
