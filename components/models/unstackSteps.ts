// tf.unstack along one axis, safe to differentiate when the axis has length 1.
//
// tfjs's gradient of unstack (Unpack) hands a single upstream gradient to tf.stack as a
// bare tensor rather than a one-element list when there is only one slice, and tf.stack
// throws "Argument tensors passed to stack must be a `Tensor[]`". A sequence of one step
// (T = 1) is a legitimate input, so that case is taken as a squeeze, whose gradient is a
// reshape.
import * as tf from "@unrolled/tfjs";

export function unstackSteps<R extends tf.Rank>(t: tf.Tensor, axis = 0): tf.Tensor<R>[] {
  if (t.shape[axis] === 1) return [tf.squeeze(t, [axis]) as tf.Tensor<R>];
  return tf.unstack(t, axis) as tf.Tensor<R>[];
}
