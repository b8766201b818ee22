/**
 * Rules of the three lists and co-build projects (三张清单, 共建项目, 公益众筹, C5): which community's needs and
 * projects a caller sees, how a need and a project move between states (the tables below are the only place
 * transitions are allowed), which units may claim a project, and how money is pledged and spent — the totals and
 * the "spent ≤ pledged" invariant are held by the database (triggers and a check constraint on coop_project).
 */
import ExcelJS from 'exceljs';
import type { Kysely, RawBuilder, SqlBool } from 'kysely';
import type { AuthContext, RequestMeta } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.js';
import { maskName } from '../../platform/pii.js';
import { recordAudit } from '../../platform/audit.js';
import { notify, transact } from '../../platform/notify.js';
import { orgScope, territoryPathInScope, territoryScope } from '../../platform/scope.js';
import { page } from '../../platform/schema.js';
import * as repo from './projects.repository.js';
import type {
  ClaimBodyT, CommunityListsT, CreateNeedBodyT, CreateProjectBodyT, NeedQueryT, NeedStatus, NeedT, OverviewT, PledgeBodyT, ProjectDetailT,
  ProjectItemT, ProjectQueryT, ProjectStatus, ProjectStatusBodyT, SpendingBodyT, UpdateNeedBodyT,
} from './projects.schema.js';

/** Allowed need transitions: open → in_project → met / closed (a closed need may be reopened). */
export const NEED_TRANSITIONS: Record<NeedStatus, readonly NeedStatus[]> = {
  open: ['in_project', 'met', 'closed'],
  in_project: ['open', 'met', 'closed'],
  met: [],
  closed: ['open'],
};

/** Allowed project transitions: published → claimed → in_progress → done, or cancelled before it is done. */
export const PROJECT_TRANSITIONS: Record<ProjectStatus, readonly ProjectStatus[]> = {
  published: ['claimed', 'cancelled'],
  claimed: ['in_progress', 'cancelled'],
  in_progress: ['done', 'cancelled'],
  done: [],
  cancelled: [],
};

export const NEED_STATUS_NAMES: Record<string, string> = { open: '待认领', in_project: '已立项', met: '已满足', closed: '已关闭' };
export const PROJECT_STATUS_NAMES: Record<string, string> = { published: '已发布', claimed: '已认领', in_progress: '实施中', done: '已完成', cancelled: '已取消' };
const CATEGORY_NAMES: Record<string, string> = {
  elderly: '为老服务', children: '儿童关爱', environment: '环境整治', facility: '设施改造', culture: '文体活动', safety: '平安建设', health: '健康服务', other: '其他',
};
const SOURCE_NAMES: Record<string, string> = { resident: '居民提出', visit: '走访收集', staff: '社区梳理', deliberation: '议事协商', order: '居民点单' };

const EXPORT_MAX_ROWS = 50_000;

// ── Who is calling ──────────────────────────────────────────────────────────
/** Staff (service:read / service:write, territory scope) or a unit party organisation (service:unit, its own org). */
type Caller = { kind: 'staff' } | { kind: 'unit'; orgCode: string };

function callerOf(auth: AuthContext, staffPermission: 'service:read' | 'service:write'): Caller {
  if (auth.permissions.has(staffPermission)) return { kind: 'staff' };
  if (auth.permissions.has('service:unit') && auth.orgCode) return { kind: 'unit', orgCode: auth.orgCode };
  throw forbidden(`没有权限（需要 ${staffPermission} 或 service:unit）`, `permission ${staffPermission} or service:unit required`);
}

/** The projects a caller sees: staff through their territory scope, a unit through `unitSees`. Over aliases p and c. */
function projectVisibility(auth: AuthContext, caller: Caller): RawBuilder<SqlBool> {
  return caller.kind === 'staff' ? territoryScope(auth, 'c.path') : repo.unitSees(caller.orgCode, 'p', 'c.path');
}

