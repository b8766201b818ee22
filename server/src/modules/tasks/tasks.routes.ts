import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authOf } from '../../platform/http.js';
import { decodeCursor, errorResponses, ListOf } from '../../platform/schema.js';
import { openSse } from '../notifications/sse.js';
import * as tasks from './tasks.service.js';
import {
  Attendance, Call, CallItem, CallQuery, Claim, ClaimBody, ClaimItem, ClaimParams, CreateCallBody, CreateTaskBody, DoneBody, DoneResult, IdParam, Task,
  TaskQuery,
} from './tasks.schema.js';

/** How often the organiser's call page may be pushed new counters, and how often they are refreshed anyway. */
const PUSH_EVERY_MS = 500;
const REFRESH_EVERY_MS = 10_000;

/** Tasks with limited slots and emergency mobilisation calls (应急式报到, C4.4). */
export const tasksRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.linli;
  app.addSchema(Task);
  const tags = ['service-tasks'];
  const write = { permission: 'service:write' };
  const claim = { permission: 'service:claim' };
  const taskRef = Type.Ref('ServiceTask');

  app.post('/api/v1/service/tasks', {
    config: write,
    schema: { tags, summary: '发布任务（限定名额）', body: CreateTaskBody, response: { 201: taskRef, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await tasks.createTask(db, authOf(request), request.body, request.meta)));

  app.get('/api/v1/service/tasks', {
    schema: { tags, summary: '任务列表（工作人员：本范围发布的任务；党员：覆盖本人社区或离家 3 公里内的进行中任务，mine=true 看我认领的）',
      querystring: TaskQuery, response: { 200: ListOf(taskRef), ...errorResponses } },
  }, async (request) => tasks.listTasks(db, authOf(request), request.query, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id'])));

  app.get('/api/v1/service/tasks/:id', {
    schema: { tags, summary: '任务详情（含名额与已认领数）', params: IdParam, response: { 200: taskRef, ...errorResponses } },
  }, async (request) => tasks.getTask(db, authOf(request), request.params.id));

  app.post('/api/v1/service/tasks/:id/close', {
    config: write,
    schema: { tags, summary: '结束任务（不再接受认领；已认领的仍可报告完成）', params: IdParam, response: { 200: taskRef, ...errorResponses } },
  }, async (request) => tasks.finishTask(db, authOf(request), request.params.id, 'closed', request.meta));

  app.post('/api/v1/service/tasks/:id/cancel', {
    config: write,
    schema: { tags, summary: '取消任务（认领一并取消并通知认领人）', params: IdParam, response: { 200: taskRef, ...errorResponses } },
  }, async (request) => tasks.finishTask(db, authOf(request), request.params.id, 'cancelled', request.meta));

  app.get('/api/v1/service/tasks/:id/claims', {
    config: { permission: 'service:read' },
    schema: { tags, summary: '任务的认领名单（姓名脱敏）', params: IdParam, response: { 200: Type.Object({ items: Type.Array(ClaimItem) }), ...errorResponses } },
  }, async (request) => tasks.listTaskClaims(db, authOf(request), request.params.id));

  app.post('/api/v1/service/tasks/:id/claims', {
    config: claim,
    // a claim alone needs no body: a bodiless POST counts as {}
    preValidation: async (request) => { if (request.body === null || request.body === undefined) (request as { body: unknown }).body = {}; },
    schema: {
      tags,
      summary: '认领名额（个人；teamId 以队伍名义；队长可用 memberIds 为队员各认领一个名额，全部成功或全部不成功）',
      description: '409 FULL 名额已满；409 ALREADY_DONE 已认领过；409 CONFLICT 任务已结束。带 Idempotency-Key 重试返回同一认领，不会重复占用名额。',
      params: IdParam, body: ClaimBody, response: { 201: Claim, ...errorResponses },
    },
  }, async (request, reply) => {
    const key = request.headers['idempotency-key'];
    return reply.code(201).send(await tasks.claimTask(db, authOf(request), request.params.id, request.body, typeof key === 'string' ? key : null));
  });

  app.delete('/api/v1/service/tasks/:id/claims/mine', {
    config: claim,
    schema: { tags, summary: '取消我的认领（释放名额）', params: IdParam,
      response: { 200: Type.Object({ claimed: Type.Integer(), capacity: Type.Integer() }), ...errorResponses } },
  }, async (request) => tasks.cancelMyClaim(db, authOf(request), request.params.id));

  for (const which of ['in', 'out'] as const) {
    app.post(`/api/v1/service/tasks/:id/check-${which}`, {
      config: claim,
      schema: {
        tags,
        summary: which === 'in' ? '签到（选填：记下到场时间；不是报告完成、确认时长或评价的条件）' : '签退（选填：记下离开时间，签到到签退的时长仅作申报时长的默认值）',
        description: '只能对本人认领且未报告完成的名额操作；重复操作返回首次记录的时间。409 INVALID_TRANSITION：任务已结束/已取消、已报告完成或未签到先签退；'
          + '409 CONFLICT：任务开始前 1 小时之前签到。',
        params: IdParam, response: { 200: Attendance, ...errorResponses },
      },
    }, async (request) => tasks.markAttendance(db, authOf(request), request.params.id, which, request.meta));
  }

  app.post('/api/v1/service/tasks/:id/claims/:claimId/done', {
    config: claim,
    schema: { tags, summary: '报告完成：申报时长（不超过任务上限）与照片，生成待组织方确认的服务记录', params: ClaimParams, body: DoneBody,
      response: { 201: DoneResult, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await tasks.reportDone(db, authOf(request), request.params.id, request.params.claimId, request.body, request.meta)));

  // ─── Emergency mobilisation calls ───
  app.post('/api/v1/service/calls', {
    config: write,
    schema: { tags, summary: '发出召集令（应急式报到）：召集令 + 任务，范围内所有报到党员实时收到', body: CreateCallBody,
      response: { 201: Call, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await tasks.createCall(db, authOf(request), request.body, request.meta)));

  app.get('/api/v1/service/calls', {
    schema: { tags, summary: '召集令列表（工作人员：本范围；党员：覆盖本人社区的）', querystring: CallQuery,
      response: { 200: ListOf(CallItem), ...errorResponses } },
  }, async (request) => tasks.listCalls(db, authOf(request), request.query, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id'])));

  app.get('/api/v1/service/calls/:id', {
    schema: { tags, summary: '召集令与实时计数（任务数、总名额、已认领、响应人数、响应队伍）', params: IdParam, response: { 200: Call, ...errorResponses } },
  }, async (request) => tasks.getCall(db, authOf(request), request.params.id));

  app.post('/api/v1/service/calls/:id/close', {
    config: write,
    schema: { tags, summary: '结束召集（其进行中的任务一并结束）', params: IdParam, response: { 200: Call, ...errorResponses } },
  }, async (request) => tasks.closeCall(db, authOf(request), request.params.id, request.meta));

  app.get('/api/v1/service/calls/:id/stream', {
    schema: { tags, summary: '召集令实时计数（Server-Sent Events，event: counters，至多每秒 2 次）', params: IdParam,
      produces: ['text/event-stream'], response: { 200: Type.String({ description: 'text/event-stream' }), ...errorResponses } },
  }, async (request, reply) => {
    const id = request.params.id;
    await tasks.assertCallVisible(db, authOf(request), id);
    const stream = openSse(request, reply);
    let taskIds = new Set<number>();
    let dirty = true;
    let busy = false;
    let last = '';
    const push = async () => {
      if (busy || stream.closed) return;
      busy = true;
      dirty = false;
      try {
        const [counters, ids] = await Promise.all([tasks.callCounters(db, id), tasks.callTaskIds(db, id)]);
        taskIds = new Set(ids);
        const text = JSON.stringify(counters);
        if (counters && text !== last) {
          last = text;
          stream.send({ event: 'counters', data: counters });
        }
      } catch (err) {
        request.log.warn({ err }, 'call stream refresh failed');
      } finally {
        busy = false;
      }
    };
    const onClaim = (taskId: number) => { if (taskIds.has(taskId)) dirty = true; };
    tasks.claimEvents.on('claim', onClaim);
    const tick = setInterval(() => { if (dirty) void push(); }, PUSH_EVERY_MS);
    const refresh = setInterval(() => { dirty = true; }, REFRESH_EVERY_MS);
    stream.onClose(() => { tasks.claimEvents.off('claim', onClaim); clearInterval(tick); clearInterval(refresh); });
    await push();
  });
};
