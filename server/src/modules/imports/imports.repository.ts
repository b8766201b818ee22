/** SQL of the importer: job rows, look-ups for validation, and set-based batch upserts (unnest + on conflict). */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/tables.js';
import type { AuthContext } from '../../platform/context.js';
import { orgScope, territoryScope } from '../../platform/scope.js';
import type { ImportKind, ImportMode } from './imports.schema.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface JobRow {
  id: string; kind: ImportKind; mode: ImportMode; status: 'queued' | 'running' | 'succeeded' | 'failed'; file_name: string;
  total: number; processed: number; imported: number; updated: number; rejected: number; message: string | null;
  has_report: boolean; created_by: number; created_at: Date; finished_at: Date | null;
}

const jobColumns = sql`id::text as id, kind, mode, status, file_name, total, processed, imported, updated, rejected, message,
  error_report is not null as has_report, created_by, created_at, finished_at`;

export async function insertJob(db: Q, job: { kind: ImportKind; mode: ImportMode; fileName: string; fileSize: number; createdBy: number }): Promise<{ id: string; created_at: Date }> {
  const { rows } = await sql<{ id: string; created_at: Date }>`insert into import_job (kind, mode, file_name, file_size, created_by)
    values (${job.kind}, ${job.mode}, ${job.fileName}, ${job.fileSize}, ${job.createdBy}) returning id::text as id, created_at`.execute(db);
  return rows[0]!;
}

/** A job of its creator (jobs are private to who ran them). */
export async function findJob(db: Q, id: string, userId: number): Promise<JobRow | undefined> {
  const { rows } = await sql<JobRow>`select ${jobColumns} from import_job where id = ${id}::uuid and created_by = ${userId}`.execute(db);
  return rows[0];
}

/** A job with something to look at: rows refused, or the whole file failed — within the last 30 days. */
const withErrorsCondition = sql`(rejected > 0 or status = 'failed') and created_at > now() - interval '30 days'`;

export async function listJobs(db: Q, userId: number, limit: number, after: [string, string] | null, withErrors = false): Promise<JobRow[]> {
  const cursor = after ? sql`and (created_at, id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``;
  const errors = withErrors ? sql`and ${withErrorsCondition}` : sql``;
  const { rows } = await sql<JobRow>`select ${jobColumns} from import_job where created_by = ${userId} ${errors} ${cursor}
    order by created_at desc, id desc limit ${limit + 1}`.execute(db);
  return rows;
}

export async function countJobsWithErrors(db: Q, userId: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from import_job where created_by = ${userId} and ${withErrorsCondition}`.execute(db);
  return rows[0]!.n;
}

export async function errorReportOf(db: Q, id: string, userId: number): Promise<{ report: Uint8Array | null; file_name: string } | undefined> {
  const { rows } = await sql<{ report: Uint8Array | null; file_name: string }>`select error_report as report, file_name from import_job
    where id = ${id}::uuid and created_by = ${userId}`.execute(db);
  return rows[0];
}

export async function updateJob(db: Q, id: string, fields: Partial<{
  status: string; total: number; processed: number; imported: number; updated: number; rejected: number; message: string | null;
  error_report: Uint8Array | null; started: boolean; finished: boolean;
}>): Promise<void> {
  const { started, finished, ...rest } = fields;
  await db.updateTable('import_job').set({
    ...rest,
    ...(started ? { started_at: sql<Date>`now()` } : {}),
    ...(finished ? { finished_at: sql<Date>`now()` } : {}),
  } as never).where('id', '=', id).execute();
}

/** Jobs left queued or running by a previous process: their transaction never committed. */
export async function failInterruptedJobs(db: Q): Promise<void> {
  await sql`update import_job set status = 'failed', finished_at = now(), message = '服务重启，导入中断，未写入任何数据'
    where status in ('queued', 'running')`.execute(db);
}

export interface CompoundRow { code: string; name: string; community_code: string; community_name: string; in_scope: boolean }

/** Every compound with its community, flagged in or out of the caller's scope (out-of-scope rows are named as such). */
export async function loadCompounds(db: Q, auth: AuthContext): Promise<CompoundRow[]> {
  const { rows } = await sql<CompoundRow>`select c.code, c.name, m.code as community_code, m.name as community_name,
      ${territoryScope(auth, 'c.path')} as in_scope
    from territory_node c join territory_node m on m.code = c.parent_code where c.kind = 'compound'`.execute(db);
  return rows;
}

export async function loadTags(db: Q): Promise<{ code: string; name: string }[]> {
  const { rows } = await sql<{ code: string; name: string }>`select code, name from attention_tag where active order by sort_order`.execute(db);
  return rows;
}

export async function loadOrgsInScope(db: Q, auth: AuthContext): Promise<{ code: string; name: string }[]> {
  const { rows } = await sql<{ code: string; name: string }>`select o.code, o.name from party_org o where ${orgScope(auth, 'o')}`.execute(db);
  return rows;
}

