/**
 * The case loop (一网统管, 吹哨报到, C6): a report from any channel is located and routed to its micro-grid, then
 * 受理立案 → 处置 (the micro-grid worker; 会商 by the grid leader; 上报 to the community and the street; 交办 to a
 * department; 吹哨 to departments who must 报到 and 反馈) → 核查 by the seat above → 评价 by the reporter (or the
 * grid's residents) → 结案. Which action leads from which state, and which seat may take it, is data
 * (`case_transition`); this file decides which seats the caller holds for a case and what each action changes
 * besides the state. Every action writes the case (guarded by the state it starts from), a step, an audit record
 * and the notifications in one transaction. Deadlines are computed in working days (platform/workdays.ts).
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { AuthContext, RequestMeta } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { maskName, maskMobile } from '../../platform/pii.js';
import { announce, deliveryChannels, inOneStatement, notify, transact, type OnCommit } from '../../platform/notify.js';
import { decodeCursor, page } from '../../platform/schema.js';
import { EXPORT_MAX_ROWS, xlsxOf } from '../../platform/xlsx.js';
import { isGridWorker, isPropertyPartner, territoryPathInScope, territoryScope } from '../../platform/scope.js';
import { addWorkdays, beijingDate, endOfBeijingDay, loadCalendar, startOfBeijingDay } from '../../platform/workdays.js';
import { missingFiles } from '../files/files.service.js';
import { clockedCase, departmentMeasureFilter, measureFilter, measures, openCase, overdueCase, type Measure } from './cases.measures.js';
import * as repo from './cases.repository.js';
import { executePrepared } from '../../platform/db/prepared.js';
import { mapFeatures } from '../territory/territory.repository.js';
import type {
  ActionBodyT, ActorKind, CaseDetailT, CaseItemT, CaseListQueryT, CaseStepT, Channel, CreateCaseBodyT, CreatedCaseT, PropertyCaseQueryT,
  PropertySummaryT, Tier,
} from './cases.schema.js';

type Q = Kysely<DB> | Transaction<DB>;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const isoOf = (d: Date | string) => new Date(d).toISOString();

export const CHANNEL_NAMES: Record<Channel, string> = {
  h5: '随手拍', patrol: '网格巡查', wish: '心愿墙', camera: '视频识别', hotline: '12345 热线', open311: 'Open311', web: '窗口登记',
};
/** The ladder of territorial seats, lowest first; a seat's depth is its nlevel in the territory tree. */
const LADDER = ['micro_grid', 'grid', 'community', 'street'] as const;
type TerritoryTier = (typeof LADDER)[number];
const TIER_DEPTH: Record<TerritoryTier, number> = { micro_grid: 5, grid: 4, community: 3, street: 2 };

const fileList = (ids: unknown) => (Array.isArray(ids) ? (ids as string[]) : []).map((id) => ({ id, url: `/api/v1/files/${id}` }));

/** The node of a tier on a case's own ancestry (routing is by position, so a tier has exactly one node). */
function tierNode(c: Pick<repo.CaseRow, 'micro_grid_code' | 'grid_code' | 'community_code' | 'street_code'>, tier: TerritoryTier): string | null {
  return { micro_grid: c.micro_grid_code, grid: c.grid_code, community: c.community_code, street: c.street_code }[tier];
}

export function presentCase(c: repo.CaseRow, now = new Date()): CaseItemT {
  const reporter = c.reporter_display ?? c.reporter_name;
  return {
    id: c.id, serviceNo: c.service_no, channel: c.channel, channelName: CHANNEL_NAMES[c.channel as Channel] ?? c.channel,
    categoryCode: c.category_code, categoryName: c.category_name, majorName: c.major_name, kind: c.kind,
    description: c.description, address: c.address, lng: c.lng, lat: c.lat,
    streetCode: c.street_code, streetName: c.street_name, communityCode: c.community_code, communityName: c.community_name,
    gridCode: c.grid_code, gridName: c.grid_name, microGridCode: c.micro_grid_code, microGridName: c.micro_grid_name,
    state: c.state, stateName: c.state_name, handlerTier: c.handler_tier, handlerCode: c.handler_code, handlerName: c.handler_name,
    reporterName: maskName(reporter), photos: fileList(c.photos), resultPhotos: fileList(c.result_photos),
    reportedAt: isoOf(c.reported_at), stepDeadline: isoOf(c.step_deadline), deadline: isoOf(c.handle_deadline ?? c.accept_deadline),
    overdue: !c.terminal && c.state !== 'rating' && new Date(c.step_deadline) < now,
    card: c.card as CaseItemT['card'], satisfaction: c.satisfaction, reopenCount: c.reopen_count, followers: c.followers,
    duplicateOf: c.duplicate_of_hint, updatedAt: isoOf(c.updated_at),
  };
}

// ─── Seats: who the caller is for a case ───────────────────────────────────

/** The depth of the caller's desk: 1 for a district-wide scope, 2 street, 3 community, 4 grid (min over scope roots). */
function deskDepths(auth: AuthContext): number[] {
  if (auth.scope.kind === 'all') return [1];
  if (auth.scope.kind === 'self') return [];
  return auth.scope.paths.map((p) => p.split('.').length);
}

/** Whether the caller sits at a territorial seat: the grid worker over a (micro-)grid, the desk of a community or street. */
function holdsTerritorySeat(auth: AuthContext, tier: TerritoryTier, nodePath: string | null): boolean {
  if (!nodePath) return false;
  if (tier === 'micro_grid' || tier === 'grid') return isGridWorker(auth) && territoryPathInScope(auth, nodePath);
  if (!auth.permissions.has('case:desk')) return false;
  const depth = TIER_DEPTH[tier];
  return auth.scope.kind !== 'self' && auth.scope.kind !== 'all' && auth.scope.paths.includes(nodePath) && nodePath.split('.').length === depth;
}

/**
 * The seat above the handler: the community desk over a (micro-)grid or a property company, the street desk over a community, the
 * district over a street; over a department, the desk that handed it the case (or the street). Any desk higher
 * up the same branch supervises too.
 */
function holdsSuperiorSeat(auth: AuthContext, c: repo.CaseRow): boolean {
  if (!auth.permissions.has('case:desk') && !auth.permissions.has('case:supervise')) return false;
  const handlerDepth = c.handler_tier === 'department'
    ? (c.assigned_by_tier && c.assigned_by_tier in TIER_DEPTH ? TIER_DEPTH[c.assigned_by_tier as TerritoryTier] + 1 : 3)
    : TIER_DEPTH[c.handler_tier as TerritoryTier];
  // a compound's property company answers to its community, as the grids do
  const maxDepth = c.handler_tier === 'micro_grid' || c.handler_tier === 'property' ? 3 : handlerDepth - 1;
  if (auth.scope.kind === 'all') return true;
  return deskDepths(auth).some((d, i) => d <= maxDepth && c.territory_path.startsWith(auth.scope.paths[i]!));
}

export interface Seats { kinds: Set<ActorKind>; visible: boolean; whistleId: number | null }

export async function seatsFor(db: Q, auth: AuthContext, c: repo.CaseRow): Promise<Seats> {
  const kinds = new Set<ActorKind>();
  let whistleId: number | null = null;
  const selfReported = c.reporter_user_id !== null && c.reporter_user_id === auth.userId;
  if (selfReported) kinds.add('reporter');
  if (c.handler_tier === 'department') {
    if (auth.permissions.has('case:department') && auth.departmentCode === c.handler_code) kinds.add('handler');
  } else if (c.handler_tier === 'property') {
    // the property company of the compound: a seat of its own, whose actions are the table's 'property' rows
    if (c.handler_path && isPropertyPartner(auth) && territoryPathInScope(auth, c.handler_path)) kinds.add('property');
  } else if (holdsTerritorySeat(auth, c.handler_tier as TerritoryTier, c.handler_path)) {
    kinds.add('handler');
  }
  if (holdsSuperiorSeat(auth, c)) kinds.add('superior');
  let involved = false;
  if (auth.permissions.has('case:department') && auth.departmentCode) {
    const w = await repo.openWhistle(db, c.id, auth.departmentCode);
    if (w) { kinds.add('department'); whistleId = w.id; }
    involved = w !== undefined || kinds.has('handler') || await repo.departmentInvolved(db, c.id, auth.departmentCode);
  }
  if (c.state === 'rating') {
    const byResidents = c.channel === 'patrol' || c.channel === 'camera' || c.reporter_user_id === null;
    if (byResidents ? (auth.personId !== null && c.grid_code !== null && await repo.livesInGrid(db, auth.personId, c.grid_code)) : selfReported) {
      kinds.add('rater');
    }
  }
  const inScope = auth.permissions.has('case:read') && territoryPathInScope(auth, c.territory_path) && !auth.departmentCode && !isPropertyPartner(auth);
  return { kinds, visible: kinds.size > 0 || inScope || involved, whistleId };
}

