import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMasker } from '../../server/events/mask.js';

/** Real shapes of personal data, and ordinary text that must survive (pii-shapes.json). */
const shapes = JSON.parse(readFileSync(new URL('./pii-shapes.json', import.meta.url), 'utf8')) as {
  mask: Array<[input: string, masked: string]>;
  keep: string[];
};

describe('createMasker: personal data as it is typed', () => {
  const mask = createMasker();
  it.each(shapes.mask)('%s -> %s', (input, masked) => {
    expect(mask(input)).toBe(masked);
  });
  it.each(shapes.keep)('keeps %s', (input) => {
    expect(mask(input)).toBe(input);
  });
  it('extra patterns from configuration also see full-width digits', () => {
    expect(createMasker(['会员号\\d{8}'])('会员号１２３４５６７８ 退款')).toBe('[已隐藏] 退款');
  });
});
