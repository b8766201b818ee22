/** Plausible Chinese personal names, organisation and compound names, and their pinyin. */
import { namePinyin, personNamePinyin } from '../platform/pinyin.js';
import { Rng, Weighted } from './prng.js';

// Approximate shares (‰-ish) of the most common surnames, with a little Zhejiang flavour, plus ~1 % compound ones.
const SURNAMES: [string, number][] = [
  ['王', 71], ['李', 70], ['张', 62], ['刘', 54], ['陈', 52], ['杨', 31], ['黄', 25], ['赵', 23], ['吴', 22], ['周', 20],
  ['徐', 18], ['孙', 15], ['马', 13], ['朱', 13], ['胡', 12], ['郭', 11], ['何', 10], ['高', 9.5], ['林', 9.5], ['罗', 9],
  ['郑', 8.5], ['梁', 8], ['谢', 7], ['宋', 6], ['唐', 6], ['许', 5.5], ['韩', 5], ['冯', 5], ['邓', 5], ['曹', 4.5],
  ['彭', 4.5], ['曾', 4.2], ['肖', 4], ['田', 4], ['董', 3.8], ['袁', 3.7], ['潘', 3.5], ['于', 3.5], ['蒋', 3.6], ['蔡', 3.5],
  ['余', 3.3], ['杜', 3.2], ['叶', 3.4], ['程', 3], ['苏', 3], ['魏', 3], ['吕', 3], ['丁', 3], ['任', 2.8], ['沈', 3.2],
  ['姚', 2.6], ['卢', 2.6], ['姜', 2.5], ['崔', 2.5], ['钟', 2.4], ['谭', 2.3], ['陆', 2.4], ['汪', 2.4], ['范', 2.2], ['金', 2.6],
  ['石', 2.1], ['廖', 2], ['贾', 2], ['夏', 2], ['韦', 1.8], ['付', 1.9], ['方', 2.2], ['白', 1.8], ['邹', 1.8], ['孟', 1.8],
  ['熊', 1.7], ['秦', 1.7], ['邱', 1.7], ['江', 1.7], ['尹', 1.6], ['薛', 1.6], ['闫', 1.5], ['段', 1.5], ['雷', 1.5], ['侯', 1.4],
  ['龙', 1.4], ['史', 1.4], ['陶', 1.3], ['黎', 1.3], ['贺', 1.3], ['顾', 1.4], ['毛', 1.3], ['郝', 1.2], ['龚', 1.2], ['邵', 1.3],
  ['万', 1.1], ['钱', 1.3], ['严', 1.1], ['俞', 1.4], ['楼', 0.8], ['应', 0.7], ['倪', 0.9], ['章', 1], ['孔', 1], ['汤', 1],
  ['欧阳', 4], ['司马', 1.5], ['诸葛', 1.2], ['上官', 1.2], ['司徒', 1],
];
const surnameTable = new Weighted(SURNAMES.map((s) => s[0]), SURNAMES.map((s) => s[1]));

type Era = 0 | 1 | 2; // born before 1970, 1970–1994, 1995 and later
const chars = (s: string) => Array.from(s);
const GIVEN: Record<'M' | 'F', { first: string[]; second: string[]; single: string[] }[]> = {
  M: [
    { first: chars('建国志德永明文长金春福宝水海树荣忠根振家'), second: chars('国华明军平林生成民强荣良才发山祥忠兴富根'), single: chars('军平林强明华勇刚荣福海忠') },
    { first: chars('伟晓海俊志建立鹏春东宏永文振军红明国光小'), second: chars('伟强磊军勇杰涛斌峰明刚辉鹏华飞波东亮锋兵'), single: chars('伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林峰洋') },
    { first: chars('子梓浩宇俊博一皓嘉思明天睿铭家泽承奕沐景'), second: chars('轩涵然宇航睿泽辰铭阳杰浩博哲文豪凯晨翔瑞'), single: chars('轩宇航睿泽辰铭阳杰浩博哲凯晨翔瑞') },
  ],
  F: [
    { first: chars('秀桂玉凤美素金淑月春兰翠彩雪爱丽巧惠银梅'), second: chars('英兰珍芳华琴莲梅凤娥花娣芬仙香贞云霞清秀'), single: chars('英兰珍芳华琴梅凤云霞秀') },
    { first: chars('丽晓海美春雪红玉静慧婷燕小艳欣佳敏文晶彩'), second: chars('芳娜敏静丽艳娟霞玲婷燕萍红丹颖洁琳倩莉华'), single: chars('芳娜敏静丽艳娟霞秀玲英红梅琳丹萍雪婷颖慧洁倩琴云莉燕佳欣怡璐') },
    { first: chars('子梓欣诗雨思一可佳语紫梦若嘉心安芷亦依沐'), second: chars('涵萱琪怡彤妍瑶馨悦琳晴菲然冉诺蕊婷雯溪宁'), single: chars('涵萱琪怡彤妍瑶馨悦琳晴菲诺蕊雯') },
  ],
};

