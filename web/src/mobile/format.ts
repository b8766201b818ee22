import dayjs from 'dayjs';

/** "今天走访" / "3 天前走访" / "2025-01-02 走访". */
export function sinceText(value: string): string {
  const d = dayjs(value);
  if (!d.isValid()) return value;
  const days = dayjs().startOf('day').diff(d.startOf('day'), 'day');
  if (days <= 0) return '今天走访';
  if (days === 1) return '昨天走访';
  if (days < 30) return `${days} 天前走访`;
  return `${d.format('YYYY-MM-DD')} 走访`;
}

export function shortTime(value: string): string {
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : value;
}
