import { isAbort, request } from './api.js';
import { renderArticle } from './article-view.js';
import { debounce, h, trustedHtml } from './dom.js';
import { createListNav } from './list-nav.js';

// Public help page. Only /public/v1/* is called: the API has already removed
// every internal article, section and block. /help?q=… lists results,
// /help/articles/:id shows one article; both are plain page loads.

const SUGGEST_DELAY_MS = 150;
const ARTICLE_PATH = /^\/help\/articles\/([^/]+)\/?$/;

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const input = /** @type {HTMLInputElement} */ ($('kb-help-q'));
const suggestList = $('kb-suggest');
const status = $('kb-help-status');

// The article page links back to the last results (the service sends
// Referrer-Policy: no-referrer, so document.referrer cannot say where we came from).
const LAST_SEARCH = 'kb.help.lastSearch';

const articleUrl = (id) => `/help/articles/${encodeURIComponent(id)}`;

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
  if (match?.[1]) return showArticle(decodeURIComponent(match[1]));
  const q = new URLSearchParams(window.location.search).get('q')?.trim() ?? '';
  input.value = q;
  remember(LAST_SEARCH, q);
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
    const data = await request('/public/v1/suggest', { params: { q, limit: 6 }, signal: suggestInFlight.signal });
    if (seq !== suggestSeq || document.activeElement !== input) return;
    suggestList.replaceChildren(
      ...data.suggestions.map((s, i) =>
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
    suggestList.hidden = data.suggestions.length === 0;
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
    $('kb-help-list').replaceChildren(...data.hits.map(resultItem));
    $('kb-help-results').hidden = data.hits.length === 0;
    status.textContent =
      data.hits.length > 0
        ? `找到 ${data.total} 篇相关文章`
        : '没有找到相关内容。换个说法试试，比如只写关键的几个字；仍然没有的话，请联系人工客服。';
  } catch (err) {
    status.textContent = err.message;
  }
}

function resultItem(hit) {
  return h(
    'li',
    { class: 'result' },
    h(
      'a',
      { class: 'result-link', href: articleUrl(hit.id) },
      h('span', { class: 'result-title' }, hit.title),
      h('span', { class: 'result-meta' }, `${hit.product} · ${hit.category}`),
      trustedHtml('span', 'result-snippet', hit.section.snippet),
    ),
  );
}

/** @param {string} id */
async function showArticle(id) {
  const wrap = $('kb-help-article-wrap');
  const back = /** @type {HTMLAnchorElement} */ ($('kb-help-back'));
  const lastSearch = remember(LAST_SEARCH);
  if (lastSearch) {
    back.href = `/help?${new URLSearchParams({ q: lastSearch })}`;
    back.textContent = '← 返回搜索结果';
  }
  wrap.hidden = false;
  status.textContent = '正在打开…';
  try {
    const article = await request(`/public/v1/articles/${encodeURIComponent(id)}`);
    const meta = [`${article.product} · ${article.category}`, article.updated ? `更新于 ${article.updated}` : ''];
    renderArticle($('kb-help-article'), article, {
      scope: 'public',
      headingLevel: 1,
      meta: meta.filter(Boolean).map((text) => h('span', {}, text)),
    });
    document.title = `${article.title} · 帮助中心`;
    status.textContent = '';
  } catch (err) {
    status.textContent =
      err.status === 404 || err.status === 400
        ? '没有找到这篇文章，它可能已经下线。可以在上面搜索相关问题。'
        : err.message;
  }
}

/**
 * Reads, or with `value` writes, a sessionStorage entry; storage may be disabled.
 * @param {string} name
 * @param {string} [value]
 */
function remember(name, value) {
  try {
    if (value === undefined) return window.sessionStorage.getItem(name) ?? '';
    window.sessionStorage.setItem(name, value);
  } catch {
    // Without storage the back link simply goes to the help home.
  }
  return '';
}
