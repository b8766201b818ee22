/**
 * SQL for the residents' archive. No rules here: scope conditions and parsed queries arrive from the service.
 * Lists are loaded set-based (one statement per list, never a query per row).
 */
import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/tables.js';
import { personNumberMatch, type PeopleNumber } from '../../platform/people-search.js';

type Q = Kysely<DB> | Transaction<DB>;
/** A scope condition over an ltree column, e.g. `(col) => territoryScope(auth, col)`. */
export type PathScope = (column: string) => RawBuilder<SqlBool>;

/**
 * The physical tree hangs under the community, while grid workers are scoped to grids: a building is inside a
 * scope when its own path is, or when the grid / micro-grid serving it is.
 */
export function buildingInScope(inScope: PathScope, alias: string): RawBuilder<SqlBool> {
  const a = sql.raw(alias);
  return sql<SqlBool>`(${inScope(`${alias}.path`)} or exists (select 1 from territory_node sg
    where sg.code in (${a}.grid_code, ${a}.micro_grid_code) and ${inScope('sg.path')}))`;
}

const like = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface NodeRow {
  code: string; name: string; kind: string; path: string; parent_code: string | null;
  grid_code: string | null; micro_grid_code: string | null; grid_path: string | null; micro_grid_path: string | null;
  attrs: Record<string, unknown>;
}

/** A node with the paths of the grid and micro-grid serving it (scope of grid workers). */
export async function findNode(db: Q, code: string): Promise<NodeRow | undefined> {
  const { rows } = await sql<NodeRow>`
    select n.code, n.name, n.kind, n.path::text as path, n.parent_code, n.grid_code, n.micro_grid_code, n.attrs,
      g.path::text as grid_path, m.path::text as micro_grid_path
    from territory_node n
    left join territory_node g on g.code = n.grid_code
    left join territory_node m on m.code = n.micro_grid_code
    where n.code = ${code}`.execute(db);
  return rows[0];
}

/**
 * Whether a physical node is in scope: a building above or below it (or the node itself, for a compound with
 * its grid) lies in scope.
 */
export async function nodeVisible(db: Q, node: { code: string; path: string }, inScope: PathScope): Promise<boolean> {
  const { rows } = await sql<{ visible: boolean }>`
    select exists (select 1 from territory_node n where n.code = ${node.code} and ${buildingInScope(inScope, 'n')})
      or exists (select 1 from territory_node b where b.kind = 'building'
        and (b.path @> cast(${node.path} as ltree) or b.path <@ cast(${node.path} as ltree)) and ${buildingInScope(inScope, 'b')}) as visible`.execute(db);
  return Boolean(rows[0]?.visible);
}

/** The ancestors of a physical node, keyed by kind (compound, building, unit, community). */
export async function findAncestors(db: Q, path: string): Promise<Record<string, { code: string; name: string; grid_code: string | null; micro_grid_code: string | null }>> {
  const { rows } = await sql<{ kind: string; code: string; name: string; grid_code: string | null; micro_grid_code: string | null }>`
    select kind, code, name, grid_code, micro_grid_code from territory_node where path @> cast(${path} as ltree)`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.kind, r]));
}

/** Which buildings a node covers: its physical subtree, or the buildings served by a grid / micro-grid. */
export function buildingsOf(node: { code: string; kind: string; path: string }, alias = 'b'): RawBuilder<SqlBool> {
  const a = sql.raw(alias);
  switch (node.kind) {
    case 'grid': return sql<SqlBool>`${a}.grid_code = ${node.code}`;
    case 'micro_grid': return sql<SqlBool>`${a}.micro_grid_code = ${node.code}`;
    case 'building': return sql<SqlBool>`${a}.code = ${node.code}`;
    default: return sql<SqlBool>`${a}.path <@ cast(${node.path} as ltree)`;
  }
}

export interface CountRow {
  k: string; buildings: number; units: number; rooms: number; households: number; residents: number;
  owner: number; tenant: number; family: number; registered: number; floating: number;
  in_register: number; in_service: number; in_residence: number; members: number; tagged: number;
  tags: { code: string; name: string; count: number }[] | null;
}

/**
 * Counts derived from the records in one statement, for the buildings matching `buildings` (alias b),
 * either in total (k = '') or per building (k = building code). Current residents only.
 */
