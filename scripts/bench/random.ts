/**
 * A small seeded PRNG (mulberry32) and the picking helpers the corpus and
 * query generators need. Same seed, same sequence, on every machine: the
 * generated corpus is byte-identical from run to run.
 */
export type Random = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(list: readonly T[]): T;
  /** `n` distinct items (fewer when the list is shorter), in random order. */
  sample<T>(list: readonly T[], n: number): T[];
  /** An independent stream derived from this one and a label (stable under reordering of other draws). */
  fork(label: string): Random;
};

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (list) => {
      if (list.length === 0) throw new Error('pick from an empty list');
      return list[Math.floor(next() * list.length)] as (typeof list)[number];
    },
    sample: (list, n) => {
      const copy = [...list];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j] as (typeof copy)[number], copy[i] as (typeof copy)[number]];
      }
      return copy.slice(0, n);
    },
    fork: (label) => createRandom(hash(`${state}:${label}`)),
  };
  return random;
}

/** FNV-1a, 32 bits: turns a label into a seed. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** One item of `table`, with probability proportional to its weight. */
export function pickWeighted<T>(r: Random, table: ReadonlyArray<readonly [T, number]>): T {
  const total = table.reduce((sum, [, w]) => sum + w, 0);
  let x = r.next() * total;
  for (const [item, w] of table) {
    x -= w;
    if (x < 0) return item;
  }
  return (table.at(-1) as readonly [T, number])[0];
}
