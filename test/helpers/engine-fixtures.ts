import type { SectionDoc } from '../../server/analyze/section-docs.js';
import type { EngineQuery } from '../../server/engine/search-engine.js';

/** One public summary section of article `articleId`, with `word` in its body. */
export function sectionDoc(articleId = 'a', word = '红灯'): SectionDoc {
  return {
    id: `${articleId}#summary`,
    articleId,
    anchor: 'summary',
    kind: 'summary',
    product: '宽带',
    category: '故障排查',
    visibility: 'all',
    fields: { title: ['光猫'], questions: [], heading: [], body: [word], grams: [] },
  };
}

/** An agent-scope query for one typed word. */
export function wordQuery(word = '红灯'): EngineQuery {
  return {
    terms: [{ term: word, weight: 1, origin: 'query', source: word }],
    prefixLast: false,
    scope: 'agent',
    filters: {},
    limit: 5,
    offset: 0,
  };
}
