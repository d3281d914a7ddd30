// A constant-velocity model for tracking an object in the plane from noisy GPS-like
// positions (the engineering example of the notes), and a seeded simulator for it.
//
//   state        h = (x, y, vx, vy):  position and velocity
//   transition   x ← x + dt·vx,  y ← y + dt·vy,  velocities kept, plus noise
//   observation  the position (x, y) plus N(0, obsNoise · I₂) noise

import { matVec } from "./linalg.js";
import { choleskySemidefinite } from "./matrix.js";
import { createRng } from "./random.js";
import type { StateSpaceModel } from "./kalman.js";

/** Settings of the constant-velocity model. */
export interface TrackingSettings {
  /** Time step between observations (> 0). */
  dt: number;
  /** q: the spectral density of the random acceleration (variance per unit time of the velocity), ≥ 0. */
  processNoise: number;
  /** r: the variance of each GPS coordinate's error, ≥ 0. */
  obsNoise: number;
  /** ĥ_0^{(0)}, default (0, 0, 1, 0). */
  initialMean?: number[];
  /** P_0^{(0)}, default I₄. */
  initialCov?: number[][];
}

/**
 * The constant-velocity ("white-noise acceleration") model as a StateSpaceModel:
 *
 *   Φ = [1 0 dt 0; 0 1 0 dt; 0 0 1 0; 0 0 0 1],   Ψ = [1 0 0 0; 0 1 0 0],   Σ_obs = r I₂,
 *   Σ_h = q [dt³/3 I₂, dt²/2 I₂; dt²/2 I₂, dt I₂]
 *
 * Σ_h is the exact covariance over one step when the acceleration is continuous white
 * noise of density q, per axis (positive definite for q, dt > 0).
 */
export function trackingModel(settings: TrackingSettings): StateSpaceModel {
  const { dt, processNoise: q, obsNoise: r } = settings;
  if (!(dt > 0) || !Number.isFinite(dt)) throw new Error(`dt must be finite and > 0, got ${dt}.`);
  if (!(q >= 0) || !Number.isFinite(q)) throw new Error(`processNoise must be finite and ≥ 0, got ${q}.`);
  if (!(r >= 0) || !Number.isFinite(r)) throw new Error(`obsNoise must be finite and ≥ 0, got ${r}.`);
  const a = (q * dt ** 3) / 3;
  const b = (q * dt ** 2) / 2;
  const c = q * dt;
  return {
    Phi: [
      [1, 0, dt, 0],
      [0, 1, 0, dt],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ],
    Psi: [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
    ],
    SigmaH: [
      [a, 0, b, 0],
      [0, a, 0, b],
      [b, 0, c, 0],
      [0, b, 0, c],
    ],
    SigmaObs: [
      [r, 0],
      [0, r],
    ],
    h0: settings.initialMean?.slice() ?? [0, 0, 1, 0],
    P0: settings.initialCov?.map((row) => row.slice()) ?? [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ],
  };
}

/** A simulated track: the model and, for t = 1 … steps, the true states and the GPS fixes. */
export interface SimulatedTrack {
  model: StateSpaceModel;
  /** h^{(0)}, the true starting state. */
  initialState: number[];
  /** h^{(t)} = (x, y, vx, vy) for t = 1 … steps. */
  states: number[][];
  /** y^{(t)} = (x, y) + noise for t = 1 … steps. */
  observations: number[][];
}

/** Draws ε = L z with L L ᵀ = Σ (semi-definite Cholesky) and z ~ N(0, I). */
function gaussianSampler(name: string, sigma: number[][], normal: () => number): () => number[] {
  const l = choleskySemidefinite(sigma);
  if (l === null) throw new Error(`${name} is not positive semi-definite.`);
  return () => matVec(l, sigma.map(() => normal()));
}

/**
 * Simulates the constant-velocity model of `trackingModel` for `steps` time steps with a
 * seeded generator (same seed, same track). The true start h^{(0)} is `initialState`
 * (default (0, 0, 1, 0)); the returned model's prior is N(initialState, initialCov) with
 * initialCov default I₄. Then h^{(t)} = Φ h^{(t−1)} + ε^{(t)}, y^{(t)} = Ψ h^{(t)} + η^{(t)}.
 */
export function simulateTracking(
  options: TrackingSettings & { steps: number; seed: number; initialState?: number[] },
): SimulatedTrack {
  const { steps, seed } = options;
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`steps must be a non-negative integer, got ${steps}.`);
  const initialState = options.initialState?.slice() ?? options.initialMean?.slice() ?? [0, 0, 1, 0];
  if (initialState.length !== 4) throw new Error(`initialState must have 4 entries (x, y, vx, vy), got ${initialState.length}.`);
  const model = trackingModel({ ...options, initialMean: initialState });
  const rng = createRng(seed);
  const stateNoise = gaussianSampler("SigmaH (Σ_h)", model.SigmaH, rng.normal);
  const obsNoise = gaussianSampler("SigmaObs (Σ_obs)", model.SigmaObs, rng.normal);
  const states: number[][] = [];
  const observations: number[][] = [];
  let h = initialState;
  for (let t = 0; t < steps; t++) {
    const eps = stateNoise();
    h = matVec(model.Phi, h).map((v, i) => v + eps[i]!);
    const eta = obsNoise();
    states.push(h);
    observations.push(matVec(model.Psi, h).map((v, i) => v + eta[i]!));
  }
  return { model, initialState, states, observations };
}
