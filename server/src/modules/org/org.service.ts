/**
 * Rules of the party-organisation tree (C1): the tree's grammar, which territory an org serves, alliances that
 * join outside unit party orgs to a street/community/compound. Visibility follows the served territory.
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { AuthContext, RequestMeta } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { orgScope, territoryPathInScope } from '../../platform/scope.js';
import { recordAudit } from '../../platform/audit.js';
import { namePinyin } from '../../platform/pinyin.js';
import { page } from '../../platform/schema.js';
import * as repo from './org.repository.js';
import { orgKindLabel, orgParentRules, type CreateOrgBodyT, type OrgDetailT, type OrgKind, type OrgSummaryT, type UpdateOrgBodyT } from './org.schema.js';

function presentSummary(r: repo.OrgRow): OrgSummaryT {
  return { code: r.code, name: r.name, kind: r.kind as OrgKind, parentCode: r.parent_code, territoryCode: r.territory_code, territoryName: r.territory_name, childCount: r.child_count };
}

async function loadInScope(db: Kysely<DB>, auth: AuthContext, code: string): Promise<repo.OrgRow> {
  const row = await repo.findOrg(db, code, orgScope(auth, 'o'));
  if (!row) throw notFound('党组织', 'party organisation');
  return row;
}

export async function listRoots(db: Kysely<DB>, auth: AuthContext): Promise<{ items: OrgSummaryT[] }> {
  const rows = await repo.listRoots(db, orgScope(auth, 'o'), orgScope(auth, 'o2'));
  return { items: rows.map(presentSummary) };
}

export async function getOrg(db: Kysely<DB>, auth: AuthContext, code: string): Promise<OrgDetailT> {
  const row = await loadInScope(db, auth, code);
  const [ancestors, members, alliances] = await Promise.all([
    repo.findAncestors(db, row.path),
    row.kind === 'alliance' ? repo.allianceMembers(db, code) : Promise.resolve([]),
    row.kind === 'unit_org' ? repo.alliancesOf(db, code) : Promise.resolve([]),
  ]);
  return {
    code: row.code, name: row.name, kind: row.kind as OrgKind, parentCode: row.parent_code, path: row.path,
    territoryCode: row.territory_code, territoryName: row.territory_name, territoryKind: row.territory_kind,
    unitName: row.unit_name, secretaryName: row.secretary_name, childCount: row.child_count,
    ancestors: ancestors.map((a) => ({ code: a.code, name: a.name, kind: a.kind as OrgKind })),
    allianceMembers: members.map((m) => ({ code: m.code, name: m.name, kind: m.kind as OrgKind, unitName: m.unit_name, role: m.role, joinedOn: m.joined_on })),
    alliances,
  };
}

export async function listChildren(db: Kysely<DB>, auth: AuthContext, code: string, limit: number, after: unknown[] | null) {
  await loadInScope(db, auth, code);
  const rows = await repo.listChildren(db, code, orgScope(auth, 'o'), limit, after ? String(after[0]) : null);
  const result = page(rows, limit, (r) => [r.code]);
  return { items: result.items.map(presentSummary), nextCursor: result.nextCursor };
}

async function checkTerritory(db: Kysely<DB>, auth: AuthContext, code: string | null | undefined): Promise<void> {
  if (!code) return;
  const t = await repo.territoryPath(db, code);
  if (!t || !territoryPathInScope(auth, t.path)) throw notFound('服务区域节点', 'territory node', 'territoryCode');
}

async function allocateCode(db: Kysely<DB>, parent: repo.OrgRow | null, kind: OrgKind): Promise<string> {
  const prefix = parent ? parent.code : kind === 'unit_org' ? 'U' : 'P';
  const digits = parent ? 3 : 6;
  const max = await repo.maxCode(db, parent?.code ?? null, prefix, digits);
  const next = (max ? Number(max.slice(prefix.length)) || 0 : 0) + 1;
  if (String(next).length > digits) throw new AppError('CONFLICT', '党组织编码已用完', { en: 'codes exhausted' });
  return prefix + String(next).padStart(digits, '0');
}

function checkParentKind(kind: OrgKind, parent: repo.OrgRow | null): void {
  const allowed = orgParentRules[kind];
  if (!allowed.includes((parent?.kind as OrgKind | undefined) ?? null)) {
    const where = parent ? `${orgKindLabel[parent.kind as OrgKind]}下` : '顶层';
    throw invalid('parentCode', `${orgKindLabel[kind]}不能建立在${where}`, `a ${kind} cannot be placed under ${parent?.kind ?? 'the root'}`);
  }
}

/** Creates an org under a visible parent (or a root unit org / street committee for wide scopes). */
export async function createOrg(db: Kysely<DB>, auth: AuthContext, body: CreateOrgBodyT, meta: RequestMeta): Promise<OrgDetailT> {
  const parent = body.parentCode ? await repo.findOrg(db, body.parentCode, orgScope(auth, 'o')) : null;
  if (body.parentCode && !parent) throw notFound('上级党组织', 'parent org', 'parentCode');
  checkParentKind(body.kind, parent ?? null);
  if (!parent && body.kind === 'street_committee' && auth.scope.kind !== 'all') throw new AppError('FORBIDDEN', '只有全区范围的管理员可以新增街道党工委');
  await checkTerritory(db, auth, body.territoryCode);
  if (!parent && body.kind === 'unit_org' && !body.territoryCode && auth.scope.kind !== 'all') {
    throw invalid('territoryCode', '请填写单位所在的社区或街道', 'territoryCode required');
  }
  const code = await allocateCode(db, parent ?? null, body.kind);
  const pinyin = namePinyin(body.name);
  await db.transaction().execute(async (trx) => {
    await repo.insertOrg(trx, {
      code, parentCode: parent?.code ?? null, kind: body.kind, name: body.name.trim(), namePinyin: pinyin.full, nameInitials: pinyin.initials,
      path: parent ? `${parent.path}.${code}` : code, territoryCode: body.territoryCode ?? parent?.territory_code ?? null,
      unitName: body.unitName ?? null, secretaryName: body.secretaryName ?? null,
    });
    await recordAudit(trx, auth, meta, { action: 'org.create', targetType: 'party_org', targetId: code,
      summary: { parentCode: parent?.code ?? null, kind: body.kind, name: body.name, territoryCode: body.territoryCode ?? null } });
  });
  return getOrg(db, auth, code);
}