export async function countResidents(db: Q, buildings: RawBuilder<SqlBool>, perBuilding: boolean, sensitiveTags: boolean): Promise<CountRow[]> {
  const key = perBuilding ? sql`b.code` : sql`''`;
  const { rows } = await sql<CountRow>`
    with b as (select ${key} as k, b.code from territory_node b where b.kind = 'building' and ${buildings}),
    u as (select b.k, u.code from b join territory_node u on u.parent_code = b.code and u.kind = 'unit'),
    r as (select u.k, r.code from u join territory_node r on r.parent_code = u.code and r.kind = 'room'),
    res as (select distinct on (r.k, rs.person_id) r.k, rs.person_id, rs.relation, rs.household_id
            from r join residence rs on rs.room_code = r.code and rs.moved_out is null
            order by r.k, rs.person_id, rs.id),
    hh as (select distinct r.k, rs.household_id from r join residence rs on rs.room_code = r.code and rs.moved_out is null
           where rs.household_id is not null),
    pt as (select distinct res.k, res.person_id, t.code, t.name, t.sort_order from res
           join person_tag x on x.person_id = res.person_id join attention_tag t on t.code = x.tag_code
           where t.active ${sensitiveTags ? sql`` : sql`and not t.sensitive`}),
    keys as (select distinct k from b)
    select keys.k,
      (select count(*) from b where b.k = keys.k)::int as buildings,
      (select count(*) from u where u.k = keys.k)::int as units,
      (select count(*) from r where r.k = keys.k)::int as rooms,
      (select count(*) from hh where hh.k = keys.k)::int as households,
      coalesce(rc.residents, 0) as residents, coalesce(rc.owner, 0) as owner, coalesce(rc.tenant, 0) as tenant,
      coalesce(rc.family, 0) as family, coalesce(rc.registered, 0) as registered, coalesce(rc.floating, 0) as floating,
      coalesce(pc.in_register, 0) as in_register, coalesce(pc.in_service, 0) as in_service, coalesce(pc.in_residence, 0) as in_residence,
      coalesce(pc.members, 0) as members,
      (select count(distinct pt.person_id) from pt where pt.k = keys.k)::int as tagged,
      (select json_agg(json_build_object('code', code, 'name', name, 'count', n) order by sort_order)
         from (select code, name, sort_order, count(*)::int as n from pt where pt.k = keys.k group by code, name, sort_order) tc) as tags
    from keys
    left join (select k, count(*)::int as residents,
        count(*) filter (where relation = 'owner')::int as owner, count(*) filter (where relation = 'tenant')::int as tenant,
        count(*) filter (where relation = 'family')::int as family, count(*) filter (where relation = 'registered')::int as registered,
        count(*) filter (where relation = 'floating')::int as floating
      from res group by k) rc on rc.k = keys.k
    left join (select res.k, count(*) filter (where m.member_type = 'in_register')::int as in_register,
        count(*) filter (where m.member_type = 'in_service')::int as in_service,
        count(*) filter (where m.member_type = 'in_residence')::int as in_residence, count(*)::int as members
      from res join party_member m on m.person_id = res.person_id group by res.k) pc on pc.k = keys.k`.execute(db);
  return rows;
}

export interface CompoundRow {
  code: string; name: string; path: string; community_code: string; community_name: string; grid_code: string | null; grid_name: string | null;
  boundary: unknown; location: unknown;
}

export async function findCompound(db: Q, code: string): Promise<CompoundRow | undefined> {
  const { rows } = await sql<CompoundRow>`
    select c.code, c.name, c.path::text as path, cm.code as community_code, cm.name as community_name, c.grid_code, g.name as grid_name,
      ST_AsGeoJSON(c.boundary, 7)::json as boundary, ST_AsGeoJSON(c.location, 7)::json as location
    from territory_node c
    join territory_node cm on cm.code = c.parent_code
    left join territory_node g on g.code = c.grid_code
    where c.code = ${code} and c.kind = 'compound'`.execute(db);
  return rows[0];
}

export interface BuildingGeoRow { code: string; name: string; micro_grid_code: string | null; boundary: unknown; location: unknown }

export async function listBuildings(db: Q, compoundCode: string): Promise<BuildingGeoRow[]> {
  const { rows } = await sql<BuildingGeoRow>`
    select b.code, b.name, b.micro_grid_code, ST_AsGeoJSON(b.boundary, 7)::json as boundary, ST_AsGeoJSON(b.location, 7)::json as location
    from territory_node b where b.parent_code = ${compoundCode} and b.kind = 'building' order by b.sort_order, b.code`.execute(db);
  return rows;
}

