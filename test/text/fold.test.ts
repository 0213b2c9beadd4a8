import { describe, expect, it } from 'vitest';
import { fold } from '../../server/text/fold.js';

const cases: Array<[input: string, folded: string]> = [
  ['客服知識庫', '客服知识库'],
  ['光貓一直閃紅燈', '光猫一直闪红灯'],
  ['機頂盒', '机顶盒'],
  ['ＷｉＦｉ　密碼', 'wifi 密码'],
  ['LOS 燈', 'los 灯'],
  ['裏面', '里面'],
];

describe('fold', () => {
  it.each(cases)('%s -> %s', (input, folded) => {
    expect(fold(input)).toBe(folded);
  });

  it('never changes the length, so offsets in the folded text fit the original', () => {
    for (const text of ['㎏ ① ﬁ 😀 光貓', 'Ｅ１錯誤', '\u200f\u202e RTL', '𠮷野家']) {
      expect(fold(text).length).toBe(text.length);
    }
  });
});
