import { writeFileSync } from 'node:fs';
import { openDatabase } from '../server/src/platform/db/index.js';
import { migrate } from '../server/src/platform/db/migrate.js';
import { seedDatabase } from '../server/src/seed/index.js';
import { grantAppRole } from '../server/src/platform/db/app-role.js';
import { adminQuery, APP_ROLE, templateName, templateTarball, withDatabase } from './template.js';

/** Builds the seeded template once per run (scale 'test': the real Binjiang tree, a few compounds). */
export default async function setup(): Promise<() => Promise<void>> {
  const started = Date.now();
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = templateName(url);
    await adminQuery(url, `drop database if exists ${name}`);
    await adminQuery(url, `create database ${name}`);
    const database = await openDatabase({ url: withDatabase(url, name), poolSize: 2 });
    await database.exec('create extension if not exists postgis; create extension if not exists ltree; create extension if not exists pg_trgm;');
    await migrate(database);
    await seedDatabase(database, { scale: 'test' });
    // Tests run the app as the role that owns nothing, as `npm start` does; the grants travel with the template.
    await grantAppRole(database, APP_ROLE, { create: true });
    await database.close();
    console.log(`[test] PostgreSQL template ${name} ready in ${Date.now() - started} ms`);
    return async () => { await adminQuery(url, `drop database if exists ${name}`).catch(() => undefined); };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const database = await openDatabase({ dataDir: 'memory://' });
  await migrate(database);
  await seedDatabase(database, { scale: 'test' });
  // Reach the underlying PGlite through a raw dump: Kysely holds it, so dump via a fresh handle on the same memory db.
  const dump = await (database as unknown as { pglite: InstanceType<typeof PGlite> }).pglite.dumpDataDir('gzip');
  writeFileSync(templateTarball, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  console.log(`[test] PGlite template ready in ${Date.now() - started} ms`);
  return async () => undefined;
}
