import assert from "node:assert/strict";
import { test } from "node:test";
import { readFileSync } from "node:fs";
import { kalmanFilter } from "../../components/core/kalman.js";
import {
  fitLocalLevelEM,
  fitLocalLevelMLE,
  localLevelLogLik,
  localLevelModel,
  localLevelStates,
  logLikSurface,
  sampleVariance,
} from "../../components/core/localLevel.js";
import { parseSeriesCsv } from "../../components/core/series.js";

const nile = parseSeriesCsv(readFileSync(new URL("../../data/nile.csv", import.meta.url), "utf8")).values;
const LOG_2PI = Math.log(2 * Math.PI);

function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

// R 4.2.2 (this session):
//   f <- function(x) cat(sprintf("%.17g", x), "\n")
//   fit <- StructTS(Nile, type = "level"); f(fit$coef); f(fit$loglik)
const R_COEF = { sigma2Level: 1469.1466192376836, sigma2Obs: 15098.5771535974 };
const R_LOGLIK = -643.20098751576131;

// R's StructTS minimises 0.5 · Σ_t (log F_t + v_t²/F_t) / n (C code KalmanLike with nit = −1,
// start a = y1, P = 1e6·var(y)/100, every observation included) and reports
// $loglik = −n · value − ½ · n_obs · log 2π: exactly Σ_t ℓ_t with the constant, which is
// what localLevelLogLik returns by default.

test("Nile: log-likelihood at R's StructTS estimate equals R's $loglik", (t) => {
  const ours = localLevelLogLik(nile, R_COEF);
  near(ours, R_LOGLIK, 1e-12, "StructTS $loglik");
  t.diagnostic(`ours ${ours} vs R ${R_LOGLIK}: |diff| ${Math.abs(ours - R_LOGLIK).toExponential(2)}`);
  // The general filter with the same model gives the same number.
  near(kalmanFilter(localLevelModel(nile, R_COEF), nile).logLik, ours, 1e-13, "general kalmanFilter");
  near(localLevelModel(nile, R_COEF).P0![0]![0]!, 286379469.69696969, 1e-15, "P0 = 1e6 var(Nile)/100 (R: fit$model0$P)");
});

test("Nile: filtered and smoothed levels equal R's fit$fitted and tsSmooth(fit)", (t) => {
  const s = localLevelStates(nile, R_COEF);
  // f(fit$fitted[c(1, 2, 50, 100)]); f(tsSmooth(fit)[c(1, 2, 50, 100)])
  const filtered = [1120, 1140.9274133709282, 849.07032485789546, 798.36815651538939];
  const smoothed = [1111.6686925177958, 1110.8579831768052, 834.76304030008748, 798.36815651538939];
  let worst = 0;
  [0, 1, 49, 99].forEach((i, k) => {
    near(s.filteredMean[i]!, filtered[k]!, 1e-12, `filtered t=${i + 1}`);
    near(s.smoothedMean[i]!, smoothed[k]!, 1e-12, `smoothed t=${i + 1}`);
    worst = Math.max(worst, Math.abs(s.filteredMean[i]! - filtered[k]!), Math.abs(s.smoothedMean[i]! - smoothed[k]!));
  });
  // f(fit$model$P): the filtered variance at t = 100.
  near(s.filteredVar[99]!, 4032.146896949961, 1e-12, "P_100^{(100)}");
  t.diagnostic(`max |ours − R| over the levels: ${worst.toExponential(2)}`);
});

// KalmanLike returns Lik = ½ (log s2 + Σ log F_t / n_obs) and s2 = Σ v_t²/F_t / n_obs, so the
// full log-likelihood is −(n_obs/2) (s2 + 2 Lik − log s2) − (n_obs/2) log 2π.
function fromKalmanLike(lik: number, s2: number, nObs: number): number {
  return -(nObs / 2) * (s2 + 2 * lik - Math.log(s2)) - (nObs / 2) * LOG_2PI;
}

