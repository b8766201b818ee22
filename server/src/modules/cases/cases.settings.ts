/** Case settings: the category dictionary, the working-day calendar with its overrides, the supervision policy. */
import { sql, type Kysely } from 'kysely';
import type { AuthContext, RequestMeta } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import { invalid } from '../../platform/errors.js';
import { calendarWith, forgetCalendar, loadCalendar } from '../../platform/workdays.js';
import * as repo from './cases.repository.js';

export async function categoryTree(db: Kysely<DB>) {
  const [rows, attrs] = await Promise.all([
    db.selectFrom('case_category').selectAll().where('active', '=', true).orderBy('sort_order').orderBy('code').execute(),
    db.selectFrom('case_category_attribute').selectAll().orderBy('sort_order').orderBy('code').execute(),
  ]);
  const present = (r: (typeof rows)[number]) => ({
    code: r.code, name: r.name, kind: r.kind, defaultTier: r.default_tier, departmentKind: r.department_kind,
    deadlines: { accept: r.accept_days, handle: r.handle_days, verify: r.verify_days, reportIn: r.report_in_days, respond: r.respond_days },
    cameraEvents: r.camera_events, keywords: r.keywords, open311: r.open311,
    attributes: attrs.filter((a) => a.category_code === r.code).map((a) => ({ code: a.code, datatype: a.datatype, required: a.required,
      description: a.description, values: a.values_json as unknown as { key: string; name: string }[] })),
  });
  return { items: rows.filter((r) => r.parent_code === null).map((m) => ({ ...present(m),
    children: rows.filter((r) => r.parent_code === m.code).map(present) })) };
}

export async function departments(db: Kysely<DB>, auth: AuthContext) {
  const root = auth.scope.kind === 'all' || auth.scope.kind === 'self' ? null : auth.scope.paths[0] ?? null;
  const rows = await repo.listDepartments(db, root);
  return { items: rows.map((d) => ({ code: d.code, name: d.name, shortName: d.short_name, kind: d.kind, territoryCode: d.territory_code, duty: d.duty })) };
}

export async function getPolicy(db: Kysely<DB>) {
  const p = await repo.policy(db);
  return { yellowAfterDays: p.yellow_after_days, redAfterDays: p.red_after_days, ratingWindowDays: p.rating_window_days,
    unratedPolicy: p.unrated_policy as 'close_unrated' | 'close_satisfied', duplicateRadiusM: p.duplicate_radius_m, duplicateWindowHours: p.duplicate_window_hours,
    updatedAt: new Date(p.updated_at).toISOString() };
}

export interface PolicyBody {
  yellowAfterDays: number; redAfterDays: number; ratingWindowDays: number; unratedPolicy: 'close_unrated' | 'close_satisfied';
  duplicateRadiusM: number; duplicateWindowHours: number;
}

export async function putPolicy(db: Kysely<DB>, auth: AuthContext, body: PolicyBody, meta: RequestMeta) {
  if (body.redAfterDays <= body.yellowAfterDays) throw invalid('redAfterDays', '红牌阈值须大于黄牌阈值', 'must exceed yellowAfterDays');
  await db.transaction().execute(async (trx) => {
    const before = await getPolicy(trx as unknown as Kysely<DB>);
    await trx.updateTable('case_policy').set({ yellow_after_days: body.yellowAfterDays, red_after_days: body.redAfterDays,
      rating_window_days: body.ratingWindowDays, unrated_policy: body.unratedPolicy, duplicate_radius_m: body.duplicateRadiusM,
      duplicate_window_hours: body.duplicateWindowHours, updated_by: auth.userId, updated_at: sql`now()` as unknown as Date }).where('id', '=', 1).execute();
    await recordAudit(trx, auth, meta, { action: 'case.policy', targetType: 'case_policy', targetId: 1, summary: { before, after: body } });
  });
  repo.forgetDictionaries();
  return getPolicy(db);
}

/** Every day of a year with why it is or is not worked (national calendar, then the overrides). */
export async function calendarYear(db: Kysely<DB>, year: number) {
  const calendar = await loadCalendar(db);
  const overrides = await db.selectFrom('work_calendar_day').selectAll().where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`).orderBy('day').execute();
  const national = calendarWith(new Map());
  const days = [];
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    const d = calendar.describe(day);
    const weekend = [0, 6].includes(new Date(t).getUTCDay());
    // only the days that differ from a plain Monday–Friday week, or that carry an override
    if (d.source === 'override' || d.workday === weekend || national.describe(day).name !== (weekend ? '周末' : '工作日')) days.push(d);
  }
  return { year, days, overrides: overrides.map((o) => ({ day: String(o.day), workday: o.workday, name: o.name })),
    workdays: Array.from({ length: 12 }, (_, m) => {
      let n = 0;
      for (let t = Date.UTC(year, m, 1); t < Date.UTC(year, m + 1, 1); t += 86_400_000) if (calendar.isWorkday(new Date(t).toISOString().slice(0, 10))) n++;
      return n;
    }) };
}

export async function putCalendarDay(db: Kysely<DB>, auth: AuthContext, day: string, body: { workday: boolean; name?: string }, meta: RequestMeta) {
  if (Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw invalid('day', '日期格式应为 YYYY-MM-DD', 'YYYY-MM-DD');
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('work_calendar_day').values({ day, workday: body.workday, name: body.name?.trim() ?? '', updated_by: auth.userId })
      .onConflict((oc) => oc.column('day').doUpdateSet({ workday: body.workday, name: body.name?.trim() ?? '', updated_by: auth.userId, updated_at: sql`now()` as unknown as Date }))
      .execute();
    await recordAudit(trx, auth, meta, { action: 'case.calendar', targetType: 'work_calendar_day', targetId: day, summary: body });
  });
  forgetCalendar();
  return (await loadCalendar(db)).describe(day);
}

export async function deleteCalendarDay(db: Kysely<DB>, auth: AuthContext, day: string, meta: RequestMeta) {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('work_calendar_day').where('day', '=', day).execute();
    await recordAudit(trx, auth, meta, { action: 'case.calendar_reset', targetType: 'work_calendar_day', targetId: day, summary: {} });
  });
  forgetCalendar();
  return (await loadCalendar(db)).describe(day);
}
