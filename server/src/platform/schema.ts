/** TypeBox building blocks shared by every module: errors, lists with cursors, GeoJSON. */
import { Type, type TSchema } from '@sinclair/typebox';
import { invalid } from './errors.js';

/**
 * Record ids: bigint columns read back as JS numbers (db/index.ts), so the safe-integer range is the id range;
 * an id beyond it could never name a row and would reach PostgreSQL as an out-of-range literal.
 */
export const MAX_ID = Number.MAX_SAFE_INTEGER;
/** Largest value of an `integer` (int4) column. */
export const MAX_INT4 = 2_147_483_647;

/** A record id in params, query or body. */
export const Id = (options: { description?: string } = {}) => Type.Integer({ minimum: 1, maximum: MAX_ID, ...options });

/** `T | null` for response and body fields. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const ErrorResponse = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }) },
  { $id: 'ErrorResponse', description: '统一错误格式' },
);

/** Responses every authenticated route may give, for OpenAPI. */
export const errorResponses = {
  400: Type.Ref('ErrorResponse'),
  401: Type.Ref('ErrorResponse'),
  403: Type.Ref('ErrorResponse'),
  404: Type.Ref('ErrorResponse'),
  409: Type.Ref('ErrorResponse'),
};

export const ListQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
};

export function ListOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

export const GeoJsonGeometry = Type.Object(
  { type: Type.String(), coordinates: Type.Any() },
  { description: 'GeoJSON geometry, WGS-84 (CGCS2000) longitude/latitude', additionalProperties: true },
);

/** Opaque cursors: the last row's sort key, base64url-encoded. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * What one position of a cursor's key holds: a record id (bigint, read as a safe integer), an `integer` column's
 * value, a code or other short text, a timestamp (ISO 8601, as `toISOString()` writes it), a uuid.
 */
export type CursorKind = 'id' | 'int4' | 'string' | 'timestamp' | 'uuid';

type CursorValue<K extends CursorKind> = K extends 'id' | 'int4' ? number : string;
export type CursorKey<K extends readonly CursorKind[]> = { -readonly [I in keyof K]: CursorValue<K[I]> };

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const cursorChecks: Record<CursorKind, (v: unknown) => boolean> = {
  id: (v) => Number.isSafeInteger(v) && (v as number) >= 0,
  int4: (v) => Number.isInteger(v) && (v as number) >= -2_147_483_648 && (v as number) <= 2_147_483_647,
  // eslint-disable-next-line no-control-regex
  string: (v) => typeof v === 'string' && v.length <= 200 && !/[\u0000-\u001F\u007F]/.test(v),
  timestamp: (v) => typeof v === 'string' && ISO_TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v)),
  uuid: (v) => typeof v === 'string' && UUID.test(v),
};

/**
 * Decodes a cursor made by `page()` and checks it against the key's shape (one kind per position); anything else —
 * not base64url, not JSON, the wrong length, a value of the wrong kind or out of range — is 400 naming `cursor`, so a
 * tampered cursor never reaches SQL.
 */
export function decodeCursor<const K extends readonly CursorKind[]>(cursor: string | undefined, kinds: K): CursorKey<K> | null {
  if (!cursor) return null;
  let key: unknown;
  try { key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')); } catch { key = null; }
  if (Array.isArray(key) && key.length === kinds.length && kinds.every((kind, i) => cursorChecks[kind](key[i]))) {
    return key as CursorKey<K>;
  }
  throw invalid('cursor', '分页游标无效', 'invalid cursor');
}

/** Splits a page fetched with limit + 1 rows into items and the cursor of the next page. */
export function page<T>(rows: T[], limit: number, keyOf: (row: T) => unknown[]): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
