/** TypeBox building blocks shared by every module: errors, lists with cursors, GeoJSON. */
import { Type, type TSchema } from '@sinclair/typebox';
import { invalid } from './errors.js';

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

export function decodeCursor(cursor: string | undefined, arity: number): unknown[] | null {
  if (!cursor) return null;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === arity) return key;
  } catch { /* fall through */ }
  throw invalid('cursor', '分页游标无效', 'invalid cursor');
}

/** Splits a page fetched with limit + 1 rows into items and the cursor of the next page. */
export function page<T>(rows: T[], limit: number, keyOf: (row: T) => unknown[]): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
