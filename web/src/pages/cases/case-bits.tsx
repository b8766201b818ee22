// Small pieces shared by the case pages: the state tag, the deadline with the working time left and the cards, the
// photo strip, the numbers that open their cases, the category tree.
import { useEffect, useMemo, useState } from 'react';
import { Image, Space, Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { SERVICE_TZ } from '../../time';
import { CASE_STATE_COLOR, casesApi, type CaseItem, type CasePhoto, type Category } from './cases-api';

export function CaseStateTag({ state, name }: { state: string; name: string }) {
  return <Tag color={CASE_STATE_COLOR[state] ?? 'default'}>{name}</Tag>;
}

/** 黄牌 / 红牌 as a small badge. */
export function CardBadge({ card }: { card: string }) {
  if (card === 'red') return <Tag color="#c8161e" style={{ marginInlineEnd: 0 }}>红牌</Tag>;
  if (card === 'yellow') return <Tag color="#faad14" style={{ marginInlineEnd: 0 }}>黄牌</Tag>;
  return null;
}

// ─── Working days left ─────────────────────────────────────────────────────
// The server computes every deadline (24:00 Beijing at the end of the n-th working day); the desk only says how many
// working days are left until it, from the same calendar (national holidays, make-up days, the district's overrides).
const calendars = new Map<number, Promise<Map<string, boolean>>>();

function yearCalendar(year: number): Promise<Map<string, boolean>> {
  let pending = calendars.get(year);
  if (!pending) {
    // the answer lists every day that differs from a plain Monday–Friday week, overrides applied
    pending = casesApi.calendar(year)
      .then((calendar) => new Map(calendar.days.map((d) => [d.day, d.workday])))
      .catch(() => {
        calendars.delete(year);
        return new Map<string, boolean>();
      });
    calendars.set(year, pending);
  }
  return pending;
}

/** Forget the cached calendars (after the settings page changed a day). */
export function forgetCalendars(): void {
  calendars.clear();
}

/** The calendar of this year and the next (deadlines in late December run into January). */
export function useWorkCalendar(): Map<string, boolean> | null {
  const [calendar, setCalendar] = useState<Map<string, boolean> | null>(null);
  useEffect(() => {
    const year = dayjs().tz(SERVICE_TZ).year();
    let cancelled = false;
    void Promise.all([yearCalendar(year), yearCalendar(year + 1)]).then(([a, b]) => {
      if (!cancelled) setCalendar(new Map([...a, ...b]));
    });
    return () => { cancelled = true; };
  }, []);
  return calendar;
}

function isWorkday(day: dayjs.Dayjs, calendar: Map<string, boolean>): boolean {
  const listed = calendar.get(day.format('YYYY-MM-DD'));
  if (listed !== undefined) return listed;
  const weekday = day.day();
  return weekday !== 0 && weekday !== 6;
}

/** Working days from today (Beijing, today counted if it is one) up to the deadline's day; 0 when it ends today. */
export function workdaysLeft(deadline: string, calendar: Map<string, boolean>, now = dayjs()): number {
  // a deadline is 24:00 of its last working day, i.e. 00:00 of the day after: the last day is the instant before it
  const last = dayjs(deadline).subtract(1, 'second').tz(SERVICE_TZ).startOf('day');
  let day = now.tz(SERVICE_TZ).startOf('day');
  let n = 0;
  for (let guard = 0; guard < 400 && day.isBefore(last); guard++) {
    day = day.add(1, 'day');
    if (isWorkday(day, calendar)) n++;
  }
  return n;
}

/**
 * A deadline as people say it: the server's deadlines fall at 24:00 Beijing of their last working day, which is 00:00
 * of the next day; that reads as "12-02 24:00", not "12-03 00:00". Other times are shown as they are.
 */
export function deadlineText(iso: string | null | undefined, withYear = false): string {
  if (!iso) return '—';
  const d = dayjs(iso).tz(SERVICE_TZ);
  const format = withYear ? 'YYYY-MM-DD' : 'MM-DD';
  if (d.hour() === 0 && d.minute() === 0 && d.second() === 0) return `${d.subtract(1, 'day').format(format)} 24:00`;
  return d.format(`${format} HH:mm`);
}

/** The step deadline with what is left of it, overdue and the cards. */
export function DeadlineCell({ item, calendar }: { item: Pick<CaseItem, 'state' | 'stepDeadline' | 'overdue' | 'card'>; calendar: Map<string, boolean> | null }) {
  const open = ['reported', 'handling', 'resolved', 'rating'].includes(item.state);
  if (!open) return <span style={{ color: '#999' }}>—</span>;
  const at = deadlineText(item.stepDeadline);
  let left: React.ReactNode = null;
  if (item.overdue) {
    const hours = Math.max(1, Math.round(dayjs().diff(dayjs(item.stepDeadline), 'hour', true)));
    left = <Tag color="red" style={{ marginInlineEnd: 0 }}>超期 {hours >= 48 ? `${Math.floor(hours / 24)} 天` : `${hours} 小时`}</Tag>;
  } else if (calendar) {
    const n = workdaysLeft(item.stepDeadline, calendar);
    left = n === 0
      ? <Tag color="orange" style={{ marginInlineEnd: 0 }}>今日 24 时到期</Tag>
      : <span style={{ color: n <= 1 ? '#d46b08' : '#389e0d', fontSize: 12 }}>剩 {n} 个工作日</span>;
  }
  return (
    <Space orientation="vertical" size={0}>
      <Tooltip title={`本环节期限：${deadlineText(item.stepDeadline, true)}（北京时间，按工作日计算）`}>
        <span style={{ fontSize: 12, color: '#666' }}>{at}</span>
      </Tooltip>
      <Space size={4}>{left}<CardBadge card={item.card} /></Space>
    </Space>
  );
}

export function PhotoStrip({ photos, size = 72 }: { photos: CasePhoto[]; size?: number }) {
  if (photos.length === 0) return null;
  return (
    <Image.PreviewGroup>
      <Space wrap>
        {photos.map((p) => <Image key={p.id} src={p.url} width={size} height={size} style={{ objectFit: 'cover' }} alt="照片" />)}
      </Space>
    </Image.PreviewGroup>
  );
}

/** A number that opens its list (rates, counts): underlined, keyboard reachable; a zero (or a rate with nothing to count) has nothing to list. */
export function CountLink({ value, onClick, testId, strong }: { value: number | string; onClick: () => void; testId?: string; strong?: boolean }) {
  if (value === 0 || value === '—') return <span style={{ color: '#bbb' }} data-testid={testId}>{value}</span>;
  return (
    <a onClick={onClick} data-testid={testId} style={{ fontWeight: strong ? 600 : undefined, textDecoration: 'underline dotted' }}
      role="button" tabIndex={0} onKeyDown={(e) => { if (e.key === 'Enter') onClick(); }}>
      {value}
    </a>
  );
}

/** The category dictionary as TreeSelect data: majors with their minors. */
export function useCategoryTree() {
  const [categories, setCategories] = useState<Category[]>([]);
  useEffect(() => { casesApi.categories().then(setCategories).catch(() => setCategories([])); }, []);
  const tree = useMemo(() => categories.map((m) => ({
    value: m.code, title: m.name,
    children: (m.children ?? []).map((c) => ({ value: c.code, title: c.name })),
  })), [categories]);
  return { categories, tree };
}
