import { createAnalyzer } from './server/analyze/analyzer.js';
import { sampleLexicon } from './test/helpers/sample.js';
const a = createAnalyzer(sampleLexicon());
console.log(a.analyzeQuery('白鹭方案').terms.map(t=>t.term).join(' '));
console.log(a.indexTerms('路由器摆放位置影响信号，光猫旁边信号最好。').join(' '));
console.log(a.indexTerms('LOS 红灯是线路故障。检查光纤').join(' '));
