/**
 * Cross-cutting HTTP behaviour: authentication on every route unless marked public, permission checks,
 * the error vocabulary, request metrics and Idempotency-Key replay. Routes stay thin because of this file.
 */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import client from 'prom-client';
import type { Config } from '../config.js';
import type { AuthContext, RequestMeta } from './context.js';
import type { Db } from './db/index.js';
import { AppError, errorStatus, type ErrorBody } from './errors.js';
import { resolveSession, SESSION_COOKIE } from './auth/session.js';
import { checkHeaders, checkQueryEncoding, checkStrings, frameworkError } from './input.js';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
    meta: RequestMeta;
  }
  interface FastifyContextConfig {
    /** reachable without a session */
    public?: boolean;
    /** permission the caller must hold, e.g. 'territory:read' */
    permission?: string;
    /** allowed while the user must still change an initial or expired password */
    allowPasswordChange?: boolean;
    /** allowed while a privileged user must still enrol a second factor (TOTP) */
    allowTotpEnrollment?: boolean;
    /** the response holds a secret (a one-time password): never stored for Idempotency-Key replay */
    secretResponse?: boolean;
  }
}

/**
 * The site's origin for links and QR codes handed out: LINLI_PUBLIC_ORIGIN when set, else the request's own (its Host,
 * or X-Forwarded-Host from a trusted proxy).
 */
export function publicOrigin(request: FastifyRequest, config: Pick<Config, 'publicOrigin'>): string {
  return config.publicOrigin ?? `${request.protocol}://${request.host}`;
}

/** The authenticated caller; routes that are not public can rely on it. */
export function authOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new AppError('UNAUTHENTICATED', '请先登录', { en: 'please log in' });
  return request.auth;
}

const ajvMessages: Record<string, string> = {
  required: '缺少必填项', type: '类型不正确', pattern: '格式不正确', format: '格式不正确',
  minLength: '长度太短', maxLength: '长度太长', minimum: '数值太小', maximum: '数值太大',
  enum: '取值不在允许范围内', additionalProperties: '包含不允许的字段', minItems: '数量太少', maxItems: '数量太多',
  const: '取值不正确', anyOf: '格式不正确', oneOf: '格式不正确',
};

function validationBody(error: FastifyError, english: boolean): ErrorBody {
  const first = error.validation?.[0];
  const params = (first?.params ?? {}) as Record<string, unknown>;
  const path = (first?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const field = String(params.missingProperty ?? params.additionalProperty ?? '') ?
    [path, params.missingProperty ?? params.additionalProperty].filter(Boolean).join('.') : path || error.validationContext || 'body';
  const reason = english ? first?.message ?? 'invalid' : ajvMessages[first?.keyword ?? ''] ?? '格式不正确';
  return { error: { code: 'VALIDATION', message: `${field}: ${reason}`, field } };
}

/**
 * The field a failed check or not-null constraint is about: `<table>_<column>_check` (PostgreSQL's default names)
 * or the reported column, in the API's camelCase; null when it cannot be told.
 */
function constraintField(err: { constraint?: string; table?: string; column?: string }): string | null {
  let column = err.column ?? null;
  if (!column && err.constraint && err.table && err.constraint.startsWith(`${err.table}_`) && err.constraint.endsWith('_check')) {
    column = err.constraint.slice(err.table.length + 1, -'_check'.length);
  }
  if (!column || !/^[a-z][a-z0-9_]*$/.test(column)) return null;
  return column.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** Maps a PostgreSQL constraint failure that escaped a service to the error vocabulary, never with SQL text in it. */
export function databaseError(err: { code?: string; message: string; constraint?: string; table?: string; column?: string }): AppError | null {
  switch (err.code) {
    case '23505': return new AppError('CONFLICT', '记录已存在（重复的编码或名称）', { en: 'duplicate record' });
    case '23503': return new AppError('CONFLICT', '记录仍被引用或引用的记录不存在', { en: 'referenced record missing or still in use' });
    case '23514': case '23502': case '22P02': case '22023': {
      const field = constraintField(err);
      return field
        ? new AppError('VALIDATION', `${field}: 取值不符合规则`, { field, en: `${field}: invalid value` })
        : new AppError('VALIDATION', '数据不符合规则，请检查填写的内容', { en: 'invalid data' });
    }
    // Data exceptions a value brought in: NUL in text (22021) or jsonb (22P05), a number out of its column's range
    // (22003), a malformed or impossible date (22007, 22008), text too long for its column (22001). The input rules
    // (input.ts) and the schemas refuse these up front, naming the field; this is the safety net behind them.
    case '22021': case '22P05': case '22003': case '22007': case '22008': case '22001':
      return new AppError('VALIDATION', '输入的数据无效（字符、数值范围或日期），请检查填写的内容', { en: 'invalid input (characters, number range or date)' });
    default: return null;
  }
}

/** Messages for the framework's own refusals of a request body, with the field they are about. */
const frameworkBodyErrors: Record<string, { field: string; zh: string; en: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { field: 'body', zh: '不是有效的 JSON', en: 'not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { field: 'body', zh: '内容为空', en: 'empty JSON body' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { field: 'content-type', zh: '不支持的内容类型', en: 'unsupported media type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { field: 'content-length', zh: '与内容长度不符', en: 'does not match the body' },
  FST_ERR_CTP_BODY_TOO_LARGE: { field: 'body', zh: '内容过大', en: 'too large' },
};

const isEnglish = (request: FastifyRequest) => (request.headers['accept-language'] ?? '').toLowerCase().startsWith('en');

/** Sends an AppError in the API's error format. */
function sendAppError(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const message = isEnglish(request) && error.options.en ? error.options.en : error.message;
  return reply.code(error.status).send({ error: { code: error.code, message, ...(error.field ? { field: error.field } : {}) } });
}

/**
 * Server options of the input rules, for `Fastify({...})` in app.ts: the framework's own refusals (bad path encoding,
 * over-long path parameter) and Node's (header block over 16 KiB, malformed request line or header) in the error format.
 */
export const inputServerOptions = {
  frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => sendAppError(request, reply, frameworkError(error.code)),
  clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    if (!socket.writable) { socket.destroy(); return; }
    const [status, code, field, message] = error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'TOO_LARGE', 'headers', 'headers: 请求头过大']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'VALIDATION', null, '请求超时'] : [400, 'VALIDATION', null, '请求格式不正确'];
    const body = JSON.stringify({ error: { code, message, ...(field ? { field } : {}) } });
    socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n`
      + `Connection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  },
};