export interface PartnerRow {
  kind: string; name: string; org_code: string | null; contact_name: string | null; contact_phone: string | null;
  members: { personId: number; name: string; role: string }[] | null;
}

export async function listPartners(db: Q, compoundCode: string): Promise<PartnerRow[]> {
  const { rows } = await sql<PartnerRow>`
    select p.kind, p.name, p.org_code, p.contact_name, p.contact_phone,
      (select json_agg(json_build_object('personId', m.person_id, 'name', pe.name, 'role', m.role) order by m.since nulls last, m.person_id)
         from compound_partner_member m join person pe on pe.id = m.person_id where m.partner_id = p.id) as members
    from compound_partner p where p.compound_code = ${compoundCode}
    order by array_position(array['party_org', 'owners_committee', 'property_company'], p.kind)`.execute(db);
  return rows;
}

export interface PostRow {
  post: string; territory_code: string; territory_name: string; person_id: number | null; person_name: string | null;
  user_id: number | null; user_name: string | null;
}

/** Current posts held on a node and everything below it (compound → buildings → units). */
export async function listPosts(db: Q, path: string, kinds: string[]): Promise<PostRow[]> {
  const { rows } = await sql<PostRow>`
    select tp.post, tp.territory_code, n.name as territory_name, tp.person_id::int as person_id, pe.name as person_name,
      tp.user_id::int as user_id, u.display_name as user_name
    from territory_node n
    join territory_post tp on tp.territory_code = n.code and (tp.until is null or tp.until >= current_date)
    left join person pe on pe.id = tp.person_id
    left join app_user u on u.id = tp.user_id
    where n.path <@ cast(${path} as ltree) and n.kind = any(${kinds})
    order by nlevel(n.path), n.sort_order, n.code, tp.post, tp.id`.execute(db);
  return rows;
}

export interface RoomStatRow {
  unit_code: string; unit_name: string; code: string; name: string; floor: number | null;
  households: number; residents: number; party_members: number; tagged: number; tags: string[] | null;
}

/** Every room of a building with its household, resident, member and tag figures, in one statement. */
export async function listBuildingRooms(db: Q, buildingCode: string, sensitiveTags: boolean): Promise<RoomStatRow[]> {
  const { rows } = await sql<RoomStatRow>`
    with u as (select code, name, sort_order from territory_node where parent_code = ${buildingCode} and kind = 'unit'),
    r as (select u.code as unit_code, u.name as unit_name, u.sort_order as unit_sort, r.code, r.name, r.sort_order, (r.attrs->>'floor')::int as floor
          from u join territory_node r on r.parent_code = u.code and r.kind = 'room'),
    res as (select distinct on (rs.room_code, rs.person_id) rs.room_code, rs.person_id, rs.household_id
            from r join residence rs on rs.room_code = r.code and rs.moved_out is null order by rs.room_code, rs.person_id, rs.id),
    agg as (select res.room_code, count(distinct res.household_id)::int as households, count(*)::int as residents,
              count(m.person_id)::int as party_members from res left join party_member m on m.person_id = res.person_id group by res.room_code),
    tg as (select res.room_code, count(distinct res.person_id)::int as tagged, array_agg(distinct t.code) as tags
           from res join person_tag x on x.person_id = res.person_id join attention_tag t on t.code = x.tag_code
           where t.active ${sensitiveTags ? sql`` : sql`and not t.sensitive`} group by res.room_code)
    select r.unit_code, r.unit_name, r.code, r.name, r.floor, coalesce(agg.households, 0) as households, coalesce(agg.residents, 0) as residents,
      coalesce(agg.party_members, 0) as party_members, coalesce(tg.tagged, 0) as tagged, tg.tags
    from r left join agg on agg.room_code = r.code left join tg on tg.room_code = r.code
    order by r.unit_sort, r.unit_code, r.sort_order, r.code`.execute(db);
  return rows;
}

export interface RoomResidentRow {
  household_id: number | null; household_kind: string | null; registry_no: string | null;
  person_id: number; name: string; gender: string | null; birth_date: string | null; id_number: string | null; mobile: string | null;
  relation: string; moved_in: string; moved_out: string | null; member_type: string | null; tags: { code: string; name: string }[] | null;
}