test("Nile: KalmanLike on fixed variances (1000, 20000), complete and with missing values", (t) => {
  // mod <- fit$model0; mod$V[] <- 1000; mod$h <- 20000
  // kl <- KalmanLike(Nile, mod, nit = -1L); f(c(kl$Lik, kl$s2)) → 5.0141439813018582 0.8170771151891304
  const params = { sigma2Level: 1000, sigma2Obs: 20000 };
  const rFull = fromKalmanLike(5.0141439813018582, 0.8170771151891304, 100);
  const ours = localLevelLogLik(nile, params);
  near(ours, rFull, 1e-12, "KalmanLike complete");
  // y <- Nile; y[c(10, 40, 41)] <- NA; kl3 <- KalmanLike(y, mod, nit = -1L)
  //   → 5.0276976734974648 0.83422064844632082  (the prior still uses var of the full Nile)
  const rMissing = fromKalmanLike(5.0276976734974648, 0.83422064844632082, 97);
  const y = nile.slice();
  for (const i of [9, 39, 40]) y[i] = NaN;
  const model = { ...localLevelModel(nile, params) };
  const general = kalmanFilter(model, y);
  near(general.logLik, rMissing, 1e-12, "KalmanLike with NA");
  assert.equal(general.nObserved, 97);
  t.diagnostic(`complete: ours ${ours} vs R ${rFull}; with NA: ours ${general.logLik} vs R ${rMissing}`);
});

// statsmodels 0.13.5 (Debian python3-statsmodels), exact diffuse start:
//   m = sm.tsa.UnobservedComponents(nile, "llevel", use_exact_diffuse=True)
//   m.loglike([15098.5771535974, 1469.1466192376836]) → -633.46456363653203
//   m.loglike([20000.0, 1000.0])                       → -634.52677408113254
// It follows Durbin & Koopman: −(n/2) log 2π over all n, the first observation adding only
// −½ log 2π. Ours is log p(y^{(2:n)} | y^{(1)}), so statsmodels = ours − ½ log 2π.
test("Nile: exact-diffuse start vs statsmodels (UnobservedComponents, use_exact_diffuse)", (t) => {
  const a = localLevelLogLik(nile, R_COEF, { init: "exact-diffuse" });
  near(a - 0.5 * LOG_2PI, -633.46456363653203, 1e-12, "statsmodels llf at R's estimate");
  const b = localLevelLogLik(nile, { sigma2Level: 1000, sigma2Obs: 20000 }, { init: "exact-diffuse" });
  near(b - 0.5 * LOG_2PI, -634.52677408113254, 1e-12, "statsmodels llf at (1000, 20000)");
  const s = localLevelStates(nile, R_COEF, { init: "exact-diffuse" });
  near(s.logLik, a, 1e-13, "general filter = scalar recursion");
  // res.filtered_state[0][[0,1,49,99]], res.smoothed_state[0][[0,1,49,99]]
  const filtered = [1120, 1140.9278927921837, 849.07032485784555, 798.36815651538291];
  const smoothed = [1111.6685752157991, 1110.8578972008693, 834.76304030005883, 798.36815651538291];
  [0, 1, 49, 99].forEach((i, k) => {
    near(s.filteredMean[i]!, filtered[k]!, 1e-12, `filtered t=${i + 1}`);
    near(s.smoothedMean[i]!, smoothed[k]!, 1e-12, `smoothed t=${i + 1}`);
  });
  // smoothed_state_cov[0, 0, [0, 1, 49]] → 4032.146896949962 3242.9085148648746 2326.7595557571603
  near(s.smoothedVar[0]!, 4032.146896949962, 1e-12, "smoothed var t=1");
  near(s.smoothedVar[1]!, 3242.9085148648746, 1e-12, "smoothed var t=2");
  near(s.smoothedVar[49]!, 2326.7595557571603, 1e-12, "smoothed var t=50");
  assert.equal(s.predictedVar[0], Infinity);
  t.diagnostic(`ours − ½log2π = ${a - 0.5 * LOG_2PI} vs statsmodels -633.46456363653203`);
});

