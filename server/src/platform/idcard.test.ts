import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idNumberBirthDate, idNumberCheckDigit, idNumberGender, isValidIdNumber, makeIdNumber, sequenceFor } from './idcard.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

const parts = fc.record({
  area: fc.integer({ min: 110000, max: 999999 }).map(String),
  day: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-11-01T00:00:00Z'), noInvalidDate: true }),
  gender: fc.constantFrom('M' as const, 'F' as const),
  n: fc.integer({ min: 0, max: 499 }),
});

describe('GB 11643 ID numbers', () => {
  it('matches published examples', () => {
    expect(idNumberCheckDigit('11010519491231002')).toBe('X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('440524188001010014')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(false); // lower-case x is not the canonical form
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber('110105194902300020')).toBe(false); // 30 February
    expect(isValidIdNumber('11010519491231002')).toBe(false);
    expect(isValidIdNumber('330108203001010013', '2026-11-01')).toBe(false); // born in the future
  });

  it('check digit = map[Σ digit·weight mod 11] and the builder round-trips', () => {
    fc.assert(fc.property(parts, ({ area, day, gender, n }) => {
      const birth = day.toISOString().slice(0, 10);
      const id = makeIdNumber({ area, birthDate: birth, sequence: sequenceFor(gender, n) });
      const sum = WEIGHTS.reduce((s, w, i) => s + w * Number(id[i]), 0);
      expect(id[17]).toBe('10X98765432'[sum % 11]);
      expect(isValidIdNumber(id)).toBe(true);
      expect(idNumberGender(id)).toBe(gender);
      expect(idNumberBirthDate(id)).toBe(birth);
    }), { numRuns: 500 });
  });

  it('detects every single-digit error and every adjacent transposition of different digits', () => {
    fc.assert(fc.property(parts, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), ({ area, day, gender, n }, pos, delta) => {
      const id = makeIdNumber({ area, birthDate: day.toISOString().slice(0, 10), sequence: sequenceFor(gender, n) });
      const changed = id.slice(0, pos) + String((Number(id[pos]) + delta) % 10) + id.slice(pos + 1);
      expect(idNumberCheckDigit(changed.slice(0, 17))).not.toBe(id[17]);
      if (pos < 16 && id[pos] !== id[pos + 1]) {
        const swapped = id.slice(0, pos) + id[pos + 1] + id[pos] + id.slice(pos + 2);
        expect(idNumberCheckDigit(swapped.slice(0, 17))).not.toBe(id[17]);
      }
    }), { numRuns: 500 });
  });
});
