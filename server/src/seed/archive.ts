/**
 * The residents' archive part of the seed (C8, 红色三方在线): party members typed 在册/在职/在地, attention tags, the
 * tripartite partners of every compound (党组织, 业委会, 物业) with their people, the posts held in the territory
 * (小区专员, 楼长, 单元长, the grid's 一长三员), registry household numbers (户号) and a few visits in 西陵社区.
 *
 * Everything is drawn while the residents are generated — no second pass over a million rows — from PRNG streams
 * of its own (`<code>#archive`), so the territory and people rows are the same with or without this part. The rows
 * (≈ 15 % of the persons in number at city scale) stay in memory and are loaded at the end, after the party
 * organisations and accounts they reference.
 */
import { dayToIso, isoToDay, REF_DAY, type PersonRecord } from './people.js';
import { Rng } from './prng.js';

const XILING = '330108001001';
const YEAR = 365.2425;

type MemberType = 'in_register' | 'in_service' | 'in_residence';
type Post = 'compound_commissioner' | 'building_leader' | 'unit_leader' | 'grid_leader' | 'grid_member' | 'grid_part_time' | 'grid_instructor';

interface MemberRow {
  type: MemberType; org: string | null; workUnit: string | null; joined: string;
  /** in-service members: the draw that picks their work unit once all unit organisations are known */
  unitDraw: number; street: string;
}

interface Resident extends PersonRecord { room: string; unit: string; building: string; active: boolean }

export interface ArchiveCounts {
  partyMembers: number; personTags: number; partners: number; partnerMembers: number; posts: number; visits: number; registryNos: number;
}

export interface CompoundContext {
  code: string; name: string; builtYear: number; property: string; gridCode: string; communityCode: string;
  /** the compound's party branch row: its secretary becomes a resident party member of the compound */
  branch: { secretary: string | null };
}

export interface UnitOrg { code: string; territory: string | null; unitName: string | null }

type Exec = (text: string, params?: unknown[]) => Promise<unknown>;

const isoAt = (day: number) => dayToIso(Math.round(day));
const between = (rng: Rng, from: number, to: number) => (to <= from ? from : from + Math.floor(rng.next() * (to - from + 1)));
/** The date a person born on `birthDay` turns `years` (29 February → 1 March). */
function birthday(birthDay: number, years: number): number {
  const iso = dayToIso(birthDay);
  const md = iso.slice(5) === '02-29' ? '03-01' : iso.slice(5);
  return isoToDay(`${Number(iso.slice(0, 4)) + years}-${md}`);
}

function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const DISABILITY = ['视力残疾', '听力残疾', '言语残疾', '肢体残疾', '肢体残疾', '肢体残疾', '智力残疾', '精神残疾', '多重残疾'];
const GRADES = ['一级', '二级', '三级', '四级'];
const ILLNESS = ['恶性肿瘤', '尿毒症透析', '器官移植术后', '白血病', '重症肌无力'];
const VISITS: { kind: 'visit' | 'follow_up' | 'inspection'; note: string; care?: boolean }[] = [
  { kind: 'visit', note: '入户走访，了解老人身体和生活情况，提醒注意防范电信诈骗。', care: true },
  { kind: 'visit', note: '上门看望独居老人，检查燃气和用电安全，留下网格员联系电话。', care: true },
  { kind: 'follow_up', note: '回访救助申请进展，告知低保年审材料和办理时间。', care: true },
  { kind: 'visit', note: '核实租住人员信息，登记流动人口居住证办理情况。' },
  { kind: 'visit', note: '宣传垃圾分类和文明养犬，住户表示理解支持。' },
  { kind: 'inspection', note: '巡查楼道消防通道，提醒住户不要在楼道停放电动车、堆放杂物。' },
  { kind: 'follow_up', note: '回访住户反映的楼上漏水问题，已协调物业上门维修，住户满意。' },
  { kind: 'visit', note: '走访了解家庭人员变动，更新居住人员信息。' },
  { kind: 'inspection', note: '检查出租房屋安全情况，提醒房东落实消防器材配置。' },
];

/** One compound being generated: its buildings, residents and the rows drawn for them. */
export class CompoundArchive {
  readonly rng: Rng;
  private readonly buildings: { code: string; units: string[]; active: boolean; residents: Resident[] }[] = [];

