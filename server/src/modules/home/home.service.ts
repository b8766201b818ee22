/**
 * 工作台: what waits for the caller. Each to-do is a named count over the records, and it links to the very list it
 * counts — the count comes from the list's own conditions (each module's `count…` beside its `list…`), so a number on
 * the home is always the length of the list behind it. Which to-dos a person sees follows their permissions and
 * their ties (a grid of their own, a place in the forces register, a unit party org), never a role name.
 */
import { sql, type Kysely } from 'kysely';
import type { AuthContext } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { isGridWorker } from '../../platform/scope.js';
import { countListedCases, countPropertyCases } from '../cases/cases.service.js';
import { countRegistrations, unitMembers } from '../registration/registration.service.js';
import { countOrders } from '../orders/orders.service.js';
import { countMyRecords, countRecords, mySummary } from '../records/records.service.js';
import { countJobsWithErrors } from '../imports/imports.service.js';
import { countHouseholdsDue } from '../archive/archive.service.js';
import type { HomeItemT, HomeT } from './home.schema.js';

/** Which role a person's home is organised for, when they hold several: the widest first. */
const ROLE_ORDER = ['district_admin', 'street_staff', 'community_staff', 'department_staff', 'property_partner', 'unit_party_org',
  'part_time_member', 'grid_worker', 'party_member', 'resident'];

type Query = Record<string, string>;

interface Todo {
  key: string;
  label: string;
  /** whether this to-do is the caller's */
  applies: (auth: AuthContext) => boolean;
  /** the page that shows the list, and the same list in the API */
  href: string;
  list: { path: string | ((auth: AuthContext) => string); query: Query };
  count: (db: Kysely<DB>, auth: AuthContext, now: Date) => Promise<number>;
  hint?: (db: Kysely<DB>, auth: AuthContext, now: Date) => Promise<string | null>;
}

const has = (auth: AuthContext, permission: string) => auth.permissions.has(permission);
/** A desk that receives cases of an area (community, street, district) — not a grid worker or a line department. */
const caseDesk = (auth: AuthContext) => has(auth, 'case:desk') && !isGridWorker(auth) && !auth.departmentCode;
/** Reads the cases of an area without taking them (a part-time committee member). */
const caseReader = (auth: AuthContext) => has(auth, 'case:read') && !has(auth, 'case:desk') && !has(auth, 'case:handle')
  && !auth.departmentCode && auth.scope.kind !== 'self';
const lineDepartment = (auth: AuthContext) => has(auth, 'case:department') && auth.departmentCode !== null;
/** Staff who run a community's service desk (review, dispatch, confirm). */
const serviceDesk = (auth: AuthContext) => has(auth, 'service:write') && auth.scope.kind !== 'self';
const member = (auth: AuthContext) => has(auth, 'service:claim');
const resident = (auth: AuthContext) => has(auth, 'service:order') && !has(auth, 'service:claim') && !has(auth, 'service:read');
/** A property company or owners' committee: the property cases of its compounds (not the desks overseeing them). */
const propertyCompany = (auth: AuthContext) => has(auth, 'case:property') && !has(auth, 'case:read');
const unitOrg = (auth: AuthContext) => has(auth, 'service:unit') && auth.orgCode !== null;

/** A list of cases for the caller, by the case list's own filters (`GET /api/v1/cases`). */
function cases(key: string, label: string, applies: Todo['applies'], href: string, query: Query): Todo {
  return {
    key, label, applies, href, list: { path: '/api/v1/cases', query },
    count: (db, auth, now) => countListedCases(db, auth, {
      ...(query.queue ? { queue: query.queue as 'mine' | 'scope' | 'reported' | 'department' | 'rate' } : {}),
      ...(query.overdue ? { overdue: query.overdue === 'true' } : {}),
      ...(query.card ? { card: query.card as 'yellow' | 'red' } : {}),
      ...(query.whistle ? { whistle: 'open' as const } : {}),
      ...(query.state ? { state: query.state } : {}),
    }, now),
  };
}