async function loadVisible(db: Q, auth: AuthContext, id: number) {
  const c = await repo.findCase(db, id);
  if (!c) throw notFound('案件', 'case');
  const seats = await seatsFor(db, auth, c);
  if (!seats.visible) throw notFound('案件', 'case');
  return { c, seats };
}

// ─── Reads ──────────────────────────────────────────────────────────────────

function presentStep(s: repo.StepRow): CaseStepT {
  const actorName = s.actor_kind === 'system' ? '系统' : s.actor_staff ? s.actor_name : maskName(s.actor_name);
  return {
    id: s.id, action: s.action, actionName: s.action_name ?? (s.action === 'report' ? '上报' : s.action), from: s.from_state, to: s.to_state,
    actorKind: s.actor_kind, actorName, actorOrg: s.actor_org, tierFrom: s.tier_from, tierTo: s.tier_to, target: s.target, targetName: s.target_name,
    note: s.note, photos: fileList(s.photos), deadline: iso(s.deadline), at: isoOf(s.at),
  };
}

export async function getCase(db: Kysely<DB>, auth: AuthContext, id: number): Promise<CaseDetailT> {
  const { c, seats } = await loadVisible(db, auth, id);
  return detailOf(db, c, seats);
}

async function detailOf(db: Kysely<DB>, c: repo.CaseRow, seats: Seats): Promise<CaseDetailT> {
  const [steps, whistles, consultations, extensions, cards, transitions, pol] = await Promise.all([
    repo.listSteps(db, c.id), repo.listWhistles(db, c.id), repo.listConsultations(db, c.id), repo.listExtensions(db, c.id),
    repo.listCards(db, c.id), repo.transitionsFrom(db, c.state), repo.policy(db),
  ]);
  const duplicates = c.state === 'reported' && c.lng !== null && c.lat !== null
    ? await repo.nearbyOpen(db, { categoryCode: c.category_code, lng: c.lng, lat: c.lat, radiusM: pol.duplicate_radius_m,
      since: new Date(new Date(c.reported_at).getTime() - pol.duplicate_window_hours * 3600_000), excludeId: c.id })
    : [];
  const pending = extensions.some((e) => e.decision === null);
  const seen = new Set<string>();
  const allowed = transitions.filter((t) => seats.kinds.has(t.actor as ActorKind) && t.actor !== 'system' && t.action !== 'reopen'
    && applicable(t, c, seats, pending) === true)
    .filter((t) => !seen.has(t.action) && seen.add(t.action));
  return {
    case: presentCase(c),
    steps: steps.map(presentStep),
    whistles: whistles.map((w) => ({ id: w.id, departmentCode: w.department_code, departmentName: w.department_name, blownAt: isoOf(w.blown_at),
      reportInDeadline: isoOf(w.report_in_deadline), reportedInAt: iso(w.reported_in_at), respondDeadline: isoOf(w.respond_deadline),
      respondedAt: iso(w.responded_at), response: w.response, card: w.card })),
    consultations: consultations.map((k) => ({ id: k.id, heldAt: isoOf(k.held_at), participants: k.participants, conclusion: k.conclusion })),
    extensions: extensions.map((e) => ({ id: e.id, days: e.days, reason: e.reason, requestedAt: isoOf(e.requested_at), decision: e.decision,
      decidedAt: iso(e.decided_at), decisionNote: e.decision_note })),
    cards: cards.map((k) => ({ id: k.id, color: k.color, stepState: k.step_state, note: k.note, at: isoOf(k.at) })),
    duplicates: duplicates.map((d) => ({ id: d.id, serviceNo: d.service_no, distanceM: d.distance_m, state: d.state, reportedAt: isoOf(d.reported_at) })),
    allowedActions: allowed.map((t) => ({ action: t.action, name: t.name, to: t.to_state, as: t.actor })),
    viewerKinds: [...seats.kinds],
  };
}

/** Actions the table allows in the state that the case's situation still rules out (shown as unavailable, refused as 409). */
function applicable(t: repo.TransitionRow, c: repo.CaseRow, seats: Seats, pendingExtension: boolean): string | true {
  switch (t.action) {
    case 'escalate':
      if (c.handler_tier === 'street') return '街道已是最高层级：可吹哨或交办职能部门';
      if (c.handler_tier === 'department') return '职能部门请退回交办单位';
      return true;
    case 'convene':
      return c.handler_tier === 'micro_grid' || c.handler_tier === 'grid' ? true : '会商由微网格长/网格长召集';
    case 'assign':
      return c.handler_tier === 'community' || c.handler_tier === 'street' || t.actor === 'superior' ? true : '交办由社区或街道发起';
    case 'whistle':
      return c.handler_tier === 'community' || c.handler_tier === 'street' ? true : '吹哨由社区或街道发起';
    case 'return':
      return c.assigned_by_tier !== null || c.handler_tier !== 'street' ? true : '没有可退回的上级';
    case 'extend':
      return pendingExtension ? '已有待审批的延期申请' : true;
    case 'approve_extension':
    case 'refuse_extension':
      return pendingExtension ? true : '没有待审批的延期申请';
    case 'report_in':
      return seats.whistleId !== null ? true : '没有待报到的吹哨';
    case 'respond':
      return seats.whistleId !== null ? true : '没有待反馈的吹哨';
    default:
      return true;
  }
}

/**
 * The conditions of a case list (queue and filters) for the caller, or null when the caller's list is empty. One
 * definition for the list, its export and the counts that link to it (the home's to-dos).
 */
