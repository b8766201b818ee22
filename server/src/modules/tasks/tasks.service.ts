/**
 * Rules of tasks with limited slots and emergency mobilisation (应急式报到, C4.4): who may publish where, which
 * tasks a member can reach, claiming (alone, as a team, for team mates), cancelling, the optional check-in and
 * check-out, reporting done with hours under the task's cap, and the organiser's live counters.
 *
 * The claim path is deliberately lean (it is the hot path of an emergency wave): the caller's force row, then
 * one statement calling `claim_task_slot`; no audit record per claim — the claim row itself records who
 * (`claimed_by`), for whom (`force_id`) and when (`claimed_at`). See docs/decisions.md.
 */
import { EventEmitter } from 'node:events';
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { AuthContext, RequestMeta } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { checkPointGeoJson } from '../../platform/geo.js';
import { notify, transact } from '../../platform/notify.js';
import { maskName } from '../../platform/pii.js';
import { page } from '../../platform/schema.js';
import { assertTerritoryInScope, territoryScope } from '../../platform/scope.js';
import { notRegistered, requireCallerForce } from '../forces/force-of.js';
import * as repo from './tasks.repository.js';
import type {
  AttendanceT, CallItemT, CallQueryT, CallT, CallTaskT, ClaimBodyT, ClaimItemT, ClaimT, CreateCallBodyT, CreateTaskBodyT, DoneBodyT, DoneResultT,
  TaskQueryT, TaskT,
} from './tasks.schema.js';

/** A task whose place lies this close to a member's home is "near me" even outside the member's community. */
export const NEAR_METERS = 3000;
const scopeKinds = new Set(['district', 'street', 'community']);

/**
 * Claims committed in this process, by task id: the organiser's live counters (call stream) listen here.
 * Emitted after commit; a claim in another process is picked up by the stream's periodic refresh.
 */
export const claimEvents = new EventEmitter();
claimEvents.setMaxListeners(0);

const isStaff = (auth: AuthContext) => auth.permissions.has('service:read');
function requireTaskReader(auth: AuthContext): void {
  if (!isStaff(auth) && !auth.permissions.has('service:claim')) throw forbidden('没有权限（需要 service:read 或 service:claim）', 'service:read or service:claim required');
}

const iso = (d: Date | string) => new Date(d).toISOString();

export function presentTask(r: repo.TaskRow): TaskT {
  return {
    id: r.id, callId: r.call_id, title: r.title, description: r.description, size: r.size, scopeCode: r.scope_code, scopeName: r.scope_name,
    skills: r.skills ?? [], location: (r.location ?? null) as TaskT['location'], capacity: r.capacity, claimed: r.claimed,
    startsAt: iso(r.starts_at), endsAt: iso(r.ends_at), hourCap: Number(r.hour_cap), emergency: r.emergency, status: r.status,
    createdAt: iso(r.created_at),
    distanceMeters: r.distance === null || r.distance === undefined ? null : Math.round(r.distance),
    myClaim: r.my_claim_id ? { id: r.my_claim_id, status: r.my_claim_status!, teamId: r.my_team_id,
      checkedInAt: r.my_checked_in_at ? iso(r.my_checked_in_at) : null, checkedOutAt: r.my_checked_out_at ? iso(r.my_checked_out_at) : null,
      suggestedHours: suggestedHours(r.my_checked_in_at, r.my_checked_out_at, Number(r.hour_cap)) } : null,
  };
}

/** The span from check-in to check-out in half hours (at least ½, at most the task's cap): a default for the hours, never a rule. */
export function suggestedHours(inAt: Date | string | null, outAt: Date | string | null, cap: number): number | null {
  if (!inAt || !outAt) return null;
  const hours = Math.round(((new Date(outAt).getTime() - new Date(inAt).getTime()) / 3_600_000) * 2) / 2;
  return Math.min(cap, Math.max(0.5, hours));
}

