/**
 * Room-level addresses as people write them: '3幢2单元501', '3-2-501', '3号楼2单元501室', '3栋2单元501',
 * '中兴新村3幢2单元501室', '三幢二单元501', with full-width digits and stray spaces. Used by the importer (matching
 * external data sets to rooms) and by the archive's address search.
 */

export interface ParsedAddress {
  /** the text before the building number (compound name, possibly with community/street prefixes), or null */
  compound: string | null;
  /** building number 幢 (1–999) */
  building: number;
  /** unit number 单元 (1–99) */
  unit: number;
  /** room number as digits without leading zeros, floor*100+no, e.g. '501' */
  room: string;
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** '三' → 3, '十二' → 12, '二十' → 20, '一百零五' → 105, '一二' → 12 (digit by digit). Null when not a numeral. */
export function chineseNumeral(text: string): number | null {
  if (!text || !/^[零〇一二两三四五六七八九十百]+$/.test(text)) return null;
  if (!/[十百]/.test(text)) return Number([...text].map((c) => CN_DIGITS[c]).join(''));
  let total = 0;
  let current = 0;
  for (const c of text) {
    if (c === '百') { total += (current || 1) * 100; current = 0; }
    else if (c === '十') { total += (current || 1) * 10; current = 0; }
    else current = CN_DIGITS[c]!;
  }
  return total + current;
}

const BUILDING_MARK = '(?:号楼|幢|栋|号|楼|座)';
const UNIT_MARK = '(?:单元|号单元)';

/** Full-width → half-width, every kind of space removed, dashes unified, Chinese numerals before 幢/单元 → digits. */
export function normaliseAddressText(text: string): string {
  let s = text.normalize('NFKC'); // full-width digits, letters and punctuation → ASCII; U+3000 → ' '
  s = s.replace(/[\s\u00a0\u3000]+/g, '');
  s = s.replace(/[‐‑‒–—―－~～_]/g, '-');
  s = s.replace(/([零〇一二两三四五六七八九十百]+)(?=号楼|幢|栋|号|楼|座|单元)/g, (m) => String(chineseNumeral(m) ?? m));
  return s;
}

const FORMS: RegExp[] = [
  // 3幢2单元501室 · 3号楼2单元501 · 3栋-2单元-501 · 3幢2单元501号
  new RegExp(`^(.*?)(\\d{1,3})${BUILDING_MARK}-?(\\d{1,2})${UNIT_MARK}-?(\\d{1,4})(?:室|号)?$`),
  // 3幢2-501 (unit without its mark)
  new RegExp(`^(.*?)(\\d{1,3})${BUILDING_MARK}-?(\\d{1,2})-(\\d{1,4})(?:室|号)?$`),
  // 3-2-501 · 3-2-501室
  /^(.*?)(\d{1,3})-(\d{1,2})-(\d{1,4})(?:室|号)?$/,
];

/** Parses a room-level address; null when the text is not one of the recognised forms. */
export function parseAddress(text: string): ParsedAddress | null {
  if (typeof text !== 'string') return null;
  const s = normaliseAddressText(text);
  for (const form of FORMS) {
    const m = form.exec(s);
    if (!m) continue;
    const building = Number(m[2]);
    const unit = Number(m[3]);
    const roomNo = Number(m[4]);
    if (!(building >= 1 && unit >= 1 && roomNo >= 1)) return null;
    let prefix = m[1]!.replace(/[-,，、:：]+$/, '');
    // '中兴新村3-2-501' splits fine; a prefix that is only digits is not a compound name (e.g. '12-3-2-501')
    if (/^[\d-]*$/.test(prefix)) prefix = '';
    return { compound: prefix || null, building, unit, room: String(roomNo) };
  }
  return null;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Building, unit and room codes under a compound for a parsed address (R + 4 digits of floor*100+no). */
export function roomCodeOf(compoundCode: string, address: Pick<ParsedAddress, 'building' | 'unit' | 'room'>): string | null {
  const room = Number(address.room);
  if (address.building > 999 || address.unit > 99 || !(room >= 1 && room <= 9999)) return null;
  return `${compoundCode}B${pad(address.building, 3)}U${pad(address.unit, 2)}R${pad(room, 4)}`;
}

export interface CompoundRef {
  code: string;
  name: string;
  communityCode: string;
  communityName: string;
}

/**
 * Finds the compound a row means among the compounds in the importer's scope: by code, by exact name, or by a
 * name contained in the given text (the longest wins, e.g. '西陵社区中兴新村' → 中兴新村). When several
 * compounds share the name, the row's community (code or name in the text) must disambiguate; otherwise null.
 */
export class CompoundIndex {
  private readonly byCode = new Map<string, CompoundRef>();
  private readonly byName = new Map<string, CompoundRef[]>();
  private readonly names: string[];

  constructor(compounds: CompoundRef[]) {
    for (const c of compounds) {
      this.byCode.set(c.code, c);
      const list = this.byName.get(c.name) ?? [];
      list.push(c);
      this.byName.set(c.name, list);
    }
    this.names = [...this.byName.keys()].sort((a, b) => b.length - a.length);
  }

  get size(): number { return this.byCode.size; }

  /** `text`: a compound code or name, or an address prefix holding the name; `community`: optional code or name. */
  resolve(text: string | null | undefined, community?: string | null): CompoundRef | 'ambiguous' | null {
    const t = text ? normaliseAddressText(text) : '';
    if (!t) return null;
    const code = this.byCode.get(t.toUpperCase());
    if (code) return code;
    let candidates = this.byName.get(t);
    if (!candidates) {
      const name = this.names.find((n) => t.includes(n));
      candidates = name ? this.byName.get(name) : undefined;
    }
    if (!candidates) return null;
    if (candidates.length === 1) return candidates[0]!;
    const hint = community ? normaliseAddressText(community) : t;
    const narrowed = candidates.filter((c) => hint === c.communityCode || hint.includes(c.communityName));
    return narrowed.length === 1 ? narrowed[0]! : 'ambiguous';
  }
}

/**
 * Resolves a row's address to a room code: the compound from the row's own compound column when given, else
 * from the address prefix; then the room code by the code grammar. Existence of the room is checked by the
 * caller in one query per batch.
 */
export function resolveRoomCode(
  index: CompoundIndex,
  addressText: string,
  compoundText?: string | null,
  communityText?: string | null,
): { roomCode: string; compound: CompoundRef } | { error: 'address' | 'compound' | 'ambiguous' } {
  const parsed = parseAddress(addressText);
  if (!parsed) return { error: 'address' };
  const found = index.resolve(compoundText?.trim() ? compoundText : parsed.compound, communityText);
  if (found === 'ambiguous') return { error: 'ambiguous' };
  if (!found) return { error: 'compound' };
  const roomCode = roomCodeOf(found.code, parsed);
  return roomCode ? { roomCode, compound: found } : { error: 'address' };
}
