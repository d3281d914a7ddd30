// The output-to-hidden RNN of components/models/teacherForcing.ts: its forward passes against
// a float64 loop, the decoupling of the teacher-forced loss across steps, training, and
// tensor hygiene.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as tf from "@unrolled/tfjs";
import {
  circleSequences,
  createOutputRnn,
  createOutputRnnTrainer,
  freeRunning,
  freeRunningLoss,
  initOutputRnnParams,
  teacherForcedLoss,
  teacherForcedPredictions,
  type OutputRnnParams,
} from "../../components/models/teacherForcing.js";
import { teacherTask } from "../../components/examples/bpttTeacher.js";

before(async () => {
  await tf.setBackend("cpu");
});

/** ŷ = V tanh(R y + b) + c in float64. */
function step64(p: OutputRnnParams, y: number[]): number[] {
  const h = p.R.map((row, i) => Math.tanh(row.reduce((s, r, j) => s + r * y[j]!, p.b[i]!)));
  return p.V.map((row, j) => row.reduce((s, v, i) => s + v * h[i]!, p.c[j]!));
}

const close = (a: number, b: number, tol = 1e-5) => Math.abs(a - b) <= tol * (1 + Math.abs(b));

test("circleSequences: unit-circle points advancing by ω(1 + wobble·cos φ)", () => {
  const [seq] = circleSequences({ count: 1, length: 20, period: 16, wobble: 0.6, seed: 3 });
  assert.equal(seq!.length, 21);
  seq!.forEach((y) => assert.ok(close(Math.hypot(y[0]!, y[1]!), 1, 1e-12), "every point lies on the unit circle"));
  for (let t = 0; t < 20; t++) {
    const phi = Math.atan2(seq![t]![1]!, seq![t]![0]!);
    const next = Math.atan2(seq![t + 1]![1]!, seq![t + 1]![0]!);
    const step = (((next - phi) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
    assert.ok(close(step, ((2 * Math.PI) / 16) * (1 + 0.6 * Math.cos(phi)), 1e-9), `step ${t}`);
  }
  assert.throws(() => circleSequences({ count: 0, length: 3, seed: 1 }), /positive integers/);
});

test("teacher-forced and free-running outputs equal a float64 loop", async () => {
  const params = initOutputRnnParams({ outputSize: 2, hiddenSize: 5, seed: 7 });
  params.b = params.b.map((_, i) => 0.1 * (i - 2));
  const model = createOutputRnn(params);
  const data = circleSequences({ count: 3, length: 6, wobble: 0.3, seed: 1 });
  const ys = tf.tensor3d(data);
  const tfPred = (await teacherForcedPredictions(model, ys).array()) as number[][][];
  const y0 = tf.tensor2d(data.map((s) => s[0]!));
  const free = (await freeRunning(model, y0, 6).array()) as number[][][];
  data.forEach((seq, n) => {
    let fed = seq[0]!;
    for (let t = 1; t <= 6; t++) {
      const teacher = step64(params, seq[t - 1]!);
      tfPred[n]![t - 1]!.forEach((v, j) => assert.ok(close(v, teacher[j]!), `teacher-forced ŷ(${t})`));
      fed = step64(params, fed);
      free[n]![t - 1]!.forEach((v, j) => assert.ok(close(v, fed[j]!), `free-running ŷ(${t})`));
    }
  });
  // Teacher forcing and free-running agree at step 1 (both are fed the observed y(0)) and then part.
  assert.deepEqual(tfPred.map((s) => s[0]), free.map((s) => s[0]));
  assert.notDeepEqual(tfPred.map((s) => s[3]), free.map((s) => s[3]));
  tf.dispose([ys, y0]);
  model.dispose();
});

test("the teacher-forced loss is a mean of independent one-step losses; the free-running loss is not", () => {
  const model = createOutputRnn(initOutputRnnParams({ outputSize: 2, hiddenSize: 4, seed: 2 }));
  const data = circleSequences({ count: 4, length: 5, wobble: 0.5, seed: 9 });
  const value = (f: () => tf.Scalar) => tf.tidy(() => f().dataSync()[0]!);
  const pair = (t: number) => data.map((s) => [s[t]!, s[t + 1]!]);
  const whole = value(() => teacherForcedLoss(model, tf.tensor3d(data)));
  let parts = 0;
  for (let t = 0; t < 5; t++) parts += value(() => teacherForcedLoss(model, tf.tensor3d(pair(t)))) / 5;
  assert.ok(close(whole, parts), `teacher forcing: ${whole} = mean of one-step losses ${parts}`);
  const free = value(() => freeRunningLoss(model, tf.tensor3d(data)));
  let freeParts = 0;
  for (let t = 0; t < 5; t++) freeParts += value(() => freeRunningLoss(model, tf.tensor3d(pair(t)))) / 5;
  assert.ok(!close(free, freeParts, 1e-3), "the free-running loss chains the steps together");
  model.dispose();
});

test("the teacher-forced gradient at step t depends only on y(t−1) and y(t)", () => {
  const model = createOutputRnn(initOutputRnnParams({ outputSize: 2, hiddenSize: 4, seed: 5 }));
  const data = circleSequences({ count: 1, length: 6, wobble: 0.4, seed: 2 });
  const ys = tf.tensor3d(data);
  // d loss / d ys: under teacher forcing, y(t) enters only as step t's target and step t+1's input.
  const grad = tf.grad((y: tf.Tensor) => teacherForcedLoss(model, y as tf.Tensor3D))(ys);
  const changed = data.map((s) => s.map((p) => p.slice()));
  changed[0]![3] = [0.2, -0.4];
  const grad2 = tf.grad((y: tf.Tensor) => teacherForcedLoss(model, y as tf.Tensor3D))(tf.tensor3d(changed));
  const a = grad.arraySync() as number[][][];
  const b = grad2.arraySync() as number[][][];
  for (const t of [0, 1, 5, 6]) assert.deepEqual(a[0]![t], b[0]![t], `changing y(3) leaves the gradient at y(${t}) unchanged`);
  assert.notDeepEqual(a[0]![3], b[0]![3], "the gradient at y(3) itself changes");
  tf.dispose([ys, grad, grad2]);
  model.dispose();
});

test("training lowers each loss and keeps the tensor count flat", async () => {
  for (const mode of ["teacher", "free"] as const) {
    const model = createOutputRnn(initOutputRnnParams({ outputSize: 2, hiddenSize: 8, seed: 1 }));
    const trainer = createOutputRnnTrainer(model, { mode, learningRate: 0.02, inputNoise: mode === "teacher" ? 0.05 : 0, seed: 1 });
    const losses: number[] = [];
    let tensors = 0;
    for (let i = 0; i < 120; i++) {
      const ys = tf.tensor3d(circleSequences({ count: 8, length: 8, wobble: 0.6, seed: i + 1 }));
      losses.push(await trainer.step(ys));
      ys.dispose();
      if (i === 1) tensors = tf.memory().numTensors;
    }
    assert.equal(tf.memory().numTensors, tensors, `${mode}: tensors grew during training`);
    const first = losses.slice(0, 5).reduce((s, v) => s + v) / 5;
    const last = losses.slice(-5).reduce((s, v) => s + v) / 5;
    assert.ok(last < 0.3 * first, `${mode}: loss ${first} → ${last}`);
    trainer.dispose();
    model.dispose();
  }
});

test("errors name the problem", () => {
  assert.throws(() => createOutputRnnTrainer(null as never, { mode: "sideways" as never, learningRate: 0.1 }), /Unknown training mode/);
  assert.throws(() => createOutputRnn({ R: [[1, 2]], b: [0], V: [[1], [2], [3]], c: [0, 0] }), /do not fit together/);
  const model = createOutputRnn(initOutputRnnParams({ outputSize: 2, hiddenSize: 3, seed: 1 }));
  assert.throws(() => teacherForcedPredictions(model, tf.zeros([2, 1, 2]) as tf.Tensor3D), /T ≥ 1/);
  assert.throws(() => freeRunning(model, tf.zeros([2, 3]) as tf.Tensor2D, 4), /shape \[batch, 2\]/);
  model.dispose();
});

test("the page's task: inspection reports teacher-forced and free-running errors over the horizon", async () => {
  const task = teacherTask({ mode: "teacher", hiddenSize: 4, horizon: 12 });
  const model = await task.create(1);
  for (let i = 0; i < 3; i++) await task.step(model, 0.01);
  const tensors = tf.memory().numTensors;
  const inspection = await task.inspect!(model);
  assert.equal(tf.memory().numTensors, tensors, "inspect frees its tensors");
  assert.equal(inspection.steps.length, 12);
  assert.equal(inspection.example.target.length, 13);
  assert.ok(close(inspection.teacherError[0]!, inspection.freeError[0]!, 1e-6), "both runs are fed the observed y(0) at step 1");
  task.dispose(model);
});