/** A governance node (district, street, community) in the caller's scope that work may be published to. */
async function publishScope(db: Kysely<DB>, auth: AuthContext, code: string, field = 'scopeCode'): Promise<repo.ScopeNode> {
  const node = await repo.findNode(db, code);
  if (!node) throw notFound('发布范围', 'scope', field);
  assertTerritoryInScope(auth, node.path, '发布范围');
  if (!scopeKinds.has(node.kind)) throw invalid(field, '发布范围须为区、街道或社区', 'scope must be a district, street or community');
  return node;
}

/** Checks one task's fields (times, place, skills) and shapes it for insertion. */
async function checkedTask(db: Kysely<DB>, auth: AuthContext, t: CallTaskT & { size?: string; emergency?: boolean }, scope: repo.ScopeNode,
  callId: number | null, prefix = ''): Promise<repo.NewTask> {
  const starts = Date.parse(t.startsAt), ends = Date.parse(t.endsAt);
  if (!(ends > starts)) throw invalid(`${prefix}endsAt`, '结束时间须晚于开始时间', 'must be after startsAt');
  if (ends <= Date.now()) throw invalid(`${prefix}endsAt`, '结束时间已过', 'already past');
  if (t.location) checkPointGeoJson(`${prefix}location`, t.location);
  const skills = [...new Set(t.skills ?? [])];
  const unknown = await repo.unknownSkills(db, skills);
  if (unknown.length) throw invalid(`${prefix}skills`, `未知技能：${unknown.join('、')}`, `unknown skills: ${unknown.join(', ')}`);
  return {
    callId, title: t.title.trim(), description: t.description ?? '', size: t.size ?? 'micro', scopeCode: scope.code, scopePath: scope.path,
    skills, location: t.location ?? null, capacity: t.capacity, startsAt: t.startsAt, endsAt: t.endsAt, hourCap: t.hourCap ?? null,
    emergency: t.emergency ?? callId !== null, createdBy: auth.userId,
  };
}

/** Publishes a task with limited slots to an area (staff, service:write). */
export async function createTask(db: Kysely<DB>, auth: AuthContext, body: CreateTaskBodyT, meta: RequestMeta): Promise<TaskT> {
  const scope = await publishScope(db, auth, body.scopeCode);
  if (body.callId !== undefined) {
    const call = await repo.findCall(db, body.callId);
    if (!call) throw notFound('召集令', 'call', 'callId');
    assertTerritoryInScope(auth, call.scope_path, '召集令');
    if (!(scope.path === call.scope_path || scope.path.startsWith(`${call.scope_path}.`))) {
      throw invalid('scopeCode', '任务范围须在召集令范围之内', 'task scope must lie inside the call\'s scope');
    }
    if (call.closed_at) throw new AppError('CONFLICT', '召集令已结束', { en: 'the call is closed' });
  }
  const task = await checkedTask(db, auth, body, scope, body.callId ?? null);
  const id = await transact(db, async (trx) => {
    const [taskId] = await repo.insertTasks(trx, [task]);
    await recordAudit(trx, auth, meta, { action: 'task.create', targetType: 'service_task', targetId: taskId!,
      summary: { title: task.title, scopeCode: task.scopeCode, capacity: task.capacity, callId: task.callId } });
    return taskId!;
  });
  return presentTask((await repo.findTask(db, id))!);
}

/** A task the caller may see: staff within their scope, members within their reach. */
async function visibleTask(db: Kysely<DB>, auth: AuthContext, id: number): Promise<{ task: repo.TaskRow; forceId: number | null }> {
  requireTaskReader(auth);
  if (isStaff(auth)) {
    const task = await repo.findTask(db, id);
    if (!task) throw notFound('任务', 'task');
    assertTerritoryInScope(auth, task.scope_path, '任务');
    return { task, forceId: null };
  }
  const force = await requireCallerForce(db, auth);
  const task = await repo.findTask(db, id, force.id, repo.memberReach(force.id, NEAR_METERS));
  if (!task) throw notFound('任务', 'task');
  return { task, forceId: force.id };
}

