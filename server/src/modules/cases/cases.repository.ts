/** Cases: the SQL. Reads join the names a screen needs; writes are guarded by the state they start from. */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/tables.js';
import { executePrepared } from '../../platform/db/prepared.js';
import type { NotificationRow } from '../../platform/notify.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface CaseRow {
  id: number; service_no: string; channel: string; category_code: string; category_name: string; major_name: string; kind: string;
  description: string; address: string; lng: number | null; lat: number | null; territory_path: string;
  street_code: string; street_name: string; community_code: string | null; community_name: string | null;
  grid_code: string | null; grid_name: string | null; micro_grid_code: string | null; micro_grid_name: string | null;
  photos: unknown; result_photos: unknown; attributes: Record<string, unknown>; external_id: string | null;
  reporter_user_id: number | null; reporter_name: string | null; reporter_display: string | null;
  state: string; state_name: string; terminal: boolean; handler_tier: string; handler_code: string; handler_name: string; handler_path: string | null;
  assigned_by_tier: string | null; assigned_by_code: string | null; merged_into: number | null; duplicate_of_hint: number | null;
  reported_at: Date; step_started_at: Date; step_deadline: Date; accept_deadline: Date; handle_deadline: Date | null; extended_days: number;
  card: string; accepted_at: Date | null; responded_at: Date | null; resolved_at: Date | null; closed_at: Date | null;
  satisfaction: string | null; closed_unrated: boolean; reopen_count: number; rating_comment: string | null; updated_at: Date;
  followers: number;
  accept_days: number; handle_days: number; verify_days: number; report_in_days: number; respond_days: number; department_kind: string | null;
}

/**
 * The select every read of a case uses: the row with its names (one place, so lists and details agree). `from` is
 * where the rows come from: the table, or the rows a statement has just inserted (`fileCase`).
 */
export function caseSelect(from = sql`civic_case`) {
  return sql`
    select c.id, c.service_no, c.channel, c.category_code, cat.name as category_name, coalesce(maj.name, cat.name) as major_name, cat.kind,
      c.description, c.address, ST_X(c.location) as lng, ST_Y(c.location) as lat, c.territory_path::text as territory_path,
      c.street_code, st.name as street_name, c.community_code, co.name as community_name,
      c.grid_code, g.name as grid_name, c.micro_grid_code, mg.name as micro_grid_name,
      c.photos, c.result_photos, c.attributes, c.external_id,
      c.reporter_user_id, c.reporter_name, ru.display_name as reporter_display,
      c.state, s.name as state_name, s.terminal, c.handler_tier, c.handler_code,
      coalesce(hd.name, hp.name, case when ht.kind = 'micro_grid' then coalesce(hc.name, '') || ht.name
        when c.handler_tier = 'property' then ht.name || '物业' else ht.name end, c.handler_code) as handler_name,
      ht.path::text as handler_path,
      c.assigned_by_tier, c.assigned_by_code, c.merged_into, c.duplicate_of_hint,
      c.reported_at, c.step_started_at, c.step_deadline, c.accept_deadline, c.handle_deadline, c.extended_days, c.card,
      c.accepted_at, c.responded_at, c.resolved_at, c.closed_at, c.satisfaction, c.closed_unrated, c.reopen_count, c.rating_comment, c.updated_at,
      (select count(*)::int from case_follow f where f.case_id = c.id) as followers,
      cat.accept_days, cat.handle_days, cat.verify_days, cat.report_in_days, cat.respond_days, cat.department_kind
    from ${from} c
    join case_category cat on cat.code = c.category_code
    left join case_category maj on maj.code = cat.parent_code
    join case_state s on s.code = c.state
    join territory_node st on st.code = c.street_code
    left join territory_node co on co.code = c.community_code
    left join territory_node g on g.code = c.grid_code
    left join territory_node mg on mg.code = c.micro_grid_code
    left join app_user ru on ru.id = c.reporter_user_id
    left join department hd on c.handler_tier = 'department' and hd.code = c.handler_code
    left join territory_node ht on c.handler_tier <> 'department' and ht.code = c.handler_code
    left join territory_node hc on ht.kind = 'micro_grid' and hc.code = c.community_code
    left join compound_partner hp on c.handler_tier = 'property' and hp.compound_code = c.handler_code and hp.kind = 'property_company'`;
}

/** One case by id: a named prepared statement on PostgreSQL (its ten joins cost more to plan than to run). */
export async function findCase(db: Q, id: number): Promise<CaseRow | undefined> {
  return (await executePrepared(db, 'linli_case_by_id', sql<CaseRow>`${caseSelect()} where c.id = ${id}`))[0];
}

