/**
 * What a rates or map request is about: a territory node inside the caller's scope, a line department, or — for a
 * caller whose scope is everything and spans several districts — all of it. Also the reporting period on Beijing
 * dates. Out of scope answers 404, as everywhere (platform/scope.ts).
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { AuthContext } from '../../../platform/context.js';
import type { DB } from '../../../platform/db/tables.js';
import { invalid, notFound } from '../../../platform/errors.js';
import { territoryPathInScope, territoryScope } from '../../../platform/scope.js';
import { endOfBeijingDay } from '../../../platform/workdays.js';

/** The territory levels cases are counted at (each case carries its street/community/grid/micro-grid codes). */
export type AreaKind = 'district' | 'street' | 'community' | 'grid' | 'micro_grid';
const areaKinds: readonly string[] = ['district', 'street', 'community', 'grid', 'micro_grid'];

export type InsightScope =
  | { type: 'all'; code: ''; name: string; kind: 'all' }
  | { type: 'area'; code: string; name: string; kind: AreaKind; path: string }
  | { type: 'department'; code: string; name: string; kind: 'department' };

/** The next level down and the civic_case column that names it. */
export const childLevel: Record<AreaKind | 'all', { kind: AreaKind; column: string } | null> = {
  all: { kind: 'district', column: 'subpath(c.territory_path, 0, 1)::text' },
  district: { kind: 'street', column: 'c.street_code' },
  street: { kind: 'community', column: 'c.community_code' },
  community: { kind: 'grid', column: 'c.grid_code' },
  grid: { kind: 'micro_grid', column: 'c.micro_grid_code' },
  micro_grid: null,
};

/**
 * The cases of an area, written per level so that the planner takes the (…_code, reported_at) btree of that level:
 * a street, community or grid by its code column; a micro-grid by its path (GiST); a district as its streets.
 */
export function areaCondition(scope: InsightScope): RawBuilder<SqlBool> {
  if (scope.type === 'all') return sql<SqlBool>`true`;
  if (scope.type === 'department') throw new Error('areaCondition: a department is not an area');
  switch (scope.kind) {
    case 'street': return sql<SqlBool>`c.street_code = ${scope.code}`;
    case 'community': return sql<SqlBool>`c.community_code = ${scope.code}`;
    case 'grid': return sql<SqlBool>`c.grid_code = ${scope.code}`;
    case 'micro_grid': return sql<SqlBool>`c.territory_path <@ cast(${scope.path} as ltree)`;
    case 'district': return sql<SqlBool>`c.street_code in (select s.code from territory_node s where s.parent_code = ${scope.code} and s.kind = 'street')`;
  }
}

interface NodeRow { code: string; name: string; kind: string; path: string }

async function findArea(db: Kysely<DB>, code: string): Promise<NodeRow | undefined> {
  const { rows } = await sql<NodeRow>`select code, name, kind, path::text as path from territory_node where code = ${code}`.execute(db);
  return rows[0];
}

async function findDepartment(db: Kysely<DB>, code: string) {
  const { rows } = await sql<{ code: string; name: string; path: string }>`
    select d.code, d.name, t.path::text as path from department d join territory_node t on t.code = d.territory_code
    where d.code = ${code}`.execute(db);
  return rows[0];
}

function asArea(node: NodeRow): InsightScope {
  if (!areaKinds.includes(node.kind)) {
    throw invalid('scopeCode', '只能按区县、街道、社区、网格、微网格或职能部门统计', 'rates are kept per district, street, community, grid, micro-grid or department');
  }
  return { type: 'area', code: node.code, name: node.name, kind: node.kind as AreaKind, path: node.path };
}

