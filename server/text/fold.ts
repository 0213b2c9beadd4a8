import { Converter } from 'opencc-js';

/** Folded code unit for every BMP code unit; 0 means "not computed yet". */
const table = new Uint16Array(0x10000);
/**
 * Blocks where Traditional and Simplified forms differ: radicals, CJK symbols,
 * the unified ideographs (with extension A) and the compatibility forms.
 */
const CJK_BLOCKS: ReadonlyArray<readonly [number, number]> = [
  [0x2e80, 0x9fff],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
];
let prepared = false;
/** Folding is on the search hot path (queries, snippets, rescoring): remember recent long texts. */
const MEMO_MIN_LENGTH = 24;
const MEMO_MAX_ENTRIES = 4096;
const memo = new Map<string, string>();

/**
 * Folds text for matching: NFKC (full-width to half-width), Latin lower-case,
 * Traditional to Simplified. Length-preserving: `fold(s).length === s.length`
 * and position i of the result corresponds to position i of `s`.
 */
export function fold(text: string): string {
  if (!prepared) prepareCjk();
  const long = text.length >= MEMO_MIN_LENGTH;
  if (long) {
    const hit = memo.get(text);
    if (hit !== undefined) return hit;
  }
  const codes = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) {
      codes[i] = code; // surrogate halves (emoji, rare CJK) stay as they are
      continue;
    }
    let folded = table[code] as number;
    if (folded === 0) {
      folded = foldChar(String.fromCharCode(code)).charCodeAt(0);
      table[code] = folded;
    }
    codes[i] = folded;
  }
  let out = '';
  // fromCharCode over chunks: fast, and below the engine's argument-count limit.
  for (let i = 0; i < codes.length; i += 8192) out += String.fromCharCode(...codes.subarray(i, i + 8192));
  if (long) {
    if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
    memo.set(text, out);
  }
  return out;
}

/**
 * Fills the table for the CJK blocks once (about 0.1 s), then lets the
 * converters go: opencc's dictionaries hold some 40 MB of heap, and every
 * later lookup is one array read.
 *
 * Character-level converters, Taiwan and Hong Kong standard forms to Mainland
 * Simplified: one character at a time (no phrase tables), so the folded text
 * has exactly the same UTF-16 length as the original and every offset found in
 * it can highlight the original (a Traditional article is highlighted in
 * Traditional). Vocabulary differences (軟體/软件) are synonyms, not folding.
 */
function prepareCjk(): void {
  const fromTaiwan = Converter({ from: 'tw', to: 'cn' });
  const fromHongKong = Converter({ from: 'hk', to: 'cn' });
  const toTaiwan = Converter({ from: 'cn', to: 'tw' });
  const toHongKong = Converter({ from: 'cn', to: 'hk' });
  /**
   * A character already in Simplified use stays as it is: without phrase context
   * the Taiwan table maps 么 to 幺, which would break 怎么. A character is only
   * converted when it is Traditional-only, i.e. converting it "to Traditional"
   * leaves it unchanged.
   */
  const toSimplified = (ch: string): string => {
    for (const [fromTrad, toTrad] of [
      [fromTaiwan, toTaiwan],
      [fromHongKong, toHongKong],
    ] as const) {
      const simplified = fromTrad(ch);
      if (simplified.length === 1 && simplified !== ch && toTrad(ch) === ch) return simplified;
    }
    return ch;
  };
  for (const [first, last] of CJK_BLOCKS) {
    for (let code = first; code <= last; code++) {
      table[code] = toSimplified(normalizeChar(String.fromCharCode(code))).charCodeAt(0);
    }
  }
  prepared = true;
}

/** Outside the CJK blocks: NFKC and lower case, then the CJK table if that lands in a CJK block. */
function foldChar(ch: string): string {
  const folded = normalizeChar(ch);
  const code = folded.charCodeAt(0);
  return inCjkBlock(code) ? String.fromCharCode(table[code] as number) : folded;
}

function normalizeChar(ch: string): string {
  if (ch.charCodeAt(0) < 0x80) return ch.toLowerCase();
  const folded = ch.normalize('NFKC').toLowerCase();
  return folded.length === 1 ? folded : ch; // e.g. ㎏ -> kg would shift offsets: keep the original
}

function inCjkBlock(code: number): boolean {
  return CJK_BLOCKS.some(([first, last]) => code >= first && code <= last);
}
