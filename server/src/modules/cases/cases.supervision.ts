/**
 * The supervision clock (督办): run every minute by the server's scheduler, and by tests with their own `now`.
 * - A step past its deadline gets a yellow card once it is `yellow_after_days` working days overdue (0: as soon as
 *   it is overdue) and a red card at `red_after_days`; yellow reminds the handler, red also escalates to the seat
 *   above. A whistled department late to report in or to respond gets its cards the same way.
 * - A case waiting for its rating past the window is closed by the policy (`close_unrated`: closed without a
 *   rating, outside the satisfaction rate; `close_satisfied`: counted as satisfied), explicitly recorded as such.
 * Each case is handled in its own transaction, guarded by the state and card it was read with.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import { notify, transact, type OnCommit } from '../../platform/notify.js';
import { addWorkdays, loadCalendar, workdaysBetween, type WorkCalendar } from '../../platform/workdays.js';
import * as repo from './cases.repository.js';
import { superiorUsers } from './cases.service.js';

const BATCH = 500;

/** When a deadline's card of a color falls due: the end of the deadline's day plus the threshold in working days. */
function cardDue(calendar: WorkCalendar, deadline: Date, days: number): Date {
  return addWorkdays(calendar, new Date(deadline.getTime() - 1), days);
}

/**
 * The latest deadline whose card of `days` is due by `now` (a card falls due later for a later deadline): a
 * deadline up to it gets the card now, a later one not yet. Found by halving, since working days have no formula.
 */
function latestDueDeadline(calendar: WorkCalendar, days: number, now: Date): Date {
  let lo = now.getTime() - 800 * 86_400_000; // due long ago (400 working days at most)
  let hi = now.getTime();
  if (cardDue(calendar, new Date(hi), days) <= now) return new Date(hi);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (cardDue(calendar, new Date(mid), days) <= now) lo = mid; else hi = mid;
  }
  return new Date(lo);
}

export interface SupervisionRun { yellow: number; red: number; whistleCards: number; autoClosed: number }

/**
 * One round of the clock. Only what is due a card NOW is read (no card yet and past the yellow threshold, or yellow
 * and past the red one), so a batch never fills with yellow cards still waiting for red while newer overdue steps
 * wait behind them; `batch` bounds one round.
 */
