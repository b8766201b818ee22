/**
 * Hot statements as NAMED prepared statements on PostgreSQL: parsed and planned once per pooled connection
 * instead of on every request (a claim in an emergency wave, the session lookup behind every API call).
 * node-postgres takes a query config `{name, text}` where Kysely passes the SQL text; the embedded engine runs the
 * same SQL as a plain statement.
 */
import type { Kysely, RawBuilder } from 'kysely';

const preparable = new WeakSet<object>();

/** Marks a Kysely instance as backed by node-postgres (done by openDatabase). */
export function allowPreparedStatements(db: Kysely<any>): void {
  preparable.add(db);
}

/** A transaction opened on such an instance may use them too (it runs on one of the same connections). */
export function inheritPreparedStatements(from: Kysely<any>, to: Kysely<any>): void {
  if (preparable.has(from)) preparable.add(to);
}

/** Runs `query` as the prepared statement `name` where the engine supports it; the rows either way. */
export async function executePrepared<R>(db: Kysely<any>, name: string, query: RawBuilder<R>): Promise<R[]> {
  if (!preparable.has(db)) return (await query.execute(db)).rows;
  const compiled = query.compile(db);
  const { rows } = await db.executeQuery<R>({ ...compiled, sql: { name, text: compiled.sql } as unknown as string });
  return rows;
}
