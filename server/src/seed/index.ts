/**
 * The deterministic data generator: the real territory tree of Binjiang (or all of Hangzhou), grids and
 * micro-grids with non-overlapping polygons, compounds → buildings → units → rooms, households and residents
 * with valid ID numbers, the party-organisation tree with alliances and unit orgs, and the demo accounts.
 *
 * Same scale + same seed ⇒ identical rows (only created_at/updated_at, audit timestamps and the argon2 salt of
 * the demo password differ). Bulk loads go through `insert … select * from unnest($1::text[], …)` in batches.
 */
import { CompiledQuery, type Transaction } from 'kysely';
import { hashPassword } from '../platform/auth/password.js';
import type { Database, DB } from '../platform/db/index.js';
import { calendarWith } from '../platform/workdays.js';
import { ArchiveGenerator, type ArchiveCounts } from './archive.js';
import { DEPARTMENT_USERS, DEPARTMENTS, HISTORY_CASES, seedApiKeys, seedCaseHistory, seedDepartments, type CasesCounts } from './cases.js';
import { districtsOf, floatingAreaCodes, streetsOf, villagesOf, type Division } from './divisions.js';
import { centroid, insideMargin, pointWkt, quadWkt, rect, shrink, subdivide, subQuad, type Quad } from './geometry.js';
import { chineseNumber, makeCompoundName, makePersonName, makePropertyCompany, makeUnit, shortName, toPinyin } from './names.js';
import { dayToIso, PeopleBuffers, PeopleGenerator, REFERENCE_DATE, type PersonRecord } from './people.js';
import { Rng, Weighted } from './prng.js';
import { ServiceSeeder, type ServiceCounts } from './service.js';

export { REFERENCE_DATE } from './people.js';
export type SeedScale = 'test' | 'demo' | 'city';

export interface SeedOptions {
  scale: SeedScale;
  /** PRNG seed (default 20261101) */
  seed?: number;
  log?: (msg: string) => void;
  /** Rows per bulk statement (default 20,000). */
  batchSize?: number;
  /** A precomputed hash of DEMO_PASSWORD (skips the ~40 ms argon2 run, e.g. in tests). */
  passwordHash?: string;
}

export const TERRITORY_KINDS = ['district', 'street', 'community', 'grid', 'micro_grid', 'compound', 'building', 'unit', 'room'] as const;
export type TerritoryKind = (typeof TERRITORY_KINDS)[number];

export interface SeedSummary {
  scale: SeedScale;
  seed: number;
  territory: Record<TerritoryKind, number>;
  territoryTotal: number;
  partyOrgs: number;
  allianceMembers: number;
  persons: number;
  households: number;
  residences: number;
  users: number;
  userRoles: number;
  /** party members, attention tags, compound partners, posts, visits, registry numbers (C8) */
  archive: ArchiveCounts;
  /** the service loop: contract members member.0001–member.2000, registrations, forces, orders, tasks, records (C3–C5) */
  service: ServiceCounts;
  /** line departments, API keys and the case history (C6) */
  cases: CasesCounts;
  elapsedMs: number;
}

export const DEMO_PASSWORD = 'Linli@2026';
export const DEFAULT_SEED = 20261101;
const XILING = '330108001001';
const BINJIANG = '330108';

export interface DemoAccount { username: string; role: string; roleName: string; scope: string }

/**
 * Representative demo accounts (all with password DEMO_PASSWORD). Also created: `community.<code>` for every
 * Binjiang community and `grid.<code>` for every grid of 西陵社区 (2 at scale test, 3–6 at demo/city).
 */
export const demoAccounts: DemoAccount[] = [
  { username: 'admin', role: 'district_admin', roleName: '区委组织部管理员', scope: '全区（all）' },
  { username: 'street.330108001', role: 'street_staff', roleName: '街道工作人员', scope: '西兴街道及以下' },
  { username: 'street.330108002', role: 'street_staff', roleName: '街道工作人员', scope: '长河街道及以下' },
  { username: 'street.330108003', role: 'street_staff', roleName: '街道工作人员', scope: '浦沿街道及以下' },
  { username: 'community.330108001001', role: 'community_staff', roleName: '社区工作人员', scope: '西陵社区及以下（每个社区一个 community.<代码>）' },
  { username: 'parttime.330108001001', role: 'part_time_member', roleName: '兼职委员', scope: '西陵社区及以下' },
  { username: 'grid.330108001001001', role: 'grid_worker', roleName: '网格员', scope: '西陵社区第一网格（西陵社区每个网格一个 grid.<代码>）' },
  { username: 'member.demo', role: 'party_member', roleName: '在职党员', scope: '本人（西陵社区居民）' },
  { username: 'unit.demo', role: 'unit_party_org', roleName: '单位党组织', scope: '本单位党组织' },
  { username: 'dept.chengguan', role: 'department_staff', roleName: '职能部门人员', scope: '西兴街道、长河街道（custom）' },
  { username: 'dept.market', role: 'department_staff', roleName: '职能部门人员', scope: '西兴街道、长河街道（custom）' },
  { username: 'dept.police', role: 'department_staff', roleName: '职能部门人员', scope: '西兴街道、长河街道（custom）' },
  { username: 'dept.housing', role: 'department_staff', roleName: '职能部门人员', scope: '西兴街道、长河街道（custom）' },
  { username: 'property.330108001001c001', role: 'property_partner', roleName: '物业/业委会', scope: '西陵社区第一个小区' },
  { username: 'resident.demo', role: 'resident', roleName: '居民', scope: '本人（西陵社区居民）' },
];