export async function superviseCases(db: Kysely<DB>, now: Date = new Date(), batch = BATCH): Promise<SupervisionRun> {
  const calendar = await loadCalendar(db);
  const pol = await repo.policy(db);
  const run: SupervisionRun = { yellow: 0, red: 0, whistleCards: 0, autoClosed: 0 };
  const yellowBy = latestDueDeadline(calendar, pol.yellow_after_days, now);
  const redBy = latestDueDeadline(calendar, pol.red_after_days, now);

  const overdue = await db.selectFrom('civic_case').select(['id', 'step_deadline', 'card', 'state'])
    .where('state', 'in', ['reported', 'handling', 'resolved']).where('step_deadline', '<', now)
    .where((eb) => eb.or([
      eb.and([eb('card', '=', 'none'), eb('step_deadline', '<=', yellowBy)]),
      eb.and([eb('card', '=', 'yellow'), eb('step_deadline', '<=', redBy)]),
    ]))
    .orderBy('step_deadline').limit(batch).execute();
  for (const o of overdue) {
    const deadline = new Date(o.step_deadline);
    const color = now >= cardDue(calendar, deadline, pol.red_after_days) ? 'red'
      : now >= cardDue(calendar, deadline, pol.yellow_after_days) && o.card === 'none' ? 'yellow' : null;
    if (!color) continue;
    const done = await transact(db, (trx, onCommit) => raiseCard(trx, onCommit, o.id, o.state, o.card, color, deadline, workdaysBetween(calendar, deadline, now), now));
    if (done) run[color] += 1;
  }

  const whistles = await sql<{ id: number; case_id: number; department_code: string; card: string; due: Date; stage: string }>`
    select w.id, w.case_id, w.department_code, w.card,
      case when w.reported_in_at is null then w.report_in_deadline else w.respond_deadline end as due,
      case when w.reported_in_at is null then '报到' else '反馈' end as stage
    from case_whistle w join civic_case c on c.id = w.case_id
    where w.responded_at is null and w.card <> 'red' and c.state in ('handling', 'resolved')
      and (w.reported_in_at is null and w.report_in_deadline < ${now} or w.respond_deadline < ${now})
      and (w.card = 'none' and case when w.reported_in_at is null then w.report_in_deadline else w.respond_deadline end <= ${yellowBy}
        or w.card = 'yellow' and case when w.reported_in_at is null then w.report_in_deadline else w.respond_deadline end <= ${redBy})
    order by w.id limit ${batch}`.execute(db);
  for (const w of whistles.rows) {
    const due = new Date(w.due);
    const color = now >= cardDue(calendar, due, pol.red_after_days) ? 'red'
      : now >= cardDue(calendar, due, pol.yellow_after_days) && w.card === 'none' ? 'yellow' : null;
    if (!color) continue;
    const done = await transact(db, async (trx, onCommit) => {
      const updated = await trx.updateTable('case_whistle').set({ card: color }).where('id', '=', w.id).where('card', '=', w.card)
        .where('responded_at', 'is', null).returning('id').executeTakeFirst();
      if (!updated) return false;
      await trx.insertInto('case_card').values({ case_id: w.case_id, whistle_id: w.id, color, step_state: 'whistle', deadline: due,
        note: `${w.stage}超期${color === 'red' ? '（红牌）' : '（黄牌）'}` }).execute();
      const c = (await repo.findCase(trx, w.case_id))!;
      const dept = await repo.department(trx, w.department_code);
      await trx.insertInto('civic_case_step').values({ case_id: c.id, action: 'card', from_state: c.state, to_state: c.state, actor_kind: 'system',
        actor_org: '系统', target: w.department_code, note: `${dept?.short_name ?? w.department_code}${w.stage}超期，亮${color === 'red' ? '红' : '黄'}牌`, deadline: due, at: now }).execute();
      const recipients = [...await repo.seatUsers(trx, 'department', w.department_code), ...(color === 'red' ? await repo.seatUsers(trx, c.handler_tier, c.handler_code) : [])];
      for (const userId of new Set(recipients)) {
        await notify(trx, onCommit, { recipientUserId: userId, kind: 'reminder', title: `吹哨${w.stage}超期${color === 'red' ? '（红牌督办）' : '（黄牌提醒）'}：${c.category_name}`,
          body: `${c.service_no} ${dept?.name ?? ''}`, link: `/cases/${c.id}`, refType: 'civic_case', refId: c.id });
      }
      return true;
    });
    if (done) run.whistleCards += 1;
  }

  const unrated = await db.selectFrom('civic_case').select(['id']).where('state', '=', 'rating').where('step_deadline', '<', now)
    .orderBy('step_deadline').limit(batch).execute();
  for (const { id } of unrated) {
    const done = await transact(db, async (trx, onCommit) => {
      const satisfied = pol.unrated_policy === 'close_satisfied';
      const updated = await trx.updateTable('civic_case').set({ state: 'closed', closed_at: now, closed_unrated: true,
        satisfaction: satisfied ? 'satisfied' : null, updated_at: now }).where('id', '=', id).where('state', '=', 'rating').where('step_deadline', '<', now)
        .returning(['id', 'reporter_user_id', 'service_no']).executeTakeFirst();
      if (!updated) return false;
      await trx.insertInto('civic_case_step').values({ case_id: id, action: 'auto_close', from_state: 'rating', to_state: 'closed', actor_kind: 'system',
        actor_org: '系统', note: satisfied ? `评价期（${pol.rating_window_days} 天）满未评价，按政策视为满意` : `评价期（${pol.rating_window_days} 天）满未评价，结案（不计入满意率）`, at: now }).execute();
      await recordAudit(trx, null, null, { action: 'case.auto_close', targetType: 'civic_case', targetId: id, summary: { serviceNo: updated.service_no, policy: pol.unrated_policy } });
      if (updated.reporter_user_id) {
        await notify(trx, onCommit, { recipientUserId: updated.reporter_user_id, kind: 'case', title: '您反映的问题已结案', body: updated.service_no,
          link: `/m/cases/${id}`, refType: 'civic_case', refId: id });
      }
      return true;
    });
    if (done) run.autoClosed += 1;
  }
  return run;
}

async function raiseCard(trx: Transaction<DB>, onCommit: OnCommit, id: number, state: string, card: string, color: 'yellow' | 'red', deadline: Date, lateDays: number, now: Date): Promise<boolean> {
  const updated = await trx.updateTable('civic_case').set({ card: color }).where('id', '=', id).where('state', '=', state).where('card', '=', card)
    .where('step_deadline', '=', deadline).returning('id').executeTakeFirst();
  if (!updated) return false;
  const c = (await repo.findCase(trx, id))!;
  const note = `${c.state_name}环节超期${lateDays > 0 ? ` ${lateDays} 个工作日` : ''}，亮${color === 'red' ? '红牌，上报上级督办' : '黄牌提醒'}`;
  await trx.insertInto('case_card').values({ case_id: id, color, step_state: state, deadline, note }).execute();
  await trx.insertInto('civic_case_step').values({ case_id: id, action: 'card', from_state: state, to_state: state, actor_kind: 'system', actor_org: '系统',
    note, deadline, at: now }).execute();
  await recordAudit(trx, null, null, { action: `case.card_${color}`, targetType: 'civic_case', targetId: id, summary: { serviceNo: c.service_no, state, deadline: deadline.toISOString() } });
  const handlers = await repo.seatUsers(trx, c.handler_tier, c.handler_code);
  for (const userId of handlers) {
    await notify(trx, onCommit, { recipientUserId: userId, kind: 'reminder', title: `${color === 'red' ? '红牌督办' : '黄牌提醒'}：${c.category_name}已超期`,
      body: `${c.service_no} ${note}`, link: c.handler_tier === 'micro_grid' || c.handler_tier === 'grid' ? `/m/cases/${id}` : `/cases/${id}`, refType: 'civic_case', refId: id });
  }
  if (color === 'red') {
    for (const userId of await superiorUsers(trx, c)) {
      if (handlers.includes(userId)) continue;
      await notify(trx, onCommit, { recipientUserId: userId, kind: 'reminder', title: `红牌督办：下级案件超期 ${c.category_name}`,
        body: `${c.service_no} 承办：${c.handler_name}`, link: `/cases/${id}`, refType: 'civic_case', refId: id });
    }
  }
  return true;
}