export async function getTask(db: Kysely<DB>, auth: AuthContext, id: number): Promise<TaskT> {
  return presentTask((await visibleTask(db, auth, id)).task);
}

/** Staff: the tasks published in their scope. Members: open tasks that reach them (or, with `mine`, the ones they hold). */
export async function listTasks(db: Kysely<DB>, auth: AuthContext, query: TaskQueryT, limit: number, cursor: unknown[] | null): Promise<{ items: TaskT[]; nextCursor: string | null }> {
  requireTaskReader(auth);
  const before = cursor ? Number(cursor[0]) : null;
  let rows: repo.TaskRow[];
  if (isStaff(auth)) {
    rows = await repo.listTasks(db, { inScope: territoryScope(auth, 't.scope_path'), status: query.status, callId: query.callId, q: query.q,
      forceId: null, before, limit });
  } else {
    const force = await requireCallerForce(db, auth);
    rows = await repo.listTasks(db, {
      inScope: repo.memberReach(force.id, NEAR_METERS), status: query.mine ? query.status : 'open', callId: query.callId, q: query.q,
      forceId: force.id, mine: query.mine, current: !query.mine, before, limit,
    });
  }
  return page(rows.map(presentTask), limit, (t) => [t.id]);
}

function slotError(status: string): AppError {
  switch (status) {
    case 'FULL': return new AppError('FULL', '名额已满', { en: 'no slots left' });
    case 'ALREADY_DONE': return new AppError('ALREADY_DONE', '您已认领过该任务', { en: 'you already hold this task' });
    case 'CLOSED': return new AppError('CONFLICT', '任务已结束', { en: 'the task is closed' });
    default: return notFound('任务', 'task');
  }
}

/**
 * Claims a slot (认领). Alone: one statement. With `teamId`: as a member of that team. With `memberIds` (the team
 * leader): one slot for each named team mate, all in one transaction — all or nothing. The request's
 * Idempotency-Key goes to the database function, so a retried request returns the same claim and claims nothing
 * more, even when both run at once. The solo claim is a prepared statement on PostgreSQL (platform/db/prepared.ts).
 */
