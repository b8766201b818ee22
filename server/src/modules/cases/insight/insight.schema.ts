/**
 * Insight into cases (C6.4, C6 map): the three rates with their breakdown and trend, and the case map. The rates'
 * shapes (`RatesQuery`, `Rates`) are the contract's and live in cases.schema.ts; the rest is declared here.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Rates, RatesQuery } from '../cases.schema.js';

export const RatesExportQuery = Type.Object({
  ...RatesQuery.properties,
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xlsx')], { description: 'xlsx：本级三率及其分解，一个工作簿' })),
});

export const BreakdownQuery = Type.Object({
  ...RatesQuery.properties,
  by: Type.Optional(Type.Union([Type.Literal('children'), Type.Literal('departments')], {
    description: 'children：下级区域（街道→社区→网格→微网格）；departments：本范围内被吹哨的职能部门。默认 children' })),
});
export type BreakdownQueryT = Static<typeof BreakdownQuery>;

export const BreakdownItem = Type.Object({
  code: Type.String({ description: '下级区域或部门编码；空字符串为未归属到任何下级区域的案件' }),
  name: Type.String(),
  kind: Type.String({ description: 'street / community / grid / micro_grid / department' }),
  ...Rates.properties,
});
export const Breakdown = Type.Object({
  scopeCode: Type.String(), scopeName: Type.String(), from: Type.String(), to: Type.String(),
  by: Type.String(),
  items: Type.Array(BreakdownItem),
});
export type BreakdownT = Static<typeof Breakdown>;

export const TrendQuery = Type.Object({
  ...RatesQuery.properties,
  interval: Type.Optional(Type.Union([Type.Literal('month'), Type.Literal('week'), Type.Literal('day')], {
    description: '按月、周（周一起）或日分段（北京时间），默认 month' })),
});
export type TrendQueryT = Static<typeof TrendQuery>;

export const TrendPoint = Type.Object({
  period: Type.String({ description: '分段的第一天（北京时间）：月 2026-03-01，周的周一，日' }),
  from: Type.String({ format: 'date', description: '本段在查询期内的起始日期' }),
  to: Type.String({ format: 'date', description: '本段在查询期内的截止日期' }),
  responseRate: Rates.properties.responseRate, resolutionRate: Rates.properties.resolutionRate,
  satisfactionRate: Rates.properties.satisfactionRate, counts: Rates.properties.counts,
});
export const Trend = Type.Object({
  scopeCode: Type.String(), scopeName: Type.String(), from: Type.String(), to: Type.String(), interval: Type.String(),
  items: Type.Array(TrendPoint),
});
export type TrendT = Static<typeof Trend>;

export const MapQuery = Type.Object({
  scopeCode: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{4,40}$', description: '区域编码或部门编码（部门：其承办或被吹哨的案件）；默认本人范围' })),
  bbox: Type.Optional(Type.String({ maxLength: 120, description: '可视范围：西,南,东,北（经纬度）' })),
  zoom: Type.Optional(Type.Integer({ minimum: 3, maximum: 20, default: 13, description: '地图缩放级别，决定聚合网格大小' })),
  categoryCode: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{2,12}$', description: '大类（含其全部小类）或小类' })),
  state: Type.Optional(Type.String({ pattern: '^[a-z_]{2,20}$', description: 'open（未办结）或某一状态编码' })),
  overdue: Type.Optional(Type.Boolean({ description: 'true 只看超期，false 只看未超期' })),
  from: Type.Optional(Type.String({ format: 'date', description: '上报日期起（北京时间，含）' })),
  to: Type.Optional(Type.String({ format: 'date', description: '上报日期止（北京时间，含）' })),
  crs: Type.Optional(Type.Union([Type.Literal('wgs84'), Type.Literal('gcj02')], { description: 'bbox 与输出坐标的坐标系，默认 wgs84；gcj02 用于高德/腾讯底图' })),
});
export type MapQueryT = Static<typeof MapQuery>;

export const CaseMap = Type.Object({
  clusters: Type.Array(Type.Object({
    lng: Type.Number(), lat: Type.Number({ description: '聚合点：格内案件位置的平均值' }),
    count: Type.Integer(), overdue: Type.Integer({ description: '其中超期未办的案件数' }),
    ids: Type.Optional(Type.Array(Type.Integer(), { description: '案件不超过 20 件时列出案件 ID' })),
  })),
  total: Type.Integer({ description: '符合条件且有位置的案件数（全部聚合点之和，未截断时）' }),
  cellDegrees: Type.Number({ description: '聚合网格边长（度）' }),
  truncated: Type.Boolean({ description: '聚合点超过上限，只返回案件最多的那些' }),
});
export type CaseMapT = Static<typeof CaseMap>;

export const CaseHeat = Type.Object({
  points: Type.Array(Type.Tuple([Type.Number(), Type.Number(), Type.Integer()]), { description: '[纬度, 经度, 案件数]，按小网格聚合' }),
  total: Type.Integer(),
  cellDegrees: Type.Number(),
  truncated: Type.Boolean(),
});
export type CaseHeatT = Static<typeof CaseHeat>;
