import { Hono } from 'hono';
import { resolver } from 'hono-openapi';
import { documentRoute } from '../describe.js';
import type { AppEnv } from '../env.js';
import type { RouteContext } from '../routeContext.js';
import { A2ACardDocumentSchema, CardParamsSchema, validCardParams } from '../schemas.js';
import { StatusSchema } from '../status.js';
import { validate } from '../validate.js';
import { A2A_VERSION_PARAMETERS, renderA2A } from './cards.js';

/**
 * Each agent's A2A card as a well-known document under the registry, so any
 * A2A client (e.g. @a2a-js/sdk's card resolver) can use the registry as the card host:
 * `/agents/{namespace}/{name}/.well-known/agent-card.json` (and the pre-0.3 `agent.json`).
 */
export function wellKnownRoutes(route: RouteContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const document of ['agent-card.json', 'agent.json']) {
    app.get(
      `/agents/:namespace/:name/.well-known/${document}`,
      documentRoute({
        operationId: document === 'agent-card.json' ? 'getWellKnownAgentCard' : 'getLegacyWellKnownAgentCard',
        summary:
          document === 'agent-card.json'
            ? "The agent's A2A card as a well-known document"
            : 'The same, at the legacy (A2A < 0.3) well-known path',
        tags: ['well-known'],
        parameters: A2A_VERSION_PARAMETERS,
        responses: {
          200: {
            description: 'The A2A agent card',
            content: { 'application/json': { schema: resolver(A2ACardDocumentSchema) } },
          },
          304: { description: 'Not modified (If-None-Match, or If-Modified-Since without it)' },
          400: {
            description: 'VersionNotSupported: an unsupported A2A version',
            content: { 'application/json': { schema: resolver(StatusSchema) } },
          },
          404: {
            description: 'No such card',
            content: { 'application/json': { schema: resolver(StatusSchema) } },
          },
        },
      }),
      validate('param', CardParamsSchema, validCardParams),
      (c) => renderA2A(route, c),
    );
  }
  return app;
}
