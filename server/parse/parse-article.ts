import type Token from 'markdown-it/lib/token.mjs';
import type { Diagnostic } from '../diagnostics.js';
import type { Article, Section } from './article.js';
import { parseFrontMatter, type ValidFrontMatter } from './front-matter.js';
import { checkBlocks, normalizeBlockMarkers } from './internal-parts.js';
import { checkFileSize, checkSections } from './limits.js';
import { articleLinkTarget, createInternalTracker, isCustomerOpen, md } from './markdown.js';
import { kindOfHeading } from './section-kinds.js';

export type ParseResult = {
  article?: Article;
  diagnostics: Diagnostic[];
  /** With `{ draft: true }`: the article as far as a broken front matter lets it be read, for lint only. */
  draft?: Article;
};

/**
 * Parses one Markdown article: front matter validated, body cut into H2
 * sections with their kind, `::: internal` blocks and agent-only subsections
 * marked. Never throws for bad content: problems come back as diagnostics
 * with file, line and field. An article over the size limits (limits.ts) is
 * rejected, so its last good version keeps serving.
 *
 * @param file path relative to the content directory (used in diagnostics)
 * @param raw the file's text as read (BOM and CRLF are fine)
 * @param options.draft when the front matter is invalid but readable, parse the
 *   body anyway into `draft` (never served) and report its problems too, so
 *   `kb lint` reports every problem in one pass
 */
export function parseArticle(file: string, raw: string, options: { draft?: boolean } = {}): ParseResult {
  const source = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const oversized = checkFileSize(file, source);
  if (oversized) return { diagnostics: [oversized] };
  const fm = parseFrontMatter(file, source);
  if (fm.ok) return parseBody(file, fm);
  if (!options.draft || !fm.salvage) return { diagnostics: fm.diagnostics };
  const body = parseBody(file, fm.salvage);
  return { diagnostics: [...fm.diagnostics, ...body.diagnostics], draft: body.article };
}

function parseBody(file: string, fm: ValidFrontMatter): ParseResult {
  const { data } = fm;
  const { sections, diagnostics } = splitSections(file, normalizeBlockMarkers(fm.body), fm.bodyLine);
  const tooLarge = checkSections(file, sections);
  if (tooLarge) return { diagnostics: [tooLarge] };
  if (sections.length === 0) {
    diagnostics.push({
      severity: 'error',
      code: 'INVALID_ARTICLE',
      file,
      line: fm.bodyLine,
      field: 'body',
      message: '正文为空',
      hint: '用 “## 一句话答案” 等二级标题写出正文',
    });
    return { diagnostics };
  }
  return {
    article: {
      id: data.id,
      title: data.title,
      product: data.product,
      category: data.category,
      audience: data.audience,
      questions: data.questions,
      tags: data.tags,
      owner: data.owner,
      fault: data.fault,
      updated: data.updated,
      reviewBy: data.review_by,
      file,
      fieldLines: fm.fieldLines,
      sections,
    },
    diagnostics,
  };
}

type Draft = Omit<Section, 'anchor' | 'markdown' | 'markdownLine'> & {
  bodyStart: number;
  bodyEnd: number;
  /** Text, top-level items and links of its `::: 客户` blocks: the customer's version, when there is one. */
  customer: { text: string[]; items: string[]; links: Set<Section['links'][number]> };
};