/** The member's summary, read once per request by the member's to-dos. */
const summaries = new WeakMap<AuthContext, ReturnType<typeof mySummary>>();
function summaryOf(db: Kysely<DB>, auth: AuthContext) {
  let s = summaries.get(auth);
  if (!s) summaries.set(auth, (s = mySummary(db, auth)));
  return s;
}
const unitReports = new WeakMap<AuthContext, ReturnType<typeof unitMembers>>();
function unitReportOf(db: Kysely<DB>, auth: AuthContext) {
  let r = unitReports.get(auth);
  if (!r) unitReports.set(auth, (r = unitMembers(db, auth, auth.orgCode!, {})));
  return r;
}

const beijing = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** The earliest deadline the department still has to meet: a whistle's report-in or its response. */
async function nearestWhistleDeadline(db: Kysely<DB>, auth: AuthContext): Promise<string | null> {
  const { rows } = await sql<{ due: Date | null }>`select min(case when w.reported_in_at is null then least(w.report_in_deadline, w.respond_deadline)
      else w.respond_deadline end) as due
    from case_whistle w where w.department_code = ${auth.departmentCode} and w.responded_at is null`.execute(db);
  const due = rows[0]?.due;
  return due ? `最近期限 ${beijing.format(new Date(due))}` : null;
}

