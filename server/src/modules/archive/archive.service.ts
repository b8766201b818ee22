/**
 * Rules of the residents' archive (C8): who sees which compound, building, room and person; how a search text is
 * understood; what is masked (everything personal, always) and how an unmasking is allowed, limited and audited.
 */
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { AuthContext, RequestMeta } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { invalid, notFound } from '../../platform/errors.js';
import { maskAddress, maskIdNumber, maskMobile, maskName, placeAddress } from '../../platform/pii.js';
import { recordAudit } from '../../platform/audit.js';
import { maskSearchText, readPeopleNumber, reserveUnmasking, searchPeople, UNMASK_PERMISSION } from '../../platform/people-search.js';
import type { Config } from '../../config.js';
import { assertTerritoryInScope, territoryScope } from '../../platform/scope.js';
import { page } from '../../platform/schema.js';
import { parseAddress } from '../imports/address.js';
import * as repo from './archive.repository.js';
import type {
  BuildingPageT, CompoundPageT, CountsT, CreateVisitBodyT, HouseholdItemT, PersonDetailT, PersonItemT, PersonQueryT, PostT, RoomPageT,
  UnmaskBodyT, UnmaskResultT, VisitT,
} from './archive.schema.js';

const UNMASK = UNMASK_PERMISSION;
const postNames: Record<string, string> = {
  compound_commissioner: '小区专员', building_leader: '楼长', unit_leader: '单元长', grid_leader: '网格长',
  grid_member: '专职网格员', grid_part_time: '兼职网格员', grid_instructor: '网格指导员',
};
const partnerNames = { party_org: '党组织', owners_committee: '业主委员会', property_company: '物业服务企业' } as const;
const EXPORT_MAX_ROWS = 50_000;

/** Sensitive attention tags (精神障碍、社区矫正 …) are shown only to holders of people:unmask. */
const seesSensitive = (auth: AuthContext) => auth.permissions.has(UNMASK);
const scopeOf = (auth: AuthContext): repo.PathScope => (column) => territoryScope(auth, column);

function ageOf(birthDate: string | null, today = new Date()): number | null {
  if (!birthDate) return null;
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = today.getFullYear() - y;
  if (today.getMonth() + 1 < m || (today.getMonth() + 1 === m && today.getDate() < d)) age -= 1;
  return age;
}

/** The number in a building code (…B003 → 3); the building's 幢. */
const buildingNumber = (code: string) => Number(/B(\d+)$/.exec(code)?.[1] ?? 0);
/** '501室' → '501'. */
const roomLabel = (name: string) => name.replace(/室$/, '');

/** A physical node (compound, building, unit, room) in the caller's scope, or 404. */
async function loadPhysical(db: Kysely<DB>, auth: AuthContext, code: string, kind: string, what: string): Promise<repo.NodeRow> {
  const node = await repo.findNode(db, code);
  if (!node || node.kind !== kind || !(await repo.nodeVisible(db, node, scopeOf(auth)))) throw notFound(what, kind);
  return node;
}

function presentCounts(row: repo.CountRow | undefined): CountsT {
  const r = row ?? ({} as Partial<repo.CountRow>);
  return {
    buildings: r.buildings ?? 0, units: r.units ?? 0, rooms: r.rooms ?? 0, households: r.households ?? 0, residents: r.residents ?? 0,
    byRelation: { owner: r.owner ?? 0, tenant: r.tenant ?? 0, family: r.family ?? 0, registered: r.registered ?? 0, floating: r.floating ?? 0 },
    partyMembers: { inRegister: r.in_register ?? 0, inService: r.in_service ?? 0, inResidence: r.in_residence ?? 0, total: r.members ?? 0 },
    tagged: r.tagged ?? 0, tags: r.tags ?? [],
  };
}

function presentPost(p: repo.PostRow): PostT {
  return {
    post: p.post, postName: postNames[p.post] ?? p.post, territoryCode: p.territory_code, territoryName: p.territory_name,
    personId: p.person_id, name: maskName(p.person_name ?? p.user_name), userId: p.user_id,
  };
}

