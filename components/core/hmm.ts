// Categorical hidden Markov models: one import for the whole toolkit, plus the 27-symbol
// text alphabet used with data/english-text.txt.
//
//   hmmValidate.ts  HmmParams (π, P K×K rows sum to 1, C V×K columns sum to 1) and checks
//   hmmForward.ts   normalised forward recursion α(t+1) = Pᵀ(α(t) ⊙ Cᵀx(t)) / (α(t)ᵀCᵀx(t))
//   hmmBackward.ts  scaled backward messages, posteriors γ(t) and ξ(t)
//   baumWelch.ts    expected counts (E-step), M-step, EM loop
//   viterbi.ts      most probable state path, in log space
//   hmmSample.ts    sampling and random parameters

export * from "./hmmValidate.js";
export * from "./hmmForward.js";
export * from "./hmmBackward.js";
export * from "./baumWelch.js";
export * from "./viterbi.js";
export * from "./hmmSample.js";

/** The 27 symbols of the text experiments: symbol 0 is the space, 1..26 are a..z. */
export const TEXT_ALPHABET = " abcdefghijklmnopqrstuvwxyz";

/**
 * The preprocessing behind data/english-text.txt: Unicode NFD with accents dropped,
 * lower case, apostrophes (' and ’) deleted so that "don't" becomes "dont", every other
 * character outside a–z (punctuation, digits, line breaks, the _ of italics) turned into
 * a space, runs of spaces collapsed to one, and the ends trimmed.
 */
export function normaliseText(raw: string): string {
  return raw
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['\u2019]/g, "")
    .replace(/[^a-z]+/g, " ")
    .trim();
}

/** Maps text over TEXT_ALPHABET to symbols (space → 0, a → 1, …, z → 26); names the first bad character. */
export function encodeText(text: string): number[] {
  const xs = new Array<number>(text.length);
  for (let t = 0; t < text.length; t++) {
    const v = TEXT_ALPHABET.indexOf(text[t]!);
    if (v < 0) {
      throw new Error(
        `Character ${JSON.stringify(text[t])} at position ${t} is not in the 27-symbol alphabet (space and a–z); run normaliseText first.`,
      );
    }
    xs[t] = v;
  }
  return xs;
}

/** The inverse of encodeText: symbols 0..26 back to characters. */
export function decodeSymbols(xs: readonly number[]): string {
  return xs
    .map((v, t) => {
      const ch = Number.isInteger(v) ? TEXT_ALPHABET[v] : undefined;
      if (ch === undefined) throw new Error(`x[${t}] = ${v} is outside the alphabet {0, …, 26}.`);
      return ch;
    })
    .join("");
}