/** The caller's own scope root: the single district, the first root of their territory scope, or everything. */
async function defaultArea(db: Kysely<DB>, auth: AuthContext): Promise<InsightScope> {
  if (auth.scope.kind === 'all') {
    const { rows } = await sql<NodeRow>`select code, name, kind, path::text as path from territory_node
      where parent_code is null order by sort_order, code limit 2`.execute(db);
    if (rows.length === 1) return asArea(rows[0]!);
    return { type: 'all', code: '', name: '全部区域', kind: 'all' };
  }
  const { rows } = await sql<NodeRow>`select code, name, kind, path::text as path from territory_node
    where code = any(${auth.scope.codes}) and kind in ('district', 'street', 'community', 'grid', 'micro_grid')
    order by path limit 1`.execute(db);
  if (!rows[0] || auth.scope.kind === 'self') throw notFound('数据范围', 'scope');
  return asArea(rows[0]);
}

/**
 * Resolves `scopeCode` for the rates (departments allowed) or the map (areas only). A department's staff may ask
 * only for their own department (the default); others for a department serving their area (a district admin: any),
 * whose figures then count the whistles inside their territory scope.
 */
export async function resolveScope(db: Kysely<DB>, auth: AuthContext, scopeCode: string | undefined, allowDepartment: boolean): Promise<InsightScope> {
  const ownDepartment = departmentOf(auth);
  if (ownDepartment) {
    // A department's staff read the cases their department handles or was whistled on, not an area's.
    if (!allowDepartment || (scopeCode !== undefined && scopeCode !== ownDepartment)) throw notFound('区域或部门', 'area or department', 'scopeCode');
    scopeCode = ownDepartment;
  }
  if (scopeCode === undefined) return defaultArea(db, auth);
  const node = await findArea(db, scopeCode);
  if (node) {
    if (!territoryPathInScope(auth, node.path)) throw notFound('区域', 'area', 'scopeCode');
    return asArea(node);
  }
  const department = allowDepartment ? await findDepartment(db, scopeCode) : undefined;
  if (!department) throw notFound('区域或部门', 'area or department', 'scopeCode');
  const related = ownDepartment === department.code
    || territoryPathInScope(auth, department.path) || auth.scope.paths.some((p) => p.startsWith(`${department.path}.`));
  if (!related) throw notFound('部门', 'department', 'scopeCode');
  return { type: 'department', code: department.code, name: department.name, kind: 'department' };
}

/** The department a caller works for, when they act as its staff (case:department). */
export function departmentOf(auth: AuthContext): string | null {
  return auth.departmentCode && auth.permissions.has('case:department') ? auth.departmentCode : null;
}

/**
 * The cases the caller may count: their territory scope; for a department's own staff looking at their department,
 * every case it handles or was whistled on (as their case list shows them).
 */
export function visibleCases(auth: AuthContext, scope: InsightScope): RawBuilder<SqlBool> {
  if (scope.type === 'department' && departmentOf(auth) === scope.code) return sql<SqlBool>`true`;
  // An area resolveScope found inside a subtree scope holds only visible cases: no per-row test needed.
  if (scope.type === 'area' && auth.scope.kind !== 'node') return sql<SqlBool>`true`;
  return territoryScope(auth, 'c.territory_path');
}

/** A reporting period: Beijing dates, both inclusive, as the instants [start, end). */
export interface Period { from: string; to: string; start: Date; end: Date }

const MAX_PERIOD_DAYS = 3660;

export function periodOf(from: string, to: string): Period {
  if (to < from) throw invalid('to', '截止日期不能早于开始日期', 'to is before from');
  const start = endOfBeijingDay(from);
  start.setTime(start.getTime() - 86_400_000);
  const end = endOfBeijingDay(to);
  if ((end.getTime() - start.getTime()) / 86_400_000 > MAX_PERIOD_DAYS) throw invalid('from', '统计期间最长 10 年', 'the period is at most 10 years');
  return { from, to, start, end };
}

/** SQL: the case was reported inside the period. */
export function inPeriod(period: Period): RawBuilder<SqlBool> {
  return sql<SqlBool>`(c.reported_at >= ${period.start} and c.reported_at < ${period.end})`;
}
