import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { adminQuery, withDatabase } from '../template.js';

declare module 'vitest' {
  export interface ProvidedContext { baseUrl: string }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Starts the app the way `npm start` does (building the web app if stale) and waits until it is ready. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'linli-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LINLI_DATA_DIR: dataDir, LINLI_DEMO: '1', LINLI_SEED: 'test', LOG_LEVEL: process.env.LINLI_E2E_LOG_LEVEL ?? 'warn' };
  let dbName: string | null = null;
  if (process.env.DATABASE_URL) {
    dbName = `linli_e2e_${process.pid}`;
    await adminQuery(process.env.DATABASE_URL, `drop database if exists ${dbName}`);
    await adminQuery(process.env.DATABASE_URL, `create database ${dbName}`);
    env.DATABASE_URL = withDatabase(process.env.DATABASE_URL, dbName);
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    await client.query('create extension if not exists postgis; create extension if not exists ltree; create extension if not exists pg_trgm;');
    await client.end();
  }
  const child: ChildProcess = spawn('node', ['scripts/start.mjs'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  // LINLI_E2E_LOG=<file> keeps the server's whole output (set LINLI_E2E_LOG_LEVEL=info as well to see every request's time)
  const log = process.env.LINLI_E2E_LOG ? createWriteStream(process.env.LINLI_E2E_LOG) : null;
  child.stdout?.on('data', (d) => { output += d; log?.write(d); });
  child.stderr?.on('data', (d) => { output += d; log?.write(d); });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 200_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    const ready = await fetch(`${baseUrl}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`server not ready in time:\n${output}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  project.provide('baseUrl', baseUrl);
  return async () => {
    try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* already gone */ }
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dataDir, { recursive: true, force: true });
    if (dbName && process.env.DATABASE_URL) await adminQuery(process.env.DATABASE_URL, `drop database if exists ${dbName}`).catch(() => undefined);
  };
}
