import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/helpers.js';
import { verifyAuditChain } from './audit.js';

describe('audit log: append-only and hash-chained', () => {
  let t: TestContext;
  let admin: string;
  beforeAll(async () => {
    t = await createTestContext();
    admin = await t.login('admin');
  });
  afterAll(async () => t.close());

  it('records a write with who, what, target and the change', async () => {
    const res = await t.call(admin, 'PATCH', '/api/v1/territory/nodes/330108001001', { name: '西陵社区（测试）' });
    expect(res.statusCode).toBe(200);
    const audit = await t.call(admin, 'GET', '/api/v1/audit?action=territory.update&limit=1');
    const [entry] = audit.json().items;
    expect(entry).toMatchObject({ actorUsername: 'admin', action: 'territory.update', targetType: 'territory_node', targetId: '330108001001' });
    expect(entry.summary.name).toEqual(['西陵社区', '西陵社区（测试）']);
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    await expect(t.database.query(`update audit_log set action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.database.query(`delete from audit_log`)).rejects.toThrow(/append-only/);
    await expect(t.database.query(`truncate audit_log`)).rejects.toThrow(/append-only/);
  });

  it('verifies the chain, and detects a record altered behind the triggers', async () => {
    for (let i = 0; i < 3; i++) {
      await t.call(admin, 'PATCH', '/api/v1/territory/nodes/330108001002', { name: `水电社区${i}` });
    }
    const before = await verifyAuditChain(t.database.db);
    expect(before.ok).toBe(true);
    expect(before.records).toBeGreaterThanOrEqual(4);
    // A superuser who disables the trigger can still change a row — the chain then exposes it.
    await t.database.exec(`alter table audit_log disable trigger audit_log_no_update;
      update audit_log set summary = '{"forged":true}' where seq = 2;
      alter table audit_log enable trigger audit_log_no_update;`);
    const after = await verifyAuditChain(t.database.db);
    expect(after).toMatchObject({ ok: false, firstBadSeq: 2 });
  });
});
