/** Masking of personal data (PIPL), RuoYi's rules: 张*, 欧阳**, 138****5678, 330108********1234. */

const compoundSurnames = new Set([
  '欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '轩辕', '令狐', '端木', '西门', '南宫',
]);

export function maskName(name: string | null | undefined): string | null {
  if (!name) return name ?? null;
  const chars = [...name];
  const keep = chars.length > 2 && compoundSurnames.has(chars.slice(0, 2).join('')) ? 2 : 1;
  return chars.slice(0, keep).join('') + '*'.repeat(Math.max(1, chars.length - keep));
}

export function maskMobile(mobile: string | null | undefined): string | null {
  if (!mobile) return mobile ?? null;
  return mobile.length >= 11 ? `${mobile.slice(0, 3)}****${mobile.slice(-4)}` : '*'.repeat(mobile.length);
}

export function maskIdNumber(id: string | null | undefined): string | null {
  if (!id) return id ?? null;
  return id.length > 10 ? `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}` : '*'.repeat(id.length);
}

/** Where a person lives, as the parts of the physical tree (names as stored: '3幢', '2单元', '501室'). */
export interface AddressParts {
  communityName?: string | null;
  compoundName?: string | null;
  buildingName?: string | null;
  unitName?: string | null;
  roomName?: string | null;
}

/** The place form staff need to find the door: '西陵社区 中兴新村 3幢2单元501室'. Place-centric views only. */
export function placeAddress(a: AddressParts): string {
  const block = `${a.buildingName ?? ''}${a.unitName ?? ''}${a.roomName ?? ''}`;
  return [a.communityName, a.compoundName, block].filter(Boolean).join(' ');
}

/**
 * Person-centric form with the room level masked: '中兴新村 3幢2单元 ***室'. Who lives behind which door is the
 * personal datum; the building and unit stay so the record is still useful.
 */
export function maskAddress(a: AddressParts): string | null {
  if (!a.compoundName && !a.buildingName) return null;
  const block = `${a.buildingName ?? ''}${a.unitName ?? ''}`;
  return [a.compoundName, block, a.roomName ? '***室' : null].filter(Boolean).join(' ');
}

/** A home as a person-centric view may name it: a room's code is cut back to its unit (no door number). */
export function withoutRoom<T extends string | null>(code: T): T {
  return (code === null ? null : code.replace(/R[0-9]{4}$/, '')) as T;
}
