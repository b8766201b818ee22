/**
 * The cases part of the seed (一网统管, 吹哨报到, C6): the line departments (职能部门) of every district seeded, the
 * demo API keys for Open311 clients and the camera detectors, and at scales demo/city a year of case history.
 *
 * It runs after the territory is loaded (departments name their district) and before the accounts (department staff
 * carry a department code). Every row is a function of the scale and the seed.
 */
import { createHash } from 'node:crypto';
import { CHANNEL_NAMES } from '../modules/cases/cases.service.js';

type Exec = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
export type CasesScale = 'test' | 'demo' | 'city';

/** The demo keys (only their SHA-256 is stored): `Authorization: Bearer linli-demo-key` etc. */
export const OPEN311_DEMO_KEY = 'linli-demo-key';
export const CAMERA_DEMO_KEY = 'linli-camera-demo-key';
const BINJIANG = '330108';

/** Line departments of a district: code suffix, kind, name after the district's name, short name, duty. */
export const DEPARTMENTS = [
  { suffix: 'CG', kind: 'chengguan', name: '城市管理局', short: '城管', duty: '市容环境、占道经营、违章搭建、户外广告的执法与管理' },
  { suffix: 'SJ', kind: 'market', name: '市场监督管理局', short: '市场监管', duty: '食品安全、特种设备（电梯）、市场经营秩序' },
  { suffix: 'GA', kind: 'police', name: '公安分局', short: '公安', duty: '治安、交通秩序与停车、犬只管理、高空抛物查处' },
  { suffix: 'ZJ', kind: 'housing', name: '住房和城乡建设局', short: '住建', duty: '物业监管、房屋安全、市政设施、燃气安全' },
  { suffix: 'XF', kind: 'fire', name: '消防救援大队', short: '消防', duty: '消防安全检查、电动车违规充电与楼道堆物整治' },
  { suffix: 'HB', kind: 'ecology', name: '生态环境分局', short: '生态环境', duty: '噪声、油烟、水体与大气污染的监管' },
] as const;

/** Department staff demo accounts: username → the department suffix in 滨江区. */
export const DEPARTMENT_USERS = [
  { username: 'dept.chengguan', suffix: 'CG' },
  { username: 'dept.market', suffix: 'SJ' },
  { username: 'dept.police', suffix: 'GA' },
  { username: 'dept.housing', suffix: 'ZJ' },
] as const;

export interface CasesCounts {
  departments: number; apiKeys: number; cases: number; steps: number; cards: number;
  open: number; overdue: number; merged: number; voided: number;
}

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

/** Inserts the six line departments of every seeded district; returns how many. */
export async function seedDepartments(exec: Exec): Promise<number> {
  const rows = await exec(`insert into department (code, name, short_name, kind, territory_code, duty, sort_order)
    select d.code || x.suffix, d.name || x.name, x.short, x.kind, d.code, x.duty, x.ord
    from territory_node d
    cross join unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) with ordinality as x(suffix, kind, name, short, duty, ord)
    where d.kind = 'district'
    order by d.code, x.ord
    returning code`,
  [DEPARTMENTS.map((d) => d.suffix), DEPARTMENTS.map((d) => d.kind), DEPARTMENTS.map((d) => d.name), DEPARTMENTS.map((d) => d.short),
    DEPARTMENTS.map((d) => d.duty)]);
  return rows.length;
}

/** The two demo API keys, both for 滨江区. */
export async function seedApiKeys(exec: Exec): Promise<number> {
  const keys = [
    { hash: sha256Hex(OPEN311_DEMO_KEY), kind: 'open311', name: 'Open311 演示密钥' },
    { hash: sha256Hex(CAMERA_DEMO_KEY), kind: 'camera', name: '视频智能识别演示密钥' },
  ];
  await exec(`insert into case_api_key (key_hash, kind, name, jurisdiction_code)
    select h, k, n, $4::text from unnest($1::text[], $2::text[], $3::text[]) as t(h, k, n)`,
  [keys.map((k) => k.hash), keys.map((k) => k.kind), keys.map((k) => k.name), BINJIANG]);
  return keys.length;
}

// ─── the case history ────────────────────────────────────────────────────────
/** Historical cases per scale (test: none — tests file their own through the core). */
export const HISTORY_CASES: Record<CasesScale, number> = { test: 0, demo: 3000, city: 1_050_000 };
/** Cases reported in the last LIVE_DAYS days of the year are placed relative to the time of seeding, to the second (the rest by whole days). */
const LIVE_DAYS = 14;

const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;

