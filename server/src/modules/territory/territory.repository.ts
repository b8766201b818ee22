/** SQL for the territory tree. No rules here: scope conditions arrive as arguments from the service. */
import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/tables.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface NodeRow {
  code: string; name: string; kind: string; parent_code: string | null; path: string; stat_code: string | null;
  name_pinyin: string; name_initials: string; boundary: unknown; location: unknown;
  grid_code: string | null; micro_grid_code: string | null; child_count: number;
}

const childCount = sql<number>`(select count(*) from territory_node c where c.parent_code = n.code)::int`;

export async function findNode(db: Q, code: string, geometry = true): Promise<NodeRow | undefined> {
  const { rows } = await sql<NodeRow>`
    select n.code, n.name, n.kind, n.parent_code, n.path::text as path, n.stat_code, n.name_pinyin, n.name_initials,
      ${geometry ? sql`ST_AsGeoJSON(n.boundary, 7)::json` : sql`null`} as boundary,
      ${geometry ? sql`ST_AsGeoJSON(n.location, 7)::json` : sql`null`} as location,
      n.grid_code, n.micro_grid_code, ${childCount} as child_count
    from territory_node n where n.code = ${code}`.execute(db);
  return rows[0];
}

export async function findAncestors(db: Q, path: string): Promise<{ code: string; name: string; kind: string }[]> {
  const { rows } = await sql<{ code: string; name: string; kind: string }>`
    select code, name, kind from territory_node where path @> cast(${path} as ltree) and path <> cast(${path} as ltree)
    order by nlevel(path)`.execute(db);
  return rows;
}

export interface SummaryRow { code: string; name: string; kind: string; parent_code: string | null; stat_code: string | null; child_count: number; sort_order: number }

export async function listChildren(db: Q, parentCode: string, limit: number, after: [number, string] | null): Promise<SummaryRow[]> {
  const { rows } = await sql<SummaryRow>`
    select n.code, n.name, n.kind, n.parent_code, n.stat_code, n.sort_order, ${childCount} as child_count
    from territory_node n
    where n.parent_code = ${parentCode}
      ${after ? sql`and (n.sort_order, n.code) > (${after[0]}, ${after[1]})` : sql``}
    order by n.sort_order, n.code limit ${limit + 1}`.execute(db);
  return rows;
}

export async function listByCodes(db: Q, codes: string[]): Promise<SummaryRow[]> {
  if (codes.length === 0) return [];
  const { rows } = await sql<SummaryRow>`
    select n.code, n.name, n.kind, n.parent_code, n.stat_code, n.sort_order, ${childCount} as child_count
    from territory_node n where n.code = any(${codes}) order by n.path`.execute(db);
  return rows;
}

export async function listRootDistricts(db: Q): Promise<SummaryRow[]> {
  const { rows } = await sql<SummaryRow>`
    select n.code, n.name, n.kind, n.parent_code, n.stat_code, n.sort_order, ${childCount} as child_count
    from territory_node n where n.parent_code is null order by n.code`.execute(db);
  return rows;
}

