/**
 * The four-order loop (四单, C4.3): a resident orders (点单) → the community dispatches to a member, a branch or
 * openly (派单) → accepted (接单) → done with hours and optional photos → rated (评单). Which action leads from which state
 * to which, and who may take it, is data (`order_transition`); this file decides who the caller is for an order
 * and what each action changes besides the state. Every transition writes the order, an event and an audit record
 * in one transaction, guarded by `state = from` so that concurrent requests cannot both win.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AuthContext, RequestMeta } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { maskName } from '../../platform/pii.js';
import { notify, transact, type OnCommit } from '../../platform/notify.js';
import { page } from '../../platform/schema.js';
import { territoryPathInScope, territoryScope } from '../../platform/scope.js';
import { findCallerForce, type CallerForce } from '../forces/force-of.js';
import { missingFiles } from '../files/files.service.js';
import * as repo from './orders.repository.js';
import { notifyCommunityStaff, notifyUsers } from './staff-notify.js';
import type { ActionBodyT, CreateOrderBodyT, OrderDetailT, OrderEventT, OrderItemT, OrderListQueryT } from './orders.schema.js';
import { sql, type SqlBool } from 'kysely';

type Q = Kysely<DB> | Transaction<DB>;
type ActorKind = 'resident' | 'community' | 'assignee';

/** Hour cap per service size (民政部: a cap per activity); copied to the service record. */
const HOUR_CAP: Record<string, number> = { micro: 4, project: 8, activity: 8 };
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** The place as a person-centric view shows it: the room masked ('中兴新村 3幢 2单元 ***室'). */
function maskedPlace(o: repo.OrderRow): string | null {
  if (!o.place_full) return o.place_name ?? null;
  return o.place_kind === 'room' ? o.place_full.replace(/\s*\S+$/, ' ***室') : o.place_full;
}

/** `reveal`: the full door number, for the resident who ordered and the member serving them. */
export function presentOrder(o: repo.OrderRow, reveal = false): OrderItemT {
  return {
    id: o.id, serviceNo: o.service_no, title: o.title, description: o.description, state: o.state, stateName: o.state_name, size: o.size,
    skillCode: o.skill_code, skillName: o.skill_name, communityCode: o.community_code, communityName: o.community_name,
    placeCode: reveal ? o.place_code : null, placeName: maskedPlace(o), placeAddress: reveal ? o.place_full ?? o.place_name : null, residentName: maskName(o.resident_name),
    dispatchMode: o.dispatch_mode, assigneeForceId: o.assignee_force_id, assigneeName: maskName(o.assignee_name),
    assigneeOrgCode: o.assignee_org_code, assigneeOrgName: o.assignee_org_name, acceptDeadline: iso(o.accept_deadline),
    dispatchCount: o.dispatch_count, hourCap: o.hour_cap, hours: o.hours,
    evidence: (Array.isArray(o.evidence) ? o.evidence : []).map((id) => ({ id, url: `/api/v1/files/${id}` })),
    resultNote: o.result_note, recordId: o.record_id, residentScore: o.resident_score,
    wantedAt: iso(o.wanted_at), createdAt: iso(o.created_at)!, updatedAt: iso(o.updated_at)!,
  };
}

interface Caller {
  kinds: Set<ActorKind>;
  visible: boolean;
  force: CallerForce | null;
  /** a member the open or branch dispatch was addressed to, whether or not someone else has taken it since */
  addressed: boolean;
}

/**
 * Who the caller is for this order: the resident who ordered it, community staff running the loop in its
 * community, or its assignee — the dispatched member, a member of the dispatched branch, any registered member
 * of the community for an open order, or whoever accepted it.
 */
async function callerFor(db: Q, auth: AuthContext, o: repo.OrderRow): Promise<Caller> {
  const kinds = new Set<ActorKind>();
  const inScope = territoryPathInScope(auth, o.community_path);
  if (o.resident_user_id === auth.userId) kinds.add('resident');
  if (inScope && auth.permissions.has('service:write')) kinds.add('community');
  const force = auth.permissions.has('service:claim') ? await findCallerForce(db, auth) : null;
  let addressed = false;
  if (force && force.status === 'active') {
    if (o.dispatch_mode === 'open') addressed = force.communityCode === o.community_code;
    if (o.dispatch_mode === 'branch' && o.assignee_org_code) addressed = (await repo.findForce(db, force.id))?.branch_code === o.assignee_org_code;
    if (o.assignee_force_id !== null) {
      if (o.assignee_force_id === force.id) kinds.add('assignee');
    } else if (o.state === 'dispatched' && addressed) {
      kinds.add('assignee');
    }
  }
  const visible = kinds.size > 0 || (inScope && auth.permissions.has('service:read'));
  return { kinds, visible, force, addressed };
}

