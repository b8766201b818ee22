/**
 * On PostgreSQL the running app connects as a role that owns nothing: it reads and writes rows, but cannot alter a
 * table, disable a trigger, or update or delete an audit record. Migrations and the seed run as the owner
 * (DATABASE_URL); the owner then grants the app role what it needs, every start (idempotent). The embedded engine
 * has a single user, so this applies to PostgreSQL only.
 */
import type { Database } from './index.js';

/** Tables whose rows are never changed once written: the app may only read and append. */
export const APPEND_ONLY_TABLES = ['audit_log', 'audit_seal', 'audit_batch'];

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid role name: ${name}`);
  return `"${name}"`;
}

/**
 * Creates the app role when missing (with LOGIN, and the password if one is given) and grants it row access to
 * every table of the schema, except UPDATE/DELETE/TRUNCATE on the append-only ones.
 */
export async function grantAppRole(owner: Database, role: string, options: { create: boolean; password?: string | undefined }): Promise<void> {
  const r = quoteIdent(role);
  if (options.create) {
    const [exists] = await owner.query<{ n: number }>('select count(*)::int as n from pg_roles where rolname = $1', [role]);
    if (!exists?.n) {
      try {
        await owner.exec(`create role ${r} login nosuperuser nocreatedb nocreaterole noinherit`);
      } catch (err) {
        // Another process (a second instance, a parallel test file) created it first.
        if ((err as { code?: string }).code !== '42710' && (err as { code?: string }).code !== '23505') throw err;
      }
    }
    if (options.password) {
      const [literal] = await owner.query<{ q: string }>('select quote_literal($1::text) as q', [options.password]);
      await owner.exec(`alter role ${r} password ${literal!.q}`);
    }
  }
  const [db] = await owner.query<{ name: string }>('select current_database() as name');
  const grants = `
    grant connect, temporary on database "${db!.name}" to ${r};
    grant usage on schema public to ${r};
    grant select, insert, update, delete on all tables in schema public to ${r};
    grant usage, select on all sequences in schema public to ${r};
    grant execute on all functions in schema public to ${r};
    revoke update, delete, truncate on ${APPEND_ONLY_TABLES.join(', ')} from ${r};
    revoke insert, update, delete, truncate on schema_migrations from ${r};`;
  try {
    await owner.exec(grants);
  } catch (err) {
    // Two instances starting at once may grant on the same objects: "tuple concurrently updated"; once more settles it.
    if ((err as { code?: string }).code !== 'XX000') throw err;
    await owner.exec(grants);
  }
}

/** The app's connection string: LINLI_APP_DATABASE_URL, else DATABASE_URL with the app role as its user. */
export function appDatabaseUrl(ownerUrl: string, explicit: string | null, role: string, password?: string): string {
  if (explicit) return explicit;
  const u = new URL(ownerUrl);
  u.username = role;
  u.password = password ?? '';
  return u.toString();
}
