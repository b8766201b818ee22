import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Routes of the matching module (issue 4): filled in by its service, schema and repository files. */
export const matchingRoutes: FastifyPluginAsyncTypebox = async () => {};
