import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, loadSampleKnowledgeBase } from '../helpers/app.js';
import { article, tempDir, writeContent } from '../helpers/sample.js';

/**
 * Unique markers placed only in internal places: internal articles (title,
 * questions, body), internal sections and `::: internal` blocks of public
 * articles, and the shapes trainers get wrong: a block running over a heading,
 * `::: Internal 注意`, `### 内部备注` under a public heading, an internal block
 * inside a step, headings that only look like a script or an internal note.
 * No public response may ever contain one.
 */
const MARKERS = [
  'zqxleaktitle',
  'zqxleakquestion',
  'zqxleakbody',
  'zqxleaksection',
  'zqxleakblock',
  'zqxleaklink',
  'zqxleakscript',
  'zqxleakspan',
  'zqxleakcase',
  'zqxleakhthree',
  'zqxleakstep',
  'zqxleaklookalike',
  'zqxleakseat',
];
/** Chinese words that occur only in internal text. */
const INTERNAL_WORDS = ['鳕鱼罐头', '蓝鲸暗号', '白鹭秘钥', '赔付上限'];

const CONTENT = {
  'internal/secret.md': article(
    {
      id: 'secret-policy',
      title: '赔付上限 zqxleaktitle',
      product: '宽带',
      category: '政策规定',
      questions: ['坐席能赔多少 zqxleakquestion'],
    },
    '## 一句话答案\n鳕鱼罐头 zqxleakbody 光猫 赔付上限 500 元。\n\n## 处理步骤\n1. 光猫 蓝鲸暗号',
  ),
  'public/los.md': article(
    {
      id: 'pub-los',
      title: '光猫红灯',
      product: '宽带',
      category: '故障排查',
      audience: 'public',
      questions: ['光猫亮红灯'],
    },
    [
      '## 一句话答案',
      '光猫红灯是线路问题，请检查光纤。',
      '',
      '## 处理步骤',
      '1. 检查光纤是否松动',
      '2. 重启光猫',
      '',
      '::: internal',
      '内部：白鹭秘钥 zqxleakblock 可直接补偿，详见 [内部政策 zqxleaklink](kb:secret-policy)',
      ':::',
      '',
      '## 话术',
      '“您好，zqxleakscript 我帮您看一下。”',
      '',
      '## 内部备注',
      '蓝鲸暗号 zqxleaksection 光猫 线路',
    ].join('\n'),
  ),
  'public/shapes.md': article(
    { id: 'pub-tv', title: '机顶盒黑屏', product: '电视', category: '故障排查', audience: 'public' },
    [
      '## 处理步骤',
      '1. 检查 HDMI 线',
      '   ::: internal',
      '   zqxleakstep 可免费换线',
      '   :::',
      '2. 重启机顶盒',
      '',
      '### 内部备注',
      'zqxleakhthree 白鹭秘钥',
      '',
      '::: Internal 注意',
      'zqxleakcase 鳕鱼罐头',
      ':::',
      '::: internal',
      '还要注意',
      '## 常见问题',
      'zqxleakspan 蓝鲸暗号',
      ':::',
      '',
      '## 安抚话术',
      'zqxleaklookalike 您别急',
      '',
      '## 坐席须知',
      'zqxleakseat 工单优先',
    ].join('\n'),
  ),
  'public/wifi.md': article(
    { id: 'pub-wifi', title: 'WiFi 密码修改', product: '宽带', category: '常见问题', audience: 'public' },
    '## 一句话答案\n登录光猫管理页修改 WiFi 密码。参见 [光猫红灯](kb:pub-los) 和 [内部](kb:secret-policy)。',
  ),
};

let app: FastifyInstance;
let tmp: Awaited<ReturnType<typeof tempDir>>;
const probed: string[] = [];

beforeAll(async () => {
  tmp = await tempDir();
  await writeContent(tmp.dir, CONTENT);
  ({ app } = await buildTestApp({ kb: await loadSampleKnowledgeBase(tmp.dir) }));
});
afterAll(async () => {
  await app.close();
  await tmp.cleanup();
});

async function publicGet(url: string) {
  const res = await app.inject({ method: 'GET', url });
  probed.push(url);
  return res;
}