  constructor(private readonly a: ArchiveGenerator, private readonly ctx: CompoundContext) {
    this.rng = new Rng(a.seed, `${ctx.code}#archive`);
  }

  /** Starts a building; about one in five has no party member living in it (the compound map shows the gaps). */
  building(code: string, units: string[]) {
    this.buildings.push({ code, units, active: this.rng.chance(0.78), residents: [] });
  }

  /** The members of one household just generated; returns its registry number (户号) or null. */
  household(members: PersonRecord[], room: string, unit: string, rented: boolean): string | null {
    const rng = this.rng;
    const b = this.buildings[this.buildings.length - 1]!;
    const size = members.length;
    const elderlyOnly = members.every((m) => m.age >= 60);
    const parentAged = members.some((m) => m.age >= 20 && m.age <= 50);
    const household = members[0]!.household;
    const hhTags: [string, string | null][] = [];
    if (rng.chance(rented ? 0.003 : 0.007)) hhTags.push(['low_income', null]);
    else if (rng.chance(0.004)) hhTags.push(['low_income_edge', null]);
    let care = hhTags.length > 0;
    for (const m of members) {
      const r: Resident = { ...m, room, unit, building: b.code, active: b.active };
      b.residents.push(r);
      for (const [tag, note] of hhTags) this.a.tag(m.id, tag, this.a.recent(rng, m.birthDay, 5), note);
      care = this.personTags(r, size, elderlyOnly, parentAged) || care;
      if (m.age >= 18 && b.active) this.maybeMember(r);
    }
    if (this.ctx.communityCode === XILING && rng.chance(care ? 0.4 : 0.06)) {
      const n = rng.int(1, care ? 3 : 2);
      for (let i = 0; i < n; i++) {
        const pool = care ? VISITS : VISITS.filter((v) => !v.care);
        const v = rng.pick(pool);
        const day = REF_DAY - rng.int(1, 240);
        const at = `${dayToIso(day)}T${String(rng.int(9, 17)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00+08:00`;
        this.a.visit(room, household, `grid.${this.ctx.gridCode}`, v.kind, v.note, at);
      }
    }
    if (rented || !rng.chance(0.6)) return null;
    this.a.counts.registryNos++;
    return `${this.ctx.communityCode.slice(4, 6)}${String((household * 7_919 + 104_729) % 10_000_000).padStart(7, '0')}`;
  }

  /** Attention tags that fit the person's age and household; true if any was given. */
  private personTags(m: Resident, size: number, elderlyOnly: boolean, parentAged: boolean): boolean {
    const rng = this.rng;
    const a = this.a;
    let n = 0;
    const add = (tag: string, since: number, note: string | null = null) => { a.tag(m.id, tag, isoAt(Math.min(since, REF_DAY - 1)), note); n++; };
    if (m.age >= 60 && size === 1 && rng.chance(0.85)) add('elderly_alone', Math.max(birthday(m.birthDay, 60), REF_DAY - rng.int(30, 6 * 365)));
    if (m.age >= 60 && size >= 2 && elderlyOnly && rng.chance(0.7)) add('elderly_empty_nest', Math.max(birthday(m.birthDay, 60), REF_DAY - rng.int(30, 6 * 365)));
    if (m.age >= 80 && rng.chance(0.95)) add('elderly_advanced', birthday(m.birthDay, 80));
    if (m.age < 16 && !parentAged && rng.chance(0.7)) add('left_behind_child', REF_DAY - rng.int(30, 2 * 365));
    if (m.age >= 60 && size === 1 && rng.chance(0.03)) add('special_hardship', REF_DAY - rng.int(30, 5 * 365));
    if (rng.chance(m.age >= 60 ? 0.035 : 0.012)) {
      add('disabled', Math.max(m.birthDay + 30, REF_DAY - rng.int(30, 15 * 365)), `${rng.pick(DISABILITY)}${rng.pick(GRADES)}`);
    }
    if (rng.chance(m.age >= 50 ? 0.012 : 0.004)) add('serious_illness', Math.max(m.birthDay + 30, REF_DAY - rng.int(30, 4 * 365)), rng.pick(ILLNESS));
    if (m.age >= 18 && m.age < 60 && rng.chance(0.012)) add('unemployed', REF_DAY - rng.int(14, 2 * 365));
    if (m.age >= 22 && rng.chance(m.gender === 'M' ? 0.03 : 0.002)) {
      add('veteran', between(rng, birthday(m.birthDay, 20), Math.min(REF_DAY - 30, birthday(m.birthDay, 45))));
    }
    if (m.age >= 18) {
      const before = n;
      if (rng.chance(0.002)) add('mental_disorder', REF_DAY - rng.int(30, 10 * 365));
      if (m.age < 65 && rng.chance(0.0008)) add('community_correction', REF_DAY - rng.int(30, 2 * 365));
      if (m.age < 60 && rng.chance(0.0005)) add('drug_rehab', REF_DAY - rng.int(30, 3 * 365));
      if (n > before && this.ctx.communityCode === XILING) a.xilingSensitive = true;
    }
    return n > 0 && m.age >= 16;
  }

