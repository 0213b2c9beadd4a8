import { fold } from '../text/fold.js';

const DEFAULT_LENGTH = 110;
const LEAD = 16;

type Range = [start: number, end: number];

/**
 * Where the (folded) terms occur in `folded`. Folding keeps the length, so
 * the ranges mark the original characters: a Traditional article is
 * highlighted in Traditional.
 */
function matchFolded(folded: string, terms: string[]): Range[] {
  const ranges: Range[] = [];
  for (const term of new Set(terms)) {
    if (term.length === 0) continue;
    const latin = /^[a-z0-9]/.test(term);
    if (latin && term.length < 2 && !/\d/.test(term)) continue; // a lone letter would mark half the text
    for (let i = folded.indexOf(term); i !== -1; i = folded.indexOf(term, i + term.length)) {
      const end = i + term.length;
      // Latin terms match whole words only: "los" must not light up "close".
      if (latin && (isAlnum(folded[i - 1]) || isAlnum(folded[end]))) continue;
      ranges.push([i, end]);
    }
  }
  return mergeRanges(ranges);
}

/**
 * A short excerpt of `text` around the densest cluster of matches, HTML-escaped,
 * with matches wrapped in `<mark>`. Without matches, the start of the text.
 */
export function buildSnippet(text: string, terms: string[], length = DEFAULT_LENGTH): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  const folded = fold(flat);
  const ranges = matchFolded(folded, terms);
  let start = 0;
  if (ranges.length > 0) {
    let best = -1;
    const words = ranges.map(([a, b]) => folded.slice(a, b));
    for (const [s] of ranges) {
      const windowStart = Math.max(0, s - LEAD);
      const covered = new Set(
        words.filter((_, i) => {
          const [a, b] = ranges[i] as Range;
          return a >= windowStart && b <= windowStart + length;
        }),
      ).size;
      if (covered > best) {
        best = covered;
        start = windowStart;
      }
    }
  }
  const end = Math.min(flat.length, start + length);
  let out = start > 0 ? '…' : '';
  let cursor = start;
  for (const [a, b] of ranges) {
    if (b <= start || a >= end) continue;
    const from = Math.max(a, start);
    const to = Math.min(b, end);
    out += escapeHtml(flat.slice(cursor, from)) + '<mark>' + escapeHtml(flat.slice(from, to)) + '</mark>';
    cursor = to;
  }
  out += escapeHtml(flat.slice(cursor, end));
  return end < flat.length ? `${out}…` : out;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function mergeRanges(ranges: Range[]): Range[] {
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Range[] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

function isAlnum(ch: string | undefined): boolean {
  return ch !== undefined && /[a-z0-9]/.test(ch);
}
