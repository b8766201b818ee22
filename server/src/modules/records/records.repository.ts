/** SQL of service records, ratings, flags and honours. Lists are one statement each; no rules here. */
import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/tables.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface RecordRow {
  id: number; force_id: number; member_name: string; member_user_id: number | null; source: string; order_id: number | null; claim_id: number | null;
  task_id: number | null; task_created_by: number | null; order_resident_user_id: number | null;
  community_code: string; community_name: string; community_path: string; title: string; size: string; served_on: string;
  hours: number; hour_cap: number; evidence: unknown; note: string | null; status: string; confirmed_as: string | null;
  confirmed_by_name: string | null; confirmed_at: Date | null; created_at: Date;
  ratings: { raterKind: string; score: number; comment: string | null; at: string }[] | null;
}

const recordSelect = sql`
  select r.id, r.force_id, p.name as member_name, f.user_id as member_user_id, r.source, r.order_id, r.claim_id,
    tc.task_id, t.created_by as task_created_by, o.resident_user_id as order_resident_user_id,
    r.community_code, c.name as community_name, c.path::text as community_path, r.title, r.size, r.served_on, r.hours, r.hour_cap,
    r.evidence, r.note, r.status, r.confirmed_as, cu.display_name as confirmed_by_name, r.confirmed_at, r.created_at,
    (select json_agg(json_build_object('raterKind', g.rater_kind, 'score', g.score, 'comment', g.comment, 'at', g.created_at) order by g.id)
       from service_rating g where g.record_id = r.id) as ratings
  from service_record r
  join force_person f on f.id = r.force_id
  join person p on p.id = f.person_id
  join territory_node c on c.code = r.community_code
  left join app_user cu on cu.id = r.confirmed_by
  left join task_claim tc on tc.id = r.claim_id
  left join service_task t on t.id = tc.task_id
  left join service_order o on o.id = r.order_id`;

export async function findRecord(db: Q, id: number): Promise<RecordRow | undefined> {
  const { rows } = await sql<RecordRow>`${recordSelect} where r.id = ${id}`.execute(db);
  return rows[0];
}

export async function findRecordOfOrder(db: Q, orderId: number): Promise<RecordRow | undefined> {
  const { rows } = await sql<RecordRow>`${recordSelect} where r.order_id = ${orderId}`.execute(db);
  return rows[0];
}

const like = (s: string) => `%${s.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

export interface RecordFilter { where: RawBuilder<SqlBool>; status?: string | undefined; source?: string | undefined;
  forceId?: number | undefined; q?: string | undefined; before: number | null }

/** The list's conditions over `r` (the record) and `c` (its community), shared by the list and its count. */
function recordConditions(f: RecordFilter): RawBuilder<SqlBool>[] {
  const conds: RawBuilder<SqlBool>[] = [f.where];
  if (f.status) conds.push(sql<SqlBool>`r.status = ${f.status}`);
  if (f.source) conds.push(sql<SqlBool>`r.source = ${f.source}`);
  if (f.forceId) conds.push(sql<SqlBool>`r.force_id = ${f.forceId}`);
  if (f.q) conds.push(sql<SqlBool>`r.title ilike ${like(f.q)}`);
  if (f.before) conds.push(sql<SqlBool>`r.id < ${f.before}`);
  return conds;
}

export async function countRecords(db: Q, f: RecordFilter): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from service_record r join territory_node c on c.code = r.community_code
    where ${sql.join(recordConditions(f), sql` and `)}`.execute(db);
  return rows[0]!.n;
}

export async function listRecords(db: Q, f: RecordFilter, limit: number): Promise<RecordRow[]> {
  const conds = recordConditions(f);
  const { rows } = await sql<RecordRow>`${recordSelect} where ${sql.join(conds, sql` and `)} order by r.id desc limit ${limit + 1}`.execute(db);
  return rows;
}

/** Confirms a pending record (optionally with corrected hours). False when it was no longer pending. */
export async function confirmRecord(db: Q, id: number, by: number, as: 'organiser' | 'resident', hours?: number): Promise<boolean> {
  let q = db.updateTable('service_record').set({ status: 'confirmed', confirmed_by: by, confirmed_as: as, confirmed_at: sql<Date>`now()` })
    .where('id', '=', id).where('status', '=', 'pending');
  if (hours !== undefined) q = q.set({ hours });
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1;
}

