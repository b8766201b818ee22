import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addWorkdays, beijingDate, calendarWith, endOfBeijingDay, workdaysBetween } from './workdays.js';

const national = calendarWith(new Map());
const instant = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2026-12-20T00:00:00Z'), noInvalidDate: true });

describe('working days (national calendar from chinese-days, with overrides)', () => {
  it('knows the 2026 National Day holiday and its make-up Saturday', () => {
    expect(national.isWorkday('2026-10-01')).toBe(false);
    expect(national.isWorkday('2026-10-07')).toBe(false);
    expect(national.isWorkday('2026-10-08')).toBe(true);
    expect(national.isWorkday('2026-10-10')).toBe(true); // Saturday, 调休上班
    expect(national.describe('2026-10-10')).toMatchObject({ workday: true, name: '国庆节调休上班', source: 'national' });
    expect(national.describe('2026-10-01')).toMatchObject({ workday: false, name: '国庆节' });
    expect(national.describe('2026-11-14')).toMatchObject({ workday: false, name: '周末' });
  });

  it('counts from the next day and ends at 24:00 Beijing', () => {
    // Tuesday 2026-11-03 at 23:30 Beijing (15:30 UTC): one working day → end of Wednesday
    expect(addWorkdays(national, new Date('2026-11-03T15:30:00Z'), 1).toISOString()).toBe('2026-11-04T16:00:00.000Z');
    // 00:30 Beijing on Wednesday is already Wednesday: → end of Thursday
    expect(addWorkdays(national, new Date('2026-11-03T16:30:00Z'), 1).toISOString()).toBe('2026-11-05T16:00:00.000Z');
    expect(addWorkdays(national, new Date('2026-11-03T02:00:00Z'), 0).toISOString()).toBe('2026-11-03T16:00:00.000Z');
    expect(() => addWorkdays(national, new Date(), -1)).toThrow(RangeError);
  });

  it('lets an override win over the national calendar', () => {
    const typhoon = calendarWith(new Map([['2026-11-16', { workday: false, name: '台风停工' }], ['2026-11-15', { workday: true, name: '' }]]));
    expect(typhoon.isWorkday('2026-11-16')).toBe(false);
    expect(typhoon.describe('2026-11-15')).toMatchObject({ workday: true, name: '调整为工作日', source: 'override' });
    expect(addWorkdays(typhoon, new Date('2026-11-14T03:00:00Z'), 2).toISOString()).toBe('2026-11-17T16:00:00.000Z');
  });

  it('property: the deadline ends a working day, exactly n working days after the start', () => {
    fc.assert(fc.property(instant, fc.integer({ min: 1, max: 30 }), (start, n) => {
      const due = addWorkdays(national, start, n);
      const day = beijingDate(new Date(due.getTime() - 1));
      expect(endOfBeijingDay(day).getTime()).toBe(due.getTime());
      expect(national.isWorkday(day)).toBe(true);
      expect(workdaysBetween(national, start, new Date(due.getTime() - 1))).toBe(n);
    }), { numRuns: 300 });
  });

  it('property: more working days never end earlier, and adding in two steps equals adding at once', () => {
    fc.assert(fc.property(instant, fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), (start, a, b) => {
      const once = addWorkdays(national, start, a + b);
      expect(addWorkdays(national, start, a).getTime()).toBeLessThanOrEqual(once.getTime());
      expect(addWorkdays(national, new Date(addWorkdays(national, start, a).getTime() - 1), b).getTime()).toBe(once.getTime());
    }), { numRuns: 300 });
  });
});