/** Locks the case row for a transition (concurrent actions queue; the state guard decides). */
export async function lockCase(trx: Transaction<DB>, id: number): Promise<void> {
  await sql`select 1 from civic_case where id = ${id} for update`.execute(trx);
}

export interface AreaRow {
  code: string; kind: string; path: string; name: string;
  /** asked for property-class categories: the compound covering the point whose property company holds its seat */
  property_code?: string | null;
}

/**
 * The deepest governance area (micro-grid, else grid, community, street) containing a point. The point is a
 * subquery so that no plan depends on where it lies: after its first executions on a connection the statement runs
 * on one generic plan (the GiST index either way) instead of being planned again for every point.
 */
export async function locateArea(db: Q, lng: number, lat: number, property = false): Promise<AreaRow | undefined> {
  const area = sql<AreaRow>`
    select code, kind, path::text as path, name from territory_node
    where kind in ('district', 'street', 'community', 'grid', 'micro_grid')
      and ST_Covers(boundary, (select ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326)))
    order by nlevel(path) desc, code limit 1`;
  if (!property) return (await executePrepared(db, 'linli_case_locate', area))[0];
  // a property matter: in the same round trip, the compound around the point whose property company is on the platform
  return (await executePrepared(db, 'linli_case_locate_property', sql<AreaRow>`
    select a.*, (select k.code from territory_node k
      where k.kind = 'compound' and ST_Covers(k.boundary, (select ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326)))
        and exists (${seatUsersSql('property', sql`k.code`)})
      order by k.code limit 1) as property_code
    from (${area}) a`))[0];
}

/** A place (building, compound, unit, room) → its position and micro-grid, to locate a report made by address. */
export async function placeOf(db: Q, code: string): Promise<{ lng: number; lat: number; name: string } | undefined> {
  const { rows } = await sql<{ lng: number; lat: number; name: string }>`
    select ST_X(p) as lng, ST_Y(p) as lat, name from (
      select coalesce(n.location, b.location, ST_PointOnSurface(coalesce(n.boundary, b.boundary))) as p, n.name
      from territory_node n
      left join lateral (select bb.location, bb.boundary from territory_node bb
        where bb.kind = 'building' and n.kind in ('unit', 'room') and n.path <@ bb.path limit 1) b on true
      where n.code = ${code} and n.kind in ('compound', 'building', 'unit', 'room')) x where p is not null`.execute(db);
  return rows[0];
}

export interface CategoryRow {
  code: string; parent_code: string | null; name: string; kind: string; default_tier: string; department_kind: string | null; property_class: boolean;
  accept_days: number; handle_days: number; verify_days: number; report_in_days: number; respond_days: number; active: boolean;
}

// The category dictionary and the policy row are read by every filing and change seldom: kept for a minute in each
// process (as the work calendar is), forgotten at once when this process changes the policy.
const DICTIONARY_MS = 60_000;
let categories: { at: number; byCode: Map<string, CategoryRow> } | null = null;
let cachedPolicy: { at: number; row: PolicyRow } | null = null;

export async function findCategory(db: Q, code: string): Promise<CategoryRow | undefined> {
  if (!categories || Date.now() - categories.at >= DICTIONARY_MS) {
    const rows = await executePrepared(db, 'linli_case_categories', sql<CategoryRow>`select * from case_category`);
    categories = { at: Date.now(), byCode: new Map(rows.map((r) => [r.code, r])) };
  }
  return categories.byCode.get(code);
}

type PolicyRow = DB['case_policy'] extends infer T ? { [K in keyof T]: T[K] extends import('kysely').Generated<infer U> ? U : T[K] } : never;

export async function policy(db: Q): Promise<PolicyRow> {
  if (!cachedPolicy || Date.now() - cachedPolicy.at >= DICTIONARY_MS) {
    const [row] = await executePrepared(db, 'linli_case_policy', sql<PolicyRow>`select * from case_policy where id = 1`);
    cachedPolicy = { at: Date.now(), row: row! };
  }
  return cachedPolicy.row;
}

/** After the policy or the categories were written: the next read goes to the table. */
export function forgetDictionaries(): void {
  categories = null;
  cachedPolicy = null;
}