export async function claimTask(db: Kysely<DB>, auth: AuthContext, taskId: number, body: ClaimBodyT, key: string | null): Promise<ClaimT> {
  const requestKey = key ? key.slice(0, 200) : null;
  if (body.teamId === undefined) {
    if (body.memberIds) throw invalid('teamId', '为队员认领须指定队伍', 'teamId is required with memberIds');
    // one round trip: the caller's force row, the reach check and claim_task_slot in a single statement
    const r = auth.personId === null ? undefined
      : await repo.claimAsMember(db, { taskId, personId: auth.personId, userId: auth.userId, key: requestKey, nearMeters: NEAR_METERS });
    if (!r || r.force_status !== 'active') throw notRegistered();
    if (r.status !== 'CLAIMED' && r.status !== 'REPLAY') throw slotError(r.status ?? 'NOT_FOUND');
    if (r.status === 'CLAIMED') claimEvents.emit('claim', taskId);
    return { id: r.claim_id!, taskId, forceId: r.force_id!, teamId: null, status: 'claimed', claimed: r.claimed!, capacity: r.capacity! };
  }
  const force = await requireCallerForce(db, auth);
  const team = await repo.findTeam(db, body.teamId, force.id);
  if (!team || !team.caller_role) throw notFound('队伍', 'team', 'teamId');
  const forceIds = body.memberIds ?? [force.id];
  if (body.memberIds) {
    if (team.caller_role !== 'leader' && team.leader_id !== force.id) throw forbidden('只有队长可以为队员认领', 'only the team leader may claim for members');
    const members = await repo.teamMembers(db, team.id, forceIds);
    const strangers = forceIds.filter((id) => !members.includes(id));
    if (strangers.length) throw invalid('memberIds', `不是本队队员：${strangers.join(', ')}`, `not members of the team: ${strangers.join(', ')}`);
  }
  const results = await transact(db, async (trx) => {
    const out: { forceId: number; r: repo.SlotResult }[] = [];
    for (const forceId of forceIds) {
      const memberKey = requestKey && body.memberIds ? `${requestKey}:${forceId}` : requestKey;
      const r = await repo.claimSlot(trx, { taskId, forceId, teamId: team.id, userId: auth.userId, key: memberKey,
        reach: out.length === 0 ? repo.memberReach(force.id, NEAR_METERS) : null });
      if (!r || (r.status !== 'CLAIMED' && r.status !== 'REPLAY')) {
        const err = slotError(r?.status ?? 'NOT_FOUND');
        if (body.memberIds && r?.status === 'ALREADY_DONE') {
          throw new AppError('ALREADY_DONE', `队员（力量库 ID ${forceId}）已认领过该任务`, { en: `member ${forceId} already holds this task`, field: 'memberIds' });
        }
        throw err; // rolls back every slot of this request: all or nothing
      }
      out.push({ forceId, r });
    }
    return out;
  });
  if (results.some((x) => x.r.status === 'CLAIMED')) claimEvents.emit('claim', taskId);
  const first = results[0]!;
  const last = results[results.length - 1]!;
  return {
    id: first.r.claim_id!, taskId, forceId: first.forceId, teamId: team.id, status: 'claimed', claimed: last.r.claimed, capacity: last.r.capacity,
    ...(body.memberIds ? { claims: results.map((x) => ({ id: x.r.claim_id!, forceId: x.forceId })) } : {}),
  };
}

/** The member gives their slot back (the trigger frees it). Only a claim not yet reported done can be cancelled. */
export async function cancelMyClaim(db: Kysely<DB>, auth: AuthContext, taskId: number): Promise<{ claimed: number; capacity: number }> {
  const force = await requireCallerForce(db, auth);
  const cancelled = await repo.cancelOwnClaim(db, taskId, force.id);
  if (!cancelled) {
    const held = await repo.heldClaim(db, taskId, force.id);
    if (held) throw new AppError('INVALID_TRANSITION', '已报告完成的认领不能取消', { en: 'a claim reported done cannot be cancelled' });
    throw notFound('认领', 'claim');
  }
  claimEvents.emit('claim', taskId);
  const task = (await repo.findTask(db, taskId))!;
  return { claimed: task.claimed, capacity: task.capacity };
}

/**
 * The member reports the work done with hours (≤ the task's cap) and optional photos: a pending service record the
 * organiser confirms (records module). One record per claim.
 */
