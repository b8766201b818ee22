/**
 * SQL for the forces register, teams, resources and party–mass contact (1:8). No rules here: scope conditions
 * arrive from the service. Lists load in one statement each.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/tables.js';
import { personNumberMatch, type PeopleNumber } from '../../platform/people-search.js';

export type Q = Kysely<DB> | Transaction<DB>;
export type PathScope = (column: string) => RawBuilder<SqlBool>;

export async function listSkills(db: Q) {
  return db.selectFrom('skill').select(['code', 'name', 'category']).orderBy('sort_order').orderBy('code').execute();
}

export async function listPostKinds(db: Q) {
  return db.selectFrom('post_kind').select(['code', 'name', 'skills']).orderBy('sort_order').orderBy('code').execute();
}

/** The codes among `codes` that are not in the skill dictionary. */
export async function unknownSkills(db: Q, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const known = await db.selectFrom('skill').select('code').where('code', 'in', codes).execute();
  const set = new Set(known.map((k) => k.code));
  return codes.filter((c) => !set.has(c));
}

export interface NodeRow { code: string; name: string; kind: string; path: string; parent_code: string | null; micro_grid_code: string | null }

export async function findNode(db: Q, code: string): Promise<NodeRow | undefined> {
  const { rows } = await sql<NodeRow>`select code, name, kind, path::text as path, parent_code, micro_grid_code
    from territory_node where code = ${code}`.execute(db);
  return rows[0];
}

// ─── people ──────────────────────────────────────────────────────────────────

export interface ForceRow {
  id: number; person_id: number; user_id: number | null; name: string; mobile: string | null; kind: string;
  community_code: string; community_name: string; community_path: string; home_code: string | null;
  home_parts: Record<string, string> | null; lng: number | null; lat: number | null;
  micro_grid_code: string | null; micro_grid_name: string | null; skills: string[]; availability: Record<string, unknown>;
  status: string; open_load: number; contacts: number; created_at: Date;
}

const forceColumns = sql`f.id::int as id, f.person_id::int as person_id, f.user_id::int as user_id, p.name, p.mobile, f.kind,
  f.community_code, c.name as community_name, f.community_path::text as community_path, f.home_code,
  (select json_object_agg(a.kind, a.name) from territory_node a
     where f.home_code is not null and a.path @> (select h.path from territory_node h where h.code = f.home_code)
       and a.kind in ('compound', 'building', 'unit', 'room')) as home_parts,
  ST_X(f.home_location) as lng, ST_Y(f.home_location) as lat, f.micro_grid_code, mg.name as micro_grid_name,
  f.skills, f.availability, f.status, f.open_load,
  (select count(*)::int from party_mass_contact pc where pc.force_id = f.id and pc.until is null) as contacts, f.created_at`;

const forceFrom = sql`force_person f join person p on p.id = f.person_id join territory_node c on c.code = f.community_code
  left join territory_node mg on mg.code = f.micro_grid_code`;

export interface ForceFilter {
  within?: string; kind?: string; skill?: string; status?: string;
  /** a name fragment or pinyin */
  q?: string;
  /** a number, as platform/people-search.ts read it (with `q` the name half of `张 5678`) */
  number?: PeopleNumber;
}

const like = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listForces(db: Q, filter: ForceFilter, inScope: PathScope, limit: number, after: number | null): Promise<ForceRow[]> {
  const conditions: RawBuilder<unknown>[] = [inScope('f.community_path')];
  if (filter.within) conditions.push(sql`f.community_path <@ cast(${filter.within} as ltree)`);
  if (filter.kind) conditions.push(sql`f.kind = ${filter.kind}`);
  if (filter.skill) conditions.push(sql`f.skills @> array[${filter.skill}]::text[]`);
  if (filter.status) conditions.push(sql`f.status = ${filter.status}`);
  if (filter.number) conditions.push(personNumberMatch(filter.number, 'p.id'));
  if (filter.q) conditions.push(sql`(p.name like ${`%${like(filter.q)}%`} or p.name_initials like ${`${like(filter.q.toLowerCase())}%`}
    or p.name_pinyin like ${`${like(filter.q.toLowerCase())}%`})`);
  if (after !== null) conditions.push(sql`f.id > ${after}`);
  const { rows } = await sql<ForceRow>`select ${forceColumns} from ${forceFrom}
    where ${sql.join(conditions, sql` and `)} order by f.id limit ${limit + 1}`.execute(db);
  return rows;
}

