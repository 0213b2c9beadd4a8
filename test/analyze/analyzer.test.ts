import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Analyzer, createAnalyzer } from '../../server/analyze/analyzer.js';
import { parseLexicon } from '../../server/load/load-lexicon.js';
import { ROOT, sampleLexicon } from '../helpers/sample.js';

type Cases = {
  tokenize: Array<{ input: string; terms: string[]; why: string }>;
  synonyms: Array<{ input: string; includes: string[]; why: string }>;
};
const cases = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/segmentation.json'), 'utf8')) as Cases;

let analyzer: Analyzer;
beforeAll(() => {
  analyzer = createAnalyzer(sampleLexicon());
});

describe('analyzer: segmentation cases (test/fixtures/segmentation.json)', () => {
  it.each(cases.tokenize)('$input -> $terms ($why)', ({ input, terms }) => {
    expect(analyzer.tokenize(input).map((t) => t.term)).toEqual(terms);
  });

  it.each(cases.synonyms)('$input expands to $includes ($why)', ({ input, includes }) => {
    const terms = analyzer.analyzeQuery(input).terms.map((t) => t.term);
    for (const term of includes) expect(terms).toContain(term);
  });
});

describe('analyzer', () => {
  it('gives offsets into the original text, so Traditional text can be highlighted as written', () => {
    const text = '您的光貓 LOS 燈在閃';
    for (const token of analyzer.tokenize(text)) {
      expect(text.slice(token.start, token.end).length).toBe(token.term.length);
    }
    const los = analyzer.tokenize(text).find((t) => t.term === 'los');
    expect(los && text.slice(los.start, los.end)).toBe('LOS');
    const cat = analyzer.tokenize(text).find((t) => t.term === '光猫');
    expect(cat && text.slice(cat.start, cat.end)).toBe('光貓');
  });

  it('weights typed words above synonyms above character grams, each tied to the word it came from', () => {
    const q = analyzer.analyzeQuery('光毛亮红灯');
    const byTerm = new Map(q.terms.map((t) => [t.term, t]));
    expect(byTerm.get('光毛')).toMatchObject({ origin: 'query', weight: 1 });
    expect(byTerm.get('光猫')).toMatchObject({ origin: 'synonym', source: '光毛' });
    const gram = q.terms.find((t) => t.origin === 'gram');
    expect(gram?.weight).toBeLessThan(byTerm.get('光猫')?.weight ?? 0);
    expect(q.normalized).toBe('光毛 亮红灯');
  });

  it('indexes the sub-words of long words so a fragment finds the whole word', () => {
    expect(analyzer.indexTerms('待处理工单')).toEqual(expect.arrayContaining(['处理', '待处理']));
  });

  it('in a long rambling query, only the most informative words must be covered (the rest are still searched)', () => {
    const q = analyzer.analyzeQuery(
      '我跟你说啊我家那个宽带从前天开始就时好时坏的，晚上看电视也卡，你们到底什么时候能派人来修',
    );
    const typed = q.terms.filter((t) => t.origin === 'query');
    const major = typed.filter((t) => !t.minor).map((t) => t.term);
    expect(typed.length).toBeGreaterThan(6);
    expect(major).toHaveLength(6);
    expect(major).toEqual(expect.arrayContaining(['宽带', '时好时坏']));
    expect(major).not.toContain('开始');
    expect(analyzer.analyzeQuery('光猫一直闪红灯').terms.some((t) => t.minor)).toBe(false);
  });

  it('a query of only stop words has no terms', () => {
    expect(analyzer.analyzeQuery('请问为什么呢？').terms).toEqual([]);
  });

  it('keeps a word from a new lexicon whole, and its fingerprint changes with the lexicon', () => {
    const plain = createAnalyzer(parseLexicon({}).lexicon);
    const withWord = createAnalyzer(parseLexicon({ dictionary: '橙心套餐\n' }).lexicon);
    expect(withWord.tokenize('办理橙心套餐').map((t) => t.term)).toContain('橙心套餐');
    expect(withWord.fingerprint).not.toBe(plain.fingerprint);
    // Restore the sample lexicon for the other tests in this file.
    analyzer = createAnalyzer(sampleLexicon());
  });
});
