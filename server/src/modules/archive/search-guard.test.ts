/**
 * Masking cannot be bypassed through search (platform/people-search.ts): a caller without people:unmask cannot read
 * a masked number back by searching growing suffixes; a partial number is an audited, counted unmasking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';

const GRID = '330108001001001';
const COMMUNITY = 'community.330108001001';
const REASON = '居民来电核实身份信息';

interface Resident { id: number; name: string; id_number: string; mobile: string }

describe('people search cannot unmask', () => {
  let t: TestContext;
  let grid: string;
  let community: string;
  let target: Resident;
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const partialAudits = async (userId?: number) => (await q<{ n: number }>(
    `select count(*)::int as n from audit_log where action = 'person_search.unmask' ${userId ? 'and actor_id = $1' : ''}`, userId ? [userId] : []))[0]!.n;
  const persons = (token: string, query: string) => t.call(token, 'GET', `/api/v1/archive/persons?limit=200&${query}`);
  const idsOf = (body: string): number[] => (JSON.parse(body).items ?? []).map((i: { id: number }) => i.id);

  beforeAll(async () => {
    // a high per-minute rate for the loops below; the rate itself is tested on its own
    t = await createTestContext({ unmaskPerHour: 2, searchPerMinute: 1000, numberMissesPerHour: 1000 });
    [grid, community] = await Promise.all([t.login(`grid.${GRID}`), t.login(COMMUNITY)]);
    // a real seeded resident the grid worker sees: lives in a building their grid serves
    target = (await q<Resident>(`
      select p.id::int as id, p.name, p.id_number, p.mobile from person p
      join residence r on r.person_id = p.id and r.moved_out is null
      join territory_node rn on rn.code = r.room_code join territory_node u on u.code = rn.parent_code join territory_node b on b.code = u.parent_code
      where (b.grid_code = $1 or b.micro_grid_code like $1 || '%') and p.mobile is not null and p.id_number is not null
      order by p.id limit 1`, [GRID]))[0]!;
    expect(target).toBeDefined();
  });
  afterAll(async () => t.close());

  /**
   * The attack: start from the digits the masked form shows (the last four), prepend 0…9 (and X for an ID's last
   * place), keep the digit whose search still finds the target, repeat. Returns what it recovered and every answer.
   */
  async function recoverBySuffix(token: string, shown: string, full: string, alphabet: string[]) {
    let known = shown;
    const answers: { q: string; status: number; code?: string; field?: string; found: boolean }[] = [];
    while (known.length < full.length) {
      let next: string | null = null;
      for (const d of alphabet) {
        const res = await persons(token, `q=${d}${known}`);
        const found = res.statusCode === 200 && idsOf(res.body).includes(target.id);
        answers.push({ q: `${d}${known}`, status: res.statusCode, code: res.json().error?.code, field: res.json().error?.field, found });
        if (found) { next = d + known; break; }
      }
      if (!next) break;
      known = next;
    }
    return { known, answers };
  }

  it('the digit-by-digit recovery of a mobile and an ID number fails for a grid worker, and says nothing', async () => {
    const me = await t.call(grid, 'GET', '/api/v1/auth/me');
    expect(me.json().permissions ?? []).not.toContain('people:unmask');
    const digits = [...'0123456789'];
    const mobile = await recoverBySuffix(grid, target.mobile.slice(-4), target.mobile, digits);
    const id = await recoverBySuffix(grid, target.id_number.slice(-4), target.id_number, [...digits, 'X']);
    for (const attempt of [mobile, id]) {
      expect(attempt.answers.length).toBeGreaterThan(0);
      // every digit string refused with the same answer, whether or not such a number exists ('X7250' is no number,
      // only a name that nobody has)
      for (const a of attempt.answers) {
        expect(a.found).toBe(false);
        if (/^[0-9]+$/.test(a.q)) expect(a).toEqual({ q: a.q, status: 400, code: 'VALIDATION', field: 'q', found: false });
      }
      expect(attempt.known.length).toBe(4); // never got past what the mask shows
    }
    expect(mobile.known).not.toBe(target.mobile);
    expect(id.known).not.toBe(target.id_number);
    // the refusal explains what may be searched
    const refused = await persons(grid, `q=${target.mobile.slice(-6)}`);
    expect(refused.json().error.message).toMatch(/^q: .*完整的 11 位手机号或 18 位身份证号.*后四位/);
    // a reason does not turn a grid worker into an unmask holder; nothing is audited as an unmasking
    expect((await persons(grid, `q=${target.mobile.slice(-6)}&reason=${encodeURIComponent(REASON)}`)).json().error.field).toBe('q');
    expect(await partialAudits()).toBe(0);
    // the export answers the same
    const exported = await persons(grid, `format=xlsx&q=${target.id_number.slice(-7)}`);
    expect(exported.statusCode).toBe(400);
    expect(exported.json().error.field).toBe('q');
    // short digit strings, and longer partial numbers prefixed by a name, find nothing either
    for (const text of [target.mobile.slice(-3), target.mobile.slice(-10), target.id_number.slice(0, 6), target.id_number.slice(0, 17)]) {
      expect((await persons(grid, `q=${text}`)).statusCode, text).toBe(400);
    }
    expect(idsOf((await persons(grid, `q=${encodeURIComponent(`${target.name}${target.mobile.slice(-6)}`)}`)).body)).toEqual([]);
  });

  it('a grid worker finds a resident by the whole mobile, the whole ID number, or a name with the last four', async () => {
    for (const text of [target.mobile, target.id_number, `${target.name} ${target.mobile.slice(-4)}`, `${target.mobile.slice(-4)} ${target.name}`,
      `${target.name.slice(0, 1)} ${target.mobile.slice(-4)}`]) {
      const res = await persons(grid, `q=${encodeURIComponent(text)}`);
      expect(res.statusCode, `${text}: ${res.body}`).toBe(200);
      expect(idsOf(res.body), text).toContain(target.id);
      expect(res.body).not.toContain(target.mobile);
      expect(res.body).not.toContain(target.id_number);
    }
    // the last four alone are a partial number
    expect((await persons(grid, `q=${target.mobile.slice(-4)}`)).statusCode).toBe(400);
    // a wrong name with the right last four finds nobody
    expect(idsOf((await persons(grid, `q=${encodeURIComponent(`龘 ${target.mobile.slice(-4)}`)}`)).body)).not.toContain(target.id);
    expect(await partialAudits()).toBe(0);
  });

  it('a partial number needs people:unmask and a reason, is audited masked with its matches, and counts as an unmasking', async () => {
    const [{ id: userId }] = await q<{ id: number }>(`select id::int as id from app_user where username = $1`, [COMMUNITY]) as [{ id: number }];
    const partial = target.mobile.slice(-7);
    for (const reason of ['', '&reason=', `&reason=${encodeURIComponent('看看')}`]) {
      const res = await persons(community, `q=${partial}${reason}`);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION', field: 'reason' });
    }
    expect(await partialAudits(userId)).toBe(0);

    const res = await persons(community, `q=${partial}&reason=${encodeURIComponent(REASON)}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(idsOf(res.body)).toContain(target.id);
    expect(res.body).not.toContain(target.mobile);
    const [audit] = await q<{ action: string; actor_id: number; summary: Record<string, unknown> }>(
      `select action, actor_id::int as actor_id, summary from audit_log where action = 'person_search.unmask' order by id desc limit 1`);
    expect(audit).toMatchObject({ action: 'person_search.unmask', actor_id: userId,
      summary: { source: 'archive.persons', q: `***${partial.slice(-4)}`, digits: 7, reason: REASON } });
    expect((audit!.summary.personIds as number[])).toContain(target.id);
    expect(audit!.summary.matches).toBe((audit!.summary.personIds as number[]).length);
    expect(JSON.stringify(audit)).not.toContain(partial);
    // listed in the admin's unmask log
    const admin = await t.login('admin');
    const log = (await t.call(admin, 'GET', '/api/v1/audit?action=unmask')).json().items;
    expect(log[0]).toMatchObject({ action: 'person_search.unmask', actorUsername: COMMUNITY });

    // limit 2 an hour: the search above, one unmasking, then both are refused
    const unmask = await t.call(community, 'POST', `/api/v1/archive/persons/${target.id}/unmask`, { reason: REASON, fields: ['mobile'] });
    expect(unmask.statusCode, unmask.body).toBe(200);
    const third = await persons(community, `q=${partial}&reason=${encodeURIComponent(REASON)}`);
    expect(third.statusCode).toBe(429);
    expect(third.json().error.code).toBe('RATE_LIMITED');
    expect(third.body).not.toContain(target.mobile);
    expect((await t.call(community, 'POST', `/api/v1/archive/persons/${target.id}/unmask`, { reason: REASON, fields: ['mobile'] })).statusCode).toBe(429);
    expect(await partialAudits(userId)).toBe(1);
    // whole numbers are not unmaskings and still work
    expect(idsOf((await persons(community, `q=${target.mobile}`)).body)).toContain(target.id);
  });

  it('every people search is rate-limited per user; whole-number guesses that miss are limited per hour', async () => {
    t.config.searchPerMinute = 5; // the app reads this same config object
    const street = await t.login('street.330108001'); // has not searched yet
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await persons(street, `q=${encodeURIComponent(target.name)}`)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await persons(street, 'q=zs');
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect(limited.json().error.message).toMatch(/每分钟最多 5 次/);
    // one count across the modules that search people
    expect((await t.call(street, 'GET', '/api/v1/archive/households?q=zs')).statusCode).toBe(429);
    expect((await t.call(street, 'GET', '/api/v1/forces/persons?q=zs')).statusCode).toBe(429);
    t.config.searchPerMinute = 1000;

    // guessing the hidden birth date of an ID number: each guess is a whole number that finds nobody
    t.config.numberMissesPerHour = 3;
    const guesses: number[] = [];
    const shown = target.id_number;
    for (let day = 1; day <= 5; day++) {
      const guess = `${shown.slice(0, 12)}${String(day).padStart(2, '0')}${shown.slice(14)}`;
      if (guess === shown) continue;
      guesses.push((await persons(street, `q=${guess}`)).statusCode);
    }
    expect(guesses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(guesses.slice(3).every((s) => s === 429)).toBe(true);
    t.config.numberMissesPerHour = 1000;
  });

  it('the same rule holds in the forces register (list and export) and in the households list', async () => {
    const [force] = await q<{ person_id: number; mobile: string; name: string }>(`select f.person_id::int as person_id, p.mobile, p.name from force_person f
      join person p on p.id = f.person_id where p.mobile is not null and f.community_code = '330108001001' order by f.id limit 1`);
    expect(force).toBeDefined();
    const forces = (token: string, query: string) => t.call(token, 'GET', `/api/v1/forces/persons?limit=200&${query}`);
    const personIds = (body: string): number[] => (JSON.parse(body).items ?? []).map((i: { personId: number }) => i.personId);
    for (const query of [`q=${force!.mobile.slice(-6)}`, `q=${force!.mobile.slice(-5)}&format=xlsx`, `q=${force!.mobile.slice(-8)}&reason=${encodeURIComponent(REASON)}`]) {
      const res = await forces(grid, query);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
      expect(res.json().error.field).toBe('q');
    }
    expect((await forces(community, `q=${force!.mobile.slice(-6)}`)).json().error.field).toBe('reason');
    expect(personIds((await forces(community, `q=${force!.mobile}`)).body)).toContain(force!.person_id);
    expect(personIds((await forces(community, `q=${encodeURIComponent(`${force!.name} ${force!.mobile.slice(-4)}`)}`)).body)).toContain(force!.person_id);
    // households search by address or head's name only
    const households = await t.call(grid, 'GET', `/api/v1/archive/households?q=${target.mobile.slice(-6)}`);
    expect(households.statusCode).toBe(400);
    expect(households.json().error.field).toBe('q');
  });

  it('orders and cases search only text they show in full: a resident\'s or reporter\'s number never matches', async () => {
    const street = await t.login('street.330108001');
    const [order] = await q<{ mobile: string }>(`select p.mobile from service_order o join person p on p.id = o.resident_person_id
      where p.mobile is not null and o.community_code like '330108001%' order by o.id limit 1`);
    if (order) {
      for (const text of [order.mobile.slice(-7), order.mobile]) {
        const res = await t.call(street, 'GET', `/api/v1/service/orders?q=${text}`);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().items).toEqual([]);
      }
    }
    // a case whose reporter left a phone number: neither part nor whole of it finds the case
    const phone = '13955551234';
    await q(`update civic_case set reporter_phone = $1 where id = (select min(id) from civic_case where community_code like '330108001%')`, [phone]);
    for (const text of [phone.slice(-7), phone]) {
      const res = await t.call(street, 'GET', `/api/v1/cases?q=${text}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().items).toEqual([]);
    }
  });
});