export async function rejectRecord(db: Q, id: number, reason: string): Promise<boolean> {
  const result = await db.updateTable('service_record')
    .set({ status: 'rejected', note: sql<string>`coalesce(note || '；', '') || ${`驳回原因：${reason}`}` })
    .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function ratingExists(db: Q, recordId: number, kind: string): Promise<boolean> {
  return Boolean(await db.selectFrom('service_rating').select('id').where('record_id', '=', recordId).where('rater_kind', '=', kind).executeTakeFirst());
}

export async function insertRating(db: Q, r: { recordId: number; forceId: number; kind: string; raterId: number; score: number; comment: string | null }): Promise<number> {
  const row = await db.insertInto('service_rating').values({ record_id: r.recordId, force_id: r.forceId, rater_kind: r.kind, rater_id: r.raterId,
    score: r.score, comment: r.comment }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export interface FlagRow {
  force_id: number; name: string; community_code: string; community_name: string; unit_org_code: string | null; unit_name: string | null;
  ratings: number | null; good: number | null; negative_items: number | null; negative_reasons: string | null; since: Date;
}

/**
 * Members flagged for a talk (C4.5): in the last 365 days at least 3 ratings and fewer than 70 % of them ≥ 4, or an
 * unexpired negative-list item — and no talk recorded since the flag was raised.
 */
export async function flaggedMembers(db: Q, where: RawBuilder<SqlBool>, forceId?: number): Promise<FlagRow[]> {
  const only = forceId === undefined ? sql`true` : sql`force_id = ${forceId}`;
  const { rows } = await sql<FlagRow>`
    with rt as (
      select force_id, count(*)::int as n, (count(*) filter (where score >= 4))::int as good, max(created_at) as last_at
      from service_rating where created_at > now() - interval '365 days' and ${only} group by force_id),
    neg as (
      select force_id, count(*)::int as n, max(recorded_at) as last_at, string_agg(reason, '；' order by id) as reasons
      from member_negative_item where (expires_on is null or expires_on >= (now() at time zone 'Asia/Shanghai')::date) and ${only} group by force_id),
    cand as (
      select coalesce(rt.force_id, neg.force_id) as force_id, rt.n as ratings, rt.good, neg.n as negative_items, neg.reasons as negative_reasons,
        greatest(case when rt.n >= 3 and rt.good < 0.7 * rt.n then rt.last_at end, neg.last_at) as since
      from rt full join neg on neg.force_id = rt.force_id
      where (rt.n >= 3 and rt.good < 0.7 * rt.n) or neg.force_id is not null)
    select cand.*, p.name, f.community_code, c.name as community_name, reg.unit_org_code, coalesce(uo.name, reg.unit_org_name, reg.work_unit) as unit_name
    from cand
    join force_person f on f.id = cand.force_id
    join person p on p.id = f.person_id
    join territory_node c on c.code = f.community_code
    left join lateral (select m.unit_org_code, m.unit_org_name, m.work_unit from member_registration m
      where m.force_id = f.id and m.status = 'approved' order by m.id desc limit 1) reg on true
    left join party_org uo on uo.code = reg.unit_org_code
    where not exists (select 1 from member_talk t where t.force_id = cand.force_id and t.created_at >= cand.since)
      and ${where}
    order by cand.since desc limit 500`.execute(db);
  return rows;
}

/** The approved registration's unit org of a member (报回单位). */
export async function unitOrgOf(db: Q, forceId: number): Promise<string | null> {
  const row = await db.selectFrom('member_registration').select('unit_org_code').where('force_id', '=', forceId).where('status', '=', 'approved')
    .orderBy('id', 'desc').executeTakeFirst();
  return row?.unit_org_code ?? null;
}

/** True when org `code` is the org at `orgPath` or inside it (a unit secretary's own organisation and below). */
export async function orgWithin(db: Q, code: string, orgPath: string): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`select exists (select 1 from party_org where code = ${code} and path <@ cast(${orgPath} as ltree)) as ok`.execute(db);
  return rows[0]?.ok === true;
}

export interface ForceBrief { id: number; person_id: number; user_id: number | null; name: string; community_code: string; community_path: string; community_name: string }

export async function findForceBrief(db: Q, id: number): Promise<ForceBrief | undefined> {
  const { rows } = await sql<ForceBrief>`
    select f.id, f.person_id, f.user_id, p.name, f.community_code, f.community_path::text as community_path, c.name as community_name
    from force_person f join person p on p.id = f.person_id join territory_node c on c.code = f.community_code where f.id = ${id}`.execute(db);
  return rows[0];
}

export async function insertTalk(db: Q, t: { forceId: number; orgCode: string | null; talkedOn: string; note: string; by: number }): Promise<number> {
  const row = await db.insertInto('member_talk').values({ force_id: t.forceId, org_code: t.orgCode, talked_on: t.talkedOn, note: t.note, talked_by: t.by })
    .returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function insertNegativeItem(db: Q, n: { forceId: number; reason: string; expiresOn: string | null; by: number }): Promise<number> {
  const row = await db.insertInto('member_negative_item').values({ force_id: n.forceId, reason: n.reason, expires_on: n.expiresOn, recorded_by: n.by })
    .returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export interface HonourRow {
  force_id: number; name: string; community_code: string; community_name: string; ratings: number; good: number; average: number;
  hours: number; services: number;
}

/** The best rated members of a year under a territory path: enough ratings, satisfaction ≥ 70 %, no negative-list item. */
export async function honours(db: Q, where: RawBuilder<SqlBool>, year: number, minRatings: number): Promise<HonourRow[]> {
  const { rows } = await sql<HonourRow>`
    with rt as (
      select force_id, count(*)::int as ratings, (count(*) filter (where score >= 4))::int as good, avg(score)::float8 as average
      from service_rating where extract(year from created_at at time zone 'Asia/Shanghai') = ${year} group by force_id),
    hrs as (
      select force_id, sum(hours)::float8 as hours, count(*)::int as services from service_record
      where status = 'confirmed' and extract(year from served_on) = ${year} group by force_id)
    select rt.force_id, p.name, f.community_code, c.name as community_name, rt.ratings, rt.good, rt.average,
      coalesce(hrs.hours, 0) as hours, coalesce(hrs.services, 0) as services
    from rt join force_person f on f.id = rt.force_id join person p on p.id = f.person_id join territory_node c on c.code = f.community_code
    left join hrs on hrs.force_id = rt.force_id
    where rt.ratings >= ${minRatings} and rt.good >= 0.7 * rt.ratings and f.status = 'active' and ${where}
      and not exists (select 1 from member_negative_item n where n.force_id = f.id
        and (n.expires_on is null or n.expires_on >= (now() at time zone 'Asia/Shanghai')::date))
    order by rt.good::float8 / rt.ratings desc, rt.average desc, coalesce(hrs.hours, 0) desc, rt.force_id
    limit 20`.execute(db);
  return rows;
}

export interface SummaryRow {
  id: number; name: string; community_code: string; community_name: string; branch_code: string | null; branch_name: string | null; unit_name: string | null;
  total_hours: number; year_hours: number; pending_hours: number; services: number; ratings: number; good: number; average: number | null;
  open_claims: number; open_orders: number;
}

export async function memberSummary(db: Q, forceId: number): Promise<SummaryRow | undefined> {
  const { rows } = await sql<SummaryRow>`
    select f.id, p.name, f.community_code, c.name as community_name, reg.branch_code, b.name as branch_name,
      coalesce(uo.name, reg.unit_org_name, reg.work_unit) as unit_name,
      coalesce((select sum(hours) from service_record where force_id = f.id and status = 'confirmed'), 0)::float8 as total_hours,
      coalesce((select sum(hours) from service_record where force_id = f.id and status = 'confirmed'
        and extract(year from served_on) = extract(year from now() at time zone 'Asia/Shanghai')), 0)::float8 as year_hours,
      coalesce((select sum(hours) from service_record where force_id = f.id and status = 'pending'), 0)::float8 as pending_hours,
      (select count(*) from service_record where force_id = f.id and status = 'confirmed')::int as services,
      rt.n as ratings, rt.good, rt.average,
      (select count(*) from task_claim where force_id = f.id and status = 'claimed')::int as open_claims,
      (select count(*) from service_order where assignee_force_id = f.id and state in ('dispatched', 'accepted'))::int as open_orders
    from force_person f join person p on p.id = f.person_id join territory_node c on c.code = f.community_code
    left join lateral (select m.branch_code, m.unit_org_code, m.unit_org_name, m.work_unit from member_registration m
      where m.force_id = f.id and m.status = 'approved' order by m.id desc limit 1) reg on true
    left join party_org b on b.code = reg.branch_code
    left join party_org uo on uo.code = reg.unit_org_code
    cross join lateral (select count(*)::int as n, (count(*) filter (where score >= 4))::int as good, avg(score)::float8 as average
      from service_rating where force_id = f.id and created_at > now() - interval '365 days') rt
    where f.id = ${forceId}`.execute(db);
  return rows[0];
}

export async function postsHeld(db: Q, forceId: number) {
  const { rows } = await sql<{ id: number; title: string; kind_name: string }>`
    select sp.id, sp.title, pk.name as kind_name from service_post_holder h join service_post sp on sp.id = h.post_id
    join post_kind pk on pk.code = sp.kind_code where h.force_id = ${forceId} and h.until is null order by sp.id`.execute(db);
  return rows;
}

export async function confirmedRecords(db: Q, forceId: number, from: string | null, to: string | null) {
  const { rows } = await sql<{ id: number; served_on: string; title: string; hours: number; confirmed_as: string | null; confirmed_by_name: string | null; community_name: string }>`
    select r.id, r.served_on, r.title, r.hours, r.confirmed_as, u.display_name as confirmed_by_name, c.name as community_name
    from service_record r left join app_user u on u.id = r.confirmed_by join territory_node c on c.code = r.community_code
    where r.force_id = ${forceId} and r.status = 'confirmed'
      and (${from}::date is null or r.served_on >= ${from}::date) and (${to}::date is null or r.served_on <= ${to}::date)
    order by r.served_on, r.id`.execute(db);
  return rows;
}