function splitSections(
  file: string,
  body: string,
  bodyLine: number,
): { sections: Section[]; diagnostics: Diagnostic[] } {
  const lines = body.split('\n');
  const tokens = md.parse(body, {});
  const drafts: Draft[] = [];
  const tracker = createInternalTracker();
  let current: Draft | undefined;
  let listDepth = 0;
  let pendingItem: { all: string[]; public: string[] } | undefined;
  // Containers open around the current token: 'customer' or 'internal' (every other kind).
  const blocks: Array<'customer' | 'internal'> = [];
  let customerListDepth = 0;
  let customerItem: string[] | undefined;

  const open = (heading: string, line: number, bodyStart: number, insideInternal: boolean) => {
    const kind = kindOfHeading(heading);
    current = {
      heading,
      kind,
      line: bodyLine + line,
      // A heading inside an internal block (one that spans it, or under an internal H1) makes the
      // whole section internal: its heading and everything after it, never guessed public.
      internal: kind === 'internal' || insideInternal,
      text: '',
      publicText: '',
      items: [],
      publicItems: [],
      links: [],
      bodyStart,
      bodyEnd: lines.length,
      customer: { text: [], items: [], links: new Set() },
    };
    tracker.enterSection(kind);
    drafts.push(current);
  };
  const addText = (text: string, isInternal: boolean) => {
    if (!current || text.length === 0) return;
    current.text += (current.text ? '\n' : '') + text;
    if (!isInternal && !current.internal) current.publicText += (current.publicText ? '\n' : '') + text;
  };

  const addCustomer = (section: Draft, token: Token) => {
    if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') customerListDepth++;
    else if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') customerListDepth--;
    else if (token.type === 'list_item_open' && customerListDepth === 1) customerItem = [];
    else if (token.type === 'list_item_close' && customerListDepth === 1 && customerItem) {
      const item = customerItem.join(' ').trim();
      if (item) section.customer.items.push(item);
      customerItem = undefined;
    } else if (token.type === 'inline') {
      const text = inlineText(token);
      customerItem?.push(text);
      if (text) section.customer.text.push(text);
      for (const child of token.children ?? []) {
        const target = child.type === 'link_open' ? articleLinkTarget(child.attrGet('href') ?? '') : undefined;
        if (!target) continue;
        const link = { id: target, line: bodyLine + (token.map?.[0] ?? 0), internal: false };
        section.links.push(link);
        section.customer.links.add(link);
      }
    } else if (token.type === 'fence' || token.type === 'code_block') {
      section.customer.text.push(token.content.trimEnd());
    }
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const isInternal = tracker.visit(tokens, i);
    if (token.type === 'heading_open' && token.tag === 'h2') {
      const start = token.map?.[0] ?? 0;
      if (current) current.bodyEnd = start;
      open(inlineText(tokens[i + 1]), start, token.map?.[1] ?? start + 1, isInternal);
      i += 2; // inline + heading_close
      continue;
    }
    // Text before the first H2 becomes an untitled intro section.
    if (!current) open('', token.map?.[0] ?? 0, 0, false);
    if (!current) continue;
    if (token.type === 'container_internal_open') blocks.push(isCustomerOpen(token) ? 'customer' : 'internal');
    else if (token.type === 'container_internal_close') blocks.pop();
    // Directly inside a top-level customer block: the customer's version, not the agent's text.
    if (blocks.length === 1 && blocks[0] === 'customer' && token.type !== 'container_internal_open') {
      addCustomer(current, token);
      continue;
    }
    const shown = !isInternal && !current.internal;
    if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') listDepth++;
    else if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') listDepth--;
    else if (token.type === 'list_item_open' && listDepth === 1) pendingItem = { all: [], public: [] };
    else if (token.type === 'list_item_close' && listDepth === 1 && pendingItem) {
      const item = pendingItem.all.join(' ').trim();
      if (item) current.items.push(item);
      // Only the item's public words: an `::: internal` block inside a step stays out.
      const publicItem = pendingItem.public.join(' ').trim();
      if (publicItem && shown) current.publicItems.push(publicItem);
      pendingItem = undefined;
    } else if (token.type === 'inline') {
      const text = inlineText(token);
      pendingItem?.all.push(text);
      if (shown) pendingItem?.public.push(text);
      addText(text, isInternal);
      for (const child of token.children ?? []) {
        const target = child.type === 'link_open' ? articleLinkTarget(child.attrGet('href') ?? '') : undefined;
        if (target) current.links.push({ id: target, line: bodyLine + (token.map?.[0] ?? 0), internal: isInternal });
      }
    } else if (token.type === 'fence' || token.type === 'code_block') {
      addText(token.content.trimEnd(), isInternal);
    }
  }

  const used = new Set<string>();
  const sections = drafts
    .map((d, n) => {
      const { bodyStart, bodyEnd, customer, ...section } = d;
      // A customer version replaces what the public sees of the section (an internal section shows
      // nothing): the rest of it, links included, is the agents' only.
      if (customer.text.length > 0 && !section.internal) {
        section.publicText = customer.text.join('\n');
        section.publicItems = customer.items;
        section.links = section.links.map((l) => (customer.links.has(l) ? l : { ...l, internal: true }));
      }
      let first = bodyStart;
      while (first < bodyEnd && lines[first]?.trim() === '') first++;
      return {
        ...section,
        anchor: uniqueAnchor(d.kind === 'plain' ? slug(d.heading) || (n === 0 ? 'intro' : `s${n + 1}`) : d.kind, used),
        markdown: lines.slice(first, bodyEnd).join('\n').trimEnd(),
        markdownLine: bodyLine + first,
      };
    })
    .filter((s) => s.text.length > 0 || s.heading.length > 0);
  return { sections, diagnostics: checkBlocks(file, lines, tokens, bodyLine) };
}

function inlineText(token: Token | undefined): string {
  if (!token) return '';
  if (!token.children) return token.content.trim();
  let out = '';
  for (const child of token.children) {
    if (child.type === 'text' || child.type === 'code_inline') out += child.content;
    else if (child.type === 'softbreak' || child.type === 'hardbreak') out += '\n';
  }
  return out.trim();
}

function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

function uniqueAnchor(base: string, used: Set<string>): string {
  let anchor = base;
  for (let n = 2; used.has(anchor); n++) anchor = `${base}-${n}`;
  used.add(anchor);
  return anchor;
}
