// Times shown on Beijing time (Asia/Shanghai) whatever the browser's zone, so that staff,
// members and residents everywhere read the same clock — and the same day as the service number (FW + Beijing date).
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

export const SERVICE_TZ = 'Asia/Shanghai';

/** '2026-11-30 09:05:00' on Beijing time; '—' when empty. */
export function beijingTime(value: string | null | undefined, format = 'YYYY-MM-DD HH:mm:ss'): string {
  if (!value) return '—';
  const d = dayjs(value);
  return d.isValid() ? d.tz(SERVICE_TZ).format(format) : value;
}

/** '2026-11-30 09:05' on Beijing time (H5 lists and timelines). */
export const beijingShort = (value: string | null | undefined) => beijingTime(value, 'YYYY-MM-DD HH:mm');
