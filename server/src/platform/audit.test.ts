import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import pg from 'pg';
import { createTestContext, type TestContext } from '../../../test/helpers.js';
import { APP_ROLE } from '../../../test/template.js';
import { appDatabaseUrl } from './db/app-role.js';
import {
  auditSequencer, GENESIS_HASH, loadAuditKeys, readCheckpoints, sealAll, sealAuditLog, sealHash, verifyAuditChain, type AuditKeys,
} from './audit-chain.js';

const onPostgres = Boolean(process.env.DATABASE_URL);

describe('audit log: appended freely, sealed into a keyed chain, checked against signed checkpoints', () => {
  let t: TestContext;
  let admin: string;
  let keys: AuditKeys;
  const q = <R>(text: string, params?: unknown[]) => t.database.query<R>(text, params);
  /** Writes as the owner would behind the triggers' back (the app's own role cannot: see the last test). */
  const asOwner = (script: string) => t.database.exec(`
    alter table audit_log disable trigger user; alter table audit_seal disable trigger user; alter table audit_batch disable trigger user;
    ${script};
    alter table audit_log enable trigger user; alter table audit_seal enable trigger user; alter table audit_batch enable trigger user;`);
  const rename = (i: number) => t.call(admin, 'PATCH', '/api/v1/territory/nodes/330108001002', { name: `水电社区${i}` });

  beforeAll(async () => {
    t = await createTestContext();
    admin = await t.login('admin');
    keys = loadAuditKeys(t.config.auditKeyFile);
  });
  afterAll(async () => t.close());

  it('records a write with who, what, target and the change, and seals it when the sequencer runs', async () => {
    const res = await t.call(admin, 'PATCH', '/api/v1/territory/nodes/330108001001', { name: '西陵社区（测试）' });
    expect(res.statusCode).toBe(200);
    const list = async () => (await t.call(admin, 'GET', '/api/v1/audit?action=territory.update&limit=1')).json().items[0];
    const entry = await list();
    expect(entry).toMatchObject({ actorUsername: 'admin', action: 'territory.update', targetType: 'territory_node', targetId: '330108001001', seq: null, hash: null });
    expect(entry.summary.name).toEqual(['西陵社区', '西陵社区（测试）']);
    const sealed = await sealAll(t.database.db, keys);
    expect(sealed.leader).toBe(true);
    expect(await list()).toMatchObject({ id: entry.id, seq: sealed.headSeq, hash: sealed.headHash });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of records, seals and batches in the database itself', async () => {
    for (const table of ['audit_log', 'audit_seal', 'audit_batch']) {
      await expect(t.database.query(`update ${table} set ${table === 'audit_log' ? "action = 'x'" : table === 'audit_seal' ? "hash = 'x'" : "head_hash = 'x'"}`)).rejects.toThrow(/append-only/);
      await expect(t.database.query(`delete from ${table}`)).rejects.toThrow(/append-only/);
      await expect(t.database.query(`truncate ${table} cascade`)).rejects.toThrow(/append-only/);
    }
  });

  it('stamps the time and the transaction itself: a writer cannot backdate a record', async () => {
    await q(`insert into audit_log (action, at) values ('test.backdated', '2001-01-01T00:00:00Z')`);
    const [row] = await q<{ at: Date }>(`select at from audit_log where action = 'test.backdated'`);
    expect(row!.at.getFullYear()).toBeGreaterThanOrEqual(2026);
  });

  it('verifies the chain and its checkpoints; an edited record is caught even when the chain is recomputed', async () => {
    for (let i = 0; i < 3; i++) expect((await rename(i)).statusCode).toBe(200);
    const sequencer = auditSequencer(t.database.db, { keys, checkpointFile: t.config.auditCheckpointFile, checkpointSeconds: 60 });
    await sequencer.round(true);
    const checkpoints = readCheckpoints(t.config.auditCheckpointFile);
    expect(checkpoints.length).toBeGreaterThanOrEqual(1);
    const before = await verifyAuditChain(t.database.db, keys, checkpoints);
    expect(before).toMatchObject({ ok: true, unsealed: 0 });
    expect(before.records).toBeGreaterThanOrEqual(4);

    // The owner edits record 2 behind the triggers: its seal no longer matches.
    const [second] = await q<{ audit_id: number }>('select audit_id from audit_seal where seq = 2');
    await asOwner(`update audit_log set summary = '{"forged":true}' where id = ${second!.audit_id}`);
    expect(await verifyAuditChain(t.database.db, keys, checkpoints)).toMatchObject({ ok: false, firstBadSeq: 2, reason: 'record content does not match its seal' });

    // …and recomputes every seal from there on. Without the key (here: a guessed one) the HMACs are wrong.
    const recompute = async (key: Buffer) => {
      const rows = await q<{ seq: number; canonical: string }>(`select s.seq, audit_log_canonical(a) as canonical
        from audit_seal s join audit_log a on a.id = s.audit_id order by s.seq`);
      let prev = GENESIS_HASH;
      const updates: string[] = [];
      for (const r of rows) {
        const hash = sealHash(key, r.seq, prev, r.canonical);
        updates.push(`update audit_seal set prev_hash = '${prev}', hash = '${hash}' where seq = ${r.seq}`);
        prev = hash;
      }
      await asOwner(updates.join(';\n'));
    };
    await recompute(Buffer.alloc(32, 7));
    expect(await verifyAuditChain(t.database.db, keys, checkpoints)).toMatchObject({ ok: false, firstBadSeq: 1 });
    // Even with the stolen HMAC key the rebuilt chain no longer ends in the head the signed checkpoint holds.
    await recompute(keys.hmacKey);
    const rebuilt = await verifyAuditChain(t.database.db, keys, checkpoints);
    expect(rebuilt.ok).toBe(false);
    expect(rebuilt.reason).toMatch(/checkpoint/);
    // Without any checkpoint it would have passed: the checkpoints are what catch a rebuilt chain.
    expect((await verifyAuditChain(t.database.db, keys, [])).ok).toBe(true);
  });

  it('detects the newest records deleted together with their seals', async () => {
    const fresh = await createTestContext();
    try {
      const token = await fresh.login('admin');
      const freshKeys = loadAuditKeys(fresh.config.auditKeyFile);
      const sequencer = auditSequencer(fresh.database.db, { keys: freshKeys, checkpointFile: fresh.config.auditCheckpointFile, checkpointSeconds: 3600 });
      for (let i = 0; i < 4; i++) await fresh.call(token, 'PATCH', '/api/v1/territory/nodes/330108001002', { name: `水电${i}` });
      await sequencer.round(true);
      const checkpoints = readCheckpoints(fresh.config.auditCheckpointFile);
      const head = checkpoints.at(-1)!;
      expect((await verifyAuditChain(fresh.database.db, freshKeys, checkpoints)).ok).toBe(true);
      await fresh.database.exec(`
        alter table audit_log disable trigger user; alter table audit_seal disable trigger user;
        create temp table gone as select audit_id from audit_seal where seq > ${head.seq - 2};
        delete from audit_seal where seq > ${head.seq - 2};
        delete from audit_log where id in (select audit_id from gone);
        alter table audit_log enable trigger user; alter table audit_seal enable trigger user;`);
      const report = await verifyAuditChain(fresh.database.db, freshKeys, checkpoints);
      expect(report).toMatchObject({ ok: false, firstBadSeq: head.seq - 1 });
      expect(report.reason).toMatch(/newest records were removed/);
    } finally {
      await fresh.close();
    }
  });

  it('refuses a checkpoint whose signature does not verify', async () => {
    const [c] = readCheckpoints(t.config.auditCheckpointFile);
    const forged = { ...c!, seq: c!.seq + 1 };
    const report = await verifyAuditChain(t.database.db, keys, [forged]);
    expect(report.ok).toBe(false);
    expect(report.reason).toMatch(/invalid signature/);
  });

  it.runIf(onPostgres)('seals rows committed out of order in one consistent order, and lets one sequencer at a time seal', async () => {
    const fresh = await createTestContext();
    const url = (await fresh.database.query<{ db: string }>('select current_database() as db'))[0]!.db;
    const connect = async () => {
      const u = new URL(process.env.DATABASE_URL!);
      u.pathname = `/${url}`;
      const c = new pg.Client({ connectionString: appDatabaseUrl(u.toString(), null, APP_ROLE) });
      await c.connect();
      return c;
    };
    const [a, b] = [await connect(), await connect()];
    try {
      const k = loadAuditKeys(fresh.config.auditKeyFile);
      await sealAll(fresh.database.db, k);
      await a.query('begin');
      const [first] = (await a.query(`insert into audit_log (action) values ('test.slow') returning id`)).rows as { id: number }[];
      await b.query(`insert into audit_log (action) values ('test.fast')`); // a later id, committed first
      // While another sequencer holds the round, this one seals nothing and says so.
      await b.query('begin');
      await b.query('select pg_advisory_xact_lock(7245002)');
      expect(await sealAuditLog(fresh.database.db, k)).toMatchObject({ leader: false, sealed: 0 });
      await b.query('commit');
      expect(await sealAuditLog(fresh.database.db, k)).toMatchObject({ leader: true, sealed: 1 });
      await a.query('commit');
      expect(await sealAuditLog(fresh.database.db, k)).toMatchObject({ leader: true, sealed: 1 });
      const order = await fresh.database.query<{ action: string; id: number }>(`select a.action, a.id from audit_seal s join audit_log a on a.id = s.audit_id
        where a.action like 'test.%' order by s.seq`);
      expect(order.map((r) => r.action)).toEqual(['test.fast', 'test.slow']);
      expect(order[1]!.id).toBe(Number(first!.id));
      expect(await verifyAuditChain(fresh.database.db, k)).toMatchObject({ ok: true, unsealed: 0 });
    } finally {
      await a.end(); await b.end();
      await fresh.close();
    }
  });

  it.runIf(onPostgres)('never leaves a committed record unsealed, whatever the interleaving of writers and sequencer runs', async () => {
    const fresh = await createTestContext();
    const dbName = (await fresh.database.query<{ db: string }>('select current_database() as db'))[0]!.db;
    const u = new URL(process.env.DATABASE_URL!);
    u.pathname = `/${dbName}`;
    const clients = await Promise.all([0, 1, 2].map(async () => {
      const c = new pg.Client({ connectionString: appDatabaseUrl(u.toString(), null, APP_ROLE) });
      await c.connect();
      return c;
    }));
    const k = loadAuditKeys(fresh.config.auditKeyFile);
    try {
      // A step: a writer begins, appends, commits or rolls back; or the sequencer runs (with a small batch size).
      const step = fc.oneof(
        fc.record({ kind: fc.constant('write' as const), who: fc.integer({ min: 0, max: 2 }), rows: fc.integer({ min: 1, max: 3 }) }),
        fc.record({ kind: fc.constantFrom('commit' as const, 'rollback' as const), who: fc.integer({ min: 0, max: 2 }) }),
        fc.record({ kind: fc.constant('seal' as const), batch: fc.integer({ min: 1, max: 4 }) }),
      );
      let run = 0;
      await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        run += 1;
        let tags = 0;
        const open = [false, false, false];
        const committed = new Set<string>();
        const pending: string[][] = [[], [], []];
        for (const s of steps) {
          if (s.kind === 'seal') { await sealAuditLog(fresh.database.db, k, s.batch); continue; }
          const c = clients[s.who]!;
          if (s.kind === 'write') {
            if (!open[s.who]) { await c.query('begin'); open[s.who] = true; }
            for (let i = 0; i < s.rows; i++) {
              const tag = `p${run}.${s.who}.${(tags += 1)}`; // unique across the run: a writer writes again after a commit
              await c.query(`insert into audit_log (action, target_id) values ('test.prop', $1)`, [tag]);
              pending[s.who]!.push(tag);
            }
          } else if (open[s.who]) {
            await c.query(s.kind);
            if (s.kind === 'commit') pending[s.who]!.forEach((tag) => committed.add(tag));
            pending[s.who] = [];
            open[s.who] = false;
          }
        }
        for (let who = 0; who < 3; who++) {
          if (open[who]) { await clients[who]!.query('commit'); pending[who]!.forEach((tag) => committed.add(tag)); pending[who] = []; }
        }
        await sealAll(fresh.database.db, k, 3);
        const sealed = await fresh.database.query<{ target_id: string; n: number }>(`select a.target_id, count(s.seq)::int as n
          from audit_log a left join audit_seal s on s.audit_id = a.id where a.action = 'test.prop' and a.target_id like $1 group by 1`, [`p${run}.%`]);
        expect(sealed.every((r) => r.n === 1)).toBe(true); // each committed record sealed exactly once
        expect(new Set(sealed.map((r) => r.target_id))).toEqual(committed); // and nothing rolled back
      }), { numRuns: 25 });
      expect(await verifyAuditChain(fresh.database.db, k)).toMatchObject({ ok: true, unsealed: 0 });
    } finally {
      await Promise.all(clients.map((c) => c.end()));
      await fresh.close();
    }
  });

  it.runIf(onPostgres)('runs the app as a role that owns nothing: it cannot rewrite the audit log or disable its triggers', async () => {
    const [{ current_user: who }] = (await t.app.linli.database.query<{ current_user: string }>('select current_user')) as [{ current_user: string }];
    expect(who).toBe(APP_ROLE);
    const app = t.app.linli.database;
    await expect(app.query(`update audit_log set action = 'x'`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`delete from audit_seal`)).rejects.toThrow(/permission denied/);
    await expect(app.exec('alter table audit_log disable trigger audit_log_no_update')).rejects.toThrow(/must be owner/);
    await expect(app.exec('alter table audit_seal disable trigger user')).rejects.toThrow(/must be owner/);
    const [owned] = await app.query<{ n: number }>(`select count(*)::int as n from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = current_user`);
    expect(owned!.n).toBe(0);
  });
});
