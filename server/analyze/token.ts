/** One segmented word of a text: what the analyzer's tokenizer yields and the fuzzy side (fuzzy-terms.ts) reads. */
export type Token = {
  /** Folded (Simplified, lower-case, half-width) term. */
  term: string;
  /** Offsets into the ORIGINAL text: folding is length-preserving. */
  start: number;
  end: number;
};
