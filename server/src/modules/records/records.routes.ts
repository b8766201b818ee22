import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Routes of the records module (issue 4): filled in by its service, schema and repository files. */
export const recordsRoutes: FastifyPluginAsyncTypebox = async () => {};
