import { renderAnswerCard } from './answer-card.js';
import { isAbort, readKey, request, saveKey } from './api.js';
import { agentMeta, renderArticle } from './article-view.js';
import { currentArticle, setUrl } from './console-url.js';
import { debounce, h, isTyping } from './dom.js';
import { createListNav } from './list-nav.js';
import { renderFilters, renderResults } from './results.js';

// Agent console: search as you type, answer card, article view. The URL holds
// the query and the open article (/?q=…&article=…) so reload and Back work.

const SEARCH_DELAY_MS = 120;
const RESULT_LIMIT = 20;

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const input = /** @type {HTMLInputElement} */ ($('kb-q'));
const list = $('kb-results');
const card = $('kb-answer');
const articleView = $('kb-article');
const articlePanel = $('kb-article-panel');
const empty = $('kb-empty');
const filters = $('kb-filters');
const status = $('kb-status');
const notice = $('kb-degraded');
const errorBox = $('kb-error');
const noResults = $('kb-no-results');
const keyForm = /** @type {HTMLFormElement} */ ($('kb-key-form'));
const keyInput = /** @type {HTMLInputElement} */ ($('kb-key'));

const state = {
  product: '',
  category: '',
  /** The chip just pressed, `field:value`, to give focus back to after the chips are rebuilt. */
  chip: '',
  seq: 0,
  articleSeq: 0,
  degraded: { search: false, answer: false },
  /** Traditional articles in their own script instead of Simplified (the agent's choice, until the query changes). */
  original: false,
  /** The query the results on screen are for. */
  shown: '',
};
/** @type {AbortController | undefined} */
let inFlight;

const nav = createListNav({
  input,
  list,
  // Focus follows the agent into the article, so keys like / act on the page, not in the box.
  onPick: (option) => {
    openArticle(option.dataset.id ?? '', option.dataset.anchor);
    articleView.focus({ preventScroll: true });
  },
});
const searchSoon = debounce(() => search(), SEARCH_DELAY_MS);

input.addEventListener('input', (event) => {
  // Pinyin being composed is not a query yet; compositionend searches.
  if (event instanceof InputEvent && event.isComposing) return;
  searchSoon();
});
input.addEventListener('compositionend', () => searchSoon());
$('kb-search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  searchSoon.cancel();
  search();
});
$('kb-back').addEventListener('click', () => closeArticle(true));
keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  saveKey(keyInput.value.trim());
  keyInput.value = '';
  keyForm.hidden = true;
  retry();
});

document.addEventListener('keydown', (event) => {
  if (event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === 'Escape') {
    event.preventDefault();
    clearAll();
  } else if (event.key === '/' && !isTyping(event.target)) {
    event.preventDefault();
    input.focus();
    input.select();
  }
});

// Article links anywhere on the page (card, alternatives, article bodies) open in place.
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
  if (!(link instanceof HTMLAnchorElement) || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey)
    return;
  const url = new URL(link.href);
  const id = url.searchParams.get('article');
  if (url.origin !== window.location.origin || url.pathname !== '/' || !id) return;
  event.preventDefault();
  // A click moves focus into the article (keyboard picks from the list keep it in the box).
  openArticle(id, url.hash.slice(1) || undefined).then(() => articleView.focus({ preventScroll: true }));
});

window.addEventListener('popstate', () => restore());
restore();
input.focus();

/** Reads the URL (first load, Back/Forward) and shows what it names. */
function restore() {
  const params = new URLSearchParams(window.location.search);
  const q = params.get('q') ?? '';
  const id = params.get('article');
  const anchor = window.location.hash.slice(1) || undefined;
  if (q !== input.value.trim()) {
    input.value = q;
    search({ keepArticle: true, anchor });
  }
  if (id) openArticle(id, anchor, false);
  else closeArticle(false);
}

/** Runs /v1/search and /v1/answer for the box; older responses are dropped. */
function search({ keepArticle = false, anchor = /** @type {string | undefined} */ (undefined) } = {}) {
  const q = input.value.trim();
  inFlight?.abort();
  const seq = ++state.seq;
  if (q !== state.shown) state.original = false;
  if (!keepArticle && !articlePanel.hidden) closeArticle(false);
  setUrl(q, keepArticle ? currentArticle() : null, 'replace', anchor);
  if (!q) {
    clearResults();
    return;
  }
  inFlight = new AbortController();
  const params = { q, product: state.product, category: state.category, convert: scriptParam() };
  const signal = inFlight.signal;
  const agent = true;

  request('/v1/search', { params: { ...params, limit: RESULT_LIMIT }, signal, agent })
    .then((data) => {
      if (seq !== state.seq) return;
      renderResults(list, data.hits);
      list.dataset.query = q;
      state.shown = q;
      nav.reset();
      renderFilters(filters, data.hits, state, toggleFilter);
      refocusChip();
      noResults.hidden = data.hits.length > 0;
      // `noGoodMatch` arrives with the relevance work; its absence means nothing.
      const loose = data.noGoodMatch === true && data.hits.length > 0;
      $('kb-results-title').textContent = loose ? '可能相关' : '搜索结果';
      status.textContent = loose
        ? `没有可靠匹配 · ${data.total} 篇可能相关`
        : `共 ${data.total} 篇 · ${Math.round(data.tookMs)} ms`;
      setDegraded('search', data.degraded);
      errorBox.hidden = true;
    })
    .catch((err) => seq === state.seq && showError(err));

  request('/v1/answer', { params, signal, agent })
    .then((data) => {
      if (seq !== state.seq) return;
      renderAnswerCard(card, data, q, { onScript: showOriginal });
      card.dataset.query = q;
      card.hidden = false;
      empty.hidden = true;
      setDegraded('answer', data.degraded);
    })
    .catch((err) => seq === state.seq && showError(err));
}

