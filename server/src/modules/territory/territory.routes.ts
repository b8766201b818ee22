import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authOf } from '../../platform/http.js';
import { decodeCursor, errorResponses, ListOf, ListQuery } from '../../platform/schema.js';
import * as territory from './territory.service.js';
import {
  CodeParam, CreateNodeBody, FeatureCollection, LocateQuery, LocateResult, MapQuery, NodeDetail, NodeSummary, SearchQuery, UpdateNodeBody,
} from './territory.schema.js';

export const territoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.linli;
  app.addSchema(NodeSummary);
  app.addSchema(NodeDetail);
  const read = { permission: 'territory:read' };
  const write = { permission: 'territory:write' };
  const tags = ['territory'];

  app.get('/api/v1/territory/roots', {
    config: read,
    schema: { tags, summary: '本人数据范围的顶层节点', response: { 200: Type.Object({ items: Type.Array(Type.Ref('TerritoryNodeSummary')) }), ...errorResponses } },
  }, async (request) => territory.listRoots(db, authOf(request)));

  app.get('/api/v1/territory/nodes/:code', {
    config: read,
    schema: { tags, summary: '节点详情（含 GeoJSON 边界）', params: CodeParam, response: { 200: Type.Ref('TerritoryNode'), ...errorResponses } },
  }, async (request) => territory.getNode(db, authOf(request), request.params.code));

  app.get('/api/v1/territory/nodes/:code/children', {
    config: read,
    schema: { tags, summary: '下级节点', params: CodeParam, querystring: Type.Object(ListQuery),
      response: { 200: ListOf(Type.Ref('TerritoryNodeSummary')), ...errorResponses } },
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    return territory.listChildren(db, authOf(request), request.params.code, limit, decodeCursor(request.query.cursor, ['int4', 'string']));
  });

  app.get('/api/v1/territory/nodes/:code/map', {
    config: read,
    schema: { tags, summary: '节点及其下级的边界（GeoJSON FeatureCollection）', params: CodeParam, querystring: MapQuery,
      response: { 200: FeatureCollection, ...errorResponses } },
  }, async (request) => territory.mapOf(db, authOf(request), request.params.code, request.query.crs));

  app.get('/api/v1/territory/locate', {
    config: read,
    schema: { tags, summary: '按坐标定位所属街道/社区/网格/微网格', querystring: LocateQuery, response: { 200: LocateResult, ...errorResponses } },
  }, async (request) => territory.locate(db, authOf(request), request.query.lng, request.query.lat, request.query.crs));

  app.get('/api/v1/territory/search', {
    config: read,
    schema: { tags, summary: '按名称、拼音或编码搜索节点', querystring: SearchQuery,
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('TerritoryNodeSummary')) }), ...errorResponses } },
  }, async (request) => territory.searchNodes(db, authOf(request), request.query.q, request.query.kind, request.query.limit ?? 20));

  app.post('/api/v1/territory/nodes', {
    config: write,
    schema: { tags, summary: '新增节点', body: CreateNodeBody, response: { 201: Type.Ref('TerritoryNode'), ...errorResponses } },
  }, async (request, reply) => {
    const node = await territory.createNode(db, authOf(request), request.body, request.meta);
    return reply.code(201).send(node);
  });

  app.patch('/api/v1/territory/nodes/:code', {
    config: write,
    schema: { tags, summary: '修改节点（名称、边界、位置、移动到新的上级）', params: CodeParam, body: UpdateNodeBody,
      response: { 200: Type.Ref('TerritoryNode'), ...errorResponses } },
  }, async (request) => territory.updateNode(db, authOf(request), request.params.code, request.body, request.meta));

  app.delete('/api/v1/territory/nodes/:code', {
    config: write,
    schema: { tags, summary: '删除无下级、无引用的节点', params: CodeParam, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    await territory.deleteNode(db, authOf(request), request.params.code, request.meta);
    return reply.code(204).send(null);
  });
};
