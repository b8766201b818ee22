/**
 * Rules of the forces register (力量图谱, C3.1–C3.2): who is in it and where they serve, what resources and teams a
 * community has, and party–mass contact 1:8 (a member keeps in touch with at most eight households; the slot number
 * makes the limit a database constraint). Every read is scoped on the community path; every write is audited.
 */
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { AuthContext, RequestMeta } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { maskAddress, maskMobile, maskName, withoutRoom } from '../../platform/pii.js';
import { recordAudit } from '../../platform/audit.js';
import { maskSearchText, readPeopleNumber, searchPeople } from '../../platform/people-search.js';
import type { Config } from '../../config.js';
import { assertTerritoryInScope, territoryPathInScope, territoryScope } from '../../platform/scope.js';
import { page } from '../../platform/schema.js';
import { transact } from '../../platform/notify.js';
import * as repo from './forces.repository.js';
import type {
  AddMemberBodyT, AssignContactBodyT, ContactT, CreatePersonBodyT, CreateResourceBodyT, CreateTeamBodyT, ForcePersonT, PersonQueryT,
  ResourceQueryT, ResourceT, TeamDetailT, TeamT, UpdatePersonBodyT, UpdateResourceBodyT, UpdateTeamBodyT,
} from './forces.schema.js';

const scopeOf = (auth: AuthContext): repo.PathScope => (column) => territoryScope(auth, column);
const EXPORT_MAX_ROWS = 50_000;

export const FORCE_KIND_NAMES: Record<string, string> = {
  in_service_member: '在职党员', volunteer: '志愿者', craftsman: '能工巧匠', professional: '专业人士', department_staff: '下沉干部',
};
const STATUS_NAMES: Record<string, string> = { active: '在岗', paused: '暂停', left: '已退出' };

export async function listSkills(db: Kysely<DB>) {
  return { items: await repo.listSkills(db) };
}

export async function listPostKinds(db: Kysely<DB>) {
  return { items: await repo.listPostKinds(db) };
}

/** Refuses skill codes outside the dictionary (400 naming `field`). */
export async function checkSkills(db: repo.Q, skills: string[] | undefined, field = 'skills'): Promise<void> {
  if (!skills?.length) return;
  const unknown = await repo.unknownSkills(db, skills);
  if (unknown.length) throw invalid(field, `技能不存在：${unknown.join('、')}`, `unknown skill: ${unknown.join(', ')}`);
}

/** A community node in the caller's scope, or 404 naming `field`. */
export async function communityInScope(db: repo.Q, auth: AuthContext, code: string, field = 'communityCode'): Promise<repo.NodeRow> {
  const node = await repo.findNode(db, code);
  if (!node || node.kind !== 'community' || !territoryPathInScope(auth, node.path)) throw notFound('社区', 'community', field);
  return node;
}

/** Any territory node in scope to filter by (a street, a community …), or 404. */
async function scopeNode(db: repo.Q, auth: AuthContext, code: string, field: string): Promise<repo.NodeRow> {
  const node = await repo.findNode(db, code);
  if (!node || !territoryPathInScope(auth, node.path)) throw notFound('区域节点', 'territory node', field);
  return node;
}

function homeAddress(parts: Record<string, string> | null): string | null {
  if (!parts) return null;
  return maskAddress({ compoundName: parts.compound, buildingName: parts.building, unitName: parts.unit, roomName: parts.room });
}

