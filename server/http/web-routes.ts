import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { KnowledgeBase } from '../knowledge-base.js';
import { escapeHtml } from '../search/snippet.js';

const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));
const CONTACT_MARK = '<!--kb:contact-->';

/** How a customer reaches a person (KB_HELP_CONTACT, KB_HELP_CONTACT_URL). */
export type HelpContact = { text: string; url?: string };

/**
 * Agent console (`/`) and public help page (`/help`, `/help/articles/:id`).
 * The pages read the URL themselves and call the JSON API, so scope stays
 * enforced by the API routes alone. The help page carries the configured
 * contact route, and an article the public cannot open answers 404 (with the
 * same page, which says so): search engines and link checkers see a missing
 * page, not a soft 404. Assets live under `/assets/`.
 */
export async function registerWebRoutes(
  app: FastifyInstance,
  options: { kb: KnowledgeBase; helpContact?: HelpContact },
): Promise<void> {
  await app.register(fastifyStatic, { root: `${WEB_ROOT}assets`, prefix: '/assets/', index: false });
  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.sendFile('console.html', WEB_ROOT));

  const helpPage = (await readFile(`${WEB_ROOT}help.html`, 'utf8')).replaceAll(
    CONTACT_MARK,
    contactHtml(options.helpContact),
  );
  app.get('/help', { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(helpPage),
  );
  app.get<{ Params: { id: string } }>('/help/articles/:id', { schema: { hide: true } }, (request, reply) => {
    const found = options.kb.getArticle(request.params.id, 'public') !== undefined;
    return reply
      .code(found ? 200 : 404)
      .type('text/html; charset=utf-8')
      .send(helpPage);
  });
}

function contactHtml(contact: HelpContact | undefined): string {
  if (!contact) return '请联系人工客服，我们会尽快为您处理。';
  const text = escapeHtml(contact.text);
  return contact.url ? `<a class="help-contact-link" href="${escapeHtml(contact.url)}">${text}</a>` : text;
}
