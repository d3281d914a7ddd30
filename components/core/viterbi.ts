// The Viterbi algorithm: the single most probable state path of a categorical HMM,
//   z* = argmax_{z(1:T)} p(z(1:T), x(1:T)),
// by dynamic programming in log space (so long sequences do not underflow):
//   δ_k(1)   = log π_k + log C[x(1)][k]
//   δ_j(t+1) = log C[x(t+1)][j] + max_i (δ_i(t) + log P[i][j]),   ψ_j(t+1) = the maximising i
// then z*(T) = argmax_k δ_k(T) and z*(t) = ψ_{z*(t+1)}(t+1) going back. Ties go to the
// lowest state index.

import { validateHmmProblem, type HmmParams } from "./hmmValidate.js";

/** z* = argmax_z p(z(1:T), x(1:T)) and its log joint probability. */
export interface ViterbiResult {
  /** The most probable state sequence z*(1..T), states 0..K−1. */
  path: number[];
  /** log p(z*(1:T), x(1:T)) = max_k δ_k(T): the joint, not the posterior, probability. */
  logProbability: number;
}

/** The Viterbi path and its joint log-probability (see the file comment). */
export function viterbi(params: HmmParams, xs: readonly number[]): ViterbiResult {
  const { states: K } = validateHmmProblem(params, xs);
  const T = xs.length;
  if (T === 0) return { path: [], logProbability: 0 };
  const logP = params.P.map((row) => row.map(Math.log));
  const logC = params.C.map((row) => row.map(Math.log));
  const backpointers = new Int32Array(T * K);
  let delta = params.pi.map((p, k) => Math.log(p) + logC[xs[0]!]![k]!);
  for (let t = 1; t < T; t++) {
    const logL = logC[xs[t]!]!;
    const next = new Array<number>(K);
    for (let j = 0; j < K; j++) {
      let best = -Infinity;
      let argBest = 0;
      for (let i = 0; i < K; i++) {
        const score = delta[i]! + logP[i]![j]!;
        if (score > best) {
          best = score;
          argBest = i;
        }
      }
      next[j] = best + logL[j]!;
      backpointers[t * K + j] = argBest;
    }
    delta = next;
  }
  let last = 0;
  for (let k = 1; k < K; k++) if (delta[k]! > delta[last]!) last = k;
  const path = new Array<number>(T);
  path[T - 1] = last;
  for (let t = T - 1; t > 0; t--) path[t - 1] = backpointers[t * K + path[t]!]!;
  return { path, logProbability: delta[last]! };
}
