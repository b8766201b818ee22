import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chineseNumeral, CompoundIndex, parseAddress, resolveRoomCode, roomCodeOf } from './address.js';

describe('parseAddress', () => {
  const cases: [string, string | null, number, number, string][] = [
    ['3幢2单元501', null, 3, 2, '501'],
    ['3-2-501', null, 3, 2, '501'],
    ['3号楼2单元501室', null, 3, 2, '501'],
    ['3栋2单元501', null, 3, 2, '501'],
    ['3楼2单元501', null, 3, 2, '501'],
    ['3座2单元501室', null, 3, 2, '501'],
    ['中兴新村3幢2单元501室', '中兴新村', 3, 2, '501'],
    ['中兴新村 3-2-501', '中兴新村', 3, 2, '501'],
    ['西陵社区中兴新村12号楼1单元1203室', '西陵社区中兴新村', 12, 1, '1203'],
    ['３幢２单元５０１室', null, 3, 2, '501'],
    ['３－２－５０１', null, 3, 2, '501'],
    [' 3 幢 2 单元 501 室 ', null, 3, 2, '501'],
    ['中兴新村\u30003幢2单元501', '中兴新村', 3, 2, '501'],
    ['三幢二单元501', null, 3, 2, '501'],
    ['十二幢二单元0501', null, 12, 2, '501'],
    ['中兴新村二十一号楼三单元1102室', '中兴新村', 21, 3, '1102'],
    ['3幢2-501', null, 3, 2, '501'],
    ['3幢-2单元-501', null, 3, 2, '501'],
    ['3—2—501室', null, 3, 2, '501'],
    ['中兴新村，3幢2单元501', '中兴新村', 3, 2, '501'],
    ['12-3-2-501', null, 3, 2, '501'],
  ];
  it.each(cases)('%s', (text, compound, building, unit, room) => {
    expect(parseAddress(text)).toEqual({ compound, building, unit, room });
  });

  it.each(['', '中兴新村', '3幢', '3幢2单元', 'abc', '0幢2单元501', '3-0-501', '3幢2单元0'])('rejects %j', (text) => {
    expect(parseAddress(text)).toBeNull();
  });

  it('reads Chinese numerals', () => {
    expect([chineseNumeral('三'), chineseNumeral('十'), chineseNumeral('十二'), chineseNumeral('二十'), chineseNumeral('一百零五'), chineseNumeral('两')])
      .toEqual([3, 10, 12, 20, 105, 2]);
  });

  const toFullWidth = (s: string) => s.replace(/[0-9-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  const cn = (n: number) => {
    const d = '零一二三四五六七八九';
    if (n < 10) return d[n]!;
    if (n < 20) return `十${n % 10 ? d[n % 10] : ''}`;
    if (n < 100) return `${d[Math.floor(n / 10)]}十${n % 10 ? d[n % 10] : ''}`;
    return String(n);
  };
  const styles: ((b: number, u: number, r: number) => string)[] = [
    (b, u, r) => `${b}幢${u}单元${r}`,
    (b, u, r) => `${b}-${u}-${r}`,
    (b, u, r) => `${b}号楼${u}单元${r}室`,
    (b, u, r) => `${b}栋${u}单元${r}`,
    (b, u, r) => `中兴新村${b}幢${u}单元${r}室`,
    (b, u, r) => toFullWidth(`${b}-${u}-${r}`),
    (b, u, r) => ` ${b} 幢 ${u} 单元 ${r} `,
    (b, u, r) => `${cn(b)}幢${cn(u)}单元${r}`,
    (b, u, r) => `${b}幢${u}单元${String(r).padStart(4, '0')}室`,
  ];
  it('formatting any (building, unit, room) in each style parses back to the same triple', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 0, max: styles.length - 1 }),
      (b, u, floor, no, style) => {
        const r = floor * 100 + no;
        const parsed = parseAddress(styles[style]!(b, u, r));
        expect(parsed && [parsed.building, parsed.unit, parsed.room]).toEqual([b, u, String(r)]);
      },
    ), { numRuns: 2000 });
  });
});

describe('resolveRoomCode', () => {
  const index = new CompoundIndex([
    { code: '330108001001C001', name: '中兴新村', communityCode: '330108001001', communityName: '西陵社区' },
    { code: '330108001002C001', name: '江南花园', communityCode: '330108001002', communityName: '水电社区' },
    { code: '330108002001C002', name: '江南花园', communityCode: '330108002001', communityName: '长河社区' },
  ]);
  it('builds the room code from the compound and the parsed address', () => {
    expect(resolveRoomCode(index, '3幢2单元501', '中兴新村')).toEqual({ roomCode: '330108001001C001B003U02R0501', compound: expect.objectContaining({ code: '330108001001C001' }) });
    expect(resolveRoomCode(index, '西陵社区中兴新村3-2-501')).toMatchObject({ roomCode: '330108001001C001B003U02R0501' });
    expect(resolveRoomCode(index, '3-2-501', '330108001001C001')).toMatchObject({ roomCode: '330108001001C001B003U02R0501' });
    expect(resolveRoomCode(index, '水电社区江南花园1-1-101')).toMatchObject({ roomCode: '330108001002C001B001U01R0101' });
    expect(resolveRoomCode(index, '1-1-101', '江南花园', '330108002001')).toMatchObject({ roomCode: '330108002001C002B001U01R0101' });
    expect(resolveRoomCode(index, '江南花园1-1-101')).toEqual({ error: 'ambiguous' });
    expect(resolveRoomCode(index, '1-1-101', '不存在小区')).toEqual({ error: 'compound' });
    expect(resolveRoomCode(index, '一楼')).toEqual({ error: 'address' });
    expect(roomCodeOf('X', { building: 1000, unit: 1, room: '101' })).toBeNull();
  });
});
