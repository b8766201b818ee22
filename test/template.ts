/**
 * One seeded template database per test run, copied per test file:
 * PostgreSQL: CREATE DATABASE … TEMPLATE; PGlite: a dumped data directory loaded into memory.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

// Named after the checkout too, so that two checkouts on one machine (git worktrees) never share a template.
const checkout = createHash('sha1').update(process.cwd()).digest('hex').slice(0, 8);
export const templateTarball = join(tmpdir(), `linli-test-template-${checkout}.tar.gz`);

/** The role the app connects as on PostgreSQL, as `npm start` does (LINLI_APP_DB_ROLE's default). */
export const APP_ROLE = 'linli_app';

export function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export function templateName(url: string): string {
  return `linli_tpl_${createHash('sha1').update(`${url} ${process.cwd()}`).digest('hex').slice(0, 8)}`;
}

export async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl(url) });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export function tarballExists(): boolean {
  return existsSync(templateTarball) && statSync(templateTarball).size > 0;
}

export function readTarball(): Blob {
  return new Blob([readFileSync(templateTarball)]);
}
