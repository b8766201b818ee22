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
