/**
 * The three rates (响应率, 解决率, 满意率) of an area or a line department over a period, their breakdown one level
 * down (or by department) and their trend. Every figure is a count of the conditions in cases.measures.ts, taken in
 * one aggregate statement over `civic_case`, so the drill-down list (`GET /api/v1/cases?measure=&met=`) lists exactly
 * the cases counted.
 *
 * A department's rates are over the whistles blown to it (吹哨报到): response = reported in (报到) by the report-in
 * deadline among the whistles due, resolution = responded (反馈) among the whistles, satisfaction = the case
 * measure over the distinct cases it was whistled on. Those whistle conditions are defined in cases.measures.ts, once.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { AuthContext } from '../../../platform/context.js';
import type { DB } from '../../../platform/db/tables.js';
import { invalid } from '../../../platform/errors.js';
import type { RatesT } from '../cases.schema.js';
import { departmentMeasureFilter, measureFilter, openCase, overdueCase, whistleMeasures, type Measure } from '../cases.measures.js';
export { departmentMeasureFilter, whistleMeasures };
import type { BreakdownT, TrendT } from './insight.schema.js';
import { xlsxOf } from '../../../platform/xlsx.js';
import { areaCondition, childLevel, inPeriod, periodOf, resolveScope, visibleCases, type InsightScope, type Period } from './scope.js';

export { openCase, overdueCase };

const whistleOverdue = (now: Date) => sql<SqlBool>`(w.responded_at is null
  and (w.respond_deadline < ${now} or (w.reported_in_at is null and w.report_in_deadline < ${now})))`;

const columns = ['reported', 'response_due', 'responded_on_time', 'accepted', 'resolved', 'rated', 'satisfied', 'open', 'overdue'] as const;
type CountsRow = Record<(typeof columns)[number], number>;

/** The counts of a set of cases `c` (one row per group). */
function caseCounts(now: Date): RawBuilder<unknown> {
  const count = (condition: RawBuilder<SqlBool>) => sql`count(*) filter (where ${condition})::int`;
  return sql`count(*) filter (where c.state <> 'merged')::int as reported,
    ${count(measureFilter('response', undefined, now))} as response_due, ${count(measureFilter('response', true, now))} as responded_on_time,
    ${count(measureFilter('resolution', undefined, now))} as accepted, ${count(measureFilter('resolution', true, now))} as resolved,
    ${count(measureFilter('satisfaction', undefined, now))} as rated, ${count(measureFilter('satisfaction', true, now))} as satisfied,
    ${count(openCase)} as open, ${count(overdueCase(now))} as overdue`;
}

/** The counts of a set of whistles `w` on cases `c`: reported, rated and satisfied count distinct cases. */
function whistleCounts(now: Date): RawBuilder<unknown> {
  const { response, resolution } = whistleMeasures;
  return sql`count(distinct c.id)::int as reported,
    count(*) filter (where ${response.denominator(now)})::int as response_due,
    count(*) filter (where ${response.denominator(now)} and ${response.numerator})::int as responded_on_time,
    count(*) filter (where ${resolution.denominator(now)})::int as accepted,
    count(*) filter (where ${resolution.denominator(now)} and ${resolution.numerator})::int as resolved,
    count(distinct c.id) filter (where ${measureFilter('satisfaction', undefined, now)})::int as rated,
    count(distinct c.id) filter (where ${measureFilter('satisfaction', true, now)})::int as satisfied,
    count(*) filter (where w.responded_at is null)::int as open,
    count(*) filter (where ${whistleOverdue(now)})::int as overdue`;
}

/** `coalesce(a.x, 0) as x` for every count, for outer joins that keep empty groups. */
const coalesced = sql.join(columns.map((c) => sql`coalesce(a.${sql.ref(c)}, 0) as ${sql.ref(c)}`));

/**
 * The cases (or the department's whistles) of a scope reported in the period, inside the caller's territory scope,
 * with the counts grouped by `groupBy` (an SQL expression, aliased `code`) when given.
 */
function countedSource(auth: AuthContext, scope: InsightScope, period: Period, now: Date, groupBy?: RawBuilder<unknown>) {
  const key = groupBy ? sql`${groupBy} as code,` : sql``;
  const group = groupBy ? sql`group by 1` : sql``;
  const visible = visibleCases(auth, scope);
  if (scope.type === 'department') {
    // blown_at >= reported_at always: the bound lets the (department_code, blown_at) index narrow the whistles.
    return sql`select ${key} ${whistleCounts(now)} from case_whistle w join civic_case c on c.id = w.case_id
      where w.department_code = ${scope.code} and w.blown_at >= ${period.start} and c.state <> 'merged'
        and ${inPeriod(period)} and ${visible} ${group}`;
  }
  return sql`select ${key} ${caseCounts(now)} from civic_case c
    where ${areaCondition(scope)} and ${inPeriod(period)} and ${visible} ${group}`;
}

