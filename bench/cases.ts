/**
 * `npx tsx bench/cases.ts` (part of `npm run bench`): the cases loop (issue 5) on the `city` dataset on PostgreSQL —
 * all of Hangzhou with ≥ 1,000,000 historical cases — each figure beside a baseline measured in the same run.
 *
 *   1. Create with routing: `POST /api/v1/cases` by the 2,000 contract members (residents' 随手拍, channel h5) at
 *      random points inside random micro-grids across the city, with valid categories: the route validates, locates
 *      the point, routes it by the category's default tier, computes the working-day deadline, looks for a duplicate
 *      nearby, writes the case, its first step and its audit record, and tells the handler; the audit sequencer seals
 *      the records every second meanwhile, as in `npm start`. Baselines, on the very same points with as many clients:
 *      pgbench running the transaction's SQL (locate, insert the case and its step, insert the audit record, commit —
 *      goal: HTTP ≥ 0.5 of it), and the locate SQL alone (the point → the deepest governance area containing it, over
 *      the partial GiST index `territory_node_area_gist`). Beside them, the CPU one filing and one pgbench transaction
 *      cost on each side (bench/cpu.ts): on a 2-core machine shared by both, that is what the ratio comes down to.
 *   2. The three rates of a street over a year: `GET /api/v1/cases/rates?scopeCode=<street>&from=&to=` as the district
 *      admin over every street of the city, after one warm-up pass; p95 (goal ≤ 100 ms). Baseline: pgbench running the
 *      bare aggregate (the nine counts of cases.measures.ts over the street's year) on the same streets.
 *
 * The load generator runs in the server's process (bench/load.ts), like bench/run.ts. Members' bearer tokens are
 * stored the way platform/auth/session.ts stores them (a random token, its SHA-256 in user_session) instead of 2,000
 * argon2 logins. Everything the bench creates (cases, their steps and notifications, sessions, its point and street
 * tables) is removed afterwards, so runs do not grow the dataset.
 *   DATABASE_URL        default postgres://postgres@127.0.0.1:5432/linli_city (seeded with --scale city)
 *   BENCH_CONCURRENCY   requests in flight / pgbench clients for the creation (default 32)
 *   BENCH_SECONDS       seconds per scenario (default 10)
 *   BENCH_POOL          the server's connections (default 10, as `npm start`; on 2 shared cores 4 does a little better)
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { openDatabase } from '../server/src/platform/db/index.js';
import { listMigrations, migrate } from '../server/src/platform/db/migrate.js';
import { auditSequencer, loadAuditKeys } from '../server/src/platform/audit-chain.js';
import { REFERENCE_DATE } from '../server/src/seed/index.js';
import { runLoad, runLoadInWorker, type LoadResult } from './load.js';
import { pgbench } from './pgbench.js';
import { cpuNow, cpuPer } from './cpu.js';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/linli_city';
const conc = Number(process.env.BENCH_CONCURRENCY ?? 32);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const RATE_CONC = 4;
const POINTS = 20_000;
const MARK = '压测案件';
const AGENT = 'bench/cases';

const database = await openDatabase({ url, poolSize: Number(process.env.BENCH_POOL ?? 10) });
const q = <R>(text: string, params?: unknown[]) => database.query<R>(text, params);
// the seeded dataset as it is, with any migration added since applied
const applied = new Set((await q<{ version: string }>('select version from schema_migrations')).map((r) => r.version));
if (listMigrations().some((m) => !applied.has(m.version))) await migrate(database);
const one = async <R>(text: string, params?: unknown[]) => (await q<R>(text, params))[0]!;

const size = await one<{ cases: number; micro: number; streets: number }>(`select (select count(*) from civic_case)::int as cases,
  (select count(*) from territory_node where kind = 'micro_grid')::int as micro, (select count(*) from territory_node where kind = 'street')::int as streets`);
if (size.cases < 1_000_000) console.log(`note: ${size.cases.toLocaleString('en')} cases — the city dataset has ≥ 1,000,000 (npm run seed -- --scale city --reset)`);

/**
 * Removes what the bench made. Nothing else refers to its cases, but every deleted case has the foreign keys
 * merged_into and duplicate_of_hint checked against the whole table (unindexed: seq scans of a million rows per
 * row); the bench's own database user is a superuser, so the delete runs with the triggers of those checks off.
 */
