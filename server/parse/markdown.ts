import MarkdownIt, { type PluginWithParams } from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import container from 'markdown-it-container';
import { fold } from '../text/fold.js';
import type { SectionKind } from './article.js';
import { kindOfHeading } from './section-kinds.js';

export type RenderScope = 'agent' | 'public';

export type RenderEnv = {
  scope: RenderScope;
  /** URL of another article, or null when the link must not be shown (e.g. an internal article on the public scope). */
  articleHref: (id: string) => string | null;
};

const INTERNAL_OPEN = 'container_internal_open';
const INTERNAL_CLOSE = 'container_internal_close';
const ARTICLE_LINK = /^kb:([a-z0-9-]+)(#[\w\u4e00-\u9fff-]+)?$/;

/** How an internal block may be opened: `::: internal`, `::: Internal 注意`, `::: 内部说明`. */
const INTERNAL_PARAMS = /^(internal|内部|仅内部|仅限内部|坐席)/;
/**
 * How the customer's version of a section is opened: `::: customer`, `::: 客户`,
 * `::: 客户版`. The help page shows only that block of the section; agents see
 * the rest of the section and the block marked as what the customer reads.
 */
const CUSTOMER_PARAMS = /^(customer|客户)/;

/**
 * The one markdown-it instance. Raw HTML is off (article bodies cannot inject
 * script), `::: internal` blocks are containers we can drop for the public scope,
 * and `kb:<id>` links point at other articles.
 */
export const md: MarkdownIt = new MarkdownIt({ html: false, linkify: true, typographer: false });

// @types/markdown-it-container describes the CJS build of markdown-it; the plugin itself is the same.
// Every `::: <word>` opens a block, and every block is internal to the tracker below: an unknown
// one (`::: internl`, `::: tip`) is hidden rather than shown, and the parser reports it (see
// internal-parts.ts). A customer block is the one kind the public scope shows, and only by name:
// the parser and renderMarkdown pick its tokens out explicitly.
md.use(container as unknown as PluginWithParams, 'internal', {
  validate: (params: string) => params.trim().length > 0,
  render: (tokens: Token[], idx: number) => {
    const token = tokens[idx];
    if (token?.nesting !== 1) return '</div>\n';
    return isCustomerParams(token.info)
      ? '<div class="kb-customer" data-customer="true"><p class="kb-customer-label">客户版本：帮助页只显示这一段</p>\n'
      : '<div class="kb-internal" data-internal="true"><p class="kb-internal-label">内部信息，勿向客户透露</p>\n';
  },
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

/**
 * Renders one section's markdown. On the public scope a section with a
 * customer version shows only that version; otherwise `::: internal` blocks
 * are removed.
 */
export function renderMarkdown(markdown: string, env: RenderEnv): string {
  const tokens = md.parse(markdown, env);
  if (env.scope === 'agent') return md.renderer.render(tokens, md.options, env);
  const customer = customerTokens(tokens);
  return md.renderer.render(withoutInternalBlocks(customer ?? tokens), md.options, env);
}

/** Whether the words after `:::` open the customer's version of a section (`::: 客户`, `::: customer`). */
export function isCustomerParams(params: string): boolean {
  return CUSTOMER_PARAMS.test(fold(params.trim()).toLowerCase());
}

/** Whether a token opens a customer block. */
export function isCustomerOpen(token: Token): boolean {
  return token.type === INTERNAL_OPEN && isCustomerParams(token.info);
}

/**
 * The contents of a section's top-level customer blocks (their own open and
 * close tokens left out), or undefined when it has none.
 */
function customerTokens(tokens: Token[]): Token[] | undefined {
  const out: Token[] = [];
  let depth = 0;
  let inCustomer = false;
  let found = false;
  for (const token of tokens) {
    if (token.type === INTERNAL_OPEN) {
      depth++;
      if (depth === 1 && isCustomerOpen(token)) {
        inCustomer = true;
        found = true;
        continue;
      }
    } else if (token.type === INTERNAL_CLOSE) {
      depth--;
      if (depth === 0 && inCustomer) {
        inCustomer = false;
        continue;
      }
    }
    if (inCustomer) out.push(token);
  }
  return found ? out : undefined;
}

export function isInternalOpen(type: string): boolean {
  return type === INTERNAL_OPEN;
}

/** Whether the words after `:::` name an internal block (any case, any suffix: `::: Internal 注意`). */
export function isInternalParams(params: string): boolean {
  return INTERNAL_PARAMS.test(fold(params.trim()));
}

export type InternalTracker = {
  /** Call for every token in order; says whether that token is internal. */
  visit(tokens: ArrayLike<Token>, index: number): boolean;
  /**
   * A new H2 section starts. Inside a 话术 section a `### 安抚话术` subsection is
   * more of the script; anywhere else it is agent-only like an internal note.
   */
  enterSection(kind: SectionKind): void;
};

/**
 * Follows one token stream and says which tokens are internal: those inside a
 * `::: internal` block, and those under a heading that reads as agent-only
 * (`### 内部备注`, `### 安抚话术`, `# 内部说明`) until the next heading of the same
 * or a higher rank. H2 headings start sections, which the parser marks itself.
 * The parser (text, items, links) and the renderer (HTML) both walk tokens
 * through this one rule, so the two paths cannot disagree.
 */
export function createInternalTracker(): InternalTracker {
  let depth = 0;
  let headingLevel: number | undefined;
  let inScript = false;
  return {
    visit(tokens, index) {
      const token = tokens[index] as Token;
      if (token.type === INTERNAL_OPEN) depth++;
      else if (token.type === INTERNAL_CLOSE) {
        depth--;
        return true;
      } else if (token.type === 'heading_open') {
        const level = Number(token.tag.slice(1));
        if (headingLevel !== undefined && level <= headingLevel) headingLevel = undefined;
        const kind = level === 2 ? 'plain' : kindOfHeading(tokens[index + 1]?.content ?? '');
        if (headingLevel === undefined && (kind === 'internal' || (kind === 'script' && !inScript))) {
          headingLevel = level;
        }
      }
      return depth > 0 || headingLevel !== undefined;
    },
    enterSection(kind) {
      inScript = kind === 'script';
    },
  };
}

export function articleLinkTarget(href: string): string | undefined {
  return ARTICLE_LINK.exec(href)?.[1];
}

function withoutInternalBlocks(tokens: Token[]): Token[] {
  const tracker = createInternalTracker();
  return tokens.filter((_token, i) => !tracker.visit(tokens, i));
}