/** The rooms among `codes` that exist, each with its first household (null when it has none). */
export async function roomInfo(db: Q, codes: string[]): Promise<{ code: string; household: number | null }[]> {
  if (!codes.length) return [];
  const { rows } = await sql<{ code: string; household: string | number | null }>`select t.code,
      (select min(h.id) from household h where h.room_code = t.code) as household
    from territory_node t where t.kind = 'room' and t.code = any(${codes}::text[])`.execute(db);
  return rows.map((r) => ({ code: r.code, household: r.household === null ? null : Number(r.household) }));
}

export async function loadCommunities(db: Q, auth: AuthContext): Promise<{ code: string; path: string; in_scope: boolean }[]> {
  const { rows } = await sql<{ code: string; path: string; in_scope: boolean }>`select code, path::text as path,
      ${territoryScope(auth, 'path')} as in_scope from territory_node where kind = 'community'`.execute(db);
  return rows;
}

// ─── batch writes ────────────────────────────────────────────────────────────

export interface PersonInput { name: string[]; pinyin: string[]; initials: string[]; gender: string[]; birth: string[]; idNumber: string[]; mobile: (string | null)[] }

/** Upserts people by ID number; returns their ids and whether each was inserted now. */
export async function upsertPersons(trx: Q, p: PersonInput): Promise<{ id: number; id_number: string; inserted: boolean }[]> {
  const { rows } = await sql<{ id: number; id_number: string; inserted: boolean }>`
    insert into person (name, name_pinyin, name_initials, gender, birth_date, id_number, mobile)
    select * from unnest(${p.name}::text[], ${p.pinyin}::text[], ${p.initials}::text[], ${p.gender}::text[], ${p.birth}::date[],
      ${p.idNumber}::text[], ${p.mobile}::text[])
    on conflict (id_number) do update set name = excluded.name, name_pinyin = excluded.name_pinyin, name_initials = excluded.name_initials,
      mobile = coalesce(excluded.mobile, person.mobile), updated_at = now()
    returning id, id_number, (xmax = 0) as inserted`.execute(trx);
  return rows;
}

/** The household of each room (the first one), created for rooms that have none. */
export async function householdsOfRooms(trx: Q, rooms: string[], kinds: string[]): Promise<Map<string, number>> {
  const { rows } = await sql<{ room_code: string; id: number }>`
    with r as (select distinct on (room_code) room_code, kind from unnest(${rooms}::text[], ${kinds}::text[]) as t(room_code, kind)),
    ins as (insert into household (room_code, kind, source)
      select r.room_code, r.kind, 'import' from r where not exists (select 1 from household h where h.room_code = r.room_code)
      returning room_code, id)
    select room_code, id from ins
    union all
    select h.room_code, min(h.id) from household h join r on r.room_code = h.room_code group by h.room_code`.execute(trx);
  return new Map(rows.map((r) => [r.room_code, r.id]));
}

/** Registry households (户) by room and 户号, created when missing. Keys are `room|registryNo`. */
export async function registryHouseholds(trx: Q, rooms: string[], numbers: string[]): Promise<Map<string, number>> {
  const { rows } = await sql<{ room_code: string; registry_no: string; id: number }>`
    with r as (select distinct room_code, registry_no from unnest(${rooms}::text[], ${numbers}::text[]) as t(room_code, registry_no)),
    ins as (insert into household (room_code, kind, source, registry_no)
      select r.room_code, 'resident', 'registry', r.registry_no from r
      where not exists (select 1 from household h where h.room_code = r.room_code and h.registry_no = r.registry_no)
      returning room_code, registry_no, id)
    select room_code, registry_no, id from ins
    union all
    select h.room_code, h.registry_no, min(h.id) from household h join r on r.room_code = h.room_code and r.registry_no = h.registry_no
    group by h.room_code, h.registry_no`.execute(trx);
  return new Map(rows.map((r) => [`${r.room_code}|${r.registry_no}`, r.id]));
}

/**
 * Sets the head of households that have none (never replaces a head). `force` replaces (registry 户主).
 * `h.id = any(…)` keeps the plan on the primary key: without it the planner may scan every household per batch.
 */
export async function setHouseholdHeads(trx: Q, households: number[], persons: number[], force: boolean): Promise<void> {
  if (!households.length) return;
  await sql`update household h set head_person_id = v.person_id
    from unnest(${households}::int8[], ${persons}::int8[]) as v(household_id, person_id)
    where h.id = any(${households}::int8[]) and h.id = v.household_id and (${force} or h.head_person_id is null)`.execute(trx);
}

/**
 * Residence records: a current record of the same person, room and relation is updated (moved-in date,
 * household); otherwise a new record is added. Never two current records for the same triple.
 */
