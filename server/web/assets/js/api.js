// One small transport for both pages: JSON in, JSON out, errors as ApiError
// carrying the API's own message (it says what to fix).

export const KEY_STORAGE = 'kb.agentKey';

// Used when localStorage is disabled: the key then lasts until the page closes.
let memoryKey = '';

export class ApiError extends Error {
  /**
   * @param {number} status 0 when the service could not be reached
   * @param {string} code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * GET (or POST when `body` is given) a JSON route. Agent calls send the key
 * saved in localStorage, when there is one.
 * @param {string} path
 * @param {{ params?: Record<string, string | number | undefined>, body?: unknown, signal?: AbortSignal, agent?: boolean }} [options]
 */
export async function request(path, options = {}) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(options.params ?? {})) {
    if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
  }
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  const key = options.agent ? readKey() : '';
  if (key) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';

  let response;
  try {
    response = await fetch(url, {
      method: options.body === undefined ? 'GET' : 'POST',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', '连不上知识库服务，请检查网络后重试');
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = data?.error;
    const id = response.status >= 500 && error?.requestId ? `（请求编号 ${error.requestId}）` : '';
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      (error?.message ?? `请求失败（${response.status}）`) + id,
    );
  }
  return data;
}

export function isAbort(err) {
  return err instanceof DOMException && err.name === 'AbortError';
}

export function readKey() {
  try {
    return window.localStorage.getItem(KEY_STORAGE) ?? memoryKey;
  } catch {
    return memoryKey;
  }
}

/** @param {string} key */
export function saveKey(key) {
  memoryKey = key;
  try {
    window.localStorage.setItem(KEY_STORAGE, key);
  } catch {
    // Storage disabled: memoryKey serves.
  }
}