/** Only the member an order was dispatched to by name may decline it; an open or branch offer is simply not taken. */
function declinable(o: repo.OrderRow, caller: Caller): boolean {
  return o.dispatch_mode === 'member' && caller.force !== null && o.assignee_force_id === caller.force.id;
}

async function loadVisible(db: Q, auth: AuthContext, id: number): Promise<{ order: repo.OrderRow; caller: Caller }> {
  const order = await repo.findOrder(db, id);
  if (!order) throw notFound('服务订单', 'service order');
  const caller = await callerFor(db, auth, order);
  if (!caller.visible) throw notFound('服务订单', 'service order');
  return { order, caller };
}

function presentEvent(e: repo.EventRow): OrderEventT {
  const actorName = e.actor_kind === 'system' ? '系统' : e.actor_kind === 'community' ? e.actor_name : maskName(e.actor_name);
  return { id: e.id, action: e.action, actionName: e.action_name ?? (e.action === 'order' ? '居民点单' : e.action), from: e.from_state, to: e.to_state,
    actorKind: e.actor_kind, actorName, note: e.note, at: iso(e.at)! };
}

/** One order with its timeline, its ratings and the actions the caller may take now. */
export async function getOrder(db: Kysely<DB>, auth: AuthContext, id: number): Promise<OrderDetailT> {
  const { order, caller } = await loadVisible(db, auth, id);
  return detailOf(db, order, caller);
}

/** The order as the caller sees it right after acting on it (a member who declined it no longer sees it otherwise). */
async function detailAfterAction(db: Kysely<DB>, auth: AuthContext, id: number): Promise<OrderDetailT> {
  const order = (await repo.findOrder(db, id))!;
  return detailOf(db, order, await callerFor(db, auth, order));
}

async function detailOf(db: Kysely<DB>, order: repo.OrderRow, caller: Caller): Promise<OrderDetailT> {
  const id = order.id;
  const [events, transitions, ratings] = await Promise.all([repo.listEvents(db, id), repo.transitionsFrom(db, order.state), repo.listRatings(db, id)]);
  const reveal = caller.kinds.has('resident') || (caller.kinds.has('assignee') && order.assignee_force_id !== null && ['accepted', 'done'].includes(order.state));
  return {
    order: presentOrder(order, reveal),
    events: events.map(presentEvent),
    allowedActions: transitions.filter((t) => caller.kinds.has(t.actor as ActorKind) && !(t.action === 'decline' && !declinable(order, caller)))
      .map((t) => ({ action: t.action, name: t.name, to: t.to_state })),
    viewerKinds: [...caller.kinds],
    ratings: ratings.map((r) => ({ raterKind: r.rater_kind, score: r.score, comment: r.comment, at: iso(r.created_at)! })),
  };
}

