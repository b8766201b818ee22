/**
 * Loads generated data: `npx tsx scripts/seed.ts --scale demo|city|test [--seed N] [--reset]`.
 * Uses DATABASE_URL (PostgreSQL) if set, else the embedded engine under LINLI_DATA_DIR (default ./data).
 * Migrates first. --reset empties the database first (PostgreSQL: drops and recreates the public schema;
 * embedded: deletes the data directory).
 */
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../server/src/platform/db/index.js';
import { migrate } from '../server/src/platform/db/migrate.js';
import { DEMO_PASSWORD, demoAccounts, seedDatabase, type SeedScale } from '../server/src/seed/index.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'demo' },
    seed: { type: 'string' },
    reset: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log('usage: npx tsx scripts/seed.ts --scale demo|city|test [--seed N] [--reset]');
  process.exit(0);
}
const scale = values.scale as SeedScale;
if (!['test', 'demo', 'city'].includes(scale)) {
  console.error(`unknown --scale '${values.scale}' (test, demo or city)`);
  process.exit(2);
}
const seed = values.seed === undefined ? undefined : Number(values.seed);
if (seed !== undefined && !Number.isInteger(seed)) {
  console.error(`--seed must be an integer, got '${values.seed}'`);
  process.exit(2);
}

const url = process.env.DATABASE_URL || undefined;
const dataDir = resolve(process.env.LINLI_DATA_DIR ?? './data');
const started = performance.now();

if (values.reset && !url && existsSync(dataDir)) {
  console.log(`--reset: deleting ${dataDir}`);
  rmSync(dataDir, { recursive: true, force: true });
}
const database = await openDatabase(url ? { url, poolSize: 2 } : { dataDir });
try {
  if (values.reset && url) {
    console.log('--reset: dropping and recreating schema public');
    await database.exec(`drop schema public cascade; create schema public;
      create extension if not exists postgis; create extension if not exists ltree; create extension if not exists pg_trgm;`);
  }
  console.log(`database: ${url ? url.replace(/\/\/([^:@/]+)(:[^@]*)?@/, '//$1@') : `embedded (${dataDir})`}`);
  const applied = await migrate(database);
  console.log(`migrations: ${applied.length ? applied.join(', ') : 'up to date'} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const summary = await seedDatabase(database, { scale, seed, log: (m) => console.log(m) });
  const t = summary.territory;
  const a = summary.archive;
  console.log(`
territory  ${summary.territoryTotal.toLocaleString('en')} nodes
  district ${t.district}, street ${t.street}, community ${t.community}, grid ${t.grid.toLocaleString('en')}, micro_grid ${t.micro_grid.toLocaleString('en')}
  compound ${t.compound.toLocaleString('en')}, building ${t.building.toLocaleString('en')}, unit ${t.unit.toLocaleString('en')}, room ${t.room.toLocaleString('en')}
party_org  ${summary.partyOrgs.toLocaleString('en')} (alliance members ${summary.allianceMembers.toLocaleString('en')})
person     ${summary.persons.toLocaleString('en')}
household  ${summary.households.toLocaleString('en')}
residence  ${summary.residences.toLocaleString('en')}
archive    party_member ${a.partyMembers.toLocaleString('en')}, person_tag ${a.personTags.toLocaleString('en')}, compound_partner ${a.partners.toLocaleString('en')} (members ${a.partnerMembers.toLocaleString('en')}), territory_post ${a.posts.toLocaleString('en')}, visit ${a.visits.toLocaleString('en')}, households with 户号 ${a.registryNos.toLocaleString('en')}
app_user   ${summary.users} (password ${DEMO_PASSWORD}), e.g. ${demoAccounts.map((a) => a.username).join(', ')}
seed ${summary.seed}, scale ${summary.scale}: ${(summary.elapsedMs / 1000).toFixed(1)} s seeding, ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await database.close();
}
