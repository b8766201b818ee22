import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Routes of the notifications module (issue 4): filled in by its service, schema and repository files. */
export const notificationsRoutes: FastifyPluginAsyncTypebox = async () => {};
