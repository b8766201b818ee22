/**
 * SQL for tasks, claims and mobilisation calls. No rules here: scope conditions, the member's reach and the
 * checks arrive from the service. Claiming is the database function `claim_task_slot` (migration 0006): the
 * task row lock orders concurrent claimers, the unique indexes and the check on `claimed` hold the invariants.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/tables.js';
import { executePrepared } from '../../platform/db/prepared.js';

type Q = Kysely<DB> | Transaction<DB>;
/** A scope condition over an ltree column, e.g. `(col) => territoryScope(auth, col)`. */
export type PathScope = (column: string) => RawBuilder<SqlBool>;

export interface ScopeNode { code: string; name: string; kind: string; path: string }

export async function findNode(db: Q, code: string): Promise<ScopeNode | undefined> {
  const { rows } = await sql<ScopeNode>`select code, name, kind, path::text as path from territory_node where code = ${code}`.execute(db);
  return rows[0];
}

export async function unknownSkills(db: Q, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const { rows } = await sql<{ code: string }>`
    select c as code from unnest(cast(${codes} as text[])) c where not exists (select 1 from skill s where s.code = c)`.execute(db);
  return rows.map((r) => r.code);
}

export interface NewTask {
  callId: number | null; title: string; description: string; size: string; scopeCode: string; scopePath: string; skills: string[];
  location: unknown | null; capacity: number; startsAt: string; endsAt: string; hourCap: number | null; emergency: boolean; createdBy: number;
}

