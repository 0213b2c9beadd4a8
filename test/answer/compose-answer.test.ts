import { beforeAll, describe, expect, it } from 'vitest';
import { composeAnswer } from '../../server/answer/compose-answer.js';
import type { KnowledgeBase } from '../../server/knowledge-base.js';
import { searchKnowledgeBase } from '../../server/search/search.js';
import { loadSampleKnowledgeBase } from '../helpers/app.js';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await loadSampleKnowledgeBase();
});

const answer = async (q: string) => {
  const outcome = await searchKnowledgeBase(kb, { q, scope: 'agent', limit: 4, offset: 0, prefix: false });
  return composeAnswer(outcome, (id) => kb.getArticle(id, 'agent'));
};

describe('composeAnswer', () => {
  it('builds the card from the conventional sections: summary, steps, script, cause, escalation', async () => {
    const result = await answer('空调漏水');
    expect(result.answer?.articleId).toBe('ac-water-leak');
    expect(result.answer?.summary.length).toBeGreaterThan(10);
    expect(result.answer?.steps.length).toBeGreaterThan(1);
    expect(result.answer?.script).toBeTruthy();
    expect(result.answer?.cause).toBeTruthy();
    expect(result.answer?.escalation?.text).toMatch(/小时|工作日|分钟/);
    expect(result.answer?.fault).toBeDefined();
  });

  it('gives the script without the internal notes inside it, since agents copy it to customers', async () => {
    const result = await answer('光猫一直闪红灯');
    const article = kb.getArticle('bb-los-red', 'agent');
    const script = article?.sections.find((s) => s.kind === 'script');
    expect(script?.text).not.toBe(script?.publicText); // the fixture really has an internal block there
    expect(result.answer?.script).toBe(script?.publicText);
  });

  it('gives up to three alternatives, never repeating the answer', async () => {
    const result = await answer('光猫一直闪红灯');
    expect(result.alternatives.length).toBeGreaterThan(0);
    expect(result.alternatives.length).toBeLessThanOrEqual(3);
    expect(result.alternatives.map((a) => a.id)).not.toContain(result.answer?.articleId);
  });

  it('is confident when the typed words are all in a clear winner', async () => {
    const result = await answer('空调漏水');
    expect(result.coverage).toBe(1);
    expect(result.confident).toBe(true);
  });

  it('is not confident when nothing in the knowledge base is about the question', async () => {
    for (const q of ['花呗怎么还款', '火车票改签', '吗呢吧']) {
      const result = await answer(q);
      expect(result.confident, q).toBe(false);
    }
  });

  it('gives no card for a question matched only by chance characters, and offers the loose matches as alternatives', async () => {
    const result = await answer('火星上的外卖怎么点');
    expect(result).toMatchObject({ noGoodMatch: true, answer: null, confident: false, confidence: 0 });
    expect(result.alternatives.length).toBeGreaterThan(0);
  });

  it('scores confidence between 0 and 1, higher for a clear exact question than for a vague one', async () => {
    const clear = await answer('空调漏水');
    const vague = await answer('红灯');
    expect(clear.confidence).toBeGreaterThan(vague.confidence);
    for (const r of [clear, vague]) {
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('returns no card at all when nothing matches', async () => {
    const result = await answer('吗呢吧');
    expect(result).toMatchObject({ answer: null, alternatives: [], confident: false });
  });
});
