/**
 * The three rates (响应率, 解决率, 满意率): one definition, used by the rates and by their drill-down to the cases.
 * Each measure is a denominator and a numerator over a `civic_case` row (alias `c`); the numbers on screen are the
 * counts of these conditions, so every figure can be listed case by case. Merged duplicates never count.
 *
 * - response: of the cases whose acceptance deadline has passed or that were answered, those answered (受理 or 作废)
 *   by the deadline;
 * - resolution: of the cases accepted (立案), those whose handling passed 核查;
 * - satisfaction: of the rated cases, those rated 满意 or 基本满意.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * Open: the non-terminal states of case_state. Written out as the predicate of the partial index civic_case_due, so
 * a map of open cases reads that index instead of the whole table.
 */
export const openCase = sql<SqlBool>`(c.state in ('reported', 'handling', 'resolved', 'rating'))`;
/** Clocked: a step with a deadline runs (受理, 处置, 核查); cards are raised on these. */
export const clockedCase = sql<SqlBool>`(c.state in ('reported', 'handling', 'resolved'))`;
/** Overdue: a clocked step whose deadline has passed. */
export const overdueCase = (now: Date) => sql<SqlBool>`(${clockedCase} and c.step_deadline < ${now})`;

export type Measure = 'response' | 'resolution' | 'satisfaction';

export const measures: Record<Measure, { denominator: (now: Date) => RawBuilder<SqlBool>; numerator: RawBuilder<SqlBool> }> = {
  response: {
    denominator: (now) => sql<SqlBool>`(c.state <> 'merged' and (c.responded_at is not null or c.accept_deadline < ${now}))`,
    numerator: sql<SqlBool>`(c.responded_at is not null and c.responded_at <= c.accept_deadline)`,
  },
  resolution: {
    denominator: () => sql<SqlBool>`(c.state <> 'merged' and c.accepted_at is not null)`,
    numerator: sql<SqlBool>`(c.resolved_at is not null)`,
  },
  satisfaction: {
    denominator: () => sql<SqlBool>`(c.state <> 'merged' and c.satisfaction is not null)`,
    numerator: sql<SqlBool>`(c.satisfaction in ('satisfied', 'basically'))`,
  },
};

/** Drill-down condition: the cases counted in the numerator (met) or in the denominator but not the numerator. */
export function measureFilter(measure: Measure, met: boolean | undefined, now: Date): RawBuilder<SqlBool> {
  const m = measures[measure];
  if (met === undefined) return m.denominator(now);
  return met ? sql<SqlBool>`(${m.denominator(now)} and ${m.numerator})` : sql<SqlBool>`(${m.denominator(now)} and not ${m.numerator})`;
}

/** The whistle measures of a department (alias `w` for case_whistle). */
export const whistleMeasures: Record<Exclude<Measure, 'satisfaction'>, { denominator: (now: Date) => RawBuilder<SqlBool>; numerator: RawBuilder<SqlBool> }> = {
  response: {
    denominator: (now) => sql<SqlBool>`(w.reported_in_at is not null or w.report_in_deadline < ${now})`,
    numerator: sql<SqlBool>`(w.reported_in_at is not null and w.reported_in_at <= w.report_in_deadline)`,
  },
  resolution: {
    denominator: () => sql<SqlBool>`true`,
    numerator: sql<SqlBool>`(w.responded_at is not null)`,
  },
};

/**
 * Drill-down for a department's figures, as a condition on a case `c`: the cases behind the department's numerator
 * (met) or the rest of its denominator. (A case whistled to the same department twice counts once here.)
 */
export function departmentMeasureFilter(measure: Measure, met: boolean | undefined, now: Date, departmentCode: string): RawBuilder<SqlBool> {
  if (measure === 'satisfaction') {
    return sql<SqlBool>`(${measureFilter('satisfaction', met, now)}
      and exists (select 1 from case_whistle w where w.case_id = c.id and w.department_code = ${departmentCode}))`;
  }
  const m = whistleMeasures[measure];
  const condition = met === undefined ? m.denominator(now) : met ? sql`(${m.denominator(now)} and ${m.numerator})` : sql`(${m.denominator(now)} and not ${m.numerator})`;
  return sql<SqlBool>`(c.state <> 'merged'
    and exists (select 1 from case_whistle w where w.case_id = c.id and w.department_code = ${departmentCode} and ${condition}))`;
}
