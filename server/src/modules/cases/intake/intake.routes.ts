import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { authOf } from '../../../platform/http.js';
import { AppError, invalid } from '../../../platform/errors.js';
import { errorResponses, ListOf } from '../../../platform/schema.js';
import { assertUploadQuota, recordUpload } from '../../../platform/upload-quota.js';
import { assertSafeXlsx, xlsxLimits } from '../../../platform/xlsx-guard.js';
import { MAX_FILE_BYTES } from '../../files/files.service.js';
import { intakeCameraEvent } from './camera.js';
import { hotlineTemplate, importHotline } from './hotline.js';
import { listWishes } from './wishes.js';
import { issueApiKey, listApiKeys, revokeApiKey } from './api-keys.js';
import {
  ApiKeyIdParam, ApiKeyItem, CameraEvent, HotlineReport, IntakeResult, IssueApiKeyBody, IssuedApiKey, WishItem, WishQuery,
} from './intake.schema.js';

const attachment = (name: string) => `attachment; filename="hotline-template.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** Intake beyond the app's form: the camera webhook and the keys of machine intake, 12345 hotline batches (.xlsx), the wish wall. */
export const intakeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.linli;
  await app.register(multipart, { limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 5 } });
  const tags = ['cases-intake'];

  app.post('/api/v1/cases/intake/camera', {
    config: { public: true },
    bodyLimit: 8 * 1024 * 1024,
    schema: { tags, summary: '视频智能识别事件推送（请求头 X-Api-Key：camera 密钥）→ 案件；同一 eventId 重复推送返回原案件（200）',
      headers: Type.Object({ 'x-api-key': Type.Optional(Type.String({ maxLength: 200 })) }), body: CameraEvent,
      response: { 201: IntakeResult, 200: IntakeResult, ...errorResponses } },
  }, async (request, reply) => {
    const result = await intakeCameraEvent(db, config.dataDir, request.headers['x-api-key'], request.body, request.meta);
    return reply.code(result.created ? 201 : 200).send(result);
  });

  app.get('/api/v1/cases/intake/keys', {
    config: { permission: 'case:admin' },
    schema: { tags, summary: '接入密钥（Open311 客户端、视频识别平台）：本人范围内的辖区', response: { 200: Type.Array(ApiKeyItem), ...errorResponses } },
  }, async (request) => listApiKeys(db, authOf(request)));

  app.post('/api/v1/cases/intake/keys', {
    config: { permission: 'case:admin', secretResponse: true },
    schema: { tags, summary: '签发接入密钥（密钥只在本次返回，只保存其 SHA-256）', body: IssueApiKeyBody, response: { 201: IssuedApiKey, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await issueApiKey(db, authOf(request), request.body, request.meta)));

  app.post('/api/v1/cases/intake/keys/:id/revoke', {
    config: { permission: 'case:admin' },
    schema: { tags, summary: '停用接入密钥（此后使用它的请求一律 403）', params: ApiKeyIdParam, response: { 200: ApiKeyItem, ...errorResponses } },
  }, async (request) => revokeApiKey(db, authOf(request), request.params.id, request.meta));

  app.get('/api/v1/cases/intake/hotline/template', {
    config: { permission: 'case:desk' },
    schema: { tags, summary: '下载 12345 热线工单导入模板（.xlsx：表头、示例行、类别说明）',
      response: { 200: Type.String({ format: 'binary', description: '.xlsx 文件' }), ...errorResponses } },
  }, async (_request, reply) => reply
    .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', attachment('12345热线工单导入模板.xlsx'))
    .send(await hotlineTemplate(db)));

  app.post('/api/v1/cases/intake/hotline', {
    config: { permission: 'case:desk' },
    schema: { tags, summary: '导入 12345 热线工单（.xlsx，multipart 字段 file）：逐行登记为案件，按行报告：已登记（服务单号）、重复工单编号（跳过）、错误（行号、列、原因）',
      consumes: ['multipart/form-data'], response: { 200: HotlineReport, ...errorResponses, 413: Type.Ref('ErrorResponse') } },
  }, async (request) => {
    const auth = authOf(request);
    if (!request.isMultipart()) throw invalid('file', '请以 multipart/form-data 上传 .xlsx 文件', 'upload the .xlsx file as multipart/form-data');
    await assertUploadQuota(db, config, auth.userId, null);
    let bytes: Buffer | null = null;
    let fileName = '';
    try {
      for await (const part of request.parts()) {
        if (part.type !== 'file') continue;
        if (bytes) { part.file.resume(); continue; }
        if (!/\.xlsx$/i.test(part.filename)) { part.file.resume(); throw invalid('file', '仅支持 .xlsx 文件（请使用模板）', 'only .xlsx files'); }
        bytes = await part.toBuffer();
        fileName = part.filename;
      }
    } catch (err) {
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new AppError('TOO_LARGE', 'file: 文件不能超过 5 MiB', { field: 'file', en: 'file: larger than 5 MiB' });
      }
      throw err;
    }
    if (!bytes) throw invalid('file', '缺少必填项', 'required');
    await assertUploadQuota(db, config, auth.userId, bytes.length);
    await assertSafeXlsx(bytes, fileName, xlsxLimits(config));
    const report = await importHotline(db, auth, bytes, request.meta);
    await recordUpload(db, auth.userId, 'hotline', fileName, bytes.length);
    return report;
  });

  app.get('/api/v1/cases/wishes', {
    schema: { tags, summary: '心愿墙：居民看本人所在社区的心愿，工作人员看本人范围（可指定社区）；发布心愿用 POST /api/v1/cases（channel=wish）',
      querystring: WishQuery, response: { 200: ListOf(WishItem), ...errorResponses } },
  }, async (request) => listWishes(db, authOf(request), request.query));
};
