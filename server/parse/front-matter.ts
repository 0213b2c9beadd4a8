import { closest, distance } from 'fastest-levenshtein';
import matter from 'gray-matter';
import { type Document, isMap, isScalar, parseDocument } from 'yaml';
import { z } from 'zod';
import type { Diagnostic } from '../diagnostics.js';

const isoDate = z
  .string({ error: '应为日期，格式 YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: '不是有效日期',
    },
  );

const nonEmpty = (what: string) =>
  z
    .string({ error: `${what}应为文本` })
    .trim()
    .min(1, `${what}不能为空`);

/** The trainer's contract (DESIGN.md "Content format"); unknown keys are errors so typos surface. */
export const frontMatterSchema = z.strictObject(
  {
    id: z
      .string({ error: 'id 应为文本' })
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'id 只能包含小写字母、数字和连字符（如 bb-los-red）')
      .max(80, 'id 最长 80 个字符'),
    title: nonEmpty('标题').pipe(z.string().max(120, '标题最长 120 个字符')),
    product: nonEmpty('产品'),
    category: nonEmpty('分类'),
    audience: z.enum(['internal', 'public'], { error: 'audience 只能是 internal 或 public' }).default('internal'),
    questions: z.array(nonEmpty('相似问'), { error: 'questions 应为列表' }).default([]),
    tags: z.array(z.coerce.string(), { error: 'tags 应为列表' }).default([]),
    owner: nonEmpty('负责人').optional(),
    fault: z
      .enum(['software', 'hardware', 'network', 'mixed'], {
        error: 'fault 只能是 software、hardware、network 或 mixed',
      })
      .optional(),
    updated: isoDate.optional(),
    review_by: isoDate.optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `未知字段：${issue.keys.join('、')}` : undefined) },
);

export type FrontMatter = z.infer<typeof frontMatterSchema>;

type FieldName = keyof typeof frontMatterSchema.shape;
const FIELDS = Object.keys(frontMatterSchema.shape) as FieldName[];
const REQUIRED: FieldName[] = ['id', 'title', 'product', 'category'];

export type ValidFrontMatter = {
  data: FrontMatter;
  bodyLine: number;
  body: string;
  fieldLines: Record<string, number>;
};

export type FrontMatterResult =
  | ({ ok: true } & ValidFrontMatter)
  | {
      ok: false;
      diagnostics: Diagnostic[];
      /**
       * When the YAML could be read but some fields are wrong: the valid fields
       * (a misspelt key's value under the field it was meant to be, placeholders
       * for the rest), so the body can still be checked in the same pass. Never served.
       */
      salvage?: ValidFrontMatter;
    };

const OPENING = /^---[ \t]*\n/;
const CLOSING = /\n---[ \t]*(?:\n|$)/;

/**
 * Splits and validates the YAML front matter of one article. `source` must
 * already have CRLF and BOM normalised. Every error carries the 1-based line
 * in the file and the field it is about.
 */
