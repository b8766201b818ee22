import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Routes of the projects module (issue 4): filled in by its service, schema and repository files. */
export const projectsRoutes: FastifyPluginAsyncTypebox = async () => {};