async function cleanup() {
  const gone = `create temp table if not exists bench_gone (id bigint); truncate bench_gone;
    insert into bench_gone select id from civic_case where channel = 'h5' and description like '${MARK}%';
    delete from notification_delivery where notification_id in (select id from notification where ref_type = 'civic_case' and ref_id in (select id::text from bench_gone));
    delete from notification_read where notification_id in (select id from notification where ref_type = 'civic_case' and ref_id in (select id::text from bench_gone));
    delete from notification where ref_type = 'civic_case' and ref_id in (select id::text from bench_gone);
    delete from civic_case_step where case_id in (select id from bench_gone);
    delete from civic_case where id in (select id from bench_gone);`;
  try {
    await database.exec(`begin; set local session_replication_role = replica; ${gone} commit;`);
  } catch { // not a superuser: the same delete, slowly
    await database.exec(`begin; ${gone} commit;`);
  }
  await database.exec(`delete from user_session where user_agent = '${AGENT}'; drop table if exists bench_case_point, bench_case_street;`);
}
await cleanup(); // leftovers of an interrupted run

// ── the points: one random interior point in each of POINTS micro-grids picked at random across the city ──
await database.exec(`select setseed(0.2026);
  create table bench_case_point as
    select row_number() over ()::int as i, ST_X(p) as lng, ST_Y(p) as lat, code from (
      select m.code, ST_GeometryN(ST_GeneratePoints(m.boundary, 1, 7), 1) as p
      from (select code, boundary from territory_node where kind = 'micro_grid' order by random() limit ${POINTS}) m) s;
  alter table bench_case_point add primary key (i);
  create table bench_case_street as select row_number() over (order by code)::int as i, code from territory_node where kind = 'street';
  alter table bench_case_street add primary key (i);
  analyze bench_case_point; analyze bench_case_street;`);
const points = await q<{ lng: number; lat: number; code: string }>('select lng, lat, code from bench_case_point order by i');
const streets = (await q<{ code: string }>('select code from bench_case_street order by i')).map((r) => r.code);
const categories = (await q<{ code: string; name: string }>(`select code, name from case_category where parent_code is not null and active order by code`));
const members = (await q<{ id: number }>(`select id::int8 as id from app_user where username ~ '^member\\.[0-9]{4}$' order by username`)).map((r) => Number(r.id));
if (members.length < 100) throw new Error('the city dataset has no contract members (member.0001 …): npm run seed -- --scale city --reset');
const tokens = members.map(() => randomBytes(32).toString('base64url'));
await q(`insert into user_session (token_hash, user_id, kind, expires_at, user_agent)
  select h, u, 'api', now() + interval '12 hours', $3 from unnest($1::text[], $2::int8[]) as t(h, u)`,
[tokens.map((t) => createHash('sha256').update(t).digest('hex')), members, AGENT]);

const benchDir = mkdtempSync(join(tmpdir(), 'linli-bench-audit-'));
const config = loadConfig({ ...process.env, DATABASE_URL: url, LINLI_DEMO: '1', LINLI_SEED: 'none', LOG_LEVEL: 'warn',
  LINLI_AUDIT_KEY_FILE: join(benchDir, 'keys.json'), LINLI_AUDIT_CHECKPOINT_FILE: join(benchDir, 'checkpoints.jsonl') });
const app = await buildApp(database, config, { logger: false });
// the sequencer as `npm start` runs it: a round every second (sealing whatever is unsealed, the dataset's included)
const sequencer = auditSequencer(database.db, { keys: loadAuditKeys(config.auditKeyFile), checkpointFile: config.auditCheckpointFile, checkpointSeconds: 60 });
await sequencer.round();
const sealing = setInterval(() => void sequencer.round().catch((err: unknown) => console.error('seal failed', err)), 1000);
await app.listen({ port: 0, host: '127.0.0.1' });
const port = (app.server.address() as { port: number }).port;
const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'admin', password: 'Linli@2026', client: 'api' }) });
const adminToken = ((await login.json()) as { token: string }).token;

let seed = 20261129;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)]!;
const fmt = (r: LoadResult) => `${r.rps.toFixed(0).padStart(7)} /s  p50 ${r.p50.toFixed(2).padStart(6)} ms  p95 ${r.p95.toFixed(2).padStart(6)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms${r.errors ? `  errors ${r.errors}` : ''}`;

console.log(`\ndataset: ${size.cases.toLocaleString('en')} cases, ${size.micro.toLocaleString('en')} micro-grids, ${size.streets} streets; `
  + `${seconds} s per run; ${conc} in flight for creation, ${RATE_CONC} for the rates\n`);