/** A community (or, with `anyKind`, any territory node) in the caller's scope, or 404 naming `field`. */
async function loadTerritory(db: Kysely<DB>, auth: AuthContext, code: string, field: string, anyKind = false): Promise<repo.CommunityRow> {
  const node = await repo.findTerritory(db, code);
  if (!node || (!anyKind && node.kind !== 'community') || !territoryPathInScope(auth, node.path)) throw notFound(anyKind ? '区域节点' : '社区', 'community', field);
  return node;
}

const iso = (v: Date | string) => new Date(v).toISOString();
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Money arrives as a JSON number: positive, at most two decimals (numeric(14,2)). */
function checkMoney(field: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!(value > 0) || Math.abs(Math.round(value * 100) - value * 100) > 1e-6) {
    throw invalid(field, '金额须大于 0，最多两位小数', 'a positive amount with at most two decimals');
  }
}

// ── Needs (需求清单) ─────────────────────────────────────────────────────────
function presentNeed(r: repo.NeedRow): NeedT {
  return {
    id: r.id, communityCode: r.community_code, communityName: r.community_name, title: r.title, description: r.description, category: r.category,
    source: r.source, beneficiaries: r.beneficiaries, status: r.status, projectCount: r.project_count, createdAt: iso(r.created_at),
  };
}

async function needFilter(db: Kysely<DB>, auth: AuthContext, query: NeedQueryT): Promise<repo.NeedFilter> {
  const filter: repo.NeedFilter = {};
  if (query.communityCode) filter.within = (await loadTerritory(db, auth, query.communityCode, 'communityCode', true)).path;
  if (query.status) filter.status = query.status;
  if (query.category) filter.category = query.category;
  return filter;
}

/** Needs in the caller's scope, newest first, filtered by community (or any area above), status and category. */
export async function listNeeds(db: Kysely<DB>, auth: AuthContext, query: NeedQueryT, limit: number, after: unknown[] | null) {
  const filter = await needFilter(db, auth, query);
  const rows = await repo.listNeeds(db, filter, territoryScope(auth, 'c.path'), limit, after ? Number(after[0]) : null);
  const result = page(rows, limit, (r) => [r.id]);
  return { items: result.items.map(presentNeed), nextCursor: result.nextCursor };
}

