import MarkdownIt, { type PluginWithParams } from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import container from 'markdown-it-container';

export type RenderScope = 'agent' | 'public';

export type RenderEnv = {
  scope: RenderScope;
  /** URL of another article, or null when the link must not be shown (e.g. an internal article on the public scope). */
  articleHref: (id: string) => string | null;
};

const INTERNAL_OPEN = 'container_internal_open';
const INTERNAL_CLOSE = 'container_internal_close';
const ARTICLE_LINK = /^kb:([a-z0-9-]+)(#[\w\u4e00-\u9fff-]+)?$/;

/**
 * The one markdown-it instance. Raw HTML is off (article bodies cannot inject
 * script), `::: internal` blocks are containers we can drop for the public scope,
 * and `kb:<id>` links point at other articles.
 */
export const md: MarkdownIt = new MarkdownIt({ html: false, linkify: true, typographer: false });

// @types/markdown-it-container describes the CJS build of markdown-it; the plugin itself is the same.
md.use(container as unknown as PluginWithParams, 'internal', {
  validate: (params: string) => ['internal', '内部'].includes(params.trim()),
  render: (tokens: Token[], idx: number) =>
    tokens[idx]?.nesting === 1
      ? '<div class="kb-internal" data-internal="true"><p class="kb-internal-label">内部信息，勿向客户透露</p>\n'
      : '</div>\n',
});

// markdown-it's validateLink blocks javascript:, vbscript:, file: and data: URLs; kb: passes.
md.renderer.rules.link_open = (tokens, idx, options, env: RenderEnv, self) => {
  const token = tokens[idx];
  const href = token?.attrGet('href') ?? '';
  const match = ARTICLE_LINK.exec(href);
  if (token && match?.[1]) {
    const target = env.articleHref(match[1]);
    if (target === null) {
      token.attrSet('href', '#');
      token.attrSet('data-unavailable', 'true');
    } else {
      token.attrSet('href', target + (match[2] ?? ''));
    }
  } else if (token && /^https?:/i.test(href)) {
    token.attrSet('rel', 'noopener noreferrer');
    token.attrSet('target', '_blank');
  }
  return self.renderToken(tokens, idx, options);
};

/** Renders one section's markdown; on the public scope `::: internal` blocks are removed first. */
export function renderMarkdown(markdown: string, env: RenderEnv): string {
  const tokens = md.parse(markdown, env);
  return md.renderer.render(env.scope === 'public' ? withoutInternalBlocks(tokens) : tokens, md.options, env);
}

export function isInternalOpen(type: string): boolean {
  return type === INTERNAL_OPEN;
}

export function isInternalClose(type: string): boolean {
  return type === INTERNAL_CLOSE;
}

export function articleLinkTarget(href: string): string | undefined {
  return ARTICLE_LINK.exec(href)?.[1];
}

function withoutInternalBlocks<T extends { type: string }>(tokens: T[]): T[] {
  const kept: T[] = [];
  let depth = 0;
  for (const token of tokens) {
    if (token.type === INTERNAL_OPEN) depth++;
    if (depth === 0) kept.push(token);
    if (token.type === INTERNAL_CLOSE) depth--;
  }
  return kept;
}
