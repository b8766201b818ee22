/**
 * SQL for double registration, 报回单位, the rates and posts. No rules here; lists and figures are set-based
 * (one statement each, grouped in SQL — never a query per member).
 */
import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/tables.js';

export type Q = Kysely<DB> | Transaction<DB>;
export type PathScope = (column: string) => RawBuilder<SqlBool>;

export interface NodeRow { code: string; name: string; kind: string; path: string; parent_code: string | null; micro_grid_code: string | null }

export async function findNode(db: Q, code: string): Promise<NodeRow | undefined> {
  const { rows } = await sql<NodeRow>`select code, name, kind, path::text as path, parent_code, micro_grid_code from territory_node where code = ${code}`.execute(db);
  return rows[0];
}

/** Compounds, buildings and units of a community (the pickers of the H5 form), in tree order. */
export async function listHomeNodes(db: Q, communityPath: string) {
  const { rows } = await sql<{ code: string; name: string; kind: string; parent_code: string }>`
    select code, name, kind, parent_code from territory_node
    where path <@ cast(${communityPath} as ltree) and kind in ('compound', 'building', 'unit')
    order by nlevel(path), sort_order, code`.execute(db);
  return rows;
}

const like = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function searchUnitOrgs(db: Q, q: string, limit: number) {
  const text = like(q);
  const lower = like(q.toLowerCase());
  const { rows } = await sql<{ code: string; name: string; unit_name: string | null }>`
    select code, name, unit_name from party_org
    where kind = 'unit_org' and (name like ${`%${text}%`} or coalesce(unit_name, '') like ${`%${text}%`}
      or name_pinyin like ${`%${lower}%`} or name_initials like ${`%${lower}%`})
    order by (name like ${`${text}%`}) desc, length(name), code limit ${limit}`.execute(db);
  return rows;
}

export interface OrgRow { code: string; name: string; kind: string; path: string; parent_code: string | null; territory_code: string | null; territory_path: string | null }

export async function findOrg(db: Q, code: string): Promise<OrgRow | undefined> {
  const { rows } = await sql<OrgRow>`select o.code, o.name, o.kind, o.path::text as path, o.parent_code, o.territory_code, t.path::text as territory_path
    from party_org o left join territory_node t on t.code = o.territory_code where o.code = ${code}`.execute(db);
  return rows[0];
}

/** The work unit a party organisation belongs to (its `unit_name`), if recorded. */
export async function unitNameOf(db: Q, code: string): Promise<string | null> {
  const row = await db.selectFrom('party_org').select('unit_name').where('code', '=', code).executeTakeFirst();
  return row?.unit_name ?? null;
}

/** Whether an org is visible under a scope condition over party_org (alias o). */
export async function orgVisible(db: Q, code: string, visible: RawBuilder<SqlBool>): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`select exists (select 1 from party_org o where o.code = ${code} and ${visible}) as ok`.execute(db);
  return Boolean(rows[0]?.ok);
}

export async function unknownCodes(db: Q, table: 'skill' | 'post_kind', codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const known = await db.selectFrom(table).select('code').where('code', 'in', codes).execute();
  const set = new Set(known.map((k) => k.code));
  return codes.filter((c) => !set.has(c));
}

// ─── 码上报到 self-registration ──────────────────────────────────────────────

/** The compounds of a community (the home address of a sign-up is matched among them). */
export async function listCompounds(db: Q, communityPath: string): Promise<{ code: string; name: string }[]> {
  const { rows } = await sql<{ code: string; name: string }>`select code, name from territory_node
    where kind = 'compound' and path <@ cast(${communityPath} as ltree) order by sort_order, code`.execute(db);
  return rows;
}

/** Which of these territory codes exist. */
export async function existingNodes(db: Q, codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const rows = await db.selectFrom('territory_node').select('code').where('code', 'in', codes).execute();
  return new Set(rows.map((r) => r.code));
}