  private maybeMember(m: Resident) {
    const rng = this.rng;
    let p = 0.105 * (m.age < 23 ? 0.3 : m.age >= 60 ? 1.3 : 1);
    if (m.relation === 'floating') p *= 0.6;
    if (!rng.chance(p)) return;
    let type: MemberType;
    if (m.age >= 60) type = rng.chance(0.8) ? 'in_register' : 'in_residence';
    else if (m.relation === 'floating') type = rng.chance(0.6) ? 'in_residence' : 'in_service';
    else type = (['in_service', 'in_register', 'in_residence'] as const)[rng.weightedIndex([0.5, 0.3, 0.2])]!;
    this.a.member(rng, m, type, type === 'in_register' ? (rng.chance(0.75) ? `P${this.ctx.code}` : `P${this.ctx.gridCode}`) : null);
  }

  /** After the last building: partners and their people, 小区专员, 楼长 and 单元长. */
  finish() {
    const rng = this.rng;
    const a = this.a;
    const ctx = this.ctx;
    const all = this.buildings.flatMap((b) => b.residents);
    const branch = `P${ctx.code}`;
    const withPhone = (r: Resident, lo: number, hi: number) => r.mobile !== null && r.age >= lo && r.age <= hi;

    // party organisation: the branch committee (书记 + 委员) are in-register members of the compound's branch
    const want = rng.int(2, 5);
    const committee = shuffle(rng, all.filter((r) => withPhone(r, 25, 75) && a.memberOf(r.id) === branch));
    if (committee.length < want) {
      const more = shuffle(rng, all.filter((r) => withPhone(r, 28, 70) && !a.isMember(r.id)));
      more.sort((x, y) => Number(y.active) - Number(x.active)); // stable: buildings with members first
      for (const r of more.slice(0, want - committee.length)) {
        a.member(rng, r, 'in_register', branch);
        committee.push(r);
      }
    }
    committee.splice(want);
    const sIdx = Math.max(0, committee.findIndex((r) => r.age >= 35 && r.age <= 65));
    const secretary = committee[sIdx];
    if (secretary) {
      committee.splice(sIdx, 1);
      committee.unshift(secretary);
      ctx.branch.secretary = secretary.name;
    }
    a.partner(ctx.code, 'party_org', `${ctx.name}党支部`, branch, secretary ?? null, between(rng, isoToDay('2016-01-01'), isoToDay('2024-12-31')),
      committee.map((r, i) => [r, i === 0 ? '书记' : '委员']));

    // owners' committee (业委会): the older the compound, the less likely it has one
    const pOwners = ctx.builtYear >= 2010 ? 0.6 : ctx.builtYear >= 2000 ? 0.45 : 0.25;
    const owners = all.filter((r) => r.relation === 'owner' && withPhone(r, 30, 75));
    if (owners.length >= 3 && rng.chance(pOwners)) {
      const board = shuffle(rng, owners).slice(0, rng.int(3, 5));
      const since = between(rng, isoToDay(`${Math.max(ctx.builtYear + 3, 2009)}-01-01`), isoToDay('2025-06-30'));
      a.partner(ctx.code, 'owners_committee', `${ctx.name}业主委员会`, null, board[0]!, since,
        board.map((r, i) => [r, i === 0 ? '主任' : i === 1 ? '副主任' : '委员']));
    }

    // property company (物业): its project office for this compound
    const staff = shuffle(rng, all.filter((r) => withPhone(r, 25, 55))).slice(0, 2);
    a.partner(ctx.code, 'property_company', `${ctx.property}${ctx.name}项目部`, null, staff[0] ?? null,
      between(rng, isoToDay(`${Math.max(ctx.builtYear + 1, 2005)}-01-01`), isoToDay('2025-06-30')),
      staff.map((r, i) => [r, i === 0 ? '项目经理' : '客服主管']));

    // 小区专员, 楼长 (preferably a party member), 单元长 for most units
    const pick = (cands: Resident[], preferMember: number): Resident | undefined => {
      const members = cands.filter((r) => a.isMember(r.id));
      const pool = members.length > 0 && rng.chance(preferMember) ? members : cands;
      return pool.length > 0 ? pool[Math.floor(rng.next() * pool.length)] : undefined;
    };
    const commissioner = pick(all.filter((r) => withPhone(r, 25, 55)), 0.7);
    if (commissioner) a.post(rng, ctx.code, 'compound_commissioner', commissioner.id, null);
    for (const b of this.buildings) {
      const cands = b.residents.filter((r) => withPhone(r, 30, 75));
      const owners = cands.filter((r) => r.relation === 'owner');
      const leader = pick(owners.length > 0 && rng.chance(0.7) ? owners : cands, 0.85) ?? pick(b.residents.filter((r) => r.age >= 18), 0);
      if (leader) a.post(rng, b.code, 'building_leader', leader.id, null);
      for (const u of b.units) {
        if (!rng.chance(0.8)) continue;
        const unitLeader = pick(cands.filter((r) => r.unit === u && r.id !== leader?.id), 0.5);
        if (unitLeader) a.post(rng, u, 'unit_leader', unitLeader.id, null);
      }
    }
    for (const r of all) if (withPhone(r, 25, 68)) a.offerForGrid(ctx.communityCode, r);
  }
}

