/**
 * The service-loop part of the seed (双报到·通通在, C3–C5): the contract's 2,000 registered in-service members
 * (`member.0001` … `member.2000` in 西兴街道's communities), and at scales demo/city the registrations of most
 * in-service party members everywhere, volunteers and other forces, teams, resources, posts with holders, 1:8
 * contacts, the three lists with projects, pledges and spending, a history of orders with their events, tasks with
 * claims, service records and ratings, and a negative item or two.
 *
 * It runs after the territory, people, party organisations, accounts and archive are loaded and reads what it needs
 * back from the database in a stable order, drawing from PRNG streams of its own (`<code>#service…`), so every row
 * loaded before it stays as it was. At scale test only the 2,000 contract members and a little of each kind in
 * 西陵社区 (by volunteers, never by `member.demo`, `resident.demo` or `member.0001`–`member.0199`) are added.
 *
 * Timestamps of the history are fixed dates before the reference date; the few "live" rows (open orders, the open
 * task) are placed relative to the time of seeding so the demo looks alive whenever it is started — like
 * created_at elsewhere, those timestamps are the only columns that differ between two runs.
 */
import { makeIdNumber, sequenceFor } from '../platform/idcard.js';
import { districtsOf } from './divisions.js';
import { bilinear, roundPt, type Pt, type Quad } from './geometry.js';
import { makePersonName, shortName } from './names.js';
import { dayToIso, REF_DAY } from './people.js';
import { Rng } from './prng.js';

type Exec = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
export type ServiceScale = 'test' | 'demo' | 'city';

const XIXING = '330108001';
const XILING = '330108001001';
const BINJIANG = '330108';
/** Contract members: member.0001–member.0200 live in 西陵社区, then 90 in each other community of 西兴街道. */
export const CONTRACT_MEMBERS = 2000;
const XILING_QUOTA = 200;
/** At scale test the contract members from member.0191 on take part in the activity of 西陵社区 (member.0200 also keeps 1:8 contacts). */
const SERVING_FROM = 191;
const PERIODS = ['morning', 'afternoon', 'evening'] as const;
/** The live orders of each community, one at each open step of the loop. */
const LIVE_ORDERS = ['ordered', 'dispatched', 'accepted', 'done'] as const;

export interface ServiceCounts {
  contractMembers: number; newPersons: number; registrations: number; approved: number; pending: number;
  forcePersons: number; teams: number; teamMembers: number; resources: number; posts: number; postHolders: number;
  contacts: number; needs: number; projects: number; pledges: number; spendings: number; orders: number; orderEvents: number;
  calls: number; tasks: number; claims: number; records: number; ratings: number; negatives: number;
}

export interface ServiceOptions {
  scale: ServiceScale; seed: number; passwordHash: string; batch: number; log: (m: string) => void;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const ts = (day: number, minutes: number) => new Date((day * 1440 + minutes) * 60_000).toISOString();

function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** '(MULTI)POLYGON(((x y,x y,…)))' of a seeded quad → its four corners. */
function parseQuad(wkt: string): Quad {
  const n = (wkt.match(/-?[0-9]+(\.[0-9]+)?/g) ?? []).map(Number);
  if (n.length < 8) throw new Error(`seed: not a quad: ${wkt}`);
  const pt = (i: number): Pt => [n[2 * i]!, n[2 * i + 1]!];
  return [pt(0), pt(1), pt(2), pt(3)];
}

/** Column buffers keyed by name; `rows()` hands them to one unnest statement per batch. */
class Cols<K extends string> {
  readonly c: Record<K, unknown[]>;
  constructor(names: readonly K[]) { this.c = Object.fromEntries(names.map((n) => [n, []])) as unknown as Record<K, unknown[]>; }
  push(row: Record<K, unknown>) { for (const k of Object.keys(this.c) as K[]) this.c[k].push(row[k] ?? null); }
  get size() { return (Object.values(this.c)[0] as unknown[]).length; }
}

interface Force {
  id: number; personId: number; userId: number | null; kind: string; community: string; skills: string[];
  low: boolean; contract: number | null; active: boolean;
}

interface Home { room: string | null; micro: string; x: number; y: number }

const SKILL_TITLES: Record<string, string[]> = {
  legal: ['房屋租赁合同法律咨询', '遗嘱继承法律咨询'], medical: ['上门测量血压血糖', '慢病用药指导'],
  psychology: ['独居老人心理陪伴', '青少年学业压力疏导'], education: ['小学生作业辅导', '初中数学答疑'],
  finance: ['个税汇算清缴帮办', '家庭理财防骗讲解'], policy: ['医保政策解读', '养老服务补贴申请帮办'],
  mediation: ['邻里噪音纠纷调解', '楼道堆物纠纷调解'], it: ['教老人用智能手机', '家中宽带故障排查'],
  appliance: ['洗衣机不脱水维修', '空调清洗保养'], plumbing: ['厨房水龙头漏水维修', '卫生间灯具更换'],
  haircut: ['上门为失能老人理发', '社区义剪'], elderly_care: ['陪同老人就医', '独居老人助餐送餐'],
  child_care: ['暑期儿童看护', '放学后托管'], disability: ['助残出行陪同', '轮椅维修与送达'],
  culture: ['社区广场舞排练', '重阳节文艺演出'], photography: ['老人证件照拍摄', '社区活动摄影'],
  publicity: ['社区公众号文案', '垃圾分类宣传海报'], patrol: ['夜间平安巡防', '电动车充电安全巡查'],
  environment: ['楼道杂物清理', '小区绿化带整治'], driving: ['接送老人去医院复诊', '行动不便居民出行接送'],
  logistics: ['帮忙搬运大件家具', '防汛物资搬运'], epidemic: ['疫苗接种点值守', '流感季健康宣传值守'],
};
const NEEDS: { category: string; title: string }[] = [
  { category: 'elderly', title: '独居老人助餐服务' }, { category: 'elderly', title: '老年人智能手机培训' },
  { category: 'children', title: '双职工家庭暑期托管' }, { category: 'children', title: '青少年课后四点半课堂' },
  { category: 'environment', title: '背街小巷环境整治' }, { category: 'environment', title: '垃圾分类督导' },
  { category: 'facility', title: '老旧小区加装电梯协调' }, { category: 'facility', title: '电动自行车集中充电棚' },
  { category: 'culture', title: '邻里节文艺汇演' }, { category: 'safety', title: '楼道消防安全隐患排查' },
  { category: 'health', title: '慢病老人健康随访' }, { category: 'other', title: '社区共享工具屋' },
];
/** Project themes and the need categories each answers. */
const CROWDFUNDING_THEMES: { name: string; categories: string[] }[] = [
  { name: '老年食堂爱心餐', categories: ['elderly', 'health'] }, { name: '儿童阅览角', categories: ['children', 'culture'] },
  { name: '楼道微更新', categories: ['facility', 'safety', 'environment'] }, { name: '适老化改造', categories: ['elderly', 'facility'] },
];
const PROJECT_THEMES: { name: string; categories: string[] }[] = [
  { name: '共建共享花园', categories: ['environment'] }, { name: '邻里议事厅改造', categories: ['facility', 'other'] },
  { name: '四点半课堂', categories: ['children'] }, { name: '银龄互助', categories: ['elderly', 'health'] },
];
const TEAM_KINDS: { kind: string; suffix: string; skills: string[] }[] = [
  { kind: 'volunteer', suffix: '邻里志愿服务队', skills: [] },
  { kind: 'governance', suffix: '平安巡防队', skills: ['patrol', 'mediation'] },
  { kind: 'club', suffix: '文体社团', skills: ['culture', 'photography'] },
];
const NEGATIVE = ['认领应急任务后无故缺席，未提前告知组织方', '服务中与居民发生争执，经核实态度生硬', '多次接单后超时未完成服务'];
const LOW_COMMENTS = ['迟到了一个多小时', '服务不太耐心', '问题没有彻底解决'];
const GOOD_COMMENTS = ['非常热心，谢谢！', '准时上门，服务周到', '解决了大问题', null, null];

export class ServiceSeeder {
  readonly counts: ServiceCounts = {
    contractMembers: 0, newPersons: 0, registrations: 0, approved: 0, pending: 0, forcePersons: 0, teams: 0, teamMembers: 0,
    resources: 0, posts: 0, postHolders: 0, contacts: 0, needs: 0, projects: 0, pledges: 0, spendings: 0, orders: 0, orderEvents: 0,
    calls: 0, tasks: 0, claims: 0, records: 0, ratings: 0, negatives: 0,
  };
  private readonly full: boolean;
  private skills: string[] = [];
  private postKinds: { code: string; name: string; skills: string[] }[] = [];
  private staff = new Map<string, number>();
  private paths = new Map<string, string>();
  private names = new Map<string, string>();
  private excluded = new Set<number>();
  private usedPersons = new Set<number>();
  private forces: Force[] = [];
  private readonly now = Date.now();

