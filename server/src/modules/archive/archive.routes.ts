import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Residents' archive (C8). Routes are added here. */
export const archiveRoutes: FastifyPluginAsyncTypebox = async () => {};