/** A resident orders a service (居民点单): the community of the place gets it, and its staff are told. */
export async function createOrder(db: Kysely<DB>, auth: AuthContext, body: CreateOrderBodyT, meta: RequestMeta): Promise<OrderDetailT> {
  const title = body.title.trim();
  if ([...title].length < 2) throw invalid('title', '请写明需要什么服务（至少 2 个字）', 'at least 2 characters');
  let placeCode = body.placeCode ?? null;
  if (!placeCode) {
    placeCode = auth.personId === null ? null : await repo.currentHome(db, auth.personId);
    if (!placeCode) throw invalid('placeCode', '请选择服务地点（未找到您的现住址）', 'no current home: give a place');
  }
  const place = await repo.findPlace(db, placeCode);
  if (!place || !place.community_code || !place.community_path) throw invalid('placeCode', '服务地点须在某个社区内', 'the place must lie in a community');
  if (body.skillCode && !(await repo.skillExists(db, body.skillCode))) throw invalid('skillCode', '技能不存在', 'unknown skill');
  const size = body.size ?? 'micro';
  const id = await transact(db, async (trx, onCommit) => {
    const orderId = await repo.insertOrder(trx, {
      communityCode: place.community_code!, communityPath: place.community_path!, residentPersonId: auth.personId, residentUserId: auth.userId,
      title, description: body.description?.trim() ?? '', skillCode: body.skillCode ?? null, size, placeCode: place.code,
      wantedAt: body.wantedAt ?? null, hourCap: HOUR_CAP[size] ?? 4,
    });
    await repo.insertEvent(trx, { orderId, action: 'order', from: null, to: 'ordered', actorId: auth.userId, actorKind: 'resident', note: null });
    const o = (await repo.findOrder(trx, orderId))!;
    await recordAudit(trx, auth, meta, { action: 'service_order.create', targetType: 'service_order', targetId: orderId,
      summary: { serviceNo: o.service_no, communityCode: o.community_code, size, skillCode: body.skillCode ?? null } });
    await notifyCommunityStaff(trx, onCommit, o.community_path, { kind: 'order', title: `新的居民点单：${title}`,
      body: `${o.service_no}，${o.place_name ?? o.community_name}`, link: `/service/orders?id=${orderId}`, refType: 'service_order', refId: orderId });
    return orderId;
  });
  return getOrder(db, auth, id);
}

const cleared = { dispatch_mode: null, assignee_force_id: null, assignee_org_code: null, accept_deadline: null } as const;

/** Resolves who an order is dispatched to (member / branch / open), checking the target is in the caller's scope. */
async function dispatchTarget(db: Q, auth: AuthContext, body: ActionBodyT) {
  if (!body.mode) throw invalid('mode', '请选择派单方式：党员、支部或公开招募', 'mode is required');
  if (body.mode === 'member') {
    if (!body.forceId) throw invalid('forceId', '请选择接单党员', 'forceId is required');
    const force = await repo.findForce(db, body.forceId);
    if (!force || !territoryPathInScope(auth, force.community_path)) throw notFound('党员', 'member', 'forceId');
    if (force.status !== 'active') throw invalid('forceId', '该党员已暂停或退出服务', 'the member is not active');
    return { mode: 'member' as const, forceId: force.id, orgCode: null, userIds: force.user_id ? [force.user_id] : [], audience: null };
  }
  if (body.mode === 'branch') {
    if (!body.orgCode) throw invalid('orgCode', '请选择接单支部', 'orgCode is required');
    const org = await repo.findOrg(db, body.orgCode);
    if (!org || !['functional_branch', 'branch'].includes(org.kind) || !org.territory_path || !territoryPathInScope(auth, org.territory_path)) {
      throw notFound('支部', 'branch', 'orgCode');
    }
    return { mode: 'branch' as const, forceId: null, orgCode: org.code, userIds: await repo.branchMemberUsers(db, org.code), audience: null };
  }
  return { mode: 'open' as const, forceId: null, orgCode: null, userIds: [], audience: true };
}

/**
 * Takes one action on an order. The transition (from the order's state) is looked up in `order_transition`;
 * no transition → 409 INVALID_TRANSITION; a transition for another party → 403. The action's own input is
 * checked before anything is written, so a refused request changes nothing.
 */
