// Gradient clipping by global norm on tfjs tensors (the float64 version is
// components/core/clip.ts):  ‖g‖ = √(Σ_i Σ g_i²),  g_i ← g_i · min(1, maxNorm / ‖g‖).

import * as tf from "@unrolled/tfjs";

export interface TfClipResult {
  /** g_i · scale, new tensors (the caller disposes them). */
  clipped: tf.Tensor[];
  /** ‖g‖ before clipping, a scalar tensor (the caller disposes it). */
  norm: tf.Scalar;
  /** min(1, maxNorm / ‖g‖) = maxNorm / max(‖g‖, maxNorm), a scalar tensor (the caller disposes it). */
  scale: tf.Scalar;
}

/**
 * Scales every gradient tensor by s = maxNorm / max(‖g‖, maxNorm) = min(1, maxNorm/‖g‖),
 * ‖g‖ the global norm over all of them. Stays on the device (no read-back); the inputs
 * are not disposed.
 */
export function clipByGlobalNormTf(grads: tf.Tensor[], maxNorm: number): TfClipResult {
  if (!(maxNorm > 0)) throw new Error(`maxNorm must be a positive number, got ${maxNorm}.`);
  if (grads.length === 0) throw new Error("clipByGlobalNormTf needs at least one gradient tensor.");
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
    const scale = tf.div(maxNorm, tf.maximum(norm, maxNorm)) as tf.Scalar;
    return { clipped: grads.map((g) => tf.mul(g, scale)), norm, scale };
  });
}
