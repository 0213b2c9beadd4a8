import { readFileSync } from 'node:fs';
import { type Lexicon, parseLexicon } from '../load/load-lexicon.js';

/**
 * The built-in customer-service lexicon (lexicon/synonyms.txt beside this
 * file): the common ways to say the same thing that any Chinese contact
 * centre meets (还钱/还款, 用不了/无法使用, 开通/激活), in the trainers' format.
 * Every analyzer and the Meilisearch settings use it with the trainers'
 * lexicon after it, so a trainer extends it and never has to repeat it.
 */
const file = new URL('./lexicon/synonyms.txt', import.meta.url);
const parsed = parseLexicon({ synonyms: readFileSync(file, 'utf8') });
if (parsed.diagnostics.length > 0) {
  // A shipped file that does not parse is a bug in the release, not a content problem.
  throw new Error(`built-in lexicon: ${parsed.diagnostics.map((d) => `line ${d.line}: ${d.message}`).join('; ')}`);
}

export const BUILTIN_LEXICON: Lexicon = parsed.lexicon;

/** The lexicon the analyzer works with: the built-in one, then the trainers'. */
export function withBuiltinLexicon(lexicon: Lexicon): Lexicon {
  return {
    ...lexicon,
    dictionary: [...BUILTIN_LEXICON.dictionary, ...lexicon.dictionary],
    synonyms: [...BUILTIN_LEXICON.synonyms, ...lexicon.synonyms],
    raw: `${BUILTIN_LEXICON.raw}\u0001${lexicon.raw}`,
  };
}
