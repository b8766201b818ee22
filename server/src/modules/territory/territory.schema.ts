import { Type, type Static } from '@sinclair/typebox';
import { GeoJsonGeometry, Nullable } from '../../platform/schema.js';

export const territoryKinds = ['district', 'street', 'community', 'grid', 'micro_grid', 'compound', 'building', 'unit', 'room'] as const;
export type TerritoryKind = (typeof territoryKinds)[number];
export const TerritoryKindT = Type.Union(territoryKinds.map((k) => Type.Literal(k)));

/** Chinese labels for kinds, used in messages. */
export const kindLabel: Record<TerritoryKind, string> = {
  district: '区', street: '街道', community: '社区', grid: '网格', micro_grid: '微网格',
  compound: '小区', building: '楼幢', unit: '单元', room: '户',
};

export const CodeParam = Type.Object({ code: Type.String({ pattern: '^[0-9A-Z]{1,40}$', description: '节点编码' }) });


export const NodeSummary = Type.Object({
  code: Type.String(), name: Type.String(), kind: TerritoryKindT, parentCode: Nullable(Type.String()),
  statCode: Nullable(Type.String()), childCount: Type.Integer(),
}, { $id: 'TerritoryNodeSummary' });
export type NodeSummaryT = Static<typeof NodeSummary>;

export const NodeDetail = Type.Object({
  code: Type.String(), name: Type.String(), kind: TerritoryKindT, parentCode: Nullable(Type.String()),
  path: Type.String(), statCode: Nullable(Type.String()), namePinyin: Type.String(), nameInitials: Type.String(),
  boundary: Nullable(GeoJsonGeometry), location: Nullable(GeoJsonGeometry),
  gridCode: Nullable(Type.String()), microGridCode: Nullable(Type.String()),
  childCount: Type.Integer(),
  ancestors: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), kind: TerritoryKindT })),
}, { $id: 'TerritoryNode' });
export type NodeDetailT = Static<typeof NodeDetail>;

const NamedRef = Nullable(Type.Object({ code: Type.String(), name: Type.String() }));
export const LocateResult = Type.Object({ district: NamedRef, street: NamedRef, community: NamedRef, grid: NamedRef, microGrid: NamedRef });
export type LocateResultT = Static<typeof LocateResult>;

export const LocateQuery = Type.Object({
  lng: Type.Number({ minimum: -180, maximum: 180, description: '经度 (WGS-84)' }),
  lat: Type.Number({ minimum: -90, maximum: 90, description: '纬度 (WGS-84)' }),
  crs: Type.Optional(Type.Union([Type.Literal('wgs84'), Type.Literal('gcj02')], { description: '输入坐标系，默认 wgs84' })),
});

export const CreateNodeBody = Type.Object({
  parentCode: Type.String({ minLength: 1, maxLength: 40 }),
  kind: TerritoryKindT,
  name: Type.String({ minLength: 1, maxLength: 100 }),
  code: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  boundary: Type.Optional(Nullable(GeoJsonGeometry)),
  location: Type.Optional(Nullable(GeoJsonGeometry)),
}, { additionalProperties: false });
export type CreateNodeBodyT = Static<typeof CreateNodeBody>;

export const UpdateNodeBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  parentCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  boundary: Type.Optional(Nullable(GeoJsonGeometry)),
  location: Type.Optional(Nullable(GeoJsonGeometry)),
}, { additionalProperties: false });
export type UpdateNodeBodyT = Static<typeof UpdateNodeBody>;

export const MapQuery = Type.Object({
  crs: Type.Optional(Type.Union([Type.Literal('wgs84'), Type.Literal('gcj02')], { description: 'gcj02: 转换为高德/腾讯底图坐标' })),
});

export const FeatureCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    geometry: Nullable(GeoJsonGeometry),
    properties: Type.Object({ code: Type.String(), name: Type.String(), kind: Type.String(), role: Type.String() }),
  })),
});

export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 50, description: '名称片段、拼音（全拼或首字母）或编码前缀' }),
  kind: Type.Optional(TerritoryKindT),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
