// A seeded pseudo-random number generator. Pure TypeScript, no dependencies.
//
// Algorithm: xoshiro128** (Blackman & Vigna, 2018), a 32-bit generator with 128 bits of
// state and period 2^128 − 1 that passes BigCrush. Its four state words are filled from
// the seed by the splitmix32 mixer (Weyl step 0x9e3779b9, then two multiply–xorshift
// rounds). Everything is 32-bit integer arithmetic (Math.imul, >>>), so the same seed
// gives the same integer stream in every JavaScript engine.
//
// Normal draws use Marsaglia's polar method, which needs only Math.log and Math.sqrt (no
// sin/cos): sqrt is exactly rounded everywhere, and log is identical across V8 builds
// (other engines may differ in the last bit of log only).

export interface Rng {
  /** A uniform double in [0, 1) with 53 random bits (two 32-bit draws). */
  uniform(): number;
  /** A standard normal draw (mean 0, variance 1). */
  normal(): number;
  /** A uniform integer in {0, …, n − 1}, without modulo bias; 1 ≤ n ≤ 2^32. */
  int(n: number): number;
  /** Shuffles `a` in place (Fisher–Yates) and returns it. */
  shuffle<T>(a: T[]): T[];
  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number;
  /** The seed this generator was created with. */
  readonly seed: number;
}

const TWO_POW_32 = 4294967296;

/** splitmix32: advances a 32-bit Weyl sequence and returns a well-mixed word. */
function splitmix32(state: { z: number }): number {
  state.z = (state.z + 0x9e3779b9) >>> 0;
  let z = state.z;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * The raw xoshiro128** step over a 4-word state (mutated in place). Exported so that the
 * tests can check it against the reference output for the state [1, 2, 3, 4].
 */
export function xoshiro128StarStar(s: Uint32Array): () => number {
  if (s.length !== 4) throw new Error(`xoshiro128** needs 4 state words, got ${s.length}.`);
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) throw new Error("xoshiro128** state must not be all zero.");
  return () => {
    // result = rotl(s1 · 5, 7) · 9 (mod 2^32)
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2] ^= s[0]!;
    s[3] ^= s[1]!;
    s[1] ^= s[2]!;
    s[0] ^= s[3]!;
    s[2] ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  };
}

/**
 * Creates a generator from an integer seed (any safe integer, negative allowed; the low
 * and high 32-bit halves both enter the state).
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) {
    throw new Error(`The seed must be a safe integer, got ${seed}.`);
  }
  const low = seed >>> 0;
  const high = Math.floor(seed / TWO_POW_32) >>> 0;
  const mixer = { z: (low ^ Math.imul(high, 0x85ebca6b)) >>> 0 };
  const state = new Uint32Array(4);
  for (let i = 0; i < 4; i++) state[i] = splitmix32(mixer);
  if ((state[0]! | state[1]! | state[2]! | state[3]!) === 0) state[0] = 1; // never happens in practice
  const next = xoshiro128StarStar(state);

  let spareNormal: number | null = null;

  const uniform = (): number => {
    // 27 high bits + 26 high bits = 53 bits: (a · 2^26 + b) / 2^53
    const a = next() >>> 5;
    const b = next() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  };

  const normal = (): number => {
    if (spareNormal !== null) {
      const z = spareNormal;
      spareNormal = null;
      return z;
    }
    // Polar method: (u, v) uniform in the unit disc, s = u² + v²;
    // then u·m and v·m with m = sqrt(−2 ln s / s) are two independent N(0, 1) draws.
    let u: number, v: number, s: number;
    do {
      u = 2 * uniform() - 1;
      v = 2 * uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    spareNormal = v * m;
    return u * m;
  };

  const int = (n: number): number => {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new Error(`int(n) needs an integer n with 1 ≤ n ≤ 2^32, got ${n}.`);
    }
    // Rejection sampling: accept only draws below the largest multiple of n.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x: number;
    do x = next();
    while (x >= limit);
    return x % n;
  };

  const shuffle = <T>(a: T[]): T[] => {
    for (let i = a.length - 1; i > 0; i--) {
      const j = int(i + 1);
      const tmp = a[i]!;
      a[i] = a[j]!;
      a[j] = tmp;
    }
    return a;
  };

  return { uniform, normal, int, shuffle, nextUint32: next, seed };
}
