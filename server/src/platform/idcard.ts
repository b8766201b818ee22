/**
 * Resident identity card numbers per GB 11643-1999: 6-digit address code, 8-digit birth date (YYYYMMDD),
 * 3-digit sequence (odd = male, even = female) and a check digit (ISO 7064 MOD 11-2).
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_MAP = '10X98765432';

/** The check character for the first 17 digits. Throws if `first17` is not 17 digits. */
export function idNumberCheckDigit(first17: string): string {
  if (!/^[0-9]{17}$/.test(first17)) throw new Error(`idNumberCheckDigit: expected 17 digits, got '${first17}'`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_MAP[sum % 11]!;
}

export interface IdNumberParts {
  /** 6-digit administrative division code (GB/T 2260) */
  area: string;
  /** 'YYYY-MM-DD' or 'YYYYMMDD' */
  birthDate: string;
  /** 0–999; its parity must match the gender (odd = male) */
  sequence: number;
}

/** Builds an 18-character ID number. The sequence's parity decides the gender; use `sequenceFor` to pick one. */
export function makeIdNumber({ area, birthDate, sequence }: IdNumberParts): string {
  if (!/^[1-9][0-9]{5}$/.test(area)) throw new Error(`makeIdNumber: bad area code '${area}'`);
  const date = birthDate.replace(/-/g, '');
  if (!isValidDate(date)) throw new Error(`makeIdNumber: bad birth date '${birthDate}'`);
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) throw new Error(`makeIdNumber: bad sequence ${sequence}`);
  const first17 = area + date + String(sequence).padStart(3, '0');
  return first17 + idNumberCheckDigit(first17);
}

/** A sequence number of the right parity for the gender: n in 0..499 → 2n+1 (male) or 2n (female). */
export function sequenceFor(gender: 'M' | 'F', n: number): number {
  return gender === 'M' ? 2 * n + 1 : 2 * n;
}

/** Gender encoded in a (valid) ID number. */
export function idNumberGender(id: string): 'M' | 'F' {
  return (id.charCodeAt(16) - 48) % 2 === 1 ? 'M' : 'F';
}

/** Birth date 'YYYY-MM-DD' encoded in an ID number. */
export function idNumberBirthDate(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

function isValidDate(yyyymmdd: string): boolean {
  if (!/^[0-9]{8}$/.test(yyyymmdd)) return false;
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < 1850 || m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1]!;
}

/**
 * True when `id` is a well-formed 18-character number: address code not starting with 0, a real calendar date
 * (not after `today`, default: no upper bound), and the right check character (upper-case X only).
 */
export function isValidIdNumber(id: string, today?: string): boolean {
  if (typeof id !== 'string' || !/^[1-9][0-9]{16}[0-9X]$/.test(id)) return false;
  const date = id.slice(6, 14);
  if (!isValidDate(date)) return false;
  if (today && date > today.replace(/-/g, '')) return false;
  return idNumberCheckDigit(id.slice(0, 17)) === id[17];
}