const ratio = (numerator: number, denominator: number) => (denominator === 0 ? null : numerator / denominator);

function presentCounts(row: CountsRow): Pick<RatesT, 'responseRate' | 'resolutionRate' | 'satisfactionRate' | 'counts'> {
  const counts = {
    reported: row.reported, responseDue: row.response_due, respondedOnTime: row.responded_on_time, accepted: row.accepted,
    resolved: row.resolved, rated: row.rated, satisfied: row.satisfied, open: row.open, overdue: row.overdue,
  };
  return {
    responseRate: ratio(counts.respondedOnTime, counts.responseDue),
    resolutionRate: ratio(counts.resolved, counts.accepted),
    satisfactionRate: ratio(counts.satisfied, counts.rated),
    counts,
  };
}

interface RatesQueryInput { scopeCode?: string; from: string; to: string }

/** The three rates of an area (default: the caller's scope root) or a department over a period. */
export async function getRates(db: Kysely<DB>, auth: AuthContext, query: RatesQueryInput, now = new Date()): Promise<RatesT> {
  const period = periodOf(query.from, query.to);
  const scope = await resolveScope(db, auth, query.scopeCode, true);
  const { rows } = await sql<CountsRow>`${countedSource(auth, scope, period, now)}`.execute(db);
  return { scopeCode: scope.code, scopeName: scope.name, from: period.from, to: period.to, ...presentCounts(rows[0]!) };
}

/** The rates of each child area (street → communities → grids → micro-grids) or of each department whistled, in one grouped statement. */
export async function getBreakdown(db: Kysely<DB>, auth: AuthContext, query: RatesQueryInput & { by?: 'children' | 'departments' }, now = new Date()): Promise<BreakdownT> {
  const period = periodOf(query.from, query.to);
  const scope = await resolveScope(db, auth, query.scopeCode, true);
  const by = query.by ?? 'children';
  if (scope.type === 'department') throw invalid('scopeCode', '部门没有下级区域，请选择区域后按部门分解', 'a department has no breakdown');
  const head = { scopeCode: scope.code, scopeName: scope.name, from: period.from, to: period.to, by };
  let rows: (CountsRow & { code: string; name: string; kind: string })[];
  if (by === 'departments') {
    ({ rows } = await sql<CountsRow & { code: string; name: string; kind: string }>`
      select d.code, d.name, 'department' as kind, ${whistleCounts(now)}
      from case_whistle w join civic_case c on c.id = w.case_id join department d on d.code = w.department_code
      where ${areaCondition(scope)} and ${inPeriod(period)} and c.state <> 'merged' and ${visibleCases(auth, scope)}
      group by d.code, d.name, d.sort_order order by d.sort_order, d.code`.execute(db));
  } else {
    const child = childLevel[scope.kind];
    if (!child) return { ...head, items: [] };
    const parent = scope.type === 'all' ? sql`n.parent_code is null` : sql`n.parent_code = ${scope.code}`;
    // Cases whose child code matches no child row (none are expected) are kept as one row, so the parts add up.
    ({ rows } = await sql<CountsRow & { code: string; name: string; kind: string }>`
      with a as (${countedSource(auth, scope, period, now, sql.raw(child.column))}),
      n as (select n.code, n.name, n.kind, n.sort_order from territory_node n where ${parent} and n.kind = ${child.kind})
      select coalesce(n.code, a.code, '') as code, coalesce(n.name, '未归属下级区域') as name, ${child.kind}::text as kind, ${coalesced}
      from n full join a on a.code = n.code
      order by n.sort_order nulls last, n.code nulls last`.execute(db));
  }
  return {
    ...head,
    items: rows.map((r) => ({ code: r.code, name: r.name, kind: r.kind, scopeCode: r.code, scopeName: r.name, from: period.from, to: period.to, ...presentCounts(r) })),
  };
}

const MAX_TREND_POINTS = 400;
const intervalDays = { day: 1, week: 7, month: 28 } as const;