export async function actOnOrder(db: Kysely<DB>, auth: AuthContext, id: number, body: ActionBodyT, meta: RequestMeta, acceptHours: number): Promise<OrderDetailT> {
  await transact(db, async (trx, onCommit) => {
    const order = await repo.findOrder(trx, id);
    if (!order) throw notFound('服务订单', 'service order');
    const caller = await callerFor(trx, auth, order);
    if (!caller.visible) {
      // A member an open or branch order was offered to, who lost the race to accept it: the order moved on.
      if (caller.addressed && body.action === 'accept') throw new AppError('INVALID_TRANSITION', '该订单已被他人接单', { en: 'someone else accepted the order' });
      throw notFound('服务订单', 'service order');
    }
    const t = await repo.findTransition(trx, order.state, body.action);
    if (!t) {
      throw new AppError('INVALID_TRANSITION', `订单当前为「${order.state_name}」，不能执行该操作`, { en: `action ${body.action} is not allowed in state ${order.state}` });
    }
    if (t.actor === 'system') throw new AppError('INVALID_TRANSITION', `「${t.name}」由系统自动执行`, { en: `${body.action} is taken by the system` });
    if (!caller.kinds.has(t.actor as ActorKind)) throw new AppError('FORBIDDEN', `只有${actorNames[t.actor] ?? t.actor}可以执行「${t.name}」`, { en: `only the ${t.actor} may ${body.action}` });
    const note = body.note?.trim() || null;
    const actorKind = t.actor as ActorKind;
    const after: ((o: repo.OrderRow) => Promise<void>)[] = [];
    let change: repo.OrderChange = { state: t.to_state };
    let guard: { assignee?: number } = {};
    const link = `/m/orders/${id}`;
    const summary: Record<string, unknown> = { serviceNo: order.service_no, from: order.state, to: t.to_state };

    switch (body.action) {
      case 'dispatch':
      case 'redispatch': {
        const target = await dispatchTarget(trx, auth, body);
        change = { state: t.to_state, dispatch_mode: target.mode, assignee_force_id: target.forceId, assignee_org_code: target.orgCode,
          accept_deadline: new Date(Date.now() + acceptHours * 3600_000), dispatch_count_inc: true };
        Object.assign(summary, { mode: target.mode, forceId: target.forceId, orgCode: target.orgCode });
        after.push(async (o) => {
          const n = { kind: 'dispatch' as const, title: `新的服务订单待接单：${o.title}`, body: `${o.service_no}，请在 ${acceptHours} 小时内接单`,
            link, refType: 'service_order', refId: id };
          if (target.audience) await notify(trx, onCommit, { ...n, audiencePath: o.community_path });
          else await notifyUsers(trx, onCommit, target.userIds, n);
        });
        break;
      }
      case 'accept': {
        if (!caller.force) throw new AppError('FORBIDDEN', '请先在居住社区报到', { en: 'register first' });
        change = { state: t.to_state, assignee_force_id: caller.force.id, accept_deadline: null };
        guard = { assignee: caller.force.id };
        summary.forceId = caller.force.id;
        after.push(async (o) => {
          if (o.resident_user_id) await notify(trx, onCommit, { kind: 'order', title: `您的服务已有党员接单：${o.title}`, body: o.service_no, link, refType: 'service_order', refId: id, recipientUserId: o.resident_user_id });
        });
        break;
      }
      case 'complete': {
        const hours = body.hours;
        if (hours === undefined || !Number.isFinite(hours) || hours <= 0 || hours > order.hour_cap) {
          throw invalid('hours', `服务时长须大于 0 且不超过本次上限 ${order.hour_cap} 小时`, `hours must be > 0 and ≤ ${order.hour_cap}`);
        }
        // ids as stored_file writes them (lower case), so that reading a photo can find the order that names it
        // Photos are optional (反形式主义): the hours count once the served resident rates or the organiser confirms them.
        const evidence = [...new Set((body.evidence ?? []).map((e) => e.toLowerCase()))];
        // only the serving member's own uploads: naming a photo on an order makes it readable to the order's parties
        if (evidence.length && (await missingFiles(trx, evidence, auth.userId)).length) throw invalid('evidence', '照片不存在或不是本人上传，请重新上传', 'unknown file id or not uploaded by you');
        const rounded = Math.round(hours * 100) / 100;
        change = { state: t.to_state, hours: rounded, evidence, result_note: note };
        summary.hours = rounded;
        after.push(async (o) => {
          await repo.insertRecord(trx, { forceId: o.assignee_force_id!, orderId: id, communityCode: o.community_code, title: o.title, size: o.size,
            hours: rounded, hourCap: o.hour_cap, evidence, note });
          if (o.resident_user_id) await notify(trx, onCommit, { kind: 'rating', title: `服务已完成，请评价：${o.title}`, body: `${o.service_no}，服务 ${rounded} 小时`, link, refType: 'service_order', refId: id, recipientUserId: o.resident_user_id });
        });
        break;
      }
      case 'decline':
      case 'withdraw':
      case 'reclaim':
        if (body.action === 'decline' && !declinable(order, caller)) {
          throw new AppError('FORBIDDEN', '公开招募或派给支部的订单无需婉拒，不接单即可', { en: 'only the member an order was dispatched to by name may decline it' });
        }
        change = { state: t.to_state, ...cleared };
        if (body.action === 'reclaim') {
          // staff take an accepted order back (the member left, paused or cannot be reached): the member is told
          const held = order.assignee_force_id === null ? null : await repo.findForce(trx, order.assignee_force_id);
          after.push(async (o) => notifyUsers(trx, onCommit, held?.user_id ? [held.user_id] : [], { kind: 'order', title: `社区已收回服务订单：${o.title}`,
            body: `${o.service_no}${note ? `，原因：${note}` : ''}`, link, refType: 'service_order', refId: id }));
          break;
        }
        after.push(async (o) => notifyCommunityStaff(trx, onCommit, o.community_path, { kind: 'order', title: `${t.name}，请重新派单：${o.title}`,
          body: `${o.service_no}${note ? `，原因：${note}` : ''}`, link: `/service/orders?id=${id}`, refType: 'service_order', refId: id }));
        break;
      case 'reject':
      case 'cancel':
        after.push(async (o) => {
          if (body.action === 'reject' && o.resident_user_id) {
            await notify(trx, onCommit, { kind: 'order', title: `您的点单未被受理：${o.title}`, body: note ?? '', link, refType: 'service_order', refId: id, recipientUserId: o.resident_user_id });
          }
          if (body.action === 'cancel') {
            await notifyCommunityStaff(trx, onCommit, o.community_path, { kind: 'order', title: `居民已撤单：${o.title}`, body: o.service_no, refType: 'service_order', refId: id });
          }
        });
        break;
      default:
        break; // any other transition in the table only changes the state
    }

    if (body.action === 'cancel' && order.state === 'dispatched') change = { ...change, ...cleared };
    const moved = await repo.moveOrder(trx, id, order.state, change, guard);
    if (!moved) throw new AppError('INVALID_TRANSITION', '订单状态已变化（可能已被他人接单），请刷新后再试', { en: 'the order changed meanwhile' });
    await repo.insertEvent(trx, { orderId: id, action: body.action, from: order.state, to: t.to_state, actorId: auth.userId, actorKind, note });
    const updated = (await repo.findOrder(trx, id))!;
    for (const step of after) await step(updated);
    await recordAudit(trx, auth, meta, { action: `service_order.${body.action}`, targetType: 'service_order', targetId: id, summary });
  });
  return detailAfterAction(db, auth, id);
}

