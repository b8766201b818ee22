/**
 * `npm run bench`: login, a subtree read and locate() on the `city` dataset on PostgreSQL, each printed beside
 * a baseline measured in the same run (a bare route, argon2 alone, or pgbench running the same SQL).
 *   DATABASE_URL   default postgres://postgres@127.0.0.1:5432/linli_city (seeded with --scale city if empty)
 *   BENCH_SECONDS  seconds per scenario (default 10)
 */
import { verify } from '@node-rs/argon2';
import pg from 'pg';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { openDatabase } from '../server/src/platform/db/index.js';
import { migrate } from '../server/src/platform/db/migrate.js';
import { seedDatabase } from '../server/src/seed/index.js';
import { runLoad, summarise, type LoadResult } from './load.js';
import { pgbench } from './pgbench.js';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/linli_city';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function ensureDatabase(): Promise<void> {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: u.toString() });
  await admin.connect();
  const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`create database ${name}`);
  await admin.end();
}

await ensureDatabase();
const database = await openDatabase({ url, poolSize: 20 });
await database.exec('create extension if not exists postgis; create extension if not exists ltree; create extension if not exists pg_trgm;');
await migrate(database);
const [{ n }] = (await database.query<{ n: number }>('select count(*)::int as n from territory_node')) as [{ n: number }];
if (n === 0) {
  console.log('seeding the city dataset (once)…');
  const t0 = Date.now();
  const summary = await seedDatabase(database, { scale: 'city', log: (m) => console.log(`  ${m}`) });
  console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${JSON.stringify(summary)}`);
}
const [sizes] = (await database.query<{ residents: number; micro: number; nodes: number }>(`select
  (select count(*) from person)::int as residents,
  (select count(*) from territory_node where kind = 'micro_grid')::int as micro,
  (select count(*) from territory_node)::int as nodes`)) as [{ residents: number; micro: number; nodes: number }];
await database.exec('analyze');

const config = loadConfig({ ...process.env, DATABASE_URL: url, LINLI_DEMO: '1', LINLI_SEED: 'none', LOG_LEVEL: 'warn' });
const app = await buildApp(database, config, { logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const port = (app.server.address() as { port: number }).port;

const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'admin', password: 'Linli@2026', client: 'api' }) });
const token = ((await login.json()) as { token: string }).token;
const auth = { authorization: `Bearer ${token}` };

// Parents for the subtree read: communities and grids, picked at random by both the HTTP run and pgbench.
await database.exec(`drop table if exists bench_parent; create table bench_parent as
  select row_number() over (order by code)::int as i, code from territory_node where kind in ('community', 'grid');
  alter table bench_parent add primary key (i); analyze bench_parent;`);
const parents = (await database.query<{ code: string }>('select code from bench_parent order by i')).map((r) => r.code);
const [box] = (await database.query<{ x0: number; y0: number; x1: number; y1: number }>(`select ST_XMin(e) as x0, ST_YMin(e) as y0, ST_XMax(e) as x1, ST_YMax(e) as y1
  from (select ST_Extent(boundary) as e from territory_node where kind = 'district') s`)) as [{ x0: number; y0: number; x1: number; y1: number }];

let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const point = () => [box.x0 + rand() * (box.x1 - box.x0), box.y0 + rand() * (box.y1 - box.y0)] as const;

const rows: [string, LoadResult, string, LoadResult][] = [];
const fmt = (r: LoadResult) => `${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(2).padStart(6)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms${r.errors ? `  errors ${r.errors}` : ''}`;

console.log(`\ndataset: ${sizes.residents.toLocaleString()} residents, ${sizes.micro.toLocaleString()} micro-grids, ${sizes.nodes.toLocaleString()} territory nodes; ${seconds}s per run, ${concurrency} connections\n`);

// 1. login (argon2id bound) vs argon2 verify alone
const bare = await runLoad(port, concurrency, seconds, () => ({ method: 'GET', path: '/healthz' }));
const loginRun = await runLoad(port, 4, seconds, () => ({ method: 'POST', path: '/api/v1/auth/login',
  body: JSON.stringify({ username: 'admin', password: 'Linli@2026', client: 'api' }) }));
const [{ password_hash: hash }] = (await database.query<{ password_hash: string }>(`select password_hash from app_user where username = 'admin'`)) as [{ password_hash: string }];
const argonLat: number[] = [];
const argonStart = performance.now();
await Promise.all(Array.from({ length: 4 }, async () => {
  while (performance.now() - argonStart < seconds * 1000) { const s = performance.now(); await verify(hash, 'Linli@2026'); argonLat.push(performance.now() - s); }
}));
const argon = summarise(argonLat, 0, (performance.now() - argonStart) / 1000);
rows.push(['POST /auth/login (4 conc.)', loginRun, 'argon2id verify alone (4 conc.)', argon]);

// 2. subtree read: children of a random community or grid
const subtree = await runLoad(port, concurrency, seconds, () => ({ method: 'GET', path: `/api/v1/territory/nodes/${parents[Math.floor(rand() * parents.length)]}/children?limit=50`, headers: auth }));
const subtreeSql = pgbench(url, `\\set i random(1, ${parents.length})
select n.code, n.name, n.kind, n.parent_code, n.stat_code, n.sort_order,
  (select count(*) from territory_node c where c.parent_code = n.code)::int as child_count
from territory_node n where n.parent_code = (select code from bench_parent where i = :i) order by n.sort_order, n.code limit 51;
`, concurrency, seconds);
rows.push(['GET /territory/nodes/{code}/children', subtree, 'pgbench: same SQL', subtreeSql]);

// 3. locate a random point in the city
const locate = await runLoad(port, concurrency, seconds, () => { const [x, y] = point(); return { method: 'GET', path: `/api/v1/territory/locate?lng=${x.toFixed(6)}&lat=${y.toFixed(6)}`, headers: auth }; });
const locateSql = pgbench(url, `\\set x random(0, 1000000)
\\set y random(0, 1000000)
select distinct on (kind) kind, code, name, path::text from territory_node
where boundary is not null and kind in ('district', 'street', 'community', 'grid', 'micro_grid')
  and ST_Covers(boundary, ST_SetSRID(ST_MakePoint(${box.x0} + :x * ${(box.x1 - box.x0) / 1e6}, ${box.y0} + :y * ${(box.y1 - box.y0) / 1e6}), 4326))
order by kind, code;
`, concurrency, seconds);
rows.push(['GET /territory/locate', locate, 'pgbench: same SQL', locateSql]);

console.log(`${'GET /healthz (bare route)'.padEnd(38)} ${fmt(bare)}`);
for (const [name, result, baseName, base] of rows) {
  console.log(`${name.padEnd(38)} ${fmt(result)}`);
  console.log(`  ${baseName.padEnd(36)} ${fmt(base)}   ratio ${(result.rps / base.rps).toFixed(2)}`);
}
await database.exec('drop table if exists bench_parent');
await app.close();
await database.close();
