/**
 * SQL for the three lists and co-build projects. No rules here: scope conditions arrive from the service
 * (built with platform/scope.ts), except the one rule of which projects a unit party organisation can reach,
 * which is SQL by nature and written once below (`unitReaches`).
 */
import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/tables.js';

type Q = Kysely<DB> | Transaction<DB>;

/**
 * A unit party organisation reaches a community when it is a member of an alliance (近邻党建联盟, 党建理事会)
 * serving that community or a territory above it (its street), or when the unit itself is located inside the
 * community. `orgCode` is a code or an SQL expression (a column); `communityPath` an SQL expression for the
 * community's ltree path.
 */
export function unitReaches(orgCode: string | RawBuilder<unknown>, communityPath: RawBuilder<unknown>): RawBuilder<SqlBool> {
  return sql<SqlBool>`(exists (select 1 from party_org_alliance_member am
      join party_org al on al.code = am.alliance_code and al.kind = 'alliance'
      join territory_node at on at.code = al.territory_code
      where am.member_code = ${orgCode} and ${communityPath} <@ at.path)
    or exists (select 1 from party_org u join territory_node ut on ut.code = u.territory_code
      where u.code = ${orgCode} and ut.path <@ ${communityPath}))`;
}

/** Statuses in which a project still takes units (认领中). */
export const CLAIMABLE = ['published', 'claimed'] as const;

/** What a unit sees: projects it joined, and projects in its reach still open for claiming. */
export function unitSees(orgCode: string, projectAlias: string, communityPathColumn: string): RawBuilder<SqlBool> {
  const p = sql.raw(projectAlias);
  return sql<SqlBool>`(exists (select 1 from coop_project_unit pu where pu.project_id = ${p}.id and pu.org_code = ${orgCode})
    or (${p}.status in ('published', 'claimed') and ${unitReaches(orgCode, sql.ref(communityPathColumn))}))`;
}

export interface CommunityRow { code: string; name: string; kind: string; path: string }

export async function findTerritory(db: Q, code: string): Promise<CommunityRow | undefined> {
  const { rows } = await sql<CommunityRow>`select code, name, kind, path::text as path from territory_node where code = ${code}`.execute(db);
  return rows[0];
}

// ── Needs ───────────────────────────────────────────────────────────────────
export interface NeedRow {
  id: number; community_code: string; community_name: string; community_path: string; title: string; description: string; category: string;
  source: string; beneficiaries: number | null; status: string; project_count: number; created_at: Date | string;
}

export interface NeedFilter { within?: string; status?: string; category?: string; communityCode?: string }

const needSelect = sql`select n.id, n.community_code, c.name as community_name, c.path::text as community_path, n.title, n.description,
    n.category, n.source, n.beneficiaries, n.status, n.created_at,
    (select count(*) from coop_project p where p.need_id = n.id)::int as project_count
  from community_need n join territory_node c on c.code = n.community_code`;

/** Needs matching the filter and the scope condition (over `c.path`), newest first. */
export async function listNeeds(db: Q, filter: NeedFilter, scope: RawBuilder<SqlBool>, limit: number, beforeId: number | null): Promise<NeedRow[]> {
  const { rows } = await sql<NeedRow>`${needSelect}
    where ${scope}
      ${filter.within ? sql`and c.path <@ cast(${filter.within} as ltree)` : sql``}
      ${filter.communityCode ? sql`and n.community_code = ${filter.communityCode}` : sql``}
      ${filter.status ? sql`and n.status = ${filter.status}` : sql``}
      ${filter.category ? sql`and n.category = ${filter.category}` : sql``}
      ${beforeId !== null ? sql`and n.id < ${beforeId}` : sql``}
    order by n.id desc limit ${limit + 1}`.execute(db);
  return rows;
}