const actorNames: Record<string, string> = { resident: '点单居民', community: '社区工作人员', assignee: '接单党员', system: '系统' };

/**
 * A transition taken by the system (expire, close) inside the caller's transaction: looked up in the table like
 * any other, recorded as an event with actor 'system'. Returns false when the order was no longer in `from`.
 */
export async function systemTransition(trx: Q, orderId: number, from: string, action: string, change: Omit<repo.OrderChange, 'state'> = {},
  guard: { deadlineBefore?: Date } = {}, note: string | null = null): Promise<string | null> {
  const t = await repo.findTransition(trx, from, action);
  if (!t || t.actor !== 'system') return null;
  if (!(await repo.moveOrder(trx, orderId, from, { ...change, state: t.to_state }, guard))) return null;
  await repo.insertEvent(trx, { orderId, action, from, to: t.to_state, actorId: null, actorKind: 'system', note });
  return t.to_state;
}

/**
 * Re-dispatch on timeout (every minute from the scheduler; tests pass their own `now`). An order dispatched to a
 * member or a branch that nobody accepted in time is published to every registered member of its community
 * (action 'republish', by the system) with a new deadline; one that was already open goes back to the community's
 * queue (action 'expire'). Either way the community's staff are told.
 */
export async function expireOverdueOrders(db: Kysely<DB>, now: Date = new Date(), acceptHours = 24): Promise<number> {
  let expired = 0;
  for (const { id } of await repo.overdueOrders(db, now)) {
    const done = await transact(db, async (trx, onCommit) => {
      const before = await repo.findOrder(trx, id);
      if (!before || before.state !== 'dispatched') return false;
      const widen = before.dispatch_mode !== 'open';
      const to = widen
        ? await systemTransition(trx, id, 'dispatched', 'republish', { dispatch_mode: 'open', assignee_force_id: null, assignee_org_code: null,
          accept_deadline: new Date(now.getTime() + acceptHours * 3600_000), dispatch_count_inc: true }, { deadlineBefore: now }, '超时未接单，转为公开招募')
        : await systemTransition(trx, id, 'dispatched', 'expire', cleared, { deadlineBefore: now }, '公开招募仍无人接单');
      if (!to) return false;
      const o = (await repo.findOrder(trx, id))!;
      await recordAudit(trx, null, null, { action: `service_order.${widen ? 'republish' : 'expire'}`, targetType: 'service_order', targetId: id,
        summary: { serviceNo: o.service_no, to } });
      if (widen) {
        await notify(trx, onCommit, { kind: 'dispatch', title: `新的服务订单待接单：${o.title}`, body: `${o.service_no}，请在 ${acceptHours} 小时内接单`,
          link: `/m/orders/${id}`, refType: 'service_order', refId: id, audiencePath: o.community_path });
      }
      await notifyCommunityStaff(trx, onCommit, o.community_path, widen
        ? { kind: 'reminder', title: `超时未接单，已转为社区公开招募：${o.title}`, body: `${o.service_no} 派出后超过接单时限`,
          link: `/service/orders?id=${id}`, refType: 'service_order', refId: id }
        : { kind: 'reminder', title: `超时未接单，请重新派单：${o.title}`, body: `${o.service_no} 公开招募后仍无人接单`,
          link: `/service/orders?id=${id}`, refType: 'service_order', refId: id });
      return true;
    });
    if (done) expired += 1;
  }
  return expired;
}

