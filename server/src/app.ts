/** Builds the HTTP application around an open database: platform plugins first, then one plugin per module. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import type { Database, Db, Engine } from './platform/db/index.js';
import { httpPlatform, inputServerOptions } from './platform/http.js';
import { httpProtections } from './platform/http-protections.js';
import { ErrorResponse } from './platform/schema.js';
import { SessionUser } from './modules/auth/auth.schema.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { territoryRoutes } from './modules/territory/territory.routes.js';
import { orgRoutes } from './modules/org/org.routes.js';
import { userRoutes } from './modules/users/users.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { archiveRoutes } from './modules/archive/archive.routes.js';
import { importRoutes } from './modules/imports/imports.routes.js';
import { systemRoutes } from './modules/system/system.routes.js';
import { forcesRoutes } from './modules/forces/forces.routes.js';
import { registrationRoutes } from './modules/registration/registration.routes.js';
import { ordersRoutes } from './modules/orders/orders.routes.js';
import { tasksRoutes } from './modules/tasks/tasks.routes.js';
import { recordsRoutes } from './modules/records/records.routes.js';
import { projectsRoutes } from './modules/projects/projects.routes.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { matchingRoutes } from './modules/matching/matching.routes.js';
import { filesRoutes } from './modules/files/files.routes.js';
import { casesRoutes } from './modules/cases/cases.routes.js';
import { insightRoutes } from './modules/cases/insight/insight.routes.js';
import { open311Routes } from './modules/open311/open311.routes.js';
import { intakeRoutes } from './modules/cases/intake/intake.routes.js';
import { homeRoutes } from './modules/home/home.routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    linli: { db: Db; database: Database; config: Config; engine: Engine };
  }
}

/** A URL without its query string (`/api/v1/archive/persons?…`), for logs. */
function pathOnly(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? url : `${url.slice(0, at)}?…`;
}

export async function buildApp(database: Database, config: Config, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : {
      level: config.logLevel,
      // a query string can hold what the masks hide (a searched mobile or ID number): the log keeps the path only
      serializers: { req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: pathOnly(req.url), remoteAddress: req.ip }) },
      // one line per event, local time, without pid and host: what a person reads in a terminal
      ...(config.logFormat === 'pretty'
        ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,reqId', singleLine: true } } } : {}),
    },
    // readable logs say each request once, when it is answered (below); JSON logs keep Fastify's two events
    logController: new LogController({ disableRequestLogging: options.logger !== false && config.logFormat === 'pretty' }),
    // forwarded headers are believed only from the listed proxies: otherwise anyone could write the IP of the audit
    // and login logs (X-Forwarded-For) or the host of generated links (X-Forwarded-Host)
    trustProxy: config.trustProxy,
    bodyLimit: 5 * 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
    ...inputServerOptions,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('linli', { db: database.db, database, config, engine: database.engine });
  if (options.logger !== false && config.logFormat === 'pretty') {
    app.addHook('onResponse', async (request, reply) => {
      request.log.info(`${request.method} ${pathOnly(request.url)} ${reply.statusCode} ${reply.elapsedTime.toFixed(0)} ms`);
    });
  }
  app.addSchema(ErrorResponse);
  app.addSchema(SessionUser);

  await app.register(cookie);
  // security headers and the CSRF check, before any route (so /docs and the static files get the headers too)
  await app.register(httpProtections, { config });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Linli 邻里 API', version: '0.1.0', description: '党建引领基层治理平台 HTTP API。认证：会话 Cookie 或 `Authorization: Bearer <token>`。' },
      components: { securitySchemes: {
        cookie: { type: 'apiKey', in: 'cookie', name: 'linli_session' },
        bearer: { type: 'http', scheme: 'bearer' },
      } },
      security: [{ cookie: [] }, { bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(httpPlatform, { config, db: database.db });

  await app.register(systemRoutes);
  await app.register(authRoutes);
  await app.register(territoryRoutes);
  await app.register(orgRoutes);
  await app.register(userRoutes);
  await app.register(auditRoutes);
  await app.register(archiveRoutes);
  await app.register(importRoutes);
  await app.register(forcesRoutes);
  await app.register(registrationRoutes);
  await app.register(ordersRoutes);
  await app.register(tasksRoutes);
  await app.register(recordsRoutes);
  await app.register(projectsRoutes);
  await app.register(notificationsRoutes);
  await app.register(matchingRoutes);
  await app.register(filesRoutes);
  await app.register(homeRoutes);
  await app.register(casesRoutes);
  await app.register(insightRoutes);
  await app.register(open311Routes, { prefix: '/open311/v2' });
  await app.register(intakeRoutes);

  // The built web app, with index.html for client-side routes.
  const hasWeb = existsSync(join(config.webDist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: config.webDist, wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const isApi = path.startsWith('/api/') || path.startsWith('/open311/');
    if (hasWeb && request.method === 'GET' && !isApi && !/\.[a-z0-9]+$/i.test(path)) return reply.sendFile('index.html');
    return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `接口不存在：${request.method} ${path}` } });
  });
  return app;
}
