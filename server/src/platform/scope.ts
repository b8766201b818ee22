/**
 * The one place data scope is decided. Every query that reads scoped rows filters with `territoryScope`
 * (or `orgScope`), and every single-record read goes through `assertTerritoryInScope`. A user sees their
 * scope's subtree and nothing beside it (SPEC.md, Cross-cutting).
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { AuthContext } from './context.js';
import { notFound } from './errors.js';

/** SQL condition: the ltree column `pathColumn` lies inside the caller's territory scope. */
export function territoryScope(auth: AuthContext, pathColumn: string): RawBuilder<SqlBool> {
  const column = sql.ref(pathColumn);
  const paths = auth.scope.paths;
  switch (auth.scope.kind) {
    case 'all':
      return sql<SqlBool>`true`;
    case 'subtree':
    case 'custom':
      // Sent as text[] and cast in SQL: a client that connected before the ltree extension existed
      // (the embedded engine on its first start) cannot serialise an ltree[] parameter itself.
      return paths.length ? sql<SqlBool>`${column} <@ cast(cast(${sql.val(paths)} as text[]) as ltree[])` : sql<SqlBool>`false`;
    case 'node':
      return paths.length ? sql<SqlBool>`${column} = any(cast(cast(${sql.val(paths)} as text[]) as ltree[]))` : sql<SqlBool>`false`;
    case 'self':
      return sql<SqlBool>`false`;
  }
}

/** True when a territory path is inside the caller's scope (same rule as territoryScope, in memory). */
export function territoryPathInScope(auth: AuthContext, path: string): boolean {
  switch (auth.scope.kind) {
    case 'all':
      return true;
    case 'subtree':
    case 'custom':
      return auth.scope.paths.some((p) => path === p || path.startsWith(`${p}.`));
    case 'node':
      return auth.scope.paths.includes(path);
    case 'self':
      return false;
  }
}

/** Throws NOT_FOUND (never FORBIDDEN: existence itself is private) when the path is out of scope. */
export function assertTerritoryInScope(auth: AuthContext, path: string | null | undefined, what = '区域节点'): void {
  if (!path || !territoryPathInScope(auth, path)) throw notFound(what, 'territory node');
}

/**
 * SQL condition for party organisations: an org is visible when the territory it serves is in scope, or it
 * is (inside) the caller's own org, or it is a unit org joined to an alliance that is visible.
 */
export function orgScope(auth: AuthContext, alias: string): RawBuilder<SqlBool> {
  const a = sql.raw(alias);
  const ownOrg = auth.orgPath ? sql<SqlBool>`${a}.path <@ cast(${auth.orgPath} as ltree)` : sql<SqlBool>`false`;
  if (auth.scope.kind === 'all') return sql<SqlBool>`true`;
  if (auth.scope.kind === 'self') return ownOrg;
  const servedInScope = sql<SqlBool>`exists (select 1 from territory_node st
      where st.code = ${a}.territory_code and ${territoryScope(auth, 'st.path')})`;
  const allianceInScope = sql<SqlBool>`exists (select 1 from party_org_alliance_member am
      join party_org al on al.code = am.alliance_code
      join territory_node at on at.code = al.territory_code
      where am.member_code = ${a}.code and ${territoryScope(auth, 'at.path')})`;
  return sql<SqlBool>`(${servedInScope} or ${allianceInScope} or ${ownOrg})`;
}

/**
 * A grid worker (网格员/网格长): `case:handle` with a scope rooted at a grid or below. A street desk or the district
 * admin holds case:handle only to grant it; their scope makes them desks, not grid workers.
 */
export function isGridWorker(auth: AuthContext): boolean {
  return auth.permissions.has('case:handle') && (auth.scope.kind === 'subtree' || auth.scope.kind === 'custom' || auth.scope.kind === 'node')
    && auth.scope.paths.length > 0 && auth.scope.paths.every((p) => p.split('.').length >= 4);
}

/**
 * A property company (物业) at its compounds: `case:property` with a scope rooted at a compound or below (a compound's
 * path has four labels, as a grid's does). The street desk and the district admin hold case:property only to grant it.
 */
export function isPropertyPartner(auth: AuthContext): boolean {
  return auth.permissions.has('case:property') && (auth.scope.kind === 'subtree' || auth.scope.kind === 'custom' || auth.scope.kind === 'node')
    && auth.scope.paths.length > 0 && auth.scope.paths.every((p) => p.split('.').length >= 4);
}
