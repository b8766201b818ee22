/**
 * `npx tsx bench/import.ts`: imports 1,000,000 residents from a CSV through the real route (POST /api/v1/imports,
 * multipart, in-process) on PostgreSQL and prints rows/s, elapsed and peak RSS, next to a baseline from the same
 * run: COPY of the same file into a plain table through psql (the raw load rate of the server).
 * Works on a scratch copy of the city dataset (`create database linli_import_bench template linli_city`), dropped
 * at the end; linli_city itself is never written.
 *   BENCH_ROWS    rows (default 1000000)
 *   ADMIN_URL     default postgres://postgres@127.0.0.1:5432/postgres
 *   LINLI_IMPORT_PROFILE=1  also print the importer's time per phase (parse, validate, each SQL statement, waits)
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { openDatabase } from '../server/src/platform/db/index.js';
import { makeIdNumber } from '../server/src/platform/idcard.js';
import { waitForImports } from '../server/src/modules/imports/imports.service.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const adminUrl = process.env.ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SCRATCH = 'linli_import_bench';
const scratchUrl = adminUrl.replace(/\/[^/]*$/, `/${SCRATCH}`);

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try { await client.query(sql); } finally { await client.end(); }
}

let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 100);
const mib = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;

await admin(`drop database if exists ${SCRATCH} with (force)`);
let t0 = performance.now();
await admin(`create database ${SCRATCH} template linli_city`);
console.log(`scratch database from linli_city in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const csvPath = join(tmpdir(), `linli-bench-residents-${process.pid}.csv`);
const database = await openDatabase({ url: scratchUrl, poolSize: 6 });
try {
  // rooms to live in (real rooms), addressed by compound code + '3-2-501' / '3幢2单元501室' forms
  const rooms = await database.query<{ code: string }>(`select code from territory_node where kind = 'room' order by code limit 200000`);
  console.log(`${rooms.length} rooms sampled`);
  t0 = performance.now();
  const out = createWriteStream(csvPath);
  out.write('\ufeff姓名,身份证号,手机号,小区,地址,与房屋关系,迁入日期,关注标签\n');
  const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
  const given = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华';
  const relations = ['业主', '家庭成员', '租客', '户籍人口', '流动人口'];
  const base = Date.UTC(1940, 0, 1);
  for (let i = 0; i < ROWS; i++) {
    const day = i % 25000;
    const birth = new Date(base + day * 86400000).toISOString().slice(0, 10);
    const idNumber = makeIdNumber({ area: '330108', birthDate: birth, sequence: 500 + Math.floor(i / 25000) });
    const room = rooms[i % rooms.length]!.code;
    const b = Number(room.slice(-11, -8)), u = Number(room.slice(-7, -5)), r = Number(room.slice(-4));
    const address = i % 2 ? `${b}-${u}-${r}` : `${b}幢${u}单元${r}室`;
    const name = surnames[i % surnames.length]! + given[(i * 7) % given.length]! + (i % 3 ? given[(i * 13) % given.length]! : '');
    const line = `${name},${idNumber},1${3 + (i % 7)}${String(i).padStart(9, '0')},${room.slice(0, 16)},${address},${relations[i % 5]},2015-06-01,${i % 50 === 0 ? '独居老人' : ''}\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  const size = (await stat(csvPath)).size;
  console.log(`generated ${ROWS} rows (${mib(size)}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // baseline: COPY of the same file into a plain table
  let baseline = 'psql not found';
  try {
    await database.exec(`create table import_bench_raw (name text, id_number text, mobile text, compound text, address text, relation text, moved_in text, tags text)`);
    t0 = performance.now();
    execFileSync('psql', [scratchUrl, '-q', '-c', `\\copy import_bench_raw from '${csvPath}' with (format csv, header true)`]);
    const s = (performance.now() - t0) / 1000;
    baseline = `COPY into a plain table: ${s.toFixed(1)} s, ${Math.round(ROWS / s).toLocaleString('en')} rows/s`;
    await database.exec('drop table import_bench_raw');
  } catch (err) { baseline = `baseline failed: ${(err as Error).message}`; }

  const config = loadConfig({ ...process.env, DATABASE_URL: scratchUrl, LINLI_DEMO: '1', LINLI_SEED: 'none' }, { webDist: '/nonexistent' });
  const app = await buildApp(database, config, { logger: false });
  await app.ready();
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'Linli@2026', client: 'api' } });
  const token = login.json().token as string;
  const boundary = '----linlibench';
  const body = new PassThrough();
  body.write(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nresidents\r\n--${boundary}\r\nContent-Disposition: form-data; name="mode"\r\n\r\nall_or_nothing\r\n`);
  body.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="residents.csv"\r\nContent-Type: text/csv\r\n\r\n`);
  const file = createReadStream(csvPath);
  file.pipe(body, { end: false });
  file.on('end', () => body.end(`\r\n--${boundary}--\r\n`));
  peakRss = process.memoryUsage().rss;
  const counts = async () => (await database.query<{ persons: number; residences: number; households: number }>(`select
    (select count(*)::int from person) as persons, (select count(*)::int from residence) as residences,
    (select count(*)::int from household) as households`))[0]!;
  const before = await counts();
  const persons0 = before.persons;
  t0 = performance.now();
  const res = await app.inject({ method: 'POST', url: '/api/v1/imports', headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
  if (res.statusCode !== 202) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
  const uploaded = (performance.now() - t0) / 1000;
  const id = res.json().id as string;
  const poll = setInterval(async () => {
    const j = (await app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: { authorization: `Bearer ${token}` } })).json();
    console.log(`  … ${j.status} processed ${j.processed} (${((performance.now() - t0) / 1000).toFixed(0)} s, rss ${mib(process.memoryUsage().rss)})`);
  }, 10000);
  await waitForImports();
  clearInterval(poll);
  const elapsed = (performance.now() - t0) / 1000;
  const job = (await app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: { authorization: `Bearer ${token}` } })).json();
  const after = await counts();
  const persons1 = after.persons;
  clearInterval(sampler);
  console.log(`\nimport of ${ROWS.toLocaleString('en')} residents (CSV, ${mib(size)}) through POST /api/v1/imports on PostgreSQL:`);
  console.log(`  status ${job.status}: imported ${job.imported}, updated ${job.updated}, rejected ${job.rejected} (${job.message})`);
  console.log(`  persons ${persons0} → ${persons1}; residences ${before.residences} → ${after.residences}; households ${before.households} → ${after.households}`);
  console.log(`  upload ${uploaded.toFixed(1)} s; elapsed ${elapsed.toFixed(1)} s; ${Math.round(ROWS / elapsed).toLocaleString('en')} rows/s; peak RSS ${mib(peakRss)}`);
  console.log(`  goal: ≤ 120 s and ≤ 1024 MiB → ${elapsed <= 120 && peakRss <= 1 << 30 ? 'met' : 'NOT met'}`);
  console.log(`  baseline (same run): ${baseline}`);
  await app.close();
} finally {
  clearInterval(sampler);
  await database.close().catch(() => undefined);
  await rm(csvPath, { force: true });
  await admin(`drop database if exists ${SCRATCH} with (force)`);
}