/** Whether a person with this ID number is already in the archive, and whether a person or account already has this mobile. */
export async function signupTaken(db: Q, idNumber: string, mobile: string): Promise<{ id_number: boolean; mobile: boolean }> {
  const { rows } = await sql<{ id_number: boolean; mobile: boolean }>`select
      exists (select 1 from person where id_number = ${idNumber}) as id_number,
      (exists (select 1 from app_user where username = ${mobile} or mobile = ${mobile})
        or exists (select 1 from person where mobile = ${mobile})) as mobile`.execute(db);
  return rows[0]!;
}

export interface NewSignup {
  name: string; pinyin: string; initials: string; gender: 'M' | 'F'; birthDate: string; idNumber: string; mobile: string; passwordHash: string;
}

/** The person and their account (username = mobile, own password, scope self, role party_member); returns both ids. */
export async function insertSignupAccount(db: Q, s: NewSignup): Promise<{ personId: number; userId: number }> {
  const person = await db.insertInto('person').values({
    name: s.name, name_pinyin: s.pinyin, name_initials: s.initials, gender: s.gender, birth_date: s.birthDate, id_number: s.idNumber, mobile: s.mobile,
  }).returning('id').executeTakeFirstOrThrow();
  const user = await db.insertInto('app_user').values({
    username: s.mobile, display_name: s.name, password_hash: s.passwordHash, scope_kind: 'self', scope_codes: [], person_id: person.id,
    mobile: s.mobile, must_change_password: false, password_changed_at: new Date(),
  }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('app_user_role').values({ user_id: user.id, role_code: 'party_member' }).execute();
  return { personId: Number(person.id), userId: Number(user.id) };
}

// ─── registrations ───────────────────────────────────────────────────────────

export interface RegistrationRow {
  id: number; person_id: number; user_id: number | null; name: string; person_mobile: string | null; mobile: string | null;
  community_code: string; community_name: string; community_path: string; home_code: string; home_path: string; home_name: string; home_kind: string;
  home_parts: Record<string, string> | null; unit_org_code: string | null; unit_org_name: string | null; org_name: string | null;
  work_unit: string; skills: string[]; wishes: string[]; availability: Record<string, unknown>; status: string;
  branch_code: string | null; branch_name: string | null; group_code: string | null; group_name: string | null;
  micro_grid_code: string | null; micro_grid_name: string | null; force_id: number | null; reviewed_at: Date | null;
  review_note: string | null; channel: string; created_at: Date;
}

const registrationSelect = sql`select r.id::int as id, r.person_id::int as person_id, r.user_id::int as user_id, p.name, p.mobile as person_mobile, r.mobile,
    r.community_code, c.name as community_name, c.path::text as community_path, r.home_code, h.path::text as home_path, h.name as home_name, h.kind as home_kind,
    (select json_object_agg(a.kind, a.name) from territory_node a where a.path @> h.path and a.kind in ('compound', 'building', 'unit', 'room')) as home_parts,
    r.unit_org_code, r.unit_org_name, uo.name as org_name, r.work_unit, r.skills, r.wishes, r.availability, r.status,
    r.branch_code, bo.name as branch_name, r.group_code, go.name as group_name, r.micro_grid_code, mg.name as micro_grid_name,
    r.force_id::int as force_id, r.reviewed_at, r.review_note, r.channel, r.created_at
  from member_registration r join person p on p.id = r.person_id join territory_node c on c.code = r.community_code
  join territory_node h on h.code = r.home_code left join party_org uo on uo.code = r.unit_org_code
  left join party_org bo on bo.code = r.branch_code left join party_org go on go.code = r.group_code
  left join territory_node mg on mg.code = r.micro_grid_code`;

export async function findRegistration(db: Q, id: number, lock = false): Promise<RegistrationRow | undefined> {
  if (lock) await sql`select id from member_registration where id = ${id} for update`.execute(db);
  const { rows } = await sql<RegistrationRow>`${registrationSelect} where r.id = ${id}`.execute(db);
  return rows[0];
}

export interface RegistrationFilter { within?: string; status?: string; personId?: number }

/** The list's conditions over `r` (the registration) and `c` (its community), shared by the list and its count. */
function registrationConditions(f: RegistrationFilter, inScope: PathScope | null): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [inScope ? inScope('c.path') : sql`true`];
  if (f.within) conditions.push(sql`c.path <@ cast(${f.within} as ltree)`);
  if (f.status) conditions.push(sql`r.status = ${f.status}`);
  if (f.personId !== undefined) conditions.push(sql`r.person_id = ${f.personId}`);
  return conditions;
}