async function caseConditions(db: Kysely<DB>, auth: AuthContext, q: Omit<CaseListQueryT, 'cursor' | 'limit' | 'format'>, now: Date): Promise<RawBuilder<unknown>[] | null> {
  const where: RawBuilder<unknown>[] = [sql`true`];
  const queue = q.queue ?? 'scope';
  if (queue === 'department' || (auth.departmentCode && auth.permissions.has('case:department'))) {
    const dept = auth.departmentCode;
    if (!dept) return null;
    where.push(sql`(c.handler_tier = 'department' and c.handler_code = ${dept}
      or exists (select 1 from case_whistle w where w.case_id = c.id and w.department_code = ${dept}))`);
    if (queue === 'mine') where.push(sql`c.state not in ('closed', 'voided', 'merged', 'rating')`);
  } else {
    if (!auth.permissions.has('case:read')) throw notFound('案件', 'case');
    where.push(sql`${territoryScope(auth, 'c.territory_path')}`);
    if (queue === 'mine') where.push(mineCondition(auth));
    if (queue === 'reported') where.push(sql`c.state = 'reported'`);
  }
  if (queue === 'rate') where.push(sql`c.state = 'rating'`);
  if (q.scopeCode) {
    const node = await db.selectFrom('territory_node').select(['path']).where('code', '=', q.scopeCode).executeTakeFirst();
    if (!node || (!territoryPathInScope(auth, node.path) && !auth.departmentCode)) throw notFound('区域', 'territory node', 'scopeCode');
    where.push(sql`c.territory_path <@ cast(${node.path} as ltree)`);
  }
  if (q.state === 'open') where.push(openCase);
  else if (q.state) where.push(sql`c.state = ${q.state}`);
  if (q.categoryCode) where.push(sql`(c.category_code = ${q.categoryCode} or c.category_code like ${`${q.categoryCode}%`} and length(${q.categoryCode}) = 2)`);
  if (q.channel) where.push(sql`c.channel = ${q.channel}`);
  if (q.overdue !== undefined) {
    where.push(q.overdue ? overdueCase(now) : sql`not ${overdueCase(now)}`);
  }
  if (q.card) where.push(sql`c.card = ${q.card}`);
  if (q.whistle === 'open') where.push(sql`exists (select 1 from case_whistle w where w.case_id = c.id and w.responded_at is null)`);
  if (q.from) where.push(sql`c.reported_at >= ${startOfBeijingDay(q.from)}`);
  if (q.to) where.push(sql`c.reported_at < ${endOfBeijingDay(q.to)}`);
  if (q.departmentCode) {
    // a department's figures drill down through its whistles (a department sees only its own)
    const dept = await repo.department(db, q.departmentCode);
    if (!dept || (auth.departmentCode !== null && auth.departmentCode !== dept.code)) throw notFound('部门', 'department', 'departmentCode');
    where.push(q.measure ? departmentMeasureFilter(q.measure as Measure, q.met, now, dept.code)
      : sql`exists (select 1 from case_whistle w where w.case_id = c.id and w.department_code = ${dept.code})`);
  } else if (q.measure) {
    where.push(measureFilter(q.measure as Measure, q.met, now));
  }
  if (q.q) {
    const term = q.q.trim();
    where.push(sql`(c.service_no = ${term.toUpperCase()} or c.description like ${`%${term.replace(/[\\%_]/g, (m) => `\\${m}`)}%`})`);
  }
  return where;
}

export async function listCases(db: Kysely<DB>, auth: AuthContext, q: CaseListQueryT, limit: number, cursor: unknown[] | null) {
  const now = new Date();
  const where = await caseConditions(db, auth, q, now);
  if (!where) return { items: [], nextCursor: null };
  if (cursor) where.push(sql`(c.reported_at, c.id) < (${new Date(String(cursor[0]))}, ${Number(cursor[1])})`);
  const { rows } = await sql<repo.CaseRow>`${repo.caseSelect()} where ${sql.join(where, sql` and `)}
    order by c.reported_at desc, c.id desc limit ${limit + 1}`.execute(db);
  return pageOf(rows, limit, now);
}