function assertClean(url: string, body: string) {
  for (const secret of [...MARKERS, ...INTERNAL_WORDS, 'secret-policy', 'kb-internal', '内部备注']) {
    expect(body.includes(secret), `${url} leaked ${secret}`).toBe(false);
  }
}

describe('the public scope never leaks internal content', () => {
  const queries = [
    ...MARKERS,
    ...INTERNAL_WORDS,
    '光猫',
    '光猫红灯',
    '线路',
    '补偿',
    '赔付',
    '内部',
    'zqxleak',
    '光',
    'WiFi 密码',
    '检查光纤',
    '机顶盒',
    'HDMI',
    '常见问题',
    // Chance matches only: the "no good match" path.
    '火星上的外卖怎么点',
    '内部上点',
  ];

  it('search, suggest and article fetch: zero occurrences of any internal marker or word', async () => {
    for (const q of queries) {
      const e = encodeURIComponent(q);
      for (const url of [
        `/public/v1/search?q=${e}`,
        `/public/v1/search?q=${e}&limit=50`,
        `/public/v1/search?q=${e}&product=${encodeURIComponent('宽带')}`,
        `/public/v1/search?q=${e}&category=${encodeURIComponent('政策规定')}`,
        `/public/v1/suggest?q=${e}&limit=20`,
      ]) {
        const res = await publicGet(url);
        expect([200, 400]).toContain(res.statusCode);
        // The response echoes the normalized query the client sent; that echo is not a leak.
        const { query: _echo, ...rest } = res.json();
        assertClean(url, JSON.stringify(rest));
      }
    }
    for (const id of ['pub-los', 'pub-wifi', 'pub-tv', 'secret-policy', 'no-such-id']) {
      const res = await publicGet(`/public/v1/articles/${id}`);
      assertClean(`/public/v1/articles/${id}`, res.body.replaceAll('没有找到文章 secret-policy', ''));
    }
  });

  it('internal-only words find nothing at all: total is 0, not a count of hidden articles', async () => {
    for (const q of [...MARKERS, ...INTERNAL_WORDS]) {
      const res = await publicGet(`/public/v1/search?q=${encodeURIComponent(q)}`);
      expect(res.json(), q).toMatchObject({ total: 0, hits: [] });
    }
  });

  it('an internal article is a 404 indistinguishable from a missing one', async () => {
    const internal = await publicGet('/public/v1/articles/secret-policy');
    const missing = await publicGet('/public/v1/articles/zzz-missing');
    expect(internal.statusCode).toBe(404);
    expect(internal.json().error.code).toBe(missing.json().error.code);
    expect(internal.json().error.message.replace('secret-policy', 'X')).toBe(
      missing.json().error.message.replace('zzz-missing', 'X'),
    );
  });

  it('the public article keeps its public parts, and a link to an internal article is disabled', async () => {
    const res = await publicGet('/public/v1/articles/pub-wifi');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const html: string = body.sections[0].html;
    expect(html).toContain('href="/help/articles/pub-los"');
    expect(html).toContain('data-unavailable="true"');
    const los = (await publicGet('/public/v1/articles/pub-los')).json();
    // No internal section, and no 话术: scripts are words for agents, not self-service content.
    expect(los.sections.map((s: { kind: string }) => s.kind)).toEqual(['summary', 'steps']);
    expect(los.sections[1].items).toEqual(['检查光纤是否松动', '重启光猫']);
    const tv = (await publicGet('/public/v1/articles/pub-tv')).json();
    expect(tv.sections.map((s: { heading: string }) => s.heading)).toEqual(['处理步骤']);
    expect(tv.sections[0].items).toEqual(['检查 HDMI 线', '重启机顶盒']);
  });

  it('the agent scope does see all of it (the markers are real)', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/search?q=zqxleakblock' });
    expect(res.json().hits[0]?.id).toBe('pub-los');
    const secret = await app.inject({ method: 'GET', url: `/v1/search?q=${encodeURIComponent('鳕鱼罐头')}` });
    expect(secret.json().hits[0]?.id).toBe('secret-policy');
    const shapes = (await app.inject({ method: 'GET', url: '/v1/articles/pub-tv' })).body;
    for (const marker of MARKERS.slice(7)) expect(shapes).toContain(marker);
  });

  afterAll(() => {
    console.log(`[leak] public responses probed: ${probed.length}`);
  });
});