export async function countRegistrations(db: Q, f: RegistrationFilter, inScope: PathScope | null): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from member_registration r join territory_node c on c.code = r.community_code
    where ${sql.join(registrationConditions(f, inScope), sql` and `)}`.execute(db);
  return rows[0]!.n;
}

export async function listRegistrations(db: Q, f: RegistrationFilter, inScope: PathScope | null,
  limit: number, after: number | null): Promise<RegistrationRow[]> {
  const conditions = registrationConditions(f, inScope);
  if (after !== null) conditions.push(sql`r.id < ${after}`);
  const { rows } = await sql<RegistrationRow>`${registrationSelect} where ${sql.join(conditions, sql` and `)} order by r.id desc limit ${limit + 1}`.execute(db);
  return rows;
}

export async function activeRegistration(db: Q, personId: number): Promise<{ id: number; status: string } | undefined> {
  const { rows } = await sql<{ id: number; status: string }>`select id::int as id, status from member_registration
    where person_id = ${personId} and status in ('pending', 'approved') limit 1`.execute(db);
  return rows[0];
}

export interface NewRegistration {
  personId: number; userId: number; communityCode: string; homeCode: string; unitOrgCode: string | null; unitOrgName: string | null;
  workUnit: string; mobile: string | null; skills: string[]; wishes: string[]; availability: Record<string, unknown>; channel: string;
}

export async function insertRegistration(db: Q, r: NewRegistration): Promise<number> {
  const row = await db.insertInto('member_registration').values({
    person_id: r.personId, user_id: r.userId, community_code: r.communityCode, home_code: r.homeCode, unit_org_code: r.unitOrgCode,
    unit_org_name: r.unitOrgName, work_unit: r.workUnit, mobile: r.mobile, skills: r.skills, wishes: r.wishes, availability: r.availability,
    channel: r.channel,
  }).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function setRegistrationState(db: Q, id: number, v: {
  status: string; reviewedBy?: number; note?: string | null; branchCode?: string; groupCode?: string | null; microGridCode?: string | null; forceId?: number;
}): Promise<void> {
  await db.updateTable('member_registration').set({
    status: v.status,
    ...(v.reviewedBy !== undefined ? { reviewed_by: v.reviewedBy, reviewed_at: new Date() } : {}),
    ...(v.note !== undefined ? { review_note: v.note } : {}),
    ...(v.branchCode !== undefined ? { branch_code: v.branchCode } : {}),
    ...(v.groupCode !== undefined ? { group_code: v.groupCode } : {}),
    ...(v.microGridCode !== undefined ? { micro_grid_code: v.microGridCode } : {}),
    ...(v.forceId !== undefined ? { force_id: v.forceId } : {}),
  }).where('id', '=', id).execute();
}

export async function setForceStatus(db: Q, forceId: number, status: string): Promise<void> {
  await db.updateTable('force_person').set({ status, updated_at: new Date() }).where('id', '=', forceId).execute();
}

/** Branches (functional first) serving a community, the party groups under them, and the community's micro-grids. */
export async function placementOptions(db: Q, communityCode: string, communityPath: string) {
  const branches = await sql<{ code: string; name: string; kind: string; parent_code: string | null }>`
    select o.code, o.name, o.kind, o.parent_code from party_org o join territory_node t on t.code = o.territory_code
    where o.kind in ('functional_branch', 'branch', 'general_branch') and t.path <@ cast(${communityPath} as ltree)
    order by o.kind <> 'functional_branch', o.code`.execute(db);
  const codes = branches.rows.map((b) => b.code);
  const groups = codes.length ? await sql<{ code: string; name: string; parent_code: string; territory_code: string | null }>`
    select code, name, parent_code, territory_code from party_org where kind = 'group' and parent_code = any(cast(${codes} as text[])) order by code`.execute(db) : { rows: [] };
  const grids = await sql<{ code: string; name: string }>`select code, name from territory_node
    where kind = 'micro_grid' and path <@ cast(${communityPath} as ltree) order by code`.execute(db);
  void communityCode;
  return { branches: branches.rows, groups: groups.rows, microGrids: grids.rows };
}

/** The building at or above a home node (for its micro-grid), if the home is a building, unit or room. */
export async function homeBuilding(db: Q, homePath: string) {
  const { rows } = await sql<{ code: string; micro_grid_code: string | null }>`select code, micro_grid_code from territory_node
    where kind = 'building' and path @> cast(${homePath} as ltree) limit 1`.execute(db);
  return rows[0];
}

// ─── 报回单位 and rates ──────────────────────────────────────────────────────

export interface UnitMemberRow {
  person_id: number; registration_id: number | null; name: string; mobile: string | null; work_unit: string; unit_org_code: string | null;
  community_code: string | null; community_name: string | null; status: string; created_at: Date | null; reviewed_at: Date | null; branch_name: string | null;
  hours: number; services: number; avg_rating: number | null;
}

/**
 * The members of a unit (its org or below) over a period — the one source of both the 报回单位 list and the unit's
 * rates. A member is an in-service party member of the unit (`party_member.org_code` in the subtree) or anyone whose
 * registration names the unit; each appears once, with their current registration (approved, else pending, else the
 * latest withdrawn; none → 'unregistered') and the confirmed service records of that registration's force row whose
 * service day lies in the period.
 */
const unitMemberSet = (orgPath: string, from: string, to: string, visible: RawBuilder<SqlBool>) => sql`
    orgs as (select code from party_org where path <@ cast(${orgPath} as ltree)),
    pm as (select distinct on (person_id) person_id, work_unit from party_member
           where member_type = 'in_service' and org_code in (select code from orgs) order by person_id),
    reg as (select distinct on (r.person_id) r.* from member_registration r
            where r.status in ('pending', 'approved', 'withdrawn')
              and (r.unit_org_code in (select code from orgs) or r.person_id in (select person_id from pm))
            order by r.person_id, r.status = 'approved' desc, r.status = 'pending' desc, r.id desc),
    people as (select person_id from pm union select person_id from reg),
    rec as (select sr.force_id, sr.id, sr.hours from service_record sr
            where sr.status = 'confirmed' and sr.served_on between ${from} and ${to}
              and sr.force_id in (select force_id from reg where force_id is not null)),
    agg as (select rec.force_id, sum(rec.hours)::float8 as hours, count(*)::int as services from rec group by rec.force_id),
    rat as (select rec.force_id, avg(sr.score)::float8 as avg_rating from rec join service_rating sr on sr.record_id = rec.id group by rec.force_id),
    unit_members as (
      select people.person_id::int as person_id, reg.id::int as registration_id, p.name, coalesce(reg.mobile, p.mobile) as mobile,
        coalesce(nullif(reg.work_unit, ''), pm.work_unit, uo.unit_name, '') as work_unit, reg.unit_org_code, reg.community_code,
        c.name as community_name, coalesce(reg.status, 'unregistered') as status, reg.created_at,
        case when reg.status = 'approved' then reg.reviewed_at end as reviewed_at, b.name as branch_name,
        coalesce(agg.hours, 0)::float8 as hours, coalesce(agg.services, 0)::int as services, rat.avg_rating,
        c.code as sort_community, p.name_pinyin
      from people join person p on p.id = people.person_id
      left join pm on pm.person_id = people.person_id left join reg on reg.person_id = people.person_id
      left join party_org uo on uo.code = reg.unit_org_code
      left join territory_node c on c.code = reg.community_code left join party_org b on b.code = reg.branch_code
      left join agg on agg.force_id = reg.force_id left join rat on rat.force_id = reg.force_id
      where ${visible})`;

/** 报回单位: the unit's members with their registration and confirmed service in the period, in one statement. */
export async function unitMembers(db: Q, orgPath: string, from: string, to: string, visible: RawBuilder<SqlBool>): Promise<UnitMemberRow[]> {
  const { rows } = await sql<UnitMemberRow>`with ${unitMemberSet(orgPath, from, to, visible)}
    select person_id, registration_id, name, mobile, work_unit, unit_org_code, community_code, community_name, status, created_at, reviewed_at,
      branch_name, hours, services, avg_rating
    from unit_members
    order by case status when 'approved' then 0 when 'pending' then 1 when 'unregistered' then 2 else 3 end, sort_community nulls last, name_pinyin, person_id`.execute(db);
  return rows;
}

export interface UnitTotalsRow { in_service: number; registered: number; served: number; hours: number; services: number }

/**
 * The unit's figures over the same set as `unitMembers`: members, approved registrations, approved members with at
 * least one confirmed service in the period, and the confirmed hours and services of all listed members.
 */
export async function unitRates(db: Q, orgPath: string, from: string, to: string, visible: RawBuilder<SqlBool>): Promise<UnitTotalsRow> {
  const { rows } = await sql<UnitTotalsRow>`with ${unitMemberSet(orgPath, from, to, visible)}
    select count(*)::int as in_service, (count(*) filter (where status = 'approved'))::int as registered,
      (count(*) filter (where status = 'approved' and services > 0))::int as served,
      coalesce(sum(hours), 0)::float8 as hours, coalesce(sum(services), 0)::int as services
    from unit_members`.execute(db);
  return rows[0]!;
}

export interface RateRow { code: string; name: string; in_service: number; registered: number; served: number }

/**
 * Per community under a path: in-service members living there (by a current residence in the archive, or by the home
 * they registered with — a registration is itself a record of where they live), approved registrations there, and
 * registered members with at least one confirmed service in the period. Grouped in SQL.
 */
export async function communityRates(db: Q, withinPath: string, inScope: PathScope, from: string, to: string): Promise<RateRow[]> {
  const { rows } = await sql<RateRow>`
    with c as (select code, name, path, sort_order from territory_node where kind = 'community'
               and path <@ cast(${withinPath} as ltree) and ${inScope('path')}),
    living as (select code, count(distinct person_id)::int as n from (
                 select c.code, pm.person_id from c
                 join territory_node rn on rn.kind = 'room' and rn.path <@ c.path
                 join residence rs on rs.room_code = rn.code and rs.moved_out is null
                 join party_member pm on pm.person_id = rs.person_id and pm.member_type = 'in_service'
                 union all
                 select r.community_code, r.person_id from member_registration r
                 where r.status = 'approved' and r.community_code in (select code from c)) known
               group by code),
    reg as (select r.community_code as code, count(distinct r.person_id)::int as n,
              count(distinct r.person_id) filter (where exists (select 1 from service_record sr where sr.force_id = r.force_id
                and sr.status = 'confirmed' and sr.served_on between ${from} and ${to}))::int as served
            from member_registration r where r.status = 'approved' and r.community_code in (select code from c) group by r.community_code)
    select c.code, c.name, coalesce(living.n, 0) as in_service, coalesce(reg.n, 0) as registered, coalesce(reg.served, 0) as served
    from c left join living on living.code = c.code left join reg on reg.code = c.code
    order by c.path`.execute(db);
  return rows;
}

// ─── posts ──────────────────────────────────────────────────────────────────

export interface PostRow {
  id: number; community_code: string; community_name: string; community_path: string; kind_code: string; kind_name: string; kind_skills: string[];
  title: string; description: string; capacity: number; taken: number; status: string; created_at: Date; held: boolean;
}

const postSelect = (forceId: number | null) => sql`select s.id::int as id, s.community_code, c.name as community_name, c.path::text as community_path,
    s.kind_code, k.name as kind_name, k.skills as kind_skills, s.title, s.description, s.capacity, s.taken, s.status, s.created_at,
    ${forceId === null ? sql`false` : sql`exists (select 1 from service_post_holder h where h.post_id = s.id and h.force_id = ${forceId} and h.until is null)`} as held
  from service_post s join territory_node c on c.code = s.community_code join post_kind k on k.code = s.kind_code`;

export async function listPosts(db: Q, f: { within?: string; communityCode?: string; status?: string; heldBy?: number }, inScope: PathScope | null,
  forceId: number | null, limit: number, after: number | null): Promise<PostRow[]> {
  const conditions: RawBuilder<unknown>[] = [inScope ? inScope('c.path') : sql`true`];
  if (f.within) conditions.push(sql`c.path <@ cast(${f.within} as ltree)`);
  if (f.communityCode) conditions.push(sql`s.community_code = ${f.communityCode}`);
  if (f.status) conditions.push(sql`s.status = ${f.status}`);
  if (f.heldBy !== undefined) conditions.push(sql`exists (select 1 from service_post_holder h where h.post_id = s.id and h.force_id = ${f.heldBy} and h.until is null)`);
  if (after !== null) conditions.push(sql`s.id < ${after}`);
  const { rows } = await sql<PostRow>`${postSelect(forceId)} where ${sql.join(conditions, sql` and `)} order by s.id desc limit ${limit + 1}`.execute(db);
  return rows;
}

export async function findPost(db: Q, id: number, forceId: number | null = null, lock = false): Promise<PostRow | undefined> {
  if (lock) await sql`select id from service_post where id = ${id} for update`.execute(db);
  const { rows } = await sql<PostRow>`${postSelect(forceId)} where s.id = ${id}`.execute(db);
  return rows[0];
}

export async function postHolders(db: Q, postId: number) {
  const { rows } = await sql<{ force_id: number; name: string; since: string }>`select h.force_id::int as force_id, p.name, h.since
    from service_post_holder h join force_person f on f.id = h.force_id join person p on p.id = f.person_id
    where h.post_id = ${postId} and h.until is null order by h.id`.execute(db);
  return rows;
}

export async function insertPost(db: Q, v: { communityCode: string; kindCode: string; title: string; description: string; capacity: number; userId: number }) {
  const row = await db.insertInto('service_post').values({ community_code: v.communityCode, kind_code: v.kindCode, title: v.title,
    description: v.description, capacity: v.capacity, created_by: v.userId }).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function closePost(db: Q, id: number): Promise<void> {
  await db.updateTable('service_post').set({ status: 'closed' }).where('id', '=', id).execute();
}

export async function insertHolder(db: Q, postId: number, forceId: number): Promise<number> {
  const row = await db.insertInto('service_post_holder').values({ post_id: postId, force_id: forceId }).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function endHolder(db: Q, postId: number, forceId: number): Promise<number> {
  const { rows } = await sql<{ id: number }>`update service_post_holder set until = greatest(current_date, since)
    where post_id = ${postId} and force_id = ${forceId} and until is null returning id::int as id`.execute(db);
  return rows.length;
}

export async function forceSkillsOf(db: Q, forceId: number): Promise<string[]> {
  const row = await db.selectFrom('force_person').select('skills').where('id', '=', forceId).executeTakeFirst();
  return row?.skills ?? [];
}

/** The wishes of the member's current approved registration. */
export async function wishesOf(db: Q, forceId: number): Promise<string[]> {
  const row = await db.selectFrom('member_registration').select('wishes').where('force_id', '=', forceId).where('status', '=', 'approved')
    .orderBy('id', 'desc').executeTakeFirst();
  return row?.wishes ?? [];
}
