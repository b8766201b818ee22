import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Excel/CSV imports with row-level error reports. Routes are added here. */
export const importRoutes: FastifyPluginAsyncTypebox = async () => {};
