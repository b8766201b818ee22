/**
 * The case map (案件地图): located cases clustered on the server by snapping to a grid whose cell follows the zoom
 * (about 64 px at that zoom; one aggregate statement, capped), and a heat layer aggregated to finer cells (about
 * 8 px). Filters: area, viewport, category (a major matches its minors), state (`open` = not terminal), overdue,
 * reporting period. Always inside the caller's territory scope.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { AuthContext } from '../../../platform/context.js';
import type { DB } from '../../../platform/db/tables.js';
import { invalid } from '../../../platform/errors.js';
import { fromGcj02, toGcj02 } from '../../../platform/geo.js';
import type { CaseHeatT, CaseMapT, MapQueryT } from './insight.schema.js';
import { openCase, overdueCase } from './rates.js';
import { areaCondition, inPeriod, periodOf, resolveScope, visibleCases } from './scope.js';

const MAX_CLUSTERS = 1000;
const MAX_HEAT_POINTS = 5000;
const IDS_UP_TO = 20;

/** Degrees of longitude one 256 px tile spans at a zoom, divided into `parts` cells. */
const cellAt = (zoom: number, parts: number) => 360 / 2 ** zoom / parts;

function parseBbox(bbox: string, crs: 'wgs84' | 'gcj02'): [number, number, number, number] {
  const parts = bbox.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) throw invalid('bbox', '格式应为 西,南,东,北（经纬度）', 'expected w,s,e,n');
  let [w, s, e, n] = parts as [number, number, number, number];
  if (w < -180 || e > 180 || s < -90 || n > 90 || w >= e || s >= n) throw invalid('bbox', '范围无效：西 < 东，南 < 北，且在经纬度范围内', 'invalid extent');
  if (crs === 'gcj02') {
    [w, s] = fromGcj02(w, s);
    [e, n] = fromGcj02(e, n);
  }
  return [w, s, e, n];
}

/** The WHERE of a map request: the cases shown, each with a location. */
async function mapConditions(db: Kysely<DB>, auth: AuthContext, query: MapQueryT, now: Date): Promise<RawBuilder<SqlBool>> {
  const scope = await resolveScope(db, auth, query.scopeCode, true);
  // A department's map: the cases it handles or was whistled on.
  const subject = scope.type === 'department'
    ? sql<SqlBool>`(c.handler_tier = 'department' and c.handler_code = ${scope.code}
        or exists (select 1 from case_whistle w where w.case_id = c.id and w.department_code = ${scope.code}))`
    : areaCondition(scope);
  const conditions: RawBuilder<SqlBool>[] = [subject, visibleCases(auth, scope), sql<SqlBool>`c.location is not null`];
  if (query.bbox) {
    const [w, s, e, n] = parseBbox(query.bbox, query.crs ?? 'wgs84');
    conditions.push(sql<SqlBool>`c.location && st_makeenvelope(${w}, ${s}, ${e}, ${n}, 4326)`);
  }
  if (query.categoryCode) {
    conditions.push(sql<SqlBool>`c.category_code in (select k.code from case_category k where k.code = ${query.categoryCode} or k.parent_code = ${query.categoryCode})`);
  }
  // A merged duplicate lies where its case lies: drawn only when asked for by its state.
  if (query.state !== 'merged') conditions.push(sql<SqlBool>`c.state <> 'merged'`);
  if (query.state === 'open') conditions.push(openCase);
  else if (query.state) {
    const { rows } = await sql<{ code: string }>`select code from case_state where code = ${query.state}`.execute(db);
    if (!rows[0]) throw invalid('state', '状态不存在（可用 open 表示未办结）', 'unknown state');
    conditions.push(sql<SqlBool>`c.state = ${query.state}`);
  }
  if (query.overdue !== undefined) conditions.push(query.overdue ? overdueCase(now) : sql<SqlBool>`not ${overdueCase(now)}`);
  if (query.from && query.to) conditions.push(inPeriod(periodOf(query.from, query.to)));
  else if (query.from) conditions.push(sql<SqlBool>`c.reported_at >= ${periodOf(query.from, query.from).start}`);
  else if (query.to) conditions.push(sql<SqlBool>`c.reported_at < ${periodOf(query.to, query.to).end}`);
  return sql<SqlBool>`${sql.join(conditions, sql` and `)}`;
}

const output = (lng: number, lat: number, crs: 'wgs84' | 'gcj02' | undefined): [number, number] =>
  (crs === 'gcj02' ? toGcj02([lng, lat] as [number, number]) : [lng, lat]);

interface CellRow { n: number; overdue: number; x: number; y: number; ids: number[] | null; total: number; cells: number }

/**
 * The matching cases snapped to cells of `cell` degrees, in one aggregate: per cell the count, the overdue count,
 * the mean position and (small cells) the ids; the `cap` fullest cells, each row carrying the overall total.
 */
async function aggregateCells(db: Kysely<DB>, where: RawBuilder<SqlBool>, cell: number, cap: number, now: Date): Promise<{ rows: CellRow[]; total: number; truncated: boolean }> {
  const { rows } = await sql<CellRow>`
    with g as (
      select count(*)::int as n, count(*) filter (where ${overdueCase(now)})::int as overdue,
        avg(st_x(c.location)) as x, avg(st_y(c.location)) as y,
        case when count(*) <= ${IDS_UP_TO} then array_agg(c.id::int) end as ids
      from civic_case c where ${where}
      group by floor(st_x(c.location) / ${cell}), floor(st_y(c.location) / ${cell}))
    select n, overdue, x, y, ids, (sum(n) over ())::int as total, (count(*) over ())::int as cells
    from g order by n desc, x, y limit ${cap}`.execute(db);
  return { rows, total: rows[0]?.total ?? 0, truncated: (rows[0]?.cells ?? 0) > rows.length };
}

/** Clusters of the cases matching the filters; the clusters with the most cases first when over the cap. */
export async function caseMap(db: Kysely<DB>, auth: AuthContext, query: MapQueryT, now = new Date()): Promise<CaseMapT> {
  const cell = cellAt(query.zoom ?? 13, 4);
  const { rows, total, truncated } = await aggregateCells(db, await mapConditions(db, auth, query, now), cell, MAX_CLUSTERS, now);
  const clusters = rows.map((r) => {
    const [lng, lat] = output(r.x, r.y, query.crs);
    return { lng, lat, count: r.n, overdue: r.overdue, ...(r.ids ? { ids: r.ids.sort((a, b) => a - b) } : {}) };
  });
  return { clusters, total, cellDegrees: cell, truncated };
}

/** The heat layer: case counts per small cell, as [lat, lng, weight] (the order Leaflet.heat takes). */
export async function caseHeat(db: Kysely<DB>, auth: AuthContext, query: MapQueryT, now = new Date()): Promise<CaseHeatT> {
  const cell = cellAt(query.zoom ?? 13, 32);
  const { rows, total, truncated } = await aggregateCells(db, await mapConditions(db, auth, query, now), cell, MAX_HEAT_POINTS, now);
  const points = rows.map((r) => {
    const [lng, lat] = output(r.x, r.y, query.crs);
    return [lat, lng, r.n] as [number, number, number];
  });
  return { points, total, cellDegrees: cell, truncated };
}
