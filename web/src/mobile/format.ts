import dayjs from 'dayjs';
import { beijingShort, SERVICE_TZ } from '../time';

/** "今天走访" / "3 天前走访" / "2025-01-02 走访". */
export function sinceText(value: string): string {
  const d = dayjs(value);
  if (!d.isValid()) return value;
  const days = dayjs().tz(SERVICE_TZ).startOf('day').diff(d.tz(SERVICE_TZ).startOf('day'), 'day');
  if (days <= 0) return '今天走访';
  if (days === 1) return '昨天走访';
  if (days < 30) return `${days} 天前走访`;
  return `${d.tz(SERVICE_TZ).format('YYYY-MM-DD')} 走访`;
}

/** '2026-11-30 09:05' on Beijing time. */
export const shortTime = (value: string): string => beijingShort(value);
