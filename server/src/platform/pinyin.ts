/**
 * Pinyin columns kept beside names people search: full ('zhangsan') and initials ('zs'); ü is written v ('lv').
 * Person names are read with surname readings (单 shan, 曾 zeng, 解 xie); place and organisation names are not.
 */
import { pinyin } from 'pinyin-pro';

export interface Pinyin { full: string; initials: string }

const cache = new Map<string, Pinyin>();
const CACHE_LIMIT = 200_000;

function convert(text: string, person: boolean): Pinyin {
  const key = person ? `#${text}` : text;
  const hit = cache.get(key);
  if (hit) return hit;
  const syllables = (pinyin(text, { toneType: 'none', type: 'array', v: true, nonZh: 'consecutive', surname: person ? 'head' : 'off' }) as string[])
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter(Boolean);
  const result = { full: syllables.join(''), initials: syllables.map((s) => s[0]).join('') };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, result);
  return result;
}

/** Pinyin of a place or organisation name (西陵社区 → xilingshequ / xlsq). */
export function namePinyin(name: string): Pinyin {
  return convert(name, false);
}

/** Pinyin of a person's name, the surname read as a surname (单华 → shanhua / sh). */
export function personNamePinyin(name: string): Pinyin {
  return convert(name, true);
}