test("Nile: the ML fit reaches R's optimum (at least R's log-likelihood, estimates within 1e-4)", (t) => {
  const fit = fitLocalLevelMLE(nile);
  assert.ok(fit.converged, "BFGS did not report convergence");
  assert.ok(fit.logLik >= R_LOGLIK - 1e-9, `ML log-likelihood ${fit.logLik} below R's ${R_LOGLIK}`);
  near(fit.estimate.sigma2Level / R_COEF.sigma2Level, 1, 1e-4, "σ²_level vs R");
  near(fit.estimate.sigma2Obs / R_COEF.sigma2Obs, 1, 1e-4, "σ²_obs vs R");
  // The path starts at R's default start var(y)/100 and climbs.
  near(fit.path[0]!.sigma2Level, sampleVariance(nile) / 100, 1e-12, "path start");
  for (let i = 1; i < fit.path.length; i++) assert.ok(fit.path[i]!.logLik >= fit.path[i - 1]!.logLik - 1e-9, `path step ${i} went down`);
  near(fit.path[fit.path.length - 1]!.logLik, fit.logLik, 1e-14, "path ends at the estimate");
  // A local maximum: no better point one percent away in any direction.
  for (const [a, b] of [[1.01, 1], [0.99, 1], [1, 1.01], [1, 0.99]] as const) {
    const p = { sigma2Level: fit.estimate.sigma2Level * a, sigma2Obs: fit.estimate.sigma2Obs * b };
    assert.ok(localLevelLogLik(nile, p) < fit.logLik, `(${a}, ${b}) is better`);
  }
  // Nelder–Mead and the exact-diffuse fit (vs statsmodels' fit: 15098.51834096, 1469.17636644).
  const nm = fitLocalLevelMLE(nile, { method: "nelder-mead" });
  near(nm.logLik, fit.logLik, 1e-9, "Nelder–Mead log-likelihood");
  const diffuse = fitLocalLevelMLE(nile, { init: "exact-diffuse" });
  near(diffuse.estimate.sigma2Level / 1469.17636644, 1, 1e-5, "exact-diffuse σ²_level vs statsmodels");
  near(diffuse.estimate.sigma2Obs / 15098.51834096, 1, 1e-5, "exact-diffuse σ²_obs vs statsmodels");
  t.diagnostic(
    `BFGS: (${fit.estimate.sigma2Level}, ${fit.estimate.sigma2Obs}) logLik ${fit.logLik} in ${fit.iterations} iterations; ` +
      `R: (${R_COEF.sigma2Level}, ${R_COEF.sigma2Obs}) ${R_LOGLIK}; exact-diffuse (${diffuse.estimate.sigma2Level}, ${diffuse.estimate.sigma2Obs})`,
  );
});

