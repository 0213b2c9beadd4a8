// The console's URL holds the query and the open article (/?q=…&article=…#section),
// so reload and Back show the same thing.

export function currentArticle() {
  return new URLSearchParams(window.location.search).get('article');
}

/**
 * @param {string} q @param {string | null} article
 * @param {'push' | 'replace'} mode @param {string} [anchor]
 */
export function setUrl(q, article, mode, anchor) {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (article) params.set('article', article);
  const query = params.toString();
  const url = `/${query ? `?${query}` : ''}${anchor ? `#${anchor}` : ''}`;
  if (url === window.location.pathname + window.location.search + window.location.hash) return;
  if (mode === 'push') window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
}
