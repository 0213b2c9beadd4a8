import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { LEXICON_DIR } from './load-content.js';

export type SynonymRule = {
  /** Terms that trigger the rule. */
  from: string[];
  /** Terms added to the query when one of `from` appears. For a group, `from` and `to` are the same list. */
  to: string[];
};

export type Lexicon = {
  /** Domain words the segmenter must keep whole (光猫, 机顶盒). */
  dictionary: string[];
  synonyms: SynonymRule[];
  stopwords: string[];
  /** Red-line phrases that must not appear in 话术 (used by lint). */
  forbidden: string[];
  /** Phrases written to agents (请客户, 建工单) that customers must not read on the help page (used by lint). */
  agentVoice: string[];
  /** The raw file texts, part of the index snapshot key. */
  raw: string;
};

export const LEXICON_FILES = [
  'dictionary.txt',
  'synonyms.txt',
  'stopwords.txt',
  'forbidden.txt',
  'agent-voice.txt',
] as const;

/**
 * Reads the trainers' lexicon from `<contentDir>/lexicon/`. Every file is
 * optional. One entry per line; `#` starts a comment.
 */
export async function loadLexicon(contentDir: string): Promise<{ lexicon: Lexicon; diagnostics: Diagnostic[] }> {
  const dir = path.join(contentDir, LEXICON_DIR);
  const texts = await Promise.all(LEXICON_FILES.map((name) => readFile(path.join(dir, name), 'utf8').catch(() => '')));
  return parseLexicon({
    dictionary: texts[0] ?? '',
    synonyms: texts[1] ?? '',
    stopwords: texts[2] ?? '',
    forbidden: texts[3] ?? '',
    agentVoice: texts[4] ?? '',
  });
}

export function parseLexicon(files: {
  dictionary?: string;
  synonyms?: string;
  stopwords?: string;
  forbidden?: string;
  agentVoice?: string;
}): {
  lexicon: Lexicon;
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  // A jieba user-dictionary line is "word [frequency] [tag]": only the word matters to us.
  const dictionary = lines(files.dictionary).map(({ text }) => text.split(/\s+/)[0] ?? '');
  const synonyms: SynonymRule[] = [];
  for (const { text, line } of lines(files.synonyms)) {
    const [left, right, ...rest] = text.split('=>');
    const from = splitTerms(left);
    const to = right === undefined ? from : splitTerms(right);
    if (rest.length > 0 || from.length === 0 || to.length === 0 || (right === undefined && from.length < 2)) {
      diagnostics.push({
        severity: 'error',
        code: 'INVALID_SYNONYM',
        file: `${LEXICON_DIR}/synonyms.txt`,
        line,
        message: `无法识别的同义词行：${text}`,
        hint: '每行一组同义词，用逗号分隔（光猫,猫,ONT）；单向写成 花贝 => 花呗',
      });
      continue;
    }
    synonyms.push({ from, to });
  }
  return {
    lexicon: {
      dictionary: dictionary.filter((w) => w.length > 0),
      synonyms,
      stopwords: lines(files.stopwords).map(({ text }) => text),
      forbidden: lines(files.forbidden).map(({ text }) => text),
      agentVoice: lines(files.agentVoice).map(({ text }) => text),
      raw: [files.dictionary, files.synonyms, files.stopwords, files.forbidden, files.agentVoice]
        .map((t) => t ?? '')
        .join('\u0000'),
    },
    diagnostics,
  };
}

function lines(text: string | undefined): Array<{ text: string; line: number }> {
  return (text ?? '')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((raw, i) => ({ text: raw.replace(/#.*$/, '').trim(), line: i + 1 }))
    .filter((l) => l.text.length > 0);
}

function splitTerms(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[,，、]/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}
