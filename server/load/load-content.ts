import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export type SourceFile = {
  /** Path relative to the content directory, forward slashes: used in every diagnostic. */
  file: string;
  absPath: string;
  text: string;
};

/** Folder under the content directory that holds the trainers' lexicon, not articles. */
export const LEXICON_DIR = 'lexicon';

/**
 * Reads every article file (`*.md`) under the content directory, sorted by
 * path so that loading is deterministic (the first of two duplicate ids wins).
 * Names starting with `_` or `.` and README.md files are not articles.
 */
export async function loadContent(contentDir: string): Promise<SourceFile[]> {
  const root = path.resolve(contentDir);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && isArticlePath(path.relative(root, path.join(e.parentPath, e.name))))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  return Promise.all(
    files.map(async (absPath) => ({
      file: toContentPath(root, absPath),
      absPath,
      text: await readFile(absPath, 'utf8'),
    })),
  );
}

/** Whether a path relative to the content directory is an article file. */
export function isArticlePath(relPath: string): boolean {
  const parts = relPath.split(/[\\/]/);
  const name = parts.at(-1) ?? '';
  if (!name.toLowerCase().endsWith('.md') || name.toLowerCase() === 'readme.md') return false;
  if (parts[0] === LEXICON_DIR) return false;
  return parts.every((p) => !p.startsWith('_') && !p.startsWith('.'));
}

export function toContentPath(root: string, absPath: string): string {
  return path.relative(root, absPath).split(path.sep).join('/');
}
