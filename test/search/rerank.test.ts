import { describe, expect, it } from 'vitest';
import type { EngineHit } from '../../server/engine/search-engine.js';
import { bigramCodes, lcsAgainst, QueryProbe, rerank, toSurface } from '../../server/search/rerank.js';

const lcs = (a: string, b: string) => lcsAgainst(toSurface(a).codes)(toSurface(b).codes);

/** The textbook dynamic programme, to check the bit-parallel one against. */
function lcsReference(a: string, b: string): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const current = [0];
    for (let j = 1; j <= b.length; j++) {
      const diagonal = previous[j - 1] ?? 0;
      current.push(a[i - 1] === b[j - 1] ? diagonal + 1 : Math.max(previous[j] ?? 0, current[j - 1] ?? 0));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

const hit = (articleId: string, score: number): EngineHit => ({
  articleId,
  score,
  section: { anchor: 'summary', kind: 'summary' },
  matchedTerms: [],
});

describe('longest common subsequence', () => {
  it('agrees with the dynamic programme on random strings of every length up to 40', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = '还款银行卡怎么更换绑定的ab1';
    const word = (n: number) =>
      Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let i = 0; i < 400; i++) {
      const a = word(Math.floor(random() * 41));
      const b = word(Math.floor(random() * 41));
      expect(lcs(a, b), `${a} / ${b}`).toBe(lcsReference(a, b));
    }
  });

  it('handles repeated characters, empty strings and the 31/32-character boundary', () => {
    expect(lcs('', '还款')).toBe(0);
    expect(lcs('还款', '')).toBe(0);
    expect(lcs('啊啊啊', '啊')).toBe(1);
    const long = '我'.repeat(31);
    expect(lcs(long, long)).toBe(31);
    expect(lcs(`${long}你`, `${long}你`)).toBe(32);
  });
});

describe('rescoring by how alike the query and a title read', () => {
  it('scores the same words in the same order above a scattered match', () => {
    const probe = new QueryProbe('怎么更换绑定的银行卡');
    const close = probe.best([toSurface('更换绑定银行卡')]);
    const far = probe.best(['银行卡年费怎么收', '绑定失败'].map(toSurface));
    expect(close.boost).toBeGreaterThan(far.boost);
    expect(close.lcsSurface).toBe(1);
  });

  it('lifts the article whose title reads like the query over a higher engine score, and keeps every hit', () => {
    const titles: Record<string, ReturnType<typeof toSurface>[]> = {
      a: [toSurface('宽带资费套餐一览')],
      b: [toSurface('宽带怎么办理移机')],
    };
    const ranked = rerank([hit('a', 1.2), hit('b', 1)], '宽带办理移机', (id) => titles[id]);
    expect(ranked.map((h) => h.articleId)).toEqual(['b', 'a']);
    expect(ranked[0]?.similarity.boost).toBeGreaterThan(0);
  });

  it('leaves hits beyond the window below those inside it, in engine order', () => {
    const hits = [hit('a', 5), hit('b', 4), hit('c', 3), hit('d', 2)];
    const ranked = rerank(hits, '退款', () => [toSurface('退款')], 2);
    expect(ranked.slice(2).map((h) => h.articleId)).toEqual(['c', 'd']);
    expect(Math.min(...ranked.slice(0, 2).map((h) => h.score))).toBeGreaterThan(ranked[2]?.score ?? Infinity);
  });

  it('never throws on empty, emoji-only or very long queries, and an unknown article gets no boost', () => {
    for (const q of ['', '😀😀', '光猫'.repeat(250)]) {
      const ranked = rerank([hit('a', 1), hit('gone', 2)], q, (id) =>
        id === 'a' ? [toSurface('光猫亮红灯')] : undefined,
      );
      expect(ranked).toHaveLength(2);
      expect(ranked.every((h) => Number.isFinite(h.score))).toBe(true);
    }
  });

  it('treats a one-character string as its own bigram and counts a repeated bigram once', () => {
    expect([...bigramCodes(toSurface('卡').codes)]).toEqual(['卡'.charCodeAt(0)]);
    expect(bigramCodes(toSurface('银行卡').codes)).toHaveLength(2);
    expect(bigramCodes(toSurface('哈哈哈').codes)).toHaveLength(1);
  });

  it('gives the same answer when two prepared queries take turns with the shared mask table', () => {
    const first = lcsAgainst(toSurface('光猫红灯').codes);
    const second = lcsAgainst(toSurface('空调漏水').codes);
    const other = toSurface('光猫亮红灯空调').codes;
    expect(first(other)).toBe(4);
    expect(second(other)).toBe(2);
    expect(first(other)).toBe(4);
  });
});
