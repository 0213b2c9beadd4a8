/**
 * Built-in stop words: question words, pronouns and particles that dominate
 * short colloquial queries (光猫为什么一直闪红灯呢) but say nothing about the
 * answer. Trainers add more in `lexicon/stopwords.txt`. Negations (不, 没, 无法)
 * are deliberately absent: 不制冷 and 制冷 are different problems.
 */
// biome-ignore format: a word list reads better packed by group
export const DEFAULT_STOPWORDS = [
  // question words
  '怎么', '怎么办', '怎么回事', '怎么样', '怎样', '如何', '为什么', '为何', '为啥', '咋', '咋办', '咋回事',
  '啥', '什么', '什', '什么时候', '时候', '哪里', '哪儿', '哪个', '多少', '几', '是否', '是不是', '能不能', '可不可以', '有没有',
  // particles and fillers
  '吗', '呢', '吧', '啊', '呀', '了', '的', '地', '得', '么', '嘛', '哦', '噢', '嗯', '哈', '啦', '喔', '哎',
  '着', '过', '之', '一下', '一些', '这个', '那个', '这样', '那样', '这种', '就是', '然后', '还是',
  // pronouns and politeness
  '我', '我的', '我们', '我要', '我想', '想要', '你', '你们', '您', '您好', '你好', '他', '她', '它', '他们',
  '俺', '咱', '咱们', '请问', '请', '麻烦', '谢谢', '那', '这',
  // light verbs and connectives
  '是', '在', '和', '与', '及', '或', '或者', '就', '都', '也', '还', '又', '把', '被', '给', '让', '对',
  '能', '可以', '会', '要', '想', '应该', '一个', '个', '该',
];
