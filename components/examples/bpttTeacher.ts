// The BPTT page's teacher-forcing example: the output-to-hidden RNN of
// components/models/teacherForcing.ts learns points that go round the unit circle at an
// uneven speed, trained with teacher forcing (optionally with noise on the fed values) or
// free-running; after training it is run both ways on held-out sequences.
import * as tf from "@unrolled/tfjs";
import { circleSequences, createOutputRnn, createOutputRnnTrainer, freeRunning, initOutputRnnParams, teacherForcedPredictions, type OutputRnn, type OutputRnnTrainer } from "../models/teacherForcing.js";
import type { TrainingTask } from "../ui/trainingHarness.js";

export type TeacherMode = "teacher" | "noisy" | "free";

/** The two trainings the page offers (the code also accepts "noisy": teacher forcing with N(0, σ²) added to the fed values). */
export const TEACHER_MODES: Record<"teacher" | "free", string> = {
  teacher: "teacher forcing: feed the observed y(t−1)",
  free: "free-running: feed the model's own ŷ(t−1), BPTT through it",
};

export const MODE_NAMES: Record<TeacherMode, string> = { ...TEACHER_MODES, noisy: "teacher forcing with noise on the fed values" };

export interface TeacherSettings {
  mode: TeacherMode;
  hiddenSize?: number;
  /** Steps per training sequence (default 16: one turn of the circle). */
  length?: number;
  batchSize?: number;
  /** Unevenness of the speed round the circle (default 0.6). */
  wobble?: number;
  /** Steps generated on the held-out sequences (default 64: four turns). */
  horizon?: number;
  /** σ of the noise in the "noisy" mode (default 0.1). */
  noise?: number;
}

export interface TeacherModel {
  rnn: OutputRnn;
  trainer: OutputRnnTrainer;
  seed: number;
  updates: number;
  learningRate: number;
}

export interface TeacherInspection {
  /** t = 1..horizon. */
  steps: number[];
  /** Mean over held-out sequences of ‖ŷ(t) − y(t)‖ with teacher forcing (the observed y(t−1) fed). */
  teacherError: number[];
  /** The same for free-running generation from the observed y(0). */
  freeError: number[];
  /** The first held-out sequence y(0..horizon), its teacher-forced and free-running outputs ŷ(1..horizon). */
  example: { target: number[][]; teacher: number[][]; free: number[][] };
}

export function teacherTask(settings: TeacherSettings): TrainingTask<TeacherModel, TeacherInspection> {
  const { mode, hiddenSize = 8, length = 16, batchSize = 16, wobble = 0.6, horizon = 64, noise = 0.1 } = settings;
  const test = circleSequences({ count: 32, length: horizon, seed: 4242, wobble });
  return {
    create(seed) {
      const rnn = createOutputRnn(initOutputRnnParams({ outputSize: 2, hiddenSize, seed }));
      const learningRate = 0.01;
      const trainer = createOutputRnnTrainer(rnn, { mode: mode === "free" ? "free" : "teacher", learningRate, inputNoise: mode === "noisy" ? noise : 0, seed });
      return { rnn, trainer, seed, updates: 0, learningRate };
    },
    async step(model, rate) {
      if (rate !== model.learningRate) {
        model.trainer.setLearningRate(rate);
        model.learningRate = rate;
      }
      model.updates += 1;
      const ys = tf.tensor3d(circleSequences({ count: batchSize, length, seed: model.seed * 100_003 + model.updates, wobble }));
      try {
        return await model.trainer.step(ys);
      } finally {
        ys.dispose();
      }
    },
    async inspect(model) {
      const [teacher, free] = tf.tidy(() => {
        const ys = tf.tensor3d(test);
        const y0 = tf.tensor2d(test.map((s) => s[0]!));
        return [teacherForcedPredictions(model.rnn, ys), freeRunning(model.rnn, y0, horizon)];
      });
      try {
        const [tfa, fra] = (await Promise.all([teacher.array(), free.array()])) as [number[][][], number[][][]];
        const steps = Array.from({ length: horizon }, (_, i) => i + 1);
        const meanOver = (f: (n: number) => number) => test.reduce((s, _, n) => s + f(n), 0) / test.length;
        const dist = (a: number[], b: number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);
        return {
          steps,
          teacherError: steps.map((t) => meanOver((n) => dist(tfa[n]![t - 1]!, test[n]![t]!))),
          freeError: steps.map((t) => meanOver((n) => dist(fra[n]![t - 1]!, test[n]![t]!))),
          example: { target: test[0]!, teacher: tfa[0]!, free: fra[0]! },
        };
      } finally {
        tf.dispose([teacher, free]);
      }
    },
    dispose(model) {
      model.trainer.dispose();
      model.rnn.dispose();
    },
  };
}