// ── 1. create with routing ──
// a short warm-up (connections, JIT, the category and policy caches), then the measured run
const createReq = () => {
  const p = pick(points);
  const c = pick(categories);
  return { method: 'POST' as const, path: '/api/v1/cases', headers: { authorization: `Bearer ${pick(tokens)}` },
    body: JSON.stringify({ categoryCode: c.code, lng: p.lng, lat: p.lat, description: `${MARK}：${c.name}` }) };
};
// the client in a worker thread: pgbench, the baseline, does not share the server's event loop either
const createReqs = Array.from({ length: 50_000 }, createReq);
await runLoadInWorker(port, conc, 2, createReqs.slice(40_000));
const created0 = await one<{ n: number }>(`select count(*)::int as n from civic_case where description like '${MARK}%'`);
const cpu0 = cpuNow();
const create = await runLoadInWorker(port, conc, seconds, createReqs.slice(0, 40_000));
const createCpu = cpuPer(cpu0, cpuNow(), create.requests);
const created = await one<{ n: number; routed: number }>(`select count(*)::int as n,
  count(*) filter (where exists (select 1 from bench_case_point p where p.code = c.micro_grid_code
    and p.lng = ST_X(c.location) and p.lat = ST_Y(c.location)))::int as routed
  from civic_case c where description like '${MARK}%'`);
// the same transaction's SQL: locate the point, insert the case and its first step, insert the audit record
const cpu1 = cpuNow();
const txSql = pgbench(url, `\\set i random(1, ${POINTS})
begin;
select code, kind, path::text as path, name from territory_node
where kind in ('district', 'street', 'community', 'grid', 'micro_grid')
  and ST_Covers(boundary, (select ST_SetSRID(ST_MakePoint(lng, lat), 4326) from bench_case_point where i = :i))
order by nlevel(path) desc, code limit 1;
insert into civic_case (service_no, channel, category_code, description, address, location, territory_path, street_code, community_code,
  grid_code, micro_grid_code, photos, attributes, reporter_user_id, handler_tier, handler_code, reported_at, step_started_at, step_deadline, accept_deadline)
select 'AJ' || to_char(now() at time zone 'Asia/Shanghai', 'YYYYMMDD') || lpad(nextval('civic_case_no')::text, 6, '0'), 'h5', '${categories[0]!.code}',
  '${MARK}：pgbench', '', ST_SetSRID(ST_MakePoint(p.lng, p.lat), 4326), n.path, subpath(n.path, 1, 1)::text, subpath(n.path, 2, 1)::text,
  subpath(n.path, 3, 1)::text, n.code, '[]', '{}', ${members[0]}, 'micro_grid', n.code, now(), now(), now() + interval '1 day', now() + interval '1 day'
from bench_case_point p join territory_node n on n.code = p.code where p.i = :i;
insert into civic_case_step (case_id, action, to_state, actor_id, actor_kind, actor_org, tier_to, photos, deadline)
values (currval('civic_case_id_seq'), 'report', 'reported', ${members[0]}, 'channel', '随手拍', 'micro_grid', '[]', now() + interval '1 day');
insert into audit_log (actor_id, actor_username, action, target_type, target_id, summary, ip, request_id)
values (${members[0]}, 'member.0001', 'case.report', 'civic_case', currval('civic_case_id_seq')::text, '{"channel":"h5"}', '127.0.0.1', 'pgbench');
commit;
`, conc, seconds);
const txCpu = cpuPer(cpu1, cpuNow(), txSql.rps * seconds);
const locateSql = pgbench(url, `\\set i random(1, ${POINTS})
select code, kind, path::text as path, name from territory_node
where kind in ('district', 'street', 'community', 'grid', 'micro_grid')
  and ST_Covers(boundary, (select ST_SetSRID(ST_MakePoint(lng, lat), 4326) from bench_case_point where i = :i))
order by nlevel(path) desc, code limit 1;
`, conc, seconds);