/** Open cases of the category near the point reported within the window: likely duplicates, nearest first. */
/** Open cases of a category near a point, nearest first (at most five): the likely duplicates of a new report. */
function nearbyOpenSql(input: { categoryCode: string; lng: number; lat: number; radiusM: number; since: Date; excludeId?: number }) {
  const point = sql`ST_SetSRID(ST_MakePoint(${input.lng}, ${input.lat}), 4326)`;
  return sql`
    select c.id, c.service_no, round(ST_Distance(c.location::geography, ${point}::geography)::numeric, 1)::float8 as distance_m,
      c.state, c.reported_at
    from civic_case c
    -- the box first (the GiST index on location: a few cases among a million), then the true distance in metres
    where c.location && ST_Expand(${point}, ${input.radiusM / (111_320 * Math.max(0.2, Math.cos((input.lat * Math.PI) / 180)))})
      and c.category_code = ${input.categoryCode} and c.state in ('reported', 'handling') and c.reported_at >= ${input.since}
      and c.id <> ${input.excludeId ?? 0}
      and ST_DWithin(c.location::geography, ${point}::geography, ${input.radiusM})
    order by distance_m, c.id limit 5`;
}

export async function nearbyOpen(db: Q, input: { categoryCode: string; lng: number; lat: number; radiusM: number; since: Date; excludeId?: number }) {
  return executePrepared(db, 'linli_case_nearby', sql<DuplicateRow>`${nearbyOpenSql(input)}`);
}

export async function department(db: Q, code: string) {
  return db.selectFrom('department').selectAll().where('code', '=', code).executeTakeFirst();
}

/** The department of a kind serving the district the case lies in. */
export async function departmentOfKind(db: Q, kind: string, casePath: string) {
  const { rows } = await sql<{ code: string; name: string }>`
    select d.code, d.name from department d join territory_node t on t.code = d.territory_code
    where d.kind = ${kind} and d.active and t.path @> cast(${casePath} as ltree) order by d.sort_order, d.code limit 1`.execute(db);
  return rows[0];
}

export async function listDepartments(db: Q, underPath: string | null) {
  const { rows } = await sql<{ code: string; name: string; short_name: string; kind: string; territory_code: string; duty: string }>`
    select d.code, d.name, d.short_name, d.kind, d.territory_code, d.duty from department d join territory_node t on t.code = d.territory_code
    where d.active ${underPath ? sql`and (t.path @> cast(${underPath} as ltree) or t.path <@ cast(${underPath} as ltree))` : sql``}
    order by t.path, d.sort_order, d.code`.execute(db);
  return rows;
}

export interface TransitionRow { from_state: string; action: string; to_state: string; actor: string; name: string }

export async function transitionsFrom(db: Q, state: string): Promise<TransitionRow[]> {
  return db.selectFrom('case_transition').selectAll().where('from_state', '=', state).orderBy('action').execute();
}

export async function allTransitions(db: Q) {
  const [states, transitions] = await Promise.all([
    db.selectFrom('case_state').selectAll().orderBy('sort_order').execute(),
    db.selectFrom('case_transition').selectAll().orderBy('from_state').orderBy('action').execute(),
  ]);
  return { states, transitions };
}

export interface StepRow {
  id: number; action: string; action_name: string | null; from_state: string | null; to_state: string; actor_kind: string; actor_name: string | null;
  actor_staff: boolean; actor_org: string; tier_from: string | null; tier_to: string | null; target: string | null; target_name: string | null;
  note: string | null; photos: unknown; deadline: Date | null; at: Date;
}

export async function listSteps(db: Q, caseId: number): Promise<StepRow[]> {
  const { rows } = await sql<StepRow>`
    select s.id, s.action, (select t.name from case_transition t where t.action = s.action and t.from_state = s.from_state limit 1) as action_name,
      s.from_state, s.to_state, s.actor_kind, u.display_name as actor_name,
      exists (select 1 from app_user_role ur join role r on r.code = ur.role_code where ur.user_id = u.id and r.default_scope <> 'self') as actor_staff,
      s.actor_org, s.tier_from, s.tier_to, s.target,
      case when s.action in ('extend', 'approve_extension', 'refuse_extension') then s.target || ' 个工作日'
        else (select string_agg(coalesce(d.short_name, tn.name, x), '、') from unnest(string_to_array(s.target, ',')) x
          left join department d on d.code = x left join territory_node tn on tn.code = x) end as target_name,
      s.note, s.photos, s.deadline, s.at
    from civic_case_step s left join app_user u on u.id = s.actor_id
    where s.case_id = ${caseId} order by s.id`.execute(db);
  return rows;
}

