/**
 * Slots under real concurrency: many members claim at the same moment over real HTTP (app.listen + fetch), the
 * server holding a wide connection pool on PostgreSQL (the embedded engine serialises, and must still be exact).
 * Slots are never over-filled, a member never holds a task twice, a retried request never claims twice, and a
 * team claim is all or nothing.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { openDatabase, type Database } from '../../platform/db/index.js';
import { DEMO_PASSWORD, type TestContext } from '../../../../test/helpers.js';
import { adminQuery, readTarball, templateName, withDatabase } from '../../../../test/template.js';
import { buildMembers, buildTeam, inHours, XIXING, type Member } from './test-factory.js';

const POOL = 40;

/** A copy of the template with a wide pool (the shared helper opens 8 connections). */
async function openWide(): Promise<{ database: Database; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `linli_t_${randomBytes(6).toString('hex')}`;
    await adminQuery(url, `create database ${name} template ${templateName(url)}`);
    const database = await openDatabase({ url: withDatabase(url, name), poolSize: POOL });
    return { database, drop: async () => { await database.close(); await adminQuery(url, `drop database if exists ${name} with (force)`); } };
  }
  const database = await openDatabase({ dataDir: 'memory://', loadDataDir: readTarball() });
  return { database, drop: () => database.close() };
}

