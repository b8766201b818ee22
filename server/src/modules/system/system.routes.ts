import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { databaseIsReady } from '../../platform/db/index.js';
import { listMigrations } from '../../platform/db/migrate.js';
import { AppError } from '../../platform/errors.js';
import { metricsAllowed } from '../../platform/http-protections.js';

/** Probes, metrics and the client configuration. */
export const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.linli;
  const versions = listMigrations().map((m) => m.version);
  const tags = ['system'];

  app.get('/healthz', { config: { public: true }, schema: { tags, security: [], summary: '进程存活', response: { 200: Type.Object({ status: Type.String() }) } } },
    async () => ({ status: 'ok' }));

  app.get('/readyz', {
    config: { public: true },
    schema: { tags, security: [], summary: '数据库可达且迁移完成', response: { 200: Type.Object({ status: Type.String(), engine: Type.String() }), 503: Type.Object({ status: Type.String(), engine: Type.String() }) } },
  }, async (_request, reply) => {
    const ok = await databaseIsReady(db, versions).catch(() => false);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready', engine: app.linli.engine });
  });

  // the metrics name every route and its traffic: for this machine's scraper or the holder of LINLI_METRICS_TOKEN only
  app.get('/metrics', { config: { public: true }, schema: { tags, summary: 'Prometheus 指标', hide: true } }, async (request, reply) => {
    if (!metricsAllowed(request, config.metricsToken)) {
      throw new AppError('FORBIDDEN', '指标仅限本机或持有指标令牌的采集端读取', { en: 'metrics are for localhost or the metrics token only' });
    }
    reply.header('content-type', app.metricsRegistry.contentType);
    return app.metricsRegistry.metrics();
  });

  app.get('/api/v1/config', {
    config: { public: true },
    schema: { tags, security: [], summary: '前端配置（底图等）', response: { 200: Type.Object({
      tileUrl: Type.Union([Type.String(), Type.Null()]), tileCrs: Type.String(), tileAttribution: Type.Union([Type.String(), Type.Null()]), demoMode: Type.Boolean(),
    }) } },
  }, async () => ({ tileUrl: config.tileUrl, tileCrs: config.tileCrs, tileAttribution: config.tileAttribution, demoMode: config.demoMode }));
};
