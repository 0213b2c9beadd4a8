import type { Diagnostic } from '../diagnostics.js';
import { type Article, isPublicSection, type Section } from '../parse/article.js';
import { classifyHeading } from '../parse/section-kinds.js';
import { fold } from '../text/fold.js';

export type LintContext = {
  /** Every loaded article by id, to check links. */
  byId: Map<string, Article>;
  /** Red-line phrases that must not appear in 话术 (lexicon/forbidden.txt). */
  forbidden: string[];
  /** Phrases addressed to agents that the help page must not show (lexicon/agent-voice.txt). */
  agentVoice: string[];
  /** YYYY-MM-DD */
  today: string;
};

/** The lexicon's phrase lists the rules read. */
export type LintPhrases = Pick<LintContext, 'forbidden' | 'agentVoice'>;

/** Category whose articles must give steps, a script and an escalation path. */
export const TROUBLESHOOTING = '故障排查';
/** A time limit as trainers write it: 2 小时内, 3 个工作日, 15 分钟, 48h. */
const TIME_LIMIT = /\d+\s*(个)?\s*(分钟|小时|工作日|自然日|天|日|周|h\b)|当天|当日|即时|立即|马上/i;

type Rule = (article: Article, ctx: LintContext) => Diagnostic[];

/**
 * Content rules beyond what the parser enforces. Each diagnostic names the file,
 * the line and a one-line fix. Errors fail `kb lint`; warnings do not.
 */