export async function listWhistles(db: Q, caseId: number) {
  const { rows } = await sql<{ id: number; department_code: string; department_name: string; blown_at: Date; report_in_deadline: Date;
    reported_in_at: Date | null; respond_deadline: Date; responded_at: Date | null; response: string | null; card: string }>`
    select w.id, w.department_code, d.name as department_name, w.blown_at, w.report_in_deadline, w.reported_in_at, w.respond_deadline,
      w.responded_at, w.response, w.card
    from case_whistle w join department d on d.code = w.department_code where w.case_id = ${caseId} order by w.id`.execute(db);
  return rows;
}

export async function listConsultations(db: Q, caseId: number) {
  return db.selectFrom('case_consultation').select(['id', 'held_at', 'participants', 'conclusion']).where('case_id', '=', caseId).orderBy('id').execute();
}

export async function listExtensions(db: Q, caseId: number) {
  return db.selectFrom('case_extension').select(['id', 'days', 'reason', 'requested_at', 'decision', 'decided_at', 'decision_note'])
    .where('case_id', '=', caseId).orderBy('id').execute();
}

export async function listCards(db: Q, caseId: number) {
  return db.selectFrom('case_card').select(['id', 'color', 'step_state', 'note', 'at']).where('case_id', '=', caseId).orderBy('id').execute();
}

/** Open whistles of a department on a case (the department seat). */
export async function openWhistle(db: Q, caseId: number, departmentCode: string) {
  return db.selectFrom('case_whistle').selectAll().where('case_id', '=', caseId).where('department_code', '=', departmentCode)
    .where('responded_at', 'is', null).executeTakeFirst();
}

/** Whether a department was ever involved (whistled, handed the case, copied): it may read the case. */
export async function departmentInvolved(db: Q, caseId: number, departmentCode: string): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`
    select exists (select 1 from case_whistle w where w.case_id = ${caseId} and w.department_code = ${departmentCode})
      or exists (select 1 from civic_case_step s where s.case_id = ${caseId} and s.action in ('copy', 'assign') and ${departmentCode} = any(string_to_array(s.target, ','))) as ok`.execute(db);
  return rows[0]?.ok ?? false;
}

/** Whether the person lives (now) under a territory node (their community, say). */
export async function livesUnder(db: Q, personId: number, code: string): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`
    select exists (select 1 from residence r join territory_node room on room.code = r.room_code join territory_node n on n.code = ${code}
      where r.person_id = ${personId} and r.moved_out is null and room.path <@ n.path) as ok`.execute(db);
  return rows[0]?.ok ?? false;
}

/** Whether the person lives (now) in the grid: a resident of the grid may rate a patrol or camera case. */
export async function livesInGrid(db: Q, personId: number, gridCode: string): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`
    select exists (select 1 from residence r join territory_node room on room.code = r.room_code
      join territory_node b on b.kind = 'building' and room.path <@ b.path
      where r.person_id = ${personId} and r.moved_out is null and b.grid_code = ${gridCode}) as ok`.execute(db);
  return rows[0]?.ok ?? false;
}

/**
 * Users sitting at a seat, to notify: grid workers over a micro-grid or grid (case:handle within their scope),
 * the desk of a community or street (case:desk, scope rooted at that node), a department's staff.
 */
/** Who holds a seat (the users a case routed to it tells): one select of user ids, `id`, for `seatUsers` and `fileCase`. */
function seatUsersSql(tier: string, code: string | RawBuilder<unknown>) {
  const base = sql`select distinct u.id from app_user u join app_user_role ur on ur.user_id = u.id join role r on r.code = ur.role_code where u.status = 'active'`;
  if (tier === 'department') return sql`${base} and u.department_code = ${code} and 'case:department' = any(r.permissions)`;
  if (tier === 'micro_grid' || tier === 'grid' || tier === 'property') {
    // a scope code on the node's own path (its labels are the codes of its ancestors and itself), none above the grids
    // (a property company's scope is rooted at its compounds, as deep as a grid: platform/scope.isPropertyPartner)
    return sql`${base} and ${tier === 'property' ? sql`'case:property'` : sql`'case:handle'`} = any(r.permissions) and u.scope_kind in ('subtree', 'custom', 'node')
      and u.scope_codes && (select string_to_array(n.path::text, '.') from territory_node n where n.code = ${code})
      and not exists (select 1 from territory_node s where s.code = any(u.scope_codes) and nlevel(s.path) < 4)`;
  }
  return sql`${base} and 'case:desk' = any(r.permissions) and u.scope_codes @> array[${code}]::text[]`;
}