/** The same list as an .xlsx workbook (需求清单). */
export async function exportNeeds(db: Kysely<DB>, auth: AuthContext, query: NeedQueryT): Promise<Buffer> {
  const filter = await needFilter(db, auth, query);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('需求清单');
  sheet.columns = [
    { header: '序号', key: 'n', width: 8 }, { header: '社区', key: 'community', width: 14 }, { header: '需求', key: 'title', width: 30 },
    { header: '类别', key: 'category', width: 10 }, { header: '来源', key: 'source', width: 10 }, { header: '受益人数', key: 'beneficiaries', width: 10 },
    { header: '状态', key: 'status', width: 10 }, { header: '立项数', key: 'projects', width: 8 }, { header: '登记时间', key: 'createdAt', width: 20 },
    { header: '说明', key: 'description', width: 40 },
  ];
  let before: number | null = null;
  let n = 0;
  for (;;) {
    const rows = await repo.listNeeds(db, filter, territoryScope(auth, 'c.path'), 1000, before);
    for (const r of rows.slice(0, 1000)) {
      sheet.addRow({ n: ++n, community: r.community_name, title: r.title, category: CATEGORY_NAMES[r.category] ?? r.category,
        source: SOURCE_NAMES[r.source] ?? r.source, beneficiaries: r.beneficiaries, status: NEED_STATUS_NAMES[r.status] ?? r.status,
        projects: r.project_count, createdAt: iso(r.created_at).slice(0, 19).replace('T', ' '), description: r.description });
      if (n >= EXPORT_MAX_ROWS) break;
    }
    if (rows.length <= 1000 || n >= EXPORT_MAX_ROWS) break;
    before = rows[999]!.id;
  }
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function loadNeed(db: Kysely<DB>, auth: AuthContext, id: number, field?: string): Promise<repo.NeedRow> {
  const need = await repo.findNeed(db, id);
  if (!need || !territoryPathInScope(auth, need.community_path)) throw notFound('需求', 'need', field);
  return need;
}

export async function getNeed(db: Kysely<DB>, auth: AuthContext, id: number): Promise<NeedT> {
  return presentNeed(await loadNeed(db, auth, id));
}

/** Records a need of a community in scope; audited. */
export async function createNeed(db: Kysely<DB>, auth: AuthContext, body: CreateNeedBodyT, meta: RequestMeta): Promise<NeedT> {
  const title = body.title.trim();
  if ([...title].length < 2) throw invalid('title', '请填写需求名称（至少 2 个字）', 'a title of at least 2 characters');
  const community = await loadTerritory(db, auth, body.communityCode, 'communityCode');
  const id = await db.transaction().execute(async (trx) => {
    const needId = await repo.insertNeed(trx, { communityCode: community.code, title, description: body.description?.trim() ?? '',
      category: body.category, source: body.source ?? 'staff', beneficiaries: body.beneficiaries ?? null, createdBy: auth.userId });
    await recordAudit(trx, auth, meta, { action: 'need.create', targetType: 'community_need', targetId: needId,
      summary: { communityCode: community.code, title, category: body.category } });
    return needId;
  });
  return presentNeed((await repo.findNeed(db, id))!);
}

/** Edits a need; a status change must follow NEED_TRANSITIONS (409 INVALID_TRANSITION otherwise). Audited with the changes. */
export async function updateNeed(db: Kysely<DB>, auth: AuthContext, id: number, body: UpdateNeedBodyT, meta: RequestMeta): Promise<NeedT> {
  await loadNeed(db, auth, id);
  const changes: Parameters<typeof repo.updateNeed>[2] = {};
  if (body.title !== undefined) {
    const title = body.title.trim();
    if ([...title].length < 2) throw invalid('title', '请填写需求名称（至少 2 个字）', 'a title of at least 2 characters');
    changes.title = title;
  }
  if (body.description !== undefined) changes.description = body.description.trim();
  if (body.category !== undefined) changes.category = body.category;
  if (body.beneficiaries !== undefined) changes.beneficiaries = body.beneficiaries;
  await db.transaction().execute(async (trx) => {
    const need = (await repo.findNeed(trx, id, true))!;
    const summary: Record<string, unknown> = {};
    if (body.status !== undefined && body.status !== need.status) {
      if (!NEED_TRANSITIONS[need.status as NeedStatus].includes(body.status as NeedStatus)) {
        throw new AppError('INVALID_TRANSITION', `需求状态不能从“${NEED_STATUS_NAMES[need.status]}”改为“${NEED_STATUS_NAMES[body.status]}”`,
          { en: `a need cannot go from ${need.status} to ${body.status}` });
      }
      changes.status = body.status;
      summary.status = [need.status, body.status];
    }
    for (const key of ['title', 'description', 'category', 'beneficiaries'] as const) {
      if (changes[key] !== undefined && changes[key] !== need[key]) summary[key] = [need[key], changes[key]];
    }
    if (Object.keys(changes).length > 0) await repo.updateNeed(trx, id, changes);
    await recordAudit(trx, auth, meta, { action: 'need.update', targetType: 'community_need', targetId: id, summary });
  });
  return presentNeed((await repo.findNeed(db, id))!);
}

// ── Projects (项目清单, 共建项目, 公益众筹) ────────────────────────────────────
function progressOf(r: { target_amount: number | null; pledged_amount: number; spent_amount: number }) {
  return {
    pledged: r.target_amount ? Math.round((r.pledged_amount / r.target_amount) * 10000) / 10000 : null,
    spent: r.pledged_amount > 0 ? Math.round((r.spent_amount / r.pledged_amount) * 10000) / 10000 : null,
  };
}

function presentProject(r: repo.ProjectRow): ProjectItemT {
  return {
    id: r.id, communityCode: r.community_code, communityName: r.community_name, needId: r.need_id, needTitle: r.need_title,
    title: r.title, description: r.description, kind: r.kind, status: r.status,
    targetAmount: r.target_amount, pledgedAmount: r.pledged_amount, spentAmount: r.spent_amount, progress: progressOf(r),
    startsOn: r.starts_on, endsOn: r.ends_on, unitCount: r.unit_count, leadUnit: r.lead_unit, pledgeCount: r.pledge_count, createdAt: iso(r.created_at),
  };
}

/**
 * Projects the caller sees. Staff: every project in their territory scope. A unit party organisation: the projects
 * in its reach it may still claim (可认领项目); its own claimed projects are `listMyProjects`.
 */
export async function listProjects(db: Kysely<DB>, auth: AuthContext, query: ProjectQueryT, limit: number, after: unknown[] | null) {
  const caller = callerOf(auth, 'service:read');
  const filter: repo.ProjectFilter = {};
  if (query.communityCode) {
    const node = caller.kind === 'staff' ? await loadTerritory(db, auth, query.communityCode, 'communityCode', true) : await repo.findTerritory(db, query.communityCode);
    if (!node) throw notFound('区域节点', 'territory node', 'communityCode');
    filter.within = node.path;
  }
  if (query.status) filter.status = query.status;
  if (query.kind) filter.kind = query.kind;
  if (caller.kind === 'unit') filter.notJoinedBy = caller.orgCode;
  const rows = await repo.listProjects(db, filter, projectVisibility(auth, caller), limit, after ? Number(after[0]) : null);
  const result = page(rows, limit, (r) => [r.id]);
  return { items: result.items.map(presentProject), nextCursor: result.nextCursor };
}

/** The projects the calling unit has claimed (我单位认领的项目). */
export async function listMyProjects(db: Kysely<DB>, auth: AuthContext, limit: number, after: unknown[] | null) {
  if (!auth.orgCode) throw forbidden('您的账号未关联单位党组织', 'your account acts for no unit organisation');
  const rows = await repo.listProjects(db, { joinedBy: auth.orgCode }, repo.unitSees(auth.orgCode, 'p', 'c.path'), limit, after ? Number(after[0]) : null);
  const result = page(rows, limit, (r) => [r.id]);
  return { items: result.items.map(presentProject), nextCursor: result.nextCursor };
}

async function loadProject(db: Kysely<DB>, auth: AuthContext, caller: Caller, id: number): Promise<repo.ProjectRow> {
  const row = await repo.findProject(db, id, projectVisibility(auth, caller));
  if (!row) throw notFound('项目', 'project');
  return row;
}

async function presentDetail(db: Kysely<DB>, row: repo.ProjectRow, caller: Caller): Promise<ProjectDetailT> {
  const [units, pledges, spending] = await Promise.all([repo.listUnits(db, row.id), repo.listPledges(db, row.id), repo.listSpending(db, row.id)]);
  const joined = caller.kind === 'unit' && units.some((u) => u.org_code === caller.orgCode);
  return {
    ...presentProject(row),
    units: units.map((u) => ({ orgCode: u.org_code, orgName: u.org_name, unitName: u.unit_name, role: u.role, commitment: u.commitment, claimedAt: iso(u.claimed_at) })),
    // An individual donor is a person: the name is masked; a unit's name is not personal data.
    pledges: pledges.map((p) => ({ id: p.id, orgCode: p.org_code, donorName: p.org_code ? p.donor_name : maskName(p.donor_name) ?? '', amount: p.amount, pledgedAt: iso(p.pledged_at) })),
    spending: spending.map((s) => ({ id: s.id, amount: s.amount, purpose: s.purpose, spentOn: s.spent_on,
      evidence: Array.isArray(s.evidence) ? s.evidence.map(String) : [], recordedAt: iso(s.recorded_at) })),
    nextStatuses: caller.kind === 'staff' ? [...PROJECT_TRANSITIONS[row.status as ProjectStatus]] : [],
    claimable: caller.kind === 'unit' && !joined && (repo.CLAIMABLE as readonly string[]).includes(row.status),
  };
}

/** One project with its units, pledges, spending and progress. */
export async function getProject(db: Kysely<DB>, auth: AuthContext, id: number): Promise<ProjectDetailT> {
  const caller = callerOf(auth, 'service:read');
  return presentDetail(db, await loadProject(db, auth, caller, id), caller);
}

/**
 * Publishes a project of a community in scope. A crowd-funded project needs a target amount; a project made from
 * a need moves that need to in_project (through NEED_TRANSITIONS). Audited.
 */
export async function createProject(db: Kysely<DB>, auth: AuthContext, body: CreateProjectBodyT, meta: RequestMeta): Promise<ProjectDetailT> {
  const title = body.title.trim();
  if ([...title].length < 2) throw invalid('title', '请填写项目名称（至少 2 个字）', 'a title of at least 2 characters');
  if (body.kind === 'crowdfunding' && body.targetAmount === undefined) throw invalid('targetAmount', '公益众筹项目须填写目标金额', 'a crowd-funded project needs a target amount');
  checkMoney('targetAmount', body.targetAmount);
  if (body.startsOn && body.endsOn && body.endsOn < body.startsOn) throw invalid('endsOn', '结束日期不能早于开始日期', 'ends before it starts');
  const community = await loadTerritory(db, auth, body.communityCode, 'communityCode');
  const id = await db.transaction().execute(async (trx) => {
    let needBefore: string | null = null;
    if (body.needId !== undefined) {
      const need = await repo.findNeed(trx, body.needId, true);
      if (!need || need.community_code !== community.code) throw notFound('该社区的需求', 'need of that community', 'needId');
      needBefore = need.status;
      if (need.status !== 'in_project') {
        if (!NEED_TRANSITIONS[need.status as NeedStatus].includes('in_project')) {
          throw new AppError('INVALID_TRANSITION', `需求已${NEED_STATUS_NAMES[need.status]}，不能再立项`, { en: `the need is ${need.status}` });
        }
        await repo.updateNeed(trx, need.id, { status: 'in_project' });
      }
    }
    const projectId = await repo.insertProject(trx, { communityCode: community.code, needId: body.needId ?? null, title,
      description: body.description?.trim() ?? '', kind: body.kind, targetAmount: body.targetAmount ?? null,
      startsOn: body.startsOn ?? null, endsOn: body.endsOn ?? null, createdBy: auth.userId });
    await recordAudit(trx, auth, meta, { action: 'project.create', targetType: 'coop_project', targetId: projectId,
      summary: { communityCode: community.code, title, kind: body.kind, targetAmount: body.targetAmount ?? null, needId: body.needId ?? null,
        ...(needBefore && needBefore !== 'in_project' ? { needStatus: [needBefore, 'in_project'] } : {}) } });
    return projectId;
  });
  return presentDetail(db, (await repo.findProject(db, id))!, { kind: 'staff' });
}

/**
 * Moves a project along PROJECT_TRANSITIONS (409 INVALID_TRANSITION otherwise). "claimed" needs a unit; when a
 * project made from a need is done the need is met, when it is cancelled the need is open again (unless another
 * project still works on it). Audited.
 */
export async function changeProjectStatus(db: Kysely<DB>, auth: AuthContext, id: number, body: ProjectStatusBodyT, meta: RequestMeta): Promise<ProjectDetailT> {
  await loadProject(db, auth, { kind: 'staff' }, id);
  await db.transaction().execute(async (trx) => {
    const project = (await repo.lockProject(trx, id))!;
    const from = project.status as ProjectStatus;
    if (!PROJECT_TRANSITIONS[from].includes(body.status as ProjectStatus)) {
      throw new AppError('INVALID_TRANSITION', `项目状态不能从“${PROJECT_STATUS_NAMES[from]}”改为“${PROJECT_STATUS_NAMES[body.status]}”`,
        { en: `a project cannot go from ${from} to ${body.status}` });
    }
    if (body.status === 'claimed' && (await repo.listUnits(trx, id)).length === 0) {
      throw new AppError('INVALID_TRANSITION', '尚无单位认领，不能标记为已认领', { en: 'no unit has claimed the project' });
    }
    await repo.setProjectStatus(trx, id, body.status);
    const summary: Record<string, unknown> = { status: [from, body.status], note: body.note ?? null };
    if (project.need_id !== null && (body.status === 'done' || body.status === 'cancelled')) {
      const need = (await repo.findNeed(trx, project.need_id, true))!;
      const next: NeedStatus | null = body.status === 'done' ? 'met'
        : (await repo.countActiveProjectsOfNeed(trx, project.need_id, id)) === 0 ? 'open' : null;
      if (need.status === 'in_project' && next && NEED_TRANSITIONS.in_project.includes(next)) {
        await repo.updateNeed(trx, need.id, { status: next });
        summary.need = { id: need.id, status: ['in_project', next] };
      }
    }
    await recordAudit(trx, auth, meta, { action: 'project.status', targetType: 'coop_project', targetId: id, summary });
  });
  return presentDetail(db, (await repo.findProject(db, id))!, { kind: 'staff' });
}

/** The unit organisation a claim or pledge is for: the calling unit itself, or a unit named by staff (visible to them). */
async function resolveUnit(db: Kysely<DB>, auth: AuthContext, caller: Caller, project: repo.ProjectRow, orgCode: string | undefined,
  required: boolean): Promise<repo.OrgRow | null> {
  if (caller.kind === 'unit') {
    if (orgCode !== undefined && orgCode !== caller.orgCode) throw forbidden('单位只能为本单位认领或认捐', 'a unit acts only for itself');
    return (await repo.findOrg(db, caller.orgCode, orgScope(auth, 'o'), null))!;
  }
  if (orgCode === undefined) {
    if (required) throw invalid('orgCode', '请选择认领单位', 'name the unit organisation');
    return null;
  }
  // Staff name a unit they can see, or one that reaches the project's community (a street alliance's member).
  const org = await repo.findOrg(db, orgCode, orgScope(auth, 'o'), project.community_path);
  if (!org || !org.visible) throw notFound('单位党组织', 'unit organisation', 'orgCode');
  if (org.kind !== 'unit_org') throw invalid('orgCode', '只有单位党组织可以认领或认捐', 'only unit party organisations claim or pledge');
  return org;
}

/**
 * A unit claims a project (认领): the unit party org for itself (service:unit; the project must be in its reach —
 * `unitReaches`), or staff (service:write) for a unit they name. The first claimer leads; a unit claims once
 * (409 ALREADY_DONE); the first claim moves the project published → claimed. Serialised by the project row lock.
 */
export async function claimProject(db: Kysely<DB>, auth: AuthContext, id: number, body: ClaimBodyT, meta: RequestMeta) {
  const caller = callerOf(auth, 'service:write');
  const project = await loadProject(db, auth, caller, id);
  const org = (await resolveUnit(db, auth, caller, project, body.orgCode, true))!;
  const commitment = body.commitment?.trim() ?? '';
  const claimedAt = await transact(db, async (trx, onCommit) => {
    const project = (await repo.lockProject(trx, id))!;
    const units = await repo.listUnits(trx, id);
    if (units.some((u) => u.org_code === org.code)) {
      throw new AppError('ALREADY_DONE', `${org.name}已认领该项目`, { en: 'this unit has already claimed the project' });
    }
    if (!(repo.CLAIMABLE as readonly string[]).includes(project.status)) {
      throw new AppError('INVALID_TRANSITION', `项目${PROJECT_STATUS_NAMES[project.status]}，不能再认领`, { en: `the project is ${project.status}` });
    }
    const role = units.length === 0 ? 'lead' : 'co_builder';
    await repo.insertUnit(trx, { projectId: id, orgCode: org.code, role, commitment, claimedBy: auth.userId });
    const summary: Record<string, unknown> = { orgCode: org.code, role, commitment };
    if (project.status === 'published' && PROJECT_TRANSITIONS.published.includes('claimed')) {
      await repo.setProjectStatus(trx, id, 'claimed');
      summary.status = ['published', 'claimed'];
    }
    await recordAudit(trx, auth, meta, { action: 'project.claim', targetType: 'coop_project', targetId: id, summary });
    if (project.created_by !== null && project.created_by !== auth.userId) {
      await notify(trx, onCommit, { kind: 'system', title: `${org.name}认领了项目“${project.title}”`, body: commitment,
        link: `/service/lists?project=${id}`, refType: 'coop_project', refId: id, recipientUserId: project.created_by });
    }
    return (await repo.findUnit(trx, id, org.code))!.claimed_at;
  });
  const status = (await repo.findProject(db, id))!.status;
  return { projectId: id, orgCode: org.code, orgName: org.name, role: (await repo.findUnit(db, id, org.code))!.role, status, claimedAt: iso(claimedAt) };
}

/** Records a pledge (认捐): staff for any donor, a unit for itself. The project's pledged total follows (trigger). Audited. */
export async function pledge(db: Kysely<DB>, auth: AuthContext, id: number, body: PledgeBodyT, meta: RequestMeta) {
  const caller = callerOf(auth, 'service:write');
  checkMoney('amount', body.amount);
  const donorName = body.donorName.trim();
  if (!donorName) throw invalid('donorName', '请填写认捐方', 'donor name is required');
  const project = await loadProject(db, auth, caller, id);
  const org = await resolveUnit(db, auth, caller, project, body.orgCode, false);
  const pledgeId = await db.transaction().execute(async (trx) => {
    const project = (await repo.lockProject(trx, id))!;
    if (project.status === 'done' || project.status === 'cancelled') {
      throw new AppError('CONFLICT', `项目${PROJECT_STATUS_NAMES[project.status]}，不再接受认捐`, { en: `the project is ${project.status}` });
    }
    const newId = await repo.insertPledge(trx, { projectId: id, orgCode: org?.code ?? null, donorName, amount: round2(body.amount), recordedBy: auth.userId });
    await recordAudit(trx, auth, meta, { action: 'project.pledge', targetType: 'coop_project', targetId: id,
      summary: { pledgeId: newId, orgCode: org?.code ?? null, amount: round2(body.amount) } });
    return newId;
  });
  const totals = await repo.projectTotals(db, id);
  return { id: pledgeId, projectId: id, amount: round2(body.amount), pledgedAmount: totals.pledged_amount, spentAmount: totals.spent_amount };
}

const overspent = (e: unknown) => {
  const err = e as { code?: string; message?: string; constraint?: string };
  return err?.code === '23514' && `${err.constraint ?? ''} ${err.message ?? ''}`.includes('coop_project');
};

/**
 * Records spending (支出) with its evidence files. The database refuses spending beyond the pledged total (check
 * constraint spent_amount <= pledged_amount); that refusal answers 409 CONFLICT and records nothing. Audited.
 */
export async function spend(db: Kysely<DB>, auth: AuthContext, id: number, body: SpendingBodyT, meta: RequestMeta) {
  checkMoney('amount', body.amount);
  const purpose = body.purpose.trim();
  if ([...purpose].length < 2) throw invalid('purpose', '请填写支出用途（至少 2 个字）', 'a purpose of at least 2 characters');
  const evidence = body.evidence ?? [];
  await loadProject(db, auth, { kind: 'staff' }, id);
  if ((await repo.countFiles(db, evidence)) !== evidence.length) throw invalid('evidence', '凭证文件不存在，请重新上传', 'unknown evidence file');
  let spendingId: number;
  try {
    spendingId = await db.transaction().execute(async (trx) => {
      const project = (await repo.lockProject(trx, id))!;
      if (project.status === 'cancelled') throw new AppError('CONFLICT', '项目已取消，不能登记支出', { en: 'the project is cancelled' });
      const newId = await repo.insertSpending(trx, { projectId: id, amount: round2(body.amount), purpose, spentOn: body.spentOn, evidence, recordedBy: auth.userId });
      await recordAudit(trx, auth, meta, { action: 'project.spend', targetType: 'coop_project', targetId: id,
        summary: { spendingId: newId, amount: round2(body.amount), purpose, spentOn: body.spentOn, evidence } });
      return newId;
    });
  } catch (e) {
    if (!overspent(e)) throw e;
    const totals = await repo.projectTotals(db, id);
    throw new AppError('CONFLICT', `资金支出不能超过已认捐金额（已认捐 ${totals.pledged_amount.toFixed(2)} 元，已支出 ${totals.spent_amount.toFixed(2)} 元）`,
      { en: 'spending cannot exceed the pledged amount', field: 'amount' });
  }
  const totals = await repo.projectTotals(db, id);
  return { id: spendingId, projectId: id, amount: round2(body.amount), pledgedAmount: totals.pledged_amount, spentAmount: totals.spent_amount };
}

// ── Lists summary and overview ─────────────────────────────────────────────
const counts = (rows: { key: string; count: number }[] | null) => rows ?? [];

/** The three lists of one community (需求清单, 资源清单, 项目清单): figures by SQL aggregates and the latest entries. */
export async function communityLists(db: Kysely<DB>, auth: AuthContext, code: string): Promise<CommunityListsT> {
  const community = await loadTerritory(db, auth, code, 'code');
  const scope = territoryScope(auth, 'c.path');
  const [figures, needs, resources, projects] = await Promise.all([
    repo.communityListFigures(db, code),
    repo.listNeeds(db, { communityCode: code }, scope, 5, null),
    repo.latestResources(db, code, 5),
    repo.listProjects(db, { within: community.path }, scope, 5, null),
  ]);
  const sum = (rows: { count: number }[]) => rows.reduce((a, r) => a + r.count, 0);
  return {
    communityCode: community.code, communityName: community.name,
    needs: { total: sum(counts(figures.needs_by_status)), byStatus: counts(figures.needs_by_status), byCategory: counts(figures.needs_by_category),
      latest: needs.slice(0, 5).map(presentNeed) },
    resources: { total: sum(counts(figures.resources_by_kind)), byKind: counts(figures.resources_by_kind),
      latest: resources.map((r) => ({ id: r.id, kind: r.kind, name: r.name, providerOrg: r.provider_org, providerName: r.provider_name,
        quantity: r.quantity, unit: r.unit, status: r.status, createdAt: iso(r.created_at) })) },
    projects: { total: sum(counts(figures.projects_by_status)), byStatus: counts(figures.projects_by_status), byKind: counts(figures.projects_by_kind),
      pledgedAmount: figures.pledged, spentAmount: figures.spent, targetAmount: figures.target, unitsInvolved: figures.units,
      latest: projects.slice(0, 5).map(presentProject) },
  };
}

/** The unit party organisations that may claim a community's projects (in an alliance serving it, or located in it). */
export async function reachingUnits(db: Kysely<DB>, auth: AuthContext, code: string) {
  const community = await loadTerritory(db, auth, code, 'code');
  const rows = await repo.unitsReaching(db, community.path);
  return { items: rows.map((r) => ({ orgCode: r.code, name: r.name, unitName: r.unit_name, located: r.located, alliances: r.alliances ?? [] })) };
}

/** Per community under the scope node (default: the caller's scope): open needs, projects by status, money, units. */
export async function overview(db: Kysely<DB>, auth: AuthContext, scopeCode: string | undefined): Promise<OverviewT> {
  const within = scopeCode ? (await loadTerritory(db, auth, scopeCode, 'scopeCode', true)).path : null;
  const rows = await repo.overview(db, within, territoryScope(auth, 'c.path'));
  const items = rows.map((r) => ({
    communityCode: r.community_code, communityName: r.community_name, streetName: r.street_name, openNeeds: r.open_needs, needs: r.needs,
    projects: r.projects, projectsByStatus: { published: r.published, claimed: r.claimed, in_progress: r.in_progress, done: r.done, cancelled: r.cancelled },
    pledgedAmount: r.pledged, spentAmount: r.spent, unitsInvolved: r.units,
  }));
  return {
    scopeCode: scopeCode ?? null, items,
    totals: {
      openNeeds: items.reduce((a, i) => a + i.openNeeds, 0), projects: items.reduce((a, i) => a + i.projects, 0),
      pledgedAmount: round2(items.reduce((a, i) => a + i.pledgedAmount, 0)), spentAmount: round2(items.reduce((a, i) => a + i.spentAmount, 0)),
      unitsInvolved: rows[0]?.total_units ?? 0,
    },
  };
}
