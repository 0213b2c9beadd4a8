import { ApiError, isAbort, request } from './api.js';
import { renderArticle } from './article-view.js';
import { debounce, h, trustedHtml } from './dom.js';
import { createListNav } from './list-nav.js';

// Public help page. Only /public/v1/* is called: the API has already removed
// every internal article, section and block. /help?q=… lists results,
// /help/articles/:id shows one article (with ?q=… when opened from results,
// so it can link back to them); all are plain page loads.

const SUGGEST_DELAY_MS = 150;
/** Suggestions shown; more are asked for, since several can lead to the same article. */
const SUGGESTIONS = 6;
const ARTICLE_PATH = /^\/help\/articles\/([^/]+)\/?$/;
const ARTICLE_ID = /^[a-z0-9-]{1,80}$/;

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const input = /** @type {HTMLInputElement} */ ($('kb-help-q'));
const suggestList = $('kb-suggest');
const status = $('kb-help-status');

/** @param {string} id @param {string} [q] the search the link is listed under */
const articleUrl = (id, q) => `/help/articles/${encodeURIComponent(id)}${q ? `?${new URLSearchParams({ q })}` : ''}`;

let suggestSeq = 0;
/** @type {AbortController | undefined} */
let suggestInFlight;

const nav = createListNav({
  input,
  list: suggestList,
  onPick: (option) => window.location.assign(option.dataset.href ?? '/help'),
});
const suggestSoon = debounce(() => suggest(), SUGGEST_DELAY_MS);

input.addEventListener('input', (event) => {
  if (event instanceof InputEvent && event.isComposing) return;
  suggestSoon();
});
input.addEventListener('compositionend', () => suggestSoon());
input.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && !suggestList.hidden) {
    event.preventDefault();
    hideSuggestions();
  }
});
input.addEventListener('blur', () => hideSuggestions());
$('kb-help-form').addEventListener('submit', (event) => {
  if (!input.value.trim()) event.preventDefault();
});

route();

function route() {
  const match = ARTICLE_PATH.exec(window.location.pathname);
  const q = new URLSearchParams(window.location.search).get('q')?.trim() ?? '';
  if (match?.[1]) return showArticle(decodeURIComponent(match[1]), q);
  input.value = q;
  if (q) return showResults(q);
  $('kb-help-intro').hidden = false;
}

async function suggest() {
  const q = input.value.trim();
  suggestInFlight?.abort();
  const seq = ++suggestSeq;
  if (!q) return hideSuggestions();
  suggestInFlight = new AbortController();
  try {
    const data = await request('/public/v1/suggest', { params: { q, limit: 20 }, signal: suggestInFlight.signal });
    if (seq !== suggestSeq || document.activeElement !== input) return;
    // A title and one of its similar questions can both match: one line per article.
    const seen = new Set();
    const suggestions = data.suggestions
      .filter((s) => !seen.has(s.articleId) && seen.add(s.articleId))
      .slice(0, SUGGESTIONS);
    suggestList.replaceChildren(
      ...suggestions.map((s, i) =>
        h(
          'div',
          {
            role: 'option',
            id: `kb-suggest-${i}`,
            class: 'suggest-item',
            'aria-selected': 'false',
            'data-href': articleUrl(s.articleId),
          },
          trustedHtml('span', 'suggest-text', s.highlighted),
          s.kind === 'question' && s.title !== s.text ? h('span', { class: 'suggest-title' }, s.title) : null,
        ),
      ),
    );
    suggestList.hidden = suggestions.length === 0;
    nav.reset();
  } catch (err) {
    if (!isAbort(err)) hideSuggestions();
  }
}

function hideSuggestions() {
  suggestSeq++;
  suggestList.hidden = true;
  suggestList.replaceChildren();
  nav.reset();
}

/** @param {string} q */
async function showResults(q) {
  document.title = `${q} · 帮助中心`;
  status.textContent = '正在搜索…';
  try {
    const data = await request('/public/v1/search', { params: { q, limit: 20 } });
    // No hits, or (once the service says so) no hit that really answers the question.
    const found = data.hits.length > 0 && data.noGoodMatch !== true;
    $('kb-help-list').replaceChildren(...data.hits.map((hit) => resultItem(hit, q)));
    $('kb-help-results').hidden = data.hits.length === 0;
    $('kb-help-results-title').textContent = found ? '搜索结果' : '也许有关的文章';
    $('kb-help-none').hidden = found;
    status.textContent = found ? `找到 ${data.total} 篇相关文章` : '';
  } catch (err) {
    status.textContent = err.message;
  }
}

function resultItem(hit, q) {
  return h(
    'li',
    { class: 'result' },
    h(
      'a',
      { class: 'result-link', href: articleUrl(hit.id, q) },
      h('span', { class: 'result-title' }, hit.title),
      h('span', { class: 'result-meta' }, `${hit.product} · ${hit.category}`),
      trustedHtml('span', 'result-snippet', hit.section.snippet),
    ),
  );
}

/** @param {string} id @param {string} q the search this article was opened from, if any */
async function showArticle(id, q) {
  const wrap = $('kb-help-article-wrap');
  const back = /** @type {HTMLAnchorElement} */ ($('kb-help-back'));
  if (q) {
    back.href = `/help?${new URLSearchParams({ q })}`;
    back.textContent = '← 返回搜索结果';
  }
  wrap.hidden = false;
  status.textContent = '正在打开…';
  try {
    // No article can have this id (the service answered this page 404): nothing to ask the API.
    if (!ARTICLE_ID.test(id)) throw new ApiError(404, 'ARTICLE_NOT_FOUND', '');
    const article = await request(`/public/v1/articles/${encodeURIComponent(id)}`);
    const meta = [`${article.product} · ${article.category}`, article.updated ? `更新于 ${article.updated}` : ''];
    renderArticle($('kb-help-article'), article, {
      scope: 'public',
      headingLevel: 1,
      // "升级与时效" is the agents' word; the customer wants to know how long and what happens next.
      headings: { escalation: '要等多久、接下来会怎样' },
      meta: meta.filter(Boolean).map((text) => h('span', {}, text)),
    });
    document.title = `${article.title} · 帮助中心`;
    status.textContent = '';
  } catch (err) {
    status.textContent =
      err.status === 404 ? '没有找到这篇文章，它可能已经下线。可以在上面搜索相关问题。' : err.message;
  }
}
