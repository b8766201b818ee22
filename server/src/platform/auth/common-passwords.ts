/**
 * Passwords too common to allow (MLPS level 3, OWASP ASVS 2.1.7, NIST SP 800-63B 5.1.1.2): a password is refused
 * when it, its de-leeted form, or its word stripped of leading/trailing digits and symbols is on a list of known
 * common passwords, is the product name (the demo password is Linli@2026), or is a pinyin name with digits.
 *
 * Sources:
 * - `@zxcvbn-ts/language-common` (MIT): 49,233 common passwords ranked by frequency in public leak corpora
 *   (the list zxcvbn ships as `passwords-common`); loaded once, on the first check.
 * - CHINESE_COMMON below, hand-assembled from what published analyses of leaked Chinese password sets (the 2011
 *   CSDN and Tianya leaks and later studies) report as typical: numeric runs, "love numbers" (520, 1314, 5201314,
 *   7758521), pinyin phrases (woaini, wodemima), keyboard walks (qwe123, 1qaz2wsx) and letter+digit stems.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

const CHINESE_COMMON = [
  '123456', '123456789', '12345678', '111111', '000000', '11111111', '00000000', '88888888', '66666666', '666666', '888888',
  '123123', '123123123', '1234567890', '147258369', '987654321', '789456123', '123654789', '147258', '159357', '159753',
  '5201314', '1314520', '520520', '520520520', '5211314', '13145200', '520131400', '7758521', '7758258', '1314521',
  'woaini', 'woaini1314', 'woaini520', 'woaini123', 'woaini521', 'iloveyou1314', 'aini1314', 'woaiwojia', 'wodemima',
  'nihao', 'nihao123', 'caonima', 'wangyang', 'zhangwei', 'wangwei', 'liwei', 'dearbook', 'xiazhili', 'zhongguo',
  'qwe123', 'qwe123456', 'qwe123qwe', 'qweasd', 'qweasdzxc', 'qazwsx', 'qazwsxedc', '1qaz2wsx', '1q2w3e4r', '1q2w3e',
  'asd123', 'asd123456', 'asdasd', 'asdfgh', 'zxc123', 'zxcvbnm', 'abc123', 'abc123456', 'abcd1234', 'a123456',
  'a1234567', 'a12345678', 'a123456789', 'aa123456', 'aaa123', 'aaa111', 'q123456', 'qq123456', 'z123456', 'w123456',
  '123456a', '123456aa', '123456abc', '123456qq', '123qwe', '123abc', '1234qwer', 'qwer1234', 'password1', 'passw0rd',
  'p@ssw0rd', 'admin', 'admin123', 'admin888', 'root', 'root123', 'test123', 'guest', 'welcome', 'letmein',
  'huawei', 'xiaomi', 'baidu', 'taobao', 'tencent', 'weixin', 'beijing', 'shanghai', 'hangzhou', 'shenzhen',
];

/** Words of this deployment that must never be a password's stem: the product name, the demo password. */
const CONTEXT_WORDS = ['linli', 'linli2026', 'admin', 'password', 'mima'];

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  return (common ??= new Set([...(dictionary['passwords-common'] as string[]), ...CHINESE_COMMON, ...CONTEXT_WORDS]));
}

// Common Chinese surnames in pinyin (the hundred most frequent, duplicates of one spelling merged).
const SURNAMES = new Set(('wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang xie '
  + 'song tang han feng deng cao peng zeng xiao tian dong yuan pan yu jiang cai jia ding wei xue ye yan du dai xia zhong '
  + 'fang ren kong bai cui kang mao qiu qin shi gu hou shao meng long wan duan lei qian yin yi chang qiao lai gong wen '
  + 'tan fu shen lu su lv jin hao zou xiong bao ou').split(' '));
const SYLLABLE = /^(zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|er|in|ia|ie|iu|ua|uo|ui|un|ve|ue|vn|a|o|e|i|u|v)$/;

/** Whether `letters` is a pinyin name: 2–3 syllables, one of them a common surname (zhangwei, xiaoming, weizhang). */
function isPinyinName(letters: string): boolean {
  if (letters.length < 4 || letters.length > 18) return false;
  // every split into syllables, shortest first; a name is 2 or 3 of them
  const splits = (rest: string, depth: number): string[][] => {
    if (!rest) return [[]];
    if (depth === 3) return [];
    const out: string[][] = [];
    for (let n = 1; n <= Math.min(6, rest.length); n++) {
      const head = rest.slice(0, n);
      if (SYLLABLE.test(head)) for (const tail of splits(rest.slice(n), depth + 1)) out.push([head, ...tail]);
    }
    return out;
  };
  return splits(letters, 0).some((parts) => parts.length >= 2 && parts.some((p) => SURNAMES.has(p)));
}

const LEET: Record<string, string> = { '@': 'a', '4': 'a', '0': 'o', '1': 'i', '!': 'i', '3': 'e', '$': 's', '5': 's', '7': 't', '8': 'b' };

/** Why `plain` is too common to use, or null. `username` is refused as a stem too. */
export function commonPasswordReason(plain: string, username?: string): string | null {
  const lower = plain.toLowerCase();
  const list = commonPasswords();
  const deleet = lower.replace(/[@4013!$578]/g, (c) => LEET[c]!);
  const stem = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const letters = lower.replace(/[^a-z]/g, '');
  const candidates = [lower, deleet, deleet.replace(/i/g, 'l'), stem, stem.replace(/[@4013!$578]/g, (c) => LEET[c]!),
    lower.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, ''), lower.replace(/[^a-z0-9]/g, '')];
  if (candidates.some((c) => c.length >= 3 && list.has(c))) return '密码过于常见，容易被猜中，请换一个';
  if (/linli/.test(deleet) || /linli/.test(letters)) return '密码不能包含系统名称';
  if (username) {
    const name = username.toLowerCase();
    const nameLetters = name.replace(/[^a-z]/g, '');
    if (stem === name || (nameLetters.length >= 3 && letters === nameLetters)) return '密码不能包含用户名';
  }
  if (isPinyinName(letters)) return '密码不能是姓名拼音加数字这类容易被猜中的组合';
  return null;
}