export interface PersonName {
  name: string;
  pinyin: string;
  initials: string;
}

/** Full pinyin and initials (see platform/pinyin.ts); `surnameMode` reads the text as a person's name. */
export function toPinyin(text: string, surnameMode = false): [string, string] {
  const p = surnameMode ? personNamePinyin(text) : namePinyin(text);
  return [p.full, p.initials];
}

/** A gender- and generation-appropriate name. `birthYear` picks the naming fashion. */
export function makePersonName(rng: Rng, gender: 'M' | 'F', birthYear: number, surname?: string): PersonName {
  const sur = surname ?? surnameTable.draw(rng);
  const era: Era = birthYear < 1970 ? 0 : birthYear < 1995 ? 1 : 2;
  const pool = GIVEN[gender][era]!;
  const singleP = era === 0 ? 0.25 : era === 1 ? 0.35 : 0.15;
  let given: string;
  if (rng.chance(singleP)) given = rng.pick(pool.single);
  else {
    const a = rng.pick(pool.first);
    let b = rng.pick(pool.second);
    if (b === a && rng.chance(0.8)) b = rng.pick(pool.second);
    given = a + b;
  }
  const [sp, si] = toPinyin(sur, true);
  const [gp, gi] = toPinyin(given);
  return { name: sur + given, pinyin: sp + gp, initials: si + gi };
}

export function drawSurname(rng: Rng): string {
  return surnameTable.draw(rng);
}

/** Surname part of a generated name (compound surnames are two characters). */
export function surnameOf(name: string): string {
  const two = name.slice(0, 2);
  return SURNAMES.some((s) => s[0] === two) ? two : name.slice(0, 1);
}

const CN_DIGITS = '零一二三四五六七八九';
/** 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (up to 99). */
export function chineseNumber(n: number): string {
  if (n < 10) return CN_DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return (tens === 1 ? '' : CN_DIGITS[tens]!) + '十' + (ones ? CN_DIGITS[ones]! : '');
}

const COMPOUND_PREFIX = chars('江南钱塘星耀东方金色春江阳光绿洲锦绣湖畔白马闻涛月明冠山之江新城天阳中兴信诚万家华悦星光金域翠苑碧水观澜云锦映月望江逸景和家春晓丹枫彩虹明德海月');
const COMPOUND_SUFFIX = ['花园', '家园', '名苑', '雅苑', '嘉园', '新村', '公寓', '华庭', '府', '里', '小区', '城', '苑', '湾', '郡', '轩', '庭'];
const VILLAGE_SUFFIX = ['新村', '安置小区', '家园', '农居点', '新苑'];

/** A residential compound name, unique within `used`. */
export function makeCompoundName(rng: Rng, placeShort: string, village: boolean, used: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    let name: string;
    if (village) name = placeShort + rng.pick(VILLAGE_SUFFIX) + (attempt > 3 ? chineseNumber(attempt) + '区' : '');
    else if (rng.chance(0.3)) name = placeShort + rng.pick(['新村', '家园', '小区', '花园', '公寓']);
    else {
      const i = rng.int(0, COMPOUND_PREFIX.length / 2 - 1);
      name = COMPOUND_PREFIX[2 * i]! + COMPOUND_PREFIX[2 * i + 1]! + rng.pick(COMPOUND_SUFFIX);
      if (attempt > 6) name += chineseNumber(attempt - 5) + '期';
    }
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}

