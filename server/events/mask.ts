/**
 * Personal data that callers read out and agents type into the search box:
 * mainland mobile numbers, resident ID numbers, bank card numbers, landlines.
 * Logged queries keep the shape (so 查询 “手机号 1xx” still groups) but never the digits.
 */
export const DEFAULT_MASKS: Array<{ name: string; pattern: RegExp; replacement: string }> = [
  { name: 'id-number', pattern: /(?<!\d)\d{17}[\dXx](?!\d)/g, replacement: '[身份证号]' },
  { name: 'bank-card', pattern: /(?<!\d)\d{16,19}(?!\d)/g, replacement: '[卡号]' },
  { name: 'mobile', pattern: /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)/g, replacement: '[手机号]' },
  { name: 'landline', pattern: /(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)/g, replacement: '[电话]' },
];

export type Masker = (text: string) => string;

/**
 * Builds the masking function for logged text: the defaults plus any extra
 * patterns from configuration (each replaced by `[已隐藏]`).
 */
export function createMasker(extraPatterns: string[] = []): Masker {
  const rules = [
    ...DEFAULT_MASKS,
    ...extraPatterns.map((source) => ({ name: 'custom', pattern: new RegExp(source, 'g'), replacement: '[已隐藏]' })),
  ];
  return (text) => rules.reduce((out, rule) => out.replace(rule.pattern, rule.replacement), text);
}