/** The compound page: buildings with their figures, the three partners, the posts, and the compound's counts. */
export async function getCompound(db: Kysely<DB>, auth: AuthContext, code: string): Promise<CompoundPageT> {
  await loadPhysical(db, auth, code, 'compound', '小区');
  const compound = (await repo.findCompound(db, code))!;
  const sensitive = seesSensitive(auth);
  // archive:compound without people:read (a property company): the compound level only — buildings and counts, the
  // partners by name; no person (members, contacts, post holders) and no attention tags, which point at people
  const people = auth.permissions.has('people:read');
  const of = repo.buildingsOf({ code, kind: 'compound', path: compound.path });
  const [buildings, perBuilding, total, partners, posts] = await Promise.all([
    repo.listBuildings(db, code), repo.countResidents(db, of, true, sensitive), repo.countResidents(db, of, false, sensitive),
    repo.listPartners(db, code), people ? repo.listPosts(db, compound.path, ['compound', 'building', 'unit']) : Promise.resolve([]),
  ]);
  const byCode = new Map(perBuilding.map((r) => [r.k, r]));
  const countsOf = (row: repo.CountRow | undefined) => {
    const c = presentCounts(row);
    return people ? c : { ...c, tagged: 0, tags: [] };
  };
  return {
    code: compound.code, name: compound.name, communityCode: compound.community_code, communityName: compound.community_name,
    gridCode: compound.grid_code, gridName: compound.grid_name,
    boundary: compound.boundary as CompoundPageT['boundary'], location: compound.location as CompoundPageT['location'],
    buildings: buildings.map((b) => {
      const c = countsOf(byCode.get(b.code));
      return {
        code: b.code, name: b.name, number: buildingNumber(b.code), boundary: b.boundary as CompoundPageT['boundary'],
        location: b.location as CompoundPageT['location'], microGridCode: b.micro_grid_code, units: c.units, rooms: c.rooms,
        households: c.households, residents: c.residents, partyMembers: c.partyMembers, tagged: c.tagged, tags: c.tags,
      };
    }),
    partners: partners.map((p) => ({
      kind: p.kind as keyof typeof partnerNames, kindName: partnerNames[p.kind as keyof typeof partnerNames] ?? p.kind, name: p.name,
      orgCode: p.org_code, contactName: people ? maskName(p.contact_name) : null, contactPhone: people ? maskMobile(p.contact_phone) : null,
      members: people ? (p.members ?? []).map((m) => ({ personId: m.personId, name: maskName(m.name), role: m.role })) : [],
    })),
    posts: posts.map(presentPost),
    counts: countsOf(total[0]),
  };
}

const countedKinds = ['district', 'street', 'community', 'grid', 'micro_grid', 'compound', 'building'];

/** Counts (households, residents by relation, party members by type, tagged people) for any node in scope. */
export async function getCounts(db: Kysely<DB>, auth: AuthContext, code: string): Promise<{ code: string; name: string; kind: string; counts: CountsT }> {
  const node = await repo.findNode(db, code);
  if (!node || !countedKinds.includes(node.kind)) throw notFound('区域节点', 'territory node');
  if (node.kind === 'compound' || node.kind === 'building') await loadPhysical(db, auth, code, node.kind, '区域节点');
  else assertTerritoryInScope(auth, node.path);
  const rows = await repo.countResidents(db, repo.buildingsOf(node), false, seesSensitive(auth));
  return { code: node.code, name: node.name, kind: node.kind, counts: presentCounts(rows[0]) };
}

