import { crc32 } from 'node:zlib';
import type { SnapshotParts } from '../postings-view.js';

/**
 * The embedded engine's snapshot format: a compacted PostingsIndex written as
 * its typed arrays (`SnapshotParts`), so a restart reads one file and wraps
 * the bytes instead of parsing 50 MB of JSON and rebuilding a tree of Maps.
 * Where the files live is snapshot-files.ts.
 *
 * Layout: `KBPI` magic, a uint32 header length, a uint32 CRC-32 of every
 * byte after it, a JSON header (format version, corpus key, counts, the
 * string tables and where each array lies), then the arrays, each aligned to
 * 8 bytes.
 *
 * The checksum is why a damaged file is rebuilt instead of served: four
 * changed bytes inside a postings offset used to load silently and send the
 * first search for that term on a walk of a billion postings, wedging the
 * engine thread (issue 14, item 5). CRC-32 (zlib's, in C) reads about a
 * gigabyte a second, a few milliseconds for a 10,000-article snapshot.
 */

const MAGIC = 'KBPI';
/** Bump when the layout or the meaning of a field changes: an old snapshot is then rebuilt. */
export const SNAPSHOT_FORMAT = 4;
const ALIGN = 8;
/** Magic, header length, checksum. */
const PREAMBLE = 12;

type ArrayName = (typeof ARRAYS)[number];
const ARRAYS = [
  'docTag',
  'docKind',
  'docLen',
  'artProduct',
  'artCategory',
  'df',
  'lenSum',
  'publicDf',
  'publicLenSum',
  'postStart',
  'post',
  'sortedOrder',
] as const;
const TYPES = { Int32Array, Uint32Array, Uint16Array, Uint8Array, Float64Array };
type TypeName = keyof typeof TYPES;
type AnyArray =
  | Int32Array<ArrayBuffer>
  | Uint32Array<ArrayBuffer>
  | Uint16Array<ArrayBuffer>
  | Uint8Array<ArrayBuffer>
  | Float64Array<ArrayBuffer>;

type Header = {
  format: number;
  key: string;
  docCount: number;
  terms: string[];
  articleIds: string[];
  labels: string[];
  docAnchor: string[];
  docPublicAnchor: Array<string | null>;
  arrays: Array<{ name: ArrayName; type: TypeName; offset: number; length: number }>;
};

/** Serializes an index's parts (`PostingsIndex.toSnapshot()`, which compacts first). */
export function encodeSnapshot(parts: SnapshotParts, key: string): Buffer {
  const arrays: Record<ArrayName, AnyArray> = parts.arrays;
  const layout: Header['arrays'] = [];
  let offset = 0;
  for (const name of ARRAYS) {
    const array = arrays[name];
    layout.push({ name, type: array.constructor.name as TypeName, offset, length: array.length });
    offset = align(offset + array.byteLength);
  }
  const header: Header = {
    format: SNAPSHOT_FORMAT,
    key,
    docCount: parts.docCount,
    terms: parts.terms,
    articleIds: parts.articleIds,
    labels: parts.labels,
    docAnchor: parts.docAnchor,
    docPublicAnchor: parts.docPublicAnchor,
    arrays: layout,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const bodyStart = align(PREAMBLE + json.length);
  const out = Buffer.alloc(bodyStart + offset);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 4);
  json.copy(out, PREAMBLE);
  for (const { name, offset: at } of layout) {
    const array = arrays[name];
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), bodyStart + at);
  }
  out.writeUInt32LE(crc32(out.subarray(PREAMBLE)), 8);
  return out;
}

/**
 * What reading a snapshot found: its parts, or why it cannot be served.
 * `stale` (another format or corpus) is routine, a rebuild is expected;
 * `damaged` (bad magic, checksum, lengths) means the file changed after it
 * was written, and deserves a line in the log.
 */
export type SnapshotRead =
  | { ok: true; parts: SnapshotParts }
  | { ok: false; problem: 'stale' | 'damaged'; message: string };

/** Reads a snapshot for `key`, checking its checksum before trusting a byte of it. */
export function readSnapshot(bytes: Buffer, key: string): SnapshotRead {
  const damaged = (message: string): SnapshotRead => ({ ok: false, problem: 'damaged', message });
  if (bytes.length < PREAMBLE || bytes.toString('latin1', 0, 4) !== MAGIC) return damaged('不是索引快照文件');
  const headerLength = bytes.readUInt32LE(4);
  if (PREAMBLE + headerLength > bytes.length) return damaged('文件被截断');
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', PREAMBLE, PREAMBLE + headerLength)) as Header;
  } catch {
    // An older format's header starts elsewhere: stale rather than damaged.
    return { ok: false, problem: 'stale', message: '快照格式不是当前版本' };
  }
  if (header.format !== SNAPSHOT_FORMAT) return { ok: false, problem: 'stale', message: '快照格式不是当前版本' };
  if (crc32(bytes.subarray(PREAMBLE)) !== bytes.readUInt32LE(8)) return damaged('校验和不符，文件写入后被改动或损坏');
  if (header.key !== key) return { ok: false, problem: 'stale', message: '快照属于另一版内容' };
  const bodyStart = align(PREAMBLE + headerLength);
  const arrays = {} as Record<ArrayName, AnyArray>;
  for (const { name, type, offset, length } of header.arrays) {
    const Type = TYPES[type];
    if (!Type || bodyStart + offset + length * Type.BYTES_PER_ELEMENT > bytes.length) return damaged('数组越界');
    // Copy out of the file buffer: typed arrays need aligned offsets, and Node may pool small reads.
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset + bodyStart + offset, length * Type.BYTES_PER_ELEMENT);
    arrays[name] = new Type(view.slice().buffer);
  }
  if (ARRAYS.some((name) => !arrays[name])) return damaged('缺少数组');
  return {
    ok: true,
    parts: {
      docCount: header.docCount,
      terms: header.terms,
      articleIds: header.articleIds,
      labels: header.labels,
      docAnchor: header.docAnchor,
      docPublicAnchor: header.docPublicAnchor,
      arrays: arrays as SnapshotParts['arrays'],
    },
  };
}

/** Reads a snapshot for `key`; undefined when it is for another corpus, another format, or damaged. */
export function decodeSnapshot(bytes: Buffer, key: string): SnapshotParts | undefined {
  const read = readSnapshot(bytes, key);
  return read.ok ? read.parts : undefined;
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