/** How many cases the list with these filters holds for the caller (what a to-do on the home counts and links to). */
export async function countListedCases(db: Kysely<DB>, auth: AuthContext, q: Omit<CaseListQueryT, 'cursor' | 'limit' | 'format'>, now = new Date()): Promise<number> {
  const where = await caseConditions(db, auth, q, now);
  if (!where) return 0;
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from civic_case c where ${sql.join(where, sql` and `)}`.execute(db);
  return rows[0]!.n;
}

function pageOf(rows: repo.CaseRow[], limit: number, now: Date) {
  const p = page(rows, limit, (r) => [isoOf(r.reported_at), r.id]);
  return { items: p.items.map((r) => presentCase(r, now)), nextCursor: p.nextCursor };
}

/** Cases at the caller's own seat: a grid worker's (micro-)grids, a desk's own node, a department's. */
function mineCondition(auth: AuthContext) {
  const open = clockedCase;
  if (auth.scope.kind === 'self') return sql`false`;
  const paths = auth.scope.kind === 'all' ? [] : auth.scope.paths;
  if (isGridWorker(auth)) {
    return sql`(${open} and c.handler_tier in ('micro_grid', 'grid') and ${territoryScope(auth, 'c.territory_path')})`;
  }
  if (auth.scope.kind === 'all') return sql`(${open} and c.handler_tier = 'street')`;
  const codes = paths.map((p) => p.split('.').at(-1)!);
  // a desk's own queue: what it handles, and what waits for its 核查 or its decision on an extension
  return sql`(${open} and (c.handler_code = any(${codes}) and c.handler_tier in ('community', 'street')
    or c.state = 'resolved' and (c.community_code = any(${codes}) and c.handler_tier in ('micro_grid', 'grid', 'property')
      or c.street_code = any(${codes}) and c.handler_tier = 'community')
    or exists (select 1 from case_extension e where e.case_id = c.id and e.decision is null)
      and (c.community_code = any(${codes}) and c.handler_tier in ('micro_grid', 'grid', 'property') or c.street_code = any(${codes}) and c.handler_tier = 'community')))`;
}

export async function listMine(db: Kysely<DB>, auth: AuthContext, limit: number, cursor: unknown[] | null) {
  const where = [sql`c.reporter_user_id = ${auth.userId}`];
  if (cursor) where.push(sql`(c.reported_at, c.id) < (${new Date(String(cursor[0]))}, ${Number(cursor[1])})`);
  const { rows } = await sql<repo.CaseRow>`${repo.caseSelect()} where ${sql.join(where, sql` and `)}
    order by c.reported_at desc, c.id desc limit ${limit + 1}`.execute(db);
  return pageOf(rows, limit, new Date());
}

/** Counts for the desk's tabs, from the records. */
export async function countCases(db: Kysely<DB>, auth: AuthContext) {
  const now = new Date();
  if (auth.departmentCode && auth.permissions.has('case:department')) {
    const { rows } = await sql<{ mine: number; whistles: number; overdue: number }>`
      select count(*) filter (where c.handler_tier = 'department' and c.handler_code = ${auth.departmentCode} and c.state in ('reported', 'handling'))::int as mine,
        (select count(*)::int from case_whistle w where w.department_code = ${auth.departmentCode} and w.responded_at is null) as whistles,
        (select count(*)::int from case_whistle w where w.department_code = ${auth.departmentCode} and w.responded_at is null
          and (w.reported_in_at is null and w.report_in_deadline < ${now} or w.respond_deadline < ${now})) as overdue
      from civic_case c where c.handler_tier = 'department' and c.handler_code = ${auth.departmentCode}`.execute(db);
    const r = rows[0]!;
    return { mine: r.mine + r.whistles, reported: 0, open: r.mine + r.whistles, overdue: r.overdue, yellow: 0, red: 0, rating: 0, total: r.mine + r.whistles };
  }
  if (!auth.permissions.has('case:read')) return { mine: 0, reported: 0, open: 0, overdue: 0, yellow: 0, red: 0, rating: 0, total: 0 };
  const { rows } = await sql<{ mine: number; reported: number; open: number; overdue: number; yellow: number; red: number; rating: number; total: number }>`
    select count(*) filter (where ${mineCondition(auth)})::int as mine,
      count(*) filter (where c.state = 'reported')::int as reported,
      count(*) filter (where ${openCase})::int as open,
      count(*) filter (where ${overdueCase(now)})::int as overdue,
      count(*) filter (where c.card = 'yellow' and ${clockedCase})::int as yellow,
      count(*) filter (where c.card = 'red' and ${clockedCase})::int as red,
      count(*) filter (where c.state = 'rating')::int as rating,
      count(*)::int as total
    from civic_case c where ${territoryScope(auth, 'c.territory_path')} and c.state not in ('closed', 'voided', 'merged')`.execute(db);
  return rows[0]!;
}

// ─── Intake ─────────────────────────────────────────────────────────────────

export interface IntakeInput {
  channel: Channel; categoryCode: string; description: string;
  lng?: number | null; lat?: number | null; placeCode?: string | null;
  address?: string; photos?: string[]; attributes?: Record<string, unknown>;
  externalId?: string | null; reporterUserId?: number | null; reporterName?: string | null; reporterPhone?: string | null;
  reportedAt?: Date; withinPath?: string | null;
  /** staff filing for their area: the point must lie in their scope (checked before anything is written) */
  scope?: AuthContext | null;
  /** who files it, for the audit record (null: a machine channel, named by the label) */
  auditActor?: Pick<AuthContext, 'userId' | 'username'> | null; auditMeta?: RequestMeta | null;
}

export interface Intaken {
  id: number; serviceNo: string; handlerTier: string; handlerCode: string; acceptDeadline: Date; duplicateOf: number | null;
  territoryPath: string; duplicates: repo.DuplicateRow[];
  /** the case as every read shows it */
  row: repo.CaseRow;
}

/**
 * Files a case from any channel: validates, locates the point in the territory tree (the deepest area covering it),
 * routes it to the seat the category's default tier names on that area's ancestry, computes the acceptance
 * deadline in working days — all before writing — then writes in one statement (`repo.fileCase`): the likely
 * duplicate noted, the case, its first step, its audit record and the handlers' notifications. Inside a caller's
 * transaction it is one more statement of it; on its own it is its own transaction (`inOneStatement`).
 */
export async function intakeCase(db: Q, onCommit: OnCommit, input: IntakeInput, actorLabel: string): Promise<Intaken> {
  const description = input.description.trim();
  if ([...description].length < 2) throw invalid('description', '请描述问题（至少 2 个字）', 'at least 2 characters');
  const category = await repo.findCategory(db, input.categoryCode);
  if (!category || !category.active) throw invalid('categoryCode', '案件类别不存在或已停用', 'unknown category');
  if (category.parent_code === null) throw invalid('categoryCode', '请选择具体的小类', 'choose a minor category');
  let lng = input.lng ?? null;
  let lat = input.lat ?? null;
  let address = input.address?.trim() ?? '';
  if ((lng === null || lat === null) && input.placeCode) {
    const place = await repo.placeOf(db, input.placeCode);
    if (!place) throw invalid('placeCode', '地点不存在或没有位置', 'unknown place or no position');
    ({ lng, lat } = place);
    if (!address) address = place.name;
  }
  if (lng === null || lat === null || !Number.isFinite(lng) || !Number.isFinite(lat)) throw invalid('lng', '请提供问题发生的位置（经纬度）', 'a position is required');
  // a property matter also asks, in the same statement, for the compound around the point whose property company is here
  const area = await repo.locateArea(db, lng, lat, category.property_class);
  if (!area || area.kind === 'district') throw invalid('lng', '该位置不在本平台管辖的网格内', 'the position lies outside every grid');
  if (input.withinPath && !(area.path === input.withinPath || area.path.startsWith(`${input.withinPath}.`))) {
    throw invalid('lng', '该位置不在此密钥的管辖范围内', 'the position lies outside the key\'s jurisdiction');
  }
  if (input.scope && !territoryPathInScope(input.scope, area.path)) throw invalid('lng', '该位置不在您的管辖范围内', 'the position lies outside your scope');
  const photos = (input.photos ?? []).map((p) => p.toLowerCase());
  if (photos.length) {
    const missing = await missingFiles(db, photos);
    if (missing.length) throw invalid('photos', `照片不存在：${missing.join('、')}`, 'unknown file');
  }
  const labels = area.path.split('.');
  const codes = { street_code: labels[1]!, community_code: labels[2] ?? null, grid_code: labels[3] ?? null, micro_grid_code: labels[4] ?? null };
  // the category's default tier, on this area's ancestry (a point outside any micro-grid goes to the nearest seat above)
  let handlerTier: Tier = category.default_tier as Tier;
  let handlerCode: string | null = null;
  if (handlerTier === 'department' && category.department_kind) {
    handlerCode = (await repo.departmentOfKind(db, category.department_kind, area.path))?.code ?? null;
    if (!handlerCode) handlerTier = 'street';
  } else if (handlerTier === 'department') {
    handlerTier = 'street';
  }
  if (area.property_code) {
    handlerTier = 'property';
    handlerCode = area.property_code;
  } else if (handlerTier !== 'department') {
    let i = LADDER.indexOf(handlerTier as TerritoryTier);
    while (i < LADDER.length && !tierNode(codes, LADDER[i]!)) i++;
    handlerTier = LADDER[i]!;
    handlerCode = tierNode(codes, handlerTier as TerritoryTier);
  }
  const reportedAt = input.reportedAt ?? new Date();
  const calendar = await loadCalendar(db);
  const acceptDeadline = addWorkdays(calendar, reportedAt, category.accept_days);
  const pol = await repo.policy(db);
  let filed: Awaited<ReturnType<typeof repo.fileCase>>;
  try {
    filed = await repo.fileCase(db, {
      channel: input.channel, categoryCode: category.code, description, address: address.slice(0, 200), lng, lat, territoryPath: area.path,
      streetCode: codes.street_code, communityCode: codes.community_code, gridCode: codes.grid_code, microGridCode: codes.micro_grid_code,
      photos, attributes: input.attributes ?? {}, externalId: input.externalId ?? null, reporterUserId: input.reporterUserId ?? null,
      reporterName: input.reporterName ?? null, reporterPhone: input.reporterPhone ?? null, handlerTier, handlerCode: handlerCode!,
      reportedAt, acceptDeadline,
      duplicateRadiusM: pol.duplicate_radius_m, duplicatesSince: new Date(reportedAt.getTime() - pol.duplicate_window_hours * 3600_000),
      step: { actorOrg: `${CHANNEL_NAMES[input.channel]}${actorLabel ? ` · ${actorLabel}` : ''}` },
      // every filing is audited, whatever the channel: appending an audit record takes no lock (platform/audit-chain.ts)
      audit: { actorId: input.auditActor?.userId ?? null, actorUsername: input.auditActor?.username ?? null, ip: input.auditMeta?.ip ?? null,
        requestId: input.auditMeta?.requestId ?? null, summary: { channel: input.channel, categoryCode: category.code, ...(actorLabel ? { via: actorLabel } : {}) } },
      notification: { title: `新案件待受理：${category.name}`, body: description.slice(0, 60), channels: deliveryChannels(),
        linkPrefix: handlerTier === 'micro_grid' || handlerTier === 'grid' ? '/m/cases/' : '/cases/' },
    });
  } catch (e) {
    if ((e as { code?: string }).code === '23505' && input.externalId) {
      throw new AppError('CONFLICT', `externalId: 该渠道编号已登记过（${input.externalId}）`, { field: 'externalId', en: 'externalId: already filed' });
    }
    throw e;
  }
  for (const n of filed.notifications) announce(onCommit, n);
  const { row } = filed;
  return { id: row.id, serviceNo: row.service_no, handlerTier, handlerCode: handlerCode!, acceptDeadline, duplicateOf: row.duplicate_of_hint,
    territoryPath: area.path, duplicates: filed.duplicates, row };
}

/** `POST /api/v1/cases`: residents (随手拍, 心愿墙), grid workers (巡查) and desks (窗口登记) report a case. */
export async function createCase(db: Kysely<DB>, auth: AuthContext, body: CreateCaseBodyT, meta: RequestMeta | null = null): Promise<CreatedCaseT> {
  const channel: Channel = (body.channel as Channel | undefined) ?? (isGridWorker(auth) ? 'patrol' : auth.permissions.has('case:desk') ? 'web' : 'h5');
  if (channel === 'patrol' && !isGridWorker(auth)) throw invalid('channel', '巡查上报仅限网格员', 'patrol reports are for grid workers');
  if (channel === 'web' && !auth.permissions.has('case:desk')) throw invalid('channel', '窗口登记仅限工作人员', 'desk entry is for staff');
  const photos = body.photos ?? [];
  if (photos.length && (await missingFiles(db, photos.map((p) => p.toLowerCase()), auth.userId)).length) {
    throw invalid('photos', '照片须是您本人上传的文件', 'photos must be your own uploads');
  }
  const staff = auth.permissions.has('case:desk') || auth.permissions.has('case:handle');
  const made = await inOneStatement((onCommit) => intakeCase(db, onCommit, { channel, categoryCode: body.categoryCode, description: body.description,
    lng: body.lng, lat: body.lat, address: body.address, photos, attributes: body.attributes, reporterUserId: auth.userId,
    // staff file for their own area (a resident may report anywhere, and so may staff as residents: 随手拍, 心愿)
    scope: staff && channel !== 'h5' && channel !== 'wish' ? auth : null, auditActor: auth, auditMeta: meta },
  // staff are named on the timeline by their seat; a resident's name stays out of it (the reporter shows masked)
  staff ? auth.displayName : ''));
  const c = made.row;
  return {
    id: c.id, serviceNo: c.service_no, state: c.state, gridCode: c.grid_code, microGridCode: c.micro_grid_code, communityCode: c.community_code,
    streetCode: c.street_code, handlerTier: c.handler_tier, handlerName: c.handler_name, deadline: isoOf(c.accept_deadline),
    duplicates: made.duplicates.map((d) => ({ id: d.id, serviceNo: d.service_no, distanceM: d.distance_m, state: d.state, reportedAt: isoOf(d.reported_at) })),
    case: presentCase(c),
  };
}

const CARD_NAMES: Record<string, string> = { none: '', yellow: '黄牌', red: '红牌' };
const SATISFACTION_NAMES: Record<string, string> = { satisfied: '满意', basically: '基本满意', unsatisfied: '不满意' };
/** 2026-12-03 21:58 in Beijing time: how a sheet shows a moment. */
const beijingMinute = (t: string) => new Date(Date.parse(t) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
/** A deadline at midnight is the end of the day before, as the desk shows it: 2026-12-17 24:00. */
const beijingDeadline = (t: string) => {
  const at = beijingMinute(t);
  return at.endsWith(' 00:00') ? `${beijingMinute(new Date(Date.parse(t) - 60_000).toISOString()).slice(0, 10)} 24:00` : at;
};

/**
 * `GET /api/v1/cases?format=xlsx`: the list with the same filters, every page of it (up to EXPORT_MAX_ROWS, newest
 * first), as the list shows it — the reporter masked — in one sheet. Audited with its filters and count.
 */
export async function exportCases(db: Kysely<DB>, auth: AuthContext, q: CaseListQueryT, meta: RequestMeta, now = new Date()): Promise<Buffer> {
  const rows: CaseItemT[] = [];
  let cursor: unknown[] | null = null;
  for (;;) {
    const got = await listCases(db, auth, q, 1000, cursor);
    rows.push(...got.items.slice(0, EXPORT_MAX_ROWS - rows.length));
    if (!got.nextCursor || rows.length >= EXPORT_MAX_ROWS) break;
    cursor = decodeCursor(got.nextCursor, ['timestamp', 'id']);
  }
  const { cursor: _c, limit: _l, format: _f, ...filters } = q;
  await recordAudit(db, auth, meta, { action: 'case.export', targetType: 'civic_case', summary: { filters, rows: rows.length } });
  return xlsxOf([{
    name: '案件清单',
    lead: [`案件清单：${rows.length} 件${rows.length >= EXPORT_MAX_ROWS ? `（只含最新的 ${EXPORT_MAX_ROWS} 件）` : ''}`, `导出时间：${beijingMinute(now.toISOString())}（北京时间）`],
    columns: [
      { header: '服务单号', width: 18, value: (c: CaseItemT) => c.serviceNo },
      { header: '上报时间', width: 17, value: (c) => beijingMinute(c.reportedAt) },
      { header: '渠道', width: 10, value: (c) => c.channelName },
      { header: '大类', width: 10, value: (c) => c.majorName },
      { header: '小类', width: 14, value: (c) => c.categoryName },
      { header: '问题描述', width: 40, value: (c) => c.description },
      { header: '地址', width: 24, value: (c) => c.address },
      { header: '街道', width: 10, value: (c) => c.streetName },
      { header: '社区', width: 12, value: (c) => c.communityName },
      { header: '网格', width: 16, value: (c) => c.gridName },
      { header: '状态', width: 8, value: (c) => c.stateName },
      { header: '承办', width: 20, value: (c) => c.handlerName },
      { header: '期限', width: 17, value: (c) => beijingDeadline(c.deadline) },
      { header: '超期', width: 6, value: (c) => (c.overdue ? '是' : '') },
      { header: '督办', width: 6, value: (c) => CARD_NAMES[c.card] ?? c.card },
      { header: '评价', width: 8, value: (c) => (c.satisfaction ? SATISFACTION_NAMES[c.satisfaction] ?? c.satisfaction : '') },
      { header: '上报人', width: 8, value: (c) => c.reporterName },
    ],
    rows,
  }]);
}

/**
 * Where the caller lives, to start a report's map when the phone gives no position: the outline of their home
 * community and its grids (no one's homes), or 404 without a current residence.
 */
export async function homeArea(db: Kysely<DB>, auth: AuthContext) {
  const { rows } = auth.personId === null ? { rows: [] } : await sql<{ community: string }>`
    select subpath(room.path, 2, 1)::text as community from residence r join territory_node room on room.code = r.room_code
    where r.person_id = ${auth.personId} and r.moved_out is null and nlevel(room.path) > 3 order by r.moved_in desc limit 1`.execute(db);
  if (!rows[0]) throw notFound('现住址', 'current home');
  const features = (await mapFeatures(db, rows[0].community)).filter((f) => f.role === 'self' || f.kind === 'grid');
  return { type: 'FeatureCollection' as const, features: features.map((r) => ({ type: 'Feature' as const,
    geometry: r.geometry as { type: string; coordinates: unknown } | null, properties: { code: r.code, name: r.name, kind: r.kind, role: r.role } })) };
}

/**
 * +1 on a case or a wish (我也遇到 / 我也想要): whoever may read the case, or a resident of its community — the
 * neighbour shown it as a likely duplicate of their own report, or on the wish wall.
 */
export async function followCase(db: Kysely<DB>, auth: AuthContext, id: number): Promise<{ followers: number }> {
  const c = await repo.findCase(db, id);
  if (!c || c.terminal) throw notFound('案件', 'case');
  const neighbour = auth.personId !== null && c.community_code !== null && await repo.livesUnder(db, auth.personId, c.community_code);
  if (!neighbour && !(await seatsFor(db, auth, c)).visible) throw notFound('案件', 'case');
  await db.insertInto('case_follow').values({ case_id: id, user_id: auth.userId }).onConflict((oc) => oc.doNothing()).execute();
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from case_follow where case_id = ${id}`.execute(db);
  return { followers: rows[0]!.n };
}

