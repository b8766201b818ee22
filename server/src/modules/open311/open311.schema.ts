/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): the shapes of the standard, field for field, in its
 * own snake_case. These schemas document the JSON form in /openapi.json; the XML form carries the same fields.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from '../../platform/schema.js';

export const formats = ['json', 'xml'] as const;
export type Format = (typeof formats)[number];
const FormatParam = Type.Union(formats.map((f) => Type.Literal(f)), { description: '响应格式：json 或 xml' });

export const FormatOnly = Type.Object({ format: FormatParam });
export const ServiceCodeParams = Type.Object({ service_code: Type.String({ maxLength: 12 }), format: FormatParam });
export const RequestIdParams = Type.Object({
  service_request_id: Type.String({ maxLength: 40, description: '服务单号（AJ…）或案件 ID' }),
  format: FormatParam,
});

const JurisdictionId = Type.Optional(Type.String({ maxLength: 40, description: '辖区：区县行政区划代码（如 330108）；可省略' }));
export const JurisdictionQuery = Type.Object({ jurisdiction_id: JurisdictionId });

/** GeoReport error body: a list of {code, description}; `code` repeats the HTTP status. */
export const Open311Errors = Type.Array(Type.Object({ code: Type.Integer(), description: Type.String() }), { $id: 'Open311Errors' });
export type Open311ErrorsT = Static<typeof Open311Errors>;

export const Service = Type.Object({
  service_code: Type.String({ description: '案件小类编码' }),
  service_name: Type.String(),
  description: Type.String(),
  metadata: Type.Boolean({ description: '是否有附加属性（见服务定义）' }),
  type: Type.Literal('realtime'),
  keywords: Type.String({ description: '关键字，逗号分隔' }),
  group: Type.String({ description: '案件大类' }),
});
export type ServiceT = Static<typeof Service>;

export const AttributeValue = Type.Object({ key: Type.String(), name: Type.String() });
export const Attribute = Type.Object({
  variable: Type.Boolean(),
  code: Type.String(),
  datatype: Type.String({ description: 'string, number, datetime, text, singlevaluelist, multivaluelist' }),
  required: Type.Boolean(),
  datatype_description: Nullable(Type.String()),
  order: Type.Integer(),
  description: Type.String(),
  values: Type.Array(AttributeValue),
});
export type AttributeT = Static<typeof Attribute>;

export const ServiceDefinition = Type.Object({ service_code: Type.String(), attributes: Type.Array(Attribute) });
export type ServiceDefinitionT = Static<typeof ServiceDefinition>;

/**
 * POST body, form-encoded as the spec says (or JSON). Attributes come as `attribute[code]=value` (a multi-value list
 * repeats `attribute[code][]=…`); in JSON also as `{"attribute": {"code": value}}`.
 */
export const CreateRequestBody = Type.Object({
  api_key: Type.Optional(Type.String({ maxLength: 200, description: '接入密钥（也可放在查询参数、X-Api-Key 头或 Authorization: Bearer）' })),
  jurisdiction_id: JurisdictionId,
  service_code: Type.Optional(Type.String({ maxLength: 12 })),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90, description: '纬度（WGS-84）' })),
  long: Type.Optional(Type.Number({ minimum: -180, maximum: 180, description: '经度（WGS-84）' })),
  address_string: Type.Optional(Type.String({ maxLength: 200 })),
  address_id: Type.Optional(Type.String({ maxLength: 40 })),
  email: Type.Optional(Type.String({ maxLength: 200, description: '不保存：本平台不发送邮件' })),
  device_id: Type.Optional(Type.String({ maxLength: 200 })),
  account_id: Type.Optional(Type.String({ maxLength: 200 })),
  first_name: Type.Optional(Type.String({ maxLength: 40 })),
  last_name: Type.Optional(Type.String({ maxLength: 40 })),
  phone: Type.Optional(Type.String({ maxLength: 30 })),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  media_url: Type.Optional(Type.String({ maxLength: 500 })),
  attribute: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'JSON 形式的属性值 {code: value}' })),
}, { additionalProperties: true });
export type CreateRequestBodyT = Static<typeof CreateRequestBody> & Record<string, unknown>;

export const CreatedRequest = Type.Array(Type.Object({
  service_request_id: Type.String(),
  service_notice: Type.String(),
  account_id: Nullable(Type.String()),
}));
export type CreatedRequestT = Static<typeof CreatedRequest>;

export const RequestsQuery = Type.Object({
  jurisdiction_id: JurisdictionId,
  service_request_id: Type.Optional(Type.String({ maxLength: 2000, description: '服务单号，逗号分隔；给出时忽略其他条件' })),
  service_code: Type.Optional(Type.String({ maxLength: 500, description: '服务编码，逗号分隔' })),
  start_date: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601（含时区）；默认 end_date 前 90 天' })),
  end_date: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601（含时区）；默认当前' })),
  status: Type.Optional(Type.String({ maxLength: 20, description: 'open、closed，逗号分隔' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1000 })),
});
export type RequestsQueryT = Static<typeof RequestsQuery>;

export const ServiceRequest = Type.Object({
  service_request_id: Type.String({ description: '服务单号' }),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  status_notes: Nullable(Type.String()),
  service_name: Type.String(),
  service_code: Type.String(),
  description: Type.String(),
  agency_responsible: Type.String({ description: '当前承办的网格/社区/街道/部门' }),
  service_notice: Nullable(Type.String()),
  requested_datetime: Type.String(),
  updated_datetime: Type.String(),
  expected_datetime: Nullable(Type.String({ description: '期限（按工作日计算）' })),
  address: Nullable(Type.String()),
  address_id: Nullable(Type.String()),
  zipcode: Nullable(Type.String()),
  lat: Nullable(Type.Number()),
  long: Nullable(Type.Number()),
  media_url: Nullable(Type.String()),
});
export type ServiceRequestT = Static<typeof ServiceRequest>;

/** Service discovery (https://wiki.open311.org/Service_discovery): where this GeoReport v2 endpoint lives and what it speaks. */
export const Discovery = Type.Object({
  changeset: Type.String(), contact: Type.String(), key_service: Type.String(),
  endpoints: Type.Array(Type.Object({
    specification: Type.String(), url: Type.String(), changeset: Type.String(), type: Type.String(), formats: Type.Array(Type.String()),
  })),
});
export type DiscoveryT = Static<typeof Discovery>;