export async function insertTasks(db: Q, tasks: NewTask[]): Promise<number[]> {
  if (tasks.length === 0) return [];
  const values = tasks.map((t) => sql`(${t.callId}::bigint, ${t.title}, ${t.description}, ${t.size}, ${t.scopeCode}, cast(${t.scopePath} as ltree),
    cast(${t.skills} as text[]), ${t.location ? sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(t.location)}), 4326)` : sql`null::geometry`},
    ${t.capacity}::int, cast(${t.startsAt} as timestamptz), cast(${t.endsAt} as timestamptz), coalesce(${t.hourCap}::numeric, 4), ${t.emergency}, ${t.createdBy}::bigint)`);
  const { rows } = await sql<{ id: number }>`
    insert into service_task (call_id, title, description, size, scope_code, scope_path, skills, location, capacity, starts_at, ends_at,
      hour_cap, emergency, created_by)
    values ${sql.join(values)} returning id`.execute(db);
  return rows.map((r) => r.id);
}

export interface TaskRow {
  id: number; call_id: number | null; title: string; description: string; size: string; scope_code: string; scope_name: string;
  scope_path: string; skills: { code: string; name: string }[]; location: unknown | null; capacity: number; claimed: number;
  starts_at: Date; ends_at: Date; hour_cap: number; emergency: boolean; status: string; created_by: number | null; created_at: Date;
  distance: number | null; my_claim_id: number | null; my_claim_status: string | null; my_team_id: number | null;
  my_checked_in_at: Date | null; my_checked_out_at: Date | null;
}

/** Columns of a task as presented; `force` adds the distance from that member's home and their claim. */
function taskColumns(forceId: number | null) {
  return sql`t.id, t.call_id, t.title, t.description, t.size, t.scope_code, n.name as scope_name, t.scope_path::text as scope_path,
    coalesce((select json_agg(json_build_object('code', s.code, 'name', s.name) order by s.sort_order) from skill s where s.code = any(t.skills)), '[]') as skills,
    ST_AsGeoJSON(t.location)::json as location, t.capacity, t.claimed, t.starts_at, t.ends_at, t.hour_cap, t.emergency, t.status,
    t.created_by, t.created_at,
    ${forceId === null ? sql`null::float8 as distance, null::bigint as my_claim_id, null::text as my_claim_status, null::bigint as my_team_id,
      null::timestamptz as my_checked_in_at, null::timestamptz as my_checked_out_at`
      : sql`(select ST_Distance(t.location::geography, f.home_location::geography) from force_person f where f.id = ${forceId}) as distance,
      mc.id as my_claim_id, mc.status as my_claim_status, mc.team_id as my_team_id, mc.checked_in_at as my_checked_in_at, mc.checked_out_at as my_checked_out_at`}`;
}

function myClaimJoin(forceId: number | null) {
  return forceId === null ? sql``
    : sql`left join task_claim mc on mc.task_id = t.id and mc.force_id = ${forceId} and mc.status <> 'cancelled'`;
}

export async function findTask(db: Q, id: number, forceId: number | null = null, reach: RawBuilder<SqlBool> | null = null): Promise<TaskRow | undefined> {
  const { rows } = await sql<TaskRow>`select ${taskColumns(forceId)} from service_task t join territory_node n on n.code = t.scope_code
    ${myClaimJoin(forceId)} where t.id = ${id} ${reach ? sql`and ${reach}` : sql``}`.execute(db);
  return rows[0];
}

/**
 * Whether a task is within a member's reach: its scope covers the member's community, or its place lies within
 * `nearMeters` of the member's home. Written over the aliases `t` (service_task) and the force id.
 */
export function memberReach(forceId: number, nearMeters: number, alias = 't'): RawBuilder<SqlBool> {
  const t = sql.raw(alias);
  return sql<SqlBool>`exists (select 1 from force_person rf where rf.id = ${forceId} and (${t}.scope_path @> rf.community_path
    or (${t}.location is not null and rf.home_location is not null
      and ST_DWithin(${t}.location::geography, rf.home_location::geography, ${nearMeters}))))`;
}

export interface TaskFilter {
  inScope: RawBuilder<SqlBool>; status?: string | undefined; callId?: number | undefined; q?: string | undefined;
  forceId: number | null; mine?: boolean | undefined; current?: boolean | undefined; before: number | null; limit: number;
}

export async function listTasks(db: Q, f: TaskFilter): Promise<TaskRow[]> {
  const like = f.q ? `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const { rows } = await sql<TaskRow>`select ${taskColumns(f.forceId)} from service_task t join territory_node n on n.code = t.scope_code
    ${myClaimJoin(f.forceId)}
    where ${f.inScope}
      ${f.status ? sql`and t.status = ${f.status}` : sql``}
      ${f.callId ? sql`and t.call_id = ${f.callId}` : sql``}
      ${like ? sql`and t.title like ${like}` : sql``}
      ${f.mine ? sql`and mc.id is not null` : sql``}
      ${f.current ? sql`and t.ends_at > now()` : sql``}
      ${f.before !== null ? sql`and t.id < ${f.before}` : sql``}
    order by t.id desc limit ${f.limit + 1}`.execute(db);
  return rows;
}

export interface SlotResult { status: string; claim_id: number | null; claimed: number; capacity: number }

/**
 * One slot for one member, as a single statement: the task must lie within `reach` (else no row: not found),
 * then `claim_task_slot` answers CLAIMED / REPLAY / ALREADY_DONE / FULL / CLOSED / NOT_FOUND.
 */
export async function claimSlot(db: Q, a: { taskId: number; forceId: number; teamId: number | null; userId: number; key: string | null;
  reach: RawBuilder<SqlBool> | null }): Promise<SlotResult | undefined> {
  const { rows } = a.reach
    ? await sql<SlotResult>`select r.status, r.claim_id, r.claimed, r.capacity from service_task t,
        lateral claim_task_slot(t.id, ${a.forceId}::bigint, ${a.teamId}::bigint, ${a.userId}::bigint, ${a.key}::text) r
        where t.id = ${a.taskId} and ${a.reach}`.execute(db)
    : await sql<SlotResult>`select status, claim_id, claimed, capacity
        from claim_task_slot(${a.taskId}::bigint, ${a.forceId}::bigint, ${a.teamId}::bigint, ${a.userId}::bigint, ${a.key}::text)`.execute(db);
  return rows[0];
}

