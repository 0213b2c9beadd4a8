import { Converter } from 'opencc-js';

// Character-level converters: Taiwan and Hong Kong standard forms to Mainland Simplified.
// We deliberately convert one character at a time (no phrase tables) so the folded
// text has exactly the same UTF-16 length as the original and every offset found in
// the folded text can be used to highlight the original (a Traditional article is
// highlighted in Traditional). Vocabulary differences (軟體/软件) are synonyms, not folding.
const fromTaiwan = Converter({ from: 'tw', to: 'cn' });
const fromHongKong = Converter({ from: 'hk', to: 'cn' });
const toTaiwan = Converter({ from: 'cn', to: 'tw' });
const toHongKong = Converter({ from: 'cn', to: 'hk' });

const cache = new Map<string, string>();

/**
 * Folds text for matching: NFKC (full-width to half-width), Latin lower-case,
 * Traditional to Simplified. Length-preserving: `fold(s).length === s.length`
 * and position i of the result corresponds to position i of `s`.
 */
export function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      // ASCII fast path: only upper-case letters change.
      out += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : text[i];
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      // Astral characters (emoji, rare CJK) are kept as they are, both code units.
      out += text[i] ?? '';
      out += text[i + 1] ?? '';
      i++;
      continue;
    }
    out += foldChar(text[i] ?? '');
  }
  return out;
}

function foldChar(ch: string): string {
  const hit = cache.get(ch);
  if (hit !== undefined) return hit;
  let folded = ch.normalize('NFKC').toLowerCase();
  if (folded.length !== 1) folded = ch; // e.g. ㎏ -> kg would shift offsets: keep the original
  folded = toSimplified(folded);
  cache.set(ch, folded);
  return folded;
}

/**
 * A character already in Simplified use stays as it is: without phrase context
 * the Taiwan table maps 么 to 幺, which would break 怎么. A character is only
 * converted when it is Traditional-only, i.e. converting it "to Traditional"
 * leaves it unchanged.
 */
function toSimplified(ch: string): string {
  for (const [fromTrad, toTrad] of [
    [fromTaiwan, toTaiwan],
    [fromHongKong, toHongKong],
  ] as const) {
    const simplified = fromTrad(ch);
    if (simplified.length === 1 && simplified !== ch && toTrad(ch) === ch) return simplified;
  }
  return ch;
}