export async function upsertResidences(trx: Q, r: { person: number[]; room: string[]; household: (number | null)[]; relation: string[]; movedIn: (string | null)[] }): Promise<void> {
  await sql`
    with v as (select * from unnest(${r.person}::int8[], ${r.room}::text[], ${r.household}::int8[], ${r.relation}::text[], ${r.movedIn}::date[])
      as t(person_id, room_code, household_id, relation, moved_in)),
    upd as (update residence x set moved_in = coalesce(v.moved_in, x.moved_in), household_id = coalesce(v.household_id, x.household_id)
      from v where x.person_id = v.person_id and x.room_code = v.room_code and x.relation = v.relation and x.moved_out is null
      returning x.id)
    insert into residence (person_id, room_code, household_id, relation, moved_in)
    select v.person_id, v.room_code, v.household_id, v.relation, coalesce(v.moved_in, current_date) from v
    where not exists (select 1 from residence x where x.person_id = v.person_id and x.room_code = v.room_code
      and x.relation = v.relation and x.moved_out is null)`.execute(trx);
}

/** Residence records of people created in this same batch (they have none yet): plain inserts. */
export async function insertResidences(trx: Q, r: { person: number[]; room: string[]; household: (number | null)[]; relation: string[]; movedIn: (string | null)[] }): Promise<void> {
  await sql`insert into residence (person_id, room_code, household_id, relation, moved_in)
    select person_id, room_code, household_id, relation, coalesce(moved_in, current_date)
    from unnest(${r.person}::int8[], ${r.room}::text[], ${r.household}::int8[], ${r.relation}::text[], ${r.movedIn}::date[])
      as t(person_id, room_code, household_id, relation, moved_in)`.execute(trx);
}

export async function addPersonTags(trx: Q, persons: number[], tags: string[]): Promise<void> {
  if (!persons.length) return;
  await sql`insert into person_tag (person_id, tag_code, source)
    select person_id, tag_code, 'import' from unnest(${persons}::int8[], ${tags}::text[]) as t(person_id, tag_code)
    on conflict do nothing`.execute(trx);
}

export async function upsertPartyMembers(trx: Q, m: { person: number[]; type: string[]; org: (string | null)[]; workUnit: (string | null)[]; joinedOn: (string | null)[] }): Promise<void> {
  if (!m.person.length) return;
  await sql`insert into party_member (person_id, member_type, org_code, work_unit, joined_on, source)
    select p, t, o, w, j, 'import' from unnest(${m.person}::int8[], ${m.type}::text[], ${m.org}::text[], ${m.workUnit}::text[], ${m.joinedOn}::date[]) as v(p, t, o, w, j)
    on conflict (person_id) do update set member_type = excluded.member_type, org_code = coalesce(excluded.org_code, party_member.org_code),
      work_unit = coalesce(excluded.work_unit, party_member.work_unit), joined_on = coalesce(excluded.joined_on, party_member.joined_on), updated_at = now()`.execute(trx);
}

// ─── rooms kind: the physical tree ──────────────────────────────────────────

export async function compoundsOfCommunity(trx: Q, communityCode: string): Promise<{ code: string; name: string; path: string }[]> {
  const { rows } = await sql<{ code: string; name: string; path: string }>`select code, name, path::text as path from territory_node
    where parent_code = ${communityCode} and kind = 'compound'`.execute(trx);
  return rows;
}

export async function insertCompound(trx: Q, c: { code: string; parent: string; name: string; pinyin: string; initials: string; path: string; sort: number }): Promise<void> {
  await sql`insert into territory_node (code, parent_code, kind, name, name_pinyin, name_initials, path, sort_order)
    values (${c.code}, ${c.parent}, 'compound', ${c.name}, ${c.pinyin}, ${c.initials}, ${c.path}::ltree, ${c.sort})`.execute(trx);
}

/** Inserts physical nodes that do not exist yet (buildings inherit their compound's grid); returns the new codes. */
export async function insertPhysicalNodes(trx: Q, n: { code: string[]; parent: string[]; kind: string; name: string[]; path: string[]; sort: number[]; attrs: string[] }): Promise<Set<string>> {
  if (!n.code.length) return new Set();
  const { rows } = await sql<{ code: string }>`
    insert into territory_node (code, parent_code, kind, name, path, sort_order, attrs, grid_code)
    select v.code, v.parent, ${n.kind}, v.name, v.path::ltree, v.sort, v.attrs::jsonb,
      case when ${n.kind} = 'building' then (select p.grid_code from territory_node p where p.code = v.parent) end
    from unnest(${n.code}::text[], ${n.parent}::text[], ${n.name}::text[], ${n.path}::text[], ${n.sort}::int4[], ${n.attrs}::text[])
      as v(code, parent, name, path, sort, attrs)
    on conflict (code) do nothing returning code`.execute(trx);
  return new Set(rows.map((r) => r.code));
}