/** Households of a room (also those without residents) and every residence in it, current first. */
export async function listRoomHouseholds(db: Q, roomCode: string): Promise<{ id: number; kind: string; registry_no: string | null }[]> {
  const { rows } = await sql<{ id: number; kind: string; registry_no: string | null }>`
    select id::int as id, kind, registry_no from household where room_code = ${roomCode} order by id`.execute(db);
  return rows;
}

export async function listRoomResidents(db: Q, roomCode: string, sensitiveTags: boolean): Promise<RoomResidentRow[]> {
  const { rows } = await sql<RoomResidentRow>`
    select rs.household_id::int as household_id, h.kind as household_kind, h.registry_no, p.id::int as person_id, p.name, p.gender,
      to_char(p.birth_date, 'YYYY-MM-DD') as birth_date, p.id_number, p.mobile, rs.relation,
      to_char(rs.moved_in, 'YYYY-MM-DD') as moved_in, to_char(rs.moved_out, 'YYYY-MM-DD') as moved_out, m.member_type,
      (select json_agg(json_build_object('code', t.code, 'name', t.name) order by t.sort_order) from person_tag x
         join attention_tag t on t.code = x.tag_code where x.person_id = p.id and t.active ${sensitiveTags ? sql`` : sql`and not t.sensitive`}) as tags
    from residence rs join person p on p.id = rs.person_id
    left join household h on h.id = rs.household_id
    left join party_member m on m.person_id = p.id
    where rs.room_code = ${roomCode}
    order by rs.moved_out is not null, rs.household_id, rs.relation = 'owner' desc, rs.id`.execute(db);
  return rows;
}

export interface VisitRow { id: number; room_code: string; household_id: number | null; visited_at: Date; kind: string; note: string; visitor_name: string }

export async function listVisits(db: Q, roomCode: string, limit: number, after: [string, number] | null): Promise<VisitRow[]> {
  const { rows } = await sql<VisitRow>`
    select v.id::int as id, v.room_code, v.household_id::int as household_id, v.visited_at, v.kind, v.note, u.display_name as visitor_name
    from visit v join app_user u on u.id = v.visitor_user_id
    where v.room_code = ${roomCode}
      ${after ? sql`and (v.visited_at, v.id) < (cast(${after[0]} as timestamptz), ${after[1]})` : sql``}
    order by v.visited_at desc, v.id desc limit ${limit + 1}`.execute(db);
  return rows;
}

export async function findHousehold(db: Q, id: number): Promise<{ id: number; room_code: string } | undefined> {
  const { rows } = await sql<{ id: number; room_code: string }>`select id::int as id, room_code from household where id = ${id}`.execute(db);
  return rows[0];
}

