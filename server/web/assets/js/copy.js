import { h } from './dom.js';

/**
 * Copies text. The async Clipboard API needs a secure context (HTTPS or
 * localhost); on plain HTTP, or when the browser refuses, a hidden textarea
 * and execCommand('copy') still work from a click.
 * @param {string} text
 * @returns {Promise<boolean>}
 */
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission refused: fall through to the textarea.
    }
  }
  const focused = document.activeElement;
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'copy-buffer';
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  if (focused instanceof HTMLElement) focused.focus();
  return copied;
}

/**
 * A copy button with its status line ("已复制" for 3 s, or how to copy by hand).
 * @param {string | (() => string)} text the text, or how to read it when clicked
 * @param {string} label the button's name, e.g. 复制话术
 */
export function copyButton(text, label) {
  const status = h('span', { class: 'copy-status', role: 'status' });
  const button = h('button', { type: 'button', class: 'btn btn-primary copy-script' }, label);
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  button.addEventListener('click', async () => {
    const copied = await copyText(typeof text === 'function' ? text() : text);
    status.textContent = copied ? '已复制' : '复制失败，请手动选中文字复制';
    clearTimeout(timer);
    timer = setTimeout(() => {
      status.textContent = '';
    }, 3000);
  });
  return h('div', { class: 'copy-row' }, button, status);
}