export async function updateOrg(db: Kysely<DB>, auth: AuthContext, code: string, body: UpdateOrgBodyT, meta: RequestMeta): Promise<OrgDetailT> {
  const org = await loadInScope(db, auth, code);
  const fields: Record<string, unknown> = {};
  const changes: Record<string, unknown> = {};
  if (body.name !== undefined && body.name.trim() !== org.name) {
    const pinyin = namePinyin(body.name);
    Object.assign(fields, { name: body.name.trim(), name_pinyin: pinyin.full, name_initials: pinyin.initials });
    changes.name = [org.name, body.name.trim()];
  }
  if (body.territoryCode !== undefined && body.territoryCode !== org.territory_code) {
    await checkTerritory(db, auth, body.territoryCode);
    fields.territory_code = body.territoryCode;
    changes.territoryCode = [org.territory_code, body.territoryCode];
  }
  for (const [key, column, before] of [['unitName', 'unit_name', org.unit_name], ['secretaryName', 'secretary_name', org.secretary_name]] as const) {
    const value = body[key];
    if (value !== undefined && value !== before) { fields[column] = value; changes[key] = [before, value]; }
  }
  let newParent: repo.OrgRow | null | undefined;
  if (body.parentCode !== undefined && body.parentCode !== org.parent_code) {
    newParent = body.parentCode ? await repo.findOrg(db, body.parentCode, orgScope(auth, 'o')) : null;
    if (body.parentCode && !newParent) throw notFound('新的上级党组织', 'parent org', 'parentCode');
    if (newParent && (newParent.path === org.path || newParent.path.startsWith(`${org.path}.`))) {
      throw invalid('parentCode', '不能把党组织移动到它自身或它的下级之下', 'cannot move an org under itself or its descendant');
    }
    checkParentKind(org.kind as OrgKind, newParent ?? null);
    changes.parentCode = [org.parent_code, body.parentCode];
  }
  if (Object.keys(changes).length === 0) return getOrg(db, auth, code);
  await db.transaction().execute(async (trx) => {
    if (Object.keys(fields).length) await repo.updateOrg(trx, code, fields);
    if (newParent !== undefined) await repo.moveSubtree(trx, code, org.path, newParent?.code ?? null, newParent?.path ?? null);
    await recordAudit(trx, auth, meta, { action: newParent !== undefined ? 'org.move' : 'org.update', targetType: 'party_org', targetId: code, summary: changes });
  });
  return getOrg(db, auth, code);
}

/** Joins a unit party org to an alliance (近邻党建联盟 / 党建理事会). */
export async function addAllianceMember(db: Kysely<DB>, auth: AuthContext, code: string, memberCode: string, role: string, meta: RequestMeta): Promise<OrgDetailT> {
  const alliance = await loadInScope(db, auth, code);
  if (alliance.kind !== 'alliance') throw invalid('code', '只有党建联盟/理事会可以吸纳成员单位', 'not an alliance');
  // Any registered unit party org may join, wherever it sits: outside units are what alliances are for.
  const member = await repo.findOrg(db, memberCode, sql<SqlBool>`true`);
  if (!member || member.kind !== 'unit_org') throw invalid('memberCode', '成员必须是已登记的单位党组织', 'member must be a unit party org');
  await db.transaction().execute(async (trx) => {
    const added = await repo.addAllianceMember(trx, code, memberCode, role);
    if (!added) throw new AppError('CONFLICT', `${member.name} 已是该联盟成员`, { en: 'already a member' });
    await recordAudit(trx, auth, meta, { action: 'org.alliance_join', targetType: 'party_org', targetId: code, summary: { memberCode, role } });
  });
  return getOrg(db, auth, code);
}

export async function removeAllianceMember(db: Kysely<DB>, auth: AuthContext, code: string, memberCode: string, meta: RequestMeta): Promise<void> {
  const alliance = await loadInScope(db, auth, code);
  if (alliance.kind !== 'alliance') throw invalid('code', '不是党建联盟/理事会', 'not an alliance');
  await db.transaction().execute(async (trx) => {
    if (!(await repo.removeAllianceMember(trx, code, memberCode))) throw notFound('联盟成员', 'alliance member');
    await recordAudit(trx, auth, meta, { action: 'org.alliance_leave', targetType: 'party_org', targetId: code, summary: { memberCode } });
  });
}
