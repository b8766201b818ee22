/**
 * The matching query: ONE statement over bounded candidate sets — the 300 nearest homes (KNN `<->` on the GiST
 * index of home_location), the 300 nearest among members holding a wanted skill (the least loaded ones when there
 * is no place) and, without a place, the 300 least loaded members of the area — scored in SQL so only the best 20
 * leave the database. Far members score little for distance, so bounding by nearness loses no good candidate.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/tables.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface NeedQuery {
  skills: string[];
  /** WGS-84 point of the place, or null */
  lng: number | null; lat: number | null;
  /** candidates serve under this territory path */
  scopePath: string;
  /** ISO weekday 1–7 and part of day wanted, or null */
  day: number | null; period: string | null;
  exclude: number[];
  limit: number;
}

export interface SuggestionRow {
  id: number; name: string; community_code: string; community_name: string; open_load: number; hit_names: string[];
  dist: number | null; day_ok: boolean; period_ok: boolean; ratings: number; good: number; score: number;
}

/** Weights of the score (sum 100). */
export const WEIGHTS = { skill: 35, distance: 25, availability: 15, load: 15, rating: 10 } as const;
/** Beyond this distance from home the distance part of the score is zero. */
export const DISTANCE_ZERO_METERS = 5000;
/** Candidate bounds: nearest homes, and nearest homes among members holding a wanted skill. */
const NEAREST = 300;
const NEAREST_SKILLED = 300;

export async function suggest(db: Q, n: NeedQuery): Promise<SuggestionRow[]> {
  return (await suggestQuery(n).execute(db)).rows;
}

/** The statement itself (EXPLAIN it with `.compile(db)`). */
export function suggestQuery(n: NeedQuery) {
  const hasPlace = n.lng !== null && n.lat !== null;
  const point = hasPlace ? sql`ST_SetSRID(ST_MakePoint(${n.lng}::float8, ${n.lat}::float8), 4326)` : sql`null::geometry`;
  const skills = sql`cast(${n.skills} as text[])`;
  const scope = sql`cast(${n.scopePath} as ltree)`;
  return sql<SuggestionRow>`
    with near as (
      ${hasPlace ? sql`select f.id, f.person_id, f.community_code, f.open_load, f.skills, f.home_location, f.availability from force_person f where f.status = 'active' and f.home_location is not null and f.community_path <@ ${scope}
        order by f.home_location <-> ${point} limit ${NEAREST}` : sql`select null::bigint as id, null::bigint as person_id, null::text as community_code, null::int as open_load, null::text[] as skills, null::geometry as home_location, null::jsonb as availability where false`}
    ), skilled as (
      ${!n.skills.length ? sql`select null::bigint as id, null::bigint as person_id, null::text as community_code, null::int as open_load, null::text[] as skills, null::geometry as home_location, null::jsonb as availability where false`
        : hasPlace ? sql`select f.id, f.person_id, f.community_code, f.open_load, f.skills, f.home_location, f.availability from force_person f where f.status = 'active' and f.skills && ${skills} and f.community_path <@ ${scope}
          and f.home_location is not null order by f.home_location <-> ${point} limit ${NEAREST_SKILLED}`
        : sql`select f.id, f.person_id, f.community_code, f.open_load, f.skills, f.home_location, f.availability from force_person f where f.status = 'active' and f.skills && ${skills} and f.community_path <@ ${scope}
          order by f.open_load, f.id limit ${NEAREST_SKILLED}`}
    ), nearby_area as (
      ${hasPlace ? sql`select null::bigint as id, null::bigint as person_id, null::text as community_code, null::int as open_load, null::text[] as skills, null::geometry as home_location, null::jsonb as availability where false` : sql`select f.id, f.person_id, f.community_code, f.open_load, f.skills, f.home_location, f.availability from force_person f where f.status = 'active' and f.community_path <@ ${scope}
        order by f.open_load, f.id limit ${NEAREST}`}
    ), cand as (
      select distinct on (u.id) u.* from (select * from near union all select * from skilled union all select * from nearby_area) u
    ), scored as materialized (
      select f.id, f.person_id, f.community_code, f.open_load, f.skills,
        (select count(*) from unnest(f.skills) k where k = any(${skills}))::int as hits,
        ${hasPlace ? sql`ST_Distance(f.home_location::geography, ${point}::geography)` : sql`null::float8`} as dist,
        (${n.day}::int is not null and coalesce(f.availability -> 'days', '[]'::jsonb) @> to_jsonb(${n.day}::int)) as day_ok,
        (${n.period}::text is not null and coalesce(f.availability -> 'periods', '[]'::jsonb) ? ${n.period}::text) as period_ok,
        rt.n as ratings, rt.good
      from cand f
      -- rolling-year satisfaction: an index range per candidate (service_rating_force)
      cross join lateral (select count(*)::int as n, (count(*) filter (where r.score >= 4))::int as good from service_rating r
        where r.force_id = f.id and r.created_at > now() - interval '1 year') rt
      where not (f.id = any(cast(${n.exclude} as bigint[])))
    ), ranked as (
      select s.*, round((
        ${n.skills.length ? sql`${WEIGHTS.skill}::numeric * s.hits / ${n.skills.length}` : sql`0`}
        + case when s.dist is null then 0 else ${WEIGHTS.distance}::numeric * greatest(0, 1 - s.dist / ${DISTANCE_ZERO_METERS}::numeric) end::numeric
        + case when ${n.day}::int is null then 0
            when s.day_ok and (${n.period}::text is null or s.period_ok) then ${WEIGHTS.availability}
            when s.day_ok or s.period_ok then ${WEIGHTS.availability / 2}::numeric else 0 end
        + ${WEIGHTS.load}::numeric / (1 + s.open_load)
        + case when s.ratings = 0 then ${WEIGHTS.rating / 2}::numeric else ${WEIGHTS.rating}::numeric * s.good / s.ratings end
      )::numeric, 1)::float8 as score
      from scored s order by score desc, s.open_load, s.id limit ${n.limit}
    )
    select r.id, p.name, r.community_code, c.name as community_name, r.open_load, r.dist, r.day_ok, r.period_ok, r.ratings, r.good, r.score,
      array(select k.name from skill k where k.code = any(r.skills) and k.code = any(${skills}) order by k.sort_order) as hit_names
    from ranked r join person p on p.id = r.person_id join territory_node c on c.code = r.community_code
    order by r.score desc, r.open_load, r.id`;
}

