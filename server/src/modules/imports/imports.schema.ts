import { Type, type Static } from '@sinclair/typebox';
import { ListQuery, Nullable } from '../../platform/schema.js';

export const IMPORT_KINDS = ['rooms', 'residents', 'party_members', 'owners', 'registry'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_MODES = ['all_or_nothing', 'valid_rows'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export const ImportKindSchema = Type.Union(IMPORT_KINDS.map((k) => Type.Literal(k)), { description: '导入类型' });
export const ImportModeSchema = Type.Union(IMPORT_MODES.map((k) => Type.Literal(k)),
  { description: 'all_or_nothing：有任何错误行则不写入；valid_rows：写入正确的行，错误行进入报告' });

export const TemplateParams = Type.Object({ kind: ImportKindSchema });
export const TemplateQuery = Type.Object({ format: Type.Optional(Type.Union([Type.Literal('xlsx'), Type.Literal('csv')], { default: 'xlsx' })) });

export const JobIdParam = Type.Object({ id: Type.String({ pattern: '^[0-9a-fA-F-]{36}$', description: '导入任务 id' }) });

export const ImportJob = Type.Object({
  id: Type.String(),
  kind: ImportKindSchema,
  mode: ImportModeSchema,
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  fileName: Type.String(),
  total: Type.Integer({ description: '已读取的数据行数（读完后为文件总行数）' }),
  processed: Type.Integer({ description: '已校验的数据行数' }),
  imported: Type.Integer({ description: '新增（新人员或新房屋）' }),
  updated: Type.Integer({ description: '更新（已存在的人员或房屋）' }),
  rejected: Type.Integer({ description: '错误行数' }),
  message: Nullable(Type.String()),
  errorReportUrl: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
}, { $id: 'ImportJob' });
export type ImportJobOut = Static<typeof ImportJob>;

export const ImportAccepted = Type.Object({ id: Type.String() });
export const ImportListQuery = Type.Object({
  ...ListQuery,
  errors: Type.Optional(Type.Boolean({ description: 'true：只列出有被拒行或失败的导入（首页待办“导入有错误”）' })),
});

/** Multipart body of POST /imports, documented for OpenAPI (the route reads the stream itself). */
export const ImportUploadDoc = {
  description: 'multipart/form-data：kind、mode、file（.xlsx 或 .csv，UTF-8 或 GBK）',
};