describe('claims under concurrency', () => {
  let app: FastifyInstance;
  let t: TestContext;
  let base: string;
  let staff: string;
  let members: Member[];
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);

  beforeAll(async () => {
    const { database, drop } = await openWide();
    const config = loadConfig({ ...process.env, LINLI_DEMO: '1', LINLI_SEED: 'none' }, { webDist: '/nonexistent', sessionCacheSeconds: 60 });
    app = await buildApp(database, config, { logger: false });
    // 2,000 connections open at once: with Node's default accept backlog (511) a busy machine overflows the queue and
    // the kernel resets the connections it dropped (ECONNRESET), which says nothing about the claims
    await app.listen({ port: 0, host: '127.0.0.1', backlog: 4096 });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const call: TestContext['call'] = (token, method, url, body, headers = {}) => app.inject({ method: method as 'GET', url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }, ...(body !== undefined ? { payload: body as object } : {}) });
    t = {
      app, database, config, call,
      async login(username, password = DEMO_PASSWORD) {
        const res = await call(null, 'POST', '/api/v1/auth/login', { username, password, client: 'api' });
        if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode}`);
        return res.json().token as string;
      },
      async close() { await app.close(); await drop(); },
    };
    staff = await t.login(`street.${XIXING}`);
    members = await buildMembers(t, 200);
  }, 180_000);
  afterAll(async () => t?.close());

  /** A claim over real HTTP. */
  const claim = async (token: string, taskId: number, body: unknown = {}, key?: string) => {
    const res = await fetch(`${base}/api/v1/service/tasks/${taskId}/claims`, {
      method: 'POST', body: JSON.stringify(body),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    });
    const json = (await res.json()) as { id?: number; error?: { code: string } };
    return { status: res.status, id: json.id ?? null, code: json.error?.code ?? null };
  };

  const newTask = async (capacity: number, title = '应急值守') => {
    const res = await t.call(staff, 'POST', '/api/v1/service/tasks', { title, size: 'micro', scopeCode: XIXING, capacity,
      startsAt: inHours(1), endsAt: inHours(6), emergency: true });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };

  const counts = async (taskIds: number[]) => q<{ id: number; claimed: number; rows: number; members: number }>(`
    select t.id::int, t.claimed, count(c.id)::int as rows, count(distinct c.force_id)::int as members
    from service_task t left join task_claim c on c.task_id = t.id and c.status <> 'cancelled'
    where t.id = any($1) group by t.id order by t.id`, [taskIds]);

  it('200 members hit a 50-slot task at once: exactly 50 claims, everyone else FULL', async () => {
    const task = await newTask(50);
    const results = await Promise.all(members.map((m) => claim(m.token, task)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(50);
    expect(results.filter((r) => r.status === 409 && r.code === 'FULL')).toHaveLength(150);
    expect(await counts([task])).toEqual([{ id: task, claimed: 50, rows: 50, members: 50 }]);
    const winners = new Set(results.filter((r) => r.status === 201).map((r) => r.id));
    expect(winners.size).toBe(50);
  });

  it('100 members × 20 tasks of 5 slots, all at once: every task exactly full, nobody twice on a task', async () => {
    const tasks: number[] = [];
    for (let i = 0; i < 20; i += 1) tasks.push(await newTask(5, `应急任务 ${i + 1}`));
    const crowd = members.slice(0, 100);
    const attempts = crowd.flatMap((m, i) => tasks.map((_, j) => ({ m, task: tasks[(i + j) % tasks.length]! })));
    const results = await Promise.all(attempts.map(({ m, task }) => claim(m.token, task)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(100);
    expect(results.every((r) => r.status === 201 || (r.status === 409 && r.code === 'FULL'))).toBe(true);
    const c = await counts(tasks);
    expect(c).toEqual(tasks.map((id) => ({ id, claimed: 5, rows: 5, members: 5 })));
    const dup = await q<{ n: number }>(`select count(*)::int as n from (select task_id, force_id from task_claim where task_id = any($1)
      and status <> 'cancelled' group by 1, 2 having count(*) > 1) d`, [tasks]);
    expect(dup[0]!.n).toBe(0);
  });

  it('parallel retries with the same Idempotency-Key claim once; parallel repeats without a key get ALREADY_DONE', async () => {
    const task = await newTask(30);
    const keyed = members.slice(0, 10);
    const results = await Promise.all(keyed.flatMap((m) => Array.from({ length: 5 }, () => claim(m.token, task, {}, `wave-${task}-${m.forceId}`)
      .then((r) => ({ m, r })))));
    for (const m of keyed) {
      const mine = results.filter((x) => x.m === m).map((x) => x.r);
      expect(mine.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(mine.map((r) => r.id)).size).toBe(1);
    }
    const unkeyed = members.slice(10, 20);
    const plain = await Promise.all(unkeyed.flatMap((m) => Array.from({ length: 4 }, () => claim(m.token, task).then((r) => ({ m, r })))));
    for (const m of unkeyed) {
      const mine = plain.filter((x) => x.m === m).map((x) => x.r.status).sort();
      expect(mine).toEqual([201, 409, 409, 409]);
    }
    expect(await counts([task])).toEqual([{ id: task, claimed: 20, rows: 20, members: 20 }]);
  });

  it('team claims racing for the last slots are all or nothing', async () => {
    const task = await newTask(10);
    const teams: { leader: Member; mates: Member[]; id: number }[] = [];
    for (let i = 0; i < 5; i += 1) {
      const group = members.slice(100 + i * 3, 103 + i * 3);
      teams.push({ leader: group[0]!, mates: group, id: await buildTeam(t, group, `突击队${task}-${i}`) });
    }
    const results = await Promise.all(teams.map((team) => claim(team.leader.token, task, { teamId: team.id, memberIds: team.mates.map((m) => m.forceId) })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(results.filter((r) => r.status === 409 && r.code === 'FULL')).toHaveLength(2);
    const perTeam = await q<{ team_id: number; n: number }>(`select team_id::int, count(*)::int as n from task_claim where task_id = $1
      and status <> 'cancelled' group by 1`, [task]);
    expect(perTeam.every((r) => r.n === 3)).toBe(true);
    expect(await counts([task])).toEqual([{ id: task, claimed: 9, rows: 9, members: 9 }]);
  });

  it('a member cancelling while others claim never lets the task over-fill', async () => {
    const task = await newTask(5);
    const first = members.slice(150, 155);
    for (const m of first) expect((await claim(m.token, task)).status).toBe(201);
    const others = members.slice(155, 175);
    const cancels = first.map((m) => fetch(`${base}/api/v1/service/tasks/${task}/claims/mine`, { method: 'DELETE',
      headers: { authorization: `Bearer ${m.token}` } }).then((r) => r.status));
    const [cancelStatuses, results] = await Promise.all([Promise.all(cancels), Promise.all(others.map((m) => claim(m.token, task)))]);
    expect(cancelStatuses.every((s) => s === 200)).toBe(true);
    const won = results.filter((r) => r.status === 201).length;
    expect(won).toBeLessThanOrEqual(5);
    expect(await counts([task])).toEqual([{ id: task, claimed: won, rows: won, members: won }]);
  });
});
