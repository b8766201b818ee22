/**
 * THE rule for searching people by number — one place, used by every module whose list can be filtered by a
 * resident's name, mobile or ID number (archive persons and households, the forces register, their exports).
 *
 * Lists show numbers masked (138****5678, 330108********1234, platform/pii.ts). A search that matched any run of
 * digits would let the caller read the hidden digits back one at a time (search `d7250` for d = 0…9, keep the one
 * that still matches, repeat), so without `people:unmask` a number search matches only:
 *   - the WHOLE 11-digit mobile or the WHOLE 18-character ID number (the resident is standing at the counter), or
 *   - a name fragment together with the last four mobile digits (`张 5678`, as bank counters do; those four digits
 *     are shown in the masked form anyway).
 * Any other digit string is refused with 400 VALIDATION on `q` — decided from the text alone, before the database is
 * asked, so the refusal says nothing about whether such a number exists. A refusal tells a community worker what
 * to type instead, where an empty list would only look like "nobody by that number".
 *
 * A partial number (≥ 4 digits) is for holders of `people:unmask`: it needs a `reason` (5–200 characters), is
 * recorded in the audit log like an unmasking (action `person_search.unmask`: who, which list, the digits masked
 * but their last four, how many people matched and which, why) and counts against the same hourly limit
 * (`LINLI_UNMASK_PER_HOUR`), checked by the same counter under the same per-user lock as `unmaskPerson`.
 *
 * Every people search also counts against a per-user rate (`LINLI_SEARCH_PER_MINUTE`), and whole-number searches
 * that find nobody against an hourly budget (`LINLI_NUMBER_MISSES_PER_HOUR`): the hidden middle of an ID number is
 * the birth date (the age is shown) and that of a mobile is four digits, so "whole number only" would otherwise
 * still let a script confirm a guessed number in a few hundred tries.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { Config } from '../config.js';
import type { AuthContext, RequestMeta } from './context.js';
import type { DB } from './db/tables.js';
import { recordAudit } from './audit.js';
import { invalid } from './errors.js';
import { rateLimited, SlidingWindow } from './rate-limit.js';

type Q = Kysely<DB> | Transaction<DB>;

export const UNMASK_PERMISSION = 'people:unmask';
/** The audit action of a partial-number search; ends in `.unmask` so the unmask log (`?action=unmask`) lists it. */
export const PARTIAL_SEARCH_ACTION = 'person_search.unmask';

/** What a search text says about a person's numbers. */
export type PeopleNumber =
  | { kind: 'mobile'; value: string }                    // the whole 11-digit mobile
  | { kind: 'idNumber'; value: string }                  // the whole 18-character ID number
  | { kind: 'lastFour'; digits: string; name: string }   // 张 5678: a name fragment and the mobile's last four digits
  | { kind: 'partial'; digits: string };                 // any other digit string: unmask holders only

/**
 * Reads a search text as a number search, or null when it is not one (a name, pinyin, an address — the module
 * decides). `reason` and the caller are checked later by `searchPeople`.
 */
export function readPeopleNumber(q: string | undefined): PeopleNumber | null {
  const text = (q ?? '').normalize('NFKC').trim();
  const compact = text.replace(/\s+/g, '');
  if (/^[0-9]+[Xx]?$/.test(compact)) {
    if (compact.length === 11 && /^1[0-9]{10}$/.test(compact)) return { kind: 'mobile', value: compact };
    if (compact.length === 18) return { kind: 'idNumber', value: compact.toUpperCase() };
    return { kind: 'partial', digits: compact.toUpperCase() };
  }
  const nameFirst = /^([^\d\s]{1,10})\s*([0-9]{4})$/.exec(text);
  if (nameFirst) return { kind: 'lastFour', name: nameFirst[1]!, digits: nameFirst[2]! };
  const digitsFirst = /^([0-9]{4})\s*([^\d\s]{1,10})$/.exec(text);
  if (digitsFirst) return { kind: 'lastFour', name: digitsFirst[2]!, digits: digitsFirst[1]! };
  return null;
}

/**
 * The person ids (table `person`) a number search matches, as an SQL array expression. Computed once as an init
 * plan over the indexes on `mobile`, `reverse(mobile)` and `reverse(id_number)`: as an OR or a join the planner
 * misjudges the selectivity and walks the whole table. For `lastFour` only the digits are matched here; the module
 * adds its own name condition.
 */
export function personIdsByNumber(n: PeopleNumber): RawBuilder<number[]> {
  switch (n.kind) {
    case 'mobile':
      return sql<number[]>`array(select id from person where mobile = ${n.value})`;
    case 'idNumber':
      return sql<number[]>`array(select id from person where reverse(id_number) = ${reverse(n.value)})`;
    case 'lastFour':
      return sql<number[]>`array(select id from person where reverse(mobile) like ${`${reverse(n.digits)}%`} and mobile is not null)`;
    case 'partial': {
      const suffix = `${reverse(n.digits)}%`;
      return sql<number[]>`array(select id from person where reverse(id_number) like ${suffix}
        union select id from person where reverse(mobile) like ${suffix} and mobile is not null)`;
    }
  }
}