export interface TaskNeed { scope_path: string; skills: string[]; lng: number | null; lat: number | null; starts_at: Date; claimed_by: number[] }

export async function taskNeed(db: Q, id: number): Promise<TaskNeed | undefined> {
  const { rows } = await sql<TaskNeed>`select t.scope_path::text as scope_path, t.skills, ST_X(t.location) as lng, ST_Y(t.location) as lat, t.starts_at,
      array(select c.force_id from task_claim c where c.task_id = t.id and c.status <> 'cancelled')::int8[] as claimed_by
    from service_task t where t.id = ${id}`.execute(db);
  return rows[0];
}

export interface OrderNeed { community_path: string; skill_code: string | null; lng: number | null; lat: number | null; wanted_at: Date | null;
  assignee_force_id: number | null }

export async function orderNeed(db: Q, id: number): Promise<OrderNeed | undefined> {
  const { rows } = await sql<OrderNeed>`select o.community_path::text as community_path, o.skill_code,
      ST_X(coalesce(o.location, pl.location, ST_PointOnSurface(pl.boundary), c.location)) as lng,
      ST_Y(coalesce(o.location, pl.location, ST_PointOnSurface(pl.boundary), c.location)) as lat, o.wanted_at, o.assignee_force_id
    from service_order o join territory_node c on c.code = o.community_code left join territory_node pl on pl.code = o.place_code
    where o.id = ${id}`.execute(db);
  return rows[0];
}

export interface CommunityNeed { community_path: string; category: string; lng: number | null; lat: number | null }

export async function communityNeed(db: Q, id: number): Promise<CommunityNeed | undefined> {
  const { rows } = await sql<CommunityNeed>`select c.path::text as community_path, n.category, ST_X(c.location) as lng, ST_Y(c.location) as lat
    from community_need n join territory_node c on c.code = n.community_code where n.id = ${id}`.execute(db);
  return rows[0];
}
