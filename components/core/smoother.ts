// The Rauch–Tung–Striebel (fixed-interval) smoother: runs backwards over the output of
// kalmanFilter and conditions every state on all n observations. Notation of the notes:
// ĥ_n^{(t)} = E(h^{(t)} | y^{(1:n)}), P_n^{(t1,t2)} = Cov(h^{(t1)}, h^{(t2)} | y^{(1:n)}).

import { matMul, matVec } from "./linalg.js";
import type { KalmanFilterResult, StateSpaceModel } from "./kalman.js";
import {
  addMatrices,
  addVectors,
  cholesky,
  choleskySolveMatrix,
  pseudoInverseSymmetric,
  sandwich,
  subtractMatrices,
  subtractVectors,
  symmetrize,
  transposeMatrix,
} from "./matrix.js";

/** The output of `rtsSmoother`; arrays are indexed by t − 1 for t = 1 … n. */
export interface SmootherResult {
  /** ĥ_n^{(t)}. */
  means: number[][];
  /** P_n^{(t)}. */
  covs: number[][][];
  /** P_n^{(t, t−1)} = Cov(h^{(t)}, h^{(t−1)} | y^{(1:n)}) for t = 1 … n (t = 1 pairs with h^{(0)}); used by EM. */
  lagOneCovs: number[][][];
  /** The smoother gains J_{t−1} = P_{t−1}^{(t−1)} Φᵀ (P_{t−1}^{(t)})⁻¹ for t = 1 … n. */
  gains: number[][][];
  /** ĥ_n^{(0)} and P_n^{(0)}: the initial state h^{(0)} given all the data. */
  initialMean: number[];
  initialCov: number[][];
}

/**
 * J = P_f Φᵀ P_pred⁻¹ = (P_pred⁻¹ Φ P_f)ᵀ. P_pred is inverted by Cholesky when it is
 * well-conditioned positive definite (every squared pivot ≥ 1e-12 · max diagonal) and by
 * the symmetric pseudo-inverse otherwise (a singular P_pred arises when some state is
 * known exactly, e.g. a companion-form AR with Σ_obs = 0; rounding may leave ~1e-32 there).
 */
function smootherGain(filteredCov: number[][], Phi: number[][], predictedCov: number[][]): number[][] {
  const right = matMul(Phi, filteredCov);
  const chol = cholesky(predictedCov);
  const maxDiag = Math.max(...predictedCov.map((row, i) => row[i]!));
  if (chol !== null && chol.every((row, i) => row[i]! * row[i]! >= 1e-12 * maxDiag)) {
    return transposeMatrix(choleskySolveMatrix(chol, right));
  }
  return transposeMatrix(matMul(pseudoInverseSymmetric(predictedCov), right));
}

/**
 * Rauch–Tung–Striebel smoother. Starting from ĥ_n^{(n)}, P_n^{(n)}, for t = n − 1 … 0:
 *
 *   J_t = P_t^{(t)} Φᵀ (P_t^{(t+1)})⁻¹
 *   ĥ_n^{(t)} = ĥ_t^{(t)} + J_t (ĥ_n^{(t+1)} − ĥ_t^{(t+1)})
 *   P_n^{(t)} = P_t^{(t)} + J_t (P_n^{(t+1)} − P_t^{(t+1)}) J_tᵀ
 *   P_n^{(t+1, t)} = P_n^{(t+1)} J_tᵀ        (lag-one covariance, de Jong 1989)
 *
 * where time 0 is the initial state (P_0^{(0)} = P0 of the model). `filter` must come
 * from kalmanFilter(model, …) with the same model (only Φ is read here).
 */
export function rtsSmoother(filter: KalmanFilterResult, model: StateSpaceModel): SmootherResult {
  const { steps } = filter;
  const n = steps.length;
  const Phi = model.Phi;
  const means: number[][] = new Array(n);
  const covs: number[][][] = new Array(n);
  const lagOneCovs: number[][][] = new Array(n);
  const gains: number[][][] = new Array(n);

  if (n === 0) {
    return { means, covs, lagOneCovs, gains, initialMean: filter.initialMean.slice(), initialCov: filter.initialCov };
  }
  means[n - 1] = steps[n - 1]!.filteredMean;
  covs[n - 1] = steps[n - 1]!.filteredCov;

  let initialMean = filter.initialMean;
  let initialCov = filter.initialCov;
  // k = t − 1 indexes time t; we smooth time t (index k − 1, or h^{(0)} when k = 0) from time t + 1.
  for (let k = n - 1; k >= 0; k--) {
    const next = steps[k]!; // time t + 1 holds the prediction of h^{(t+1)} from time t
    const filteredMean = k === 0 ? filter.initialMean : steps[k - 1]!.filteredMean;
    const filteredCov = k === 0 ? filter.initialCov : steps[k - 1]!.filteredCov;
    const J = smootherGain(filteredCov, Phi, next.predictedCov);
    const mean = addVectors(filteredMean, matVec(J, subtractVectors(means[k]!, next.predictedMean)));
    const cov = symmetrize(addMatrices(filteredCov, sandwich(J, subtractMatrices(covs[k]!, next.predictedCov))));
    gains[k] = J;
    lagOneCovs[k] = matMul(covs[k]!, transposeMatrix(J));
    if (k === 0) {
      initialMean = mean;
      initialCov = cov;
    } else {
      means[k - 1] = mean;
      covs[k - 1] = cov;
    }
  }
  return { means, covs, lagOneCovs, gains, initialMean, initialCov };
}