/** `p.id = any(…)` for a person alias. */
export function personNumberMatch(n: PeopleNumber, personId: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(personId)} = any(${personIdsByNumber(n)})`;
}

const reverse = (s: string) => [...s].reverse().join('');

/** A search text as the audit log may keep it: every digit but the last four replaced (`*****7250`). */
export function maskSearchText(q: string | null | undefined): string | null {
  if (!q) return q ?? null;
  return q.replace(/[0-9Xx]{5,}/g, (run) => '*'.repeat(run.length - 4) + run.slice(-4));
}

// ─── Limits ──────────────────────────────────────────────────────────────────

interface Windows { perMinute: SlidingWindow; misses: SlidingWindow }
/** One set of windows per running app (each has its own Config object), shared by all its modules. */
const windowsOf = new WeakMap<Config, Windows>();
function windows(config: Config): Windows {
  let w = windowsOf.get(config);
  if (!w) windowsOf.set(config, (w = { perMinute: new SlidingWindow(60_000), misses: new SlidingWindow(3_600_000) }));
  return w;
}

/**
 * Unmaskings (and partial-number searches) of a user in the last hour, under a per-user transaction lock so two
 * concurrent requests cannot both pass the limit; 429 when `perHour` are used. The one counter of the hourly limit:
 * `archive.service.unmaskPerson` and `searchPeople` both call it inside the transaction that writes their record.
 */
export async function reserveUnmasking(trx: Q, auth: Pick<AuthContext, 'userId'>, perHour: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('person.unmask'), ${auth.userId}::int)`.execute(trx);
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from audit_log
    where action in ('person.unmask', ${PARTIAL_SEARCH_ACTION}) and actor_id = ${auth.userId} and at > now() - interval '1 hour'`.execute(trx);
  if ((rows[0]?.n ?? 0) >= perHour) {
    throw rateLimited(`查看原文过于频繁：每小时最多 ${perHour} 次（含按号码片段查询），请稍后再试`, 'too many unmaskings in the last hour');
  }
}

export interface PeopleSearch {
  /** which list is searched, for the audit record ('archive.persons', 'forces.persons' …) */
  source: string;
  /** the search text as given, and what it says about numbers (`readPeopleNumber`) */
  q: string | undefined;
  number: PeopleNumber | null;
  /** why a partial number is searched (query parameter `reason`) */
  reason?: string | undefined;
}

const FORMS = '可按姓名、拼音或地址查询；按号码查询请输入完整的 11 位手机号或 18 位身份证号，或“姓名 手机号后四位”（如：张 5678）';

/**
 * Runs one people search under the rule above. `run` performs the module's query (on the transaction it is given);
 * `personId` names the person of a row, for the audit record of a partial search.
 */
export async function searchPeople<T>(db: Kysely<DB>, auth: AuthContext, meta: RequestMeta, config: Config, search: PeopleSearch,
  run: (q: Q) => Promise<T[]>, personId: (row: T) => number): Promise<T[]> {
  const w = windows(config);
  const user = String(auth.userId);
  if (!w.perMinute.take(user, config.searchPerMinute)) {
    throw rateLimited(`查询过于频繁：每分钟最多 ${config.searchPerMinute} 次，请稍后再试`, 'too many searches, try again in a minute');
  }
  const n = search.number;
  if (!n) return run(db);
  if (n.kind !== 'partial') {
    if (w.misses.count(user) >= config.numberMissesPerHour) {
      throw rateLimited(`按号码查询未找到的次数过多：每小时最多 ${config.numberMissesPerHour} 次，请稍后再试`, 'too many number searches without a match in the last hour');
    }
    const rows = await run(db);
    if (rows.length === 0) w.misses.add(user);
    return rows;
  }
  if (!auth.permissions.has(UNMASK_PERMISSION)) throw invalid('q', `不能按号码片段查询。${FORMS}`, 'partial numbers cannot be searched: give the whole mobile or ID number, or a name with the last four mobile digits');
  if (n.digits.length < 4) throw invalid('q', '按号码片段查询至少输入后 4 位', 'give at least the last 4 digits');
  const reason = (search.reason ?? '').trim();
  if ([...reason].length < 5 || [...reason].length > 200) {
    throw invalid('reason', '按号码片段查询属于查看原文，请填写事由（5–200 字）', 'a partial-number search is an unmasking: give a reason of 5–200 characters');
  }
  return db.transaction().execute(async (trx) => {
    await reserveUnmasking(trx, auth, config.unmaskPerHour);
    const rows = await run(trx);
    const ids = [...new Set(rows.map(personId))];
    await recordAudit(trx, auth, meta, { action: PARTIAL_SEARCH_ACTION, targetType: 'person', summary: {
      source: search.source, q: maskSearchText(search.q ?? null), digits: n.digits.length, matches: ids.length, personIds: ids.slice(0, 200), reason } });
    return rows;
  });
}
