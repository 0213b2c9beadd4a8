import { describe, expect, it } from 'vitest';
import { articleLinks } from '../../server/answer/article-links.js';
import { parseArticle } from '../../server/parse/parse-article.js';
import { article } from '../helpers/sample.js';

const fields = { id: 'a', title: '光猫', product: '宽带', category: '故障排查' };

function sections(body: string) {
  const parsed = parseArticle('a.md', article(fields, body)).article;
  if (!parsed) throw new Error('fixture does not parse');
  return parsed.sections;
}

describe('articleLinks', () => {
  it('lists each kb: link with the text it has in the plain text, once', () => {
    const found = articleLinks(
      sections(
        '## 处理步骤\n1. 重启光猫（方法见 [光猫重启方法](kb:bb-modem-restart)）\n2. 仍不行见 [换猫](kb:bb-modem-replace#steps)，或 [官网](https://example.com)\n3. 再看 [光猫重启方法](kb:bb-modem-restart)',
      ),
    );
    expect(found).toEqual([
      { text: '光猫重启方法', articleId: 'bb-modem-restart' },
      { text: '换猫', articleId: 'bb-modem-replace', anchor: 'steps' },
    ]);
  });

  it('finds nothing in sections without kb: links', () => {
    expect(articleLinks([...sections('## 答案\n重启即可。'), undefined])).toEqual([]);
  });
});
