// Moving per-step tensors between the layouts the models use: time-major [T, batch, ·] inside
// the unrolled loop (slicing along the first axis is a contiguous copy), batch-major
// [batch, T, ·] for callers, and plain T×n arrays for the views.
import * as tf from "@unrolled/tfjs";

/** [T, batch, n] → [batch, T, n]. */
export const batchMajor = (t: tf.Tensor3D): tf.Tensor3D => tf.transpose(t, [1, 0, 2]) as tf.Tensor3D;

/** Every tensor of a record, time-major → batch-major (new tensors). */
export function batchMajorAll<K extends string>(steps: Record<K, tf.Tensor3D>): Record<K, tf.Tensor3D> {
  return Object.fromEntries((Object.keys(steps) as K[]).map((key) => [key, batchMajor(steps[key])])) as Record<K, tf.Tensor3D>;
}

/** The first sequence of a [batch, T, n] tensor as T rows of n numbers. */
export async function rowsOf(t: tf.Tensor3D): Promise<number[][]> {
  const [, T, n] = t.shape;
  const data = await t.data();
  return Array.from({ length: T }, (_, i) => Array.from(data.subarray(i * n, (i + 1) * n)));
}

/** Reads every tensor of a record with rowsOf, then disposes the tensors. */
export async function readRowsAndDispose<K extends string>(tensors: Record<K, tf.Tensor3D>): Promise<Record<K, number[][]>> {
  try {
    const keys = Object.keys(tensors) as K[];
    const values = await Promise.all(keys.map((key) => rowsOf(tensors[key])));
    return Object.fromEntries(keys.map((key, i) => [key, values[i]])) as Record<K, number[][]>;
  } finally {
    tf.dispose(Object.values(tensors) as tf.Tensor[]);
  }
}