/** Every to-do of every role, in the order a home shows them. */
export const TODOS: Todo[] = [
  // ── cases (一网统管)
  cases('case.reported', '待受理案件', caseDesk, '/cases?queue=reported', { queue: 'reported' }),
  cases('case.mine', '待我处理的案件', caseDesk, '/cases?queue=mine', { queue: 'mine' }),
  cases('case.overdue', '超期案件', caseDesk, '/cases?queue=overdue', { queue: 'scope', overdue: 'true' }),
  cases('case.red', '红牌督办', (auth) => caseDesk(auth) && has(auth, 'case:supervise'), '/cases?queue=overdue&card=red',
    { queue: 'scope', overdue: 'true', card: 'red' }),
  cases('case.whistle', '吹哨未反馈', (auth) => caseDesk(auth) && has(auth, 'case:supervise'), '/cases?queue=scope&whistle=open',
    { queue: 'scope', whistle: 'open' }),
  { ...cases('case.department', '吹哨与交办待报到、待反馈', lineDepartment, '/cases?queue=mine', { queue: 'mine' }), hint: nearestWhistleDeadline },
  cases('case.todo', '待办案件', isGridWorker, '/m/cases/todo', { queue: 'mine' }),
  cases('case.open', '在办案件', caseReader, '/cases?queue=scope&state=open', { queue: 'scope', state: 'open' }),
  // ── a property company (物业)
  {
    key: 'property.reported', label: '待受理的物业案件', applies: propertyCompany,
    href: '/cases/property?state=reported', list: { path: '/api/v1/cases/property', query: { state: 'reported' } },
    count: (db, auth, now) => countPropertyCases(db, auth, { state: 'reported' }, now),
  },
  {
    key: 'property.handling', label: '处置中的物业案件', applies: propertyCompany,
    href: '/cases/property?state=handling', list: { path: '/api/v1/cases/property', query: { state: 'handling' } },
    count: (db, auth, now) => countPropertyCases(db, auth, { state: 'handling' }, now),
  },
  // ── the archive
  {
    key: 'visit.due', label: '待走访家庭', applies: (auth) => has(auth, 'visit:write') && isGridWorker(auth),
    href: '/m?due=1', list: { path: '/api/v1/archive/households', query: { due: 'true' } },
    count: (db, auth) => countHouseholdsDue(db, auth),
  },
  // ── the service desk (双报到 · 四单)
  {
    key: 'registration.pending', label: '报到待审核', applies: (auth) => serviceDesk(auth) || caseReader(auth),
    href: '/service/registrations?status=pending', list: { path: '/api/v1/service/registrations', query: { status: 'pending' } },
    count: (db, auth) => countRegistrations(db, auth, 'pending'),
  },
  {
    key: 'order.ordered', label: '待派单的订单', applies: serviceDesk,
    href: '/service/orders?state=ordered', list: { path: '/api/v1/service/orders', query: { state: 'ordered' } },
    count: async (db, auth) => (await countOrders(db, auth)).byState.ordered ?? 0,
  },
  {
    key: 'record.pending', label: '服务记录待确认', applies: serviceDesk,
    href: '/service/records?status=pending', list: { path: '/api/v1/service/records', query: { status: 'pending' } },
    count: (db, auth) => countRecords(db, auth, 'pending'),
  },
  {
    key: 'import.errors', label: '导入有错误（近 30 天）', applies: (auth) => has(auth, 'import:run'),
    href: '/imports?errors=true', list: { path: '/api/v1/imports', query: { errors: 'true' } },
    count: (db, auth) => countJobsWithErrors(db, auth),
  },
  // ── an in-service member (在职党员)
  {
    key: 'member.orders', label: '在办订单', applies: member,
    href: '/m/orders', list: { path: '/api/v1/service/orders/assigned', query: {} },
    count: async (db, auth) => (await summaryOf(db, auth)).openOrders,
  },
  {
    key: 'member.claims', label: '认领的任务', applies: member,
    href: '/m#my-tasks', list: { path: '/api/v1/service/tasks', query: { mine: 'true' } },
    count: async (db, auth) => (await summaryOf(db, auth)).openClaims,
  },
  {
    key: 'member.posts', label: '我的岗位', applies: member,
    href: '/m/posts', list: { path: '/api/v1/service/posts/mine', query: {} },
    count: async (db, auth) => (await summaryOf(db, auth)).posts.length,
  },
  {
    key: 'member.pending', label: '待确认记录', applies: member,
    href: '/m/records', list: { path: '/api/v1/service/records/mine', query: { status: 'pending' } },
    count: (db, auth) => countMyRecords(db, auth, 'pending'),
  },
  // ── a resident (居民)
  {
    key: 'resident.orders', label: '待评价服务', applies: (auth) => has(auth, 'service:order') && !has(auth, 'service:read'),
    href: '/m?tab=mine&state=done', list: { path: '/api/v1/service/orders/mine', query: { state: 'done' } },
    count: async (db, auth) => count(db, sql`select count(*)::int as n from service_order o where o.resident_user_id = ${auth.userId} and o.state = 'done'`),
  },
  {
    key: 'resident.cases', label: '待评价上报', applies: (auth) => has(auth, 'case:report') && !has(auth, 'case:read'),
    href: '/m/cases', list: { path: '/api/v1/cases/mine', query: {} },
    count: async (db, auth) => count(db, sql`select count(*)::int as n from civic_case c where c.reporter_user_id = ${auth.userId} and c.state = 'rating'`),
  },
  {
    key: 'resident.wishes', label: '在办心愿', applies: resident,
    href: '/m/wishes', list: { path: '/api/v1/cases/mine', query: {} },
    count: async (db, auth) => count(db, sql`select count(*)::int as n from civic_case c where c.reporter_user_id = ${auth.userId} and c.channel = 'wish'
      and c.state in ('reported', 'handling', 'resolved', 'rating')`),
  },
  // ── a unit's party org (报回单位)
  {
    key: 'unit.unregistered', label: '本单位党员未报到', applies: unitOrg,
    href: '/service/unit', list: { path: (auth) => `/api/v1/service/units/${auth.orgCode}/members`, query: {} },
    count: async (db, auth) => (await unitReportOf(db, auth)).items.filter((i) => i.status === 'unregistered').length,
  },
  {
    key: 'unit.pending', label: '本单位党员报到待社区审核', applies: unitOrg,
    href: '/service/unit', list: { path: (auth) => `/api/v1/service/units/${auth.orgCode}/members`, query: {} },
    count: async (db, auth) => (await unitReportOf(db, auth)).items.filter((i) => i.status === 'pending').length,
  },
];

async function count(db: Kysely<DB>, query: ReturnType<typeof sql<{ n: number }>>): Promise<number> {
  const { rows } = await query.execute(db);
  return rows[0]?.n ?? 0;
}

/** The caller's home: their main role and their to-dos with counts, each linking to its list. */
export async function homeOf(db: Kysely<DB>, auth: AuthContext, now = new Date()): Promise<HomeT> {
  const role = ROLE_ORDER.find((r) => auth.roles.includes(r)) ?? auth.roles[0] ?? '';
  const roleName = auth.roleNames[auth.roles.indexOf(role)] ?? '';
  const mine = TODOS.filter((t) => t.applies(auth));
  const items: HomeItemT[] = await Promise.all(mine.map(async (t) => ({
    key: t.key, label: t.label, count: await t.count(db, auth, now), href: t.href,
    list: { path: typeof t.list.path === 'string' ? t.list.path : t.list.path(auth), query: t.list.query },
    hint: t.hint ? await t.hint(db, auth, now) : null,
  })));
  return { role, roleName, items };
}