export interface HttpOptions { config: Config; db: Db }

export const httpPlatform = fp(async (app: FastifyInstance, { config, db }: HttpOptions) => {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const duration = new client.Histogram({
    name: 'linli_http_request_duration_seconds', help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'], registers: [registry],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  app.decorate('metricsRegistry', registry);

  app.decorateRequest('auth', null);
  app.decorateRequest('meta', null as unknown as RequestMeta);

  app.addHook('onRequest', async (request) => {
    request.meta = { ip: request.ip, requestId: request.id, userAgent: request.headers['user-agent'] };
    // The input rules (input.ts): headers and the query's encoding before anything reads them, the session included.
    checkHeaders(request.headers);
    checkQueryEncoding(request.url);
    // Only API routes act for a user; static files, probes and /docs never need the session looked up.
    if (!request.url.startsWith('/api/')) return;
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : request.cookies?.[SESSION_COOKIE];
    if (token) request.auth = await resolveSession(db, config, token);
  });

  // Every string a route reads (params, query, body, form fields) holds no control characters: one rule, before the schemas.
  app.addHook('preValidation', async (request) => {
    checkStrings(request.params, '');
    checkStrings(request.query, '');
    checkStrings(request.body, '');
  });

  app.addHook('preHandler', async (request) => {
    const routeConfig = request.routeOptions.config ?? {};
    if (routeConfig.public || !request.routeOptions.url) return;
    if (!request.routeOptions.url.startsWith('/api/')) return;
    const auth = authOf(request);
    if (auth.mustChangePassword && !routeConfig.allowPasswordChange) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED', '请先修改初始密码或已过期的密码', { en: 'change your password first' });
    }
    if (auth.totpEnrollmentRequired && !routeConfig.allowTotpEnrollment) {
      throw new AppError('TOTP_ENROLLMENT_REQUIRED', '您的账号权限较高，请先开启两步验证', { en: 'set up two-step verification first' });
    }
    if (routeConfig.permission && !auth.permissions.has(routeConfig.permission)) {
      throw new AppError('FORBIDDEN', `没有权限（需要 ${routeConfig.permission}）`, { en: `permission ${routeConfig.permission} required` });
    }
  });

  // Idempotency-Key (API.md): a repeated POST by the same user returns the first answer and does nothing.
  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string' || !request.auth) return;
    const stored = await db.selectFrom('idempotency_key').select(['status', 'body', 'method', 'path'])
      .where('user_id', '=', request.auth.userId).where('key', '=', key).executeTakeFirst();
    if (!stored) return;
    if (stored.path !== request.url) {
      throw new AppError('CONFLICT', 'Idempotency-Key 已用于另一个请求', { en: 'Idempotency-Key was used for another request' });
    }
    reply.header('idempotent-replay', 'true');
    return reply.code(stored.status).send(stored.body);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string' || !request.auth) return payload;
    if (reply.getHeader('idempotent-replay') || reply.statusCode >= 500 || request.routeOptions.config?.secretResponse) return payload;
    let body: unknown = null;
    try { body = typeof payload === 'string' && payload ? JSON.parse(payload) : null; } catch { body = null; }
    await db.insertInto('idempotency_key')
      .values({ key: key.slice(0, 200), user_id: request.auth.userId, method: request.method, path: request.url,
        status: reply.statusCode, body: body as Record<string, unknown> | null })
      .onConflict((oc) => oc.doNothing()).execute();
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error: FastifyError & { code?: string }, request: FastifyRequest, reply: FastifyReply) => {
    const english = isEnglish(request);
    if (error instanceof AppError) return sendAppError(request, reply, error);
    if (error.validation) return reply.code(400).send(validationBody(error, english));
    const mapped = databaseError(error as { code?: string; message: string });
    if (mapped) {
      request.log.info({ err: error }, 'database constraint');
      return reply.code(mapped.status).send({ error: { code: mapped.code, message: english ? mapped.options.en ?? mapped.message : mapped.message,
        ...(mapped.field ? { field: mapped.field } : {}) } });
    }
    const body = frameworkBodyErrors[error.code ?? ''];
    if (body && error.statusCode && error.statusCode < 500) {
      const code = error.statusCode === 413 ? 'TOO_LARGE' : 'VALIDATION';
      return reply.code(error.statusCode).send({ error: { code, message: `${body.field}: ${english ? body.en : body.zh}`, field: body.field } });
    }
    if (error.statusCode && error.statusCode < 500) {
      const code = error.statusCode === 413 ? 'TOO_LARGE' : error.statusCode === 429 ? 'RATE_LIMITED'
        : error.statusCode === 404 ? 'NOT_FOUND' : 'VALIDATION';
      return reply.code(error.statusCode).send({ error: { code, message: error.message } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'INTERNAL', message: english ? 'internal error' : '服务器内部错误，请稍后重试' } });
  });

});

export { errorStatus };

declare module 'fastify' {
  interface FastifyInstance {
    metricsRegistry: client.Registry;
  }
}
