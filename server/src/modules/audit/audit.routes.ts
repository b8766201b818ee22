import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { authOf } from '../../platform/http.js';
import { forbidden } from '../../platform/errors.js';
import { decodeCursor, errorResponses, ListOf, ListQuery, page } from '../../platform/schema.js';

const AuditItem = Type.Object({
  id: Type.Integer(), seq: Type.Union([Type.Integer(), Type.Null()], { description: '审计链序号；写入后一秒内封存，此前为空' }), at: Type.String({ format: 'date-time' }), actorId: Type.Union([Type.Integer(), Type.Null()]),
  actorUsername: Type.Union([Type.String(), Type.Null()]), action: Type.String(), targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]), summary: Type.Record(Type.String(), Type.Unknown()), ip: Type.Union([Type.String(), Type.Null()]),
  hash: Type.Union([Type.String(), Type.Null()], { description: '封存的链式 HMAC；未封存时为空' }),
});

/** The audit trail, newest first. Reading it needs audit:read and a district-wide scope. */
export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.linli;
  app.get('/api/v1/audit', {
    config: { permission: 'audit:read' },
    schema: {
      tags: ['audit'], summary: '审计日志',
      querystring: Type.Object({
        action: Type.Optional(Type.String({ maxLength: 60, description: '动作，如 territory.update；以 . 结尾表示前缀；不含 . 的动词（如 unmask）匹配所有模块的该动作' })),
        targetType: Type.Optional(Type.String({ maxLength: 40 })), targetId: Type.Optional(Type.String({ maxLength: 60 })),
        actor: Type.Optional(Type.String({ maxLength: 64 })),
        from: Type.Optional(Type.String({ format: 'date-time' })), to: Type.Optional(Type.String({ format: 'date-time' })),
        ...ListQuery,
      }),
      response: { 200: ListOf(AuditItem), ...errorResponses },
    },
  }, async (request) => {
    const auth = authOf(request);
    if (auth.scope.kind !== 'all') throw forbidden('审计日志仅对全区范围的管理员开放', 'audit needs a district-wide scope');
    const { action, targetType, targetId, actor, from, to } = request.query;
    const limit = request.query.limit ?? 20;
    const after = decodeCursor(request.query.cursor, ['id']);
    let q = db.selectFrom('audit_log').leftJoin('audit_seal', 'audit_seal.audit_id', 'audit_log.id')
      .selectAll('audit_log').select(['audit_seal.seq', 'audit_seal.hash']).orderBy('audit_log.id', 'desc').limit(limit + 1);
    // 'territory.' = a prefix; a bare verb such as 'unmask' matches it in any module ('person.unmask').
    if (action) {
      q = action.endsWith('.') ? q.where('action', 'like', `${action}%`)
        : action.includes('.') ? q.where('action', '=', action)
        : q.where((eb) => eb.or([eb('action', '=', action), eb('action', 'like', `%.${action}`)]));
    }
    if (targetType) q = q.where('target_type', '=', targetType);
    if (targetId) q = q.where('target_id', '=', targetId);
    if (actor) q = q.where('actor_username', '=', actor);
    if (from) q = q.where('at', '>=', sql<Date>`cast(${from} as timestamptz)`);
    if (to) q = q.where('at', '<', sql<Date>`cast(${to} as timestamptz)`);
    if (after) q = q.where('audit_log.id', '<', Number(after[0]));
    const rows = await q.execute();
    const result = page(rows, limit, (r) => [r.id]);
    return {
      nextCursor: result.nextCursor,
      items: result.items.map((r) => ({ id: r.id, seq: r.seq, at: r.at.toISOString(), actorId: r.actor_id, actorUsername: r.actor_username,
        action: r.action, targetType: r.target_type, targetId: r.target_id, summary: r.summary, ip: r.ip, hash: r.hash })),
    };
  });
};
