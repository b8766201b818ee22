/**
 * Test factories: a fresh copy of the seeded template and the real app on it, plus helpers to call the API
 * as a given demo user. Everything goes through `app.inject` — the same hooks, schemas and SQL as production.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../server/src/app.js';
import { loadConfig, type Config } from '../server/src/config.js';
import { openDatabase, type Database } from '../server/src/platform/db/index.js';
import { appDatabaseUrl } from '../server/src/platform/db/app-role.js';
import { adminQuery, APP_ROLE, readTarball, templateName, withDatabase } from './template.js';

export const DEMO_PASSWORD = 'Linli@2026';

export interface TestContext {
  app: FastifyInstance;
  database: Database;
  config: Config;
  /** Logs in and returns a bearer token. */
  login(username: string, password?: string): Promise<string>;
  /** A request as the holder of `token`. */
  call(token: string | null, method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * A fresh copy of the template. On PostgreSQL `database` is the owner's connection (test set-up and inspection) and
 * `appDatabase` the app role's, which owns nothing, as in `npm start`; on the embedded engine they are the same.
 */
export async function openTestDatabase(): Promise<{ database: Database; appDatabase: Database; url: string | null; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `linli_t_${randomBytes(6).toString('hex')}`;
    await adminQuery(url, `create database ${name} template ${templateName(url)}`);
    const database = await openDatabase({ url: withDatabase(url, name), poolSize: 4 });
    const appUrl = appDatabaseUrl(withDatabase(url, name), null, APP_ROLE);
    const appDatabase = await openDatabase({ url: appUrl, poolSize: 8 });
    return {
      database, appDatabase, url: withDatabase(url, name),
      drop: async () => { await appDatabase.close(); await database.close(); await adminQuery(url, `drop database if exists ${name} with (force)`); },
    };
  }
  const database = await openDatabase({ dataDir: 'memory://', loadDataDir: readTarball() });
  return { database, appDatabase: database, url: null, drop: () => database.close() };
}

export async function createTestContext(overrides: Partial<Config> = {}): Promise<TestContext> {
  const { database, appDatabase, drop } = await openTestDatabase();
  const keys = mkdtempSync(join(tmpdir(), 'linli-audit-'));
  const config = loadConfig({ ...process.env, LINLI_DEMO: '1', LINLI_SEED: 'none' }, {
    webDist: '/nonexistent', sessionCacheSeconds: 0,
    auditKeyFile: join(keys, 'audit-keys.json'), auditCheckpointFile: join(keys, 'audit-checkpoints.jsonl'), ...overrides,
  });
  const app = await buildApp(appDatabase, config, { logger: false });
  await app.ready();
  const call: TestContext['call'] = (token, method, url, body, headers = {}) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
  return {
    app, database, config, call,
    async login(username, password = DEMO_PASSWORD) {
      const res = await call(null, 'POST', '/api/v1/auth/login', { username, password, client: 'api' });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      return res.json().token as string;
    },
    async close() { await app.close(); await drop(); rmSync(keys, { recursive: true, force: true }); },
  };
}
