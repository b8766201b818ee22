/** Intake channels beyond the app's own form: camera detections, 12345 hotline batches, the wish wall (心愿墙). */
import { Type, type Static } from '@sinclair/typebox';
import { ListQuery, Nullable } from '../../../platform/schema.js';

export const CameraEvent = Type.Object({
  eventType: Type.String({ minLength: 1, maxLength: 40, description: '识别出的事件类型，如 非机动车乱停放、跨门经营（见案件小类的 cameraEvents）' }),
  cameraId: Type.String({ minLength: 1, maxLength: 64, description: '摄像头编号' }),
  eventId: Type.String({ minLength: 1, maxLength: 100, description: '事件在识别平台的唯一编号：重复推送返回同一案件' }),
  lng: Type.Number({ minimum: 73, maximum: 136, description: '经度（WGS-84）' }),
  lat: Type.Number({ minimum: 3, maximum: 54, description: '纬度（WGS-84）' }),
  occurredAt: Type.String({ format: 'date-time', description: '发生时间（ISO 8601，含时区）' }),
  snapshot: Type.Optional(Type.String({ maxLength: 7_200_000, description: '抓拍图片：JPEG/PNG/WebP 的 base64（可带 data:image/…;base64, 前缀），≤ 5 MiB' })),
}, { additionalProperties: false });
export type CameraEventT = Static<typeof CameraEvent>;

export const IntakeResult = Type.Object({
  id: Type.Integer(), serviceNo: Type.String(), created: Type.Boolean({ description: 'false：该事件此前已登记，返回原案件' }),
  state: Type.String(), categoryCode: Type.String(), gridCode: Nullable(Type.String()), handlerName: Type.String(),
  deadline: Type.String({ format: 'date-time', description: '受理期限（工作日）' }),
});
export type IntakeResultT = Static<typeof IntakeResult>;

export const HotlineRow = Type.Object({
  row: Type.Integer({ description: '表格中的行号（表头为第 1 行）' }),
  ticketNo: Nullable(Type.String({ description: '工单编号' })),
  status: Type.Union([Type.Literal('created'), Type.Literal('duplicate'), Type.Literal('error')]),
  serviceNo: Nullable(Type.String()), caseId: Nullable(Type.Integer()),
  errors: Type.Array(Type.Object({ column: Type.String(), reason: Type.String() })),
});
export type HotlineRowT = Static<typeof HotlineRow>;

export const HotlineReport = Type.Object({
  total: Type.Integer(), created: Type.Integer(), duplicates: Type.Integer(), failed: Type.Integer(),
  rows: Type.Array(HotlineRow),
});
export type HotlineReportT = Static<typeof HotlineReport>;

export const WishQuery = Type.Object({
  ...ListQuery,
  communityCode: Type.Optional(Type.String({ pattern: '^[0-9]{12}$', description: '社区编码（居民：默认本人所在社区；工作人员：本人范围内）' })),
});
export type WishQueryT = Static<typeof WishQuery>;

export const WishItem = Type.Object({
  id: Type.Integer(), serviceNo: Type.String(),
  categoryCode: Type.String(), categoryName: Type.String(),
  description: Type.String(),
  photos: Type.Array(Type.Object({ id: Type.String(), url: Type.String() })),
  communityCode: Nullable(Type.String()), communityName: Nullable(Type.String()),
  reporterName: Nullable(Type.String({ description: '脱敏' })),
  state: Type.String(), stateName: Type.String(),
  followers: Type.Integer({ description: '"我也想要" 人数' }),
  followedByMe: Type.Boolean(), mine: Type.Boolean({ description: '本人发布的心愿' }),
  reportedAt: Type.String({ format: 'date-time' }),
});
export type WishItemT = Static<typeof WishItem>;

export const ApiKeyItem = Type.Object({
  id: Type.String({ description: '密钥编号：密钥 SHA-256 的前 12 位（密钥本身不保存）' }),
  kind: Type.Union([Type.Literal('open311'), Type.Literal('camera')]), kindName: Type.String(),
  name: Type.String({ description: '用途或对接方' }),
  jurisdictionCode: Type.String({ description: '可提交的辖区' }), jurisdictionName: Type.String(),
  createdAt: Type.String({ format: 'date-time' }), revokedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type ApiKeyItemT = Static<typeof ApiKeyItem>;
export const IssuedApiKey = Type.Intersect([ApiKeyItem, Type.Object({ key: Type.String({ description: '密钥：只在此次显示，请妥善保存' }) })]);
export type IssuedApiKeyT = Static<typeof IssuedApiKey>;
export const IssueApiKeyBody = Type.Object({
  kind: Type.Union([Type.Literal('open311'), Type.Literal('camera')], { description: 'open311：Open311 客户端；camera：视频识别平台' }),
  name: Type.String({ minLength: 2, maxLength: 60, description: '用途或对接方，如 市12345平台、西兴街道视频中台' }),
  jurisdictionCode: Type.String({ pattern: '^[0-9A-Z]{6,40}$', description: '辖区：区、街道、社区或网格编码' }),
}, { additionalProperties: false });
export type IssueApiKeyBodyT = Static<typeof IssueApiKeyBody>;
export const ApiKeyIdParam = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{12}$', description: '密钥编号' }) });
