import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../server/analyze/analyzer.js';
import { BUILTIN_LEXICON, withBuiltinLexicon } from '../../server/analyze/builtin-lexicon.js';
import { parseLexicon } from '../../server/load/load-lexicon.js';

const empty = parseLexicon({}).lexicon;

describe('the built-in customer-service lexicon', () => {
  it('ships groups of everyday ways to say the same thing', () => {
    expect(BUILTIN_LEXICON.synonyms.length).toBeGreaterThan(50);
    const group = BUILTIN_LEXICON.synonyms.find((r) => r.from.includes('还款'));
    expect(group?.to).toContain('还钱');
  });

  it('expands a query without any trainer lexicon (还钱 finds 还款, 用不了 finds 无法使用)', () => {
    const analyzer = createAnalyzer(empty);
    const terms = (q: string) =>
      analyzer
        .analyzeQuery(q)
        .terms.filter((t) => t.origin === 'synonym')
        .map((t) => t.term);
    expect(terms('怎么还钱')).toContain('还款');
    expect(terms('突然用不了')).toContain('无法使用');
  });

  it("comes first and the trainers' lexicon extends it: both groups apply, and the fingerprint changes", () => {
    const trainer = parseLexicon({ synonyms: '还款,还呗\n' }).lexicon;
    const merged = withBuiltinLexicon(trainer);
    expect(merged.synonyms.slice(0, BUILTIN_LEXICON.synonyms.length)).toEqual(BUILTIN_LEXICON.synonyms);
    expect(merged.synonyms.at(-1)).toEqual({ from: ['还款', '还呗'], to: ['还款', '还呗'] });
    const analyzer = createAnalyzer(trainer);
    const terms = analyzer.analyzeQuery('还钱').terms.map((t) => t.term);
    expect(terms).toContain('还款');
    expect(analyzer.fingerprint).not.toBe(createAnalyzer(empty).fingerprint);
  });

  it('reads two ways of saying it as the same text for rescoring, keeping everything else', () => {
    const analyzer = createAnalyzer(empty);
    expect(analyzer.canonicalText('怎么还钱？')).toBe(analyzer.canonicalText('怎么还款'));
    expect(analyzer.canonicalText('光猫，红灯！')).toBe('光猫红灯');
    expect(analyzer.canonicalText('')).toBe('');
    // The query carries the same canonical text, from its own segmentation (stop words kept there).
    for (const q of ['怎么还钱？', '我的光猫一直闪红灯呢', '😀'])
      expect(analyzer.analyzeQuery(q).canonical).toBe(analyzer.canonicalText(q));
  });
});