function listResult(rows: repo.OrderRow[], limit: number, reveal: (r: repo.OrderRow) => boolean = () => false) {
  const result = page(rows, limit, (r) => [r.id]);
  return { items: result.items.map((r) => presentOrder(r, reveal(r))), nextCursor: result.nextCursor };
}

/** Staff desk: orders of the communities in scope, newest first. */
export async function listOrders(db: Kysely<DB>, auth: AuthContext, query: OrderListQueryT, limit: number, after: unknown[] | null) {
  const rows = await repo.listOrders(db, { where: territoryScope(auth, 'o.community_path'), state: query.state, size: query.size, q: query.q?.trim() || undefined,
    before: after ? Number(after[0]) : null }, limit);
  return listResult(rows, limit);
}

/** The desk's tab figures: orders per state in scope (from the rows), and dispatched ones past their deadline. */
export async function countOrders(db: Kysely<DB>, auth: AuthContext) {
  const rows = await repo.countOrders(db, territoryScope(auth, 'o.community_path'));
  const byState: Record<string, number> = {};
  for (const r of rows) byState[r.state] = r.n;
  return { byState, total: rows.reduce((a, r) => a + r.n, 0), overdue: rows.reduce((a, r) => a + r.overdue, 0) };
}

/** The calling resident's own orders. */
export async function listMyOrders(db: Kysely<DB>, auth: AuthContext, query: OrderListQueryT, limit: number, after: unknown[] | null) {
  const rows = await repo.listOrders(db, { where: sql<SqlBool>`o.resident_user_id = ${auth.userId}`, state: query.state, size: query.size,
    before: after ? Number(after[0]) : null }, limit);
  return listResult(rows, limit, () => true);
}

/** Orders for the calling member: dispatched to me, to my branch, open in my community, or held by me. */
export async function listAssignedOrders(db: Kysely<DB>, auth: AuthContext, query: OrderListQueryT, limit: number, after: unknown[] | null) {
  const force = await findCallerForce(db, auth);
  if (!force) return { items: [], nextCursor: null };
  const branch = (await repo.findForce(db, force.id))?.branch_code ?? null;
  const where = sql<SqlBool>`(o.assignee_force_id = ${force.id} or (o.state = 'dispatched' and o.assignee_force_id is null and (
    (o.dispatch_mode = 'branch' and o.assignee_org_code = ${branch}) or (o.dispatch_mode = 'open' and o.community_code = ${force.communityCode}))))`;
  const rows = await repo.listOrders(db, { where, state: query.state, size: query.size, before: after ? Number(after[0]) : null }, limit);
  return listResult(rows, limit, (r) => r.assignee_force_id === force.id && ['accepted', 'done'].includes(r.state));
}

/** The state and transition tables, for screens that name states and actions. */
export async function describeStates(db: Kysely<DB>) {
  const [states, transitions] = await Promise.all([
    db.selectFrom('order_state').selectAll().orderBy('sort_order').execute(),
    repo.allTransitions(db),
  ]);
  return {
    states: states.map((s) => ({ code: s.code, name: s.name, terminal: s.terminal })),
    transitions: transitions.map((t) => ({ from: t.from_state, action: t.action, to: t.to_state, actor: t.actor, name: t.name })),
  };
}