const seatKind = (tier: string) => (tier === 'department' || tier === 'property' ? tier : tier === 'micro_grid' || tier === 'grid' ? 'grid' : 'desk');

export async function seatUsers(db: Q, tier: string, code: string): Promise<number[]> {
  const rows = await executePrepared(db, `linli_case_seat_${seatKind(tier)}`, sql<{ id: number }>`${seatUsersSql(tier, code)} order by u.id`);
  return rows.map((r) => r.id);
}

export interface FileCaseInput {
  channel: string; categoryCode: string; description: string; address: string; lng: number; lat: number; territoryPath: string;
  streetCode: string; communityCode: string | null; gridCode: string | null; microGridCode: string | null;
  photos: string[]; attributes: Record<string, unknown>; externalId: string | null;
  reporterUserId: number | null; reporterName: string | null; reporterPhone: string | null;
  handlerTier: string; handlerCode: string; reportedAt: Date; acceptDeadline: Date;
  /** the likely duplicates: open cases of the category within this radius reported since then */
  duplicateRadiusM: number; duplicatesSince: Date;
  step: { actorOrg: string };
  audit: { actorId: number | null; actorUsername: string | null; ip: string | null; requestId: string | null; summary: Record<string, unknown> };
  notification: { title: string; body: string; linkPrefix: string; channels: string[] };
}

export interface DuplicateRow { id: number; service_no: string; distance_m: number; state: string; reported_at: Date }

/**
 * Files a case in ONE statement, its own transaction: the likely duplicates nearby (the first becomes the case's
 * hint), the case, its first step, its audit record, a notification to each holder of its seat (queued on every
 * external channel) — and the case back as every read shows it. One round trip where a transaction took ten.
 */
export async function fileCase(db: Q, f: FileCaseInput): Promise<{ row: CaseRow; duplicates: DuplicateRow[]; notifications: NotificationRow[] }> {
  const point = sql`ST_SetSRID(ST_MakePoint(${f.lng}, ${f.lat}), 4326)`;
  const [out] = await executePrepared(db, `linli_case_file_${seatKind(f.handlerTier)}`, sql<CaseRow & { duplicates: DuplicateRow[]; notifications: NotificationRow[] }>`
    with dup as (${nearbyOpenSql({ categoryCode: f.categoryCode, lng: f.lng, lat: f.lat, radiusM: f.duplicateRadiusM, since: f.duplicatesSince })}
    ), made as (
      insert into civic_case (service_no, channel, category_code, description, address, location, territory_path, street_code, community_code,
        grid_code, micro_grid_code, photos, attributes, external_id, reporter_user_id, reporter_name, reporter_phone, handler_tier, handler_code,
        duplicate_of_hint, reported_at, step_started_at, step_deadline, accept_deadline)
      values ('AJ' || to_char(${f.reportedAt}::timestamptz at time zone 'Asia/Shanghai', 'YYYYMMDD') || lpad(nextval('civic_case_no')::text, 6, '0'),
        ${f.channel}, ${f.categoryCode}, ${f.description}, ${f.address}, ${point}, cast(${f.territoryPath} as ltree),
        ${f.streetCode}, ${f.communityCode}, ${f.gridCode}, ${f.microGridCode}, ${JSON.stringify(f.photos)}::jsonb, ${JSON.stringify(f.attributes)}::jsonb,
        ${f.externalId}, ${f.reporterUserId}, ${f.reporterName}, ${f.reporterPhone}, ${f.handlerTier}, ${f.handlerCode},
        (select id from dup order by distance_m, id limit 1), ${f.reportedAt}, ${f.reportedAt}, ${f.acceptDeadline}, ${f.acceptDeadline})
      returning *
    ), step as (
      insert into civic_case_step (case_id, action, from_state, to_state, actor_id, actor_kind, actor_org, tier_to, handler_to, note, photos, deadline, at)
      select made.id, 'report', null, 'reported', ${f.reporterUserId}, 'channel', ${f.step.actorOrg}, made.handler_tier, made.handler_code, null,
        made.photos, made.accept_deadline, made.reported_at from made
    ), audit as (
      insert into audit_log (actor_id, actor_username, action, target_type, target_id, summary, ip, request_id)
      select ${f.audit.actorId}, ${f.audit.actorUsername}, 'case.report', 'civic_case', made.id::text,
        jsonb_build_object('serviceNo', made.service_no) || ${JSON.stringify(f.audit.summary)}::jsonb, ${f.audit.ip}, ${f.audit.requestId} from made
    ), note as (
      insert into notification (recipient_user_id, kind, title, body, link, ref_type, ref_id)
      select seat.id, 'case', ${f.notification.title}, made.service_no || ' ' || ${f.notification.body}, ${f.notification.linkPrefix} || made.id,
        'civic_case', made.id::text
      from made, (${seatUsersSql(f.handlerTier, f.handlerCode)}) seat
      returning *
    ), delivery as (
      insert into notification_delivery (notification_id, user_id, channel)
      select note.id, note.recipient_user_id, channel from note, unnest(${f.notification.channels}::text[]) channel
    )
    select filed.*, (select coalesce(json_agg(dup order by dup.distance_m, dup.id), '[]') from dup) as duplicates,
      (select coalesce(json_agg(note order by note.id), '[]') from note) as notifications
    from (${caseSelect(sql`made`)}) filed`);
  return { row: out!, duplicates: out!.duplicates.map((d) => ({ ...d, reported_at: new Date(d.reported_at) })), notifications: out!.notifications };
}