export function presentForce(r: repo.ForceRow): ForcePersonT {
  return {
    id: r.id, personId: r.person_id, userId: r.user_id, name: maskName(r.name), mobile: maskMobile(r.mobile), kind: r.kind,
    communityCode: r.community_code, communityName: r.community_name, homeCode: withoutRoom(r.home_code), homeAddress: homeAddress(r.home_parts),
    home: r.lng !== null && r.lat !== null ? { lng: r.lng, lat: r.lat } : null,
    microGridCode: r.micro_grid_code, microGridName: r.micro_grid_name, skills: r.skills ?? [],
    availability: r.availability as ForcePersonT['availability'], status: r.status, openLoad: r.open_load, contacts: r.contacts,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

async function forceFilter(db: Kysely<DB>, auth: AuthContext, q: PersonQueryT): Promise<repo.ForceFilter> {
  const filter: repo.ForceFilter = {};
  if (q.communityCode) filter.within = (await scopeNode(db, auth, q.communityCode, 'communityCode')).path;
  else if (q.scopeCode) filter.within = (await scopeNode(db, auth, q.scopeCode, 'scopeCode')).path;
  if (q.kind) filter.kind = q.kind;
  if (q.skill) filter.skill = q.skill;
  if (q.status) filter.status = q.status;
  const text = q.q?.trim();
  if (text) {
    // a number is searched under the one rule for people (platform/people-search.ts); anything else is a name
    const number = readPeopleNumber(text);
    if (number) filter.number = number;
    if (!number) filter.q = text;
    else if (number.kind === 'lastFour') filter.q = number.name;
  }
  return filter;
}

const peopleSearchOf = (source: string, q: PersonQueryT, filter: repo.ForceFilter) => ({ source, q: q.q, number: filter.number ?? null, reason: q.reason });

/** People in the register within the caller's scope, masked, ordered by id. */
export async function listForces(db: Kysely<DB>, auth: AuthContext, q: PersonQueryT, limit: number, after: unknown[] | null, meta: RequestMeta, config: Config) {
  const filter = await forceFilter(db, auth, q);
  const rows = await searchPeople(db, auth, meta, config, peopleSearchOf('forces.persons', q, filter),
    (trx) => repo.listForces(trx, filter, scopeOf(auth), limit, after ? Number(after[0]) : null), (r) => r.person_id);
  const result = page(rows, limit, (r) => [r.id]);
  return { items: result.items.map(presentForce), nextCursor: result.nextCursor };
}

/** The same list as an .xlsx file (masked); the export is audited. */
export async function exportForces(db: Kysely<DB>, auth: AuthContext, q: PersonQueryT, meta: RequestMeta, config: Config): Promise<Buffer> {
  const filter = await forceFilter(db, auth, q);
  // the same rule as the list: the rows are read under it first, then written out
  const forces = await searchPeople(db, auth, meta, config, peopleSearchOf('forces.persons.export', q, filter), async (trx) => {
    const all: repo.ForceRow[] = [];
    let after: number | null = null;
    for (;;) {
      const rows = await repo.listForces(trx, filter, scopeOf(auth), 1000, after);
      all.push(...rows.slice(0, Math.min(1000, EXPORT_MAX_ROWS - all.length)));
      if (rows.length <= 1000 || all.length >= EXPORT_MAX_ROWS) return all;
      after = rows[999]!.id;
    }
  }, (r) => r.person_id);
  const skills = new Map((await repo.listSkills(db)).map((s) => [s.code, s.name]));
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('力量名册');
  sheet.columns = [
    { header: '序号', key: 'n', width: 8 }, { header: '姓名', key: 'name', width: 10 }, { header: '手机号', key: 'mobile', width: 14 },
    { header: '类别', key: 'kind', width: 10 }, { header: '社区', key: 'community', width: 14 }, { header: '住址', key: 'home', width: 28 },
    { header: '微网格', key: 'microGrid', width: 16 }, { header: '技能', key: 'skills', width: 24 }, { header: '状态', key: 'status', width: 8 },
    { header: '联系户数', key: 'contacts', width: 10 },
  ];
  let n = 0;
  for (const row of forces) {
    const p = presentForce(row);
    sheet.addRow({ n: ++n, name: p.name, mobile: p.mobile, kind: FORCE_KIND_NAMES[p.kind] ?? p.kind, community: p.communityName, home: p.homeAddress,
      microGrid: p.microGridName, skills: p.skills.map((s) => skills.get(s) ?? s).join('、'), status: STATUS_NAMES[p.status] ?? p.status, contacts: p.contacts });
  }
  sheet.getRow(1).font = { bold: true };
  const { number: _number, ...shown } = filter; // the number only masked, never in clear
  await recordAudit(db, auth, meta, { action: 'force.export', targetType: 'force_person',
    summary: { ...shown, ...(filter.number ? { q: maskSearchText(q.q) } : {}), rows: n, masked: true } });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** How many people the register holds under a node (default: the whole scope), by kind, and how many are active. */
export async function forceSummary(db: Kysely<DB>, auth: AuthContext, communityCode: string | undefined) {
  const within = communityCode ? (await scopeNode(db, auth, communityCode, 'communityCode')).path : undefined;
  const rows = await repo.forceCounts(db, within, scopeOf(auth));
  const byKind: Record<string, number> = Object.fromEntries(Object.keys(FORCE_KIND_NAMES).map((k) => [k, 0]));
  let total = 0;
  let active = 0;
  for (const r of rows) {
    byKind[r.kind] = (byKind[r.kind] ?? 0) + r.n;
    total += r.n;
    if (r.status === 'active') active += r.n;
  }
  return { total, active, byKind };
}

async function loadForce(db: repo.Q, auth: AuthContext, id: number): Promise<repo.ForceRow> {
  const row = await repo.findForce(db, id);
  if (!row) throw notFound('力量人员', 'force person');
  assertTerritoryInScope(auth, row.community_path, '力量人员');
  return row;
}

export async function getForce(db: Kysely<DB>, auth: AuthContext, id: number): Promise<ForcePersonT> {
  return presentForce(await loadForce(db, auth, id));
}

/**
 * Puts an archive person into the register (volunteers, craftsmen, professionals, department staff sunk to grids).
 * They serve where they live: the community, home room and building location come from their current residence;
 * without one, a community in scope must be named.
 */
export async function createForce(db: Kysely<DB>, auth: AuthContext, body: CreatePersonBodyT, meta: RequestMeta): Promise<ForcePersonT> {
  await checkSkills(db, body.skills);
  const person = await repo.findArchivePerson(db, body.personId);
  if (!person) throw notFound('人员', 'person', 'personId');
  let communityCode: string;
  let homeCode: string | null = null;
  let microGridCode: string | null = null;
  if (person.community_code && person.community_path && territoryPathInScope(auth, person.community_path)) {
    if (body.communityCode && body.communityCode !== person.community_code) {
      throw invalid('communityCode', '该人员住在另一个社区，应在居住社区登记', 'the person lives in another community');
    }
    communityCode = person.community_code;
    homeCode = person.room_code;
    microGridCode = person.micro_grid_code;
  } else if (!person.community_code && body.communityCode) {
    communityCode = (await communityInScope(db, auth, body.communityCode)).code;
  } else {
    throw notFound('人员', 'person', 'personId');
  }
  if (await repo.forceExists(db, person.id)) throw new AppError('CONFLICT', '该人员已在力量名册中', { en: 'already in the register' });
  const id = await transact(db, async (trx) => {
    const forceId = await repo.upsertForce(trx, { personId: person.id, userId: null, kind: body.kind, communityCode, homeCode, microGridCode,
      skills: body.skills ?? [], availability: (body.availability ?? {}) as Record<string, unknown> });
    await recordAudit(trx, auth, meta, { action: 'force.create', targetType: 'force_person', targetId: forceId,
      summary: { personId: person.id, kind: body.kind, communityCode, skills: body.skills ?? [] } });
    return forceId;
  });
  return presentForce((await repo.findForce(db, id))!);
}

/**
 * Puts an approved in-service member into the register (or re-activates their entry) inside the caller's
 * transaction: kind in_service_member, home location from the home building. Used by double registration.
 */
export async function enlistMember(trx: repo.Q, m: {
  personId: number; userId: number | null; communityCode: string; homeCode: string; microGridCode: string | null; skills: string[];
  availability: Record<string, unknown>;
}): Promise<number> {
  return repo.upsertForce(trx, { ...m, kind: 'in_service_member' });
}

export async function updateForce(db: Kysely<DB>, auth: AuthContext, id: number, body: UpdatePersonBodyT, meta: RequestMeta): Promise<ForcePersonT> {
  const before = await loadForce(db, auth, id);
  await checkSkills(db, body.skills);
  await transact(db, async (trx) => {
    await repo.updateForce(trx, id, body as { skills?: string[]; availability?: Record<string, unknown>; status?: string });
    await recordAudit(trx, auth, meta, { action: 'force.update', targetType: 'force_person', targetId: id,
      summary: { before: { skills: before.skills, availability: before.availability, status: before.status }, after: body } });
  });
  return presentForce((await repo.findForce(db, id))!);
}

// ─── resources ───────────────────────────────────────────────────────────────

function presentResource(r: repo.ResourceRow): ResourceT {
  return {
    id: r.id, communityCode: r.community_code, communityName: r.community_name, kind: r.kind, name: r.name, description: r.description,
    providerOrg: r.provider_org, providerOrgName: r.provider_org_name, providerName: r.provider_name, quantity: r.quantity, unit: r.unit,
    location: r.lng !== null && r.lat !== null ? { lng: r.lng, lat: r.lat } : null, availableNote: r.available_note, status: r.status,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export async function listResources(db: Kysely<DB>, auth: AuthContext, q: ResourceQueryT, limit: number, after: unknown[] | null) {
  const within = q.communityCode ? (await scopeNode(db, auth, q.communityCode, 'communityCode')).path : undefined;
  const rows = await repo.listResources(db, { ...(within ? { within } : {}), ...(q.kind ? { kind: q.kind } : {}), ...(q.status ? { status: q.status } : {}) },
    scopeOf(auth), limit, after ? Number(after[0]) : null);
  const result = page(rows, limit, (r) => [r.id]);
  return { items: result.items.map(presentResource), nextCursor: result.nextCursor };
}

async function loadResource(db: repo.Q, auth: AuthContext, id: number): Promise<repo.ResourceRow> {
  const row = await repo.findResource(db, id);
  if (!row) throw notFound('资源', 'resource');
  assertTerritoryInScope(auth, row.community_path, '资源');
  return row;
}

export async function getResource(db: Kysely<DB>, auth: AuthContext, id: number): Promise<ResourceT> {
  return presentResource(await loadResource(db, auth, id));
}

async function checkProvider(db: repo.Q, code: string | null | undefined) {
  if (code && !(await repo.orgExists(db, code))) throw invalid('providerOrg', '提供单位党组织不存在', 'unknown party organisation');
}

export async function createResource(db: Kysely<DB>, auth: AuthContext, body: CreateResourceBodyT, meta: RequestMeta): Promise<ResourceT> {
  const community = await communityInScope(db, auth, body.communityCode);
  await checkProvider(db, body.providerOrg);
  const id = await transact(db, async (trx) => {
    const resourceId = await repo.insertResource(trx, community.code, body, auth.userId);
    await recordAudit(trx, auth, meta, { action: 'resource.create', targetType: 'force_resource', targetId: resourceId,
      summary: { communityCode: community.code, kind: body.kind, name: body.name } });
    return resourceId;
  });
  return presentResource((await repo.findResource(db, id))!);
}

export async function updateResource(db: Kysely<DB>, auth: AuthContext, id: number, body: UpdateResourceBodyT, meta: RequestMeta): Promise<ResourceT> {
  const before = await loadResource(db, auth, id);
  await checkProvider(db, body.providerOrg);
  await transact(db, async (trx) => {
    await repo.updateResource(trx, id, body);
    await recordAudit(trx, auth, meta, { action: 'resource.update', targetType: 'force_resource', targetId: id,
      summary: { name: before.name, changes: body } });
  });
  return presentResource((await repo.findResource(db, id))!);
}

/** Withdraws a resource (kept for the record: projects and orders may refer to it). */
export async function withdrawResource(db: Kysely<DB>, auth: AuthContext, id: number, meta: RequestMeta): Promise<void> {
  const before = await loadResource(db, auth, id);
  await transact(db, async (trx) => {
    await repo.updateResource(trx, id, { status: 'withdrawn' });
    await recordAudit(trx, auth, meta, { action: 'resource.withdraw', targetType: 'force_resource', targetId: id, summary: { name: before.name } });
  });
}

// ─── teams ───────────────────────────────────────────────────────────────────

function presentTeam(t: repo.TeamRow): TeamT {
  return {
    id: t.id, communityCode: t.community_code, communityName: t.community_name, kind: t.kind, name: t.name, description: t.description,
    leaderId: t.leader_id, leaderName: maskName(t.leader_name), members: t.members, createdAt: new Date(t.created_at).toISOString(),
  };
}

export async function listTeams(db: Kysely<DB>, auth: AuthContext, q: { communityCode?: string; kind?: string }, limit: number, after: unknown[] | null) {
  const within = q.communityCode ? (await scopeNode(db, auth, q.communityCode, 'communityCode')).path : undefined;
  const rows = await repo.listTeams(db, { ...(within ? { within } : {}), ...(q.kind ? { kind: q.kind } : {}) }, scopeOf(auth), limit, after ? Number(after[0]) : null);
  const result = page(rows, limit, (r) => [r.id]);
  return { items: result.items.map(presentTeam), nextCursor: result.nextCursor };
}

async function loadTeam(db: repo.Q, auth: AuthContext, id: number): Promise<repo.TeamRow> {
  const row = await repo.findTeam(db, id);
  if (!row) throw notFound('队伍', 'team');
  assertTerritoryInScope(auth, row.community_path, '队伍');
  return row;
}

export async function getTeam(db: Kysely<DB>, auth: AuthContext, id: number): Promise<TeamDetailT> {
  const team = await loadTeam(db, auth, id);
  const members = await repo.listTeamMembers(db, id);
  return { ...presentTeam(team), memberList: members.map((m) => ({ forceId: m.force_id, name: maskName(m.name), kind: m.kind, role: m.role,
    joinedOn: m.joined_on, skills: m.skills ?? [] })) };
}

export async function createTeam(db: Kysely<DB>, auth: AuthContext, body: CreateTeamBodyT, meta: RequestMeta): Promise<TeamDetailT> {
  const community = await communityInScope(db, auth, body.communityCode);
  const id = await transact(db, async (trx) => {
    const teamId = await repo.insertTeam(trx, { communityCode: community.code, kind: body.kind, name: body.name.trim(), description: body.description ?? '' });
    await recordAudit(trx, auth, meta, { action: 'team.create', targetType: 'force_team', targetId: teamId, summary: { communityCode: community.code, name: body.name } });
    return teamId;
  });
  return getTeam(db, auth, id);
}

export async function updateTeam(db: Kysely<DB>, auth: AuthContext, id: number, body: UpdateTeamBodyT, meta: RequestMeta): Promise<TeamDetailT> {
  const before = await loadTeam(db, auth, id);
  await transact(db, async (trx) => {
    await repo.updateTeam(trx, id, body);
    await recordAudit(trx, auth, meta, { action: 'team.update', targetType: 'force_team', targetId: id, summary: { name: before.name, changes: body } });
  });
  return getTeam(db, auth, id);
}

export async function deleteTeam(db: Kysely<DB>, auth: AuthContext, id: number, meta: RequestMeta): Promise<void> {
  const before = await loadTeam(db, auth, id);
  await transact(db, async (trx) => {
    await repo.deleteTeam(trx, id);
    await recordAudit(trx, auth, meta, { action: 'team.delete', targetType: 'force_team', targetId: id, summary: { name: before.name } });
  });
}

/** Adds a member of the same community to a team (or changes their role); a new leader replaces the old one. */
export async function addTeamMember(db: Kysely<DB>, auth: AuthContext, id: number, body: AddMemberBodyT, meta: RequestMeta): Promise<TeamDetailT> {
  const team = await loadTeam(db, auth, id);
  const force = await repo.findForce(db, body.forceId);
  if (!force || force.community_code !== team.community_code) {
    throw invalid('forceId', '只能加入本社区力量名册中的人员', 'only people in this community\'s register can join');
  }
  if (force.status === 'left') throw invalid('forceId', '该人员已退出力量名册', 'person has left the register');
  const role = body.role ?? 'member';
  await transact(db, async (trx) => {
    if (role === 'leader') {
      await repo.demoteLeaders(trx, id);
      await repo.updateTeam(trx, id, { leaderId: force.id });
    } else if (team.leader_id === force.id) {
      await repo.updateTeam(trx, id, { leaderId: null });
    }
    await repo.upsertTeamMember(trx, id, force.id, role);
    await recordAudit(trx, auth, meta, { action: 'team.member.add', targetType: 'force_team', targetId: id, summary: { forceId: force.id, role } });
  });
  return getTeam(db, auth, id);
}

export async function removeTeamMember(db: Kysely<DB>, auth: AuthContext, id: number, forceId: number, meta: RequestMeta): Promise<TeamDetailT> {
  const team = await loadTeam(db, auth, id);
  await transact(db, async (trx) => {
    const removed = await repo.deleteTeamMember(trx, id, forceId);
    if (!removed) throw notFound('队员', 'team member');
    if (team.leader_id === forceId) await repo.updateTeam(trx, id, { leaderId: null });
    await recordAudit(trx, auth, meta, { action: 'team.member.remove', targetType: 'force_team', targetId: id, summary: { forceId } });
  });
  return getTeam(db, auth, id);
}

// ─── party–mass contact 1:8 ──────────────────────────────────────────────────

function presentContact(c: repo.ContactRow): ContactT {
  return {
    id: c.id, forceId: c.force_id, householdId: c.household_id, slot: c.slot, since: c.since, until: c.until, roomCode: c.room_code,
    label: maskAddress({ compoundName: c.compound_name, buildingName: c.building_name, unitName: c.unit_name, roomName: 'x' }) ?? '',
    headName: maskName(c.head_name), residents: c.residents,
  };
}

/**
 * Assigns a household to a member: the lowest free slot of eight is picked in SQL under the member's row lock, so
 * a ninth household is refused (409 FULL) and two parallel assignments never share a slot.
 */
export async function assignContact(db: Kysely<DB>, auth: AuthContext, body: AssignContactBodyT, meta: RequestMeta): Promise<ContactT> {
  const id = await transact(db, async (trx) => {
    const force = await repo.lockForce(trx, body.forceId);
    if (!force || !territoryPathInScope(auth, force.community_path)) throw notFound('力量人员', 'force person', 'forceId');
    if (force.status !== 'active') throw new AppError('CONFLICT', '该党员不在岗，不能分配联系户', { en: 'member is not active' });
    const household = await repo.findHousehold(trx, body.householdId);
    if (!household || !territoryPathInScope(auth, household.room_path)) throw notFound('家庭', 'household', 'householdId');
    if (!household.room_path.startsWith(`${force.community_path}.`)) {
      throw invalid('householdId', '联系户须在党员服务的社区内', 'the household must be in the member\'s community');
    }
    if (household.active_contact !== null) {
      throw new AppError('CONFLICT', household.active_contact === force.id ? '该户已由此党员联系' : '该户已有联系党员', { en: 'household already has a contact member' });
    }
    const slot = await repo.insertContactInFreeSlot(trx, force.id, household.id);
    if (!slot) throw new AppError('FULL', '该党员已联系 8 户（1:8），请先结束一户', { en: 'this member already keeps in touch with 8 households' });
    await recordAudit(trx, auth, meta, { action: 'contact.assign', targetType: 'party_mass_contact', targetId: slot.id,
      summary: { forceId: force.id, householdId: household.id, slot: slot.slot } });
    return slot.id;
  });
  return presentContact((await repo.findContact(db, id))!);
}

export async function endContact(db: Kysely<DB>, auth: AuthContext, id: number, meta: RequestMeta): Promise<ContactT> {
  const contact = await repo.findContact(db, id);
  if (!contact || !territoryPathInScope(auth, contact.community_path)) throw notFound('联系关系', 'contact');
  if (contact.until !== null) throw new AppError('INVALID_TRANSITION', '该联系关系已结束', { en: 'contact already ended' });
  await transact(db, async (trx) => {
    await repo.endContact(trx, id);
    await recordAudit(trx, auth, meta, { action: 'contact.end', targetType: 'party_mass_contact', targetId: id,
      summary: { forceId: contact.force_id, householdId: contact.household_id } });
  });
  return presentContact((await repo.findContact(db, id))!);
}

export async function listContacts(db: Kysely<DB>, auth: AuthContext, forceId: number) {
  await loadForce(db, auth, forceId);
  return { items: (await repo.listContacts(db, forceId)).map(presentContact) };
}

export async function contactSummary(db: Kysely<DB>, auth: AuthContext, communityCode: string) {
  const community = await communityInScope(db, auth, communityCode);
  const s = await repo.contactSummary(db, community.path);
  return { communityCode: community.code, households: s.households, covered: s.covered, members: s.members, freeSlots: s.free_slots };
}

/** Squared distance on a local plane (good enough to rank neighbours inside one community). */
function distance2(a: { lng: number | null; lat: number | null }, b: { lng: number | null; lat: number | null }): number {
  if (a.lng === null || a.lat === null || b.lng === null || b.lat === null) return Number.MAX_VALUE;
  const dx = (a.lng - b.lng) * Math.cos((a.lat * Math.PI) / 180);
  const dy = a.lat - b.lat;
  return dx * dx + dy * dy;
}

/**
 * Gives the community's households without a contact to its active in-service members, nearest pairs first, at most
 * eight per member, in one transaction under the members' row locks.
 */
export async function autoAssignContacts(db: Kysely<DB>, auth: AuthContext, communityCode: string, meta: RequestMeta) {
  const community = await communityInScope(db, auth, communityCode);
  return transact(db, async (trx) => {
    const members = await repo.lockCommunityMembers(trx, community.path);
    const households = await repo.unassignedHouseholds(trx, community.path);
    const free = new Map(members.map((m) => [m.id, [1, 2, 3, 4, 5, 6, 7, 8].filter((s) => !m.used.includes(s))]));
    const pairs: { m: number; h: number; d: number }[] = [];
    for (const m of members) {
      if (!free.get(m.id)!.length) continue;
      for (const h of households) pairs.push({ m: m.id, h: h.id, d: distance2(m, h) });
    }
    pairs.sort((a, b) => a.d - b.d || a.m - b.m || a.h - b.h);
    const taken = new Set<number>();
    const rows: { forceId: number; householdId: number; slot: number }[] = [];
    for (const p of pairs) {
      if (taken.has(p.h)) continue;
      const slots = free.get(p.m)!;
      if (!slots.length) continue;
      rows.push({ forceId: p.m, householdId: p.h, slot: slots.shift()! });
      taken.add(p.h);
    }
    await repo.insertContacts(trx, rows);
    const memberCount = new Set(rows.map((r) => r.forceId)).size;
    await recordAudit(trx, auth, meta, { action: 'contact.auto_assign', targetType: 'territory_node', targetId: community.code,
      summary: { assigned: rows.length, members: memberCount } });
    return { communityCode: community.code, assigned: rows.length, members: memberCount, unassigned: households.length - rows.length };
  });
}