/** How often each minor category is reported, and what residents say. */
const CATEGORY_MIX: Record<string, { weight: number; texts: string[] }> = {
  '0101': { weight: 10, texts: ['垃圾桶满溢，周边有暴露垃圾，气味很大', '绿化带里有人乱扔生活垃圾，好几天没人清理', '路边堆着装修垃圾袋和生活垃圾，影响通行'] },
  '0102': { weight: 7, texts: ['路边堆放建筑材料和杂物，占用了人行道', '空地上堆满废旧家具和纸板，存在安全隐患', '有人在公共区域堆放砖块沙石，长期不清理'] },
  '0103': { weight: 9, texts: ['共享单车和电动车乱停放，堵住了人行道', '小区门口非机动车停得横七竖八，轮椅和婴儿车过不去', '盲道上停满了电动自行车'] },
  '0104': { weight: 4, texts: ['沿街店铺把货架摆到门外，占用人行道', '餐饮店在门口摆桌椅经营，行人只能走机动车道'] },
  '0105': { weight: 5, texts: ['路口有流动摊贩摆摊，早晚高峰堵塞交通', '人行道上有人摆摊卖水果，留下不少垃圾'] },
  '0106': { weight: 4, texts: ['楼道和电线杆上贴满小广告', '墙面被人乱涂乱画，很影响市容'] },
  '0201': { weight: 2, texts: ['路面井盖破损，晚上很危险', '井盖缺失，只用一块木板盖着', '井盖松动，车压过去响声很大'] },
  '0202': { weight: 4, texts: ['这一段路灯好几天不亮，晚上走路看不清', '路灯白天亮着、晚上反而不亮'] },
  '0203': { weight: 3, texts: ['路面坑洼积水，电动车经过容易摔倒', '人行道地砖破损翘起，老人差点绊倒'] },
  '0204': { weight: 2, texts: ['楼道里的消防栓箱门坏了，里面的水带不见了', '灭火器过期，压力表指针在红区'] },
  '0205': { weight: 1.5, texts: ['小区健身器材断裂，孩子在上面玩很危险', '健身区的漫步机转轴坏了'] },
  '0301': { weight: 3, texts: ['电梯经常停在楼层之间，上下都很不放心', '电梯门关不上，反复开合，已经好几天了', '电梯运行时有异响、晃动'] },
  '0302': { weight: 6, texts: ['楼道里堆满纸箱和旧家具，堵住了疏散通道', '有住户在楼梯间堆放杂物，还停放电动车'] },
  '0303': { weight: 4, texts: ['楼上漏水，卫生间天花板一直在滴水', '外墙渗水，房间墙面发霉', '小区地下水管爆裂，路面冒水'] },
  '0304': { weight: 6, texts: ['小区里车辆乱停，消防通道被堵', '外来车辆长期占用小区车位', '机动车停在人行道上，行人无法通过'] },
  '0305': { weight: 2.5, texts: ['有人在小区绿地里种菜，毁坏了绿化', '绿化带的树被人砍了几棵'] },
  '0401': { weight: 4, texts: ['有人从楼上拉电线给电动车充电（飞线充电）', '有人把电动车推进电梯和楼道里充电，存在火灾隐患'] },
  '0402': { weight: 1.5, texts: ['楼上有人往下扔垃圾，差点砸到人', '阳台上掉下花盆，幸好没有伤到人'] },
  '0403': { weight: 2, texts: ['顶楼住户在露台违章搭建阳光房', '一楼住户在院子里违法搭建彩钢棚'] },
  '0404': { weight: 1, texts: ['楼道里闻到很浓的燃气味', '餐饮店的燃气瓶摆放在门外，没有防护'] },
  '0501': { weight: 5, texts: ['工地夜间施工噪音很大，晚上十点以后还在作业', '广场舞音响声音太大，影响休息', '楼上装修电钻声从早到晚不停'] },
  '0502': { weight: 3, texts: ['邻居在公共走廊堆物，协商不成发生争执', '楼上楼下因为漏水赔偿问题发生纠纷'] },
  '0503': { weight: 3, texts: ['小区有人遛狗不牵绳，吓到了孩子', '狗粪便没人清理，草坪上到处都是', '邻居家的狗深夜吠叫，影响休息'] },
  '0504': { weight: 1.5, texts: ['独居老人行动不便，希望社区帮忙买菜送药', '家里有重病患者，生活困难，想了解救助政策'] },
  '0601': { weight: 2, texts: ['希望社区能帮独居老人修一下家里的灯', '希望给小区的孩子们办一次暑期托管', '想为楼里的老人添几把楼道休息椅'] },
  '0602': { weight: 2, texts: ['建议在小区门口增设非机动车充电桩', '建议延长社区图书室的开放时间', '建议在公园增设公共厕所'] },
};
/** What the handler reports back, by major category. */
const RESOLUTIONS: Record<string, string[]> = {
  '01': ['已组织保洁人员清理，现场恢复整洁', '已联系责任单位现场整改完毕', '已劝导当事人自行清理并跟踪复查'],
  '02': ['已联系养护单位维修完毕', '已更换新件，恢复正常使用'],
  '03': ['已协调物业处理完毕', '已督促物业整改，现场已恢复'],
  '04': ['已现场排除隐患并告知住户', '已会同相关部门整治完毕'],
  '05': ['已上门沟通协调，双方达成一致', '已联系相关单位处理，问题已解决'],
  '06': ['已联系志愿者认领并完成', '建议已采纳，已安排落实'],
};
const VOID_NOTES = ['经核实不属于本平台受理范围，已告知反映人通过相应渠道反映', '经现场核实，问题不存在', '反映内容不具体，联系反映人未果'];
const REOPEN_NOTES = ['处理不彻底，问题又出现了', '只是临时处理，没有根本解决', '没有人联系我，问题还在'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '罗'];