/** @param {'product' | 'category'} field @param {string} value */
function toggleFilter(field, value) {
  state[field] = state[field] === value ? '' : value;
  state.chip = `${field}:${value}`;
  search();
}

/** The chips are rebuilt with the results; keep keyboard focus on the one just pressed. */
function refocusChip() {
  const chip = [...filters.querySelectorAll('[data-chip]')].find((el) => el.getAttribute('data-chip') === state.chip);
  if (chip instanceof HTMLElement) chip.focus();
  state.chip = '';
}

/**
 * @param {string} id
 * @param {string} [anchor] the section to bring into view (the best match)
 * @param {boolean} [push]
 */
async function openArticle(id, anchor, push = true) {
  if (!id) return;
  if (push) setUrl(input.value.trim(), id, 'push', anchor);
  const seq = ++state.articleSeq;
  articlePanel.hidden = false;
  card.hidden = true;
  empty.hidden = true;
  $('kb-back').hidden = !input.value.trim();
  articleView.replaceChildren(h('p', { class: 'meta' }, '正在打开…'));
  try {
    const params = { convert: scriptParam() };
    const article = await request(`/v1/articles/${encodeURIComponent(id)}`, { params, agent: true });
    if (seq !== state.articleSeq) return;
    renderArticle(articleView, article, { scope: 'agent', headingLevel: 2, meta: agentMeta(article, showOriginal) });
    document.title = `${article.title} · 坐席工作台`;
    const target = anchor ? document.getElementById(anchor) : null;
    target?.classList.add('is-target');
    if (target) target.scrollIntoView({ block: 'start' });
    else window.scrollTo(0, 0);
  } catch (err) {
    if (seq !== state.articleSeq) return;
    if (err.status === 401) return showError(err);
    articleView.replaceChildren(
      h(
        'p',
        { class: 'notice notice-error' },
        err.status === 404 ? `没有找到文章 ${id}，可能已下线或 id 有误。` : err.message,
      ),
    );
  }
}

/** @param {boolean} push whether this is a navigation of its own (the back button) */
function closeArticle(push) {
  state.articleSeq++;
  articlePanel.hidden = true;
  articleView.replaceChildren();
  document.title = '坐席工作台 · kb 客服知识库';
  const hasCard = card.dataset.articleId !== undefined && input.value.trim() !== '';
  card.hidden = !hasCard;
  empty.hidden = hasCard;
  if (push) {
    setUrl(input.value.trim(), null, 'push');
    input.focus();
  }
}

function clearAll() {
  input.value = '';
  state.product = '';
  state.category = '';
  searchSoon.cancel();
  closeArticle(false);
  search();
  input.focus();
}

function clearResults() {
  list.replaceChildren();
  nav.reset();
  filters.replaceChildren();
  card.replaceChildren();
  delete card.dataset.articleId;
  card.hidden = true;
  empty.hidden = !articlePanel.hidden;
  noResults.hidden = true;
  status.textContent = '输入问题后，这里按相关度列出文章';
  errorBox.hidden = true;
  setDegraded('search', false);
  setDegraded('answer', false);
}

/** @param {'search' | 'answer'} which @param {boolean} value */
function setDegraded(which, value) {
  state.degraded[which] = value;
  notice.hidden = !(state.degraded.search || state.degraded.answer);
}

function showError(err) {
  if (isAbort(err)) return;
  if (err.status === 401) {
    keyForm.hidden = false;
    $('kb-key-hint').textContent = readKey()
      ? '保存的坐席密钥无效或已停用，请粘贴新的密钥。'
      : '需要坐席密钥才能查询。请粘贴管理员发给你的密钥（只保存在这台电脑的浏览器里）。';
    return;
  }
  errorBox.textContent = err.message;
  errorBox.hidden = false;
}

function retry() {
  const id = currentArticle();
  search({ keepArticle: true });
  if (id) openArticle(id, undefined, false);
}

/** Traditional articles are shown in Simplified, the console's script, unless the agent asked for the original. */
function scriptParam() {
  return state.original ? undefined : 'simplified';
}

/** @param {boolean} original show Traditional articles as written (true) or in Simplified (false) */
function showOriginal(original) {
  state.original = original;
  const id = currentArticle();
  search({ keepArticle: true });
  if (id) openArticle(id, undefined, false);
}