  private readonly person = new Cols(['id', 'name', 'py', 'ini', 'gender', 'birth', 'idno', 'mobile'] as const);
  private readonly household = new Cols(['id', 'room', 'head'] as const);
  private readonly residence = new Cols(['id', 'person', 'room', 'household', 'movedIn'] as const);
  private readonly member = new Cols(['person', 'org', 'work', 'joined'] as const);
  private readonly users = new Cols(['username', 'display', 'org', 'person'] as const);
  private readonly force = new Cols(['id', 'person', 'user', 'kind', 'community', 'path', 'home', 'x', 'y', 'micro', 'skills', 'avail', 'status', 'at'] as const);
  private readonly reg = new Cols(['id', 'person', 'user', 'community', 'home', 'org', 'work', 'mobile', 'skills', 'wishes', 'avail', 'status', 'branch', 'micro', 'force', 'reviewer', 'reviewedAt', 'createdAt'] as const);

  private readonly exec: Exec;

  constructor(exec: Exec, private readonly o: ServiceOptions) {
    this.full = o.scale !== 'test';
    // LINLI_SEED_PROFILE=1 logs the statements of this part that take longer than 200 ms
    this.exec = process.env.LINLI_SEED_PROFILE ? async (text, params) => {
      const t0 = performance.now();
      const rows = await exec(text, params);
      const ms = performance.now() - t0;
      if (ms > 200) o.log(`    ${ms.toFixed(0)} ms  ${text.replace(/\s+/g, ' ').slice(0, 110)}`);
      return rows;
    } : exec;
  }

  private async chunks(cols: Cols<string>, sql: string, order: string[], extra: unknown[] = []) {
    for (let i = 0; i < cols.size; i += this.o.batch) {
      await this.exec(sql, [...order.map((k) => cols.c[k]!.slice(i, i + this.o.batch)), ...extra]);
    }
  }

  private drawSkills(rng: Rng, n: number, prefer: string[] = []): string[] {
    const out = new Set<string>();
    if (prefer.length > 0 && rng.chance(0.8)) out.add(rng.pick(prefer));
    while (out.size < n) out.add(rng.pick(this.skills));
    return [...out];
  }

  private availability(rng: Rng): string {
    const days = rng.chance(0.45) ? [6, 7] : rng.chance(0.5) ? [1, 2, 3, 4, 5, 6, 7].filter(() => rng.chance(0.5)) : [1, 3, 5, 6, 7];
    const periods = PERIODS.filter(() => rng.chance(0.5));
    return JSON.stringify({ days: days.length > 0 ? days : [6], periods: periods.length > 0 ? periods : ['evening'] });
  }

  private wishes(rng: Rng, skills: string[]): string[] {
    const fit = this.postKinds.filter((k) => k.skills.some((s) => skills.includes(s))).map((k) => k.code);
    const pool = fit.length > 0 ? fit : this.postKinds.map((k) => k.code);
    return shuffle(rng, [...pool]).slice(0, rng.int(1, Math.min(2, pool.length)));
  }