/** Register figures by kind and status within a path, in one grouped statement. */
export async function forceCounts(db: Q, within: string | undefined, inScope: PathScope) {
  const { rows } = await sql<{ kind: string; status: string; n: number }>`select f.kind, f.status, count(*)::int as n from force_person f
    where ${inScope('f.community_path')} ${within ? sql`and f.community_path <@ cast(${within} as ltree)` : sql``}
    group by f.kind, f.status`.execute(db);
  return rows;
}

export async function findForce(db: Q, id: number): Promise<ForceRow | undefined> {
  const { rows } = await sql<ForceRow>`select ${forceColumns} from ${forceFrom} where f.id = ${id}`.execute(db);
  return rows[0];
}

export interface ArchivePersonRow {
  id: number; name: string; room_code: string | null; room_path: string | null;
  community_code: string | null; community_path: string | null; building_code: string | null; micro_grid_code: string | null;
}

/** A person with their current home (the first current residence): room, community, building. */
export async function findArchivePerson(db: Q, personId: number): Promise<ArchivePersonRow | undefined> {
  const { rows } = await sql<ArchivePersonRow>`
    select p.id::int as id, p.name, r.room_code, rn.path::text as room_path, cm.code as community_code, cm.path::text as community_path,
      b.code as building_code, b.micro_grid_code
    from person p
    left join lateral (select room_code from residence where person_id = p.id and moved_out is null order by id limit 1) r on true
    left join territory_node rn on rn.code = r.room_code
    left join territory_node cm on cm.kind = 'community' and cm.path @> rn.path
    left join territory_node b on b.kind = 'building' and b.path @> rn.path
    where p.id = ${personId}`.execute(db);
  return rows[0];
}

export interface NewForce {
  personId: number; userId: number | null; kind: string; communityCode: string; homeCode: string | null; microGridCode: string | null;
  skills: string[]; availability: Record<string, unknown>;
}

/**
 * Creates the force record of a person, or re-activates and updates it when the person is already in the register.
 * The community path and the home location (the home building's location) are taken from the territory tree.
 */