export async function insertVisit(db: Q, v: { roomCode: string; householdId: number | null; visitorUserId: number; kind: string; note: string }): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    insert into visit (room_code, household_id, visitor_user_id, kind, note)
    values (${v.roomCode}, ${v.householdId}, ${v.visitorUserId}, ${v.kind}, ${v.note}) returning id::int as id`.execute(db);
  return rows[0]!.id;
}

export async function findVisit(db: Q, id: number): Promise<VisitRow | undefined> {
  const { rows } = await sql<VisitRow>`
    select v.id::int as id, v.room_code, v.household_id::int as household_id, v.visited_at, v.kind, v.note, u.display_name as visitor_name
    from visit v join app_user u on u.id = v.visitor_user_id where v.id = ${id}`.execute(db);
  return rows[0];
}

// ─── Searching people ────────────────────────────────────────────────────────

/** What a search text was understood as (decided by the service). */
export type PersonMatch =
  | { kind: 'all' }
  | { kind: 'name'; text: string }
  | { kind: 'pinyin'; text: string }
  | { kind: 'number'; number: PeopleNumber; name?: NameMatch }
  | { kind: 'address'; compound?: string; building: string; unit?: string; room?: string };

/** A name fragment or pinyin, also the name half of `张 5678`. */
export type NameMatch = Extract<PersonMatch, { kind: 'name' | 'pinyin' }>;

export interface PersonFilter { match: PersonMatch; tag?: string; memberType?: string; relation?: string; within?: { kind: string; path: string } }

/** Rooms an address points at: compounds (by name, optional) → building number → unit → room, by code. */
function addressRooms(m: Extract<PersonMatch, { kind: 'address' }>, inScope: PathScope): RawBuilder<unknown> {
  const building = m.building.padStart(3, '0');
  return sql`
    select rn.code from territory_node cn
    join territory_node bn on bn.code = cn.code || ${`B${building}`}
    join territory_node un on ${m.unit ? sql`un.code = bn.code || ${`U${m.unit.padStart(2, '0')}`}` : sql`un.parent_code = bn.code and un.kind = 'unit'`}
    join territory_node rn on ${m.room ? sql`rn.code = un.code || ${`R${m.room.padStart(4, '0')}`}` : sql`rn.parent_code = un.code and rn.kind = 'room'`}
    where cn.kind = 'compound' and ${buildingInScope(inScope, 'bn')}
      ${m.compound ? sql`and (cn.name like ${`%${like(m.compound)}%`} or ${m.compound} like '%' || cn.name || '%')` : sql``}`;
}

function personMatch(m: PersonMatch, inScope: PathScope): RawBuilder<SqlBool> {
  switch (m.kind) {
    case 'all': return sql<SqlBool>`true`;
    case 'name': {
      // Trigrams serve fragments of 3+ characters. A shorter one (a surname, a two-character name) is matched at
      // the start or the end of the name through two b-tree indexes; Chinese names are 2–4 characters, so this misses
      // only the middle of a four-character name.
      if ([...m.text].length >= 3) return sql<SqlBool>`p.name like ${`%${like(m.text)}%`}`;
      const reversed = `${like([...m.text].reverse().join(''))}%`;
      return sql<SqlBool>`p.id = any(array(select id from person where name like ${`${like(m.text)}%`}
        union select id from person where reverse(name) like ${reversed}))`;
    }
    case 'pinyin': {
      const prefix = `${like(m.text)}%`;
      return sql<SqlBool>`(p.name_initials like ${prefix} or p.name_pinyin like ${prefix})`;
    }
    case 'number':
      // what a number may match (whole numbers, name + last four, partial for unmask holders) is platform/people-search.ts
      return m.name ? sql<SqlBool>`(${personNumberMatch(m.number, 'p.id')} and ${personMatch(m.name, inScope)})` : personNumberMatch(m.number, 'p.id');
    case 'address':
      return sql<SqlBool>`p.id = any(array(select rs.person_id from residence rs
        where rs.moved_out is null and rs.room_code in (${addressRooms(m, inScope)})))`;
  }
}

/** A residence's room (alias rn, building bn) lies under a node: physical subtree, or buildings a grid serves. */
function withinNode(node: { kind: string; path: string }): RawBuilder<SqlBool> {
  if (node.kind === 'unit' || node.kind === 'room') return sql<SqlBool>`rn.path <@ cast(${node.path} as ltree)`;
  return buildingInScope((column) => sql<SqlBool>`${sql.ref(column)} <@ cast(${node.path} as ltree)`, 'bn');
}

/** The current residence through which a person is visible (room in scope, optional relation / node filter). */
function visibleResidence(f: PersonFilter, inScope: PathScope): RawBuilder<SqlBool> {
  return sql<SqlBool>`rs.person_id = p.id and rs.moved_out is null
    and ${buildingInScope(inScope, 'bn')}
    ${f.within ? sql`and ${withinNode(f.within)}` : sql``}
    ${f.relation ? sql`and rs.relation = ${f.relation}` : sql``}`;
}

const residenceChain = sql`residence rs join territory_node rn on rn.code = rs.room_code
  join territory_node un on un.code = rn.parent_code join territory_node bn on bn.code = un.parent_code`;

export interface PersonRow {
  id: number; name: string; gender: string | null; birth_date: string | null; id_number: string | null; mobile: string | null;
  relation: string | null; room_name: string | null; unit_name: string | null; building_code: string | null; building_name: string | null;
  compound_name: string | null; community_code: string | null; community_name: string | null; member_type: string | null;
  tags: { code: string; name: string }[] | null;
}

/** A page of people matching the filter, visible through a current residence in scope, ordered by id. */
export async function searchPersons(db: Q, f: PersonFilter, inScope: PathScope, sensitiveTags: boolean, limit: number, afterId: number | null): Promise<PersonRow[]> {
  const { rows } = await personSearchQuery(f, inScope, sensitiveTags, limit, afterId).execute(db);
  return rows;
}

/** The search statement itself (also compiled by bench/archive-search.ts to run the same SQL through pgbench). */
export function personSearchQuery(f: PersonFilter, inScope: PathScope, sensitiveTags: boolean, limit: number, afterId: number | null): RawBuilder<PersonRow> {
  return sql<PersonRow>`
    with hits as (
      select p.id from person p
      where ${personMatch(f.match, inScope)}
        ${afterId !== null ? sql`and p.id > ${afterId}` : sql``}
        ${f.tag ? sql`and exists (select 1 from person_tag x where x.person_id = p.id and x.tag_code = ${f.tag})` : sql``}
        ${f.memberType ? sql`and exists (select 1 from party_member m where m.person_id = p.id and m.member_type = ${f.memberType})` : sql``}
        and exists (select 1 from ${residenceChain} where ${visibleResidence(f, inScope)})
      order by p.id limit ${limit + 1})
    select p.id::int as id, p.name, p.gender, to_char(p.birth_date, 'YYYY-MM-DD') as birth_date, p.id_number, p.mobile,
      v.relation, v.room_name, v.unit_name, v.building_code, v.building_name, cn.name as compound_name, cm.code as community_code,
      cm.name as community_name, m.member_type,
      (select json_agg(json_build_object('code', t.code, 'name', t.name) order by t.sort_order) from person_tag x
         join attention_tag t on t.code = x.tag_code where x.person_id = p.id and t.active ${sensitiveTags ? sql`` : sql`and not t.sensitive`}) as tags
    from hits join person p on p.id = hits.id
    cross join lateral (select rs.relation, rn.name as room_name, un.name as unit_name, bn.code as building_code, bn.name as building_name,
        bn.parent_code as compound_code
      from ${residenceChain} where ${visibleResidence(f, inScope)} order by rs.id limit 1) v
    left join territory_node cn on cn.code = v.compound_code
    left join territory_node cm on cm.code = cn.parent_code
    left join party_member m on m.person_id = p.id
    order by p.id`;
}

export interface PersonDetailRow {
  id: number; name: string; gender: string | null; birth_date: string | null; id_number: string | null; mobile: string | null;
  member_type: string | null; org_name: string | null; work_unit: string | null; tags: { code: string; name: string }[] | null;
  visible: boolean;
}

/** One person and whether a current residence of theirs is in scope. */
export async function findPerson(db: Q, id: number, inScope: PathScope, sensitiveTags: boolean): Promise<PersonDetailRow | undefined> {
  const { rows } = await sql<PersonDetailRow>`
    select p.id::int as id, p.name, p.gender, to_char(p.birth_date, 'YYYY-MM-DD') as birth_date, p.id_number, p.mobile,
      m.member_type, o.name as org_name, m.work_unit,
      (select json_agg(json_build_object('code', t.code, 'name', t.name) order by t.sort_order) from person_tag x
         join attention_tag t on t.code = x.tag_code where x.person_id = p.id and t.active ${sensitiveTags ? sql`` : sql`and not t.sensitive`}) as tags,
      exists (select 1 from ${residenceChain} where rs.person_id = p.id and rs.moved_out is null and ${buildingInScope(inScope, 'bn')}) as visible
    from person p left join party_member m on m.person_id = p.id left join party_org o on o.code = m.org_code
    where p.id = ${id}`.execute(db);
  return rows[0];
}

export interface ResidenceRow {
  relation: string; moved_in: string; moved_out: string | null; room_name: string; unit_name: string; building_name: string;
  compound_name: string; community_name: string | null;
}

export async function listResidences(db: Q, personId: number): Promise<ResidenceRow[]> {
  const { rows } = await sql<ResidenceRow>`
    select rs.relation, to_char(rs.moved_in, 'YYYY-MM-DD') as moved_in, to_char(rs.moved_out, 'YYYY-MM-DD') as moved_out,
      rn.name as room_name, un.name as unit_name, bn.name as building_name, cn.name as compound_name, cm.name as community_name
    from ${residenceChain}
    join territory_node cn on cn.code = bn.parent_code left join territory_node cm on cm.code = cn.parent_code
    where rs.person_id = ${personId}
    order by rs.moved_out is not null, rs.moved_in desc, rs.id`.execute(db);
  return rows;
}

// ─── Households for the grid worker ──────────────────────────────────────────

export interface HouseholdRow {
  id: number; room_code: string; compound_name: string; building_name: string; unit_name: string; room_name: string;
  head_name: string | null; residents: number; tags: { code: string; name: string }[] | null; last_visit_at: Date | null;
}

/** Days after which a household that needs care (a 'care' attention tag) is due a visit again. */
export const VISIT_DUE_DAYS = 30;

/**
 * Due a visit: someone living there carries an active care tag (a sensitive one only counts for who may see it) and
 * nobody has visited the room within VISIT_DUE_DAYS.
 */
function visitDue(sensitive: boolean): RawBuilder<SqlBool> {
  return sql<SqlBool>`(exists (select 1 from residence rs join person_tag x on x.person_id = rs.person_id
      join attention_tag t on t.code = x.tag_code
      where rs.household_id = h.id and rs.moved_out is null and t.active and t.category = 'care' ${sensitive ? sql`` : sql`and not t.sensitive`})
    and not exists (select 1 from visit v where v.room_code = h.room_code and v.visited_at > now() - make_interval(days => ${VISIT_DUE_DAYS})))`;
}

/** Households of the grid in scope that are due a visit (the grid worker's "待走访"). */
export async function countHouseholdsDue(db: Q, inScope: PathScope, sensitive: boolean): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from household h join territory_node rn on rn.code = h.room_code
    join territory_node un on un.code = rn.parent_code join territory_node bn on bn.code = un.parent_code
    where ${visitDue(sensitive)} and ${buildingInScope(inScope, 'bn')}`.execute(db);
  return rows[0]!.n;
}