export interface HistoryOptions {
  count: number;
  seed: number;
  /** The seed's reference date (YYYY-MM-DD, Beijing): the history covers the 12 months before it, moved to end at `now` when that is later. */
  referenceDate: string;
  /**
   * The time of seeding: the year of history is moved by whole days to end on the day before it (so a demo started
   * months after the reference date still shows a year without a gap), and the last LIVE_DAYS days to the second.
   */
  now: Date;
  /** Only micro-grids under this territory path (tests). */
  within?: string | null;
  calendar: { isWorkday(day: string): boolean };
  /** From this many cases on (default 2,000) the secondary indexes and foreign keys are dropped during the load and restored after it. */
  bulkFrom?: number;
  /** Progress lines (each phase and its seconds). */
  log?: (m: string) => void;
}

/** A text[] literal for SQL built here from constants of this file. */
const lit = (s: string) => s.replace(/'/g, "''");
const arr = (xs: string[]) => `array[${xs.map((x) => `'${lit(x)}'`).join(',')}]::text[]`;

/**
 * Generates `count` historical cases, their steps and cards, set-based (one statement per table). Each case lies
 * at a building or inside its micro-grid, is routed as the core routes it (the category's default tier on the
 * micro-grid's ancestry), runs the loop 上报 → 受理/作废/合并 → 处置 → 核查 → 评价 (an unsatisfied first rating reopens it
 * once) with working-day deadlines, and stops wherever the clock stands now; overdue steps raise yellow and red
 * cards. All draws are hashes of (seed, case number), so the rows depend on nothing else but the day of seeding.
 *
 * The district mostly works: most cases are answered and handled within their deadlines, some late by hours or
 * days, and a few (about 5 %, more for 违章搭建 and leaks) drag on for weeks before they are resolved — every case
 * is resolved in the end, so the cases still open are the recent ones, and the few overdue among them (a handful
 * per street) are those late steps that the clock has not yet seen finished, carrying their yellow and red cards.
 */
export async function seedCaseHistory(exec: Exec, o: HistoryOptions): Promise<Omit<CasesCounts, 'departments' | 'apiKeys'>> {
  const none = { cases: 0, steps: 0, cards: 0, open: 0, overdue: 0, merged: 0, voided: 0 };
  if (o.count <= 0) return none;
  let mark = performance.now();
  const phase = (what: string) => {
    o.log?.(`  cases: ${what} (${((performance.now() - mark) / 1000).toFixed(1)} s)`);
    mark = performance.now();
  };
  const refMidnight = Date.parse(`${o.referenceDate}T00:00:00Z`) - BEIJING_MS; // 00:00 Beijing on the reference date
  const shiftS = Math.max(0, Math.floor((o.now.getTime() - refMidnight) / 1000));
  const shiftDays = Math.floor(shiftS / 86_400); // the older history moves by whole days: its hours of the day stay
  const nowS = refMidnight / 1000 + shiftS;
  // the working-day calendar as two arrays: workdays counted up to each day, and the day of each workday
  const baseDay = Math.floor(refMidnight / DAY_MS) - 400 + 1;
  const lastDay = Math.floor((refMidnight + shiftS * 1000) / DAY_MS) + 200;
  const ord: number[] = [];
  const wd: number[] = [];
  for (let d = baseDay, n = 0; d <= lastDay; d++) {
    if (o.calendar.isWorkday(new Date(d * DAY_MS).toISOString().slice(0, 10))) { n++; wd.push(d - baseDay); }
    ord.push(n);
  }
  const [pol] = await exec('select rating_window_days, red_after_days, yellow_after_days from case_policy where id = 1');
  const ratingDays = Number(pol?.rating_window_days ?? 5);
  const redDays = Number(pol?.red_after_days ?? 2);
  const yellowDays = Number(pol?.yellow_after_days ?? 0);

  // categories: a 1,000-slot wheel of the active minor categories by weight
  const cats = (await exec(`select code from case_category where parent_code is not null and active order by code`)).map((r) => String(r.code));
  const weights = cats.map((c) => CATEGORY_MIX[c]?.weight ?? 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const wheel: string[] = [];
  let acc = 0;
  for (const [k, c] of cats.entries()) {
    acc += weights[k]!;
    while (wheel.length < Math.round((acc / total) * 1000)) wheel.push(c);
  }

  const S = BigInt(o.seed) * 1000n;
  const U = (k: number, idx = 'g.i') => `((hashint8extended((${idx})::int8, ${S + BigInt(k)}::int8) & 4294967295)::float8 / 4294967296.0)`;
  const dayOf = (x: string) => `(floor((extract(epoch from ${x}) + 28800) / 86400)::int - ${baseDay})`;
  const due = (x: string, n: string) => `to_timestamp((${baseDay} + k.wd[k.ord[${dayOf(x)} + 1] + (${n})] + 1)::float8 * 86400 - 28800)`;
  const eod = (x: string, plusDays: number) => `to_timestamp((${dayOf(x)} + ${baseDay} + 1 + ${plusDays})::float8 * 86400 - 28800)`;
  const red = (x: string) => due(`(${x} - interval '1 second')`, String(redDays));
  const yellow = (x: string) => (yellowDays === 0 ? x : due(`(${x} - interval '1 second')`, String(yellowDays)));
  const NOW = `to_timestamp(${nowS}::float8)`;
  const at = (x: string) => `(case when ${x} <= ${NOW} then ${x} end)`;

  // expressions here are cheap and many: compiling them (JIT) costs more than it saves
  await exec('set local jit = off');
  const [{ base }] = (await exec('select coalesce(max(id), 0)::int8 as base from civic_case')) as [{ base: string }];
  await exec('drop table if exists seed_case_mg, seed_case_bld, seed_case_cat, seed_case_wheel, seed_case_gen');
  await exec(`create temp table seed_case_wheel as select slot::int, code from unnest($1::text[]) with ordinality as w(code, slot)`, [wheel]);
  await exec(`create temp table seed_case_mg as
    select row_number() over (order by m.code)::int as n, m.code, m.path, g.code as grid_code, c.code as community_code, s.code as street_code,
      c.name as community_name, g.name as grid_name, m.name as mg_name, s.name as street_name, d.name as district_name,
      ST_X(ST_PointN(q.r, 1)) as x1, ST_Y(ST_PointN(q.r, 1)) as y1, ST_X(ST_PointN(q.r, 2)) as x2, ST_Y(ST_PointN(q.r, 2)) as y2,
      ST_X(ST_PointN(q.r, 3)) as x3, ST_Y(ST_PointN(q.r, 3)) as y3, ST_X(ST_PointN(q.r, 4)) as x4, ST_Y(ST_PointN(q.r, 4)) as y4,
      coalesce(b.nb, 0) as nb, ((hashint8extended(s.code::int8, ${S}::int8) & 65535)::float8 / 65536.0 - 0.5) as sf,
      gu.id as grid_user
    from territory_node m
    join territory_node g on g.code = m.parent_code
    join territory_node c on c.code = g.parent_code
    join territory_node s on s.code = c.parent_code
    join territory_node d on d.code = s.parent_code
    cross join lateral (select ST_ExteriorRing(ST_GeometryN(m.boundary, 1)) as r) q
    left join (select micro_grid_code, count(*)::int as nb from territory_node where kind = 'building' group by micro_grid_code) b on b.micro_grid_code = m.code
    left join app_user gu on gu.username = 'grid.' || g.code
    where m.kind = 'micro_grid' and m.boundary is not null ${o.within ? 'and m.path <@ $1::ltree' : ''}`, o.within ? [o.within] : []);
  const [{ n: mgCount }] = (await exec('select count(*)::int as n from seed_case_mg')) as [{ n: number }];
  if (!mgCount) return none;
  await exec('create unique index on seed_case_mg (n)');
  await exec(`create temp table seed_case_bld as
    select b.micro_grid_code as mg, row_number() over (partition by b.micro_grid_code order by b.code)::int as k,
      round(ST_X(b.location)::numeric, 6)::float8 as x, round(ST_Y(b.location)::numeric, 6)::float8 as y, p.name || b.name as address
    from territory_node b join territory_node p on p.code = b.parent_code
    where b.kind = 'building' and b.location is not null ${o.within ? 'and b.path <@ $1::ltree' : ''}`, o.within ? [o.within] : []);
  await exec(`create temp table seed_case_cat as
    select c.code, left(c.code, 2) as major, c.default_tier, c.accept_days, c.handle_days, c.verify_days, c.camera_events,
      coalesce(t.texts, array[c.name]) as texts, coalesce(r.notes, array['已处理完毕']) as notes
    from case_category c
    left join jsonb_each($1::jsonb) t0 on t0.key = c.code
    left join lateral (select array(select jsonb_array_elements_text(t0.value)) as texts) t on t0.key is not null
    left join jsonb_each($2::jsonb) r0 on r0.key = left(c.code, 2)
    left join lateral (select array(select jsonb_array_elements_text(r0.value)) as notes) r on r0.key is not null
    where c.parent_code is not null`,
  [JSON.stringify(Object.fromEntries(Object.entries(CATEGORY_MIX).map(([k, v]) => [k, v.texts]))), JSON.stringify(RESOLUTIONS)]);

  for (const stmt of ['create index on seed_case_bld (mg, k)', 'create unique index on seed_case_cat (code)', 'create unique index on seed_case_wheel (slot)',
    'analyze seed_case_mg', 'analyze seed_case_bld', 'analyze seed_case_cat', 'analyze seed_case_wheel']) await exec(stmt);
  phase('micro-grids, buildings and categories listed');

  const tierCode = (tier: string) => `(case ${tier} when 'micro_grid' then b.code when 'grid' then b.grid_code when 'community' then b.community_code else b.street_code end)`;
  const tierName = `(case b.tier when 'micro_grid' then b.community_name || b.mg_name when 'grid' then b.grid_name when 'community' then b.community_name else b.street_name end)`;
  const superiorName = `(case b.tier when 'micro_grid' then b.grid_name when 'grid' then b.community_name when 'community' then b.street_name else b.district_name end)`;
  const pick = (array: string, k: number, idx = 'g.i') => `(${array})[1 + floor(${U(k, idx)} * cardinality(${array}))::int]`;

  // one row per case with every instant of its loop (null where it never happens or has not happened yet)
  await exec(`create temp table seed_case_gen as
  select x.*, row_number() over (order by x.r, x.i)::int8 + ${base} as id,
    'AJ' || to_char(x.r at time zone 'Asia/Shanghai', 'YYYYMMDD') || 'S'
      || lpad((row_number() over (partition by (x.r at time zone 'Asia/Shanghai')::date order by x.r, x.i))::text, 5, '0') as service_no,
    case
      when x.merged then case when x.ea is not null then 'merged' else 'reported' end
      when x.void then case when x.ea is not null then 'voided' else 'reported' end
      when x.ea is null then 'reported' when x.es is null then 'handling' when x.ev is null then 'resolved' when x.et is null then 'rating'
      when not x.reopen then 'closed'
      when x.es2 is null then 'handling' when x.ev2 is null then 'resolved' when x.et2 is null then 'rating'
      else 'closed' end as state
  from (
    select g.i, g.src, g.merged, b.code as micro_grid_code, b.path, b.grid_code, b.community_code, b.street_code, b.category_code, b.channel,
      b.description, b.address, b.lng, b.lat, b.tier, ${tierCode('b.tier')} as handler_code, ${tierName} as handler_name, ${superiorName} as superior_name,
      b.reporter_user_id, b.reporter_name, b.reporter_phone, b.external_id, b.attributes, b.resolution, b.void, b.reopen, b.rated, b.sat,
      g.r, t1.ad, t1.a, t2.hd, t3.s, t3.vd, t4.v, t4.rw, t5.t, t6.hd2, t7.s2, t7.vd2, t8.v2, t8.rw2, t9.t2,
      ${at('t1.a')} as ea, ${at('t3.s')} as es, ${at('t4.v')} as ev, ${at('t5.t')} as et, ${at('t7.s2')} as es2, ${at('t8.v2')} as ev2, ${at('t9.t2')} as et2,
      -- cards: raised when a step's deadline passes while the case is still in it
      case when ${yellow('t1.ad')} < least(coalesce(t1.a, 'infinity'), ${NOW}) then ${yellow('t1.ad')} end as y1,
      case when ${red('t1.ad')} < least(coalesce(t1.a, 'infinity'), ${NOW}) then ${red('t1.ad')} end as r1,
      case when not g.merged and not b.void and t1.a <= ${NOW} and ${yellow('t2.hd')} < least(coalesce(t3.s, 'infinity'), ${NOW}) then ${yellow('t2.hd')} end as y2,
      case when not g.merged and not b.void and t1.a <= ${NOW} and ${red('t2.hd')} < least(coalesce(t3.s, 'infinity'), ${NOW}) then ${red('t2.hd')} end as r2,
      case when t5.t <= ${NOW} and ${yellow('t6.hd2')} < least(t7.s2, ${NOW}) then ${yellow('t6.hd2')} end as y3,
      case when t5.t <= ${NOW} and ${red('t6.hd2')} < least(t7.s2, ${NOW}) then ${red('t6.hd2')} end as r3
    from (
      select i, merged, case when merged then i - 1 else i end as src, day,
        case when merged then date_trunc('second', r0 + interval '20 minutes' + ${U(9, 'g0.i')} * interval '5 hours') else r0 end as r
      from (
        select gi.i, gi.merged, d.day,
          date_trunc('second', to_timestamp(${refMidnight / 1000}::float8) - (d.day + 1) * interval '1 day' + interval '7 hours' + ${U(9, 'gi.src')} * interval '15 hours')
            + case when d.day < ${LIVE_DAYS} then ${shiftS} * interval '1 second' else ${shiftDays} * interval '1 day' end as r0
        from (
          select i, m as merged, case when m then i - 1 else i end as src
          from (select i, (i > 1 and ${U(1, 'i')} < 0.015 and ${U(1, 'i - 1')} >= 0.015) as m from generate_series(1, ${o.count}) i offset 0) s
          offset 0
        ) gi
        cross join lateral (select floor(${U(8, 'gi.src')} * 365)::int as day offset 0) d
        offset 0
      ) g0
      offset 0
    ) g
    cross join (select $1::int[] as ord, $2::int[] as wd) k
    join lateral (
      select mg.*, c.code as category_code, c.accept_days, c.handle_days, c.verify_days,
        case when c.default_tier = 'department' then 'street' else c.default_tier end as tier,
        ${pick('c.texts', 12, 'g.src')} as description, ${pick('c.notes', 13)} as resolution,
        case when bl.x is not null then bl.x else round(((1 - pu) * (1 - pv) * mg.x1 + pu * (1 - pv) * mg.x2 + pu * pv * mg.x3 + (1 - pu) * pv * mg.x4)::numeric, 6)::float8 end as lng,
        case when bl.x is not null then bl.y else round(((1 - pu) * (1 - pv) * mg.y1 + pu * (1 - pv) * mg.y2 + pu * pv * mg.y3 + (1 - pu) * pv * mg.y4)::numeric, 6)::float8 end as lat,
        coalesce(bl.address, mg.community_name || mg.mg_name) as address,
        ch.channel,
        case when ch.channel = 'patrol' then mg.grid_user
             when ch.channel in ('h5', 'wish') and mg.community_code = '330108001001' and ${U(40)} < 0.4 then (select id from app_user where username = 'resident.demo') end as reporter_user_id,
        case when ch.channel in ('hotline', 'open311') then ${pick(arr(SURNAMES), 41)} || case when ${U(42)} < 0.5 then '先生' else '女士' end end as reporter_name,
        case when ch.channel in ('hotline', 'open311') then (array['138','139','158','159','186','187','188','189','136','137'])[1 + floor(${U(43)} * 10)::int]
          || lpad(floor(${U(44)} * 100000000)::int::text, 8, '0') end as reporter_phone,
        case ch.channel when 'hotline' then '12345-' || lpad(g.i::text, 8, '0') when 'camera' then 'CAM-' || lpad(g.i::text, 8, '0')
          when 'open311' then 'O311-' || lpad(g.i::text, 8, '0') end as external_id,
        case when ch.channel = 'camera' then jsonb_build_object('camera_id', 'HZ' || right(mg.code, 9), 'event_type', c.camera_events[1]) else '{}'::jsonb end as attributes,
        (${U(20)} < 0.035) as void,
        -- sf, a street's own form (−0.5 … 0.5), moves its rates a few points either way
        (${U(21)} < 0.94 + 0.06 * mg.sf) as on_time,
        -- slow: resolved weeks after the deadline (a structure to demolish, a leak between two owners)
        (${U(23)} < 0.05 - 0.04 * mg.sf + case c.code when '0403' then 0.15 when '0303' then 0.05 when '0203' then 0.05 else 0 end) as stuck,
        (${U(24)} < 0.92 + 0.06 * mg.sf) as handled_in_time,
        (${U(27)} < 0.92) as rated,
        (${U(27)} < 0.92 and ${U(29)} < 0.13 - 0.1 * mg.sf) as reopen,
        case when ${U(27)} < 0.92 and ${U(29)} < 0.13 - 0.1 * mg.sf
          then case when ${U(33)} < 0.45 then 'unsatisfied' when ${U(33)} < 0.75 then 'basically' else 'satisfied' end
          else case when ${U(33)} < 0.86 + 0.1 * mg.sf then 'satisfied' else 'basically' end end as sat
      from seed_case_mg mg
      cross join lateral (select ${U(6, 'g.src')} * 0.8 + 0.1 as pu, ${U(7, 'g.src')} * 0.8 + 0.1 as pv,
        1 + floor(${U(5, 'g.src')} * greatest(mg.nb, 1))::int as bk) p
      join seed_case_wheel w on w.slot = 1 + floor(${U(3, 'g.src')} * ${wheel.length})::int
      join seed_case_cat c on c.code = w.code
      left join seed_case_bld bl on ${U(4, 'g.src')} < 0.65 and bl.mg = mg.code and bl.k = p.bk
      cross join lateral (select case
          when c.code like '06%' then case when ${U(10)} < 0.75 then 'wish' else 'h5' end
          when cardinality(c.camera_events) > 0 and ${U(11)} < 0.3 then 'camera'
          when ${U(10)} < 0.36 then 'h5' when ${U(10)} < 0.66 then 'patrol' when ${U(10)} < 0.86 then 'hotline'
          when ${U(10)} < 0.94 then 'open311' else 'web' end as channel) ch
      where mg.n = 1 + floor(${U(2, 'g.src')} * ${mgCount})::int
      offset 0
    ) b on true
    -- the loop: 受理 (or 作废/合并), 处置, 核查, 评价; an unsatisfied first rating reopens it once
    cross join lateral (select ad, date_trunc('second', case
        when g.merged then g.r + interval '20 minutes' + ${U(22)} * interval '5 hours'
        when b.on_time then g.r + (ad - g.r) * (0.02 + 0.5 * power(${U(22)}, 2))
        else ad + interval '1 hour' + ${U(22)} * interval '40 hours' end) as a
      from (select ${due('g.r', 'b.accept_days')} as ad offset 0) x offset 0) t1
    cross join lateral (select case when not g.merged and not b.void then ${due('t1.a', 'b.handle_days')} end as hd offset 0) t2
    cross join lateral (select s, case when s is not null then ${due('s', 'b.verify_days')} end as vd from (select date_trunc('second', case
        when g.merged or b.void then null
        when b.stuck then t2.hd + interval '5 days' + ${U(25)} * interval '45 days'
        when b.handled_in_time then t1.a + (t2.hd - t1.a) * (0.1 + 0.8 * ${U(25)})
        else t2.hd + interval '2 hours' + ${U(25)} * interval '5 days' end) as s offset 0) x offset 0) t3
    cross join lateral (select v, case when v is not null then ${eod('v', ratingDays - 1)} end as rw
      from (select date_trunc('second', t3.s + (t3.vd - t3.s) * (0.05 + 0.6 * ${U(26)})) as v offset 0) x offset 0) t4
    cross join lateral (select case when b.rated then date_trunc('second', t4.v + (t4.rw - t4.v) * (0.02 + 0.5 * power(${U(28)}, 2))) else t4.rw end as t offset 0) t5
    cross join lateral (select case when b.reopen and t5.t is not null then ${due('t5.t', 'b.handle_days')} end as hd2 offset 0) t6
    cross join lateral (select s2, case when s2 is not null then ${due('s2', 'b.verify_days')} end as vd2
      from (select date_trunc('second', t5.t + (t6.hd2 - t5.t) * (0.1 + 0.7 * ${U(30)})) as s2 offset 0) x offset 0) t7
    cross join lateral (select v2, case when v2 is not null then ${eod('v2', ratingDays - 1)} end as rw2
      from (select date_trunc('second', t7.s2 + (t7.vd2 - t7.s2) * (0.05 + 0.5 * ${U(31)})) as v2 offset 0) x offset 0) t8
    cross join lateral (select date_trunc('second', t8.v2 + (t8.rw2 - t8.v2) * (0.02 + 0.5 * power(${U(32)}, 2))) as t2 offset 0) t9
  ) x`, [ord, wd]);
  await exec('create unique index on seed_case_gen (id)');
  await exec('create unique index on seed_case_gen (i)');
  await exec('analyze seed_case_gen');

  phase(`${o.count.toLocaleString('en')} cases drawn over ${mgCount.toLocaleString('en')} micro-grids`);
  // A bulk load (the city's million) writes the rows first and then builds the secondary indexes and checks the
  // foreign keys once each, as pg_restore does, instead of row by row; the definitions are read back from the catalog.
  const restore: string[] = [];
  if (o.count >= (o.bulkFrom ?? 2_000)) {
    const tables = `('civic_case'::regclass, 'civic_case_step'::regclass, 'case_card'::regclass)`;
    const indexes = await exec(`select format('%I', c.relname) as name, pg_get_indexdef(i.indexrelid) as def from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid in ${tables} and not i.indisprimary and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid) order by c.relname`);
    const fks = await exec(`select conrelid::regclass::text as tbl, format('%I', conname) as name, pg_get_constraintdef(oid) as def from pg_constraint
      where contype = 'f' and conrelid in ${tables} order by conrelid::regclass::text, conname`);
    for (const f of fks) await exec(`alter table ${String(f.tbl)} drop constraint ${String(f.name)}`);
    for (const x of indexes) await exec(`drop index ${String(x.name)}`);
    restore.push(...indexes.map((x) => String(x.def)), ...fks.map((f) => `alter table ${String(f.tbl)} add constraint ${String(f.name)} ${String(f.def)}`));
    await exec(`set local maintenance_work_mem = '256MB'`);
  }
  const channelNames = `(case c.channel ${Object.entries(CHANNEL_NAMES).map(([k, v]) => `when '${k}' then '${v}'`).join(' ')} end)`;
  await exec(`insert into civic_case (id, service_no, channel, category_code, description, address, location, territory_path, street_code, community_code,
      grid_code, micro_grid_code, attributes, external_id, reporter_user_id, reporter_name, reporter_phone, state, handler_tier, handler_code,
      merged_into, duplicate_of_hint, reported_at, step_started_at, step_deadline, accept_deadline, handle_deadline, card,
      accepted_at, responded_at, resolved_at, closed_at, satisfaction, closed_unrated, reopen_count, rated_by, rating_comment, created_at, updated_at)
    overriding system value
    select c.id, c.service_no, c.channel, c.category_code, c.description, c.address, ST_SetSRID(ST_MakePoint(c.lng, c.lat), 4326), c.path,
      c.street_code, c.community_code, c.grid_code, c.micro_grid_code, c.attributes, c.external_id, c.reporter_user_id, c.reporter_name, c.reporter_phone,
      c.state, c.tier, c.handler_code, m.id, m.id, c.r, st.started, st.deadline, c.ad,
      case when c.state not in ('reported', 'voided', 'merged') then case when c.et is not null and c.reopen then c.hd2 else c.hd end end,
      case c.state when 'reported' then case when c.r1 is not null then 'red' when c.y1 is not null then 'yellow' else 'none' end
        when 'handling' then case when c.et is not null then case when c.r3 is not null then 'red' when c.y3 is not null then 'yellow' else 'none' end
          else case when c.r2 is not null then 'red' when c.y2 is not null then 'yellow' else 'none' end end
        else 'none' end,
      case when not c.merged and not c.void then c.ea end, c.ea,
      case when c.et is not null and c.reopen then c.ev2 else c.ev end,
      case when c.state = 'closed' then coalesce(c.et2, c.et) end,
      case when c.state = 'closed' and c.rated then c.sat end,
      c.state = 'closed' and not c.rated,
      case when c.reopen and c.et is not null then 1 else 0 end,
      case when c.rated and c.et is not null then c.reporter_user_id end,
      case when c.reopen and c.et is not null then ${pick(arr(REOPEN_NOTES), 34, 'c.i')} end,
      c.r, st.started
    from seed_case_gen c
    left join seed_case_gen m on c.state = 'merged' and m.i = c.src
    cross join lateral (select case c.state
        when 'reported' then c.r when 'voided' then c.a when 'merged' then c.a
        when 'handling' then coalesce(c.et, c.a) when 'resolved' then coalesce(c.es2, c.s) when 'rating' then coalesce(c.ev2, c.v)
        else coalesce(c.et2, c.et) end as started,
      case c.state
        when 'reported' then c.ad when 'voided' then c.ad when 'merged' then c.ad
        when 'handling' then case when c.et is not null then c.hd2 else c.hd end when 'resolved' then case when c.es2 is not null then c.vd2 else c.vd end
        when 'rating' then case when c.ev2 is not null then c.rw2 else c.rw end
        else case when c.reopen then c.rw2 else c.rw end end as deadline offset 0) st
    order by c.id`);

  phase('civic_case written');
  await exec(`insert into civic_case_step (case_id, action, from_state, to_state, actor_id, actor_kind, actor_org, tier_to, handler_to, target, note, deadline, at)
    select c.id, s.action, s.from_state, s.to_state, s.actor_id, s.actor_kind, s.actor_org, s.tier_to, s.handler_to, s.target, s.note, s.deadline, s.at
    from seed_case_gen c
    left join seed_case_gen m on c.merged and m.i = c.src
    cross join lateral (values
      (1, 'report', null, 'reported', c.reporter_user_id, 'channel', ${channelNames} || case when c.channel = 'patrol' then ' · ' || c.handler_name else '' end,
        c.tier, c.handler_code, null, null, c.ad, c.r),
      (2, 'card', 'reported', 'reported', null, 'system', '系统', null, null, null, '超期未受理，亮黄牌', c.ad, c.y1),
      (3, 'card', 'reported', 'reported', null, 'system', '系统', null, null, null, '超期未受理，亮红牌', c.ad, c.r1),
      (4, case when c.merged then 'merge' when c.void then 'void' else 'accept' end, 'reported',
        case when c.merged then 'merged' when c.void then 'voided' else 'handling' end, null, 'handler', c.handler_name, null, null,
        m.service_no, case when c.merged then '与已受理案件重复，合并办理' when c.void then ${pick(arr(VOID_NOTES), 35, 'c.i')} end,
        case when not c.merged and not c.void then c.hd end, c.ea),
      (5, 'card', 'handling', 'handling', null, 'system', '系统', null, null, null, '超期未办结，亮黄牌', c.hd, c.y2),
      (6, 'card', 'handling', 'handling', null, 'system', '系统', null, null, null, '超期未办结，亮红牌', c.hd, c.r2),
      (7, 'resolve', 'handling', 'resolved', null, 'handler', c.handler_name, null, null, null, c.resolution, c.vd, c.es),
      (8, 'verify', 'resolved', 'rating', null, 'superior', c.superior_name, null, null, null, '核查通过', c.rw, c.ev),
      (9, case when not c.rated then 'auto_close' when c.reopen then 'reopen' else 'rate' end, 'rating', case when c.reopen then 'handling' else 'closed' end,
        case when c.rated then c.reporter_user_id end, case when c.rated then 'rater' else 'system' end, case when c.rated then '居民' else '系统' end,
        case when c.reopen then c.tier end, case when c.reopen then c.handler_code end, null,
        case when c.reopen then ${pick(arr(REOPEN_NOTES), 34, 'c.i')} when not c.rated then '评价期满，自动结案' end,
        case when c.reopen then c.hd2 end, c.et),
      (10, 'card', 'handling', 'handling', null, 'system', '系统', null, null, null, '重新办理超期，亮黄牌', c.hd2, c.y3),
      (11, 'card', 'handling', 'handling', null, 'system', '系统', null, null, null, '重新办理超期，亮红牌', c.hd2, c.r3),
      (12, 'resolve', 'handling', 'resolved', null, 'handler', c.handler_name, null, null, null, c.resolution, c.vd2, c.es2),
      (13, 'verify', 'resolved', 'rating', null, 'superior', c.superior_name, null, null, null, '核查通过', c.rw2, c.ev2),
      (14, 'rate', 'rating', 'closed', c.reporter_user_id, 'rater', '居民', null, null, null, null, null, c.et2)
    ) s(seq, action, from_state, to_state, actor_id, actor_kind, actor_org, tier_to, handler_to, target, note, deadline, at)
    where s.at is not null
    order by c.id, s.seq`);

  phase('civic_case_step written');
  await exec(`insert into case_card (case_id, color, step_state, deadline, note, at)
    select c.id, s.color, s.step_state, s.deadline, s.note, s.at
    from seed_case_gen c
    cross join lateral (values
      ('yellow', 'reported', c.ad, '超期未受理', c.y1), ('red', 'reported', c.ad, '超期未受理', c.r1),
      ('yellow', 'handling', c.hd, '超期未办结', c.y2), ('red', 'handling', c.hd, '超期未办结', c.r2),
      ('yellow', 'handling', c.hd2, '重新办理超期', c.y3), ('red', 'handling', c.hd2, '重新办理超期', c.r3)
    ) s(color, step_state, deadline, note, at)
    where s.at is not null
    order by c.id`);

  phase('case_card written');
  for (const stmt of restore) await exec(stmt);
  if (restore.length) phase('indexes built and foreign keys checked');
  const [n] = await exec(`select count(*)::int as cases,
      count(*) filter (where state in ('reported', 'handling', 'resolved', 'rating'))::int as open,
      count(*) filter (where state in ('reported', 'handling', 'resolved') and step_deadline < ${NOW})::int as overdue,
      count(*) filter (where state = 'merged')::int as merged, count(*) filter (where state = 'voided')::int as voided
    from civic_case where id > ${base}`);
  const [steps] = await exec(`select count(*)::int as n from civic_case_step where case_id > ${base}`);
  const [cards] = await exec(`select count(*)::int as n from case_card where case_id > ${base}`);
  await exec(`select setval(pg_get_serial_sequence('civic_case', 'id'), (select max(id) from civic_case))`);
  await exec('drop table seed_case_mg, seed_case_bld, seed_case_cat, seed_case_wheel, seed_case_gen');
  return { cases: Number(n!.cases), steps: Number(steps!.n), cards: Number(cards!.n), open: Number(n!.open), overdue: Number(n!.overdue),
    merged: Number(n!.merged), voided: Number(n!.voided) };
}