export const RULES: Rule[] = [
  function requiredSections(article) {
    if (article.category !== TROUBLESHOOTING) return [];
    const missing = (
      [
        ['steps', '处理步骤'],
        ['script', '话术'],
        ['escalation', '升级与时效'],
      ] as const
    ).filter(([kind]) => !article.sections.some((s) => s.kind === kind));
    return missing.map(([kind, heading]) =>
      at(article, 'error', 'MISSING_SECTION', lastLine(article), `故障排查文章缺少“${heading}”段落`, {
        field: kind,
        hint: `加一段 “## ${heading}”：坐席需要知道${kind === 'steps' ? '怎么做' : kind === 'script' ? '怎么说' : '谁接手、客户要等多久'}`,
      }),
    );
  },

  function summaryFirst(article) {
    if (article.sections.some((s) => s.kind === 'summary')) return [];
    return [
      at(article, 'warning', 'MISSING_SUMMARY', article.sections[0]?.line ?? 1, '没有“一句话答案”段落', {
        hint: '在正文最前面加 “## 一句话答案”，用一两句话说清结论',
      }),
    ];
  },

  function escalationTimeLimit(article) {
    return article.sections
      .filter((s) => s.kind === 'escalation' && !TIME_LIMIT.test(fold(s.text)))
      .map((s) =>
        at(article, 'warning', 'ESCALATION_WITHOUT_TIME_LIMIT', s.line, '升级段落没有写时限', {
          field: s.heading,
          hint: '写明具体时限，如 “2 小时内回电”“3 个工作日内到账”，客户才知道要等多久',
        }),
      );
  },

  function emptySections(article) {
    return article.sections
      .filter((s) => s.heading && s.text.trim().length === 0)
      .map((s) =>
        at(article, 'warning', 'EMPTY_SECTION', s.line, `“${s.heading}”段落是空的`, {
          field: s.heading,
          hint: '补上内容，或删掉这个标题',
        }),
      );
  },

  function reviewDate(article, ctx) {
    const line = article.fieldLines.review_by ?? 1;
    if (!article.reviewBy) {
      return [
        at(article, 'warning', 'MISSING_REVIEW_DATE', line, '没有复核日期 review_by', {
          field: 'review_by',
          hint: '加上 review_by: YYYY-MM-DD（一般为半年后），到期会提醒复核',
        }),
      ];
    }
    if (article.reviewBy >= ctx.today) return [];
    return [
      at(article, 'warning', 'STALE', line, `已过复核日期 ${article.reviewBy}，内容可能过时`, {
        field: 'review_by',
        hint: '核对内容后更新 updated 和 review_by',
      }),
    ];
  },

  function links(article, ctx) {
    const out: Diagnostic[] = [];
    for (const section of article.sections) {
      for (const link of section.links) {
        const target = ctx.byId.get(link.id);
        if (!target) {
          out.push(
            at(article, 'error', 'BROKEN_LINK', link.line, `链接指向不存在的文章 ${link.id}`, {
              field: section.heading,
              hint: '检查 kb:id 拼写，或目标文章是否改了 id、被删除',
            }),
          );
        } else if (
          article.audience === 'public' &&
          target.audience !== 'public' &&
          !section.internal &&
          !link.internal
        ) {
          out.push(publicMentionsInternal(article, link.line, section, link.id));
        }
      }
      if (article.audience !== 'public' || section.internal) continue;
      // Internal ids named in plain text of the public part.
      for (const [id, target] of ctx.byId) {
        if (target.audience === 'public' || id === article.id) continue;
        if (section.publicText.includes(id) && !section.links.some((l) => l.id === id)) {
          out.push(publicMentionsInternal(article, section.line, section, id));
        }
      }
    }
    return out;
  },

  function agentOnlyLookalikes(article) {
    if (article.audience !== 'public') return [];
    return article.sections
      .filter((s) => classifyHeading(s.heading).by === 'mark')
      .map((s) =>
        at(
          article,
          'warning',
          'HEADING_READ_AS_AGENT_ONLY',
          s.line,
          `标题“${s.heading}”按${s.kind === 'script' ? '话术' : '内部'}段落处理，客户看不到`,
          {
            field: s.heading,
            hint:
              s.kind === 'script'
                ? '这是给坐席说的话就写成 “## 话术：安抚” 这样；给客户看的内容请改写标题，不要用“话术”'
                : '内部内容就写成 “## 内部备注”；给客户看的内容请改写标题，不要用“内部”“坐席”“internal”',
          },
        ),
      );
  },

  /**
   * The help page shows the public parts of public articles to customers, who
   * should read "请您把接头插紧", not "请客户把接头插紧" or "建工单". Each phrase
   * once per section, at its line.
   */
  function agentVoice(article, ctx) {
    if (article.audience !== 'public') return [];
    const out: Diagnostic[] = [];
    for (const section of article.sections.filter(isPublicSection)) {
      for (const phrase of ctx.agentVoice) {
        if (!section.publicText.includes(phrase)) continue;
        out.push(
          at(article, 'warning', 'AGENT_VOICE', lineOf(section, phrase), `帮助页上客户会读到写给坐席的话“${phrase}”`, {
            field: section.heading,
            hint: '改成对客户说的话（“请您……”“我们会在 24 小时内联系您”），或在这一段写 ::: 客户 版本；只给坐席的内容放进 ::: internal',
          }),
        );
      }
    }
    return out;
  },

  function redLines(article, ctx) {
    const out: Diagnostic[] = [];
    for (const section of article.sections.filter((s) => s.kind === 'script')) {
      for (const phrase of ctx.forbidden) {
        if (!section.text.includes(phrase)) continue;
        out.push(
          at(article, 'error', 'RED_LINE_PHRASE', lineOf(section, phrase), `话术中出现服务红线用语“${phrase}”`, {
            field: section.heading,
            hint: '换成解决问题的说法，如 “我帮您转给负责的同事，并跟进到底”',
          }),
        );
      }
    }
    return out;
  },
];

/**
 * A warning, not an error: the public page already drops the id and disables
 * the link, but the customer is left with a reference they cannot follow.
 */
function publicMentionsInternal(article: Article, line: number, section: Section, id: string): Diagnostic {
  return at(article, 'warning', 'PUBLIC_REFERENCES_INTERNAL', line, `公开文章的公开部分引用了内部文章 ${id}`, {
    field: section.heading,
    hint: '把这处引用移进 ::: internal 块，或改写为客户能看的说明（客户页面上这个链接不可点）',
  });
}

function lineOf(section: Section, phrase: string): number {
  const index = section.markdown.split('\n').findIndex((l) => l.includes(phrase));
  return index === -1 ? section.line : section.markdownLine + index;
}

function lastLine(article: Article): number {
  return article.sections.at(-1)?.line ?? 1;
}

function at(
  article: Article,
  severity: Diagnostic['severity'],
  code: string,
  line: number,
  message: string,
  extra: { field?: string; hint?: string } = {},
): Diagnostic {
  return { severity, code, file: article.file, line, message, ...extra };
}