export async function searchHouseholds(db: Q, match: PersonMatch, inScope: PathScope, limit: number, afterId: number | null,
  due: { sensitive: boolean } | null = null): Promise<HouseholdRow[]> {
  const matched = match.kind === 'address' ? sql`h.room_code in (${addressRooms(match, inScope)})`
    : match.kind === 'all' ? sql`true`
    : sql`h.head_person_id in (select p.id from person p where ${personMatch(match, inScope)})`;
  const where = due ? sql`${matched} and ${visitDue(due.sensitive)}` : matched;
  const { rows } = await sql<HouseholdRow>`
    with hits as (
      select h.id, h.room_code, h.head_person_id, un.name as unit_name, rn.name as room_name, bn.name as building_name, bn.parent_code as compound_code
      from household h join territory_node rn on rn.code = h.room_code
      join territory_node un on un.code = rn.parent_code join territory_node bn on bn.code = un.parent_code
      where ${where} and ${buildingInScope(inScope, 'bn')} ${afterId !== null ? sql`and h.id > ${afterId}` : sql``}
      order by h.id limit ${limit + 1})
    select hits.id::int as id, hits.room_code, cn.name as compound_name, hits.building_name, hits.unit_name, hits.room_name, p.name as head_name,
      (select count(*) from residence rs where rs.household_id = hits.id and rs.moved_out is null)::int as residents,
      (select json_agg(distinct jsonb_build_object('code', t.code, 'name', t.name)) from residence rs
         join person_tag x on x.person_id = rs.person_id join attention_tag t on t.code = x.tag_code
         where rs.household_id = hits.id and rs.moved_out is null and t.active and not t.sensitive) as tags,
      (select max(v.visited_at) from visit v where v.room_code = hits.room_code) as last_visit_at
    from hits left join territory_node cn on cn.code = hits.compound_code left join person p on p.id = hits.head_person_id
    order by hits.id`.execute(db);
  return rows;
}

export async function listTags(db: Q, sensitive: boolean): Promise<{ code: string; name: string; category: string; sensitive: boolean }[]> {
  const { rows } = await sql<{ code: string; name: string; category: string; sensitive: boolean }>`
    select code, name, category, sensitive from attention_tag where active ${sensitive ? sql`` : sql`and not sensitive`}
    order by sort_order, code`.execute(db);
  return rows;
}

export async function tagExists(db: Q, code: string, sensitive: boolean): Promise<boolean> {
  const { rows } = await sql<{ code: string }>`
    select code from attention_tag where code = ${code} ${sensitive ? sql`` : sql`and not sensitive`}`.execute(db);
  return rows.length > 0;
}