/** The rates per Beijing calendar month, week (from Monday) or day of the period; empty periods are zeros. */
export async function getTrend(db: Kysely<DB>, auth: AuthContext, query: RatesQueryInput & { interval?: 'month' | 'week' | 'day' }, now = new Date()): Promise<TrendT> {
  const period = periodOf(query.from, query.to);
  const interval = query.interval ?? 'month';
  const days = (period.end.getTime() - period.start.getTime()) / 86_400_000;
  if (days / intervalDays[interval] > MAX_TREND_POINTS + 1) {
    throw invalid('interval', `分段太多（最多 ${MAX_TREND_POINTS} 段），请缩短期间或按更长的周期统计`, `at most ${MAX_TREND_POINTS} periods`);
  }
  const scope = await resolveScope(db, auth, query.scopeCode, true);
  const step = `1 ${interval}`;
  const bucket = sql`date_trunc(${interval}, c.reported_at at time zone 'Asia/Shanghai')::date`;
  const { rows } = await sql<CountsRow & { period: string; from: string; to: string }>`
    with b as (select d::date as bucket from generate_series(date_trunc(${interval}, cast(${period.from} as timestamp)),
      cast(${period.to} as timestamp), cast(${step} as interval)) d),
    a as (${countedSource(auth, scope, period, now, bucket)})
    select to_char(b.bucket, 'YYYY-MM-DD') as period,
      to_char(greatest(b.bucket, cast(${period.from} as date)), 'YYYY-MM-DD') as "from",
      to_char(least(cast(b.bucket + cast(${step} as interval) as date) - 1, cast(${period.to} as date)), 'YYYY-MM-DD') as "to",
      ${coalesced}
    from b left join a on a.code = b.bucket order by b.bucket`.execute(db);
  return {
    scopeCode: scope.code, scopeName: scope.name, from: period.from, to: period.to, interval,
    items: rows.map((r) => ({ period: r.period, from: r.from, to: r.to, ...presentCounts(r) })),
  };
}

const KIND_NAMES: Record<string, string> = {
  district: '区', street: '街道', community: '社区', grid: '网格', micro_grid: '微网格', department: '职能部门', all: '全域',
};
const percent = (rate: number | null) => (rate === null ? '' : `${(rate * 100).toFixed(1)}%`);

/**
 * `GET /api/v1/cases/rates?format=xlsx`: the rates of the area (or department) and, for an area, their breakdown
 * by the areas below and by the departments whistled — the same figures as the three JSON answers, with each rate's
 * numerator and denominator beside it so the sheet can be checked by hand.
 */
export async function exportRates(db: Kysely<DB>, auth: AuthContext, query: RatesQueryInput, now = new Date()): Promise<Buffer> {
  const rates = await getRates(db, auth, query, now);
  const scope = await resolveScope(db, auth, query.scopeCode, true);
  type Row = RatesT & { kind: string };
  const own: Row = { ...rates, kind: scope.type === 'department' ? 'department' : scope.kind };
  const children = scope.type === 'department' ? [] : (await getBreakdown(db, auth, query, now)).items;
  const departments = scope.type === 'department' ? [] : (await getBreakdown(db, auth, { ...query, by: 'departments' }, now)).items;
  const columns = [
    { header: '区域或部门', width: 20, value: (r: Row) => r.scopeName },
    { header: '层级', width: 8, value: (r: Row) => KIND_NAMES[r.kind] ?? r.kind },
    { header: '上报', width: 8, value: (r: Row) => r.counts.reported },
    { header: '应响应', width: 8, value: (r: Row) => r.counts.responseDue },
    { header: '按时响应', width: 9, value: (r: Row) => r.counts.respondedOnTime },
    { header: '响应率', width: 8, value: (r: Row) => percent(r.responseRate) },
    { header: '立案', width: 8, value: (r: Row) => r.counts.accepted },
    { header: '解决', width: 8, value: (r: Row) => r.counts.resolved },
    { header: '解决率', width: 8, value: (r: Row) => percent(r.resolutionRate) },
    { header: '评价', width: 8, value: (r: Row) => r.counts.rated },
    { header: '满意', width: 8, value: (r: Row) => r.counts.satisfied },
    { header: '满意率', width: 8, value: (r: Row) => percent(r.satisfactionRate) },
    { header: '未办结', width: 8, value: (r: Row) => r.counts.open },
    { header: '超期', width: 8, value: (r: Row) => r.counts.overdue },
  ];
  const lead = [`${rates.scopeName} 三率（按上报日期 ${rates.from} 至 ${rates.to}，北京时间）`,
    '响应率 = 按时响应 ÷ 应响应；解决率 = 解决 ÷ 立案；满意率 = 满意（含基本满意）÷ 评价。每个数都可在案件台按同样条件查到对应案件。'];
  return xlsxOf([
    { name: '三率', lead, columns, rows: [own, ...children] },
    ...(departments.length ? [{ name: '职能部门', lead: [`${rates.scopeName} 范围内被吹哨的职能部门（${rates.from} 至 ${rates.to}）`], columns, rows: departments }] : []),
  ]);
}
