import { Hono } from 'hono';
import { openAPIRouteHandler } from 'hono-openapi';
import { documentRoute } from '../describe.js';
import type { RegistryMetrics } from '../../metrics.js';
import type { AppEnv } from '../env.js';
import type { RouteContext } from '../routeContext.js';

/** `/healthz`, `/readyz`, `/metrics`. */
export function systemRoutes(route: RouteContext, metrics: RegistryMetrics): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get(
    '/healthz',
    documentRoute({ summary: 'Liveness', tags: ['system'], responses: { 200: { description: 'Alive' } } }),
    (c) => c.json({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    documentRoute({
      summary: 'Readiness: the store has synced (details list manifest problems in embedded mode)',
      tags: ['system'],
      responses: { 200: { description: 'Ready' }, 503: { description: 'Not ready yet' } },
    }),
    (c) => {
      const readiness = route.store.readiness();
      const body = { status: readiness.ready ? 'ok' : 'not ready', ...readiness.details };
      return c.json(body, readiness.ready ? 200 : 503, { 'cache-control': 'no-store' });
    },
  );
  app.get(
    '/metrics',
    documentRoute({
      summary: 'Prometheus metrics',
      tags: ['system'],
      responses: { 200: { description: 'Prometheus text' } },
    }),
    async (c) =>
      c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }),
  );
  return app;
}

/** `/openapi.json`: OpenAPI 3.1 generated from the routes and their valibot schemas (computed once). */
export function openApiRoute(app: Hono<AppEnv>): ReturnType<typeof openAPIRouteHandler<AppEnv>> {
  return openAPIRouteHandler(app, {
    documentation: {
      openapi: '3.1.0',
      info: {
        title: 'Agent Registry API',
        version: 'v1alpha1',
        description:
          'Read-only discovery of A2A agents: AgentCard resources, their A2A cards and per-agent well-known documents.',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
    },
    exclude: ['/mcp', '/openapi.json'],
  });
}
