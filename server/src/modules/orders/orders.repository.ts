/** SQL of the four-order loop. No rules here: the service decides who may do what, this file only reads and writes. */
import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/tables.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface OrderRow {
  id: number; service_no: string; community_code: string; community_path: string; community_name: string;
  resident_person_id: number | null; resident_user_id: number | null; resident_name: string | null;
  title: string; description: string; skill_code: string | null; skill_name: string | null; size: string;
  place_code: string | null; place_name: string | null; place_kind: string | null; place_full: string | null; wanted_at: Date | null; state: string; state_name: string;
  dispatch_mode: string | null; assignee_force_id: number | null; assignee_name: string | null; assignee_user_id: number | null;
  assignee_org_code: string | null; assignee_org_name: string | null; accept_deadline: Date | null; dispatch_count: number;
  hour_cap: number; hours: number | null; evidence: string[]; result_note: string | null;
  record_id: number | null; resident_score: number | null; created_at: Date; updated_at: Date;
}

const orderSelect = sql`
  select o.id, o.service_no, o.community_code, o.community_path::text as community_path, c.name as community_name,
    o.resident_person_id, o.resident_user_id, coalesce(rp.name, ru.display_name) as resident_name,
    o.title, o.description, o.skill_code, sk.name as skill_name, o.size, o.place_code, pl.name as place_name, pl.kind as place_kind,
    (select string_agg(a.name, ' ' order by nlevel(a.path)) from territory_node a
      where a.path @> pl.path and a.kind in ('compound', 'building', 'unit', 'room')) as place_full, o.wanted_at,
    o.state, st.name as state_name, o.dispatch_mode, o.assignee_force_id, ap.name as assignee_name, af.user_id as assignee_user_id,
    o.assignee_org_code, ao.name as assignee_org_name, o.accept_deadline, o.dispatch_count, o.hour_cap, o.hours, o.evidence, o.result_note,
    rec.id as record_id, rr.score as resident_score, o.created_at, o.updated_at
  from service_order o
  join territory_node c on c.code = o.community_code
  join order_state st on st.code = o.state
  left join skill sk on sk.code = o.skill_code
  left join territory_node pl on pl.code = o.place_code
  left join person rp on rp.id = o.resident_person_id
  left join app_user ru on ru.id = o.resident_user_id
  left join force_person af on af.id = o.assignee_force_id
  left join person ap on ap.id = af.person_id
  left join party_org ao on ao.code = o.assignee_org_code
  left join service_record rec on rec.order_id = o.id
  left join service_rating rr on rr.record_id = rec.id and rr.rater_kind = 'resident'`;

export async function findOrder(db: Q, id: number, forUpdate = false): Promise<OrderRow | undefined> {
  if (forUpdate) await sql`select id from service_order where id = ${id} for update`.execute(db);
  const { rows } = await sql<OrderRow>`${orderSelect} where o.id = ${id}`.execute(db);
  return rows[0];
}

export interface OrderFilter {
  where: RawBuilder<SqlBool>;
  state?: string | undefined;
  size?: string | undefined;
  q?: string | undefined;
  before?: number | null;
}

