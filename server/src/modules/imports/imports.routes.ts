import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { DB } from '../../platform/db/tables.js';
import { assertUploadQuota } from '../../platform/upload-quota.js';
import { assertSafeXlsx, xlsxLimits } from '../../platform/xlsx-guard.js';
import { authOf } from '../../platform/http.js';
import { AppError, invalid } from '../../platform/errors.js';
import { decodeCursor, errorResponses, ListOf } from '../../platform/schema.js';
import { checkText, hasControl } from '../../platform/input.js';
import * as imports from './imports.service.js';
import {
  IMPORT_KINDS, IMPORT_MODES, ImportAccepted, ImportJob, ImportListQuery, ImportUploadDoc, JobIdParam, TemplateParams, TemplateQuery,
  type ImportKind, type ImportMode,
} from './imports.schema.js';
import { KIND_NAMES } from './imports.columns.js';

/** Largest accepted upload (a 1,000,000-row CSV is ~100 MB). */
const MAX_UPLOAD = 2 * 1024 * 1024 * 1024;

const attachment = (name: string) => `attachment; filename="import.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`;

/**
 * Streams the multipart upload to a temp file; returns the form fields and the file. The uploader's daily quota is
 * checked before and after receiving, and an .xlsx must pass the decompression-bomb guard; a refused file is removed.
 */
async function receiveUpload(request: FastifyRequest, db: Kysely<DB>, config: Config, userId: number):
Promise<{ kind: ImportKind; mode: ImportMode; fileName: string; filePath: string; fileSize: number }> {
  if (!request.isMultipart()) throw invalid('file', '请以 multipart/form-data 上传文件', 'upload the file as multipart/form-data');
  await assertUploadQuota(db, config, userId, null);
  const fields: Record<string, string> = {};
  let file: { fileName: string; filePath: string } | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (file) { part.file.resume(); continue; }
        if (hasControl(part.filename)) { part.file.resume(); throw invalid('file', '文件名包含不允许的控制字符', 'control character in the file name'); }
        if (!/\.(csv|xlsx)$/i.test(part.filename)) { part.file.resume(); throw invalid('file', '仅支持 .xlsx 或 .csv 文件', 'only .xlsx or .csv files'); }
        const filePath = join(tmpdir(), `linli-import-${randomUUID()}${/\.xlsx$/i.test(part.filename) ? '.xlsx' : '.csv'}`);
        file = { fileName: part.filename, filePath };
        await pipeline(part.file, createWriteStream(filePath));
        if (part.file.truncated) throw new AppError('TOO_LARGE', 'file: 文件过大', { field: 'file', en: 'file: too large' });
      } else {
        fields[part.fieldname] = checkText(part.fieldname, String(part.value ?? ''));
      }
    }
    if (!file) throw invalid('file', '缺少必填项', 'required');
    const kind = fields.kind ?? '';
    const mode = fields.mode || 'all_or_nothing';
    if (!(IMPORT_KINDS as readonly string[]).includes(kind)) throw invalid('kind', '取值不在允许范围内', 'must be one of ' + IMPORT_KINDS.join(', '));
    if (!(IMPORT_MODES as readonly string[]).includes(mode)) throw invalid('mode', '取值不在允许范围内', 'must be one of ' + IMPORT_MODES.join(', '));
    const { size } = await stat(file.filePath);
    if (size === 0) throw invalid('file', '文件为空', 'empty file');
    await assertUploadQuota(db, config, userId, size);
    if (/\.xlsx$/i.test(file.fileName)) await assertSafeXlsx(file.filePath, file.fileName, xlsxLimits(config));
    return { kind: kind as ImportKind, mode: mode as ImportMode, fileName: file.fileName, filePath: file.filePath, fileSize: size };
  } catch (err) {
    if (file) await rm(file.filePath, { force: true });
    throw err;
  }
}

/** Excel/CSV imports with row-level error reports (issue 3, item 3). */
export const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, engine, config } = app.linli;
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD, files: 1, fields: 10 } });
  app.addSchema(ImportJob);
  const run = { permission: 'import:run' };
  const tags = ['imports'];

  await imports.recoverInterruptedJobs(db);
  app.addHook('onClose', async () => imports.waitForImports());

  app.get('/api/v1/imports/templates/:kind', {
    config: run,
    schema: { tags, summary: '下载导入模板（xlsx 含下拉字典与说明；csv 为表头）', params: TemplateParams, querystring: TemplateQuery,
      response: { 200: Type.String({ format: 'binary', description: '.xlsx 或 .csv 文件' }), ...errorResponses } },
  }, async (request, reply) => {
    const format = request.query.format ?? 'xlsx';
    const body = await imports.template(db, request.params.kind, format);
    const name = `${KIND_NAMES[request.params.kind]}导入模板.${format}`;
    return reply
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', attachment(name).replace('import.xlsx', `template.${format}`))
      .send(body);
  });

  app.post('/api/v1/imports', {
    config: run,
    schema: { tags, summary: '上传文件并开始导入（后台执行，轮询 GET /imports/{id} 查看进度）', description: ImportUploadDoc.description,
      consumes: ['multipart/form-data'], response: { 202: ImportAccepted, ...errorResponses, 413: Type.Ref('ErrorResponse') } },
  }, async (request, reply) => {
    const auth = authOf(request);
    const upload = await receiveUpload(request, db, config, auth.userId);
    const job = await imports.startImport(db, engine, auth, request.meta, upload);
    return reply.code(202).send(job);
  });

  app.get('/api/v1/imports', {
    config: run,
    schema: { tags, summary: '本人的导入任务（新的在前）', querystring: ImportListQuery, response: { 200: ListOf(Type.Ref('ImportJob')), ...errorResponses } },
  }, async (request) => imports.listJobs(db, authOf(request), request.query.limit ?? 20, decodeCursor(request.query.cursor, ['timestamp', 'uuid']),
    request.query.errors === true));

  app.get('/api/v1/imports/:id', {
    config: run,
    schema: { tags, summary: '导入任务状态与进度', params: JobIdParam, response: { 200: Type.Ref('ImportJob'), ...errorResponses } },
  }, async (request) => imports.getJob(db, authOf(request), request.params.id));

  app.get('/api/v1/imports/:id/error-report', {
    config: run,
    schema: { tags, summary: '下载错误报告（.xlsx：行号、列、原因及原始数据）', params: JobIdParam,
      response: { 200: Type.String({ format: 'binary' }), ...errorResponses } },
  }, async (request, reply) => {
    const report = await imports.errorReport(db, authOf(request), request.params.id);
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', attachment(report.fileName)).send(report.body);
  });
};