  async run(nextPersonId: number): Promise<number> {
    const started = performance.now();
    const q = this.exec;
    // statistics for the planner (the rows above were loaded in this same transaction): joins over persons and residences
    for (const t of ['person', 'residence', 'party_member', 'territory_node', 'household', 'party_org']) await q(`analyze ${t}`);
    this.skills = (await q('select code from skill order by sort_order, code')).map((r) => r.code as string);
    this.postKinds = (await q('select code, name, skills from post_kind order by sort_order, code')).map((r) => ({ code: r.code as string, name: r.name as string, skills: r.skills as string[] }));
    for (const r of await q(`select id, username from app_user where username like 'community.%'`)) this.staff.set((r.username as string).slice(10), Number(r.id));
    for (const r of await q(`select person_id from app_user where person_id is not null`)) this.excluded.add(Number(r.person_id));
    const ids = await q(`select coalesce(max(id), 0)::int8 as h from household union all select coalesce(max(id), 0)::int8 from residence`);
    let nextHousehold = Number(ids[0]!.h) + 1;
    let nextResidence = Number(ids[1]!.h) + 1;
    const communities = await q(`select code, path::text as path, name from territory_node where kind = 'community' order by code`);
    for (const c of communities) { this.paths.set(c.code as string, c.path as string); this.names.set(c.code as string, c.name as string); }

    // ── in-service party members with their homes (all communities at demo/city, 西兴's at test) ──
    const inService = await q(`select pm.person_id::int8 as person, pm.org_code as org, pm.work_unit as work, p.mobile, r.room_code as room,
        b.micro_grid_code as micro, ST_X(b.location) as x, ST_Y(b.location) as y, left(r.room_code, 12) as community
      from party_member pm join person p on p.id = pm.person_id
      join residence r on r.person_id = pm.person_id and r.moved_out is null
      join territory_node b on b.code = left(r.room_code, 20)
      where pm.member_type = 'in_service' and pm.org_code is not null and pm.work_unit is not null ${this.full ? '' : `and r.room_code like '${XIXING}%'`}
      order by pm.person_id`);
    const byCommunity = new Map<string, Record<string, unknown>[]>();
    for (const m of inService) {
      if (this.excluded.has(Number(m.person))) continue;
      const list = byCommunity.get(m.community as string) ?? [];
      list.push(m);
      byCommunity.set(m.community as string, list);
    }

    // ── the contract's members ──
    const xixing = communities.filter((c) => (c.code as string).startsWith(XIXING)).map((c) => c.code as string);
    const micros = new Map<string, { code: string; quad: Quad }[]>();
    for (const m of await q(`select code, ST_AsText(boundary) as b from territory_node where kind = 'micro_grid' and code like '${XIXING}%' order by code`)) {
      const c = (m.code as string).slice(0, 12);
      const list = micros.get(c) ?? [];
      list.push({ code: m.code as string, quad: parseQuad(m.b as string) });
      micros.set(c, list);
    }
    const emptyRooms = new Map<string, { room: string; micro: string; x: number; y: number }[]>();
    if (this.full) {
      for (const r of await q(`select n.code, b.micro_grid_code as micro, ST_X(b.location) as x, ST_Y(b.location) as y
          from territory_node n join territory_node b on b.code = left(n.code, 20)
          where n.kind = 'room' and n.code like '${XIXING}%'
            and not exists (select 1 from residence x where x.room_code = n.code and x.moved_out is null) order by n.code`)) {
        const c = (r.code as string).slice(0, 12);
        const list = emptyRooms.get(c) ?? [];
        list.push({ room: r.code as string, micro: r.micro as string, x: Number(r.x), y: Number(r.y) });
        emptyRooms.set(c, list);
      }
    }
    const unitOrgs = (await q(`select code, territory_code as t, unit_name as u from party_org where kind = 'unit_org' and unit_name is not null order by code`))
      .map((r) => ({ code: r.code as string, territory: r.t as string, unitName: r.u as string }));
    const streetUnits = unitOrgs.filter((u) => u.territory.startsWith(XIXING));
    const districtUnits = unitOrgs.filter((u) => u.territory.startsWith(BINJIANG));
    const hzAreas = districtsOf('3301').map((d) => d.code);

    interface Contract { person: number; org: string; work: string; mobile: string | null; name?: string; home: Home; community: string; fresh: boolean }
    const contract: Contract[] = [];
    const freshIds: { c: Contract; idx: number; gender: 'M' | 'F'; birth: string; area: string; n: number }[] = [];
    const quota = (c: string) => (c === XILING ? XILING_QUOTA : Math.floor((CONTRACT_MEMBERS - XILING_QUOTA) / (xixing.length - 1)));
    for (const code of xixing) {
      const rng = new Rng(this.o.seed, `${code}#service-members`);
      const want = quota(code);
      const existing = (byCommunity.get(code) ?? []).slice(0, want);
      for (const m of existing) {
        contract.push({ person: Number(m.person), org: m.org as string, work: m.work as string, mobile: (m.mobile as string | null) ?? null, community: code, fresh: false,
          home: { room: m.room as string, micro: m.micro as string, x: Number(m.x), y: Number(m.y) } });
        this.usedPersons.add(Number(m.person));
      }
      const rooms = shuffle(rng, [...(emptyRooms.get(code) ?? [])]);
      const mg = micros.get(code) ?? [];
      for (let i = existing.length; i < want; i++) {
        const gender: 'M' | 'F' = rng.chance(0.55) ? 'M' : 'F';
        const age = rng.int(24, 58);
        const birthDay = REF_DAY - Math.round(age * 365.2425) - rng.int(0, 364);
        const birth = dayToIso(birthDay);
        const nm = makePersonName(rng, gender, Number(birth.slice(0, 4)));
        const area = rng.chance(0.75) ? rng.pick(hzAreas) : rng.pick(['330206', '330302', '330402', '330602', '330702', '341102', '360102', '410102']);
        const mobile = rng.pick(['135', '136', '137', '138', '139', '150', '151', '158', '159', '186', '187', '188', '189', '199']) + pad(rng.int(0, 99_999_999), 8);
        const unit = rng.pick(streetUnits.length > 0 ? streetUnits : districtUnits.length > 0 ? districtUnits : unitOrgs);
        const id = nextPersonId++;
        let home: Home;
        const room = rooms.pop();
        if (room) home = room;
        else {
          const m = rng.pick(mg);
          const p = roundPt(bilinear(m.quad, rng.range(0.15, 0.85), rng.range(0.15, 0.85)));
          home = { room: null, micro: m.code, x: p[0], y: p[1] };
        }
        const c: Contract = { person: id, org: unit.code, work: unit.unitName, mobile, name: nm.name, home, community: code, fresh: true };
        contract.push(c);
        this.person.push({ id, name: nm.name, py: nm.pinyin, ini: nm.initials, gender, birth, idno: '', mobile });
        freshIds.push({ c, idx: this.person.size - 1, gender, birth: birth.replace(/-/g, ''), area, n: rng.int(0, 499) });
        const joined = dayToIso(Math.min(REF_DAY - 60, birthDay + Math.round(22 * 365.25) + rng.int(0, 12 * 365)));
        this.member.push({ person: id, org: unit.code, work: unit.unitName, joined });
        if (home.room) {
          const moved = dayToIso(REF_DAY - rng.int(30, 6 * 365));
          this.household.push({ id: nextHousehold, room: home.room, head: id });
          this.residence.push({ id: nextResidence++, person: id, room: home.room, household: nextHousehold++, movedIn: moved });
        }
      }
    }
    // valid GB 11643 numbers, unique among themselves and against every person already loaded
    const idno = (f: (typeof freshIds)[number]) => makeIdNumber({ area: f.area, birthDate: f.birth, sequence: sequenceFor(f.gender, f.n) });
    const taken = new Set<string>();
    for (let round = 0; round < 20; round++) {
      const cands = freshIds.map(idno);
      const clash = new Set((await q('select id_number from person where id_number = any($1::text[])', [cands])).map((r) => r.id_number as string));
      let again = 0;
      taken.clear();
      for (const [i, f] of freshIds.entries()) {
        if (clash.has(cands[i]!) || taken.has(cands[i]!)) { f.n = (f.n + 1) % 500; again++; } else taken.add(cands[i]!);
      }
      if (again === 0) break;
    }
    for (const f of freshIds) this.person.c.idno[f.idx] = idno(f);
    this.counts.newPersons = freshIds.length;
    if (contract.length !== CONTRACT_MEMBERS) throw new Error(`seed: ${contract.length} contract members instead of ${CONTRACT_MEMBERS}`);

    await this.flushPeople();
    // accounts member.0001 … member.2000
    const known = new Map((await q('select id::int8 as id, name from person where id = any($1::int8[])', [contract.filter((c) => !c.fresh).map((c) => c.person)]))
      .map((r) => [Number(r.id), r.name as string]));
    for (const [i, c] of contract.entries()) {
      const display = c.name ?? known.get(c.person)!;
      this.users.push({ username: `member.${pad(i + 1, 4)}`, display, org: c.org, person: c.person });
    }
    const userIds = new Map<string, number>();
    for (let i = 0; i < this.users.size; i += this.o.batch) {
      const s = (k: 'username' | 'display' | 'org' | 'person') => this.users.c[k].slice(i, i + this.o.batch);
      const rows = await q(`insert into app_user (username, display_name, password_hash, scope_kind, scope_codes, org_code, person_id, status, must_change_password, password_changed_at)
        select u, d, $5::text, 'self', '{}', o, p, 'active', false, now() from unnest($1::text[], $2::text[], $3::text[], $4::int8[]) as t(u, d, o, p)
        returning id, username`, [s('username'), s('display'), s('org'), s('person'), this.o.passwordHash]);
      for (const r of rows) userIds.set(r.username as string, Number(r.id));
    }
    await q(`insert into app_user_role (user_id, role_code) select id, 'party_member' from app_user where username ~ '^member\\.[0-9]{4}$'`);
    this.counts.contractMembers = contract.length;

    // registrations of the contract members (approved) with their force rows
    const regRng = new Rng(this.o.seed, 'contract#service');
    for (const [i, c] of contract.entries()) {
      const userId = userIds.get(`member.${pad(i + 1, 4)}`)!;
      const reviewed = REF_DAY - regRng.int(20, 600);
      this.register(regRng, { person: c.person, user: userId, community: c.community, home: c.home, org: c.org, work: c.work, mobile: c.mobile,
        status: 'approved', reviewed, contract: i + 1, low: false });
    }

    // ── beyond the contract (demo/city): most in-service members of every community register ──
    if (this.full) {
      for (const [code, list] of [...byCommunity.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
        const rng = new Rng(this.o.seed, `${code}#service-registration`);
        for (const m of list) {
          const person = Number(m.person);
          if (this.usedPersons.has(person)) continue;
          const draw = rng.next();
          if (draw >= 0.9) continue; // not (yet) registered
          this.usedPersons.add(person);
          const home = { room: m.room as string, micro: m.micro as string, x: Number(m.x), y: Number(m.y) };
          this.register(rng, { person, user: null, community: code, home, org: m.org as string, work: m.work as string, mobile: (m.mobile as string | null) ?? null,
            status: draw < 0.84 ? 'approved' : 'pending', reviewed: REF_DAY - rng.int(3, 700), contract: null, low: false });
        }
      }
    }

    // ── volunteers, craftsmen and professionals: adult residents with a phone ──
    const everyN = this.o.scale === 'city' ? 25 : this.o.scale === 'demo' ? 12 : 5;
    const residents = await q(`select p.id::int8 as person, r.room_code as room, b.micro_grid_code as micro, ST_X(b.location) as x, ST_Y(b.location) as y,
        left(r.room_code, 12) as community
      from person p join residence r on r.person_id = p.id and r.moved_out is null
      join territory_node b on b.code = left(r.room_code, 20)
      where p.mobile is not null and p.birth_date between date '1956-11-02' and date '2008-11-01' and p.id % ${everyN} = 3
        and not exists (select 1 from party_member m where m.person_id = p.id)
        ${this.full ? '' : `and r.room_code like '${XILING}%'`}
      order by p.id`);
    const volRng = new Rng(this.o.seed, 'volunteers#service');
    let volunteers = 0;
    for (const r of residents) {
      const person = Number(r.person);
      if (this.excluded.has(person) || this.usedPersons.has(person)) continue;
      if (!this.full && volunteers >= 10) break;
      this.usedPersons.add(person);
      const kind = (['volunteer', 'craftsman', 'professional'] as const)[volRng.weightedIndex([0.7, 0.15, 0.15])]!;
      const prefer = kind === 'craftsman' ? ['it', 'appliance', 'plumbing', 'haircut'] : kind === 'professional' ? ['legal', 'medical', 'psychology', 'education', 'finance'] : [];
      const skills = this.drawSkills(volRng, volRng.int(1, 3), prefer);
      const id = this.forces.length + 1;
      const at = ts(REF_DAY - volRng.int(10, 900), volRng.int(540, 1080));
      const paused = volRng.chance(0.03);
      this.force.push({ id, person, user: null, kind, community: r.community, path: this.paths.get(r.community as string), home: r.room,
        x: r.x, y: r.y, micro: r.micro, skills: JSON.stringify(skills), avail: this.availability(volRng), status: paused ? 'paused' : 'active', at });
      this.forces.push({ id, personId: person, userId: null, kind, community: r.community as string, skills, low: false, contract: null, active: !paused });
      volunteers++;
    }
    await this.flushForces();
    this.o.log(`  service: ${this.counts.contractMembers} contract members (${this.counts.newPersons} new persons), ${this.counts.registrations} registrations, `
      + `${this.counts.forcePersons} force persons (${((performance.now() - started) / 1000).toFixed(1)} s)`);

    // ── activity: every Binjiang community at demo/city, 西陵社区 at test ──
    await this.activity();
    const c = this.counts;
    this.o.log(`  service: ${c.teams} teams, ${c.posts} posts, ${c.contacts} 1:8 contacts, ${c.projects} projects, ${c.orders} orders, ${c.tasks} tasks `
      + `(${c.claims} claims), ${c.records} records, ${c.ratings} ratings (${((performance.now() - started) / 1000).toFixed(1)} s in all)`);
    return nextPersonId;
  }

  private register(rng: Rng, m: { person: number; user: number | null; community: string; home: Home; org: string; work: string; mobile: string | null;
    status: 'approved' | 'pending'; reviewed: number; contract: number | null; low: boolean }) {
    const skills = this.drawSkills(rng, rng.int(1, 3));
    const avail = this.availability(rng);
    const createdAt = ts(m.reviewed - rng.int(1, 10), rng.int(480, 1320));
    let force: number | null = null;
    if (m.status === 'approved') {
      force = this.forces.length + 1;
      const at = ts(m.reviewed, rng.int(540, 1050));
      this.force.push({ id: force, person: m.person, user: m.user, kind: 'in_service_member', community: m.community, path: this.paths.get(m.community),
        home: m.home.room ?? m.home.micro, x: m.home.x, y: m.home.y, micro: m.home.micro, skills: JSON.stringify(skills), avail, status: 'active', at });
      this.forces.push({ id: force, personId: m.person, userId: m.user, kind: 'in_service_member', community: m.community, skills, low: m.low, contract: m.contract, active: true });
      this.counts.approved++;
    } else this.counts.pending++;
    const approved = m.status === 'approved';
    this.reg.push({ id: this.reg.size + 1, person: m.person, user: m.user, community: m.community, home: m.home.room ?? m.home.micro, org: m.org, work: m.work,
      mobile: m.mobile, skills: JSON.stringify(skills), wishes: JSON.stringify(this.wishes(rng, skills)), avail, status: m.status, branch: approved ? `P${m.community}F01` : null,
      micro: approved ? m.home.micro : null, force, reviewer: approved ? this.staff.get(m.community) ?? null : null,
      reviewedAt: approved ? ts(m.reviewed, rng.int(540, 1050)) : null, createdAt });
    this.counts.registrations++;
  }

  private async flushPeople() {
    const q = this.exec;
    await this.chunks(this.person, `insert into person (id, name, name_pinyin, name_initials, gender, birth_date, id_number, mobile)
      overriding system value select * from unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[], $8::text[])`,
    ['id', 'name', 'py', 'ini', 'gender', 'birth', 'idno', 'mobile']);
    await this.chunks(this.household, `insert into household (id, room_code, head_person_id, kind, registry_no, source)
      overriding system value select i, r, h, 'resident', null, 'seed' from unnest($1::int8[], $2::text[], $3::int8[]) as t(i, r, h)`, ['id', 'room', 'head']);
    await this.chunks(this.residence, `insert into residence (id, person_id, room_code, household_id, relation, moved_in, moved_out)
      overriding system value select i, p, r, h, 'owner', m, null from unnest($1::int8[], $2::int8[], $3::text[], $4::int8[], $5::date[]) as t(i, p, r, h, m)`,
    ['id', 'person', 'room', 'household', 'movedIn']);
    await this.chunks(this.member, `insert into party_member (person_id, member_type, org_code, work_unit, joined_on, source)
      select p, 'in_service', o, w, j, 'seed' from unnest($1::int8[], $2::text[], $3::text[], $4::date[]) as t(p, o, w, j)`, ['person', 'org', 'work', 'joined']);
    for (const [table, col] of [['person', this.person.c.id], ['household', this.household.c.id], ['residence', this.residence.c.id]] as const) {
      if (col.length > 0) await q(`select setval(pg_get_serial_sequence('${table}', 'id'), $1::bigint, true)`, [col[col.length - 1]]);
    }
  }

  private async flushForces() {
    const q = this.exec;
    await this.chunks(this.force, `insert into force_person (id, person_id, user_id, kind, community_code, community_path, home_code, home_location,
        micro_grid_code, skills, availability, status, created_at, updated_at)
      overriding system value select i, p, u, k, c, pa::ltree, h, ST_SetSRID(ST_MakePoint(x, y), 4326), m, translate(s, '[]', '{}')::text[], a::jsonb, st, t::timestamptz, t::timestamptz
      from unnest($1::int8[], $2::int8[], $3::int8[], $4::text[], $5::text[], $6::text[], $7::text[], $8::float8[], $9::float8[], $10::text[], $11::text[],
        $12::text[], $13::text[], $14::text[]) as x(i, p, u, k, c, pa, h, x, y, m, s, a, st, t)`,
    ['id', 'person', 'user', 'kind', 'community', 'path', 'home', 'x', 'y', 'micro', 'skills', 'avail', 'status', 'at']);
    await this.chunks(this.reg, `insert into member_registration (id, person_id, user_id, community_code, home_code, unit_org_code, work_unit, mobile, skills,
        wishes, availability, status, branch_code, micro_grid_code, force_id, reviewed_by, reviewed_at, channel, created_at)
      overriding system value select i, p, u, c, h, o, w, mo, translate(s, '[]', '{}')::text[], translate(wi, '[]', '{}')::text[], a::jsonb, st, b, m, f, rv,
        ra::timestamptz, 'seed', ca::timestamptz
      from unnest($1::int8[], $2::int8[], $3::int8[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
        $12::text[], $13::text[], $14::text[], $15::int8[], $16::int8[], $17::text[], $18::text[])
        as x(i, p, u, c, h, o, w, mo, s, wi, a, st, b, m, f, rv, ra, ca)`,
    ['id', 'person', 'user', 'community', 'home', 'org', 'work', 'mobile', 'skills', 'wishes', 'avail', 'status', 'branch', 'micro', 'force', 'reviewer', 'reviewedAt', 'createdAt']);
    for (const [table, n] of [['force_person', this.force.size], ['member_registration', this.reg.size]] as const) {
      if (n > 0) await q(`select setval(pg_get_serial_sequence('${table}', 'id'), $1::bigint, true)`, [n]);
    }
    this.counts.forcePersons = this.force.size;
  }

  /** Teams, resources, posts, contacts, lists and projects, orders, tasks, records and ratings. */
  private async activity() {
    const q = this.exec;
    const scope = this.full ? BINJIANG : XILING;
    const forcesBy = new Map<string, Force[]>();
    for (const f of this.forces) {
      if (!f.community.startsWith(scope) || !f.active) continue;
      // at scale test the contract members member.0001–0190 stay clean for the tests; member.0191–0200 serve beside the
      // volunteers, so the rates, honours and talk reminders of 西陵社区 have registered members to count
      if (!this.full && f.contract !== null && f.contract < SERVING_FROM) continue;
      const list = forcesBy.get(f.community) ?? [];
      list.push(f);
      forcesBy.set(f.community, list);
    }
    const contractContact = this.full ? null : this.forces.find((f) => f.contract === XILING_QUOTA) ?? null;
    const excluded = [...this.excluded];
    const residents = new Map<string, number[]>();
    for (const r of await q(`select r.person_id::int8 as p, left(r.room_code, 12) as c from residence r join person p on p.id = r.person_id
        where r.moved_out is null and r.room_code like '${scope}%' and p.birth_date <= date '2008-11-01' and r.person_id <> all($1::int8[])
          and ${this.full ? 'r.person_id % 5 = 1' : 'true'} order by r.person_id`, [excluded])) {
      const list = residents.get(r.c as string) ?? [];
      list.push(Number(r.p));
      residents.set(r.c as string, list);
    }
    const households = new Map<string, number[]>();
    for (const r of await q(`select h.id::int8 as id, left(h.room_code, 12) as c from household h where h.room_code like '${scope}%'
        and exists (select 1 from residence r where r.household_id = h.id and r.moved_out is null) order by h.id`)) {
      const list = households.get(r.c as string) ?? [];
      list.push(Number(r.id));
      households.set(r.c as string, list);
    }
    const places = new Map<string, { code: string; x: number; y: number }[]>();
    for (const r of await q(`select code, ST_X(location) as x, ST_Y(location) as y from territory_node where kind = 'building' and code like '${scope}%' order by code`)) {
      const c = (r.code as string).slice(0, 12);
      const list = places.get(c) ?? [];
      list.push({ code: r.code as string, x: Number(r.x), y: Number(r.y) });
      places.set(c, list);
    }
    const unitsBy = new Map<string, string[]>();
    for (const r of await q(`select code, territory_code as t from party_org where kind = 'unit_org' and territory_code like '${BINJIANG}%' order by code`)) {
      const street = (r.t as string).slice(0, 9);
      unitsBy.set(street, [...(unitsBy.get(street) ?? []), r.code as string]);
    }

    const team = new Cols(['id', 'community', 'kind', 'name', 'description', 'leader'] as const);
    const teamMember = new Cols(['team', 'force', 'role', 'joined'] as const);
    const resource = new Cols(['community', 'kind', 'name', 'description', 'org', 'provider', 'quantity', 'unit', 'x', 'y', 'note', 'status', 'by'] as const);
    const post = new Cols(['id', 'community', 'kind', 'title', 'description', 'capacity', 'by'] as const);
    const holder = new Cols(['post', 'force', 'since'] as const);
    const contact = new Cols(['force', 'household', 'slot', 'since'] as const);
    const need = new Cols(['id', 'community', 'title', 'description', 'category', 'source', 'beneficiaries', 'status', 'by', 'at'] as const);
    const project = new Cols(['id', 'community', 'need', 'title', 'description', 'kind', 'status', 'target', 'starts', 'ends', 'by', 'at'] as const);
    const projectUnit = new Cols(['project', 'org', 'role', 'commitment', 'at'] as const);
    const pledge = new Cols(['project', 'org', 'donor', 'amount', 'at', 'by'] as const);
    const spending = new Cols(['project', 'amount', 'purpose', 'on', 'by'] as const);
    const order = new Cols(['id', 'no', 'community', 'path', 'resident', 'title', 'description', 'skill', 'size', 'place', 'x', 'y', 'wanted', 'state', 'mode',
      'force', 'deadline', 'dispatches', 'cap', 'hours', 'note', 'created', 'updated'] as const);
    const event = new Cols(['order', 'action', 'from', 'to', 'actor', 'kind', 'note', 'at'] as const);
    const call = new Cols(['id', 'title', 'message', 'scope', 'path', 'by', 'at', 'closed'] as const);
    const task = new Cols(['id', 'call', 'title', 'description', 'size', 'scope', 'path', 'skills', 'x', 'y', 'capacity', 'starts', 'ends', 'cap', 'emergency', 'status', 'by', 'at'] as const);
    const claim = new Cols(['id', 'task', 'force', 'team', 'by', 'status', 'at', 'done'] as const);
    const record = new Cols(['id', 'force', 'source', 'order', 'claim', 'post', 'community', 'title', 'size', 'on', 'hours', 'cap', 'status', 'by', 'as', 'confirmed', 'at'] as const);
    const rating = new Cols(['record', 'force', 'kind', 'rater', 'score', 'comment', 'at'] as const);
    const negative = new Cols(['force', 'reason', 'by', 'at', 'expires'] as const);

    const score = (rng: Rng, f: Force) => (f.low ? [1, 2, 3, 4, 5][rng.weightedIndex([0.1, 0.3, 0.35, 0.15, 0.1])]! : [3, 4, 5][rng.weightedIndex([0.015, 0.3, 0.685])]!);
    const comment = (rng: Rng, s: number) => (s <= 3 ? rng.pick(LOW_COMMENTS) : rng.pick(GOOD_COMMENTS));
    const rate = (rng: Rng, recordId: number, f: Force, kind: string, rater: number | null, at: string) => {
      const s = score(rng, f);
      rating.push({ record: recordId, force: f.id, kind, rater, score: s, comment: comment(rng, s), at });
    };
    const hoursOf = (rng: Rng, cap: number) => Math.min(cap, [0.5, 1, 1.5, 2, 2.5, 3, 4][rng.weightedIndex([1, 3, 2, 3, 1, 1, 0.5])]!);
    const liveTs = (hoursAgo: number) => new Date(this.now - hoursAgo * 3_600_000).toISOString();

    const communities = [...forcesBy.keys()].sort();
    for (const code of communities) {
      const rng = new Rng(this.o.seed, `${code}#service`);
      const all = forcesBy.get(code)!;
      const staffId = this.staff.get(code) ?? null;
      const path = this.paths.get(code)!;
      const name = this.names.get(code)!;
      const short = shortName(name);
      const pl = places.get(code) ?? [];
      const place = () => (pl.length > 0 ? rng.pick(pl) : null);
      const people = residents.get(code) ?? [];
      const active = all.filter((f) => !f.low || rng.chance(0.5));
      const units = unitsBy.get(code.slice(0, 9)) ?? [];
      // the people who get most of the history: a sample, so load and hours differ from member to member
      const busy = shuffle(rng, [...active]).slice(0, Math.max(4, Math.ceil(active.length * 0.6)));
      const lows = all.filter((f) => f.low);
      if (lows.length === 0 && all.length > 0 && (this.full ? rng.chance(0.3) : true)) {
        // talk reminders are for party members: a registered member when there is one among the busy
        const f = [...busy].reverse().find((x) => x.kind === 'in_service_member') ?? busy[busy.length - 1] ?? all[0]!;
        f.low = true;
        lows.push(f);
      }
      if (busy.length === 0) continue;

      // teams
      const nTeams = this.full ? rng.int(1, 3) : 1;
      for (let t = 0; t < nTeams; t++) {
        const kind = TEAM_KINDS[t]!;
        const id = team.size + 1;
        const pool = shuffle(rng, [...busy]).slice(0, rng.int(Math.min(3, busy.length), Math.min(12, busy.length)));
        team.push({ id, community: code, kind: kind.kind, name: `${short}${kind.suffix}`, description: `${name}${kind.suffix}，常态化开展服务`, leader: pool[0]?.id ?? null });
        for (const [i, f] of pool.entries()) teamMember.push({ team: id, force: f.id, role: i === 0 ? 'leader' : 'member', joined: dayToIso(REF_DAY - rng.int(20, 700)) });
      }

      // resources
      const nRes = this.full ? rng.int(2, 4) : 2;
      const resKinds: [string, string, string, number | null, string | null][] = [
        ['venue', `${short}党群服务中心多功能厅`, '可容纳60人，工作日及周末白天可预约', 1, '间'],
        ['equipment', '便民服务工具箱', '电钻、扳手、万用表等维修工具', rng.int(2, 6), '套'],
        ['funds', '共建单位结对帮扶资金', '用于困难家庭帮扶和社区微更新', rng.int(2, 20) * 1000, '元'],
        ['service', '律师事务所每月公益法律咨询', '每月第一个周六上午驻点', 12, '次/年'],
      ];
      for (let k = 0; k < nRes; k++) {
        const [kind, rname, desc, qty, unit] = resKinds[k]!;
        const p = place();
        const org = kind === 'funds' || kind === 'service' ? (units.length > 0 ? rng.pick(units) : null) : null;
        resource.push({ community: code, kind, name: rname, description: desc, org, provider: org ? null : `${name}`, quantity: qty, unit, x: p?.x ?? null, y: p?.y ?? null,
          note: kind === 'venue' ? '提前一天预约' : null, status: rng.chance(0.9) ? 'available' : 'in_use', by: staffId });
      }

      // posts with holders (the eight kinds at demo/city, three at test)
      const kinds = this.full ? this.postKinds : this.postKinds.slice(0, 3);
      for (const k of kinds) {
        const id = post.size + 1;
        const fit = active.filter((f) => f.skills.some((s) => k.skills.includes(s)));
        const capacity = this.full ? rng.int(3, 10) : 4;
        post.push({ id, community: code, kind: k.code, title: `${short}${k.name}`, description: `${k.name}：结合专长认岗，每月至少服务一次`, capacity, by: staffId });
        const holders = shuffle(rng, fit).slice(0, Math.min(capacity - (this.full ? rng.int(0, 2) : 1), fit.length));
        for (const f of holders) {
          holder.push({ post: id, force: f.id, since: dayToIso(REF_DAY - rng.int(20, 500)) });
          // a monthly post duty record now and then
          if (rng.chance(0.3)) {
            const day = REF_DAY - rng.int(5, 300);
            const rid = record.size + 1;
            record.push({ id: rid, force: f.id, source: 'post', order: null, claim: null, post: id, community: code, title: `${k.name}岗位服务`, size: 'micro',
              on: dayToIso(day), hours: hoursOf(rng, 4), cap: 4, status: staffId ? 'confirmed' : 'pending', by: staffId, as: staffId ? 'organiser' : null,
              confirmed: staffId ? ts(day + 1, 600) : null, at: ts(day, 1000) });
            if (staffId && rng.chance(0.6)) rate(rng, rid, f, 'community', staffId, ts(day + 1, 610));
          }
        }
      }

      // 1:8 contacts
      const hh = shuffle(rng, [...(households.get(code) ?? [])]);
      const contacts = this.full ? active.filter((f) => f.kind === 'in_service_member' && rng.chance(0.3)) : contractContact ? [contractContact] : [];
      for (const f of contacts) {
        const n = this.full ? rng.int(1, 8) : Math.min(3, hh.length);
        for (let slot = 1; slot <= n && hh.length > 0; slot++) contact.push({ force: f.id, household: hh.pop()!, slot, since: dayToIso(REF_DAY - rng.int(10, 400)) });
      }

      // needs and projects
      const nNeeds = this.full ? rng.int(3, 6) : 2;
      const needIds: { id: number; category: string }[] = [];
      for (const n of shuffle(rng, [...NEEDS]).slice(0, nNeeds)) {
        const id = need.size + 1;
        needIds.push({ id, category: n.category });
        const status = ['open', 'in_project', 'met', 'closed'][rng.weightedIndex([0.45, 0.3, 0.2, 0.05])]!;
        need.push({ id, community: code, title: n.title, description: `${name}居民反映：${n.title}`, category: n.category,
          source: ['resident', 'visit', 'staff', 'deliberation'][rng.int(0, 3)], beneficiaries: rng.int(10, 300), status, by: staffId, at: ts(REF_DAY - rng.int(20, 300), 600) });
      }
      const nProjects = this.full ? rng.int(1, 3) : 2;
      const usedNeeds = new Set<number>();
      for (let p = 0; p < nProjects; p++) {
        const id = project.size + 1;
        const kind = p === 0 ? 'crowdfunding' : p === 1 ? 'co_build' : 'menu';
        const theme = rng.pick(kind === 'crowdfunding' ? CROWDFUNDING_THEMES : PROJECT_THEMES);
        const title = kind === 'crowdfunding' ? `${short}${theme.name}公益众筹` : `${short}${theme.name}项目`;
        // a project answers a need of the community in its own field, or none
        const fitting = needIds.find((n) => theme.categories.includes(n.category) && !usedNeeds.has(n.id));
        const needId = fitting?.id ?? null;
        if (fitting) usedNeeds.add(fitting.id);
        const start = REF_DAY - rng.int(30, 200);
        const target = kind === 'crowdfunding' ? rng.int(10, 60) * 1000 : null;
        const status = kind === 'crowdfunding' ? (rng.chance(0.5) ? 'in_progress' : 'published') : ['claimed', 'in_progress', 'done'][rng.int(0, 2)]!;
        project.push({ id, community: code, need: needId, title, description: `${title}：由社区发起，共建单位认领，居民共同参与`, kind, status, target,
          starts: dayToIso(start), ends: dayToIso(start + rng.int(60, 240)), by: staffId, at: ts(start - 10, 600) });
        const claimers = shuffle(rng, [...units]).slice(0, kind === 'crowdfunding' ? 0 : Math.min(units.length, rng.int(1, 2)));
        for (const [i, u] of claimers.entries()) projectUnit.push({ project: id, org: u, role: i === 0 ? 'lead' : 'co_builder', commitment: rng.pick(['提供场地和志愿者', '出资并派党员参与', '提供专业技术支持']), at: ts(start - rng.int(1, 9), 700) });
        if (kind === 'crowdfunding') {
          let pledged = 0;
          const n = rng.int(3, 8);
          for (let k = 0; k < n; k++) {
            const amount = rng.int(2, 50) * 100;
            pledged += amount;
            const org = units.length > 0 && rng.chance(0.4) ? rng.pick(units) : null;
            pledge.push({ project: id, org, donor: org ? '共建单位' : `${rng.pick(['王', '李', '张', '陈', '刘', '杨'])}先生/女士`, amount, at: ts(start + rng.int(0, 25), 800), by: staffId });
          }
          if (status === 'in_progress') {
            const spent = Math.floor(pledged * rng.range(0.2, 0.8));
            if (spent > 0) spending.push({ project: id, amount: spent, purpose: '采购物资（附发票）', on: dayToIso(start + rng.int(26, 29)), by: staffId });
          }
        }
      }

      // a need with a project is 已立项 (or already met); one without is not
      for (const n of needIds) {
        const status = need.c.status[n.id - 1] as string;
        if (usedNeeds.has(n.id) && (status === 'open' || status === 'closed')) need.c.status[n.id - 1] = 'in_project';
        if (!usedNeeds.has(n.id) && status === 'in_project') need.c.status[n.id - 1] = 'open';
      }

      // orders: a year of history, all of it finished (rated or cancelled: hours are confirmed within days, not left
      // waiting), and a few live ones at each step, each within its time limit
      const nOrders = this.full ? rng.int(12, 30) : 8;
      for (let k = 0; k < nOrders; k++) {
        if (people.length === 0) break;
        const id = order.size + 1;
        const f = rng.chance(0.25) && lows.length > 0 ? rng.pick(lows) : rng.pick(busy);
        const skill = rng.chance(0.8) ? rng.pick(f.skills) : rng.pick(this.skills);
        const title = rng.pick(SKILL_TITLES[skill] ?? ['上门便民服务']);
        const live = k >= nOrders - LIVE_ORDERS.length;
        const state = live ? LIVE_ORDERS[k % LIVE_ORDERS.length]! : ['rated', 'rated', 'rated', 'rated', 'rated', 'rated', 'cancelled'][rng.int(0, 6)]!;
        const day = REF_DAY - rng.int(5, 330);
        // live: waiting for dispatch up to a day; dispatched less than the 24 h acceptance limit ago; accepted and
        // served in the last days; done (waiting for the resident's rating) since yesterday or so
        const hoursAgo = { ordered: [1, 20], dispatched: [2, 20], accepted: [30, 60], done: [80, 110] }[state as (typeof LIVE_ORDERS)[number]] ?? [0, 0];
        const created = live ? liveTs(rng.int(hoursAgo[0]!, hoursAgo[1]!)) : ts(day, rng.int(480, 1200));
        const at = (min: number) => (live ? new Date(Date.parse(created) + min * 60_000).toISOString() : ts(day, min + 600));
        const p = place();
        const cap = [2, 3, 4, 4, 6][rng.int(0, 4)]!;
        const size = rng.chance(0.85) ? 'micro' : 'project';
        const resident = rng.pick(people);
        const assigned = state !== 'ordered' && state !== 'cancelled';
        const hours = state === 'done' || state === 'rated' ? hoursOf(rng, cap) : null;
        const no = `FW${(live ? new Date(this.now) : new Date(day * 86_400_000)).toISOString().slice(0, 10).replace(/-/g, '')}S${pad(id, 5)}`;
        event.push({ order: id, action: 'order', from: null, to: 'ordered', actor: null, kind: 'resident', note: null, at: created });
        let dispatches = 0;
        let republished = false;
        let last = created;
        if (state === 'cancelled') {
          const byResident = rng.chance(0.5);
          last = at(90);
          event.push({ order: id, action: byResident ? 'cancel' : 'reject', from: 'ordered', to: 'cancelled', actor: byResident ? null : staffId, kind: byResident ? 'resident' : 'community',
            note: byResident ? '问题已自行解决' : '不属于社区服务范围，已告知居民联系物业', at: last });
        }
        if (assigned) {
          dispatches = 1;
          last = at(60);
          event.push({ order: id, action: 'dispatch', from: 'ordered', to: 'dispatched', actor: staffId, kind: 'community', note: null, at: last });
          if (!live && rng.chance(0.1)) {
            // nobody accepted within 24 h: the system published it to the community (as expireOverdueOrders does)
            dispatches = 2;
            republished = true;
            last = at(60 + 24 * 60);
            event.push({ order: id, action: 'republish', from: 'dispatched', to: 'dispatched', actor: null, kind: 'system', note: '超时未接单，转为公开招募', at: last });
          }
        }
        if (state === 'accepted' || state === 'done' || state === 'rated') {
          last = at(dispatches * 1500 + 120);
          event.push({ order: id, action: 'accept', from: 'dispatched', to: 'accepted', actor: f.userId, kind: 'assignee', note: null, at: last });
        }
        if (state === 'done' || state === 'rated') {
          last = at(dispatches * 1500 + 120 + rng.int(600, 2880));
          event.push({ order: id, action: 'complete', from: 'accepted', to: 'done', actor: f.userId, kind: 'assignee', note: '已完成服务', at: last });
          const rid = record.size + 1;
          const servedOn = last.slice(0, 10);
          const confirmed = state === 'rated';
          record.push({ id: rid, force: f.id, source: 'order', order: id, claim: null, post: null, community: code, title, size, on: servedOn, hours, cap,
            status: confirmed && staffId ? 'confirmed' : 'pending', by: confirmed ? staffId : null, as: confirmed && staffId ? 'organiser' : null, confirmed: confirmed && staffId ? at(dispatches * 1500 + 3500) : null, at: last });
          if (confirmed) {
            rate(rng, rid, f, 'resident', null, at(dispatches * 1500 + 3400));
            if (staffId) rate(rng, rid, f, 'community', staffId, at(dispatches * 1500 + 3500));
            last = at(dispatches * 1500 + 3500);
            event.push({ order: id, action: 'close', from: 'done', to: 'rated', actor: null, kind: 'system', note: null, at: last });
          }
        }
        order.push({ id, no, community: code, path, resident, title, description: `${title}，请尽快联系`, skill, size, place: p?.code ?? null, x: p?.x ?? null, y: p?.y ?? null,
          wanted: live ? liveTs(-rng.int(12, 72)) : ts(day + rng.int(1, 3), 600), state, mode: assigned ? (republished ? 'open' : 'member') : null, force: assigned ? f.id : null,
          deadline: state === 'dispatched' ? new Date(Date.parse(last) + 24 * 3_600_000).toISOString() : null, dispatches, cap, hours,
          note: state === 'done' || state === 'rated' ? '服务完成，居民确认' : null, created, updated: last });
      }

      // tasks: past ones (closed, claims done, records confirmed) and one open emergency task at demo/city
      const nTasks = this.full ? rng.int(2, 4) : 2;
      for (let k = 0; k < nTasks; k++) {
        const id = task.size + 1;
        const open = this.full && k === nTasks - 1;
        const skill = rng.pick(['patrol', 'environment', 'epidemic', 'logistics', 'culture', 'elderly_care']);
        const title = rng.pick(SKILL_TITLES[skill]!);
        const day = REF_DAY - rng.int(7, 300);
        const emergency = skill === 'logistics' || skill === 'epidemic';
        let callId: number | null = null;
        if (emergency) {
          callId = call.size + 1;
          call.push({ id: callId, title: `${short}${skill === 'epidemic' ? '防疫值守' : '防汛物资转运'}紧急召集`, message: '请在职党员、志愿者就近报名参加', scope: code, path,
            by: staffId, at: open ? liveTs(6) : ts(day - 1, 1000), closed: open ? null : ts(day + 1, 1200) });
        }
        const capacity = this.full ? rng.int(5, 20) : 4;
        const p = place();
        const cap = rng.pick([2, 3, 4]);
        task.push({ id, call: callId, title: `${short}${title}`, description: `${title}，请按时到达集合点`, size: rng.chance(0.7) ? 'micro' : 'activity', scope: code, path,
          skills: JSON.stringify([skill]), x: p?.x ?? null, y: p?.y ?? null, capacity,
          starts: open ? liveTs(-24) : ts(day, 480), ends: open ? liveTs(-24 * 7) : ts(day, 480 + cap * 60), cap, emergency,
          status: open ? 'open' : 'closed', by: staffId, at: open ? liveTs(6) : ts(day - 2, 600) });
        const claimers = shuffle(rng, [...active]).slice(0, Math.min(capacity - (open ? Math.min(capacity - 1, rng.int(2, 4)) : rng.int(0, 2)), active.length));
        for (const f of claimers) {
          const cid = claim.size + 1;
          const done = !open && rng.chance(0.9);
          claim.push({ id: cid, task: id, force: f.id, team: null, by: f.userId, status: open ? 'claimed' : done ? 'done' : 'cancelled',
            at: open ? liveTs(rng.int(1, 5)) : ts(day - 1, rng.int(600, 1300)), done: done ? ts(day, 480 + cap * 60) : null });
          if (done) {
            const rid = record.size + 1;
            record.push({ id: rid, force: f.id, source: 'task', order: null, claim: cid, post: null, community: code, title: `${short}${title}`, size: 'micro',
              on: dayToIso(day), hours: hoursOf(rng, cap), cap, status: staffId ? 'confirmed' : 'pending', by: staffId, as: staffId ? 'organiser' : null,
              confirmed: staffId ? ts(day + 1, 560) : null, at: ts(day, 480 + cap * 60 + 10) });
            if (staffId) rate(rng, rid, f, 'community', staffId, ts(day + 1, 570));
          }
        }
      }

      // a negative-list item now and then (always one in 西陵社区)
      if (code === XILING || rng.chance(0.15)) {
        const f = lows[0] ?? busy[0]!;
        const day = REF_DAY - rng.int(10, 200);
        negative.push({ force: f.id, reason: rng.pick(NEGATIVE), by: staffId, at: ts(day, 900), expires: dayToIso(day + 365) });
      }
    }

    // ── load everything ──
    const ch = (cols: Cols<string>, sql: string, order: string[]) => this.chunks(cols, sql, order);
    await ch(team, `insert into force_team (id, community_code, kind, name, description, leader_id) overriding system value
      select * from unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int8[])`, ['id', 'community', 'kind', 'name', 'description', 'leader']);
    await ch(teamMember, `insert into force_team_member (team_id, force_id, role, joined_on) select * from unnest($1::int8[], $2::int8[], $3::text[], $4::date[])`,
      ['team', 'force', 'role', 'joined']);
    await ch(resource, `insert into force_resource (community_code, kind, name, description, provider_org, provider_name, quantity, unit, location, available_note, status, created_by)
      select c, k, n, d, o, p, q, u, case when x is null then null else ST_SetSRID(ST_MakePoint(x, y), 4326) end, an, s, b
      from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::text[], $9::float8[], $10::float8[], $11::text[], $12::text[], $13::int8[])
        as t(c, k, n, d, o, p, q, u, x, y, an, s, b)`, ['community', 'kind', 'name', 'description', 'org', 'provider', 'quantity', 'unit', 'x', 'y', 'note', 'status', 'by']);
    await ch(post, `insert into service_post (id, community_code, kind_code, title, description, capacity, created_by) overriding system value
      select * from unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int4[], $7::int8[])`, ['id', 'community', 'kind', 'title', 'description', 'capacity', 'by']);
    await ch(holder, `insert into service_post_holder (post_id, force_id, since) select * from unnest($1::int8[], $2::int8[], $3::date[])`, ['post', 'force', 'since']);
    await ch(contact, `insert into party_mass_contact (force_id, household_id, slot, since) select * from unnest($1::int8[], $2::int8[], $3::int2[], $4::date[])`,
      ['force', 'household', 'slot', 'since']);
    await ch(need, `insert into community_need (id, community_code, title, description, category, source, beneficiaries, status, created_by, created_at) overriding system value
      select i, c, t, d, ca, s, b, st, by, at::timestamptz from unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int4[], $8::text[], $9::int8[], $10::text[])
        as x(i, c, t, d, ca, s, b, st, by, at)`, ['id', 'community', 'title', 'description', 'category', 'source', 'beneficiaries', 'status', 'by', 'at']);
    await ch(project, `insert into coop_project (id, community_code, need_id, title, description, kind, status, target_amount, starts_on, ends_on, created_by, created_at) overriding system value
      select i, c, n, t, d, k, s, ta, so, eo, b, at::timestamptz from unnest($1::int8[], $2::text[], $3::int8[], $4::text[], $5::text[], $6::text[], $7::text[], $8::numeric[], $9::date[],
        $10::date[], $11::int8[], $12::text[]) as x(i, c, n, t, d, k, s, ta, so, eo, b, at)`, ['id', 'community', 'need', 'title', 'description', 'kind', 'status', 'target', 'starts', 'ends', 'by', 'at']);
    await ch(projectUnit, `insert into coop_project_unit (project_id, org_code, role, commitment, claimed_at) select p, o, r, c, a::timestamptz
      from unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[]) as x(p, o, r, c, a)`, ['project', 'org', 'role', 'commitment', 'at']);
    await ch(pledge, `insert into project_pledge (project_id, org_code, donor_name, amount, pledged_at, recorded_by) select p, o, d, a, t::timestamptz, b
      from unnest($1::int8[], $2::text[], $3::text[], $4::numeric[], $5::text[], $6::int8[]) as x(p, o, d, a, t, b)`, ['project', 'org', 'donor', 'amount', 'at', 'by']);
    await ch(spending, `insert into project_spending (project_id, amount, purpose, spent_on, recorded_by) select * from unnest($1::int8[], $2::numeric[], $3::text[], $4::date[], $5::int8[])`,
      ['project', 'amount', 'purpose', 'on', 'by']);
    await ch(order, `insert into service_order (id, service_no, community_code, community_path, resident_person_id, title, description, skill_code, size, place_code, location,
        wanted_at, state, dispatch_mode, assignee_force_id, accept_deadline, dispatch_count, hour_cap, hours, result_note, created_at, updated_at) overriding system value
      select i, n, c, pa::ltree, r, t, d, s, sz, pl, case when x is null then null else ST_SetSRID(ST_MakePoint(x, y), 4326) end, w::timestamptz, st, m, f, dl::timestamptz, dc, cap, h, note,
        ca::timestamptz, ua::timestamptz
      from unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::float8[], $12::float8[], $13::text[],
        $14::text[], $15::text[], $16::int8[], $17::text[], $18::int4[], $19::numeric[], $20::numeric[], $21::text[], $22::text[], $23::text[])
        as z(i, n, c, pa, r, t, d, s, sz, pl, x, y, w, st, m, f, dl, dc, cap, h, note, ca, ua)`,
    ['id', 'no', 'community', 'path', 'resident', 'title', 'description', 'skill', 'size', 'place', 'x', 'y', 'wanted', 'state', 'mode', 'force', 'deadline', 'dispatches', 'cap', 'hours', 'note', 'created', 'updated']);
    await ch(event, `insert into service_order_event (order_id, action, from_state, to_state, actor_id, actor_kind, note, at)
      select o, a, f, t, ac, k, n, at::timestamptz from unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::text[], $7::text[], $8::text[]) as x(o, a, f, t, ac, k, n, at)`,
    ['order', 'action', 'from', 'to', 'actor', 'kind', 'note', 'at']);
    await ch(call, `insert into mobilisation_call (id, title, message, scope_code, scope_path, created_by, created_at, closed_at) overriding system value
      select i, t, m, s, p::ltree, b, a::timestamptz, c::timestamptz from unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int8[], $7::text[], $8::text[])
        as x(i, t, m, s, p, b, a, c)`, ['id', 'title', 'message', 'scope', 'path', 'by', 'at', 'closed']);
    await ch(task, `insert into service_task (id, call_id, title, description, size, scope_code, scope_path, skills, location, capacity, starts_at, ends_at, hour_cap, emergency,
        status, created_by, created_at) overriding system value
      select i, ca, t, d, sz, s, p::ltree, translate(sk, '[]', '{}')::text[], case when x is null then null else ST_SetSRID(ST_MakePoint(x, y), 4326) end, c, st::timestamptz,
        en::timestamptz, h, e, stat, b, a::timestamptz
      from unnest($1::int8[], $2::int8[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::float8[], $10::float8[], $11::int4[], $12::text[], $13::text[],
        $14::numeric[], $15::bool[], $16::text[], $17::int8[], $18::text[]) as z(i, ca, t, d, sz, s, p, sk, x, y, c, st, en, h, e, stat, b, a)`,
    ['id', 'call', 'title', 'description', 'size', 'scope', 'path', 'skills', 'x', 'y', 'capacity', 'starts', 'ends', 'cap', 'emergency', 'status', 'by', 'at']);
    await ch(claim, `insert into task_claim (id, task_id, force_id, team_id, claimed_by, status, claimed_at, done_at) overriding system value
      select i, t, f, tm, b, s, a::timestamptz, d::timestamptz from unnest($1::int8[], $2::int8[], $3::int8[], $4::int8[], $5::int8[], $6::text[], $7::text[], $8::text[])
        as x(i, t, f, tm, b, s, a, d)`, ['id', 'task', 'force', 'team', 'by', 'status', 'at', 'done']);
    await ch(record, `insert into service_record (id, force_id, source, order_id, claim_id, post_id, community_code, title, size, served_on, hours, hour_cap, status, confirmed_by,
        confirmed_as, confirmed_at, created_at) overriding system value
      select i, f, s, o, c, p, co, t, sz, so::date, h, hc, st, b, a, ca::timestamptz, cr::timestamptz
      from unnest($1::int8[], $2::int8[], $3::text[], $4::int8[], $5::int8[], $6::int8[], $7::text[], $8::text[], $9::text[], $10::text[], $11::numeric[], $12::numeric[], $13::text[],
        $14::int8[], $15::text[], $16::text[], $17::text[]) as x(i, f, s, o, c, p, co, t, sz, so, h, hc, st, b, a, ca, cr)`,
    ['id', 'force', 'source', 'order', 'claim', 'post', 'community', 'title', 'size', 'on', 'hours', 'cap', 'status', 'by', 'as', 'confirmed', 'at']);
    await ch(rating, `insert into service_rating (record_id, force_id, rater_kind, rater_id, score, comment, created_at)
      select r, f, k, ra, s, c, a::timestamptz from unnest($1::int8[], $2::int8[], $3::text[], $4::int8[], $5::int2[], $6::text[], $7::text[]) as x(r, f, k, ra, s, c, a)`,
    ['record', 'force', 'kind', 'rater', 'score', 'comment', 'at']);
    await ch(negative, `insert into member_negative_item (force_id, reason, recorded_by, recorded_at, expires_on)
      select f, r, b, a::timestamptz, e from unnest($1::int8[], $2::text[], $3::int8[], $4::text[], $5::date[]) as x(f, r, b, a, e)`, ['force', 'reason', 'by', 'at', 'expires']);
    for (const [table, n] of [['force_team', team.size], ['service_post', post.size], ['community_need', need.size], ['coop_project', project.size],
      ['service_order', order.size], ['mobilisation_call', call.size], ['service_task', task.size], ['task_claim', claim.size], ['service_record', record.size]] as const) {
      if (n > 0) await q(`select setval(pg_get_serial_sequence('${table}', 'id'), $1::bigint, true)`, [n]);
    }
    Object.assign(this.counts, {
      teams: team.size, teamMembers: teamMember.size, resources: resource.size, posts: post.size, postHolders: holder.size, contacts: contact.size,
      needs: need.size, projects: project.size, pledges: pledge.size, spendings: spending.size, orders: order.size, orderEvents: event.size,
      calls: call.size, tasks: task.size, claims: claim.size, records: record.size, ratings: rating.size, negatives: negative.size,
    });
  }
}