/** What one member's claim statement answers: the caller's force row (null when not in the register) and the slot. */
export interface MemberClaimRow { force_id: number | null; force_status: string | null; status: string | null; claim_id: number | null;
  claimed: number | null; capacity: number | null }

/**
 * A member claiming alone, in ONE statement (the hot path of an emergency wave): the caller's force row by person,
 * and — when it is active and the task lies within its reach (scope covers the member's community, or the place is
 * within `nearMeters` of home) — `claim_task_slot`. No row: not in the register; `status` null: not active, or the
 * task is unknown or out of reach.
 * `offset 0` keeps the inner query from being pulled up into the outer join: there, the status and reach
 * conditions would become join filters checked AFTER the function had claimed (a paused member's slot taken, then
 * the request refused). Planned on its own, the status test is a one-time gate and the reach a filter on the task
 * row, both before the function runs (tasks.test.ts checks that a refused claim leaves no row).
 */
export async function claimAsMember(db: Q, a: { taskId: number; personId: number; userId: number; key: string | null; nearMeters: number },
): Promise<MemberClaimRow | undefined> {
  const query = sql<MemberClaimRow>`select f.id as force_id, f.status as force_status, r.status, r.claim_id, r.claimed, r.capacity
    from force_person f left join lateral (
      select s.status, s.claim_id, s.claimed, s.capacity from service_task t,
        lateral claim_task_slot(t.id, f.id, null::bigint, ${a.userId}::bigint, ${a.key}::text) s
      where t.id = ${a.taskId}::bigint and f.status = 'active' and (t.scope_path @> f.community_path
        or (t.location is not null and f.home_location is not null
          and ST_DWithin(t.location::geography, f.home_location::geography, ${a.nearMeters}::float8)))
      offset 0
    ) r on true
    where f.person_id = ${a.personId}::bigint`;
  return (await executePrepared(db, 'linli_claim_as_member', query))[0];
}

export interface TeamRow { id: number; community_code: string; leader_id: number | null; caller_role: string | null }

/** A team with the caller's role in it (null when not a member). */
export async function findTeam(db: Q, teamId: number, forceId: number): Promise<TeamRow | undefined> {
  const { rows } = await sql<TeamRow>`select t.id, t.community_code, t.leader_id, m.role as caller_role from force_team t
    left join force_team_member m on m.team_id = t.id and m.force_id = ${forceId} where t.id = ${teamId}`.execute(db);
  return rows[0];
}

/** Which of `forceIds` are members of the team (and active in the register). */
export async function teamMembers(db: Q, teamId: number, forceIds: number[]): Promise<number[]> {
  const { rows } = await sql<{ force_id: number }>`select m.force_id from force_team_member m join force_person f on f.id = m.force_id
    where m.team_id = ${teamId} and f.status = 'active' and m.force_id = any(cast(${forceIds} as bigint[]))`.execute(db);
  return rows.map((r) => r.force_id);
}

export async function cancelOwnClaim(db: Q, taskId: number, forceId: number): Promise<{ id: number } | undefined> {
  const { rows } = await sql<{ id: number }>`update task_claim set status = 'cancelled'
    where task_id = ${taskId} and force_id = ${forceId} and status = 'claimed' returning id`.execute(db);
  return rows[0];
}

export async function heldClaim(db: Q, taskId: number, forceId: number): Promise<{ id: number; status: string } | undefined> {
  const { rows } = await sql<{ id: number; status: string }>`select id, status from task_claim
    where task_id = ${taskId} and force_id = ${forceId} and status <> 'cancelled'`.execute(db);
  return rows[0];
}

export interface AttendanceRow { id: number; task_id: number; status: string; checked_in_at: Date | null; checked_out_at: Date | null }

/** The member's own live (not cancelled) claim on a task, locked for a check-in or check-out. */
export async function lockOwnClaim(db: Q, taskId: number, forceId: number): Promise<AttendanceRow | undefined> {
  const { rows } = await sql<AttendanceRow>`select id, task_id, status, checked_in_at, checked_out_at from task_claim
    where task_id = ${taskId} and force_id = ${forceId} and status <> 'cancelled' for update`.execute(db);
  return rows[0];
}

