/**
 * Open311 GeoReport v2 under /open311/v2 (register with that prefix): public like the standard (no session; POST
 * needs an `api_key` of kind open311), every resource as `.json` or `.xml`, requests form-encoded as the spec says
 * (or JSON), errors in the standard's own shape: `[{"code": 403, "description": "…"}]` / `<errors><error>…`.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../platform/errors.js';
import { databaseError, publicOrigin } from '../../platform/http.js';
import {
  CreatedRequest, CreateRequestBody, Discovery, FormatOnly, JurisdictionQuery, Open311Errors, RequestIdParams, RequestsQuery,
  ServiceCodeParams, Service, ServiceDefinition, ServiceRequest, type Format, type Open311ErrorsT,
} from './open311.schema.js';
import * as open311 from './open311.service.js';
import { xmlDocument, type XmlValue } from './open311.xml.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const XML_TYPE = 'text/xml; charset=utf-8';

/** Sends the answer in the format the path asked for; `root` is the XML root element (its items named per the spec). */
function answer(reply: FastifyReply, format: Format, root: string, value: XmlValue, status = 200) {
  reply.code(status);
  if (format === 'xml') return reply.type(XML_TYPE).send(xmlDocument(root, value));
  return reply.type(JSON_TYPE).send(value);
}

const formatOf = (request: FastifyRequest): Format => (/\.xml(\?|$)/i.test(request.url) ? 'xml' : 'json');

/** application/x-www-form-urlencoded → fields; a repeated field (e.g. `attribute[code][]`) becomes a list. */
function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const prior = out[k];
    out[k] = prior === undefined ? (k.endsWith('[]') ? [v] : v) : [...(Array.isArray(prior) ? prior : [prior]), v];
  }
  return out;
}

export const open311Routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.linli;
  app.addSchema(Open311Errors);
  const tags = ['open311'];
  const errors = { 400: Type.Ref('Open311Errors'), 403: Type.Ref('Open311Errors'), 404: Type.Ref('Open311Errors') };
  const produces = ['application/json', 'text/xml'];

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    try { done(null, parseForm(String(body))); } catch (err) { done(err as Error, undefined); }
  });

  // The standard's error shape for everything under /open311/v2, in the format the path asked for.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const english = (request.headers['accept-language'] ?? '').toLowerCase().startsWith('en');
    let status = 500;
    let description = english ? 'internal error' : '服务器内部错误，请稍后重试';
    let mapped: AppError | null;
    if (error instanceof AppError) {
      status = error.status;
      description = english && error.options.en ? error.options.en : error.message;
    } else if (error.validation) {
      const first = error.validation[0];
      const params = (first?.params ?? {}) as Record<string, unknown>;
      const field = String(params.missingProperty ?? '') || (first?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') || error.validationContext || 'request';
      status = 400;
      description = `${field}: ${english ? first?.message ?? 'invalid' : `格式不正确（${first?.message ?? ''}）`}`;
    } else if (error.statusCode && error.statusCode < 500) {
      status = error.statusCode;
      description = error.message;
    } else if ((mapped = databaseError(error))) { // the platform's safety net behind the input rules
      status = mapped.status;
      description = english && mapped.options.en ? mapped.options.en : mapped.message;
    } else {
      request.log.error({ err: error }, 'open311: unhandled error');
    }
    const body: Open311ErrorsT = [{ code: status, description }];
    return answer(reply, formatOf(request), 'errors', body, status);
  });
  app.setNotFoundHandler((request, reply) => answer(reply, formatOf(request), 'errors',
    [{ code: 404, description: `接口不存在：${request.method} ${request.url.split('?')[0]}（见 GeoReport v2）` }], 404));

  app.get('/discovery.:format', {
    config: { public: true },
    schema: { tags, summary: 'Open311 服务发现：本端点的地址、格式与密钥获取方式', params: FormatOnly, produces, response: { 200: Discovery, ...errors } },
  }, async (request, reply) => answer(reply, request.params.format, 'discovery',
    open311.discovery(`${publicOrigin(request, app.linli.config)}${request.url.replace(/\/discovery\.(json|xml).*$/, '')}`)));

  app.get('/services.:format', {
    config: { public: true },
    schema: { tags, summary: 'Open311 服务列表：启用的案件小类', params: FormatOnly, querystring: JurisdictionQuery, produces,
      response: { 200: Type.Array(Service), ...errors } },
  }, async (request, reply) => answer(reply, request.params.format, 'services', await open311.listServices(db, request.query.jurisdiction_id)));

  app.get('/services/:service_code.:format', {
    config: { public: true },
    schema: { tags, summary: 'Open311 服务定义：附加属性（未知编码 404）', params: ServiceCodeParams, querystring: JurisdictionQuery, produces,
      response: { 200: ServiceDefinition, ...errors } },
  }, async (request, reply) => answer(reply, request.params.format, 'service_definition',
    await open311.serviceDefinition(db, request.params.service_code, request.query.jurisdiction_id)));

  app.post('/requests.:format', {
    config: { public: true },
    schema: { tags, summary: 'Open311 提交服务请求 → 案件（需 api_key；application/x-www-form-urlencoded 或 JSON）',
      params: FormatOnly, querystring: Type.Object({ api_key: Type.Optional(Type.String({ maxLength: 200 })) }), body: CreateRequestBody,
      consumes: ['application/x-www-form-urlencoded', 'application/json'], produces, response: { 200: CreatedRequest, ...errors } },
  }, async (request, reply) => {
    const header = request.headers['x-api-key'];
    const bearer = request.headers.authorization?.startsWith('Bearer ') ? request.headers.authorization.slice(7).trim() : undefined;
    const key = request.body.api_key ?? request.query.api_key ?? (typeof header === 'string' ? header : undefined) ?? bearer;
    return answer(reply, request.params.format, 'service_requests', await open311.createRequest(db, request.body, key));
  });

  app.get('/requests.:format', {
    config: { public: true },
    schema: { tags, summary: 'Open311 查询服务请求（按单号、服务、状态、时间窗口；默认近 90 天；不含报告人信息）', params: FormatOnly,
      querystring: RequestsQuery, produces, response: { 200: Type.Array(ServiceRequest), ...errors } },
  }, async (request, reply) => answer(reply, request.params.format, 'service_requests', await open311.listRequests(db, request.query)));

  app.get('/requests/:service_request_id.:format', {
    config: { public: true },
    schema: { tags, summary: 'Open311 查询一个服务请求（服务单号或案件 ID）', params: RequestIdParams, querystring: JurisdictionQuery, produces,
      response: { 200: Type.Array(ServiceRequest), ...errors } },
  }, async (request, reply) => answer(reply, request.params.format, 'service_requests',
    await open311.getRequest(db, request.params.service_request_id, request.query.jurisdiction_id)));
};
