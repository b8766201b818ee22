import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestDatabase } from '../../../../test/helpers.js';
import type { Database } from './index.js';
import { listMigrations, migrate, migrationsDir } from './migrate.js';
import { foreignTables, tables } from './tables.js';

describe('schema drift: a fresh migration equals what the code expects', () => {
  let database: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => ({ database, drop } = await openTestDatabase()));
  afterAll(async () => drop());

  it('has exactly the tables and columns declared in tables.ts, with the same types, nullability and defaults', async () => {
    const rows = await database.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string; has_default: boolean }>(`
      select c.table_name, c.column_name, c.udt_name, c.is_nullable,
             (c.column_default is not null or c.is_identity = 'YES') as has_default
      from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE' order by 1, c.ordinal_position`);
    const actual: Record<string, Record<string, { type: string; nullable?: true; default?: true }>> = {};
    for (const r of rows) {
      if (foreignTables.includes(r.table_name)) continue;
      (actual[r.table_name] ??= {})[r.column_name] = {
        type: r.udt_name,
        ...(r.is_nullable === 'YES' ? { nullable: true as const } : {}),
        ...(r.has_default ? { default: true as const } : {}),
      };
    }
    // A trigger-filled column is optional for the code but has no DEFAULT in the schema.
    const expected = JSON.parse(JSON.stringify(tables, (key, value) => (key === 'trigger' ? undefined : value)));
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const table of Object.keys(expected)) expect({ table, columns: actual[table] }).toEqual({ table, columns: expected[table] });
  });

  it('records every migration file as applied, and re-running migrate applies nothing', async () => {
    const applied = await database.query<{ version: string }>('select version from schema_migrations order by version');
    expect(applied.map((r) => r.version)).toEqual(listMigrations().map((m) => m.version));
    expect(await migrate(database)).toEqual([]);
  });

  it('refuses a migration file that was edited after it was applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-migrations-'));
    cpSync(migrationsDir, dir, { recursive: true });
    const first = listMigrations(dir)[0]!;
    writeFileSync(join(dir, first.file), `${first.sql}\n-- edited\n`);
    await expect(migrate(database, dir)).rejects.toThrow(/was changed after it was applied/);
  });

  it('has the PostGIS, ltree and pg_trgm extensions', async () => {
    const rows = await database.query<{ extname: string }>(`select extname from pg_extension order by 1`);
    expect(rows.map((r) => r.extname)).toEqual(expect.arrayContaining(['postgis', 'ltree', 'pg_trgm']));
  });
});