/**
 * A compound of the case's community whose property company is on the platform (a holder of its seat): the target
 * a desk may hand a case to (交办物业).
 */
export async function propertyCompound(db: Q, code: string, communityCode: string | null): Promise<{ code: string; name: string } | undefined> {
  if (!communityCode) return undefined;
  const { rows } = await sql<{ code: string; name: string }>`
    select k.code, k.name from territory_node k join territory_node co on co.code = ${communityCode}
    where k.code = ${code} and k.kind = 'compound' and k.path <@ co.path and exists (${seatUsersSql('property', sql`k.code`)})`.execute(db);
  return rows[0];
}

/** The compounds of a community whose property companies hold their seat, with the companies' names (交办 targets). */
export async function propertyCompounds(db: Q, communityCode: string) {
  const { rows } = await sql<{ code: string; name: string; company: string | null }>`
    select k.code, k.name, p.name as company from territory_node k join territory_node co on co.code = ${communityCode}
    left join compound_partner p on p.compound_code = k.code and p.kind = 'property_company'
    where k.kind = 'compound' and k.path <@ co.path and exists (${seatUsersSql('property', sql`k.code`)})
    order by k.code`.execute(db);
  return rows;
}

/** Where property cases stand at the property seats a condition selects (alias `c`, handler node `ht`): one aggregate. */
export async function propertyFigures(db: Q, where: RawBuilder<unknown>, now: Date, measures: Record<'response' | 'resolution' | 'satisfaction', { denominator: RawBuilder<unknown>; numerator: RawBuilder<unknown> }>) {
  const m = measures;
  const { rows } = await sql<{ reported: number; handling: number; resolved: number; rating: number; closed: number; overdue: number;
    response_d: number; response_n: number; resolution_d: number; resolution_n: number; satisfaction_d: number; satisfaction_n: number }>`
    select count(*) filter (where c.state = 'reported')::int as reported, count(*) filter (where c.state = 'handling')::int as handling,
      count(*) filter (where c.state = 'resolved')::int as resolved, count(*) filter (where c.state = 'rating')::int as rating,
      count(*) filter (where c.state = 'closed')::int as closed,
      count(*) filter (where c.state in ('reported', 'handling', 'resolved') and c.step_deadline < ${now})::int as overdue,
      count(*) filter (where ${m.response.denominator})::int as response_d, count(*) filter (where ${m.response.denominator} and ${m.response.numerator})::int as response_n,
      count(*) filter (where ${m.resolution.denominator})::int as resolution_d, count(*) filter (where ${m.resolution.denominator} and ${m.resolution.numerator})::int as resolution_n,
      count(*) filter (where ${m.satisfaction.denominator})::int as satisfaction_d, count(*) filter (where ${m.satisfaction.denominator} and ${m.satisfaction.numerator})::int as satisfaction_n
    from civic_case c join territory_node ht on ht.code = c.handler_code
    where c.handler_tier = 'property' and ${where}`.execute(db);
  return rows[0]!;
}

/** The compounds a property company serves (its scope codes that are compounds), with its name for each. */
export async function compoundsOf(db: Q, codes: string[]) {
  if (!codes.length) return [];
  const { rows } = await sql<{ code: string; name: string; company: string | null }>`
    select k.code, k.name, p.name as company from territory_node k
    left join compound_partner p on p.compound_code = k.code and p.kind = 'property_company'
    where k.code = any(${codes}) and k.kind = 'compound' order by k.code`.execute(db);
  return rows;
}
