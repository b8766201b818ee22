/**
 * Working days (工作日) for case deadlines. The national calendar — public holidays and the make-up working days
 * on weekends (调休) — comes from `chinese-days`; rows of `work_calendar_day` override single days for the whole
 * platform (a year the library does not know yet, a local closure). Days are Beijing dates.
 *
 * The rule, as in "N 个工作日内办结": counting starts the day after the start, and the deadline is 24:00 Beijing
 * time at the end of the N-th working day. A case reported on Friday with one working day is due at the end of
 * Monday — or of Saturday, if that Saturday is a make-up working day.
 */
import chineseDays from 'chinese-days';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from './db/tables.js';

const BEIJING_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** The Beijing calendar date of an instant, as YYYY-MM-DD. */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + BEIJING_MS).toISOString().slice(0, 10);
}

/** 24:00 Beijing at the end of a Beijing date (= 00:00 of the next day). */
export function endOfBeijingDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - BEIJING_MS + DAY_MS);
}

/** 00:00 Beijing at the start of a Beijing date. */
export function startOfBeijingDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - BEIJING_MS);
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

export interface WorkCalendar {
  isWorkday(day: string): boolean;
  /** why a day is or is not worked: the holiday's name, 调休上班, 周末, or the override's name */
  describe(day: string): { day: string; workday: boolean; name: string; source: 'national' | 'override' };
}

export function calendarWith(overrides: ReadonlyMap<string, { workday: boolean; name: string }>): WorkCalendar {
  const national = (day: string) => {
    const d = chineseDays.getDayDetail(day);
    const weekend = [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
    const [, cn] = d.name.split(',');
    const name = cn ? (d.work ? `${cn}调休上班` : cn) : d.work ? '工作日' : weekend ? '周末' : '休息日';
    return { workday: d.work, name };
  };
  return {
    isWorkday: (day) => overrides.get(day)?.workday ?? chineseDays.isWorkday(day),
    describe: (day) => {
      const o = overrides.get(day);
      return o ? { day, workday: o.workday, name: o.name || (o.workday ? '调整为工作日' : '调整为休息日'), source: 'override' }
        : { day, ...national(day), source: 'national' };
    },
  };
}

/** The deadline N working days after `start` (see the rule above). n = 0 is the end of the start's own day. */
export function addWorkdays(calendar: WorkCalendar, start: Date, n: number): Date {
  if (!Number.isInteger(n) || n < 0 || n > 400) throw new RangeError(`addWorkdays: n must be an integer 0–400, got ${n}`);
  let day = beijingDate(start);
  for (let left = n; left > 0;) {
    day = nextDay(day);
    if (calendar.isWorkday(day)) left--;
  }
  return endOfBeijingDay(day);
}

/** Working days from `from` (exclusive) to `to` (inclusive), by Beijing date; 0 when `to` is not later. */
export function workdaysBetween(calendar: WorkCalendar, from: Date, to: Date): number {
  let day = beijingDate(from);
  const last = beijingDate(to);
  let count = 0;
  while (day < last) {
    day = nextDay(day);
    if (calendar.isWorkday(day)) count++;
  }
  return count;
}

type Q = Kysely<DB> | Transaction<DB>;
const CACHE_MS = 60_000;
let cached: { at: number; calendar: WorkCalendar } | null = null;

/** The platform calendar: the national one with this database's overrides (cached for a minute in each process). */
export async function loadCalendar(db: Q): Promise<WorkCalendar> {
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.calendar;
  const rows = await db.selectFrom('work_calendar_day').select(['day', 'workday', 'name']).execute();
  const calendar = calendarWith(new Map(rows.map((r) => [String(r.day).slice(0, 10), { workday: r.workday, name: r.name }])));
  cached = { at: Date.now(), calendar };
  return calendar;
}

/** After an override is written: the next loadCalendar reads the table again. */
export function forgetCalendar(): void {
  cached = null;
}