/** Collects the archive rows of the whole seed and loads them. */
export class ArchiveGenerator {
  readonly counts: ArchiveCounts = { partyMembers: 0, personTags: 0, partners: 0, partnerMembers: 0, posts: 0, visits: 0, registryNos: 0 };
  private readonly members = new Map<number, MemberRow>();
  private readonly tags = { person: [] as number[], tag: [] as string[], since: [] as string[], note: [] as (string | null)[] };
  private readonly tagged = new Set<number>();
  /** set once a sensitive tag was drawn in 西陵社区 */
  xilingSensitive = false;
  private readonly partners = { id: [] as number[], compound: [] as string[], kind: [] as string[], name: [] as string[], org: [] as (string | null)[],
    contactName: [] as (string | null)[], contactPhone: [] as (string | null)[], since: [] as string[] };
  private readonly partnerMembers = { partner: [] as number[], person: [] as number[], role: [] as string[], since: [] as string[] };
  private readonly posts = { id: [] as number[], territory: [] as string[], post: [] as string[], person: [] as (number | null)[], user: [] as (string | null)[], since: [] as string[] };
  private readonly visits = { id: [] as number[], room: [] as string[], household: [] as number[], user: [] as string[], kind: [] as string[], note: [] as string[], at: [] as string[] };
  /** per community: a reservoir of adults with a phone, for the grid's 一长三员 */
  private readonly gridPool = new Map<string, { seen: number; items: Resident[] }>();
  private readonly poolRng: Rng;

  constructor(readonly seed: number) {
    this.poolRng = new Rng(seed, 'grid-pool#archive');
  }

  compound(ctx: CompoundContext): CompoundArchive {
    return new CompoundArchive(this, ctx);
  }

  isMember(person: number): boolean { return this.members.has(person); }
  memberOf(person: number): string | null | undefined { return this.members.get(person)?.org; }

  /** A day within the last `years` years, not before the person was born. */
  recent(rng: Rng, birthDay: number, years: number): string {
    return isoAt(Math.max(birthDay + 30, REF_DAY - rng.int(30, Math.round(years * 365))));
  }

  member(rng: Rng, m: PersonRecord & { room?: string }, type: MemberType, org: string | null) {
    const earliest = Math.max(birthday(m.birthDay, 18) + rng.int(0, 20 * 365), isoToDay('1965-07-01'));
    const joined = isoAt(Math.min(earliest + rng.int(0, 10 * 365), REF_DAY - 30));
    this.members.set(m.id, { type, org, workUnit: null, joined, unitDraw: rng.next(), street: (m.room ?? '').slice(0, 9) });
  }