export async function searchNodes(db: Q, q: string, kind: string | undefined, scope: RawBuilder<SqlBool>, limit: number): Promise<SummaryRow[]> {
  const lower = q.toLowerCase();
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const prefix = `${lower.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { rows } = await sql<SummaryRow>`
    select n.code, n.name, n.kind, n.parent_code, n.stat_code, n.sort_order, ${childCount} as child_count
    from territory_node n
    where (n.name like ${like} or n.name_pinyin like ${prefix} or n.name_initials like ${prefix} or n.code like ${`${q.toUpperCase()}%`})
      and ${scope} ${kind ? sql`and n.kind = ${kind}` : sql``}
    order by nlevel(n.path), n.name = ${q} desc, length(n.name), n.code limit ${limit}`.execute(db);
  return rows;
}

export async function locatePoint(db: Q, lng: number, lat: number): Promise<{ kind: string; code: string; name: string; path: string }[]> {
  const { rows } = await sql<{ kind: string; code: string; name: string; path: string }>`
    select distinct on (kind) kind, code, name, path::text as path from territory_node
    where boundary is not null and kind in ('district', 'street', 'community', 'grid', 'micro_grid')
      and ST_Covers(boundary, ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326))
    order by kind, code`.execute(db);
  return rows;
}

export async function mapFeatures(db: Q, code: string): Promise<{ code: string; name: string; kind: string; role: string; geometry: unknown }[]> {
  const { rows } = await sql<{ code: string; name: string; kind: string; role: string; geometry: unknown }>`
    select n.code, n.name, n.kind, case when n.code = ${code} then 'self' else 'child' end as role,
      ST_AsGeoJSON(coalesce(n.boundary, n.location), 7)::json as geometry
    from territory_node n where n.code = ${code} or n.parent_code = ${code}
    order by n.code = ${code} desc, n.sort_order, n.code`.execute(db);
  return rows;
}

export async function geometryProblem(db: Q, geojson: unknown): Promise<string | null> {
  const { rows } = await sql<{ valid: boolean; reason: string }>`
    select ST_IsValid(g) as valid, ST_IsValidReason(g) as reason from (select ST_GeomFromGeoJSON(${JSON.stringify(geojson)}) as g) x`.execute(db);
  return rows[0]?.valid ? null : rows[0]?.reason ?? 'invalid geometry';
}

/** Whether `geojson` lies inside the parent's boundary (a 1 m tolerance), and which sibling it overlaps. */
export async function placementProblems(
  db: Q, parentCode: string, kind: string, geojson: unknown, selfCode: string | null,
): Promise<{ outside: boolean; overlaps: string | null }> {
  const { rows } = await sql<{ outside: boolean; overlaps: string | null }>`
    with g as (select ST_Multi(ST_GeomFromGeoJSON(${JSON.stringify(geojson)})) as geom)
    select coalesce((select not ST_CoveredBy(g.geom, ST_Buffer(p.boundary::geography, 1)::geometry)
                     from territory_node p where p.code = ${parentCode} and p.boundary is not null), false) as outside,
           (select s.name from territory_node s
             where s.parent_code = ${parentCode} and s.kind = ${kind} and s.boundary is not null
               and s.code is distinct from ${selfCode}
               and ST_Intersects(s.boundary, g.geom)
               and ST_Area(ST_Intersection(s.boundary, g.geom)::geography) > 1
             limit 1) as overlaps
    from g`.execute(db);
  return rows[0] ?? { outside: false, overlaps: null };
}

/** The highest child code of the form prefix + `digits` digits (codes of other shapes are ignored). */
export async function maxChildCode(db: Q, parentCode: string, kind: string, prefix: string, digits: number): Promise<string | null> {
  const { rows } = await sql<{ max: string | null }>`select max(code) as max from territory_node
    where parent_code = ${parentCode} and kind = ${kind} and code ~ ${`^${prefix}[0-9]{${digits}}$`}`.execute(db);
  return rows[0]?.max ?? null;
}

export async function kindAllowed(db: Q, parentKind: string, childKind: string): Promise<boolean> {
  const row = await db.selectFrom('territory_kind_rule').select('child_kind')
    .where('parent_kind', '=', parentKind).where('child_kind', '=', childKind).executeTakeFirst();
  return Boolean(row);
}

export async function insertNode(db: Q, node: {
  code: string; parentCode: string; kind: string; name: string; path: string; namePinyin: string; nameInitials: string;
  statCode: string | null; boundary: unknown; location: unknown; sortOrder: number;
}): Promise<void> {
  await sql`
    insert into territory_node (code, parent_code, kind, name, name_pinyin, name_initials, stat_code, path, boundary, location, sort_order)
    values (${node.code}, ${node.parentCode}, ${node.kind}, ${node.name}, ${node.namePinyin}, ${node.nameInitials}, ${node.statCode},
      cast(${node.path} as ltree),
      ${node.boundary ? sql`ST_Multi(ST_GeomFromGeoJSON(${JSON.stringify(node.boundary)}))` : sql`null`},
      ${node.location ? sql`ST_GeomFromGeoJSON(${JSON.stringify(node.location)})` : sql`null`},
      ${node.sortOrder})`.execute(db);
}

export async function updateNodeFields(db: Q, code: string, fields: {
  name?: string; namePinyin?: string; nameInitials?: string; boundary?: unknown; location?: unknown;
}): Promise<void> {
  const sets = [sql`updated_at = now()`];
  if (fields.name !== undefined) sets.push(sql`name = ${fields.name}`, sql`name_pinyin = ${fields.namePinyin}`, sql`name_initials = ${fields.nameInitials}`);
  if (fields.boundary !== undefined) {
    sets.push(fields.boundary === null ? sql`boundary = null` : sql`boundary = ST_Multi(ST_GeomFromGeoJSON(${JSON.stringify(fields.boundary)}))`);
  }
  if (fields.location !== undefined) {
    sets.push(fields.location === null ? sql`location = null` : sql`location = ST_GeomFromGeoJSON(${JSON.stringify(fields.location)})`);
  }
  await sql`update territory_node set ${sql.join(sets)} where code = ${code}`.execute(db);
}

/** Re-roots a whole subtree under a new parent: one statement rewrites every descendant's path. */
export async function moveSubtree(db: Q, code: string, oldPath: string, newParentCode: string, newParentPath: string): Promise<number> {
  await sql`update territory_node set parent_code = ${newParentCode}, updated_at = now() where code = ${code}`.execute(db);
  const result = await sql`
    update territory_node set path = cast(${newParentPath} as ltree) || subpath(path, nlevel(cast(${oldPath} as ltree)) - 1)
    where path <@ cast(${oldPath} as ltree)`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export async function deleteNode(db: Q, code: string): Promise<void> {
  await db.deleteFrom('territory_node').where('code', '=', code).execute();
}