test("EM never lowers the log-likelihood and converges to the ML estimate", (t) => {
  for (const init of ["r-structts", "exact-diffuse"] as const) {
    const em = fitLocalLevelEM(nile, { iterations: 600, init });
    assert.equal(em.history.length, 601);
    let worstDrop = 0;
    for (let i = 1; i < em.history.length; i++) {
      const change = em.history[i]!.logLik - em.history[i - 1]!.logLik;
      worstDrop = Math.min(worstDrop, change);
      assert.ok(change >= -1e-9, `${init}: iteration ${i} lowered the log-likelihood by ${-change}`);
    }
    near(em.history[0]!.logLik, localLevelLogLik(nile, { sigma2Level: em.history[0]!.sigma2Level, sigma2Obs: em.history[0]!.sigma2Obs }, { init }), 1e-12, "history log-likelihoods");
    const mle = fitLocalLevelMLE(nile, { init });
    near(em.estimate.sigma2Level / mle.estimate.sigma2Level, 1, 1e-3, `${init}: EM σ²_level vs ML`);
    near(em.estimate.sigma2Obs / mle.estimate.sigma2Obs, 1, 1e-3, `${init}: EM σ²_obs vs ML`);
    assert.ok(em.logLik <= mle.logLik + 1e-9, "EM cannot beat the maximum");
    t.diagnostic(`${init}: EM after 600 (${em.estimate.sigma2Level}, ${em.estimate.sigma2Obs}) ${em.logLik}; ML ${mle.logLik}; worst step ${worstDrop}`);
  }
  // With missing values and an odd start, too.
  const y = nile.slice();
  for (const i of [5, 6, 7, 50, 80]) y[i] = NaN;
  const em = fitLocalLevelEM(y, { iterations: 100, start: { sigma2Level: 50000, sigma2Obs: 10 } });
  for (let i = 1; i < em.history.length; i++) assert.ok(em.history[i]!.logLik >= em.history[i - 1]!.logLik - 1e-9, `missing: iteration ${i}`);
  assert.ok(em.history[100]!.logLik > em.history[0]!.logLik + 5, `missing: EM gained only ${em.history[100]!.logLik - em.history[0]!.logLik}`);
});

test("EM's first step by hand from the smoother moments (M-step formulas)", () => {
  const y = [1, 3, 2, 4];
  const start = { sigma2Level: 2, sigma2Obs: 1 };
  const s = localLevelStates(y, start, { init: "exact-diffuse" });
  let level = 0;
  for (let t = 1; t < 4; t++) level += (s.smoothedMean[t]! - s.smoothedMean[t - 1]!) ** 2 + s.smoothedVar[t]! + s.smoothedVar[t - 1]! - 2 * s.lagOneCov[t]!;
  let obs = 0;
  for (let t = 0; t < 4; t++) obs += (y[t]! - s.smoothedMean[t]!) ** 2 + s.smoothedVar[t]!;
  const em = fitLocalLevelEM(y, { iterations: 1, start, init: "exact-diffuse" });
  near(em.history[1]!.sigma2Level, level / 3, 1e-14, "σ²_level update");
  near(em.history[1]!.sigma2Obs, obs / 4, 1e-14, "σ²_obs update");
});

test("logLikSurface lays the grid out as logLik[i][j] at (sigma2Level[i], sigma2Obs[j])", () => {
  const grid = { sigma2Level: [500, 1500, 4000], sigma2Obs: [10000, 15000] };
  const s = logLikSurface(nile, grid);
  assert.equal(s.logLik.length, 3);
  assert.equal(s.logLik[0]!.length, 2);
  near(s.logLik[2]![1]!, localLevelLogLik(nile, { sigma2Level: 4000, sigma2Obs: 15000 }), 0, "entry (2, 1)");
  // The grid point nearest R's estimate is the best of these.
  const best = Math.max(...s.logLik.flat());
  assert.equal(best, s.logLik[1]![1]);
});

test("local level: input errors", () => {
  assert.throws(() => localLevelLogLik(nile, { sigma2Level: -1, sigma2Obs: 1 }), /sigma2Level must be finite and ≥ 0/);
  assert.throws(() => localLevelLogLik([], { sigma2Level: 1, sigma2Obs: 1 }), /empty/);
  assert.throws(() => localLevelLogLik([NaN, NaN], { sigma2Level: 1, sigma2Obs: 1 }), /entirely missing/);
  assert.throws(() => localLevelLogLik([NaN, 1, 2], { sigma2Level: 1, sigma2Obs: 1 }, { init: "exact-diffuse" }), /needs y\^\{\(1\)\} to be observed/);
  assert.throws(() => localLevelLogLik([1, 2, 3], { sigma2Level: 0, sigma2Obs: 0 }, { init: "exact-diffuse" }), /innovation variance F at t = 2 is zero/);
  assert.throws(() => fitLocalLevelMLE(nile, { start: { sigma2Level: 0, sigma2Obs: 1 } }), /must be > 0/);
});