export async function reportDone(db: Kysely<DB>, auth: AuthContext, taskId: number, claimId: number, body: DoneBodyT, meta: RequestMeta): Promise<DoneResultT> {
  const force = await requireCallerForce(db, auth);
  const evidence = [...new Set((body.evidence ?? []).map((e) => e.toLowerCase()))]; // as stored_file writes ids, so readers find the record
  if (evidence.length && (await repo.countOwnFiles(db, evidence, auth.userId)) !== evidence.length) {
    throw invalid('evidence', '照片不存在或不是本人上传', 'unknown file or not uploaded by you');
  }
  return transact(db, async (trx, onCommit) => {
    const claim = await repo.lockClaim(trx, claimId);
    if (!claim || claim.task_id !== taskId || claim.force_id !== force.id) throw notFound('认领', 'claim');
    if (claim.status === 'done') throw new AppError('ALREADY_DONE', '该认领已报告完成', { en: 'already reported done' });
    if (claim.status !== 'claimed') throw new AppError('INVALID_TRANSITION', '该认领已取消', { en: 'the claim was cancelled' });
    const task = (await repo.findTask(trx, taskId))!;
    if (new Date(task.starts_at).getTime() > Date.now()) {
      throw new AppError('CONFLICT', '任务尚未开始，开始后才能报告完成', { en: 'the task has not started yet' });
    }
    if (body.hours > Number(task.hour_cap)) throw invalid('hours', `服务时长不能超过本任务上限 ${Number(task.hour_cap)} 小时`, `at most ${task.hour_cap} hours`);
    await repo.markClaimDone(trx, claimId);
    const recordId = await repo.insertTaskRecord(trx, { forceId: force.id, claimId, communityCode: force.communityCode, title: task.title,
      size: task.size, hours: body.hours, hourCap: Number(task.hour_cap), evidence, note: body.note ?? null });
    await recordAudit(trx, auth, meta, { action: 'task.claim.done', targetType: 'task_claim', targetId: claimId, summary: { taskId, recordId, hours: body.hours } });
    if (task.created_by) {
      await notify(trx, onCommit, { recipientUserId: task.created_by, kind: 'reminder', title: `服务时长待确认：${task.title}`,
        body: `${maskName(auth.displayName) ?? ''}报告完成，申报 ${body.hours} 小时`, link: '/service/records', refType: 'service_record', refId: recordId });
    }
    return { claimId, recordId, hours: body.hours, status: 'pending' };
  });
}

/** A member may check in from this long before the task starts (people arrive early). */
const CHECK_IN_EARLY_MS = 3_600_000;

/**
 * The member's optional check-in or check-out (签到/签退) on their own claimed slot: when they came and went. Never a
 * condition for reporting done, confirming hours or rating (反形式主义: no forced check-ins); the span only suggests
 * the hours. Idempotent: a repeated check-in or check-out answers the time first recorded. Check-in needs the task
 * open and at most an hour before its start; check-out needs a check-in and a task not cancelled.
 */
export async function markAttendance(db: Kysely<DB>, auth: AuthContext, taskId: number, which: 'in' | 'out', meta: RequestMeta): Promise<AttendanceT> {
  const force = await requireCallerForce(db, auth);
  return transact(db, async (trx) => {
    const claim = await repo.lockOwnClaim(trx, taskId, force.id);
    if (!claim) throw notFound('认领', 'claim');
    const task = (await repo.findTask(trx, taskId))!;
    const present = (c: repo.AttendanceRow): AttendanceT => ({ claimId: c.id, taskId, checkedInAt: c.checked_in_at ? iso(c.checked_in_at) : null,
      checkedOutAt: c.checked_out_at ? iso(c.checked_out_at) : null, suggestedHours: suggestedHours(c.checked_in_at, c.checked_out_at, Number(task.hour_cap)) });
    if ((which === 'in' ? claim.checked_in_at : claim.checked_out_at) !== null) return present(claim);
    const verb = which === 'in' ? '签到' : '签退';
    if (claim.status !== 'claimed') throw new AppError('INVALID_TRANSITION', `已报告完成，无需${verb}`, { en: `the claim was reported done: no check-${which} needed` });
    if (task.status === 'cancelled') throw new AppError('INVALID_TRANSITION', `任务已取消，不能${verb}`, { en: 'the task was cancelled' });
    if (which === 'in') {
      if (task.status !== 'open') throw new AppError('INVALID_TRANSITION', '任务已结束，不能签到', { en: 'the task is closed' });
      if (new Date(task.starts_at).getTime() - CHECK_IN_EARLY_MS > Date.now()) {
        throw new AppError('CONFLICT', '任务开始前 1 小时内才能签到（签到为选填）', { en: 'check-in opens an hour before the task starts' });
      }
    } else if (claim.checked_in_at === null) {
      throw new AppError('INVALID_TRANSITION', '尚未签到，无需签退（签到、签退都是选填）', { en: 'no check-in to check out from' });
    }
    const stamped = await repo.stampAttendance(trx, claim.id, which);
    await recordAudit(trx, auth, meta, { action: `task.claim.check_${which}`, targetType: 'task_claim', targetId: claim.id,
      summary: { taskId, at: which === 'in' ? iso(stamped.checked_in_at!) : iso(stamped.checked_out_at!) } });
    return present(stamped);
  });
}