export function parseFrontMatter(file: string, source: string): FrontMatterResult {
  const fail = (line: number, message: string, field?: string, hint?: string): FrontMatterResult => ({
    ok: false,
    diagnostics: [{ severity: 'error', code: 'INVALID_FRONT_MATTER', file, line, field, message, hint }],
  });
  if (!OPENING.test(source)) {
    return fail(
      1,
      '文件开头缺少 front matter（以 --- 开始的一段 YAML）',
      undefined,
      '在第一行写 ---，接着写 id、title 等字段，再用 --- 结束',
    );
  }
  if (!CLOSING.test(source.slice(3))) {
    return fail(1, 'front matter 没有结束：缺少第二个 --- 行', undefined, '在最后一个字段后加一行 ---');
  }

  let doc: Document.Parsed | undefined;
  // gray-matter finds the delimiters; `yaml` parses so that every node keeps its position.
  const file0 = matter(source, {
    engines: {
      yaml: (text: string) => {
        doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
        return {};
      },
    },
  });
  // gray-matter's `matter` starts right after the opening `---`, so a newline count is a file line.
  const lineOf = (offset: number) => 1 + countNewlines(file0.matter, offset);
  const bodyLine = 1 + countNewlines(source, source.length - file0.content.length);

  if (!doc) return fail(1, 'front matter 是空的', 'id', '至少需要 id、title、product、category');
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    if (!first) return fail(1, 'YAML 无法解析');
    const line = lineOf(first.pos[0]);
    return fail(
      line,
      `YAML 语法错误：${describeYamlError(first.code, first.message)}`,
      undefined,
      '检查冒号后的空格、缩进和引号是否成对',
    );
  }
  if (!isMap(doc.contents)) {
    return fail(2, 'front matter 应为 “字段: 值” 形式的映射', undefined, '每行写一个字段，例如 id: bb-los-red');
  }

  const fieldLines: Record<string, number> = {};
  for (const pair of doc.contents.items) {
    if (isScalar(pair.key) && pair.key.range) fieldLines[String(pair.key.value)] = lineOf(pair.key.range[0]);
  }
  const closingLine = bodyLine - 1;
  const raw = doc.toJS() as Record<string, unknown>;
  const parsed = frontMatterSchema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data, bodyLine, body: file0.content, fieldLines };

  const present = new Set(Object.keys(raw));
  // A misspelt key (categroy) stands for the field it is closest to.
  const meant = new Map<string, FieldName>();
  for (const key of present) {
    const field = FIELDS.includes(key as FieldName) ? undefined : nearestField(key);
    if (field && !present.has(field)) meant.set(key, field);
  }
  const misspelt = new Set(meant.values());
  const lineOfField = (field: string | undefined) => (field ? fieldLines[field] : undefined) ?? closingLine;
  const diagnostics = parsed.error.issues.flatMap((issue): Diagnostic[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => unknownKey(file, key, lineOfField(key), nearestField(key), present));
    }
    const field = issue.path.length > 0 ? String(issue.path[0]) : undefined;
    const missing = field !== undefined && issue.path.length === 1 && !present.has(field);
    // "Missing category" says nothing new next to "unknown categroy: did you mean category?".
    if (missing && misspelt.has(field as FieldName)) return [];
    return [
      {
        severity: 'error',
        code: 'INVALID_FRONT_MATTER',
        file,
        line: lineOfField(field),
        field: issue.path.length > 1 ? issue.path.join('.') : field,
        message: missing ? `缺少必填字段 ${field}` : issue.message,
        hint: missing ? `在 front matter 中加上 ${field}: …` : undefined,
      },
    ];
  });
  diagnostics.sort((a, b) => a.line - b.line);
  const salvage = salvageFields(file, raw, meant, fieldLines);
  return { ok: false, diagnostics, salvage: { data: salvage, bodyLine, body: file0.content, fieldLines } };
}

/**
 * The field a key not in the schema was most likely meant to be: within two
 * edits (one for keys of up to three letters), e.g. categroy → category,
 * reviewby → review_by. Undefined when nothing is that close.
 */
export function nearestField(key: string): FieldName | undefined {
  const lower = key.toLowerCase();
  const field = closest(lower, FIELDS) as FieldName;
  const limit = field.length <= 3 ? 1 : 2;
  return distance(lower, field) <= limit ? field : undefined;
}

function unknownKey(
  file: string,
  key: string,
  line: number,
  field: FieldName | undefined,
  present: Set<string>,
): Diagnostic {
  const diagnostic = { severity: 'error' as const, code: 'INVALID_FRONT_MATTER', file, line, field: key };
  if (!field) {
    return {
      ...diagnostic,
      message: `未知字段：${key}`,
      hint: `可用的字段：${FIELDS.join('、')}；不需要的字段请删除`,
    };
  }
  if (present.has(field)) {
    return {
      ...diagnostic,
      message: `未知字段：${key}，是不是 ${field}？`,
      hint: `${field} 已经写过了：删掉 ${key} 这一行`,
    };
  }
  const required = REQUIRED.includes(field) ? `（${field} 是必填字段）` : '';
  return { ...diagnostic, message: `未知字段：${key}，是不是 ${field}？${required}`, hint: `把 ${key} 改成 ${field}` };
}

/**
 * Every field that validates on its own (a misspelt key's value counts for its
 * field), defaults for optional ones and placeholders for required ones, so the
 * body of an article with a broken front matter can be checked all the same.
 */
function salvageFields(
  file: string,
  raw: Record<string, unknown>,
  meant: Map<string, FieldName>,
  fieldLines: Record<string, number>,
): FrontMatter {
  const values: Record<string, unknown> = {};
  for (const [key, field] of meant) {
    values[field] = raw[key];
    if (fieldLines[key] !== undefined) fieldLines[field] ??= fieldLines[key];
  }
  const out: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const candidate = field in raw ? raw[field] : values[field];
    const checked = frontMatterSchema.shape[field].safeParse(candidate);
    if (checked.success) out[field] = checked.data;
    else {
      const fallback = frontMatterSchema.shape[field].safeParse(undefined);
      if (fallback.success) out[field] = fallback.data;
    }
  }
  const name = file.replace(/^.*\//, '').replace(/\.md$/i, '');
  out.id ??=
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'draft';
  out.title ??= name;
  out.product ??= '';
  out.category ??= '';
  return out as FrontMatter;
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function describeYamlError(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return '字段重复出现';
  if (code === 'BAD_INDENT' || code === 'MISSING_CHAR') return `缩进或符号有误（${message.split('\n')[0]}）`;
  return message.split('\n')[0] ?? code;
}
