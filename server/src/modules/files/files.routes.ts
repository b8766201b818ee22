import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Routes of the files module (issue 4): filled in by its service, schema and repository files. */
export const filesRoutes: FastifyPluginAsyncTypebox = async () => {};
