import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/helpers.js';

/** A database check that catches what the schema let through answers 400 naming the field, never with SQL text. */
describe('constraint failures that reach the database', () => {
  let t: TestContext;
  let staff: string;
  beforeAll(async () => {
    t = await createTestContext();
    staff = await t.login('community.330108001001');
  });
  afterAll(async () => t.close());

  it('answers 400 VALIDATION with the field and no SQL, and writes nothing', async () => {
    const [before] = await t.database.query<{ n: number }>('select count(*)::int as n from service_task');
    // two characters for the schema, one after the service trims it: the table's length check refuses it
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const later = new Date(Date.now() + 7_200_000).toISOString();
    const res = await t.call(staff, 'POST', '/api/v1/service/tasks', { title: ' 修', size: 'micro', scopeCode: '330108001001', capacity: 5, startsAt: soon, endsAt: later });
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error).toEqual({ code: 'VALIDATION', field: 'title', message: 'title: 取值不符合规则' });
    expect(error.message).not.toMatch(/constraint|relation|violates|service_task/);
    const [after] = await t.database.query<{ n: number }>('select count(*)::int as n from service_task');
    expect(after!.n).toBe(before!.n);
  });
});
