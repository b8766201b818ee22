import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authOf } from '../../platform/http.js';
import { decodeCursor, errorResponses, ListOf } from '../../platform/schema.js';
import * as orders from './orders.service.js';
import { rateOrder } from '../records/records.service.js';
import { RateBody } from '../records/records.schema.js';
import { ActionBody, CreateOrderBody, OrderDetail, OrderIdParam, OrderItem, OrderListQuery } from './orders.schema.js';

/** The four-order loop (四单): resident orders, community dispatches, member or branch accepts, the service is rated. */
export const ordersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.linli;
  app.addSchema(OrderItem);
  const tags = ['service-orders'];
  const list = { 200: ListOf(Type.Ref('ServiceOrder')), ...errorResponses };

  app.get('/api/v1/service/order-states', {
    schema: { tags, summary: '订单状态与流转表（数据）', response: { 200: Type.Object({
      states: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), terminal: Type.Boolean() })),
      transitions: Type.Array(Type.Object({ from: Type.String(), action: Type.String(), to: Type.String(), actor: Type.String(), name: Type.String() })),
    }), ...errorResponses } },
  }, async () => orders.describeStates(db));

  app.post('/api/v1/service/orders', {
    config: { permission: 'service:order' },
    schema: { tags, summary: '居民点单（地点默认本人现住的户）', body: CreateOrderBody, response: { 201: OrderDetail, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await orders.createOrder(db, authOf(request), request.body, request.meta)));

  app.get('/api/v1/service/orders', {
    config: { permission: 'service:read' },
    schema: { tags, summary: '订单台：本范围内的订单（按状态、规模、关键词筛选）', querystring: OrderListQuery, response: list },
  }, async (request) => orders.listOrders(db, authOf(request), request.query, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id'])));

  app.get('/api/v1/service/orders/counts', {
    config: { permission: 'service:read' },
    schema: { tags, summary: '订单台各状态数量（本范围，由订单记录统计）与超时未接单数', response: { 200: Type.Object({
      byState: Type.Record(Type.String(), Type.Integer()), total: Type.Integer(), overdue: Type.Integer(),
    }), ...errorResponses } },
  }, async (request) => orders.countOrders(db, authOf(request)));

  app.get('/api/v1/service/orders/mine', {
    config: { permission: 'service:order' },
    schema: { tags, summary: '我的点单（居民）', querystring: OrderListQuery, response: list },
  }, async (request) => orders.listMyOrders(db, authOf(request), request.query, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id'])));

  app.get('/api/v1/service/orders/assigned', {
    config: { permission: 'service:claim' },
    schema: { tags, summary: '派给我的订单（派给本人、本支部，或本社区公开招募，以及我已接的）', querystring: OrderListQuery, response: list },
  }, async (request) => orders.listAssignedOrders(db, authOf(request), request.query, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id'])));

  app.get('/api/v1/service/orders/:id', {
    schema: { tags, summary: '订单详情：时间线与本人可执行的操作', params: OrderIdParam, response: { 200: OrderDetail, ...errorResponses } },
  }, async (request) => orders.getOrder(db, authOf(request), request.params.id));

  app.post('/api/v1/service/orders/:id/actions', {
    schema: { tags, summary: '订单流转：派单、改派、不予受理、撤单、接单、婉拒、完成、退回（按流转表校验）', params: OrderIdParam, body: ActionBody,
      response: { 200: OrderDetail, ...errorResponses } },
  }, async (request) => orders.actOnOrder(db, authOf(request), request.params.id, request.body, request.meta, config.orderAcceptHours));

  app.post('/api/v1/service/orders/:id/ratings', {
    schema: { tags, summary: '评单：居民评价已完成的订单（同时确认服务时长）；社区/支部也可评价', params: OrderIdParam, body: RateBody,
      response: { 201: OrderDetail, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await rateOrder(db, authOf(request), request.params.id, request.body, request.meta)));
};