/** A building: units → rooms, each with its households, residents, party members and tags; and its posts. */
export async function getBuilding(db: Kysely<DB>, auth: AuthContext, code: string): Promise<BuildingPageT> {
  const node = await loadPhysical(db, auth, code, 'building', '楼幢');
  const compound = await repo.findNode(db, node.parent_code!);
  const [rooms, posts] = await Promise.all([
    repo.listBuildingRooms(db, code, seesSensitive(auth)), repo.listPosts(db, node.path, ['building', 'unit']),
  ]);
  const units = new Map<string, BuildingPageT['units'][number]>();
  for (const r of rooms) {
    let unit = units.get(r.unit_code);
    if (!unit) units.set(r.unit_code, (unit = { code: r.unit_code, name: r.unit_name, rooms: [] }));
    unit.rooms.push({ code: r.code, label: roomLabel(r.name), floor: r.floor, households: r.households, residents: r.residents,
      partyMembers: r.party_members, tagged: r.tagged, tags: r.tags ?? [] });
  }
  return { code: node.code, name: node.name, number: buildingNumber(node.code), compoundCode: compound?.code ?? '', compoundName: compound?.name ?? '',
    posts: posts.map(presentPost), units: [...units.values()] };
}

function presentVisit(v: repo.VisitRow): VisitT {
  return { id: v.id, roomCode: v.room_code, householdId: v.household_id, visitedAt: new Date(v.visited_at).toISOString(), kind: v.kind,
    note: v.note, visitorName: v.visitor_name };
}

/** A room: its place address, households with their residents (masked), and the latest visits. */
export async function getRoom(db: Kysely<DB>, auth: AuthContext, code: string): Promise<RoomPageT> {
  const node = await loadPhysical(db, auth, code, 'room', '户');
  const sensitive = seesSensitive(auth);
  const [up, households, residents, visits] = await Promise.all([
    repo.findAncestors(db, node.path), repo.listRoomHouseholds(db, code), repo.listRoomResidents(db, code, sensitive), repo.listVisits(db, code, 20, null),
  ]);
  const byHousehold = new Map(households.map((h) => [h.id, { id: h.id, kind: h.kind, registryNo: maskIdNumber(h.registry_no), residents: [] as RoomPageT['households'][number]['residents'] }]));
  for (const r of residents) {
    if (r.household_id === null) continue;
    byHousehold.get(r.household_id)?.residents.push({
      personId: r.person_id, name: maskName(r.name), gender: r.gender, age: ageOf(r.birth_date), relation: r.relation, movedIn: r.moved_in,
      movedOut: r.moved_out, idNumber: maskIdNumber(r.id_number), mobile: maskMobile(r.mobile), tags: r.tags ?? [], partyMemberType: r.member_type,
    });
  }
  return {
    code: node.code, label: roomLabel(node.name), buildingCode: up.building?.code ?? '', unitCode: up.unit?.code ?? '',
    address: placeAddress({ communityName: up.community?.name, compoundName: up.compound?.name, buildingName: up.building?.name, unitName: up.unit?.name, roomName: node.name }),
    households: [...byHousehold.values()],
    visits: visits.slice(0, 20).map(presentVisit),
  };
}

/**
 * How a search text is understood: an address form; a number (a whole ID or mobile number, `张 5678`, or a
 * partial number — what each may match and who may search it is platform/people-search.ts); pinyin (initials or
 * full, ASCII letters); or else a name fragment.
 */
export function parseSearch(q: string | undefined): repo.PersonMatch {
  const text = (q ?? '').normalize('NFKC').trim();
  if (!text) return { kind: 'all' };
  const address = parseAddress(text);
  if (address) return { kind: 'address', building: String(address.building), unit: String(address.unit), room: address.room, ...(address.compound ? { compound: address.compound } : {}) };
  const number = readPeopleNumber(text);
  if (number) return { kind: 'number', number, ...(number.kind === 'lastFour' ? { name: nameMatch(number.name) } : {}) };
  return nameMatch(text.replace(/\s+/g, ''));
}

function nameMatch(compact: string): repo.NameMatch {
  if (/^[A-Za-z]+$/.test(compact)) return { kind: 'pinyin', text: compact.toLowerCase() };
  return { kind: 'name', text: compact };
}

/** The search as platform/people-search.ts checks it. */
const peopleSearchOf = (source: string, query: PersonQueryT, filter: repo.PersonFilter) => ({
  source, q: query.q, number: filter.match.kind === 'number' ? filter.match.number : null, reason: query.reason,
});

