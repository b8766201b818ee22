/**
 * `npx tsx bench/archive-search.ts`: person search (GET /api/v1/archive/persons?q=) over the `city` dataset on
 * PostgreSQL — a mix of name fragments, pinyin initials, full pinyin, ID-number suffixes and addresses — each printed
 * beside pgbench running the very SQL the route issues (compiled from the repository, literals inlined) in the same run.
 *   DATABASE_URL       default postgres://postgres@127.0.0.1:5432/linli_city (must be seeded: see bench/run.ts)
 *   BENCH_SECONDS      seconds per scenario (default 5)
 *   BENCH_CONCURRENCY  connections (default 8)
 */
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import type { AuthContext } from '../server/src/platform/context.js';
import { openDatabase } from '../server/src/platform/db/index.js';
import { migrate } from '../server/src/platform/db/migrate.js';
import { territoryScope } from '../server/src/platform/scope.js';
import { personSearchQuery } from '../server/src/modules/archive/archive.repository.js';
import { parseSearch } from '../server/src/modules/archive/archive.service.js';
import { runLoad, type LoadResult } from './load.js';
import { pgbench } from './pgbench.js';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/linli_city';
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const PER_KIND = 40;

const database = await openDatabase({ url, poolSize: concurrency + 4 });
await migrate(database);
const [sizes] = (await database.query<{ persons: number; residences: number }>(`select
  (select count(*) from person)::int as persons, (select count(*) from residence where moved_out is null)::int as residences`)) as [{ persons: number; residences: number }];
if (sizes.persons === 0) throw new Error('the city dataset is not seeded: run `npm run bench` once');
await database.exec('analyze person; analyze residence; analyze territory_node');

// Sample residents (deterministically) and derive one query of each kind from each.
interface Sample { id: number; name: string; name_pinyin: string; name_initials: string; id_number: string; compound: string; community: string; b: string; u: string; r: string }
const sample = await database.query<Sample>(`
  select p.id::int as id, p.name, p.name_pinyin, p.name_initials, p.id_number, c.name as compound, c.parent_code as community,
    b.name as b, u.name as u, rn.name as r
  from person p join residence rs on rs.person_id = p.id and rs.moved_out is null
  join territory_node rn on rn.code = rs.room_code join territory_node u on u.code = rn.parent_code
  join territory_node b on b.code = u.parent_code join territory_node c on c.code = b.parent_code
  where p.id % 9973 = 17 and char_length(p.name) = 3 and p.id_number is not null order by p.id limit ${PER_KIND}`);
const num = (s: string) => String(parseInt(s, 10));
const kinds: Record<string, (s: Sample) => string> = {
  'name fragment': (s) => s.name.slice(1),
  'pinyin initials': (s) => s.name_initials,
  'full pinyin': (s) => s.name_pinyin,
  'whole ID number': (s) => s.id_number,
  address: (s) => `${s.compound}${num(s.b)}-${num(s.u)}-${num(s.r)}`,
};

// the per-user search rate (LINLI_SEARCH_PER_MINUTE) is a brake on scraping, not what is measured here
const config = loadConfig({ ...process.env, DATABASE_URL: url, LINLI_DEMO: '1', LINLI_SEED: 'none', LOG_LEVEL: 'warn',
  LINLI_SEARCH_PER_MINUTE: '1000000000', LINLI_NUMBER_MISSES_PER_HOUR: '1000000000' });
