// Complex roots of a real polynomial, by the Durand–Kerner (Weierstrass) iteration with a
// final Newton polish. Pure TypeScript.
//
//   c₀ + c₁ z + … + c_d z^d = c_d ∏ₖ (z − zₖ)
//
// Durand–Kerner updates all d root estimates at once,
//   zₖ ← zₖ − p(zₖ) / (c_d ∏_{j≠k} (zₖ − zⱼ)),
// from starting points spread on a circle of radius ≥ the Cauchy bound. It converges
// quadratically to simple roots and only linearly to repeated ones, so a double root comes
// out accurate to about √ε ≈ 1e-8 (R's polyroot, Jenkins–Traub, has the same limitation).

/** A complex number re + i·im. */
export interface Complex {
  re: number;
  im: number;
}

function mul(a: Complex, b: Complex): Complex {
  return { re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re };
}

function div(a: Complex, b: Complex): Complex {
  const den = b.re * b.re + b.im * b.im;
  return { re: (a.re * b.re + a.im * b.im) / den, im: (a.im * b.re - a.re * b.im) / den };
}

/** |z| = √(re² + im²). */
export function modulus(z: Complex): number {
  return Math.hypot(z.re, z.im);
}

/** p(z) and p′(z) by Horner's rule; coefficients in increasing powers. */
function evaluate(c: number[], z: Complex): { value: Complex; slope: Complex } {
  let value: Complex = { re: c[c.length - 1]!, im: 0 };
  let slope: Complex = { re: 0, im: 0 };
  for (let k = c.length - 2; k >= 0; k--) {
    slope = mul(slope, z);
    slope.re += value.re;
    slope.im += value.im;
    value = mul(value, z);
    value.re += c[k]!;
  }
  return { value, slope };
}

/**
 * All complex roots of c₀ + c₁z + … + c_d z^d (coefficients in increasing powers, as R's
 * polyroot). Trailing zero coefficients (of the highest powers) are dropped; a constant
 * polynomial has no roots. Roots are sorted by modulus, then by argument. Imaginary parts
 * below 1e-12·|z| are set to 0, and conjugate pairs are made exact conjugates.
 */
export function polyRoots(coefficients: number[]): Complex[] {
  if (!coefficients.every(Number.isFinite)) throw new Error("polyRoots: the coefficients must be finite numbers.");
  const c = coefficients.slice();
  while (c.length > 0 && c[c.length - 1] === 0) c.pop();
  const d = c.length - 1;
  if (d < 1) return [];
  const lead = c[d]!;
  // Cauchy bound: every root has |z| ≤ 1 + max |cₖ / c_d|.
  let bound = 0;
  for (let k = 0; k < d; k++) bound = Math.max(bound, Math.abs(c[k]! / lead));
  const radius = 1 + bound;
  // Start on a circle, rotated off the real axis so no start is a conjugate of another.
  let z: Complex[] = Array.from({ length: d }, (_, k) => {
    const angle = (2 * Math.PI * k) / d + 0.4;
    return { re: radius * Math.cos(angle), im: radius * Math.sin(angle) };
  });
  for (let iter = 0; iter < 2000; iter++) {
    let change = 0;
    const next = z.map((zk, k) => {
      let den: Complex = { re: lead, im: 0 };
      for (let j = 0; j < d; j++) if (j !== k) den = mul(den, { re: zk.re - z[j]!.re, im: zk.im - z[j]!.im });
      const step = div(evaluate(c, zk).value, den);
      if (!Number.isFinite(step.re) || !Number.isFinite(step.im)) return zk;
      change = Math.max(change, modulus(step) / Math.max(1, modulus(zk)));
      return { re: zk.re - step.re, im: zk.im - step.im };
    });
    z = next;
    if (change < 1e-15) break;
  }
  // Newton polish on the original polynomial (helps the last digits of simple roots).
  z = z.map((zk) => {
    let r = zk;
    for (let i = 0; i < 3; i++) {
      const { value, slope } = evaluate(c, r);
      if (modulus(slope) === 0) break;
      const step = div(value, slope);
      if (!Number.isFinite(step.re) || modulus(step) > 1e-6 * Math.max(1, modulus(r))) break;
      r = { re: r.re - step.re, im: r.im - step.im };
    }
    return r;
  });
  return tidy(z);
}

function tidy(z: Complex[]): Complex[] {
  const out = z.map((r) => (Math.abs(r.im) <= 1e-12 * modulus(r) ? { re: r.re, im: 0 } : { ...r }));
  // Pair each root with positive imaginary part to its nearest partner below the axis and
  // make them exact conjugates (a real polynomial's complex roots come in such pairs).
  const used = new Set<number>();
  for (let i = 0; i < out.length; i++) {
    if (out[i]!.im <= 0 || used.has(i)) continue;
    let best = -1;
    let bestDistance = Infinity;
    for (let j = 0; j < out.length; j++) {
      if (j === i || used.has(j) || out[j]!.im >= 0) continue;
      const distance = Math.hypot(out[j]!.re - out[i]!.re, out[j]!.im + out[i]!.im);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = j;
      }
    }
    if (best >= 0 && bestDistance <= 1e-6 * Math.max(1, modulus(out[i]!))) {
      const re = 0.5 * (out[i]!.re + out[best]!.re);
      const im = 0.5 * (out[i]!.im - out[best]!.im);
      out[i] = { re, im };
      out[best] = { re, im: -im };
      used.add(i).add(best);
    }
  }
  return out.sort((a, b) => modulus(a) - modulus(b) || Math.atan2(a.im, a.re) - Math.atan2(b.im, b.re));
}
