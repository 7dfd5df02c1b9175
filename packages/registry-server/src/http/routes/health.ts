import { summarizeHealth } from '@agent-registry/mcp-adapter';
import { Hono } from 'hono';
import { resolver } from 'hono-openapi';
import * as v from 'valibot';
import { documentRoute } from '../describe.js';
import { API_BASE, type AppEnv } from '../env.js';
import { requireAccept } from '../negotiation.js';
import type { RouteContext } from '../routeContext.js';
import { NamespaceSchema } from '../schemas.js';
import { StatusSchema } from '../status.js';
import { validate } from '../validate.js';
import { visibleCards } from '../visibleCards.js';

const HealthCountsSchema = v.object({
  Healthy: v.number(),
  Unhealthy: v.number(),
  Unknown: v.number(),
});

export const HealthSummarySchema = v.object({
  kind: v.literal('AgentCardHealthSummary'),
  /** Cards the caller may see. */
  total: v.number(),
  /** Of those, how many are in each health state. */
  health: HealthCountsSchema,
  /** The same per namespace, ordered by namespace (only namespaces holding a visible card). */
  namespaces: v.array(v.object({ namespace: v.string(), total: v.number(), health: HealthCountsSchema })),
});
export type HealthSummary = v.InferOutput<typeof HealthSummarySchema>;

const HealthSummaryQuerySchema = v.object({ namespace: v.optional(NamespaceSchema) });

/** `GET /health`: card counts by health and namespace, over what the caller may see. */
export function healthRoutes(route: RouteContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get(
    `${API_BASE}/health`,
    documentRoute({
      operationId: 'getHealthSummary',
      summary: 'Agent health counts, in total and by namespace',
      description:
        'Counts of the cards the caller may see by `status.health` (Healthy, Unhealthy, Unknown), in ' +
        'total and per namespace; `namespace` narrows it to one. List cards with `health=` for the cards ' +
        'themselves (each carries `status.lastSeen`).',
      tags: ['cards'],
      responses: {
        200: {
          description: 'The summary',
          content: { 'application/json': { schema: resolver(HealthSummarySchema) } },
        },
        400: {
          description: 'A bad namespace',
          content: { 'application/json': { schema: resolver(StatusSchema) } },
        },
        406: {
          description: 'The Accept header excludes JSON',
          content: { 'application/json': { schema: resolver(StatusSchema) } },
        },
      },
    }),
    validate('query', HealthSummaryQuerySchema),
    async (c) => {
      requireAccept(c.req.header('accept'), 'application/json');
      const { namespace } = c.req.valid('query');
      const principal = c.get('principal');
      const visible = await principal.visibleNamespaces(route.store.namespaces(), 'list');
      const cards = visibleCards(route.store, visible, namespace === undefined ? {} : { namespace });
      const summary: HealthSummary = { kind: 'AgentCardHealthSummary', ...summarizeHealth(cards) };
      return c.json(summary, 200, { 'cache-control': 'no-cache' });
    },
  );
  return app;
}
