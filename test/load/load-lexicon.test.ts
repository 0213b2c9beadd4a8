import { describe, expect, it } from 'vitest';
import { parseLexicon } from '../../server/load/load-lexicon.js';

describe('parseLexicon', () => {
  it('reads groups, one-way rules, comments and jieba-style dictionary lines', () => {
    const { lexicon, diagnostics } = parseLexicon({
      dictionary: '# 注释\n光猫 100 n\n机顶盒\n\n',
      synonyms: '光猫,猫,ONT\n光毛, 光帽 => 光猫  # 错别字\n',
      stopwords: '客服\n',
    });
    expect(diagnostics).toEqual([]);
    expect(lexicon.dictionary).toEqual(['光猫', '机顶盒']);
    expect(lexicon.synonyms).toEqual([
      { from: ['光猫', '猫', 'ONT'], to: ['光猫', '猫', 'ONT'] },
      { from: ['光毛', '光帽'], to: ['光猫'] },
    ]);
    expect(lexicon.stopwords).toEqual(['客服']);
  });

  it('reports a malformed synonym line with its line number and keeps the rest', () => {
    const { lexicon, diagnostics } = parseLexicon({ synonyms: '光猫,猫\n孤零零\na => b => c\n' });
    expect(lexicon.synonyms).toHaveLength(1);
    expect(diagnostics.map((d) => [d.file, d.line])).toEqual([
      ['lexicon/synonyms.txt', 2],
      ['lexicon/synonyms.txt', 3],
    ]);
  });
});