export async function findNeed(db: Q, id: number, forUpdate = false): Promise<NeedRow | undefined> {
  const { rows } = await sql<NeedRow>`${needSelect} where n.id = ${id} ${forUpdate ? sql`for update of n` : sql``}`.execute(db);
  return rows[0];
}

export async function insertNeed(db: Q, v: { communityCode: string; title: string; description: string; category: string; source: string;
  beneficiaries: number | null; createdBy: number }): Promise<number> {
  const row = await db.insertInto('community_need').values({
    community_code: v.communityCode, title: v.title, description: v.description, category: v.category, source: v.source,
    beneficiaries: v.beneficiaries, created_by: v.createdBy,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateNeed(db: Q, id: number, v: Partial<{ title: string; description: string; category: string; beneficiaries: number | null; status: string }>): Promise<void> {
  await db.updateTable('community_need').set(v).where('id', '=', id).execute();
}

// ── Projects ────────────────────────────────────────────────────────────────
export interface ProjectRow {
  id: number; community_code: string; community_name: string; community_path: string; need_id: number | null; need_title: string | null;
  title: string; description: string; kind: string; status: string; target_amount: number | null; pledged_amount: number; spent_amount: number;
  starts_on: string | null; ends_on: string | null; created_by: number | null; created_at: Date | string;
  unit_count: number; lead_unit: string | null; pledge_count: number;
}

const projectSelect = sql`select p.id, p.community_code, c.name as community_name, c.path::text as community_path, p.need_id, n.title as need_title,
    p.title, p.description, p.kind, p.status, p.target_amount, p.pledged_amount, p.spent_amount, p.starts_on, p.ends_on, p.created_by, p.created_at,
    (select count(*) from coop_project_unit pu where pu.project_id = p.id)::int as unit_count,
    (select o.name from coop_project_unit pu join party_org o on o.code = pu.org_code where pu.project_id = p.id and pu.role = 'lead' limit 1) as lead_unit,
    (select count(*) from project_pledge pl where pl.project_id = p.id)::int as pledge_count
  from coop_project p join territory_node c on c.code = p.community_code
  left join community_need n on n.id = p.need_id`;

export interface ProjectFilter { within?: string; status?: string; kind?: string; joinedBy?: string; notJoinedBy?: string }

/** Projects matching the filter and the visibility condition (over `p` and `c.path`), newest first. */
export async function listProjects(db: Q, filter: ProjectFilter, visible: RawBuilder<SqlBool>, limit: number, beforeId: number | null): Promise<ProjectRow[]> {
  const { rows } = await sql<ProjectRow>`${projectSelect}
    where ${visible}
      ${filter.within ? sql`and c.path <@ cast(${filter.within} as ltree)` : sql``}
      ${filter.status ? sql`and p.status = ${filter.status}` : sql``}
      ${filter.kind ? sql`and p.kind = ${filter.kind}` : sql``}
      ${filter.joinedBy ? sql`and exists (select 1 from coop_project_unit j where j.project_id = p.id and j.org_code = ${filter.joinedBy})` : sql``}
      ${filter.notJoinedBy ? sql`and not exists (select 1 from coop_project_unit j where j.project_id = p.id and j.org_code = ${filter.notJoinedBy})` : sql``}
      ${beforeId !== null ? sql`and p.id < ${beforeId}` : sql``}
    order by p.id desc limit ${limit + 1}`.execute(db);
  return rows;
}

/** One project if the visibility condition holds for it. */
export async function findProject(db: Q, id: number, visible: RawBuilder<SqlBool> = sql<SqlBool>`true`): Promise<ProjectRow | undefined> {
  const { rows } = await sql<ProjectRow>`${projectSelect} where p.id = ${id} and ${visible}`.execute(db);
  return rows[0];
}

/** Locks the project row for the rest of the transaction (claims, status changes) and returns its status. */
export async function lockProject(db: Q, id: number): Promise<{ status: string; need_id: number | null; created_by: number | null; title: string } | undefined> {
  return db.selectFrom('coop_project').select(['status', 'need_id', 'created_by', 'title']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertProject(db: Q, v: { communityCode: string; needId: number | null; title: string; description: string; kind: string;
  targetAmount: number | null; startsOn: string | null; endsOn: string | null; createdBy: number }): Promise<number> {
  const row = await db.insertInto('coop_project').values({
    community_code: v.communityCode, need_id: v.needId, title: v.title, description: v.description, kind: v.kind,
    target_amount: v.targetAmount, starts_on: v.startsOn, ends_on: v.endsOn, created_by: v.createdBy,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function setProjectStatus(db: Q, id: number, status: string): Promise<void> {
  await db.updateTable('coop_project').set({ status }).where('id', '=', id).execute();
}

/** Other projects (besides `exceptId`) still working on a need. */
export async function countActiveProjectsOfNeed(db: Q, needId: number, exceptId: number): Promise<number> {
  const row = await db.selectFrom('coop_project').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('need_id', '=', needId).where('id', '<>', exceptId).where('status', 'not in', ['done', 'cancelled']).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface UnitRow { org_code: string; org_name: string; unit_name: string | null; role: string; commitment: string; claimed_at: Date | string }

export async function listUnits(db: Q, projectId: number): Promise<UnitRow[]> {
  const { rows } = await sql<UnitRow>`select pu.org_code, o.name as org_name, o.unit_name, pu.role, pu.commitment, pu.claimed_at
    from coop_project_unit pu join party_org o on o.code = pu.org_code where pu.project_id = ${projectId}
    order by pu.claimed_at, pu.org_code`.execute(db);
  return rows;
}

export async function findUnit(db: Q, projectId: number, orgCode: string): Promise<UnitRow | undefined> {
  return (await listUnits(db, projectId)).find((u) => u.org_code === orgCode);
}

export async function insertUnit(db: Q, v: { projectId: number; orgCode: string; role: string; commitment: string; claimedBy: number }): Promise<void> {
  await db.insertInto('coop_project_unit').values({
    project_id: v.projectId, org_code: v.orgCode, role: v.role, commitment: v.commitment, claimed_by: v.claimedBy,
  }).execute();
}

export interface OrgRow { code: string; name: string; kind: string; unit_name: string | null; visible: boolean }

/**
 * A party organisation with whether the caller may name it: the caller's org scope (a condition over alias `o`)
 * covers it, or it reaches the community at `communityPath`.
 */
export async function findOrg(db: Q, code: string, orgVisible: RawBuilder<SqlBool>, communityPath: string | null): Promise<OrgRow | undefined> {
  const reaches = communityPath ? unitReaches(sql.ref('o.code'), sql`cast(${communityPath} as ltree)`) : sql<SqlBool>`false`;
  const { rows } = await sql<OrgRow>`select o.code, o.name, o.kind, o.unit_name, ((${orgVisible}) or ${reaches}) as visible
    from party_org o where o.code = ${code}`.execute(db);
  return rows[0];
}

export interface ReachingUnitRow { code: string; name: string; unit_name: string | null; located: boolean; alliances: string[] | null }

/** The unit party organisations that reach a community (`unitReaches`): who may claim its projects. */
export async function unitsReaching(db: Q, communityPath: string): Promise<ReachingUnitRow[]> {
  const { rows } = await sql<ReachingUnitRow>`select o.code, o.name, o.unit_name,
      exists (select 1 from territory_node ut where ut.code = o.territory_code and ut.path <@ cast(${communityPath} as ltree)) as located,
      (select array_agg(al.name order by al.code) from party_org_alliance_member am join party_org al on al.code = am.alliance_code
        join territory_node at on at.code = al.territory_code
        where am.member_code = o.code and cast(${communityPath} as ltree) <@ at.path) as alliances
    from party_org o
    where o.kind = 'unit_org' and ${unitReaches(sql.ref('o.code'), sql`cast(${communityPath} as ltree)`)}
    order by o.code`.execute(db);
  return rows;
}

export interface PledgeRow { id: number; org_code: string | null; donor_name: string; amount: number; pledged_at: Date | string }
export interface SpendingRow { id: number; amount: number; purpose: string; spent_on: string; evidence: unknown; recorded_at: Date | string }

/** Pledges of a project; a unit's pledge carries the unit organisation's name. */
export async function listPledges(db: Q, projectId: number): Promise<PledgeRow[]> {
  const { rows } = await sql<PledgeRow>`select pl.id, pl.org_code, coalesce(o.name, pl.donor_name) as donor_name, pl.amount, pl.pledged_at
    from project_pledge pl left join party_org o on o.code = pl.org_code where pl.project_id = ${projectId} order by pl.id`.execute(db);
  return rows;
}

export async function listSpending(db: Q, projectId: number): Promise<SpendingRow[]> {
  return db.selectFrom('project_spending').select(['id', 'amount', 'purpose', 'spent_on', 'evidence', 'recorded_at'])
    .where('project_id', '=', projectId).orderBy('id').execute();
}

export async function insertPledge(db: Q, v: { projectId: number; orgCode: string | null; donorName: string; amount: number; recordedBy: number }): Promise<number> {
  const row = await db.insertInto('project_pledge').values({
    project_id: v.projectId, org_code: v.orgCode, donor_name: v.donorName, amount: v.amount, recorded_by: v.recordedBy,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function insertSpending(db: Q, v: { projectId: number; amount: number; purpose: string; spentOn: string; evidence: string[]; recordedBy: number }): Promise<number> {
  const row = await db.insertInto('project_spending').values({
    project_id: v.projectId, amount: v.amount, purpose: v.purpose, spent_on: v.spentOn,
    evidence: sql`cast(${JSON.stringify(v.evidence)} as jsonb)`, recorded_by: v.recordedBy,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function projectTotals(db: Q, id: number): Promise<{ pledged_amount: number; spent_amount: number }> {
  return db.selectFrom('coop_project').select(['pledged_amount', 'spent_amount']).where('id', '=', id).executeTakeFirstOrThrow();
}

/** How many of the given file ids exist. */
export async function countFiles(db: Q, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const row = await db.selectFrom('stored_file').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'in', ids).executeTakeFirstOrThrow();
  return Number(row.n);
}

// ── Lists summary and overview (derived by SQL aggregates) ──────────────────
export interface ListsRow {
  needs_by_status: { key: string; count: number }[] | null;
  needs_by_category: { key: string; count: number }[] | null;
  resources_by_kind: { key: string; count: number }[] | null;
  projects_by_status: { key: string; count: number }[] | null;
  projects_by_kind: { key: string; count: number }[] | null;
  pledged: number; spent: number; target: number; units: number;
}

/** The three lists' figures for one community, in one statement. */
export async function communityListFigures(db: Q, communityCode: string): Promise<ListsRow> {
  const { rows } = await sql<ListsRow>`
    with pr as (select * from coop_project where community_code = ${communityCode})
    select
      (select json_agg(json_build_object('key', status, 'count', n) order by status) from
        (select status, count(*)::int as n from community_need where community_code = ${communityCode} group by status) s) as needs_by_status,
      (select json_agg(json_build_object('key', category, 'count', n) order by category) from
        (select category, count(*)::int as n from community_need where community_code = ${communityCode} group by category) s) as needs_by_category,
      (select json_agg(json_build_object('key', kind, 'count', n) order by kind) from
        (select kind, count(*)::int as n from force_resource where community_code = ${communityCode} and status <> 'withdrawn' group by kind) s) as resources_by_kind,
      (select json_agg(json_build_object('key', status, 'count', n) order by status) from
        (select status, count(*)::int as n from pr group by status) s) as projects_by_status,
      (select json_agg(json_build_object('key', kind, 'count', n) order by kind) from
        (select kind, count(*)::int as n from pr group by kind) s) as projects_by_kind,
      (select coalesce(sum(pledged_amount), 0) from pr) as pledged,
      (select coalesce(sum(spent_amount), 0) from pr) as spent,
      (select coalesce(sum(target_amount), 0) from pr where status <> 'cancelled') as target,
      (select count(distinct org_code)::int from (
        select pu.org_code from coop_project_unit pu join pr on pr.id = pu.project_id
        union select pl.org_code from project_pledge pl join pr on pr.id = pl.project_id where pl.org_code is not null) u) as units`.execute(db);
  return rows[0]!;
}

export interface ResourceRow {
  id: number; kind: string; name: string; provider_org: string | null; provider_name: string | null; quantity: number | null; unit: string | null;
  status: string; created_at: Date | string;
}

export async function latestResources(db: Q, communityCode: string, limit: number): Promise<ResourceRow[]> {
  return db.selectFrom('force_resource')
    .select(['id', 'kind', 'name', 'provider_org', 'provider_name', 'quantity', 'unit', 'status', 'created_at'])
    .where('community_code', '=', communityCode).where('status', '<>', 'withdrawn').orderBy('id', 'desc').limit(limit).execute();
}

export interface OverviewRow {
  community_code: string; community_name: string; street_name: string | null; open_needs: number; needs: number; projects: number;
  published: number; claimed: number; in_progress: number; done: number; cancelled: number;
  pledged: number; spent: number; units: number; total_units: number;
}

/** Per community under `within` and inside the scope condition (over `c.path`): needs, projects by status, money, units. */
export async function overview(db: Q, within: string | null, scope: RawBuilder<SqlBool>): Promise<OverviewRow[]> {
  const { rows } = await sql<OverviewRow>`
    with c as (select c.code, c.name, c.path, c.parent_code from territory_node c
      where c.kind = 'community' and ${scope} ${within ? sql`and c.path <@ cast(${within} as ltree)` : sql``}),
    n as (select n.community_code, count(*) filter (where n.status = 'open')::int as open_needs, count(*)::int as needs
      from community_need n join c on c.code = n.community_code group by n.community_code),
    p as (select p.community_code, count(*)::int as projects,
        count(*) filter (where p.status = 'published')::int as published, count(*) filter (where p.status = 'claimed')::int as claimed,
        count(*) filter (where p.status = 'in_progress')::int as in_progress, count(*) filter (where p.status = 'done')::int as done,
        count(*) filter (where p.status = 'cancelled')::int as cancelled,
        sum(p.pledged_amount) as pledged, sum(p.spent_amount) as spent
      from coop_project p join c on c.code = p.community_code group by p.community_code),
    u as (select distinct p.community_code, x.org_code from coop_project p join c on c.code = p.community_code
      join (select project_id, org_code from coop_project_unit
            union select project_id, org_code from project_pledge where org_code is not null) x on x.project_id = p.id)
    select c.code as community_code, c.name as community_name, s.name as street_name,
      coalesce(n.open_needs, 0) as open_needs, coalesce(n.needs, 0) as needs, coalesce(p.projects, 0) as projects,
      coalesce(p.published, 0) as published, coalesce(p.claimed, 0) as claimed, coalesce(p.in_progress, 0) as in_progress,
      coalesce(p.done, 0) as done, coalesce(p.cancelled, 0) as cancelled,
      coalesce(p.pledged, 0) as pledged, coalesce(p.spent, 0) as spent,
      (select count(*) from u where u.community_code = c.code)::int as units,
      (select count(distinct org_code) from u)::int as total_units
    from c left join territory_node s on s.code = c.parent_code
    left join n on n.community_code = c.code left join p on p.community_code = c.code
    order by c.path`.execute(db);
  return rows;
}