/** Staff: who claimed a task (names masked). */
export async function listTaskClaims(db: Kysely<DB>, auth: AuthContext, taskId: number): Promise<{ items: ClaimItemT[] }> {
  const task = await repo.findTask(db, taskId);
  if (!task) throw notFound('任务', 'task');
  assertTerritoryInScope(auth, task.scope_path, '任务');
  const rows = await repo.listClaims(db, taskId);
  return { items: rows.map((r) => ({ id: r.id, forceId: r.force_id, name: maskName(r.name), teamId: r.team_id, teamName: r.team_name,
    status: r.status, claimedAt: iso(r.claimed_at), doneAt: r.done_at ? iso(r.done_at) : null,
    checkedInAt: r.checked_in_at ? iso(r.checked_in_at) : null, checkedOutAt: r.checked_out_at ? iso(r.checked_out_at) : null })) };
}

/** Staff closes (no more claims; reports still accepted) or cancels (claims cancelled, claimers told) an open task. */
export async function finishTask(db: Kysely<DB>, auth: AuthContext, taskId: number, status: 'closed' | 'cancelled', meta: RequestMeta): Promise<TaskT> {
  const task = await repo.findTask(db, taskId);
  if (!task) throw notFound('任务', 'task');
  assertTerritoryInScope(auth, task.scope_path, '任务');
  await transact(db, async (trx, onCommit) => {
    const done = await repo.finishTask(trx, taskId, status);
    if (!done) throw new AppError('INVALID_TRANSITION', '任务已结束或已取消', { en: 'the task is no longer open' });
    await recordAudit(trx, auth, meta, { action: status === 'closed' ? 'task.close' : 'task.cancel', targetType: 'service_task', targetId: taskId });
    for (const userId of done.user_ids) {
      await notify(trx, onCommit, { recipientUserId: userId, kind: 'system', title: `任务已取消：${task.title}`,
        body: '组织方取消了该任务，您的认领已释放。', link: `/m/tasks/${taskId}`, refType: 'service_task', refId: taskId });
    }
  });
  claimEvents.emit('claim', taskId);
  return presentTask((await repo.findTask(db, taskId))!);
}

// ─── Emergency mobilisation (应急式报到) ───────────────────────────────────────

function presentCall(r: repo.CallRow): CallItemT {
  return {
    id: r.id, title: r.title, message: r.message, scopeCode: r.scope_code, scopeName: r.scope_name, createdAt: iso(r.created_at),
    closedAt: r.closed_at ? iso(r.closed_at) : null,
    counters: { tasks: r.tasks, capacity: r.capacity, claimed: r.claimed, members: r.members, teams: r.teams, done: r.done },
  };
}

/**
 * Issues a call to every registered member under a scope: the call, its tasks and ONE audience notification
 * (fanned out when read), pushed live to the open inboxes after commit.
 */