/** Stamps the claim's check-in or check-out now, unless it already has one (the first time stays). */
export async function stampAttendance(db: Q, claimId: number, which: 'in' | 'out'): Promise<AttendanceRow> {
  const { rows } = await sql<AttendanceRow>`update task_claim
    set ${which === 'in' ? sql`checked_in_at = coalesce(checked_in_at, now())` : sql`checked_out_at = coalesce(checked_out_at, now())`}
    where id = ${claimId} returning id, task_id, status, checked_in_at, checked_out_at`.execute(db);
  return rows[0]!;
}

export interface ClaimRow { id: number; task_id: number; force_id: number; team_id: number | null; status: string; user_id: number | null }

export async function lockClaim(db: Q, claimId: number): Promise<ClaimRow | undefined> {
  const { rows } = await sql<ClaimRow>`select c.id, c.task_id, c.force_id, c.team_id, c.status, f.user_id from task_claim c
    join force_person f on f.id = c.force_id where c.id = ${claimId} for update of c`.execute(db);
  return rows[0];
}

export async function countOwnFiles(db: Q, ids: string[], userId: number): Promise<number> {
  if (ids.length === 0) return 0;
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from stored_file
    where id = any(cast(${ids} as uuid[])) and created_by = ${userId}`.execute(db);
  return rows[0]?.n ?? 0;
}

export async function markClaimDone(db: Q, claimId: number): Promise<void> {
  await sql`update task_claim set status = 'done', done_at = now() where id = ${claimId}`.execute(db);
}

export async function insertTaskRecord(db: Q, r: { forceId: number; claimId: number; communityCode: string; title: string; size: string;
  hours: number; hourCap: number; evidence: string[]; note: string | null }): Promise<number> {
  const { rows } = await sql<{ id: number }>`insert into service_record (force_id, source, claim_id, community_code, title, size, served_on,
      hours, hour_cap, evidence, note)
    values (${r.forceId}, 'task', ${r.claimId}, ${r.communityCode}, ${r.title}, ${r.size}, (now() at time zone 'Asia/Shanghai')::date,
      ${r.hours}, ${r.hourCap}, cast(${JSON.stringify(r.evidence)} as jsonb), ${r.note}) returning id`.execute(db);
  return rows[0]!.id;
}

export interface ClaimListRow {
  id: number; force_id: number; name: string | null; team_id: number | null; team_name: string | null; status: string; claimed_at: Date;
  done_at: Date | null; checked_in_at: Date | null; checked_out_at: Date | null;
}

export async function listClaims(db: Q, taskId: number): Promise<ClaimListRow[]> {
  const { rows } = await sql<ClaimListRow>`
    select c.id, c.force_id, p.name, c.team_id, tm.name as team_name, c.status, c.claimed_at, c.done_at, c.checked_in_at, c.checked_out_at from task_claim c
    join force_person f on f.id = c.force_id join person p on p.id = f.person_id left join force_team tm on tm.id = c.team_id
    where c.task_id = ${taskId} order by c.id`.execute(db);
  return rows;
}

/** Sets a task's status from open; the claims of a cancelled task are cancelled with it (their slots and loads freed). */
export async function finishTask(db: Q, taskId: number, status: 'closed' | 'cancelled'): Promise<{ user_ids: number[] } | undefined> {
  const { rows } = await sql<{ id: number }>`update service_task set status = ${status} where id = ${taskId} and status = 'open' returning id`.execute(db);
  if (!rows[0]) return undefined;
  if (status === 'closed') return { user_ids: [] };
  const cancelled = await sql<{ user_id: number | null }>`update task_claim c set status = 'cancelled' from force_person f
    where c.task_id = ${taskId} and c.status = 'claimed' and f.id = c.force_id returning f.user_id`.execute(db);
  return { user_ids: cancelled.rows.map((r) => r.user_id).filter((u): u is number => u !== null) };
}

// ─── Mobilisation calls ───────────────────────────────────────────────────────

export async function insertCall(db: Q, c: { title: string; message: string; scopeCode: string; scopePath: string; createdBy: number }): Promise<{ id: number; created_at: Date }> {
  const { rows } = await sql<{ id: number; created_at: Date }>`insert into mobilisation_call (title, message, scope_code, scope_path, created_by)
    values (${c.title}, ${c.message}, ${c.scopeCode}, cast(${c.scopePath} as ltree), ${c.createdBy}) returning id, created_at`.execute(db);
  return rows[0]!;
}

export interface CallRow {
  id: number; title: string; message: string; scope_code: string; scope_name: string; scope_path: string; created_at: Date; closed_at: Date | null;
  tasks: number; capacity: number; claimed: number; members: number; teams: number; done: number;
}

/** Live counters of a call, derived from its tasks and claims. */
function callCounters(alias: string) {
  const c = sql.raw(alias);
  return sql`(select count(*) from service_task t where t.call_id = ${c}.id and t.status <> 'cancelled')::int as tasks,
    (select coalesce(sum(t.capacity), 0) from service_task t where t.call_id = ${c}.id and t.status <> 'cancelled')::int as capacity,
    (select coalesce(sum(t.claimed), 0) from service_task t where t.call_id = ${c}.id and t.status <> 'cancelled')::int as claimed,
    k.members, k.teams, k.done`;
}
function claimCounts(alias: string) {
  const c = sql.raw(alias);
  return sql`left join lateral (select count(distinct tc.force_id)::int as members, count(distinct tc.team_id)::int as teams,
      count(*) filter (where tc.status = 'done')::int as done
    from service_task t join task_claim tc on tc.task_id = t.id and tc.status <> 'cancelled' where t.call_id = ${c}.id) k on true`;
}

export async function findCall(db: Q, id: number): Promise<CallRow | undefined> {
  const { rows } = await sql<CallRow>`select c.id, c.title, c.message, c.scope_code, n.name as scope_name, c.scope_path::text as scope_path,
      c.created_at, c.closed_at, ${callCounters('c')}
    from mobilisation_call c join territory_node n on n.code = c.scope_code ${claimCounts('c')} where c.id = ${id}`.execute(db);
  return rows[0];
}

export async function listCalls(db: Q, f: { inScope: RawBuilder<SqlBool>; active?: boolean | undefined; before: number | null; limit: number }): Promise<CallRow[]> {
  const { rows } = await sql<CallRow>`select c.id, c.title, c.message, c.scope_code, n.name as scope_name, c.scope_path::text as scope_path,
      c.created_at, c.closed_at, ${callCounters('c')}
    from mobilisation_call c join territory_node n on n.code = c.scope_code ${claimCounts('c')}
    where ${f.inScope} ${f.active ? sql`and c.closed_at is null` : sql``} ${f.before !== null ? sql`and c.id < ${f.before}` : sql``}
    order by c.id desc limit ${f.limit + 1}`.execute(db);
  return rows;
}

export async function closeCall(db: Q, id: number): Promise<boolean> {
  const { rows } = await sql<{ id: number }>`update mobilisation_call set closed_at = now() where id = ${id} and closed_at is null returning id`.execute(db);
  if (!rows[0]) return false;
  await sql`update service_task set status = 'closed' where call_id = ${id} and status = 'open'`.execute(db);
  return true;
}

/** The caller's force row with what a member view needs: where they live and serve. */
export async function forcePlace(db: Q, forceId: number): Promise<{ community_path: string; has_home: boolean } | undefined> {
  const { rows } = await sql<{ community_path: string; has_home: boolean }>`select community_path::text as community_path,
    home_location is not null as has_home from force_person where id = ${forceId}`.execute(db);
  return rows[0];
}

export async function callTaskIds(db: Q, callId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`select id from service_task where call_id = ${callId}`.execute(db);
  return rows.map((r) => r.id);
}