// ─── Actions ────────────────────────────────────────────────────────────────

const transitionError = (message: string, en: string) => new AppError('INVALID_TRANSITION', message, { en });

interface Change {
  set: Record<string, unknown>;
  step?: { tierFrom?: string | null; tierTo?: string | null; handlerTo?: string | null; target?: string | null; photos?: string[]; deadline?: Date | null };
  after?: (trx: Transaction<DB>, onCommit: OnCommit, c: repo.CaseRow) => Promise<void>;
  notifyReporter?: string;
  notifyHandler?: string;
}

const NOTE_REQUIRED = new Set(['void', 'return', 'reject', 'supervise', 'respond', 'refuse_extension', 'extend']);

/** The name of the seat the caller acts from, for the timeline (西陵社区第一网格 / 西兴街道 / 滨江区城市管理局). */
async function seatLabel(db: Q, auth: AuthContext, c: repo.CaseRow, as: ActorKind): Promise<string> {
  if (as === 'handler' || as === 'property') return c.handler_name;
  if (as === 'department' && auth.departmentCode) return (await repo.department(db, auth.departmentCode))?.name ?? auth.departmentCode;
  if (as === 'reporter') return '上报人';
  if (as === 'rater') return '居民';
  if (as === 'system') return '系统';
  const roots = auth.scope.kind === 'all' ? [] : auth.scope.codes;
  if (!roots.length) return auth.roleNames[0] ?? '';
  const n = await db.selectFrom('territory_node').select('name').where('code', '=', roots[0]!).executeTakeFirst();
  return n?.name ?? roots[0]!;
}