// ─── scale parameters ────────────────────────────────────────────────────────
type Dist = Weighted<number>;
const dist = (pairs: [number, number][]): Dist => new Weighted(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
const uniform = (a: number, b: number): Dist => dist(Array.from({ length: b - a + 1 }, (_, i) => [a + i, 1] as [number, number]));

interface ScaleConfig {
  city: boolean;
  grids: Dist;
  micro: Dist;
  physical: (communityCode: string) => boolean;
  compounds: Dist;
  buildings: Dist;
  units: Dist;
  floors: Dist;
  rooms: Dist;
  occupancy: number;
  rented: number;
}

const SCALES: Record<SeedScale, ScaleConfig> = {
  test: {
    city: false, grids: uniform(2, 2), micro: uniform(2, 2),
    physical: (c) => c === XILING || c === '330108001002' || c === '330108002001',
    compounds: uniform(2, 2), buildings: uniform(2, 3), units: uniform(1, 2), floors: uniform(6, 6), rooms: uniform(2, 2),
    occupancy: 0.85, rented: 0.25,
  },
  demo: {
    city: false, grids: uniform(3, 6), micro: uniform(4, 8), physical: () => true,
    compounds: uniform(2, 4),
    buildings: dist([[4, 8], [5, 6], [6, 4], [7, 2], [8, 1], [9, 0.6], [10, 0.5], [11, 0.3], [12, 0.3]]),
    units: dist([[1, 6], [2, 3], [3, 1]]),
    floors: dist([[6, 6], [7, 3], [11, 1], [12, 0.4], [15, 0.3], [18, 0.6]]),
    rooms: dist([[2, 8], [3, 2], [4, 0.6]]),
    occupancy: 0.85, rented: 0.25,
  },
  city: {
    city: true, grids: uniform(4, 7), micro: uniform(5, 9), physical: () => true,
    compounds: uniform(1, 3), buildings: uniform(2, 6), units: dist([[1, 3], [2, 1]]),
    floors: dist([[6, 5], [7, 2], [11, 1], [18, 0.5]]), rooms: dist([[2, 3], [3, 1]]),
    occupancy: 0.85, rented: 0.25,
  },
};

// Binjiang (inside 120.14–120.23 E, 30.15–30.23 N) and, for `city`, the other districts tiling the area around it.
const BINJIANG_QUAD: Quad = [[120.1445, 30.1542], [120.2263, 30.1561], [120.2251, 30.2268], [120.1432, 30.2247]];
const CITY_LAYOUT: Record<string, Quad> = {
  '330127': rect(119.6, 29.9, 119.95, 30.15), // 淳安县
  '330182': rect(119.6, 30.15, 119.95, 30.35), // 建德市
  '330112': rect(119.6, 30.35, 119.95, 30.6), // 临安区
  '330122': rect(119.95, 29.9, 120.142, 30.1), // 桐庐县
  '330111': rect(119.95, 30.1, 120.142, 30.3), // 富阳区
  '330106': rect(119.95, 30.3, 120.142, 30.6), // 西湖区
  '330109': rect(120.142, 29.9, 120.228, 30.152), // 萧山区
  '330108': BINJIANG_QUAD, // 滨江区
  '330102': rect(120.142, 30.228, 120.228, 30.36), // 上城区
  '330105': rect(120.142, 30.36, 120.228, 30.6), // 拱墅区
  '330114': rect(120.228, 29.9, 120.6, 30.3), // 钱塘区
  '330113': rect(120.228, 30.3, 120.6, 30.45), // 临平区
  '330110': rect(120.228, 30.45, 120.6, 30.6), // 余杭区
};

// ─── buffers and bulk statements ─────────────────────────────────────────────
class TerritoryBuffer {
  code: string[] = []; parent: (string | null)[] = []; name: string[] = []; py: string[] = []; ini: string[] = [];
  stat: (string | null)[] = []; path: string[] = []; boundary: (string | null)[] = []; location: (string | null)[] = [];
  grid: (string | null)[] = []; micro: (string | null)[] = []; sort: number[] = []; attrs: string[] = [];
  get size() { return this.code.length; }
  clear() { for (const v of Object.values(this)) if (Array.isArray(v)) v.length = 0; }
}

interface NodeInput {
  code: string; parent: string | null; name: string; path: string; stat?: boolean;
  boundary?: Quad; location?: readonly [number, number] | null; grid?: string; micro?: string; sort: number; attrs?: Record<string, unknown>;
}

interface OrgRow {
  code: string; parent: string | null; kind: string; name: string; path: string; territory: string | null;
  unitName: string | null; secretary: string | null; attrs: Record<string, unknown>;
}

type Exec = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

const TERRITORY_SQL = `insert into territory_node (code, parent_code, kind, name, name_pinyin, name_initials, stat_code, path,
  boundary, location, grid_code, micro_grid_code, sort_order, attrs)
select c, p, $3::text, n, py, ini, s, pa::ltree, b::geometry, l::geometry, g, m, o, a::jsonb
from unnest($1::text[], $2::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
  $11::text[], $12::text[], $13::int4[], $14::text[]) as t(c, p, n, py, ini, s, pa, b, l, g, m, o, a)`;
const PERSON_SQL = `insert into person (id, name, name_pinyin, name_initials, gender, birth_date, id_number, mobile)
overriding system value select * from unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[], $8::text[])`;
const HOUSEHOLD_SQL = `insert into household (id, room_code, head_person_id, kind, registry_no, source)
overriding system value select *, 'seed' from unnest($1::int8[], $2::text[], $3::int8[], $4::text[], $5::text[])`;
const RESIDENCE_SQL = `insert into residence (id, person_id, room_code, household_id, relation, moved_in, moved_out)
overriding system value select * from unnest($1::int8[], $2::int8[], $3::text[], $4::int8[], $5::text[], $6::date[], $7::date[])`;
const ORG_SQL = `insert into party_org (code, parent_code, kind, name, name_pinyin, name_initials, path, territory_code, unit_name, secretary_name, attrs)
select c, p, k, n, py, ini, pa::ltree, t, u, s, a::jsonb
from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
  as x(c, p, k, n, py, ini, pa, t, u, s, a)`;
const MEMBER_SQL = `insert into party_org_alliance_member (alliance_code, member_code, role, joined_on)
select * from unnest($1::text[], $2::text[], $3::text[], $4::date[])`;

const pad = (n: number, w: number) => String(n).padStart(w, '0');

class Seeder {
  readonly territory = new Map<TerritoryKind, TerritoryBuffer>(TERRITORY_KINDS.map((k) => [k, new TerritoryBuffer()]));
  readonly counts = Object.fromEntries(TERRITORY_KINDS.map((k) => [k, 0])) as Record<TerritoryKind, number>;
  readonly people = new PeopleBuffers();
  readonly gen: PeopleGenerator;
  readonly orgs: OrgRow[] = [];
  readonly members: { alliance: string; member: string; role: string; joined: string }[] = [];
  readonly root: Rng;
  readonly archive: ArchiveGenerator;
  /** adults living in 西陵社区 (candidates for member.demo / resident.demo) */
  readonly xilingAdults: PersonRecord[] = [];
  readonly xilingGrids: { code: string; name: string }[] = [];
  xilingCompound: { code: string; name: string; property: string } | undefined;
  private unitSerial = 0;
  private readonly unitNames = new Set<string>();
  private pendingRows = 0;
  flushes = 0;

  constructor(readonly cfg: ScaleConfig, readonly seed: number, private readonly exec: Exec, private readonly batch: number,
    private readonly log: (m: string) => void) {
    this.root = new Rng(seed, 'linli');
    this.archive = new ArchiveGenerator(seed);
    const hz = districtsOf('3301').map((d) => d.code);
    this.gen = new PeopleGenerator(this.people, hz, floatingAreaCodes());
  }

  node(kind: TerritoryKind, n: NodeInput) {
    const b = this.territory.get(kind)!;
    const [py, ini] = toPinyin(n.name);
    b.code.push(n.code); b.parent.push(n.parent); b.name.push(n.name); b.py.push(py); b.ini.push(ini);
    b.stat.push(n.stat ? n.code.padEnd(12, '0') : null); b.path.push(n.path);
    b.boundary.push(n.boundary ? quadWkt(n.boundary) : null);
    b.location.push(n.location ? pointWkt(n.location) : n.boundary ? pointWkt(centroid(n.boundary)) : null);
    b.grid.push(n.grid ?? null); b.micro.push(n.micro ?? null); b.sort.push(n.sort); b.attrs.push(JSON.stringify(n.attrs ?? {}));
    this.counts[kind]++;
    this.pendingRows++;
  }

  org(row: Omit<OrgRow, 'attrs'> & { attrs?: Record<string, unknown> }) {
    this.orgs.push({ ...row, attrs: row.attrs ?? {} });
  }

  private joinedOn(rng: Rng): string {
    return dayToIso(Date.UTC(2019, 0, 1) / 86_400_000 + rng.int(0, 7 * 365 + 150));
  }

  async maybeFlush(force = false) {
    if (!force && this.pendingRows + this.people.size < this.batch) return;
    for (const kind of TERRITORY_KINDS) {
      const b = this.territory.get(kind)!;
      for (let i = 0; i < b.size; i += this.batch) {
        const s = (a: unknown[]) => a.slice(i, i + this.batch);
        await this.exec(TERRITORY_SQL, [s(b.code), s(b.parent), kind, s(b.name), s(b.py), s(b.ini), s(b.stat), s(b.path),
          s(b.boundary), s(b.location), s(b.grid), s(b.micro), s(b.sort), s(b.attrs)]);
      }
      b.clear();
    }
    const { person: p, household: h, residence: r } = this.people;
    for (let i = 0; i < p.id.length; i += this.batch) {
      const s = (a: unknown[]) => a.slice(i, i + this.batch);
      await this.exec(PERSON_SQL, [s(p.id), s(p.name), s(p.py), s(p.ini), s(p.gender), s(p.birth), s(p.idno), s(p.mobile)]);
    }
    for (let i = 0; i < h.id.length; i += this.batch) {
      const s = (a: unknown[]) => a.slice(i, i + this.batch);
      await this.exec(HOUSEHOLD_SQL, [s(h.id), s(h.room), s(h.head), s(h.kind), s(h.registry)]);
    }
    for (let i = 0; i < r.id.length; i += this.batch) {
      const s = (a: unknown[]) => a.slice(i, i + this.batch);
      await this.exec(RESIDENCE_SQL, [s(r.id), s(r.person), s(r.room), s(r.household), s(r.relation), s(r.movedIn), s(r.movedOut)]);
    }
    this.people.clear();
    this.pendingRows = 0;
    this.flushes++;
  }

  // ── the trees ──
  async run(): Promise<void> {
    const districts = this.cfg.city ? districtsOf('3301') : districtsOf('3301').filter((d) => d.code === BINJIANG);
    const codes = districts.map((d) => d.code);
    const streets = streetsOf(codes);
    const villages = villagesOf(this.cfg.city ? '3301' : BINJIANG);
    const byStreet = new Map<string, Division[]>();
    for (const v of villages) {
      const list = byStreet.get(v.parent) ?? [];
      list.push(v);
      byStreet.set(v.parent, list);
    }
    for (const [di, d] of districts.entries()) {
      const rng = this.root.fork(d.code);
      const quad = CITY_LAYOUT[d.code]!;
      this.node('district', { code: d.code, parent: null, name: d.name, path: d.code, stat: true, boundary: quad, sort: di + 1 });
      const ds = streets.filter((s) => s.parent === d.code);
      const streetQuads = subdivide(rng, quad, ds.length, 0.25);
      for (const [si, s] of ds.entries()) {
        await this.street(d, s, streetQuads[si]!, si + 1, byStreet.get(s.code) ?? []);
      }
      this.log(`  ${d.name}: ${ds.length} streets, ${villages.filter((v) => v.code.startsWith(d.code)).length} communities — ${this.gen.counts.person} persons so far`);
    }
    await this.maybeFlush(true);
  }

  private async street(d: Division, s: Division, quad: Quad, sort: number, communities: Division[]) {
    const rng = this.root.fork(s.code);
    const path = `${d.code}.${s.code}`;
    const town = /(镇|乡)$/.test(s.name);
    this.node('street', { code: s.code, parent: d.code, name: s.name, path, stat: true, boundary: quad, sort, attrs: { type: town ? 'town' : 'subdistrict' } });
    const committee = `P${s.code}`;
    this.org({ code: committee, parent: null, kind: 'street_committee', name: town ? `中共${s.name}委员会` : `中共${s.name}工作委员会`, path: committee, territory: s.code, unitName: null, secretary: this.secretary(rng) });
    const alliance = `A${s.code}`;
    this.org({ code: alliance, parent: committee, kind: 'alliance', name: `${s.name}近邻党建联盟`, path: `${committee}.${alliance}`, territory: s.code, unitName: null, secretary: null, attrs: { alliance_type: 'street_alliance' } });
    this.members.push({ alliance, member: committee, role: 'chair', joined: '2019-07-01' });
    const quads = subdivide(rng, quad, communities.length, 0.3);
    const streetUnits: string[] = [];
    for (const [ci, c] of communities.entries()) {
      const units = this.community(d, s, c, quads[ci]!, ci + 1, `${path}.${c.code}`, committee, streetUnits);
      for (const u of units) {
        this.members.push({ alliance, member: u, role: streetUnits.length < 2 ? 'vice_chair' : 'member', joined: this.joinedOn(rng) });
        streetUnits.push(u);
      }
      await this.maybeFlush();
    }
  }

  private secretary(rng: Rng): string {
    const g = rng.chance(0.6) ? 'M' : 'F';
    return makePersonName(rng, g, rng.int(1966, 1990)).name;
  }

  /** One community: node, grids, micro-grids, the physical tree with its people, and its party organisations. */
  private community(d: Division, s: Division, c: Division, quad: Quad, sort: number, path: string, streetCommittee: string, streetUnits: string[]): string[] {
    const cfg = this.cfg;
    const rng = this.root.fork(c.code);
    const village = c.name.endsWith('村');
    const short = shortName(c.name);
    this.node('community', { code: c.code, parent: s.code, name: c.name, path, stat: true, boundary: quad, sort, attrs: { type: village ? 'village' : 'community' } });
    // party organisation of the community
    const committee = `P${c.code}`;
    const committeePath = `${streetCommittee}.${committee}`;
    const general = rng.chance(0.25);
    this.org({ code: committee, parent: streetCommittee, kind: general ? 'general_branch' : 'community_committee', name: `中共${c.name}${general ? '总支部委员会' : '委员会'}`, path: committeePath, territory: c.code, unitName: null, secretary: this.secretary(rng) });
    const functional = `${committee}F01`;
    this.org({ code: functional, parent: committee, kind: 'functional_branch', name: `${c.name}在职党员功能型党支部`, path: `${committeePath}.${functional}`, territory: c.code, unitName: null, secretary: this.secretary(rng), attrs: { secretary_role: 'first_secretary' } });

    // grids and micro-grids
    const nGrids = cfg.grids.draw(rng);
    const gridQuads = subdivide(rng, quad, nGrids, 0.3);
    const micros: { code: string; quad: Quad }[][] = [];
    for (let g = 0; g < nGrids; g++) {
      const code = c.code + pad(g + 1, 3);
      const name = `${c.name}第${chineseNumber(g + 1)}网格`;
      this.node('grid', { code, parent: c.code, name, path: `${path}.${code}`, boundary: gridQuads[g]!, sort: g + 1 });
      if (c.code === XILING) this.xilingGrids.push({ code, name });
      const branch = `P${code}`;
      this.org({ code: branch, parent: committee, kind: 'branch', name: `${name}党支部`, path: `${committeePath}.${branch}`, territory: code, unitName: null, secretary: this.secretary(rng) });
      const nMicro = cfg.micro.draw(rng);
      const mq = subdivide(rng, gridQuads[g]!, nMicro, 0.3);
      const list: { code: string; quad: Quad }[] = [];
      for (let m = 0; m < nMicro; m++) {
        const mcode = code + pad(m + 1, 3);
        this.node('micro_grid', { code: mcode, parent: code, name: `第${chineseNumber(g + 1)}网格第${m + 1}微网格`, path: `${path}.${code}.${mcode}`, boundary: mq[m]!, sort: m + 1 });
        list.push({ code: mcode, quad: mq[m]! });
      }
      micros.push(list);
    }

    // compounds → buildings → units → rooms → households
    if (cfg.physical(c.code)) {
      const nCompounds = cfg.compounds.draw(rng);
      const perGrid: number[][] = Array.from({ length: nGrids }, () => []);
      for (let k = 0; k < nCompounds; k++) perGrid[Math.floor((k * nGrids) / nCompounds)]!.push(k);
      const used = new Set<string>();
      for (let g = 0; g < nGrids; g++) {
        const list = perGrid[g]!;
        if (list.length === 0) continue;
        const gridCode = c.code + pad(g + 1, 3);
        const slots = subdivide(rng, gridQuads[g]!, list.length, 0.2);
        for (const [si, k] of list.entries()) {
          this.compound(rng, d, c, short, village, path, committee, committeePath, gridCode, micros[g]!, shrink(slots[si]!, rng.range(0.6, 0.85)), k + 1, used);
        }
      }
    }

    this.archive.community(c.code, Array.from({ length: nGrids }, (_, g) => c.code + pad(g + 1, 3)));

    // unit party organisations located here, and a 党建理事会 for some communities
    const units: string[] = [];
    const nUnits = (rng.chance(0.5) || c.code === XILING ? 1 : 0) + (rng.chance(0.1) ? 1 : 0);
    for (let u = 0; u < nUnits; u++) {
      const code = `U${pad(++this.unitSerial, 4)}`;
      let unit = makeUnit(rng, d.name, shortName(s.name), short, 0);
      for (let attempt = 1; this.unitNames.has(unit.unitName); attempt++) {
        unit = makeUnit(rng, d.name, shortName(s.name), short, attempt > 5 ? attempt - 5 : 0);
      }
      this.unitNames.add(unit.unitName);
      this.org({ code, parent: null, kind: 'unit_org', name: unit.orgName, path: code, territory: c.code, unitName: unit.unitName, secretary: this.secretary(rng), attrs: { unit_type: unit.type, members: rng.int(5, 120) } });
      units.push(code);
    }
    if (c.code === XILING || rng.chance(0.35)) {
      const council = `A${c.code}`;
      this.org({ code: council, parent: committee, kind: 'alliance', name: `${c.name}党建理事会`, path: `${committeePath}.${council}`, territory: c.code, unitName: null, secretary: null, attrs: { alliance_type: 'community_council' } });
      this.members.push({ alliance: council, member: committee, role: 'chair', joined: this.joinedOn(rng) });
      const joined = new Set<string>();
      for (const [i, u] of units.entries()) {
        this.members.push({ alliance: council, member: u, role: i === 0 ? 'vice_chair' : 'member', joined: this.joinedOn(rng) });
        joined.add(u);
      }
      for (let i = 0; i < 2 && streetUnits.length > 0; i++) {
        const u = rng.pick(streetUnits);
        if (joined.has(u)) continue;
        joined.add(u);
        this.members.push({ alliance: council, member: u, role: 'member', joined: this.joinedOn(rng) });
      }
    }
    return units;
  }

  private compound(rng: Rng, d: Division, c: Division, short: string, village: boolean, communityPath: string, committee: string,
    committeePath: string, gridCode: string, micros: { code: string; quad: Quad }[], quad: Quad, k: number, used: Set<string>) {
    const cfg = this.cfg;
    const code = `${c.code}C${pad(k, 3)}`;
    const name = makeCompoundName(rng, short, village, used);
    const builtYear = rng.int(1992, 2021);
    const property = makePropertyCompany(rng);
    const path = `${communityPath}.${code}`;
    this.node('compound', { code, parent: c.code, name, path, boundary: quad, grid: gridCode, sort: k, attrs: { built_year: builtYear, property_company: property } });
    if (c.code === XILING && !this.xilingCompound) this.xilingCompound = { code, name, property };
    const branch = `P${code}`;
    const branchPath = `${committeePath}.${branch}`;
    this.org({ code: branch, parent: committee, kind: 'branch', name: `${name}党支部`, path: branchPath, territory: code, unitName: null, secretary: this.secretary(rng) });
    const archive = this.archive.compound({ code, name, builtYear, property, gridCode, communityCode: c.code, branch: this.orgs[this.orgs.length - 1]! });

    const nBuildings = cfg.buildings.draw(rng);
    const cols = Math.ceil(Math.sqrt(nBuildings));
    const rows = Math.ceil(nBuildings / cols);
    for (let b = 0; b < nBuildings; b++) {
      const r = Math.floor(b / cols);
      const col = b % cols;
      const u0 = col / cols, du = 1 / cols, v0 = r / rows, dv = 1 / rows;
      const foot = subQuad(quad, u0 + du * 0.15, u0 + du * 0.85, v0 + dv * 0.3, v0 + dv * 0.7);
      const loc = centroid(foot);
      let best = micros[0]!;
      let bestMargin = -Infinity;
      for (const m of micros) {
        const margin = insideMargin(m.quad, loc);
        if (margin > bestMargin) { bestMargin = margin; best = m; }
      }
      const bcode = `${code}B${pad(b + 1, 3)}`;
      const bpath = `${path}.${bcode}`;
      const floors = cfg.floors.draw(rng);
      const nUnits = cfg.units.draw(rng);
      const perFloor = cfg.rooms.draw(rng);
      this.node('building', { code: bcode, parent: code, name: `${b + 1}幢`, path: bpath, boundary: foot, location: loc, grid: gridCode, micro: best.code, sort: b + 1,
        attrs: { floors, units: nUnits, rooms_per_floor: perFloor, built_year: builtYear, height: floors > 9 ? 'high_rise' : 'multi_storey' } });
      if (rng.chance(0.3)) {
        const group = `P${bcode}`;
        this.org({ code: group, parent: branch, kind: 'group', name: `${name}${b + 1}幢党小组`, path: `${branchPath}.${group}`, territory: bcode, unitName: null, secretary: this.secretary(rng) });
      }
      archive.building(bcode, Array.from({ length: nUnits }, (_, u) => `${bcode}U${pad(u + 1, 2)}`));
      for (let u = 1; u <= nUnits; u++) {
        const ucode = `${bcode}U${pad(u, 2)}`;
        const upath = `${bpath}.${ucode}`;
        this.node('unit', { code: ucode, parent: bcode, name: `${u}单元`, path: upath, sort: u });
        for (let f = 1; f <= floors; f++) {
          for (let n = 1; n <= perFloor; n++) {
            const no = f * 100 + n;
            const rcode = `${ucode}R${pad(no, 4)}`;
            this.node('room', { code: rcode, parent: ucode, name: `${no}室`, path: `${upath}.${rcode}`, sort: no, attrs: { floor: f } });
            if (rng.chance(cfg.occupancy)) {
              const rented = rng.chance(cfg.rented);
              const members = this.gen.household(rng, rcode, d.code, builtYear, rented);
              const registryNo = archive.household(members, rcode, ucode, rented);
              if (registryNo) this.gen.setRegistryNo(registryNo);
              if (c.code === XILING && this.xilingAdults.length < 50) {
                const adult = members.find((m) => m.age >= 25 && m.age <= 60); // one per household
                if (adult) this.xilingAdults.push(adult);
              }
            }
          }
        }
      }
    }
    archive.finish();
  }

  async flushOrgs(): Promise<number> {
    const depth = (p: string) => p.split('.').length;
    const rows = [...this.orgs].sort((a, b) => depth(a.path) - depth(b.path));
    for (let i = 0; i < rows.length; i += this.batch) {
      const chunk = rows.slice(i, i + this.batch);
      const py = chunk.map((r) => toPinyin(r.name));
      await this.exec(ORG_SQL, [chunk.map((r) => r.code), chunk.map((r) => r.parent), chunk.map((r) => r.kind), chunk.map((r) => r.name),
        py.map((p) => p[0]), py.map((p) => p[1]), chunk.map((r) => r.path), chunk.map((r) => r.territory), chunk.map((r) => r.unitName),
        chunk.map((r) => r.secretary), chunk.map((r) => JSON.stringify(r.attrs))]);
    }
    for (let i = 0; i < this.members.length; i += this.batch) {
      const chunk = this.members.slice(i, i + this.batch);
      await this.exec(MEMBER_SQL, [chunk.map((m) => m.alliance), chunk.map((m) => m.member), chunk.map((m) => m.role), chunk.map((m) => m.joined)]);
    }
    return rows.length;
  }
}

interface UserSpec {
  username: string; display: string; role: string; scopeKind: string; scopeCodes: string[]; org?: string | null; person?: number | null;
  department?: string | null;
}

/** Fills a migrated, empty database. Refuses if territory_node already has rows. */
export async function seedDatabase(database: Database, opts: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const log = opts.log ?? (() => undefined);
  const seed = opts.seed ?? DEFAULT_SEED;
  const cfg = SCALES[opts.scale];
  if (!cfg) throw new Error(`seedDatabase: unknown scale '${String(opts.scale)}' (test, demo or city)`);
  const existing = await database.query<{ n: number }>('select count(*)::int as n from territory_node');
  if (existing[0]!.n > 0) {
    throw new Error(`seedDatabase: territory_node already has ${existing[0]!.n} rows — the seed needs a freshly migrated, empty database (run the seed script with --reset)`);
  }
  const passwordHash = opts.passwordHash ?? (await hashPassword(DEMO_PASSWORD));
  const batch = opts.batchSize ?? 20_000;

  const summary = await database.db.transaction().execute(async (trx: Transaction<DB>) => {
    const exec: Exec = async (text, params = []) => (await trx.executeQuery(CompiledQuery.raw(text, params))).rows as Record<string, unknown>[];
    const s = new Seeder(cfg, seed, exec, batch, log);
    log(`seeding scale ${opts.scale} (seed ${seed})`);
    await s.run();
    const partyOrgs = await s.flushOrgs();
    for (const [table, next] of [['person', s.gen.nextPersonId], ['household', s.gen.nextHouseholdId], ['residence', s.gen.nextResidenceId]] as const) {
      if (next > 1) await exec(`select setval(pg_get_serial_sequence('${table}', 'id'), $1::bigint, true)`, [next - 1]);
    }

    // line departments of every district (department staff below carry their code) and the demo API keys
    const departments = await seedDepartments(exec);
    const apiKeys = await seedApiKeys(exec);

    // demo accounts
    const communities = villagesOf(BINJIANG);
    const streetNames = new Map(streetsOf([BINJIANG]).map((x) => [x.code, x.name]));
    const adults = s.xilingAdults;
    if (adults.length < 2 || !s.xilingCompound) throw new Error('seedDatabase: 西陵社区 has no residents to attach the demo accounts to');
    const member = adults[0]!;
    const resident = adults.find((a) => a.id !== member.id)!;
    const unitOrg = s.orgs.find((o) => o.kind === 'unit_org' && o.territory === XILING)!;
    const users: UserSpec[] = [
      { username: 'admin', display: '滨江区委组织部管理员', role: 'district_admin', scopeKind: 'all', scopeCodes: [] },
      ...[...streetNames].map(([code, name]) => ({ username: `street.${code}`, display: `${name}工作人员`, role: 'street_staff', scopeKind: 'subtree', scopeCodes: [code], org: `P${code}` })),
      ...communities.map((c) => ({ username: `community.${c.code}`, display: `${c.name}工作人员`, role: 'community_staff', scopeKind: 'subtree', scopeCodes: [c.code], org: `P${c.code}` })),
      { username: `parttime.${XILING}`, display: '西陵社区兼职委员', role: 'part_time_member', scopeKind: 'subtree', scopeCodes: [XILING], org: `P${XILING}` },
      ...s.xilingGrids.map((g) => ({ username: `grid.${g.code}`, display: `${g.name}网格员`, role: 'grid_worker', scopeKind: 'subtree', scopeCodes: [g.code], org: `P${g.code}` })),
      { username: 'member.demo', display: member.name, role: 'party_member', scopeKind: 'self', scopeCodes: [], person: member.id, org: `P${XILING}F01` },
      { username: 'unit.demo', display: unitOrg.name, role: 'unit_party_org', scopeKind: 'self', scopeCodes: [], org: unitOrg.code },
      ...DEPARTMENT_USERS.map(({ username, suffix }) => {
        const d = DEPARTMENTS.find((x) => x.suffix === suffix)!;
        return { username, display: `滨江区${d.name}（${d.short}）`, role: 'department_staff', scopeKind: 'custom', scopeCodes: ['330108001', '330108002'], department: `${BINJIANG}${suffix}` };
      }),
      { username: `property.${s.xilingCompound.code.toLowerCase()}`, display: `${s.xilingCompound.property}（${s.xilingCompound.name}）`, role: 'property_partner', scopeKind: 'subtree', scopeCodes: [s.xilingCompound.code] },
      { username: 'resident.demo', display: resident.name, role: 'resident', scopeKind: 'self', scopeCodes: [], person: resident.id },
    ];
    const inserted = await exec(`insert into app_user (username, display_name, password_hash, scope_kind, scope_codes, org_code, person_id, department_code, status, must_change_password, password_changed_at)
      select u, d, $3::text, k, translate(c, '[]', '{}')::text[], o, p, dc, 'active', false, now()
      from unnest($1::text[], $2::text[], $4::text[], $5::text[], $6::text[], $7::int8[], $8::text[]) as t(u, d, k, c, o, p, dc)
      returning id, username`,
      [users.map((u) => u.username), users.map((u) => u.display), passwordHash, users.map((u) => u.scopeKind),
        users.map((u) => JSON.stringify(u.scopeCodes)), users.map((u) => u.org ?? null), users.map((u) => u.person ?? null),
        users.map((u) => u.department ?? null)]);
    const ids = new Map(inserted.map((r) => [r.username as string, Number(r.id)]));
    await exec(`insert into app_user_role (user_id, role_code) select * from unnest($1::int8[], $2::text[])`,
      [users.map((u) => ids.get(u.username)!), users.map((u) => u.role)]);

    // the residents' archive: party members, tags, partners, posts, visits (after the orgs and accounts they name)
    s.archive.resolveServiceUnits(s.orgs.filter((o) => o.kind === 'unit_org'));
    s.archive.setInService(member, unitOrg);
    await s.archive.flush(exec, batch);

    // the service loop (after the archive: it reads the in-service members and residents back)
    const service = new ServiceSeeder(exec, { scale: opts.scale, seed, passwordHash, batch, log });
    await service.run(s.gen.nextPersonId);

    // a year of cases (demo and city), after the accounts they name as reporters
    const casesStarted = performance.now();
    const history = await seedCaseHistory(exec, { count: HISTORY_CASES[opts.scale], seed, referenceDate: REFERENCE_DATE, now: new Date(),
      calendar: calendarWith(new Map()), log });
    const cases: CasesCounts = { departments, apiKeys, ...history };
    log(`cases: ${departments} line departments, ${apiKeys} API keys, ${history.cases.toLocaleString('en')} cases (${history.open.toLocaleString('en')} open, `
      + `${history.overdue.toLocaleString('en')} overdue, ${history.merged.toLocaleString('en')} merged, ${history.voided.toLocaleString('en')} voided), `
      + `${history.steps.toLocaleString('en')} steps, ${history.cards.toLocaleString('en')} cards (${((performance.now() - casesStarted) / 1000).toFixed(1)} s)`);

    const territoryTotal = Object.values(s.counts).reduce((a, b) => a + b, 0);
    const result: SeedSummary = {
      scale: opts.scale, seed, territory: s.counts, territoryTotal, partyOrgs, allianceMembers: s.members.length,
      persons: s.gen.counts.person + service.counts.newPersons, households: s.gen.counts.household, residences: s.gen.counts.residence,
      users: users.length + service.counts.contractMembers, userRoles: users.length + service.counts.contractMembers, archive: s.archive.counts,
      service: service.counts, cases, elapsedMs: 0,
    };
    await exec(`insert into audit_log (actor_username, action, target_type, target_id, summary) values ('system', 'seed', 'database', $1, $2::jsonb)`,
      [opts.scale, JSON.stringify({ ...result, elapsedMs: undefined, referenceDate: REFERENCE_DATE })]);
    return result;
  });
  await database.exec(`analyze territory_node; analyze party_org; analyze person; analyze household; analyze residence;
    analyze party_member; analyze person_tag; analyze compound_partner; analyze compound_partner_member; analyze territory_post; analyze visit;
    analyze app_user; analyze force_person; analyze member_registration; analyze service_order; analyze service_task; analyze task_claim;
    analyze service_record; analyze service_rating; analyze department;`);
  // the cases are read through covering indexes: a vacuum sets the visibility map so those scans skip the heap
  await database.exec('vacuum (analyze) civic_case, civic_case_step, case_card');
  summary.elapsedMs = Math.round(performance.now() - started);
  log(`seeded in ${(summary.elapsedMs / 1000).toFixed(1)} s`);
  return summary;
}
