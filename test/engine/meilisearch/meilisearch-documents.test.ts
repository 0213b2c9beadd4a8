import { beforeAll, describe, expect, it } from 'vitest';
import { type Analyzer, createAnalyzer } from '../../../server/analyze/analyzer.js';
import { toSectionDocs } from '../../../server/analyze/section-docs.js';
import {
  gramToken,
  type MeiliDoc,
  meiliId,
  toMeiliDocs,
} from '../../../server/engine/meilisearch/meilisearch-documents.js';
import type { Article } from '../../../server/parse/article.js';
import { parseArticle } from '../../../server/parse/parse-article.js';
import { article, sampleLexicon } from '../../helpers/sample.js';

let analyzer: Analyzer;
let docs: MeiliDoc[];
beforeAll(() => {
  analyzer = createAnalyzer(sampleLexicon());
  // Written in Traditional, with a Chinese heading (anchor) and an internal block in a public section.
  const source = article(
    { id: 'bb-los-tw', title: '光貓 LOS 燈紅色閃爍', product: '寬頻', category: '故障排查', audience: 'public' },
    '## 一句話答案\nLOS 紅燈是線路故障。\n\n## 處理步驟\n1. 檢查光纖\n\n::: internal\n內部暗號 藍鯨計劃\n:::\n\n## 自助排查小技巧\n重啟光貓。',
  );
  const parsed = parseArticle('bb-los-tw.md', source).article as Article;
  docs = toMeiliDocs(toSectionDocs(parsed, analyzer));
});

describe('Meilisearch documents', () => {
  it('holds pre-folded, pre-segmented searchable fields: Simplified terms joined by spaces', () => {
    const summary = docs.find((d) => d.kind === 'summary');
    expect(summary?.title.split(' ')).toEqual(expect.arrayContaining(['光猫', 'los']));
    expect(summary?.title).not.toMatch(/貓|燈/);
    expect(summary?.body.split(' ')).toEqual(expect.arrayContaining(['红灯', '线路', '故障']));
    expect(summary?.heading.split(' ')).toContain('答案'); // 一句話答案, folded and segmented
  });

  it('keeps filter values and anchors as written', () => {
    for (const doc of docs) {
      expect(doc.product).toBe('寬頻');
      expect(doc.category).toBe('故障排查');
      expect(doc.articleId).toBe('bb-los-tw');
    }
    expect(docs.map((d) => d.sectionId)).toContain(`bb-los-tw#${docs.find((d) => d.kind === 'plain')?.anchor}`);
  });

  it('gives every section a valid, stable Meilisearch id (section ids hold Chinese anchors)', () => {
    for (const doc of docs) {
      expect(doc.id).toMatch(/^[A-Za-z0-9_-]{1,511}$/);
      expect(doc.id).toBe(meiliId(doc.sectionId));
    }
    expect(new Set(docs.map((d) => d.id)).size).toBe(docs.length);
  });

  it('indexes a section with an internal block twice: agent (full) and public (redacted)', () => {
    const steps = docs.filter((d) => d.kind === 'steps');
    expect(steps.map((d) => d.visibility).sort()).toEqual(['agent', 'public']);
    expect(steps.find((d) => d.visibility === 'agent')?.body).toContain('蓝鲸');
    expect(steps.find((d) => d.visibility === 'public')?.body).not.toContain('蓝鲸');
    expect(docs.every((d) => d.audience === 'public')).toBe(true);
  });

  it('ranks the one-line answer first among equal matches and sends grams as Latin words', () => {
    const rank = (kind: string) => docs.find((d) => d.kind === kind)?.kindRank ?? -1;
    expect(rank('summary')).toBeGreaterThan(rank('steps'));
    expect(rank('steps')).toBeGreaterThan(rank('plain'));
    const grams = docs[0]?.grams.split(' ') ?? [];
    // 光猫 as h + code points (one Latin word charabia keeps whole); pinyin folds -ng to -n.
    expect(grams).toEqual(expect.arrayContaining(['h5149732b', 'guanmao']));
    for (const gram of grams) expect(gram).toMatch(/^[a-z0-9]+$/);
    expect(grams).not.toContain('h5149'); // unigrams are never queried, so never sent
  });

  it('marks an internal article internal', () => {
    const parsed = parseArticle(
      'x.md',
      article({ id: 'svc-x', title: '赔付权限', product: '服务规范', category: '政策规定' }, '## 答案\n内部。'),
    ).article as Article;
    expect(toMeiliDocs(toSectionDocs(parsed, analyzer)).map((d) => [d.audience, d.visibility])).toEqual([
      ['internal', 'agent'],
    ]);
  });

  it('encodes gram terms one to one', () => {
    expect(gramToken('_光猫')).toBe('h5149732b');
    expect(gramToken('_光')).toBeUndefined();
    expect(gramToken('^guanmao')).toBe('guanmao');
    expect(gramToken('光猫')).toBeUndefined();
    expect(gramToken('_光猫')).not.toBe(gramToken('_猫光'));
  });
});
