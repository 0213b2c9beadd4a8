import type { SnapshotParts } from '../postings-view.js';

/**
 * The embedded engine's snapshot format: a compacted PostingsIndex written as
 * its typed arrays (`SnapshotParts`), so a restart reads one file and wraps
 * the bytes instead of parsing 50 MB of JSON and rebuilding a tree of Maps.
 * Where the files live is snapshot-files.ts.
 *
 * Layout: `KBPI` magic, a uint32 header length, a JSON header (format
 * version, corpus key, counts, the string tables and where each array lies),
 * then the arrays, each aligned to 8 bytes.
 */

const MAGIC = 'KBPI';
/** Bump when the layout or the meaning of a field changes: an old snapshot is then rebuilt. */
export const SNAPSHOT_FORMAT = 2;
const ALIGN = 8;

type ArrayName = (typeof ARRAYS)[number];
const ARRAYS = [
  'docTag',
  'docKind',
  'docLen',
  'artProduct',
  'artCategory',
  'df',
  'lenSum',
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
  const bodyStart = align(8 + json.length);
  const out = Buffer.alloc(bodyStart + offset);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  for (const { name, offset: at } of layout) {
    const array = arrays[name];
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), bodyStart + at);
  }
  return out;
}

/** Reads a snapshot for `key`; undefined when it is for another corpus, another format, or damaged. */
export function decodeSnapshot(bytes: Buffer, key: string): SnapshotParts | undefined {
  if (bytes.length < 8 || bytes.toString('latin1', 0, 4) !== MAGIC) return undefined;
  const headerLength = bytes.readUInt32LE(4);
  if (8 + headerLength > bytes.length) return undefined;
  const header = JSON.parse(bytes.toString('utf8', 8, 8 + headerLength)) as Header;
  if (header.format !== SNAPSHOT_FORMAT || header.key !== key) return undefined;
  const bodyStart = align(8 + headerLength);
  const arrays = {} as Record<ArrayName, AnyArray>;
  for (const { name, type, offset, length } of header.arrays) {
    const Type = TYPES[type];
    if (!Type || bodyStart + offset + length * Type.BYTES_PER_ELEMENT > bytes.length) return undefined;
    // Copy out of the file buffer: typed arrays need aligned offsets, and Node may pool small reads.
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset + bodyStart + offset, length * Type.BYTES_PER_ELEMENT);
    arrays[name] = new Type(view.slice().buffer);
  }
  if (ARRAYS.some((name) => !arrays[name])) return undefined;
  return {
    docCount: header.docCount,
    terms: header.terms,
    articleIds: header.articleIds,
    labels: header.labels,
    docAnchor: header.docAnchor,
    docPublicAnchor: header.docPublicAnchor,
    arrays: arrays as SnapshotParts['arrays'],
  };
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