async function personFilter(db: Kysely<DB>, auth: AuthContext, query: PersonQueryT): Promise<repo.PersonFilter> {
  const filter: repo.PersonFilter = { match: parseSearch(query.q) };
  if (query.tag) {
    if (!(await repo.tagExists(db, query.tag, seesSensitive(auth)))) throw invalid('tag', '标签不存在', 'unknown tag');
    filter.tag = query.tag;
  }
  if (query.memberType) filter.memberType = query.memberType;
  if (query.relation) filter.relation = query.relation;
  if (query.scopeCode) {
    const node = await repo.findNode(db, query.scopeCode);
    if (!node) throw notFound('区域节点', 'territory node', 'scopeCode');
    const physical = ['compound', 'building', 'unit', 'room'].includes(node.kind);
    if (physical ? !(await repo.nodeVisible(db, node, scopeOf(auth))) : !territoryScopeHas(auth, node.path)) {
      throw notFound('区域节点', 'territory node', 'scopeCode');
    }
    filter.within = { kind: node.kind, path: node.path };
  }
  return filter;
}

function territoryScopeHas(auth: AuthContext, path: string): boolean {
  try { assertTerritoryInScope(auth, path); return true; } catch { return false; }
}

function presentPerson(r: repo.PersonRow): PersonItemT {
  return {
    id: r.id, name: maskName(r.name), gender: r.gender, age: ageOf(r.birth_date), idNumber: maskIdNumber(r.id_number), mobile: maskMobile(r.mobile),
    address: maskAddress({ compoundName: r.compound_name, buildingName: r.building_name, unitName: r.unit_name, roomName: r.room_name }),
    communityCode: r.community_code, communityName: r.community_name, compoundName: r.compound_name, buildingCode: r.building_code,
    relation: r.relation, tags: r.tags ?? [], partyMemberType: r.member_type,
  };
}

/** People in scope matching the query, masked, ordered by id; a number searched under platform/people-search.ts. */
export async function searchPersons(db: Kysely<DB>, auth: AuthContext, query: PersonQueryT, limit: number, after: unknown[] | null,
  meta: RequestMeta, config: Config) {
  const filter = await personFilter(db, auth, query);
  const rows = await searchPeople(db, auth, meta, config, peopleSearchOf('archive.persons', query, filter),
    (q) => repo.searchPersons(q, filter, scopeOf(auth), seesSensitive(auth), limit, after ? Number(after[0]) : null), (r) => r.id);
  const result = page(rows, limit, (r) => [r.id]);
  return { items: result.items.map(presentPerson), nextCursor: result.nextCursor };
}

