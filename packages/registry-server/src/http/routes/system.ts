import { Hono, type Context } from 'hono';
import { generateSpecs, resolver } from 'hono-openapi';
import * as v from 'valibot';
import { documentRoute } from '../describe.js';
import type { RegistryMetrics } from '../../metrics.js';
import type { AppEnv } from '../env.js';
import { completeOpenApi, type OpenApiDocument } from '../openApiDocument.js';
import type { RouteContext } from '../routeContext.js';

const json = (schema: Parameters<typeof resolver>[0]) => ({
  'application/json': { schema: resolver(schema) },
});

const ReadinessSchema = v.object({
  status: v.picklist(['ok', 'not ready']),
  reason: v.optional(v.string()),
});

/** `/healthz`, `/readyz`, `/metrics`. */
export function systemRoutes(route: RouteContext, metrics: RegistryMetrics): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get(
    '/healthz',
    documentRoute({
      summary: 'Liveness',
      tags: ['system'],
      security: [],
      responses: { 200: { description: 'Alive', content: json(v.object({ status: v.literal('ok') })) } },
    }),
    (c) => c.json({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    documentRoute({
      summary: 'Readiness: the store has synced and can read its source',
      description:
        'Public: ready or not, with a fixed reason (no file, namespace or count). Problem details are at ' +
        '`/api/v1alpha1/registry/problems`, which respects authentication and namespace visibility.',
      tags: ['system'],
      security: [],
      responses: {
        200: { description: 'Ready', content: json(ReadinessSchema) },
        503: {
          description: 'Not ready (loading, or the source cannot be read)',
          content: json(ReadinessSchema),
        },
      },
    }),
    (c) => {
      const readiness = route.store.readiness();
      if (readiness.ready) return c.json({ status: 'ok' }, 200, { 'cache-control': 'no-store' });
      return c.json(
        { status: 'not ready', reason: readiness.reason ?? 'the store has not synced yet' },
        503,
        { 'cache-control': 'no-store' },
      );
    },
  );
  app.get(
    '/metrics',
    documentRoute({
      summary: 'Prometheus metrics',
      tags: ['system'],
      responses: {
        200: { description: 'Prometheus text', content: { 'text/plain': { schema: { type: 'string' } } } },
      },
    }),
    async (c) =>
      c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }),
  );
  return app;
}

/**
 * `/openapi.json`: OpenAPI 3.1 generated from the routes and their valibot schemas, completed with
 * the error responses and the security each operation has in this configuration (computed once).
 */
export function openApiRoute(
  app: Hono<AppEnv>,
  options: { authMode: RouteContext['authMode']; metricsAuth: boolean },
): (c: Context<AppEnv>) => Promise<Response> {
  let document: Promise<OpenApiDocument> | undefined;
  return async (c) => {
    document ??= generateSpecs(app, {
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
      // Keep paths that look like files: /.well-known/ai-catalog.json is an operation.
      excludeStaticFile: false,
    }).then((spec) => completeOpenApi(spec as unknown as OpenApiDocument, options));
    return c.json(await document);
  };
}