export async function createCall(db: Kysely<DB>, auth: AuthContext, body: CreateCallBodyT, meta: RequestMeta): Promise<CallT> {
  const scope = await publishScope(db, auth, body.scopeCode);
  const tasks: repo.NewTask[] = [];
  for (const [i, t] of body.tasks.entries()) tasks.push(await checkedTask(db, auth, { ...t, emergency: true }, scope, 0, `tasks.${i}.`));
  const callId = await transact(db, async (trx, onCommit) => {
    const call = await repo.insertCall(trx, { title: body.title.trim(), message: body.message, scopeCode: scope.code, scopePath: scope.path, createdBy: auth.userId });
    await repo.insertTasks(trx, tasks.map((t) => ({ ...t, callId: call.id })));
    await recordAudit(trx, auth, meta, { action: 'call.create', targetType: 'mobilisation_call', targetId: call.id,
      summary: { title: body.title, scopeCode: scope.code, tasks: tasks.length, capacity: tasks.reduce((s, t) => s + t.capacity, 0) } });
    await notify(trx, onCommit, { audiencePath: scope.path, kind: 'call', title: `召集令：${body.title.trim()}`, body: body.message,
      link: `/m/calls/${call.id}`, refType: 'mobilisation_call', refId: call.id });
    return call.id;
  });
  return getCall(db, auth, callId);
}

/** A call the caller may see: staff within their scope; members when it covers their community. */
async function visibleCall(db: Kysely<DB>, auth: AuthContext, id: number): Promise<{ call: repo.CallRow; forceId: number | null }> {
  requireTaskReader(auth);
  const call = await repo.findCall(db, id);
  if (!call) throw notFound('召集令', 'call');
  if (isStaff(auth)) {
    assertTerritoryInScope(auth, call.scope_path, '召集令');
    return { call, forceId: null };
  }
  const force = await requireCallerForce(db, auth);
  if (!(force.communityPath === call.scope_path || force.communityPath.startsWith(`${call.scope_path}.`))) throw notFound('召集令', 'call');
  return { call, forceId: force.id };
}

export async function getCall(db: Kysely<DB>, auth: AuthContext, id: number): Promise<CallT> {
  const { call, forceId } = await visibleCall(db, auth, id);
  const tasks = await repo.listTasks(db, { inScope: sql<SqlBool>`true`, callId: id, forceId, before: null, limit: 500 });
  return { ...presentCall(call), tasks: tasks.map(presentTask) };
}

/** The counters alone (call stream); null when the call is gone. */
export async function callCounters(db: Kysely<DB>, id: number): Promise<CallItemT['counters'] | null> {
  const call = await repo.findCall(db, id);
  return call ? presentCall(call).counters : null;
}

/** Checks the caller may watch a call's counters; returns its task ids' source (the call id). */
export async function assertCallVisible(db: Kysely<DB>, auth: AuthContext, id: number): Promise<void> {
  await visibleCall(db, auth, id);
}

export async function listCalls(db: Kysely<DB>, auth: AuthContext, query: CallQueryT, limit: number, cursor: unknown[] | null): Promise<{ items: CallItemT[]; nextCursor: string | null }> {
  requireTaskReader(auth);
  const before = cursor ? Number(cursor[0]) : null;
  const inScope = isStaff(auth) ? territoryScope(auth, 'c.scope_path')
    : sql<SqlBool>`c.scope_path @> cast(${(await requireCallerForce(db, auth)).communityPath} as ltree)`;
  const rows = await repo.listCalls(db, { inScope, active: query.active, before, limit });
  return page(rows.map(presentCall), limit, (c) => [c.id]);
}

export async function closeCall(db: Kysely<DB>, auth: AuthContext, id: number, meta: RequestMeta): Promise<CallT> {
  const call = await repo.findCall(db, id);
  if (!call) throw notFound('召集令', 'call');
  assertTerritoryInScope(auth, call.scope_path, '召集令');
  await transact(db, async (trx) => {
    if (!(await repo.closeCall(trx, id))) throw new AppError('INVALID_TRANSITION', '召集令已结束', { en: 'the call is already closed' });
    await recordAudit(trx, auth, meta, { action: 'call.close', targetType: 'mobilisation_call', targetId: id });
  });
  return getCall(db, auth, id);
}

/** The ids of a call's tasks (the call stream listens for claims on them). */
export async function callTaskIds(db: Kysely<DB>, id: number): Promise<number[]> {
  return repo.callTaskIds(db, id);
}
