/**
 * One way to reach the database, whichever engine: PGlite under LINLI_DATA_DIR (embedded default) or a
 * PostgreSQL server when DATABASE_URL is set. Both get the same parsers so rows look the same.
 */
import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from './tables.js';
import { PGliteDialect } from './pglite-dialect.js';
import { allowPreparedStatements } from './prepared.js';

export type { DB } from './tables.js';
export type Db = Kysely<DB>;
export type Engine = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  engine: Engine;
  /** Run a multi-statement SQL script (migrations, bulk loads) outside Kysely. */
  exec(script: string): Promise<void>;
  /** A raw parameterised query returning rows (bulk loaders, benchmarks). */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
  /** The embedded engine itself (dumps for test templates); undefined on PostgreSQL. */
  pglite?: import('@electric-sql/pglite').PGlite;
}

export interface DatabaseOptions {
  /** postgres://… selects a PostgreSQL server */
  url?: string | undefined;
  /** folder for the embedded engine; 'memory://' keeps it in memory */
  dataDir?: string | undefined;
  poolSize?: number | undefined;
  /** embedded engine: start from this dumped data directory (test templates) */
  loadDataDir?: Blob | undefined;
}

// int8 as number (ids and counts stay below 2^53), date as 'YYYY-MM-DD' text, numeric as number.
const INT8 = 20, NUMERIC = 1700, DATE = 1082;
const parsers = {
  [INT8]: (v: string) => Number(v),
  [NUMERIC]: (v: string) => Number(v),
  [DATE]: (v: string) => v,
};

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10);
  return openPglite(options.dataDir ?? './data', options.loadDataDir);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Every connection works in China Standard Time, as the embedded engine does.
    options: '-c timezone=Asia/Shanghai',
    types: { getTypeParser: (oid: number, format?: any) => (parsers as any)[oid] ?? pg.types.getTypeParser(oid, format) },
  });
  // An idle connection dropped by the server (restart, admin termination) must not crash the process;
  // the pool replaces it on the next checkout.
  pool.on('error', (err) => console.warn(`postgres: idle connection lost (${(err as { code?: string }).code ?? err.message})`));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  allowPreparedStatements(db);
  return {
    db,
    engine: 'postgres',
    exec: async (script) => {
      const client = await pool.connect();
      try {
        await client.query(script);
      } catch (err) {
        await client.query('rollback').catch(() => undefined); // leave no aborted transaction on the pool
        throw err;
      } finally {
        client.release();
      }
    },
    query: async (text, params) => (await pool.query(text, params as unknown[])).rows,
    close: () => db.destroy(),
  };
}

async function openPglite(dataDir: string, loadDataDir?: Blob): Promise<Database> {
  const [{ PGlite }, { postgis }, { ltree }, { pg_trgm }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-postgis'),
    import('@electric-sql/pglite/contrib/ltree'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
  ]);
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pgl = await PGlite.create(dataDir, { extensions: { postgis, ltree, pg_trgm }, parsers, ...(loadDataDir ? { loadDataDir } : {}) });
  await pgl.exec(`set timezone = 'Asia/Shanghai'`);
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pgl) });
  // Raw access goes through Kysely's connection so it queues behind open transactions.
  return {
    db,
    engine: 'pglite',
    pglite: pgl,
    exec: (script) => db.connection().execute(async () => {
      try {
        await pgl.exec(script);
      } catch (err) {
        await pgl.exec('rollback').catch(() => undefined);
        throw err;
      }
    }),
    query: async <R>(text: string, params?: unknown[]) =>
      db.connection().execute(async () => (await pgl.query<R>(text, params)).rows),
    close: () => db.destroy(),
  };
}

/** True when the database answers and every migration file has been applied. */
export async function databaseIsReady(db: Db, expectedVersions: string[]): Promise<boolean> {
  const rows = await sql<{ version: string }>`select version from schema_migrations`.execute(db);
  const applied = new Set(rows.rows.map((r) => r.version));
  return expectedVersions.every((v) => applied.has(v));
}
