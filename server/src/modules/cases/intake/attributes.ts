/**
 * Values of a category's extra attributes (Open311 service definition, `case_category_attribute`): checked against
 * the definition and normalised to their datatype before a case keeps them in `civic_case.attributes`.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../../platform/db/tables.js';
import { invalid } from '../../../platform/errors.js';

export type AttributeValue = string | number | string[];

interface Definition { code: string; datatype: string; required: boolean; description: string; values_json: unknown }

const listKeys = (d: Definition) => (Array.isArray(d.values_json) ? (d.values_json as { key: string; name: string }[]) : []);
const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && !v.trim()) || (Array.isArray(v) && !v.length);

function normalise(d: Definition, raw: unknown, field: string): AttributeValue {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : null);
  const one = Array.isArray(raw) && d.datatype !== 'multivaluelist' ? (raw.length === 1 ? raw[0] : undefined) : raw;
  switch (d.datatype) {
    case 'number': {
      const n = typeof one === 'number' ? one : Number(text(one) ?? NaN);
      if (!Number.isFinite(n) || text(one) === '') throw invalid(field, `应为数字（${d.description}）`, 'a number is expected');
      return n;
    }
    case 'datetime': {
      const s = text(one);
      const t = s ? Date.parse(s) : NaN;
      if (!s || Number.isNaN(t)) throw invalid(field, `应为 ISO 8601 日期时间（${d.description}）`, 'an ISO 8601 date-time is expected');
      return new Date(t).toISOString();
    }
    case 'singlevaluelist': {
      const s = text(one);
      const options = listKeys(d);
      if (!s || !options.some((o) => o.key === s)) {
        throw invalid(field, `取值须为 ${options.map((o) => `${o.key}（${o.name}）`).join('、')} 之一`, `one of ${options.map((o) => o.key).join(', ')}`);
      }
      return s;
    }
    case 'multivaluelist': {
      const items = (Array.isArray(raw) ? raw : String(raw).split(',')).map((v) => text(v) ?? '').filter(Boolean);
      const options = listKeys(d);
      const wrong = items.filter((v) => !options.some((o) => o.key === v));
      if (wrong.length || !items.length) {
        throw invalid(field, `取值须为 ${options.map((o) => `${o.key}（${o.name}）`).join('、')} 中的若干项`, `each of ${options.map((o) => o.key).join(', ')}`);
      }
      return [...new Set(items)];
    }
    default: {
      const s = text(one);
      const max = d.datatype === 'text' ? 2000 : 500;
      if (s === null) throw invalid(field, `应为文字（${d.description}）`, 'text is expected');
      if (s.length > max) throw invalid(field, `不能超过 ${max} 个字`, `at most ${max} characters`);
      return s;
    }
  }
}

/**
 * Checks the given attribute values against the category's definition and returns them normalised: every
 * required attribute present, list values among the listed keys, numbers and date-times parsed, no unknown codes.
 * `fieldOf(code)` names the field in errors (Open311: `attribute[code]`).
 */
export async function checkAttributes(
  db: Kysely<DB> | Transaction<DB>, categoryCode: string, given: Record<string, unknown>, fieldOf: (code: string) => string,
): Promise<Record<string, AttributeValue>> {
  const defs = await db.selectFrom('case_category_attribute').select(['code', 'datatype', 'required', 'description', 'values_json'])
    .where('category_code', '=', categoryCode).orderBy('sort_order').execute();
  const unknown = Object.keys(given).find((code) => !defs.some((d) => d.code === code));
  if (unknown !== undefined) throw invalid(fieldOf(unknown), '该服务没有此属性', 'no such attribute for this service');
  const out: Record<string, AttributeValue> = {};
  for (const d of defs) {
    const raw = given[d.code];
    if (blank(raw)) {
      if (d.required) throw invalid(fieldOf(d.code), `必填：${d.description}`, `required: ${d.code}`);
      continue;
    }
    out[d.code] = normalise(d, raw, fieldOf(d.code));
  }
  return out;
}