const like = (s: string) => `%${s.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** A page of orders, newest first (`limit + 1` rows: the caller cuts the page). */
export async function listOrders(db: Q, f: OrderFilter, limit: number): Promise<OrderRow[]> {
  const conds: RawBuilder<SqlBool>[] = [f.where];
  if (f.state) conds.push(sql<SqlBool>`o.state = ${f.state}`);
  if (f.size) conds.push(sql<SqlBool>`o.size = ${f.size}`);
  if (f.q) conds.push(sql<SqlBool>`(o.title ilike ${like(f.q)} or o.service_no = ${f.q.toUpperCase()})`);
  if (f.before) conds.push(sql<SqlBool>`o.id < ${f.before}`);
  const { rows } = await sql<OrderRow>`${orderSelect} where ${sql.join(conds, sql` and `)} order by o.id desc limit ${limit + 1}`.execute(db);
  return rows;
}

export interface TransitionRow { from_state: string; action: string; to_state: string; actor: string; name: string }

export async function findTransition(db: Q, from: string, action: string): Promise<TransitionRow | undefined> {
  return db.selectFrom('order_transition').selectAll().where('from_state', '=', from).where('action', '=', action).executeTakeFirst();
}

export async function transitionsFrom(db: Q, from: string): Promise<TransitionRow[]> {
  return db.selectFrom('order_transition').selectAll().where('from_state', '=', from).orderBy('action').execute();
}

export async function allTransitions(db: Q): Promise<TransitionRow[]> {
  return db.selectFrom('order_transition').selectAll().execute();
}

export interface PlaceRow { code: string; name: string; kind: string; path: string; community_code: string | null; community_path: string | null }

/** A territory node and the community above (or at) it. */
export async function findPlace(db: Q, code: string): Promise<PlaceRow | undefined> {
  const { rows } = await sql<PlaceRow>`
    select n.code, n.name, n.kind, n.path::text as path, c.code as community_code, c.path::text as community_path
    from territory_node n left join territory_node c on c.kind = 'community' and c.path @> n.path
    where n.code = ${code}`.execute(db);
  return rows[0];
}

/** The room the person currently lives in (latest move-in). */
export async function currentHome(db: Q, personId: number): Promise<string | null> {
  const row = await db.selectFrom('residence').select('room_code').where('person_id', '=', personId).where('moved_out', 'is', null)
    .orderBy('moved_in', 'desc').orderBy('id', 'desc').executeTakeFirst();
  return row?.room_code ?? null;
}

export async function skillExists(db: Q, code: string): Promise<boolean> {
  return Boolean(await db.selectFrom('skill').select('code').where('code', '=', code).executeTakeFirst());
}

export interface NewOrder {
  communityCode: string; communityPath: string; residentPersonId: number | null; residentUserId: number; title: string; description: string;
  skillCode: string | null; size: string; placeCode: string; wantedAt: string | null; hourCap: number;
}

export async function insertOrder(db: Q, o: NewOrder): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    insert into service_order (service_no, community_code, community_path, resident_person_id, resident_user_id, title, description,
      skill_code, size, place_code, location, wanted_at, hour_cap)
    values ('FW' || to_char(now() at time zone 'Asia/Shanghai', 'YYYYMMDD') || lpad(nextval('service_order_no')::text, 6, '0'),
      ${o.communityCode}, cast(${o.communityPath} as ltree), ${o.residentPersonId}, ${o.residentUserId}, ${o.title}, ${o.description},
      ${o.skillCode}, ${o.size}, ${o.placeCode},
      (select n.location from territory_node n where n.path @> (select path from territory_node where code = ${o.placeCode})
        and n.location is not null order by nlevel(n.path) desc limit 1),
      ${o.wantedAt}, ${o.hourCap})
    returning id`.execute(db);
  return rows[0]!.id;
}

export interface OrderChange {
  state: string;
  dispatch_mode?: string | null; assignee_force_id?: number | null; assignee_org_code?: string | null;
  accept_deadline?: Date | null; dispatch_count_inc?: boolean; hours?: number | null; evidence?: string[]; result_note?: string | null;
}

/**
 * Moves the order from `from` to the change's state, only if it is still in `from` (and, with `guard.assignee`, still
 * free for or held by that member; with `guard.deadlineBefore`, still overdue). Returns false when another request got there first: the caller answers 409.
 */
