import type { KnowledgeBase } from '../knowledge-base.js';
import type { Article } from '../parse/article.js';
import { escapeHtml } from '../search/snippet.js';
import { viewArticle } from './article-view.js';

/**
 * A self-contained HTML page showing an article as agents and as customers
 * will see it, side by side, with internal sections and blocks marked.
 * For trainers checking an edit before it goes live.
 */
export function renderPreviewPage(kb: KnowledgeBase, article: Article): string {
  const agent = viewArticle(kb, article, 'agent');
  const pub = article.audience === 'public' ? viewArticle(kb, article, 'public') : undefined;
  const column = (label: string, view: typeof agent | undefined, note: string) => `
    <section class="col">
      <h2>${escapeHtml(label)}</h2>
      <p class="note">${escapeHtml(note)}</p>
      ${
        view
          ? view.sections
              .map(
                (s) => `<article class="${'internal' in s && s.internal ? 'sec internal' : 'sec'}">
          <h3>${escapeHtml(s.heading || '（引言）')} <small>${s.kind}${s.internal ? ' · 仅内部' : ''}</small></h3>
          ${s.html}</article>`,
              )
              .join('\n')
          : '<p class="none">客户看不到这篇文章（audience: internal）。</p>'
      }
    </section>`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>预览：${escapeHtml(article.title)}</title>
<style>
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem;color:#1a1a1a;line-height:1.6}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:2rem}.note{color:#555}.sec{border-left:3px solid #ccc;padding-left:1rem;margin:1rem 0}
.sec.internal,.kb-internal{border-left:3px solid #b45309;background:#fff7ed;padding:.5rem 1rem}.kb-internal-label{font-weight:600;color:#92400e}
.kb-customer{border-left:3px solid #116329;background:#f0f7f1;padding:.5rem 1rem}.kb-customer-label{font-weight:600;color:#116329}
small{color:#666;font-weight:normal}.none{color:#92400e}
</style></head><body>
<h1>${escapeHtml(article.title)}</h1>
<p>${escapeHtml(`${article.id} · ${article.product} / ${article.category} · ${article.audience === 'public' ? '公开' : '仅内部'} · ${article.file}`)}</p>
<div class="cols">
${column('坐席看到的', agent, '包含内部段落和内部块（橙色标记），客户版本（::: 客户）绿色标记')}
${column('客户看到的', pub, '内部段落和 ::: internal 块已移除；有客户版本的段落只显示客户版本')}
</div></body></html>`;
}