/** The same list as an .xlsx file, masked the same way; the export itself is audited. */
export async function exportPersons(db: Kysely<DB>, auth: AuthContext, query: PersonQueryT, meta: RequestMeta, config: Config): Promise<Buffer> {
  const filter = await personFilter(db, auth, query);
  // the same rule as the list: the rows are read under it first, then written out
  const people = await searchPeople(db, auth, meta, config, peopleSearchOf('archive.persons.export', query, filter), async (q) => {
    const all: repo.PersonRow[] = [];
    let after: number | null = null;
    for (;;) {
      const rows = await repo.searchPersons(q, filter, scopeOf(auth), seesSensitive(auth), 1000, after);
      all.push(...rows.slice(0, Math.min(1000, EXPORT_MAX_ROWS - all.length)));
      if (rows.length <= 1000 || all.length >= EXPORT_MAX_ROWS) return all;
      after = rows[999]!.id;
    }
  }, (r) => r.id);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('人员');
  sheet.columns = [
    { header: '序号', key: 'n', width: 8 }, { header: '姓名', key: 'name', width: 10 }, { header: '性别', key: 'gender', width: 6 },
    { header: '年龄', key: 'age', width: 6 }, { header: '证件号码', key: 'idNumber', width: 22 }, { header: '手机号', key: 'mobile', width: 14 },
    { header: '社区', key: 'communityName', width: 14 }, { header: '地址', key: 'address', width: 30 }, { header: '关系', key: 'relation', width: 8 },
    { header: '关注标签', key: 'tags', width: 20 }, { header: '党员类型', key: 'partyMemberType', width: 10 },
  ];
  const relationNames: Record<string, string> = { owner: '业主', tenant: '租客', family: '家庭成员', registered: '户籍', floating: '流动人口' };
  const memberNames: Record<string, string> = { in_register: '在册', in_service: '在职', in_residence: '在地' };
  let n = 0;
  for (const row of people) {
    const p = presentPerson(row);
    sheet.addRow({ n: ++n, name: p.name, gender: p.gender === 'M' ? '男' : p.gender === 'F' ? '女' : '', age: p.age, idNumber: p.idNumber, mobile: p.mobile,
      communityName: p.communityName, address: p.address, relation: relationNames[p.relation ?? ''] ?? p.relation, tags: p.tags.map((t) => t.name).join('、'),
      partyMemberType: memberNames[p.partyMemberType ?? ''] ?? '' });
  }
  sheet.getRow(1).font = { bold: true };
  await recordAudit(db, auth, meta, { action: 'person.export', targetType: 'person', summary: { q: maskSearchText(query.q), scopeCode: query.scopeCode ?? null,
    tag: query.tag ?? null, memberType: query.memberType ?? null, relation: query.relation ?? null, rows: n, masked: true } });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function loadPerson(db: Kysely<DB>, auth: AuthContext, id: number): Promise<repo.PersonDetailRow> {
  const row = await repo.findPerson(db, id, scopeOf(auth), seesSensitive(auth));
  if (!row || !row.visible) throw notFound('人员', 'person');
  return row;
}

/** One person, masked, with every residence (room masked), tags and party membership. */
export async function getPerson(db: Kysely<DB>, auth: AuthContext, id: number): Promise<PersonDetailT> {
  const p = await loadPerson(db, auth, id);
  const residences = await repo.listResidences(db, id);
  return {
    id: p.id, name: maskName(p.name), gender: p.gender, age: ageOf(p.birth_date), idNumber: maskIdNumber(p.id_number), mobile: maskMobile(p.mobile),
    residences: residences.map((r) => ({ address: maskAddress({ compoundName: r.compound_name, buildingName: r.building_name, unitName: r.unit_name, roomName: r.room_name }),
      relation: r.relation, movedIn: r.moved_in, movedOut: r.moved_out })),
    tags: p.tags ?? [],
    partyMember: p.member_type ? { type: p.member_type, orgName: p.org_name, workUnit: p.work_unit } : null,
  };
}

/**
 * Reveals the raw values of the fields asked for. Needs people:unmask (checked by the route), a reason, a person
 * in scope and fewer than `perHour` (LINLI_UNMASK_PER_HOUR) unmaskings in the last hour; the audit record ('person.unmask':
 * who, whose data, which fields, why) is written in the same transaction as the read, so nothing is revealed unrecorded.
 */
export async function unmaskPerson(db: Kysely<DB>, auth: AuthContext, id: number, body: UnmaskBodyT, meta: RequestMeta, perHour: number): Promise<UnmaskResultT> {
  const reason = body.reason.trim();
  if ([...reason].length < 5) throw invalid('reason', '请填写查看原文的事由（至少 5 个字）', 'a reason of at least 5 characters is required');
  const fields = [...new Set(body.fields)];
  const p = await loadPerson(db, auth, id);
  return db.transaction().execute(async (trx) => {
    await reserveUnmasking(trx, auth, perHour);
    await recordAudit(trx, auth, meta, { action: 'person.unmask', targetType: 'person', targetId: id, summary: { personId: id, fields, reason } });
    const result: UnmaskResultT = { id };
    if (fields.includes('name')) result.name = p.name;
    if (fields.includes('idNumber')) result.idNumber = p.id_number;
    if (fields.includes('mobile')) result.mobile = p.mobile;
    if (fields.includes('address')) {
      const current = (await repo.listResidences(trx, id)).filter((r) => r.moved_out === null);
      result.address = current.map((r) => placeAddress({ communityName: r.community_name, compoundName: r.compound_name, buildingName: r.building_name,
        unitName: r.unit_name, roomName: r.room_name })).join('；') || null;
    }
    return result;
  });
}

/** Logs a visit (走访) to a room in scope, optionally naming the household; audited in the same transaction. */
export async function createVisit(db: Kysely<DB>, auth: AuthContext, body: CreateVisitBodyT, meta: RequestMeta): Promise<VisitT> {
  const note = body.note.trim();
  if (!note) throw invalid('note', '请填写走访记录', 'note is required');
  const room = await repo.findNode(db, body.roomCode);
  if (!room || room.kind !== 'room' || !(await repo.nodeVisible(db, room, scopeOf(auth)))) throw notFound('户', 'room', 'roomCode');
  if (body.householdId !== undefined) {
    const household = await repo.findHousehold(db, body.householdId);
    if (!household || household.room_code !== room.code) throw notFound('该户的家庭', 'household of that room', 'householdId');
  }
  const id = await db.transaction().execute(async (trx) => {
    const visitId = await repo.insertVisit(trx, { roomCode: room.code, householdId: body.householdId ?? null, visitorUserId: auth.userId, kind: body.kind ?? 'visit', note });
    await recordAudit(trx, auth, meta, { action: 'visit.create', targetType: 'visit', targetId: visitId,
      summary: { roomCode: room.code, householdId: body.householdId ?? null, kind: body.kind ?? 'visit' } });
    return visitId;
  });
  return presentVisit((await repo.findVisit(db, id))!);
}

export async function listVisits(db: Kysely<DB>, auth: AuthContext, code: string, limit: number, after: unknown[] | null) {
  await loadPhysical(db, auth, code, 'room', '户');
  const rows = await repo.listVisits(db, code, limit, after ? [String(after[0]), Number(after[1])] : null);
  const result = page(rows, limit, (r) => [new Date(r.visited_at).toISOString(), r.id]);
  return { items: result.items.map(presentVisit), nextCursor: result.nextCursor };
}

/** Households in the caller's scope (grid worker H5: 提户知人), by address or head-of-household name/pinyin. */
export async function searchHouseholds(db: Kysely<DB>, auth: AuthContext, q: string | undefined, limit: number, after: unknown[] | null,
  meta: RequestMeta, config: Config, due = false) {
  const match = parseSearch(q);
  // no number at all here (the head's numbers are not shown on this list); the per-user search rate still applies
  if (match.kind === 'number') throw invalid('q', '请按地址或户主姓名查询', 'search households by address or name');
  const rows = await searchPeople(db, auth, meta, config, { source: 'archive.households', q, number: null },
    (trx) => repo.searchHouseholds(trx, match, scopeOf(auth), limit, after ? Number(after[0]) : null, due ? { sensitive: seesSensitive(auth) } : null),
    () => 0);
  const result = page(rows, limit, (r) => [r.id]);
  const items: HouseholdItemT[] = result.items.map((h) => ({
    id: h.id, roomCode: h.room_code, label: `${h.compound_name} ${h.building_name}${h.unit_name}${roomLabel(h.room_name)}`,
    headName: maskName(h.head_name), residents: h.residents, tags: h.tags ?? [], lastVisitAt: h.last_visit_at ? new Date(h.last_visit_at).toISOString() : null,
  }));
  return { items, nextCursor: result.nextCursor };
}

/** How many households in scope are due a visit (the grid worker's to-do; the list is `households?due=true`). */
export async function countHouseholdsDue(db: Kysely<DB>, auth: AuthContext): Promise<number> {
  return repo.countHouseholdsDue(db, scopeOf(auth), seesSensitive(auth));
}

/** The attention-tag dictionary (sensitive tags only for holders of people:unmask). */
export async function listTags(db: Kysely<DB>, auth: AuthContext) {
  return { items: await repo.listTags(db, seesSensitive(auth)) };
}

