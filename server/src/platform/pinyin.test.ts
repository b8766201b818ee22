import { describe, expect, it } from 'vitest';
import { namePinyin, personNamePinyin } from './pinyin.js';

describe('pinyin columns', () => {
  it('reads surnames as surnames in person names and writes ü as v', () => {
    expect(personNamePinyin('单华')).toEqual({ full: 'shanhua', initials: 'sh' });
    expect(personNamePinyin('曾国强')).toEqual({ full: 'zengguoqiang', initials: 'zgq' });
    expect(personNamePinyin('吕明')).toEqual({ full: 'lvming', initials: 'lm' });
    expect(personNamePinyin('欧阳娜娜')).toEqual({ full: 'ouyangnana', initials: 'oynn' });
  });

  it('reads place names plainly', () => {
    expect(namePinyin('西陵社区')).toEqual({ full: 'xilingshequ', initials: 'xlsq' });
    expect(namePinyin('长河街道')).toEqual({ full: 'changhejiedao', initials: 'chjd' });
  });
});