  /** The demo party member account is an in-service (在职) member of the 西陵 unit organisation. */
  setInService(person: PersonRecord, org: UnitOrg) {
    const row = this.members.get(person.id);
    const joined = row?.joined ?? isoAt(Math.min(birthday(person.birthDay, 24), REF_DAY - 30));
    this.members.set(person.id, { type: 'in_service', org: org.code, workUnit: org.unitName, joined, unitDraw: 0, street: '' });
  }

  tag(person: number, tag: string, since: string, note: string | null) {
    const t = this.tags;
    t.person.push(person); t.tag.push(tag); t.since.push(since); t.note.push(note);
    this.tagged.add(person);
  }

  partner(compound: string, kind: string, name: string, org: string | null, contact: Resident | null, since: number, people: [Resident, string][]) {
    const p = this.partners;
    const id = p.id.length + 1;
    p.id.push(id); p.compound.push(compound); p.kind.push(kind); p.name.push(name); p.org.push(org);
    p.contactName.push(contact?.name ?? null); p.contactPhone.push(contact?.mobile ?? null); p.since.push(isoAt(since));
    const seen = new Set<number>();
    for (const [r, role] of people) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      const m = this.partnerMembers;
      m.partner.push(id); m.person.push(r.id); m.role.push(role); m.since.push(isoAt(since));
    }
  }

  post(rng: Rng, territory: string, post: Post, person: number | null, user: string | null) {
    const p = this.posts;
    p.id.push(p.id.length + 1); p.territory.push(territory); p.post.push(post); p.person.push(person); p.user.push(user);
    p.since.push(isoAt(isoToDay('2021-01-01') + rng.int(0, 5 * 365)));
  }

  visit(room: string, household: number, user: string, kind: string, note: string, at: string) {
    const v = this.visits;
    v.id.push(v.id.length + 1); v.room.push(room); v.household.push(household); v.user.push(user); v.kind.push(kind); v.note.push(note); v.at.push(at);
  }

  offerForGrid(community: string, r: Resident) {
    let pool = this.gridPool.get(community);
    if (!pool) this.gridPool.set(community, (pool = { seen: 0, items: [] }));
    pool.seen++;
    if (pool.items.length < 48) pool.items.push(r);
    else {
      const j = Math.floor(this.poolRng.next() * pool.seen);
      if (j < 48) pool.items[j] = r;
    }
  }

  /**
   * The grid's 一长三员 (网格长, 专职网格员, 兼职网格员, 网格指导员), staffed from residents of the community; in 西陵社区 the
   * 专职网格员 is the grid.<code> account. Communities without residents (scale test) get none.
   */
  community(code: string, grids: string[]) {
    const pool = this.gridPool.get(code);
    this.gridPool.delete(code);
    if (!pool || pool.items.length === 0) return;
    const rng = new Rng(this.seed, `${code}#grid-posts`);
    const items = shuffle(rng, [...pool.items]);
    const members = items.filter((r) => this.isMember(r.id) && r.age <= 62);
    const used = new Set<number>();
    const take = (preferMember: boolean): number => {
      const from = preferMember ? [...members, ...items] : items;
      const r = from.find((x) => !used.has(x.id)) ?? items[used.size % items.length]!;
      used.add(r.id);
      return r.id;
    };
    for (const g of grids) {
      this.post(rng, g, 'grid_leader', take(true), null);
      if (code === XILING) this.post(rng, g, 'grid_member', null, `grid.${g}`);
      else this.post(rng, g, 'grid_member', take(false), null);
      this.post(rng, g, 'grid_part_time', take(false), null);
      this.post(rng, g, 'grid_instructor', take(true), null);
    }
    if (code === XILING && !this.xilingSensitive) {
      // at least one sensitive tag in 西陵社区 even at scale test, so that hiding sensitive tags is exercised
      const r = items.find((x) => !this.tagged.has(x.id) && !used.has(x.id) && x.age >= 18 && x.age < 65);
      if (r) this.tag(r.id, 'community_correction', isoAt(REF_DAY - 120), null);
    }
  }

  /** In-service members work at a unit whose party organisation is in their street (else their district, else anywhere). */
  resolveServiceUnits(orgs: UnitOrg[]) {
    const units = orgs.filter((o) => o.territory !== null && o.unitName !== null);
    const byStreet = new Map<string, UnitOrg[]>();
    const byDistrict = new Map<string, UnitOrg[]>();
    for (const u of units) {
      for (const [map, key] of [[byStreet, u.territory!.slice(0, 9)], [byDistrict, u.territory!.slice(0, 6)]] as const) {
        const list = map.get(key) ?? [];
        list.push(u);
        map.set(key, list);
      }
    }
    for (const m of this.members.values()) {
      if (m.type !== 'in_service' || m.org !== null) continue;
      const list = byStreet.get(m.street) ?? byDistrict.get(m.street.slice(0, 6)) ?? units;
      if (list.length === 0) { m.type = 'in_residence'; continue; }
      const u = list[Math.floor(m.unitDraw * list.length)]!;
      m.org = u.code;
      m.workUnit = u.unitName;
    }
  }

  /** Loads every row (party organisations, persons and accounts must be in place). */
  async flush(exec: Exec, batch: number) {
    const chunks = async (n: number, run: (s: <T>(a: T[]) => T[]) => Promise<unknown>) => {
      for (let i = 0; i < n; i += batch) await run((a) => a.slice(i, i + batch));
    };
    const ids = [...this.members.keys()];
    const rows = [...this.members.values()];
    await chunks(ids.length, (s) => exec(`insert into party_member (person_id, member_type, org_code, work_unit, joined_on, source)
      select p, t, o, w, j, 'seed' from unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::date[]) as x(p, t, o, w, j)`,
    [s(ids), s(rows.map((r) => r.type)), s(rows.map((r) => r.org)), s(rows.map((r) => r.workUnit)), s(rows.map((r) => r.joined))]));
    const t = this.tags;
    await chunks(t.person.length, (s) => exec(`insert into person_tag (person_id, tag_code, since, note, source)
      select p, c, d, n, 'seed' from unnest($1::int8[], $2::text[], $3::date[], $4::text[]) as x(p, c, d, n)`, [s(t.person), s(t.tag), s(t.since), s(t.note)]));
    const p = this.partners;
    await chunks(p.id.length, (s) => exec(`insert into compound_partner (id, compound_code, kind, name, org_code, contact_name, contact_phone, since)
      overriding system value select * from unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[])`,
    [s(p.id), s(p.compound), s(p.kind), s(p.name), s(p.org), s(p.contactName), s(p.contactPhone), s(p.since)]));
    const pm = this.partnerMembers;
    await chunks(pm.partner.length, (s) => exec(`insert into compound_partner_member (partner_id, person_id, role, since)
      select * from unnest($1::int8[], $2::int8[], $3::text[], $4::date[])`, [s(pm.partner), s(pm.person), s(pm.role), s(pm.since)]));
    const po = this.posts;
    await chunks(po.id.length, (s) => exec(`insert into territory_post (id, territory_code, post, person_id, user_id, since)
      overriding system value select x.i, x.t, x.k, x.p, u.id, x.s
      from unnest($1::int8[], $2::text[], $3::text[], $4::int8[], $5::text[], $6::date[]) as x(i, t, k, p, un, s)
      left join app_user u on u.username = x.un`, [s(po.id), s(po.territory), s(po.post), s(po.person), s(po.user), s(po.since)]));
    const v = this.visits;
    await chunks(v.id.length, (s) => exec(`insert into visit (id, room_code, household_id, visitor_user_id, kind, note, visited_at)
      overriding system value select x.i, x.r, x.h, u.id, x.k, x.n, x.a::timestamptz
      from unnest($1::int8[], $2::text[], $3::int8[], $4::text[], $5::text[], $6::text[], $7::text[]) as x(i, r, h, un, k, n, a)
      join app_user u on u.username = x.un`, [s(v.id), s(v.room), s(v.household), s(v.user), s(v.kind), s(v.note), s(v.at)]));
    for (const [table, n] of [['compound_partner', p.id.length], ['territory_post', po.id.length], ['visit', v.id.length]] as const) {
      if (n > 0) await exec(`select setval(pg_get_serial_sequence('${table}', 'id'), $1::bigint, true)`, [n]);
    }
    Object.assign(this.counts, {
      partyMembers: ids.length, personTags: t.person.length, partners: p.id.length, partnerMembers: pm.partner.length,
      posts: po.id.length, visits: v.id.length,
    });
  }
}