const FIRM_WORDS = chars('星辰云帆智联数澜汇川青禾启明博远维思恒达天衡海纳睿视极光弘毅万象明途远景立讯和创');
const FIRM_TRADES = ['科技', '网络科技', '信息技术', '智能科技', '数字科技', '电子', '软件', '生物医药', '新能源', '文化传媒', '建设'];
// Fictional firm names (no real brand): word × form × place gives 1,110 property companies from ONE draw, so the
// random stream (and every row generated after it) is the same as with the former 10-name list.
const PROPERTY_WORDS = chars('绿苑安居宜居康泰嘉和瑞丰金盾恒信邻安和美鸿运锦和滨悦江景祥和润泽永安东信中顺天和华府盈润禾丰宏泰新宇佳禾嘉宜颐和汇邦益家鼎盛合泰亿丰浙居钱安悦湖云栖');
const PROPERTY_FORMS = ['物业服务有限公司', '物业管理有限公司', '物业服务集团有限公司', '物业服务股份有限公司', '城市服务有限公司'];
const PROPERTY_PLACES = ['杭州', '杭州', '浙江', '杭州滨江', '', '杭州市'];

function firmWord(rng: Rng): string {
  const i = rng.int(0, FIRM_WORDS.length / 2 - 1);
  return FIRM_WORDS[2 * i]! + FIRM_WORDS[2 * i + 1]!;
}

/** A fictional but plausible property-management company, e.g. 杭州锦和物业服务集团有限公司. */
export function makePropertyCompany(rng: Rng): string {
  const words = PROPERTY_WORDS.length / 2;
  let i = Math.floor(rng.next() * words * PROPERTY_FORMS.length * PROPERTY_PLACES.length);
  const w = i % words; i = Math.floor(i / words);
  const form = PROPERTY_FORMS[i % PROPERTY_FORMS.length]!; i = Math.floor(i / PROPERTY_FORMS.length);
  const place = PROPERTY_PLACES[i]!;
  return `${place}${PROPERTY_WORDS[2 * w]!}${PROPERTY_WORDS[2 * w + 1]!}${form}`;
}

export type UnitType = 'company' | 'hospital' | 'school' | 'state' | 'bank' | 'soe';

/** A fictional but plausible work unit near a community, and the name of its party organisation. */
export function makeUnit(rng: Rng, districtName: string, streetShort: string, communityShort: string, serial: number):
  { unitName: string; orgName: string; type: UnitType } {
  const districtShort = shortName(districtName);
  const type = (['company', 'company', 'company', 'hospital', 'school', 'state', 'state', 'bank', 'soe'] as const)[rng.int(0, 8)]!;
  let unitName: string;
  switch (type) {
    case 'company':
      unitName = `杭州${firmWord(rng)}${rng.pick(FIRM_TRADES)}有限公司`;
      break;
    case 'hospital':
      unitName = rng.chance(0.5) ? `${streetShort}社区卫生服务中心` : `杭州${districtShort}${firmWord(rng)}医院`;
      break;
    case 'school':
      unitName = `杭州市${districtName}${communityShort}${rng.pick(['小学', '中学', '实验学校', '幼儿园'])}`;
      break;
    case 'state':
      unitName = rng.pick([
        `杭州市${districtName}市场监督管理局${streetShort}市场监管所`,
        `杭州市公安局${districtName}分局${streetShort}派出所`,
        `杭州市${districtName}城市管理局${streetShort}中队`,
        `国家税务总局杭州市${districtName}税务局第${chineseNumber(rng.int(1, 5))}税务所`,
        `杭州市${districtName}消防救援大队${streetShort}站`,
      ]);
      break;
    case 'bank':
      unitName = `${rng.pick(['之江', '钱江', '西湖', '运河'])}银行杭州${streetShort}支行`;
      break;
    default:
      unitName = `杭州${rng.pick(['城建', '水务', '燃气', '公交', '地铁'])}集团${streetShort}${rng.pick(['分公司', '营业所', '项目部'])}`;
  }
  if (serial > 0) unitName = unitName.replace(/(有限公司|医院|学校|小学|中学|幼儿园|支行|分公司|营业所|项目部|所|站|中队|中心)$/, `第${chineseNumber(serial + 1)}$1`);
  const suffix = type === 'company' || type === 'bank' ? rng.pick(['党支部', '党支部', '党总支', '党委']) : rng.pick(['党支部', '党委', '党总支']);
  return { unitName, orgName: unitName + suffix, type };
}

/** '西陵社区' → '西陵', '西兴街道' → '西兴', '滨江区' → '滨江', '某某村' → '某某'. */
export function shortName(name: string): string {
  const s = name.replace(/(街道|社区|生活区|村|镇|乡|区|县|市)$/, '');
  return s.length > 0 ? s : name;
}
