import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../server/parse/parse-article.js';
import { hashSource } from '../../server/parse/parse-cache.js';
import { type ParsedSource, resolveArticles, type ServedVersion } from '../../server/parse/resolve-articles.js';
import { article } from '../helpers/sample.js';

const text = (id: string, title: string) =>
  article({ id, title, product: '宽带', category: '故障排查' }, `## 一句话答案\n${title}的处理办法。`);
const BROKEN = '---\nid: x\ntitle: [坏了\n---\n';

const source = (file: string, body: string): ParsedSource => ({
  file,
  hash: hashSource(body),
  result: parseArticle(file, body),
});
const servedBy = (file: string, body: string): ServedVersion => {
  const { result, hash } = source(file, body);
  if (!result.article) throw new Error(`fixture ${file} does not parse`);
  return { article: result.article, hash };
};

/** Runs the rules; `before` is what each file served before (the live state, or the parse cache after a restart). */
function resolve(files: Record<string, string>, before: Record<string, string> = {}) {
  const current = Object.entries(files)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([file, body]) => source(file, body));
  const previous = new Map(Object.entries(before).map(([file, body]) => [file, servedBy(file, body)]));
  const resolved = resolveArticles(current, (file) => previous.get(file));
  return Object.fromEntries(
    resolved.map((f) => [
      f.file,
      {
        serves: f.served?.article.title ?? null,
        problems: f.diagnostics.map((d) => [d.code, d.line, d.field ?? null]),
      },
    ]),
  );
}

describe('resolveArticles: which article each file serves', () => {
  it('gives a duplicate id to the first file in path order when nothing was served before', () => {
    expect(resolve({ 'a.md': text('bb', '甲'), 'b.md': text('bb', '乙') })).toEqual({
      'a.md': { serves: '甲', problems: [] },
      'b.md': { serves: null, problems: [['DUPLICATE_ID', 2, 'id']] },
    });
  });

  it('keeps an id with the file that already serves it, even against an earlier path', () => {
    const result = resolve(
      { 'a-draft.md': text('bb', '草稿'), 'b.md': text('bb', '正式') },
      { 'b.md': text('bb', '正式') },
    );
    expect(result).toEqual({
      'a-draft.md': { serves: null, problems: [['DUPLICATE_ID', 2, 'id']] },
      'b.md': { serves: '正式', problems: [] },
    });
  });

  it('hands the id to the newcomer once the holder is gone or takes another id', () => {
    expect(resolve({ 'a-draft.md': text('bb', '草稿') }, { 'b.md': text('bb', '正式') })).toEqual({
      'a-draft.md': { serves: '草稿', problems: [] },
    });
    const renamed = resolve(
      { 'a-draft.md': text('bb', '草稿'), 'b.md': text('bb-new', '正式') },
      { 'b.md': text('bb', '正式') },
    );
    expect(renamed['a-draft.md']?.serves).toBe('草稿');
    expect(renamed['b.md']?.serves).toBe('正式');
  });

  it('keeps serving the last good version of a broken file, and says so', () => {
    expect(resolve({ 'a.md': BROKEN }, { 'a.md': text('bb', '旧版') })).toEqual({
      'a.md': {
        serves: '旧版',
        problems: [
          ['INVALID_FRONT_MATTER', 3, null],
          ['SERVING_PREVIOUS_VERSION', 1, null],
        ],
      },
    });
  });

  it('keeps a file on its previous version when its new id is taken', () => {
    const result = resolve(
      { 'a.md': text('bb', '甲'), 'b.md': text('bb', '乙改成了甲的 id') },
      { 'a.md': text('bb', '甲'), 'b.md': text('cc', '乙') },
    );
    expect(result).toEqual({
      'a.md': { serves: '甲', problems: [] },
      'b.md': {
        serves: '乙',
        problems: [
          ['DUPLICATE_ID', 2, 'id'],
          ['SERVING_PREVIOUS_VERSION', 1, null],
        ],
      },
    });
  });

  it('lets no newcomer take an id whose holder broke', () => {
    const result = resolve({ 'a-draft.md': text('bb', '草稿'), 'b.md': BROKEN }, { 'b.md': text('bb', '正式') });
    expect(result['a-draft.md']).toEqual({ serves: null, problems: [['DUPLICATE_ID', 2, 'id']] });
    expect(result['b.md']?.serves).toBe('正式');
  });
});