export async function moveOrder(db: Q, id: number, from: string, change: OrderChange,
  guard: { assignee?: number; deadlineBefore?: Date } = {}): Promise<boolean> {
  let q = db.updateTable('service_order').set({ state: change.state, updated_at: sql<Date>`now()` }).where('id', '=', id).where('state', '=', from);
  if (change.dispatch_mode !== undefined) q = q.set({ dispatch_mode: change.dispatch_mode });
  if (change.assignee_force_id !== undefined) q = q.set({ assignee_force_id: change.assignee_force_id });
  if (change.assignee_org_code !== undefined) q = q.set({ assignee_org_code: change.assignee_org_code });
  if (change.accept_deadline !== undefined) q = q.set({ accept_deadline: change.accept_deadline });
  if (change.dispatch_count_inc) q = q.set({ dispatch_count: sql<number>`dispatch_count + 1` });
  if (change.hours !== undefined) q = q.set({ hours: change.hours });
  if (change.evidence !== undefined) q = q.set({ evidence: sql<Record<string, unknown>>`cast(${JSON.stringify(change.evidence)} as jsonb)` });
  if (change.result_note !== undefined) q = q.set({ result_note: change.result_note });
  const assignee = guard.assignee;
  if (assignee !== undefined) q = q.where((eb) => eb.or([eb('assignee_force_id', 'is', null), eb('assignee_force_id', '=', assignee)]));
  if (guard.deadlineBefore) q = q.where('accept_deadline', '<', guard.deadlineBefore);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertEvent(db: Q, e: { orderId: number; action: string; from: string | null; to: string; actorId: number | null; actorKind: string; note: string | null }): Promise<void> {
  await db.insertInto('service_order_event').values({ order_id: e.orderId, action: e.action, from_state: e.from, to_state: e.to,
    actor_id: e.actorId, actor_kind: e.actorKind, note: e.note }).execute();
}

export interface EventRow {
  id: number; action: string; action_name: string | null; from_state: string | null; to_state: string; actor_kind: string;
  actor_name: string | null; note: string | null; at: Date;
}

export async function listEvents(db: Q, orderId: number): Promise<EventRow[]> {
  const { rows } = await sql<EventRow>`
    select e.id, e.action, t.name as action_name, e.from_state, e.to_state, e.actor_kind,
      coalesce(p.name, u.display_name) as actor_name, e.note, e.at
    from service_order_event e
    left join order_transition t on t.from_state = e.from_state and t.action = e.action
    left join app_user u on u.id = e.actor_id
    left join person p on p.id = u.person_id and e.actor_kind in ('resident', 'assignee')
    where e.order_id = ${orderId} order by e.id`.execute(db);
  return rows;
}

export async function listRatings(db: Q, orderId: number) {
  const { rows } = await sql<{ rater_kind: string; score: number; comment: string | null; created_at: Date }>`
    select r.rater_kind, r.score, r.comment, r.created_at from service_rating r join service_record rec on rec.id = r.record_id
    where rec.order_id = ${orderId} order by r.id`.execute(db);
  return rows;
}

export interface ForceRow {
  id: number; person_id: number; user_id: number | null; name: string; community_code: string; community_path: string; status: string;
  branch_code: string | null;
}

/** A force with its approved registration's branch (the functional branch it was placed in). */
export async function findForce(db: Q, id: number): Promise<ForceRow | undefined> {
  const { rows } = await sql<ForceRow>`
    select f.id, f.person_id, f.user_id, p.name, f.community_code, f.community_path::text as community_path, f.status,
      (select r.branch_code from member_registration r where r.force_id = f.id and r.status = 'approved' order by r.id desc limit 1) as branch_code
    from force_person f join person p on p.id = f.person_id where f.id = ${id}`.execute(db);
  return rows[0];
}

export async function findOrg(db: Q, code: string) {
  const { rows } = await sql<{ code: string; name: string; kind: string; territory_code: string | null; territory_path: string | null }>`
    select o.code, o.name, o.kind, o.territory_code, t.path::text as territory_path
    from party_org o left join territory_node t on t.code = o.territory_code where o.code = ${code}`.execute(db);
  return rows[0];
}

/** Users of the members placed in a branch (approved registrations). */
export async function branchMemberUsers(db: Q, branchCode: string): Promise<number[]> {
  const { rows } = await sql<{ user_id: number }>`
    select distinct f.user_id from member_registration r join force_person f on f.id = r.force_id
    where r.branch_code = ${branchCode} and r.status = 'approved' and f.status = 'active' and f.user_id is not null`.execute(db);
  return rows.map((r) => r.user_id);
}

export async function insertRecord(db: Q, r: { forceId: number; orderId: number; communityCode: string; title: string; size: string; hours: number;
  hourCap: number; evidence: string[]; note: string | null }): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    insert into service_record (force_id, source, order_id, community_code, title, size, served_on, hours, hour_cap, evidence, note)
    values (${r.forceId}, 'order', ${r.orderId}, ${r.communityCode}, ${r.title}, ${r.size}, (now() at time zone 'Asia/Shanghai')::date,
      ${r.hours}, ${r.hourCap}, cast(${JSON.stringify(r.evidence)} as jsonb), ${r.note}) returning id`.execute(db);
  return rows[0]!.id;
}

/** Dispatched orders whose accept deadline has passed. */
export async function overdueOrders(db: Q, now: Date): Promise<{ id: number }[]> {
  return db.selectFrom('service_order').select('id').where('state', '=', 'dispatched').where('accept_deadline', '<', now).orderBy('id').execute();
}

/** Orders per state under a scope condition, and how many dispatched ones are past their accept deadline. */
export async function countOrders(db: Q, where: RawBuilder<SqlBool>): Promise<{ state: string; n: number; overdue: number }[]> {
  const { rows } = await sql<{ state: string; n: number; overdue: number }>`
    select o.state, count(*)::int as n, (count(*) filter (where o.state = 'dispatched' and o.accept_deadline < now()))::int as overdue
    from service_order o where ${where} group by o.state`.execute(db);
  return rows;
}
