import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { authOf } from '../../platform/http.js';
import { AppError, invalid } from '../../platform/errors.js';
import { errorResponses } from '../../platform/schema.js';
import { contentDisposition, FILE_CSP } from '../../platform/http-protections.js';
import { assertUploadQuota } from '../../platform/upload-quota.js';
import * as files from './files.service.js';

const StoredFile = Type.Object({
  id: Type.String({ format: 'uuid' }), url: Type.String(), size: Type.Integer(), contentType: Type.String(),
}, { $id: 'StoredFile' });

/** Evidence photos: upload one image (≤ 5 MiB, JPEG/PNG/WebP by its bytes) and read it back (who may: `fileReadable`). */
export const filesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.linli;
  await app.register(multipart, { limits: { fileSize: files.MAX_FILE_BYTES, files: 1, fields: 5 } });
  app.addSchema(StoredFile);
  const tags = ['files'];

  app.post('/api/v1/files', {
    schema: { tags, summary: '上传一张图片（服务凭证照片；JPEG/PNG/WebP，≤ 5 MiB，multipart 字段 file）', consumes: ['multipart/form-data'],
      response: { 201: Type.Ref('StoredFile'), ...errorResponses, 413: Type.Ref('ErrorResponse') } },
  }, async (request, reply) => {
    const auth = authOf(request);
    if (!request.isMultipart()) throw invalid('file', '请以 multipart/form-data 上传图片', 'upload the image as multipart/form-data');
    await assertUploadQuota(db, config, auth.userId, null);
    let bytes: Buffer | null = null;
    try {
      for await (const part of request.parts()) {
        if (part.type !== 'file') continue;
        if (bytes) { part.file.resume(); continue; }
        bytes = await part.toBuffer();
      }
    } catch (err) {
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new AppError('TOO_LARGE', 'file: 图片不能超过 5 MiB', { field: 'file', en: 'file: larger than 5 MiB' });
      }
      throw err;
    }
    if (!bytes) throw invalid('file', '缺少必填项', 'required');
    await assertUploadQuota(db, config, auth.userId, bytes.length);
    return reply.code(201).send(await files.storeImage(db, config.dataDir, auth, bytes, request.meta));
  });

  app.get('/api/v1/files/:id', {
    schema: { tags, summary: '读取图片：上传者本人，或能看到引用它的服务订单、服务记录、项目支出的人（其余一律 404）', params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
      response: { 200: Type.String({ format: 'binary' }), ...errorResponses } },
  }, async (request, reply) => {
    const { file, stream } = await files.openFile(db, config.dataDir, authOf(request), request.params.id);
    // only sniffed JPEG/PNG/WebP are ever stored, so they may be shown inline; nosniff keeps the browser to that type
    // and FILE_CSP keeps anything opened on its own inert
    const extension = file.contentType.slice('image/'.length).replace('jpeg', 'jpg');
    return reply.type(file.contentType).header('cache-control', 'private, max-age=86400').header('content-length', file.size)
      .header('x-content-type-options', 'nosniff').header('content-security-policy', FILE_CSP)
      .header('content-disposition', contentDisposition('inline', `${file.id}.${extension}`)).send(stream);
  });
};