export async function actOnCase(db: Kysely<DB>, auth: AuthContext, id: number, body: ActionBodyT, meta: RequestMeta, now = new Date()): Promise<CaseDetailT> {
  const note = body.note?.trim() || null;
  await transact(db, async (trx, onCommit) => {
    await repo.lockCase(trx, id);
    const c = await repo.findCase(trx, id);
    if (!c) throw notFound('案件', 'case');
    const seats = await seatsFor(trx, auth, c);
    if (!seats.visible) throw notFound('案件', 'case');
    if (body.action === 'reopen') throw invalid('action', '不满意请通过评价（rate，satisfaction=unsatisfied）提出', 'use rate with satisfaction=unsatisfied');
    const action = body.action === 'rate' && body.satisfaction === 'unsatisfied' && c.reopen_count === 0 ? 'reopen' : body.action;
    const candidates = (await repo.transitionsFrom(trx, c.state)).filter((t) => t.action === action);
    if (!candidates.length) {
      const known = (await repo.allTransitions(trx)).transitions.some((t) => t.action === body.action);
      if (!known) throw invalid('action', `未知的操作：${body.action}`, 'unknown action');
      throw transitionError(`当前状态（${c.state_name}）不能执行此操作：${body.action}`, `action ${body.action} not allowed in state ${c.state}`);
    }
    const t = candidates.find((x) => seats.kinds.has(x.actor as ActorKind) && x.actor !== 'system');
    if (!t) throw transitionError(`您在此案件中的身份不能执行「${candidates[0]!.name}」`, `your seat may not ${body.action} this case`);
    const pending = (await repo.listExtensions(trx, id)).some((e) => e.decision === null);
    const why = applicable(t, c, seats, pending);
    if (why !== true) throw transitionError(why, `${body.action} does not apply now`);
    if (NOTE_REQUIRED.has(action) && !note) throw invalid('note', '请填写说明或理由', 'a note is required');
    if (action === 'reopen' && !note) throw invalid('note', '请说明不满意的原因', 'say why you are not satisfied');
    const calendar = await loadCalendar(trx);
    const change = await changeFor(trx, auth, c, t, body, note, now, calendar);
    const set: Record<string, unknown> = { ...change.set, updated_at: now };
    if (t.to_state !== c.state) set.state = t.to_state;
    const updated = await trx.updateTable('civic_case').set(set as never).where('id', '=', id).where('state', '=', c.state)
      .returning('id').executeTakeFirst();
    if (!updated) throw transitionError('案件已被他人处理，请刷新', 'the case changed meanwhile');
    await trx.insertInto('civic_case_step').values({
      case_id: id, action: t.action, from_state: c.state, to_state: t.to_state, actor_id: auth.userId, actor_kind: t.actor,
      actor_org: await seatLabel(trx, auth, c, t.actor as ActorKind), tier_from: change.step?.tierFrom ?? null, tier_to: change.step?.tierTo ?? null,
      handler_to: change.step?.handlerTo ?? null, target: change.step?.target ?? null, note,
      photos: JSON.stringify(change.step?.photos ?? []) as unknown as Record<string, unknown>, deadline: change.step?.deadline ?? null, at: now,
    }).execute();
    await recordAudit(trx, auth, meta, { action: `case.${t.action}`, targetType: 'civic_case', targetId: id,
      summary: { serviceNo: c.service_no, from: c.state, to: t.to_state, as: t.actor, ...(change.step?.target ? { target: change.step.target } : {}) } });
    if (change.after) await change.after(trx, onCommit, c);
    const link = (tier: string) => (tier === 'micro_grid' || tier === 'grid' ? `/m/cases/${id}` : `/cases/${id}`);
    if (change.notifyReporter && c.reporter_user_id && c.reporter_user_id !== auth.userId) {
      await notify(trx, onCommit, { recipientUserId: c.reporter_user_id, kind: 'case', title: change.notifyReporter, body: `${c.service_no} ${c.category_name}`,
        link: `/m/cases/${id}`, refType: 'civic_case', refId: id });
    }
    if (change.notifyHandler) {
      const tier = String(change.set.handler_tier ?? c.handler_tier);
      const code = String(change.set.handler_code ?? c.handler_code);
      for (const userId of await repo.seatUsers(trx, tier, code)) {
        if (userId === auth.userId) continue;
        await notify(trx, onCommit, { recipientUserId: userId, kind: 'case', title: change.notifyHandler, body: `${c.service_no} ${c.category_name}`,
          link: link(tier), refType: 'civic_case', refId: id });
      }
    }
  });
  const c = (await repo.findCase(db, id))!;
  return detailOf(db, c, await seatsFor(db, auth, c));
}

function targetsOf(body: ActionBodyT): string[] {
  const t = body.targetOrg;
  const list = t === undefined ? [] : Array.isArray(t) ? t : [t];
  return [...new Set(list.map((x) => x.trim().toUpperCase()).filter(Boolean))];
}

