/** Between digit groups as people type them: a space, a hyphen or a dot (after folding full-width forms). */
const SEP = '[ .-]';

/**
 * Personal data that callers read out and agents type into the search box:
 * mainland mobile numbers, resident ID numbers, bank card numbers, landlines,
 * as typed: run together, grouped (`6222 0202 0000 1234 567`, `138.1234.5678`,
 * `110105 19491231 002X`) or in full-width digits (`１３８…`). Logged text keeps
 * its shape (so 查询 “手机号 1xx” still groups) but never the digits. The
 * groupings are the ones these numbers are read in, not any run of digits, so
 * error codes (E1/691), model numbers, dates and amounts stay as typed.
 */
export const DEFAULT_MASKS: Array<{ name: string; pattern: RegExp; replacement: string }> = [
  {
    name: 'id-number',
    // 6-digit region, 8-digit birth date (possibly split 4-4), 3 digits and a check digit or X;
    // ending in X it is an ID number however it is grouped.
    pattern: new RegExp(
      `(?<!\\d)(?:\\d{6}${SEP}?\\d{4}${SEP}?\\d{4}${SEP}?\\d{3}[\\dXx]|\\d(?:${SEP}?\\d){16}${SEP}?[Xx])(?![\\dA-Za-z])`,
      'g',
    ),
    replacement: '[身份证号]',
  },
  {
    name: 'bank-card',
    pattern: new RegExp(
      `(?<!\\d)(?:\\d{16,19}|\\d{4}(?:${SEP}\\d{4}){3}(?:${SEP}?\\d{1,3})?|\\d{6}${SEP}\\d{10,13})(?!\\d)`,
      'g',
    ),
    replacement: '[卡号]',
  },
  {
    name: 'mobile',
    pattern: new RegExp(`(?<!\\d)(?:(?:\\+|00)?86${SEP}?)?1[3-9]\\d${SEP}?\\d{4}${SEP}?\\d{4}(?!\\d)`, 'g'),
    replacement: '[手机号]',
  },
  {
    name: 'landline',
    pattern: new RegExp(`(?<!\\d)(?:\\(0\\d{2,3}\\)|0\\d{2,3})${SEP}?\\d{3,4}${SEP}?\\d{4}(?!\\d)`, 'g'),
    replacement: '[电话]',
  },
];

export type Masker = (text: string) => string;

/**
 * Builds the masking function for logged text: the defaults plus any extra
 * patterns from configuration (each replaced by `[已隐藏]`). Patterns run on a
 * folded copy (full-width digits and punctuation as ASCII, dashes as `-`) and
 * replace the same span of the text as typed, which folding keeps aligned.
 */
export function createMasker(extraPatterns: string[] = []): Masker {
  const rules = [
    ...DEFAULT_MASKS,
    ...extraPatterns.map((source) => ({ name: 'custom', pattern: new RegExp(source, 'g'), replacement: '[已隐藏]' })),
  ];
  return (text) => {
    let typed = text;
    let folded = foldForMasking(text);
    for (const rule of rules) {
      let outTyped = '';
      let outFolded = '';
      let last = 0;
      for (const match of folded.matchAll(rule.pattern)) {
        if (match[0].length === 0) continue;
        outTyped += typed.slice(last, match.index) + rule.replacement;
        outFolded += folded.slice(last, match.index) + rule.replacement;
        last = match.index + match[0].length;
      }
      if (last === 0) continue;
      typed = outTyped + typed.slice(last);
      folded = outFolded + folded.slice(last);
    }
    return typed;
  };
}

/**
 * One UTF-16 unit for one: full-width ASCII forms (U+FF01–FF5E) and the
 * ideographic space to ASCII, the hyphen and dash family and the minus sign to
 * `-`, the ideographic full stop and middle dots to `.`.
 */
function foldForMasking(text: string): string {
  return text
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .replace(/[\u2010-\u2015\u2212\ufe58\ufe63]/g, '-')
    .replace(/[\u3002\u00b7\u30fb\u2027]/g, '.');
}
