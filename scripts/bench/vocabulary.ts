import { INVENTED_DOMAINS } from './domains-invented.js';
import { SAMPLE_DOMAINS } from './domains-sample.js';

/**
 * Vocabulary of the synthetic knowledge base: the seven sample domains of
 * content/ plus invented product lines, so that 10,000 articles spread over a
 * realistic number of distinct terms instead of repeating 86 articles.
 * Lists are written as `a|b|c` to keep the tables readable.
 */

export type Fault = 'software' | 'hardware' | 'network' | 'mixed';

export type Domain = {
  product: string;
  /** Folder under the corpus directory and id prefix. */
  dir: string;
  prefix: string;
  owner: string;
  /** Model series, e.g. HG: gives model-specific articles their own terms (HG8245 型光猫). */
  series: string[];
  devices: string[];
  parts: string[];
  /** Appended to a device: 光猫 + 一直闪红灯. */
  symptoms: string[];
  /** Whole sentences as customers say them. */
  talk: string[];
  causes: string[];
  /** What the customer can try, imperative: 把光纤接头拔下重新插紧. */
  checks: string[];
  codes: string[];
  processes: string[];
  policies: string[];
  teams: string[];
  tickets: string[];
  /** Fault types this domain's troubleshooting articles use, most likely first. */
  faults: Fault[];
};

const l = (text: string): string[] => text.split('|');

/** Every product line: the six of the sample content (服务规范 is below), then invented ones. */
export const DOMAINS: Domain[] = [...SAMPLE_DOMAINS, ...INVENTED_DOMAINS];

/** 服务规范: standards rather than faults; the product of the sample content. */
export const SERVICE = {
  product: '服务规范',
  dir: 'service',
  prefix: 'svc',
  owner: '客服质检组',
  topics: l(
    '首问负责制|身份核验|情绪安抚|回拨与回访|升级路径|服务红线|夜间值班|静默来电|工单填写|媒体投诉|转人工|通话结束确认|投诉受理|特殊客户关怀|录音调取|外呼规范|方言客户沟通|老年客户服务|多次来电客户|催单处理',
  ),
  moments: l(
    '通话开始时|客户情绪激动时|无法当场解决时|客户要求找领导时|夜间来电时|结束通话前|客户反复来电时|客户提到媒体时',
  ),
};

export const FAULT_LABEL: Record<Fault, string> = {
  software: '软件或账号',
  hardware: '硬件',
  network: '线路或网络',
  mixed: '软硬件混合',
};

export const TIME_LIMITS = l(
  '30 分钟内回电|2 小时内联系|4 小时内处理|24 小时内联系|48 小时内上门|72 小时内上门|1 个工作日内审核|3 个工作日内答复|5 个工作日内办结|7 个工作日内到账',
);
export const NEXT_STEPS = l(
  '工程师来电预约 → 上门检测 → 维修或更换 → 短信回访|收到受理短信 → 审核结果通知 → 办理完成短信|网点师傅联系确认时间 → 上门报价确认 → 施工 → 客户签字验收|专员回电核实 → 给出处理方案 → 客户确认 → 结单回访',
);
export const OPENERS = l('您好，|先生您好，|女士您好，|非常理解您着急的心情，|抱歉让您久等了，|感谢您耐心说明，');
export const CLOSERS = l(
  '您看这样可以吗？|还有其他需要我帮您的吗？|到时候会有短信通知您，请留意。|如果还有问题，您随时再联系我们。|我会一直跟进到问题解决。',
);
export const CHANNELS = l('安家 App|微信公众号|客服热线|CRM 工单系统|短信链接');
export const CATEGORIES = {
  fault: '故障排查',
  process: '业务办理',
  faq: '常见问题',
  policy: '政策规定',
  service: '服务规范',
} as const;

/** Pinyin typos customers make (one-way rules of content/lexicon/synonyms.txt). */
export const TYPOS: Array<[correct: string, typo: string]> = [
  ['光猫', '光毛'],
  ['机顶盒', '机顶和'],
  ['遥控器', '摇控器'],
  ['空调', '空条'],
  ['路由器', '路游器'],
  ['宽带', '宽代'],
  ['理赔', '理陪'],
  ['保养', '保样'],
  ['押金', '压金'],
  ['发票', '发漂'],
  ['续保', '续宝'],
  ['电瓶', '电屏'],
];