/** What an action changes besides the state. Throws 400/409 when its own input does not fit the case. */
async function changeFor(trx: Transaction<DB>, auth: AuthContext, c: repo.CaseRow, t: repo.TransitionRow, body: ActionBodyT, note: string | null,
  now: Date, calendar: Awaited<ReturnType<typeof loadCalendar>>): Promise<Change> {
  const handleDeadline = (from: Date) => addWorkdays(calendar, from, c.handle_days + c.extended_days);
  switch (t.action) {
    case 'accept': {
      const due = handleDeadline(now);
      return { set: { accepted_at: now, responded_at: c.responded_at ?? now, handle_deadline: due, step_deadline: due, step_started_at: now, card: 'none' },
        step: { deadline: due }, notifyReporter: '您反映的问题已受理' };
    }
    case 'void':
    case 'withdraw':
      return { set: { responded_at: c.responded_at ?? (t.action === 'void' ? now : null) }, notifyReporter: t.action === 'void' ? '您反映的问题不予立案' : undefined };
    case 'merge': {
      if (!body.mergeInto || body.mergeInto === c.id) throw invalid('mergeInto', '请选择要合并到的案件', 'choose the case to keep');
      const keep = await repo.findCase(trx, body.mergeInto);
      if (!keep || keep.terminal || !territoryPathInScope(auth, keep.territory_path)) throw notFound('要保留的案件', 'case to keep', 'mergeInto');
      return {
        set: { merged_into: keep.id, responded_at: c.responded_at ?? now }, step: { target: keep.service_no },
        notifyReporter: `您反映的问题与 ${keep.service_no} 相同，已合并办理`,
        after: async (x) => {
          if (c.reporter_user_id) await x.insertInto('case_follow').values({ case_id: keep.id, user_id: c.reporter_user_id }).onConflict((oc) => oc.doNothing()).execute();
        },
      };
    }
    case 'escalate': {
      const i = LADDER.indexOf(c.handler_tier as TerritoryTier);
      let j = i + 1;
      while (j < LADDER.length && !tierNode(c, LADDER[j]!)) j++;
      const tier = LADDER[j]!;
      return { set: { handler_tier: tier, handler_code: tierNode(c, tier), assigned_by_tier: null, assigned_by_code: null, card: 'none' },
        step: { tierFrom: c.handler_tier, tierTo: tier, handlerTo: tierNode(c, tier) }, notifyHandler: `下级上报案件：${c.category_name}` };
    }
    case 'convene': {
      if (!body.participants?.length) throw invalid('participants', '请填写会商参加人', 'participants are required');
      if (!body.conclusion?.trim()) throw invalid('conclusion', '请填写会商结论', 'a conclusion is required');
      const heldAt = body.heldAt ? new Date(body.heldAt) : now;
      const up = c.handler_tier === 'micro_grid' && c.grid_code ? { handler_tier: 'grid', handler_code: c.grid_code } : {};
      return {
        set: up, step: { tierFrom: c.handler_tier, tierTo: up.handler_tier ?? c.handler_tier, handlerTo: up.handler_code ?? null },
        after: async (x) => {
          await x.insertInto('case_consultation').values({ case_id: c.id, convened_by: auth.userId, held_at: heldAt,
            participants: body.participants!.map((p) => p.trim()), conclusion: body.conclusion!.trim() }).execute();
        },
      };
    }
    case 'assign': {
      const [target, ...rest] = targetsOf(body);
      if (!target || rest.length) throw invalid('targetOrg', '请选择一个交办对象（下级区域、职能部门或小区物业）', 'one target');
      // who hands it on: the handler's seat — for a property company's case, the community desk above it
      const from = (c.handler_tier === 'property' ? 'community' : c.handler_tier) as TerritoryTier;
      const fromCode = c.handler_tier === 'property' ? c.community_code : c.handler_code;
      const dept = await repo.department(trx, target);
      if (dept) {
        const served = await repo.departmentOfKind(trx, dept.kind, c.territory_path);
        if (!served || served.code !== dept.code) throw invalid('targetOrg', '该部门不负责此案件所在区域', 'the department does not serve this area');
        return { set: { handler_tier: 'department', handler_code: dept.code, assigned_by_tier: from, assigned_by_code: fromCode, card: 'none' },
          step: { tierFrom: c.handler_tier, tierTo: 'department', handlerTo: dept.code, target: dept.code }, notifyHandler: `交办案件：${c.category_name}` };
      }
      const compound = await repo.propertyCompound(trx, target, c.community_code);
      if (compound) {
        // 交办物业: the property company of a compound in the case's community; it answers to the community desk
        if (c.handler_tier === 'property' && c.handler_code === compound.code) throw invalid('targetOrg', '案件已由该小区物业承办', 'already with this property company');
        return { set: { handler_tier: 'property', handler_code: compound.code, assigned_by_tier: from, assigned_by_code: fromCode, card: 'none' },
          step: { tierFrom: c.handler_tier, tierTo: 'property', handlerTo: compound.code, target: compound.code }, notifyHandler: `交办物业案件：${c.category_name}` };
      }
      const tier = LADDER.find((x) => tierNode(c, x) === target);
      const fromDepth = c.handler_tier === 'department' ? 3 : TIER_DEPTH[from];
      if (!tier || TIER_DEPTH[tier] <= fromDepth) throw invalid('targetOrg', '只能交办给本案所在的下级网格/微网格/社区、职能部门，或本社区小区的物业', 'a lower seat on the case\'s own ancestry, a department, or a compound\'s property company');
      return { set: { handler_tier: tier, handler_code: target, assigned_by_tier: c.handler_tier === 'department' ? null : from, assigned_by_code: c.handler_tier === 'department' ? null : fromCode, card: 'none' },
        step: { tierFrom: c.handler_tier, tierTo: tier, handlerTo: target, target }, notifyHandler: `交办案件：${c.category_name}` };
    }
    case 'return': {
      let tier: string; let code: string;
      if (c.assigned_by_tier && c.assigned_by_code) {
        tier = c.assigned_by_tier; code = c.assigned_by_code;
      } else if (c.handler_tier === 'property') {
        // filed straight to the property company: back to the community that oversees it
        tier = c.community_code ? 'community' : 'street'; code = c.community_code ?? c.street_code;
      } else {
        const i = c.handler_tier === 'department' ? LADDER.indexOf('street') - 1 : LADDER.indexOf(c.handler_tier as TerritoryTier);
        let j = i + 1;
        while (j < LADDER.length && !tierNode(c, LADDER[j]!)) j++;
        tier = LADDER[j]!; code = tierNode(c, LADDER[j]!)!;
      }
      return { set: { handler_tier: tier, handler_code: code, assigned_by_tier: null, assigned_by_code: null, card: 'none' },
        step: { tierFrom: c.handler_tier, tierTo: tier, handlerTo: code }, notifyHandler: `案件被退回：${c.category_name}` };
    }
    case 'whistle':
    case 'copy': {
      const targets = targetsOf(body);
      if (!targets.length) throw invalid('targetOrg', t.action === 'whistle' ? '请选择要吹哨的职能部门' : '请选择抄告对象', 'choose departments');
      const depts: NonNullable<Awaited<ReturnType<typeof repo.department>>>[] = [];
      for (const code of targets) {
        const d = await repo.department(trx, code);
        const served = d ? await repo.departmentOfKind(trx, d.kind, c.territory_path) : undefined;
        if (!d || !served || served.code !== d.code) throw invalid('targetOrg', `部门不存在或不负责此区域：${code}`, `unknown department ${code}`);
        depts.push(d);
      }
      if (t.action === 'copy') {
        return { set: {}, step: { target: targets.join(',') }, after: async (x, onCommit) => {
          for (const d of depts) {
            for (const userId of await repo.seatUsers(x, 'department', d.code)) {
              await notify(x, onCommit, { recipientUserId: userId, kind: 'case', title: `抄告：${c.category_name}`, body: `${c.service_no} ${note ?? ''}`.trim(),
                link: `/cases/${c.id}`, refType: 'civic_case', refId: c.id });
            }
          }
        } };
      }
      const reportIn = addWorkdays(calendar, now, c.report_in_days);
      const respond = addWorkdays(calendar, now, c.respond_days);
      return { set: {}, step: { target: targets.join(','), deadline: reportIn }, after: async (x, onCommit) => {
        for (const d of depts) {
          try {
            await x.insertInto('case_whistle').values({ case_id: c.id, department_code: d.code, blown_by: auth.userId, blown_at: now,
              report_in_deadline: reportIn, respond_deadline: respond }).execute();
          } catch (e) {
            if ((e as { code?: string }).code === '23505') throw transitionError(`已向${d.short_name}吹哨，等待其反馈`, `already whistled ${d.code}`);
            throw e;
          }
          for (const userId of await repo.seatUsers(x, 'department', d.code)) {
            await notify(x, onCommit, { recipientUserId: userId, kind: 'case', title: `吹哨报到：${c.category_name}`,
              body: `${c.service_no} 请于期限内报到并反馈`, link: `/cases/${c.id}`, refType: 'civic_case', refId: c.id });
          }
        }
      } };
    }
    case 'report_in':
    case 'respond': {
      const w = (await repo.openWhistle(trx, c.id, auth.departmentCode!))!;
      if (t.action === 'report_in' && w.reported_in_at) throw transitionError('已报到，请办理后反馈', 'already reported in');
      const set = t.action === 'report_in'
        ? { reported_in_at: now, reported_in_by: auth.userId }
        : { reported_in_at: w.reported_in_at ?? now, reported_in_by: w.reported_in_by ?? auth.userId, responded_at: now, responded_by: auth.userId, response: note };
      return { set: {}, step: { target: w.department_code }, notifyHandler: t.action === 'report_in' ? '职能部门已报到' : '职能部门已反馈',
        after: async (x) => { await x.updateTable('case_whistle').set(set).where('id', '=', w.id).execute(); } };
    }
    case 'extend': {
      if (!body.days) throw invalid('days', '请填写申请延期的工作日数', 'days are required');
      return { set: {}, step: { target: `${body.days}` }, after: async (x, onCommit) => {
        await x.insertInto('case_extension').values({ case_id: c.id, days: body.days!, reason: note!, requested_by: auth.userId }).execute();
        for (const userId of await superiorUsers(x, c)) {
          await notify(x, onCommit, { recipientUserId: userId, kind: 'case', title: `延期申请待审批：${c.category_name}`, body: `${c.service_no} 申请延期 ${body.days} 个工作日`,
            link: `/cases/${c.id}`, refType: 'civic_case', refId: c.id });
        }
      } };
    }
    case 'approve_extension':
    case 'refuse_extension': {
      const ext = (await trx.selectFrom('case_extension').selectAll().where('case_id', '=', c.id).where('decision', 'is', null).executeTakeFirst())!;
      const approved = t.action === 'approve_extension';
      const base = c.handle_deadline ?? c.step_deadline;
      const due = addWorkdays(calendar, new Date(new Date(base).getTime() - 1), ext.days);
      return {
        set: approved ? { extended_days: c.extended_days + ext.days, handle_deadline: due, step_deadline: due, card: 'none' } : {},
        step: { deadline: approved ? due : null, target: `${ext.days}` }, notifyHandler: approved ? '延期申请已同意' : '延期申请未同意',
        after: async (x) => {
          await x.updateTable('case_extension').set({ decision: approved ? 'approved' : 'refused', decided_by: auth.userId, decided_at: now, decision_note: note })
            .where('id', '=', ext.id).execute();
        },
      };
    }
    case 'supervise':
      return { set: {}, notifyHandler: `督办：${c.category_name}`, after: async (x) => {
        await x.insertInto('case_card').values({ case_id: c.id, color: 'supervise', step_state: c.state, deadline: c.step_deadline, raised_by: auth.userId, note }).execute();
      } };
    case 'resolve': {
      const photos = (body.photos ?? []).map((p) => p.toLowerCase());
      if (!note && !photos.length) throw invalid('note', '请填写处置情况或上传处置照片', 'describe what was done');
      if (photos.length && (await missingFiles(trx, photos, auth.userId)).length) throw invalid('photos', '照片须是您本人上传的文件', 'photos must be your own uploads');
      const due = addWorkdays(calendar, now, c.verify_days);
      return { set: { result_photos: JSON.stringify(photos), step_deadline: due, step_started_at: now, card: 'none' }, step: { photos, deadline: due },
        after: async (x, onCommit) => {
          for (const userId of await superiorUsers(x, c)) {
            await notify(x, onCommit, { recipientUserId: userId, kind: 'case', title: `处置完成待核查：${c.category_name}`, body: c.service_no,
              link: `/cases/${c.id}`, refType: 'civic_case', refId: c.id });
          }
        } };
    }
    case 'verify': {
      const pol = await repo.policy(trx);
      const due = new Date(endOfBeijingDay(beijingDate(now)).getTime() + (pol.rating_window_days - 1) * 86_400_000);
      return { set: { resolved_at: now, step_deadline: due, step_started_at: now, card: 'none' }, step: { deadline: due },
        notifyReporter: '您反映的问题已办结，请评价' };
    }
    case 'reject':
      return { set: { step_deadline: c.handle_deadline ?? c.step_deadline, step_started_at: now, result_photos: '[]' }, notifyHandler: `核查未通过，请重新处置：${c.category_name}` };
    case 'rate': {
      if (!body.satisfaction) throw invalid('satisfaction', '请选择满意、基本满意或不满意', 'satisfaction is required');
      return { set: { satisfaction: body.satisfaction, closed_at: now, rated_by: auth.userId, rating_comment: note }, notifyHandler: `案件已评价结案：${c.category_name}` };
    }
    case 'reopen': {
      const due = handleDeadline(now);
      return { set: { reopen_count: 1, resolved_at: null, handle_deadline: due, step_deadline: due, step_started_at: now, card: 'none', rating_comment: note },
        step: { deadline: due, tierTo: c.handler_tier, handlerTo: c.handler_code }, notifyHandler: `居民不满意，案件重新办理：${c.category_name}` };
    }
    default:
      throw transitionError(`此操作不能由人工执行：${t.action}`, `${t.action} is not a manual action`);
  }
}