// ── 2. the three rates of a street over the year before the reference date ──
const to = new Date(Date.parse(`${REFERENCE_DATE}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const from = `${Number(REFERENCE_DATE.slice(0, 4)) - 1}${REFERENCE_DATE.slice(4)}`;
const ratesPath = (street: string) => `/api/v1/cases/rates?scopeCode=${street}&from=${from}&to=${to}`;
const adminAuth = { authorization: `Bearer ${adminToken}` };
const check = await fetch(`http://127.0.0.1:${port}${ratesPath(streets[0]!)}`, { headers: adminAuth });
const sample = await check.json() as { counts?: { reported: number }; responseRate?: number; resolutionRate?: number; satisfactionRate?: number };
for (const street of streets) await fetch(`http://127.0.0.1:${port}${ratesPath(street)}`, { headers: adminAuth }).then((r) => r.arrayBuffer());
const rates = await runLoad(port, RATE_CONC, seconds, () => ({ method: 'GET', path: ratesPath(pick(streets)), headers: adminAuth }));
const start = `${from}T00:00:00+08:00`;
const end = `${REFERENCE_DATE}T00:00:00+08:00`;
const ratesSql = pgbench(url, `\\set i random(1, ${streets.length})
select count(*) filter (where c.state <> 'merged') as reported,
  count(*) filter (where c.state <> 'merged' and (c.responded_at is not null or c.accept_deadline < now())) as response_due,
  count(*) filter (where c.state <> 'merged' and (c.responded_at is not null or c.accept_deadline < now()) and c.responded_at <= c.accept_deadline) as responded_on_time,
  count(*) filter (where c.state <> 'merged' and c.accepted_at is not null) as accepted,
  count(*) filter (where c.state <> 'merged' and c.accepted_at is not null and c.resolved_at is not null) as resolved,
  count(*) filter (where c.state <> 'merged' and c.satisfaction is not null) as rated,
  count(*) filter (where c.state <> 'merged' and c.satisfaction in ('satisfied', 'basically')) as satisfied,
  count(*) filter (where c.state in ('reported', 'handling', 'resolved', 'rating')) as open,
  count(*) filter (where c.state in ('reported', 'handling', 'resolved') and c.step_deadline < now()) as overdue
from civic_case c where c.street_code = (select code from bench_case_street where i = :i)
  and c.reported_at >= '${start}' and c.reported_at < '${end}';
`, RATE_CONC, seconds);
const perStreet = await one<{ avg: number; max: number }>(`select avg(n)::int as avg, max(n)::int as max from (select count(*) as n from civic_case
  where reported_at >= $1 and reported_at < $2 group by street_code) s`, [start, end]);

// ── report ──
const pct = (x: number | undefined) => (x === undefined || x === null ? '—' : `${(x * 100).toFixed(1)} %`);
console.log('create with routing (POST /api/v1/cases, residents\' 随手拍 at random points in random micro-grids of the city)');
console.log(`  ${'POST /api/v1/cases'.padEnd(46)} ${fmt(create)}`);
console.log(`  ${'pgbench: the same transaction\'s SQL, same points'.padEnd(46)} ${fmt(txSql)}`);
console.log(`  ${'pgbench: locate SQL alone, same points'.padEnd(46)} ${fmt(locateSql)}`);
console.log(`    ratio HTTP / pgbench transaction ${(create.rps / txSql.rps).toFixed(2)} (goal ≥ 0.5), HTTP / locate ${(create.rps / locateSql.rps).toFixed(2)}; ${(created.n - created0.n).toLocaleString('en')} cases created in the measured run, `
  + `${created.routed === created.n ? 'every one' : `${created.routed} of ${created.n}`} routed to the micro-grid its point was drawn in`);
console.log(`    CPU per filing: server ${createCpu.server.toFixed(2)} ms (its load generator included) + PostgreSQL ${createCpu.postgres.toFixed(2)} ms; `
  + `per pgbench transaction: pgbench ${txCpu.children.toFixed(2)} ms + PostgreSQL ${txCpu.postgres.toFixed(2)} ms`);
console.log(`the three rates of a street over a year (${from} … ${to}; ${perStreet.avg.toLocaleString('en')} cases per street on average, up to ${perStreet.max.toLocaleString('en')})`);
console.log(`  e.g. ${streets[0]}: ${sample.counts?.reported ?? '?'} cases, 响应率 ${pct(sample.responseRate)}, 解决率 ${pct(sample.resolutionRate)}, 满意率 ${pct(sample.satisfactionRate)}`
  + (check.ok ? '' : ` (HTTP ${check.status})`));
console.log(`  ${'GET /api/v1/cases/rates (warm, every street)'.padEnd(46)} ${fmt(rates)}`);
console.log(`  ${'pgbench: the bare aggregate, same streets'.padEnd(46)} ${fmt(ratesSql)}`);
console.log('goals');
console.log(`  ${create.rps / txSql.rps >= 0.5 && !create.errors ? 'met   ' : 'MISSED'} case creation ${(create.rps / txSql.rps).toFixed(2)} of pgbench running its transaction's SQL (goal ≥ 0.5)`);
console.log(`  ${rates.p95 <= 100 && !rates.errors ? 'met   ' : 'MISSED'} rates of a street over a year: p95 ${rates.p95.toFixed(1)} ms warm (goal ≤ 100 ms)`);
if (create.errors) console.log(`  note: ${create.errors} creation requests did not answer 201`);

await fetch(`http://127.0.0.1:${port}/api/v1/auth/logout`, { method: 'POST', headers: { ...adminAuth, connection: 'close' } }).catch(() => undefined);
clearInterval(sealing);
await app.close();
const sealed = await sequencer.round(true);
console.log(`audit: ${sealed.headSeq.toLocaleString('en')} records sealed in the chain after the run`);
rmSync(benchDir, { recursive: true, force: true });
await cleanup();
await database.exec('vacuum (analyze) civic_case, civic_case_step');
await database.close();