export async function upsertForce(db: Q, f: NewForce): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    insert into force_person (person_id, user_id, kind, community_code, community_path, home_code, home_location, micro_grid_code, skills, availability)
    select ${f.personId}, ${f.userId}, ${f.kind}, c.code, c.path, ${f.homeCode},
      (select b.location from territory_node b join territory_node h on h.code = ${f.homeCode}
        where b.kind = 'building' and (b.path @> h.path) limit 1),
      ${f.microGridCode}, cast(${f.skills} as text[]), cast(${JSON.stringify(f.availability)} as jsonb)
    from territory_node c where c.code = ${f.communityCode}
    on conflict (person_id) do update set user_id = coalesce(excluded.user_id, force_person.user_id), kind = excluded.kind,
      community_code = excluded.community_code, community_path = excluded.community_path, home_code = excluded.home_code,
      home_location = excluded.home_location, micro_grid_code = excluded.micro_grid_code, skills = excluded.skills,
      availability = excluded.availability, status = 'active', updated_at = now()
    returning id::int as id`.execute(db);
  return rows[0]!.id;
}

export async function forceExists(db: Q, personId: number): Promise<boolean> {
  const row = await db.selectFrom('force_person').select('id').where('person_id', '=', personId).executeTakeFirst();
  return Boolean(row);
}

export async function updateForce(db: Q, id: number, patch: { skills?: string[]; availability?: Record<string, unknown>; status?: string }): Promise<void> {
  await db.updateTable('force_person').set({
    ...(patch.skills ? { skills: patch.skills } : {}),
    ...(patch.availability ? { availability: patch.availability } : {}),
    ...(patch.status ? { status: patch.status } : {}),
    updated_at: new Date(),
  }).where('id', '=', id).execute();
}

// ─── resources ───────────────────────────────────────────────────────────────

export interface ResourceRow {
  id: number; community_code: string; community_name: string; community_path: string; kind: string; name: string; description: string;
  provider_org: string | null; provider_org_name: string | null; provider_name: string | null; quantity: number | null; unit: string | null;
  lng: number | null; lat: number | null; available_note: string | null; status: string; created_at: Date;
}

const resourceSelect = sql`select r.id::int as id, r.community_code, c.name as community_name, c.path::text as community_path, r.kind, r.name,
    r.description, r.provider_org, o.name as provider_org_name, r.provider_name, r.quantity, r.unit, ST_X(r.location) as lng, ST_Y(r.location) as lat,
    r.available_note, r.status, r.created_at
  from force_resource r join territory_node c on c.code = r.community_code left join party_org o on o.code = r.provider_org`;

export async function listResources(db: Q, f: { within?: string; kind?: string; status?: string }, inScope: PathScope, limit: number, after: number | null) {
  const conditions: RawBuilder<unknown>[] = [inScope('c.path')];
  if (f.within) conditions.push(sql`c.path <@ cast(${f.within} as ltree)`);
  if (f.kind) conditions.push(sql`r.kind = ${f.kind}`);
  if (f.status) conditions.push(sql`r.status = ${f.status}`);
  if (after !== null) conditions.push(sql`r.id > ${after}`);
  const { rows } = await sql<ResourceRow>`${resourceSelect} where ${sql.join(conditions, sql` and `)} order by r.id limit ${limit + 1}`.execute(db);
  return rows;
}

export async function findResource(db: Q, id: number): Promise<ResourceRow | undefined> {
  const { rows } = await sql<ResourceRow>`${resourceSelect} where r.id = ${id}`.execute(db);
  return rows[0];
}

export interface ResourceValues {
  kind?: string; name?: string; description?: string; providerOrg?: string | null; providerName?: string | null; quantity?: number | null;
  unit?: string | null; location?: { lng: number; lat: number } | null; availableNote?: string | null; status?: string;
}

const point = (p: { lng: number; lat: number } | null) => (p ? sql`ST_SetSRID(ST_MakePoint(${p.lng}, ${p.lat}), 4326)` : sql`null`);

export async function insertResource(db: Q, communityCode: string, v: ResourceValues, userId: number): Promise<number> {
  const { rows } = await sql<{ id: number }>`insert into force_resource (community_code, kind, name, description, provider_org, provider_name,
      quantity, unit, location, available_note, created_by)
    values (${communityCode}, ${v.kind}, ${v.name}, ${v.description ?? ''}, ${v.providerOrg ?? null}, ${v.providerName ?? null}, ${v.quantity ?? null},
      ${v.unit ?? null}, ${point(v.location ?? null)}, ${v.availableNote ?? null}, ${userId})
    returning id::int as id`.execute(db);
  return rows[0]!.id;
}

export async function updateResource(db: Q, id: number, v: ResourceValues): Promise<void> {
  const sets: RawBuilder<unknown>[] = [];
  const col = (name: string, value: unknown) => sets.push(sql`${sql.ref(name)} = ${value}`);
  if (v.kind !== undefined) col('kind', v.kind);
  if (v.name !== undefined) col('name', v.name);
  if (v.description !== undefined) col('description', v.description);
  if (v.providerOrg !== undefined) col('provider_org', v.providerOrg);
  if (v.providerName !== undefined) col('provider_name', v.providerName);
  if (v.quantity !== undefined) col('quantity', v.quantity);
  if (v.unit !== undefined) col('unit', v.unit);
  if (v.availableNote !== undefined) col('available_note', v.availableNote);
  if (v.status !== undefined) col('status', v.status);
  if (v.location !== undefined) sets.push(sql`location = ${point(v.location)}`);
  if (sets.length) await sql`update force_resource set ${sql.join(sets)} where id = ${id}`.execute(db);
}

export async function orgExists(db: Q, code: string): Promise<boolean> {
  return Boolean(await db.selectFrom('party_org').select('code').where('code', '=', code).executeTakeFirst());
}

// ─── teams ───────────────────────────────────────────────────────────────────

export interface TeamRow {
  id: number; community_code: string; community_name: string; community_path: string; kind: string; name: string; description: string;
  leader_id: number | null; leader_name: string | null; members: number; created_at: Date;
}

const teamSelect = sql`select t.id::int as id, t.community_code, c.name as community_name, c.path::text as community_path, t.kind, t.name, t.description,
    t.leader_id::int as leader_id, lp.name as leader_name,
    (select count(*)::int from force_team_member m where m.team_id = t.id) as members, t.created_at
  from force_team t join territory_node c on c.code = t.community_code
  left join force_person lf on lf.id = t.leader_id left join person lp on lp.id = lf.person_id`;

export async function listTeams(db: Q, f: { within?: string; kind?: string }, inScope: PathScope, limit: number, after: number | null) {
  const conditions: RawBuilder<unknown>[] = [inScope('c.path')];
  if (f.within) conditions.push(sql`c.path <@ cast(${f.within} as ltree)`);
  if (f.kind) conditions.push(sql`t.kind = ${f.kind}`);
  if (after !== null) conditions.push(sql`t.id > ${after}`);
  const { rows } = await sql<TeamRow>`${teamSelect} where ${sql.join(conditions, sql` and `)} order by t.id limit ${limit + 1}`.execute(db);
  return rows;
}

export async function findTeam(db: Q, id: number): Promise<TeamRow | undefined> {
  const { rows } = await sql<TeamRow>`${teamSelect} where t.id = ${id}`.execute(db);
  return rows[0];
}

export async function listTeamMembers(db: Q, teamId: number) {
  const { rows } = await sql<{ force_id: number; name: string; kind: string; role: string; joined_on: string; skills: string[] }>`
    select m.force_id::int as force_id, p.name, f.kind, m.role, m.joined_on, f.skills
    from force_team_member m join force_person f on f.id = m.force_id join person p on p.id = f.person_id
    where m.team_id = ${teamId} order by m.role = 'leader' desc, m.joined_on, m.force_id`.execute(db);
  return rows;
}

export async function insertTeam(db: Q, v: { communityCode: string; kind: string; name: string; description: string }): Promise<number> {
  const row = await db.insertInto('force_team').values({ community_code: v.communityCode, kind: v.kind, name: v.name, description: v.description })
    .returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function updateTeam(db: Q, id: number, v: { name?: string; description?: string; kind?: string; leaderId?: number | null }) {
  await db.updateTable('force_team').set({
    ...(v.name !== undefined ? { name: v.name } : {}), ...(v.description !== undefined ? { description: v.description } : {}),
    ...(v.kind !== undefined ? { kind: v.kind } : {}), ...(v.leaderId !== undefined ? { leader_id: v.leaderId } : {}),
  }).where('id', '=', id).execute();
}

export async function upsertTeamMember(db: Q, teamId: number, forceId: number, role: string): Promise<void> {
  await db.insertInto('force_team_member').values({ team_id: teamId, force_id: forceId, role })
    .onConflict((oc) => oc.columns(['team_id', 'force_id']).doUpdateSet({ role })).execute();
}

export async function demoteLeaders(db: Q, teamId: number): Promise<void> {
  await db.updateTable('force_team_member').set({ role: 'member' }).where('team_id', '=', teamId).where('role', '=', 'leader').execute();
}

export async function deleteTeamMember(db: Q, teamId: number, forceId: number): Promise<number> {
  const res = await db.deleteFrom('force_team_member').where('team_id', '=', teamId).where('force_id', '=', forceId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function deleteTeam(db: Q, id: number): Promise<void> {
  await db.deleteFrom('force_team_member').where('team_id', '=', id).execute();
  await db.deleteFrom('force_team').where('id', '=', id).execute();
}

// ─── party–mass contact (1:8) ────────────────────────────────────────────────

export async function lockForce(db: Q, id: number): Promise<{ id: number; status: string; community_path: string } | undefined> {
  const { rows } = await sql<{ id: number; status: string; community_path: string }>`
    select id::int as id, status, community_path::text as community_path from force_person where id = ${id} for update`.execute(db);
  return rows[0];
}

export interface HouseholdRow { id: number; room_code: string; room_path: string; active_contact: number | null }

export async function findHousehold(db: Q, id: number): Promise<HouseholdRow | undefined> {
  const { rows } = await sql<HouseholdRow>`select h.id::int as id, h.room_code, rn.path::text as room_path,
      (select c.force_id::int from party_mass_contact c where c.household_id = h.id and c.until is null) as active_contact
    from household h join territory_node rn on rn.code = h.room_code where h.id = ${id}`.execute(db);
  return rows[0];
}

/** Takes the lowest free slot (1..8) of a member for a household; no row when all eight are taken. */
export async function insertContactInFreeSlot(db: Q, forceId: number, householdId: number): Promise<{ id: number; slot: number } | undefined> {
  const { rows } = await sql<{ id: number; slot: number }>`
    insert into party_mass_contact (force_id, household_id, slot)
    select ${forceId}, ${householdId}, s from generate_series(1, 8) s
    where not exists (select 1 from party_mass_contact c where c.force_id = ${forceId} and c.slot = s and c.until is null)
    order by s limit 1
    returning id::int as id, slot`.execute(db);
  return rows[0];
}

export interface ContactRow {
  id: number; force_id: number; household_id: number; slot: number; since: string; until: string | null; room_code: string;
  compound_name: string | null; building_name: string | null; unit_name: string | null; head_name: string | null; residents: number;
  community_path: string;
}

const contactSelect = sql`select pc.id::int as id, pc.force_id::int as force_id, pc.household_id::int as household_id, pc.slot, pc.since, pc.until,
    h.room_code, cp.name as compound_name, b.name as building_name, u.name as unit_name, hp.name as head_name,
    (select count(*)::int from residence r where r.household_id = h.id and r.moved_out is null) as residents, f.community_path::text as community_path
  from party_mass_contact pc join household h on h.id = pc.household_id join force_person f on f.id = pc.force_id
  join territory_node rn on rn.code = h.room_code
  left join territory_node u on u.code = rn.parent_code left join territory_node b on b.code = u.parent_code
  left join territory_node cp on cp.code = b.parent_code left join person hp on hp.id = h.head_person_id`;

export async function findContact(db: Q, id: number): Promise<ContactRow | undefined> {
  const { rows } = await sql<ContactRow>`${contactSelect} where pc.id = ${id}`.execute(db);
  return rows[0];
}

export async function listContacts(db: Q, forceId: number): Promise<ContactRow[]> {
  const { rows } = await sql<ContactRow>`${contactSelect} where pc.force_id = ${forceId} and pc.until is null order by pc.slot`.execute(db);
  return rows;
}

export async function endContact(db: Q, id: number): Promise<void> {
  await sql`update party_mass_contact set until = greatest(current_date, since) where id = ${id} and until is null`.execute(db);
}

/** Figures of 1:8 in a community: households, households with a contact, members, free slots. */
export async function contactSummary(db: Q, communityPath: string) {
  const { rows } = await sql<{ households: number; covered: number; members: number; free_slots: number }>`
    with hh as (select h.id from household h join territory_node rn on rn.code = h.room_code where rn.path <@ cast(${communityPath} as ltree)),
    m as (select f.id from force_person f where f.community_path = cast(${communityPath} as ltree) and f.status = 'active' and f.kind = 'in_service_member')
    select (select count(*)::int from hh) as households,
      (select count(*)::int from hh where exists (select 1 from party_mass_contact c where c.household_id = hh.id and c.until is null)) as covered,
      (select count(*)::int from m) as members,
      (select coalesce(sum(8 - (select count(*) from party_mass_contact c where c.force_id = m.id and c.until is null)), 0)::int from m) as free_slots`.execute(db);
  return rows[0]!;
}

/** Active in-service members of a community with their home and used slots, locked for the assignment. */
export async function lockCommunityMembers(db: Q, communityPath: string) {
  const { rows } = await sql<{ id: number; lng: number | null; lat: number | null; used: number[] }>`
    select f.id::int as id, ST_X(f.home_location) as lng, ST_Y(f.home_location) as lat,
      coalesce((select array_agg(c.slot::int) from party_mass_contact c where c.force_id = f.id and c.until is null), '{}') as used
    from force_person f
    where f.community_path = cast(${communityPath} as ltree) and f.status = 'active' and f.kind = 'in_service_member'
    order by f.id for update of f`.execute(db);
  return rows;
}

/** Households in a community without an active contact, with the location of their building. */
export async function unassignedHouseholds(db: Q, communityPath: string) {
  const { rows } = await sql<{ id: number; lng: number | null; lat: number | null }>`
    select h.id::int as id, ST_X(b.location) as lng, ST_Y(b.location) as lat
    from household h join territory_node rn on rn.code = h.room_code
    left join territory_node b on b.kind = 'building' and b.path @> rn.path
    where rn.path <@ cast(${communityPath} as ltree)
      and not exists (select 1 from party_mass_contact c where c.household_id = h.id and c.until is null)
    order by h.id`.execute(db);
  return rows;
}

export async function insertContacts(db: Q, rows: { forceId: number; householdId: number; slot: number }[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`insert into party_mass_contact (force_id, household_id, slot)
    select * from unnest(cast(${rows.map((r) => r.forceId)} as bigint[]), cast(${rows.map((r) => r.householdId)} as bigint[]),
      cast(${rows.map((r) => r.slot)} as smallint[]))`.execute(db);
}