/** The users at the seat above the handler (they verify, decide extensions, receive escalations). */
export async function superiorUsers(db: Q, c: repo.CaseRow): Promise<number[]> {
  const tier = c.handler_tier === 'department' ? (c.assigned_by_tier ?? 'street') : c.handler_tier;
  const above: Record<string, TerritoryTier> = { micro_grid: 'community', grid: 'community', property: 'community', community: 'street', street: 'street' };
  const seat = c.handler_tier === 'department' ? tier as TerritoryTier : above[tier]!;
  const code = tierNode(c, seat);
  if (c.handler_tier === 'street' || !code) {
    const { rows } = await sql<{ id: number }>`select distinct u.id from app_user u join app_user_role ur on ur.user_id = u.id join role r on r.code = ur.role_code
      where u.status = 'active' and 'case:supervise' = any(r.permissions) and (u.scope_kind = 'all'
        or exists (select 1 from territory_node s where s.code = any(u.scope_codes) and nlevel(s.path) < 2 and s.path @> cast(${c.territory_path} as ltree)))
      order by u.id`.execute(db);
    return rows.map((r) => r.id);
  }
  return repo.seatUsers(db, seat, code);
}


// ─── Property companies (物业, 三方协同) ─────────────────────────────────────

/** The cases at the property seats in the caller's scope (`ht`: the compound the seat is): a company's own, a street's all. */
function propertyScope(auth: AuthContext) {
  return sql`${territoryScope(auth, 'ht.path')}`;
}

/**
 * `GET /api/v1/cases/property`: the cases at the property company's seat — its compounds' property cases, whatever
 * their state — by state, or the cases behind one of its figures (`measure`, `met`). Never any other case.
 */
function propertyConditions(auth: AuthContext, q: Pick<PropertyCaseQueryT, 'state' | 'measure' | 'met'>, now: Date): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = [sql`c.handler_tier = 'property'`, propertyScope(auth)];
  if (q.state === 'open') where.push(openCase);
  else if (q.state) where.push(sql`c.state = ${q.state}`);
  if (q.measure) where.push(measureFilter(q.measure as Measure, q.met, now));
  return where;
}

/** How many cases the property list holds with these filters (the property company's to-dos on its home). */
export async function countPropertyCases(db: Kysely<DB>, auth: AuthContext, q: Pick<PropertyCaseQueryT, 'state'>, now = new Date()): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from civic_case c join territory_node ht on ht.code = c.handler_code
    where ${sql.join(propertyConditions(auth, q, now), sql` and `)}`.execute(db);
  return rows[0]!.n;
}

export async function listPropertyCases(db: Kysely<DB>, auth: AuthContext, q: PropertyCaseQueryT, limit: number, cursor: unknown[] | null) {
  const now = new Date();
  const where = propertyConditions(auth, q, now);
  if (cursor) where.push(sql`(c.reported_at, c.id) < (${new Date(String(cursor[0]))}, ${Number(cursor[1])})`);
  const { rows } = await sql<repo.CaseRow>`${repo.caseSelect()} where ${sql.join(where, sql` and `)}
    order by c.reported_at desc, c.id desc limit ${limit + 1}`.execute(db);
  return pageOf(rows, limit, now);
}

const rateOf = (numerator: number, denominator: number) => ({ numerator, denominator, rate: denominator ? numerator / denominator : null });

/**
 * `GET /api/v1/cases/property/summary`: the company's compounds, its cases by state, and its three rates — the
 * satisfaction of the residents with the cases it handled is its rating (评价) — from the same measures as every rate.
 */
export async function propertySummary(db: Kysely<DB>, auth: AuthContext): Promise<PropertySummaryT> {
  const now = new Date();
  const figures = await repo.propertyFigures(db, propertyScope(auth), now, {
    response: { denominator: measures.response.denominator(now), numerator: measures.response.numerator },
    resolution: { denominator: measures.resolution.denominator(now), numerator: measures.resolution.numerator },
    satisfaction: { denominator: measures.satisfaction.denominator(now), numerator: measures.satisfaction.numerator },
  });
  const compounds = isPropertyPartner(auth) ? await repo.compoundsOf(db, auth.scope.kind === 'all' ? [] : auth.scope.codes) : [];
  return {
    compounds,
    states: { reported: figures.reported, handling: figures.handling, resolved: figures.resolved, rating: figures.rating, closed: figures.closed, overdue: figures.overdue },
    response: rateOf(figures.response_n, figures.response_d),
    resolution: rateOf(figures.resolution_n, figures.resolution_d),
    satisfaction: rateOf(figures.satisfaction_n, figures.satisfaction_d),
  };
}

/** `GET /api/v1/cases/:id/property-targets`: the compounds of the case's community whose property company may be handed it. */
export async function propertyTargets(db: Kysely<DB>, auth: AuthContext, id: number) {
  const { c } = await loadVisible(db, auth, id);
  if (!c.community_code) return { items: [] };
  return { items: await repo.propertyCompounds(db, c.community_code) };
}
