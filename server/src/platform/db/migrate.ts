/**
 * Plain-SQL migrations from server/migrations, applied in file-name order, each in its own transaction,
 * recorded with a checksum so an edited, already-applied file is refused instead of silently skipped.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './index.js';

export const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), '../../../migrations');

export interface Migration { version: string; file: string; sql: string; checksum: string }

export function listMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return { version: file.replace(/\.sql$/, ''), file, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Applies pending migrations; returns the versions applied now. */
export async function migrate(database: Database, dir = migrationsDir): Promise<string[]> {
  await database.exec(`create table if not exists schema_migrations (
    version text primary key, checksum text not null, applied_at timestamptz not null default now())`);
  const rows = await database.query<{ version: string; checksum: string }>('select version, checksum from schema_migrations');
  const applied = new Map(rows.map((r) => [r.version, r.checksum]));
  const done: string[] = [];
  for (const m of listMigrations(dir)) {
    const checksum = applied.get(m.version);
    if (checksum !== undefined) {
      if (checksum !== m.checksum) throw new Error(`migration ${m.file} was changed after it was applied`);
      continue;
    }
    const record = `insert into schema_migrations (version, checksum) values ('${m.version}', '${m.checksum}');`;
    await database.exec(`begin;\n${m.sql}\n;${record}\ncommit;`);
    done.push(m.version);
  }
  return done;
}