const app = await buildApp(database, config, { logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const port = (app.server.address() as { port: number }).port;
const token = async (username: string) => {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Linli@2026', client: 'api' }) });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
};

/** The caller's scope as the route builds it, for compiling the same SQL. */
async function scopeOf(username: string): Promise<AuthContext> {
  const [u] = (await database.query<{ scope_kind: string; scope_codes: string[] }>(`select scope_kind, scope_codes from app_user where username = $1`, [username])) as [{ scope_kind: string; scope_codes: string[] }];
  const paths = (await database.query<{ path: string }>(`select path::text as path from territory_node where code = any($1)`, [u.scope_codes])).map((r) => r.path);
  return { scope: { kind: u.scope_kind, codes: u.scope_codes, paths } } as unknown as AuthContext;
}

const literal = (v: unknown): string => {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return literal(`{${v.map((x) => `"${String(x).replace(/"/g, '\\"')}"`).join(',')}}`);
  return `'${String(v).replace(/'/g, "''")}'`;
};

/** The statement the route runs for `q`, parameters inlined, on one line for pgbench. */
function sqlFor(q: string, auth: AuthContext): string {
  const compiled = personSearchQuery({ match: parseSearch(q) }, (column) => territoryScope(auth, column), true, 20, null).compile(database.db);
  return compiled.sql.replace(/\$(\d+)/g, (_m, i: string) => literal(compiled.parameters[Number(i) - 1])).replace(/\s+/g, ' ').trim();
}

function script(queries: string[], auth: AuthContext): string {
  const lines = [`\\set i random(1, ${queries.length})`];
  queries.forEach((q, i) => lines.push(`${i === 0 ? '\\if' : '\\elif'} :i = ${i + 1}`, `${sqlFor(q, auth)};`));
  lines.push('\\endif', '');
  return lines.join('\n');
}

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const fmt = (r: LoadResult) => `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2).padStart(7)} ms  p99 ${r.p99.toFixed(2).padStart(8)} ms${r.errors ? `  errors ${r.errors}` : ''}`;

console.log(`\ndataset: ${sizes.persons.toLocaleString()} persons, ${sizes.residences.toLocaleString()} current residences; ${sample.length} sampled residents × ${Object.keys(kinds).length} query kinds; ${seconds}s per run, ${concurrency} connections\n`);

const community = sample[0]!.community;
const callers: [string, string][] = [['admin', 'admin (whole city)'], [`community.${community}`, `community.${community}`]];
const exists = await database.query(`select 1 from app_user where username = $1`, [callers[1]![0]]);
if (exists.length === 0) callers.pop();

for (const [username, label] of callers) {
  const auth = await scopeOf(username);
  const bearer = { authorization: `Bearer ${await token(username)}` };
  // a community worker searches for people of their own community
  const pool = username === 'admin' ? sample : sample.filter((s) => s.community === community);
  if (pool.length === 0) continue;
  const sets: [string, string[]][] = Object.entries(kinds).map(([k, f]) => [k, pool.map(f)]);
  sets.push(['mix of all kinds', sets.flatMap(([, qs]) => qs)]);
  console.log(`caller: ${label}`);
  for (const [kind, queries] of sets) {
    // correctness first: every sampled query finds its resident through the route
    const http = await runLoad(port, concurrency, seconds, () => ({ method: 'GET', headers: bearer,
      path: `/api/v1/archive/persons?q=${encodeURIComponent(queries[Math.floor(rand() * queries.length)]!)}` }));
    const raw = pgbench(url, script(queries, auth), concurrency, seconds);
    console.log(`  ${`GET /archive/persons?q= ${kind}`.padEnd(44)} ${fmt(http)}`);
    console.log(`  ${'  pgbench: same SQL'.padEnd(44)} ${fmt(raw)}   ratio ${(http.rps / raw.rps).toFixed(2)}`);
  }
}

// Each sampled resident is found by each kind of query (as admin): a benchmark of a search that misses is worthless.
const adminBearer = { authorization: `Bearer ${await token('admin')}` };
let misses = 0;
for (const s of sample) {
  for (const [kind, f] of Object.entries(kinds)) {
    let found = false;
    let cursor: string | null = null;
    for (let pageNo = 0; pageNo < 50 && !found; pageNo++) {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/archive/persons?limit=200&q=${encodeURIComponent(f(s))}${cursor ? `&cursor=${cursor}` : ''}`, { headers: adminBearer });
      const body = (await res.json()) as { items: { id: number }[]; nextCursor: string | null };
      found = body.items.some((i) => i.id === s.id);
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    if (!found) { misses += 1; console.log(`  miss: ${kind} '${f(s)}' did not find person ${s.id}`); }
  }
}
console.log(`\nrecall check: ${sample.length * Object.keys(kinds).length - misses}/${sample.length * Object.keys(kinds).length} sampled queries found their resident`);
await app.close();
await database.close();
