import { createHash } from 'node:crypto';
import { GRAM_PREFIX, PINYIN_PREFIX } from '../../analyze/fuzzy-terms.js';
import type { SectionDoc, Visibility } from '../../analyze/section-docs.js';
import type { SectionKind } from '../../parse/article.js';

/** The id of the one document per index that records which corpus it holds. */
export const META_ID = 'kb-meta';
/** The meta document's visibility: no scope filter ever matches it. */
export const META_VISIBILITY = 'meta';

/**
 * Section kinds in the order an agent wants to see them when the matches tie
 * (the `kindRank:desc` ranking rule): the one-line answer, then the steps.
 */
const KIND_RANK: Record<SectionKind, number> = {
  summary: 7,
  steps: 6,
  symptom: 5,
  cause: 4,
  escalation: 3,
  script: 2,
  plain: 1,
  internal: 0,
};

/**
 * One Meilisearch document per section. The searchable fields hold the
 * analyzer's folded (Simplified, lower-case) terms joined by spaces, so
 * Meilisearch's own Chinese segmentation only ever sees single words and a
 * Traditional query (folded by the same analyzer) behaves as in the embedded
 * engine. Product, category and anchor stay as written: they are filter values
 * and labels. Titles and snippets shown to users come from the parsed article,
 * never from the index.
 */
export type MeiliDoc = {
  /** Meilisearch ids allow only `[A-Za-z0-9_-]`; section ids hold Chinese anchors, so they are hashed. */
  id: string;
  sectionId: string;
  articleId: string;
  anchor: string;
  kind: SectionKind;
  kindRank: number;
  product: string;
  category: string;
  visibility: Visibility;
  /** `public` when some part of the article is public; for operators' filters, not for scope. */
  audience: 'public' | 'internal';
  title: string;
  questions: string;
  heading: string;
  body: string;
  /** Character bigrams and pinyin pairs as opaque Latin tokens (see `gramToken`). */
  grams: string;
};

/** Records the corpus key and the settings an index was built with (see `sync`). */
export type MetaDoc = {
  id: typeof META_ID;
  articleId: string;
  visibility: typeof META_VISIBILITY;
  kindRank: number;
  /** Null after incremental changes that were not committed yet: a restart rebuilds. */
  key: string | null;
  settingsHash: string;
  /** Articles at the last full build: the word weights of a search need only a rough count. */
  articles: number;
};

/** Maps port documents to Meilisearch documents (see `MeiliDoc`). */
export function toMeiliDocs(docs: SectionDoc[]): MeiliDoc[] {
  const publicArticles = new Set(docs.filter((d) => d.visibility !== 'agent').map((d) => d.articleId));
  return docs.map((doc) => ({
    id: meiliId(doc.id),
    sectionId: doc.id,
    articleId: doc.articleId,
    anchor: doc.anchor,
    kind: doc.kind,
    kindRank: KIND_RANK[doc.kind],
    product: doc.product,
    category: doc.category,
    visibility: doc.visibility,
    audience: publicArticles.has(doc.articleId) ? 'public' : 'internal',
    title: doc.fields.title.join(' '),
    questions: doc.fields.questions.join(' '),
    heading: doc.fields.heading.join(' '),
    body: doc.fields.body.join(' '),
    grams: gramTokens(doc.fields.grams).join(' '),
  }));
}

export function metaDoc(key: string | null, settingsHash: string, articles: number): MetaDoc {
  return { id: META_ID, articleId: '@meta', visibility: META_VISIBILITY, kindRank: 0, key, settingsHash, articles };
}

/** A stable, valid Meilisearch document id for a section id. */
export function meiliId(sectionId: string): string {
  return createHash('sha256').update(sectionId).digest('hex').slice(0, 40);
}

/**
 * A gram term as one Meilisearch word. Under a Chinese locale charabia
 * re-segments every space-separated word that is not in the `dictionary`
 * setting, and jieba (without HMM) cuts an unknown pair of characters into two
 * single characters (charabia 0.9.9 `segmenter/chinese.rs`), so a bigram sent
 * as Han text would be indexed and searched as single characters: an article
 * sharing one chance character would get a grams hit. The index now uses a
 * locale that keeps words whole (`PRESEGMENTED_LOCALE`), but a bigram is still
 * sent as `h` and the hex code points of its characters (光猫 -> h5149732b), a
 * Latin word every locale keeps whole (`segmenter/latin`), so the grams never
 * depend on that setting; pinyin pairs are Latin already. Neither can
 * meet a word field, which is searched by other queries. Unigrams are never
 * queried (single characters are chance evidence) and are not sent.
 */
export function gramToken(term: string): string | undefined {
  if (term.startsWith(PINYIN_PREFIX)) return term.slice(1);
  if (!term.startsWith(GRAM_PREFIX)) return undefined;
  const chars = [...term.slice(1)];
  if (chars.length < 2) return undefined;
  return `h${chars.map((c) => (c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')).join('')}`;
}

function gramTokens(terms: string[]): string[] {
  const tokens: string[] = [];
  for (const term of terms) {
    const token = gramToken(term);
    if (token) tokens.push(token);
  }
  return tokens;
}
