// Normal and chi-square distribution functions, from one special function: the regularised
// incomplete gamma function. Pure TypeScript, no dependencies.
//
//   P(a, x) = γ(a, x) / Γ(a) = (1/Γ(a)) ∫₀ˣ t^{a−1} e^{−t} dt,     Q(a, x) = 1 − P(a, x)
//
//   chi-square with k degrees of freedom:  F(q) = P(k/2, q/2)
//   standard normal:                       Φ(z) = ½ (1 + sign(z) P(½, z²/2))
//                                         (since erf(y) = P(½, y²) for y ≥ 0)
//
// P is summed as a power series when x < a + 1 and Q as a continued fraction (modified
// Lentz) otherwise, so each tail is computed directly, without cancellation. ln Γ uses the
// Lanczos approximation (g = 7, 9 terms). Accuracy is close to 1e-15 relative in the
// ranges a course needs; quantiles are refined by Newton steps to the same precision.

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Γ(x) for x > 0 (Lanczos, g = 7; reflection Γ(x)Γ(1−x) = π / sin(πx) below ½).
 * Relative error about 1e-15.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new Error(`logGamma needs x > 0, got ${x}.`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return LOG_SQRT_2PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

const EPS = 1e-16;
const MAX_TERMS = 10000;

/** Series for P(a, x): e^{−x} x^a / Γ(a+1) · Σₙ xⁿ / ((a+1)(a+2)…(a+n)). Best for x < a + 1. */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_TERMS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/**
 * Continued fraction for Q(a, x) = e^{−x} x^a / Γ(a) · 1/(x+1−a− 1·(1−a)/(x+3−a− 2·(2−a)/(x+5−a− …))),
 * evaluated by the modified Lentz method. Best for x ≥ a + 1.
 */
function upperFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < MAX_TERMS; n++) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** The regularised lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a), a > 0, x ≥ 0. */
export function gammaP(a: number, x: number): number {
  checkGammaArgs(a, x);
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? lowerSeries(a, x) : 1 - upperFraction(a, x);
}

/** The regularised upper incomplete gamma function Q(a, x) = 1 − P(a, x), accurate in the far tail. */
export function gammaQ(a: number, x: number): number {
  checkGammaArgs(a, x);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperFraction(a, x);
}

function checkGammaArgs(a: number, x: number): void {
  if (!(a > 0) || !Number.isFinite(a)) throw new Error(`The shape a must be finite and > 0, got ${a}.`);
  if (!(x >= 0)) throw new Error(`The argument x must be ≥ 0, got ${x}.`);
}

/** The standard normal density φ(z) = e^{−z²/2} / √(2π). */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
}

/**
 * The standard normal CDF Φ(z) = P(Z ≤ z) (as R's pnorm(z)). For z < 0 it is
 * ½ Q(½, z²/2), so the lower tail keeps full relative precision down to about z = −37.
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === 0) return 0.5;
  const half = 0.5 * z * z;
  return z < 0 ? 0.5 * gammaQ(0.5, half) : 0.5 + 0.5 * gammaP(0.5, half);
}

/**
 * The standard normal quantile Φ⁻¹(p) for 0 < p < 1 (as R's qnorm(p)); ±Infinity at 0 and 1.
 * Starts from the Abramowitz–Stegun 26.2.23 approximation (error < 4.5e-4) and refines it
 * with Halley steps on the tail probability, so the tails keep relative precision.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new Error(`A probability must lie in [0, 1], got ${p}.`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  // Work with the smaller tail q = min(p, 1 − p) and find z < 0 with Φ(z) = q.
  const q = p < 0.5 ? p : 1 - p;
  const t = Math.sqrt(-2 * Math.log(q));
  let z = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  for (let i = 0; i < 6; i++) {
    const err = normalCdf(z) - q;
    const dens = normalPdf(z);
    if (dens === 0) break;
    const u = err / dens;
    const step = u / (1 + 0.5 * z * u); // Halley: Φ'' = −z φ
    z -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(z))) break;
  }
  return p < 0.5 ? z : -z;
}

/** The chi-square CDF with k > 0 degrees of freedom: F(x) = P(k/2, x/2) (as R's pchisq(x, k)). */
export function chiSquareCdf(x: number, k: number): number {
  if (x <= 0) return 0;
  return gammaP(k / 2, x / 2);
}

/**
 * The chi-square upper tail 1 − F(x) = Q(k/2, x/2) (as R's pchisq(x, k, lower.tail = FALSE)).
 * Use this for p-values: it keeps relative precision when they are tiny.
 */
export function chiSquareSurvival(x: number, k: number): number {
  if (x <= 0) return 1;
  return gammaQ(k / 2, x / 2);
}

/** The chi-square density with k degrees of freedom, x^{k/2−1} e^{−x/2} / (2^{k/2} Γ(k/2)). */
export function chiSquarePdf(x: number, k: number): number {
  if (x < 0) return 0;
  if (x === 0) return k === 2 ? 0.5 : k < 2 ? Infinity : 0;
  return Math.exp((k / 2 - 1) * Math.log(x) - x / 2 - (k / 2) * Math.LN2 - logGamma(k / 2));
}

/**
 * The chi-square quantile F⁻¹(p) with k > 0 degrees of freedom (as R's qchisq(p, k)).
 * Wilson–Hilferty start, x ≈ k (1 − 2/(9k) + z √(2/(9k)))³, then Newton steps kept inside a
 * bisection bracket, to a relative tolerance of about 1e-14.
 */
export function chiSquareQuantile(p: number, k: number): number {
  if (!(p >= 0 && p <= 1)) throw new Error(`A probability must lie in [0, 1], got ${p}.`);
  if (!(k > 0)) throw new Error(`The degrees of freedom must be > 0, got ${k}.`);
  if (p === 0) return 0;
  if (p === 1) return Infinity;
  const z = normalQuantile(p);
  const c = 2 / (9 * k);
  let x = k * Math.pow(Math.max(1 - c + z * Math.sqrt(c), 0.01), 3);
  let lo = 0;
  let hi = Infinity;
  const upper = p > 0.5;
  const target = upper ? 1 - p : p;
  for (let i = 0; i < 200; i++) {
    // g(x) is increasing in x in both cases: lower tail F(x) − p, or (1 − p) − Q(x).
    const g = upper ? target - chiSquareSurvival(x, k) : chiSquareCdf(x, k) - target;
    if (g > 0) hi = x;
    else lo = x;
    let next = x - g / chiSquarePdf(x, k);
    if (!(next > lo && next < hi)) next = hi === Infinity ? 2 * x + 1 : 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-14 * x) return next;
    x = next;
  }
  return x;
}
