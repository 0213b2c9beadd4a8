import { describe, expect, it } from 'vitest';
import { kindOfHeading } from '../../server/parse/section-kinds.js';

const cases: Array<[heading: string, kind: string]> = [
  ['一句话答案', 'summary'],
  ['一句話答案', 'summary'],
  ['现象', 'symptom'],
  ['问题描述', 'symptom'],
  ['原因', 'cause'],
  ['原理', 'cause'],
  ['处理步骤', 'steps'],
  ['處理步驟', 'steps'],
  ['排查步骤（先软件后硬件）', 'steps'],
  ['办理流程', 'steps'],
  ['话术', 'script'],
  ['參考話術', 'script'],
  ['升级与时效', 'escalation'],
  ['转派', 'escalation'],
  ['处理时限', 'escalation'],
  ['内部备注', 'internal'],
  ['內部備註', 'internal'],
  // Lookalikes: never guessed public.
  ['安抚话术', 'script'],
  ['话术参考', 'script'],
  ['坐席话术', 'script'],
  ['内部注意事项', 'internal'],
  ['坐席须知', 'internal'],
  ['Internal notes', 'internal'],
  ['ＩＮＴＥＲＮＡＬ', 'internal'],
  ['International roaming', 'plain'],
  ['升级固件', 'plain'],
  ['注意事项', 'plain'],
  ['', 'plain'],
];

describe('kindOfHeading', () => {
  it.each(cases)('%s -> %s', (heading, kind) => {
    expect(kindOfHeading(heading)).toBe(kind);
  });
});
