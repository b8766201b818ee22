/** Open311: the SQL. Public reads select only public columns; a case is read through the cases module's select. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/tables.js';
import { caseSelect } from '../cases/cases.repository.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface ServiceRow {
  code: string; name: string; group_name: string; kind: string; keywords: string[]; metadata: boolean;
  accept_days: number; handle_days: number;
}

const serviceSelect = sql`
  select c.code, c.name, p.name as group_name, c.kind, c.keywords, c.accept_days, c.handle_days,
    exists (select 1 from case_category_attribute a where a.category_code = c.code) as metadata
  from case_category c join case_category p on p.code = c.parent_code
  where c.active and p.active and c.open311`;

/** The minor categories offered as Open311 services (active, `open311`), in the dictionary's order. */
export async function listServices(db: Q): Promise<ServiceRow[]> {
  const { rows } = await sql<ServiceRow>`${serviceSelect} order by p.sort_order, p.code, c.sort_order, c.code`.execute(db);
  return rows;
}

export async function findService(db: Q, code: string): Promise<ServiceRow | undefined> {
  const { rows } = await sql<ServiceRow>`${serviceSelect} and c.code = ${code}`.execute(db);
  return rows[0];
}

export interface AttributeRow {
  code: string; datatype: string; required: boolean; description: string; sort_order: number; values_json: unknown;
}

export async function listAttributes(db: Q, categoryCode: string): Promise<AttributeRow[]> {
  return db.selectFrom('case_category_attribute').select(['code', 'datatype', 'required', 'description', 'sort_order', 'values_json'])
    .where('category_code', '=', categoryCode).orderBy('sort_order').orderBy('code').execute();
}

/** A district of the territory tree (an Open311 jurisdiction), or undefined. */
export async function findDistrict(db: Q, code: string): Promise<{ code: string; path: string } | undefined> {
  const { rows } = await sql<{ code: string; path: string }>`select code, path::text as path from territory_node
    where code = ${code} and kind = 'district'`.execute(db);
  return rows[0];
}

export interface PublicRequestRow {
  id: number; service_no: string; open311_status: 'open' | 'closed'; state: string; state_name: string; status_note: string | null;
  merged_into_no: string | null; category_code: string; category_name: string; description: string; handler_name: string;
  reported_at: Date; updated_at: Date; deadline: Date; address: string; lat: number | null; lng: number | null;
  media_url: string | null; accept_days: number; handle_days: number;
}

export interface RequestFilter {
  ids?: { numbers: number[]; serviceNos: string[] };
  codes?: string[];
  statuses?: ('open' | 'closed')[];
  from?: Date;
  to?: Date;
  underPath?: string | null;
  limit: number;
}

/**
 * Service requests as the public may see them: cases of Open311 categories, newest first. The inner select is the
 * cases module's; only public columns leave this query (never the reporter's name, phone or account).
 */
export async function listPublicRequests(db: Q, f: RequestFilter): Promise<PublicRequestRow[]> {
  const where = [sql`cat.open311`];
  if (f.ids) where.push(sql`(c.id = any(${f.ids.numbers}::bigint[]) or c.service_no = any(${f.ids.serviceNos}::text[]))`);
  if (f.codes) where.push(sql`c.category_code = any(${f.codes}::text[])`);
  if (f.statuses) where.push(sql`s.open311 = any(${f.statuses}::text[])`);
  if (f.from) where.push(sql`c.reported_at >= ${f.from}`);
  if (f.to) where.push(sql`c.reported_at <= ${f.to}`);
  if (f.underPath) where.push(sql`c.territory_path <@ cast(${f.underPath} as ltree)`);
  const { rows } = await sql<PublicRequestRow>`
    select x.id, x.service_no, st.open311 as open311_status, x.state, x.state_name,
      (select n.note from civic_case_step n where n.case_id = x.id and n.action = 'void' order by n.id desc limit 1) as status_note,
      m.service_no as merged_into_no, x.category_code, x.category_name, x.description, x.handler_name,
      x.reported_at, x.updated_at, coalesce(x.handle_deadline, x.accept_deadline) as deadline, x.address, x.lat, x.lng,
      x.attributes ->> 'media_url' as media_url, x.accept_days, x.handle_days
    from (${caseSelect()} where ${sql.join(where, sql` and `)} order by c.reported_at desc, c.id desc limit ${f.limit}) x
    join case_state st on st.code = x.state
    left join civic_case m on m.id = x.merged_into
    order by x.reported_at desc, x.id desc`.execute(db);
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
