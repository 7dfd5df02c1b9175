import { AgentCardSchema } from '@agent-registry/crds';
import { Hono, type Context } from 'hono';
import { resolver } from 'hono-openapi';
import { documentRoute } from '../describe.js';
import { A2ARenderer, type RenderedA2ACard } from '../../a2aRenderer.js';
import { parseEventId, type EventId } from '../../store/eventId.js';
import type { CardQuery } from '../../store/types.js';
import { API_BASE, type AppEnv } from '../env.js';
import { A2A_MEDIA_TYPE, a2aMediaType, negotiateA2AVersion, requireAccept } from '../negotiation.js';
import { cachedJson, publicBaseOf, visibleCard, type RouteContext } from '../routeContext.js';
import {
  A2ACardDocumentSchema,
  A2AQuerySchema,
  AgentCardListSchema,
  CardListQuerySchema,
  CardParamsSchema,
  emptyQuery,
  validCardParams,
  type CardListQuery,
} from '../schemas.js';
import { StatusSchema } from '../status.js';
import { validate } from '../validate.js';
import { watchStream } from '../watchStream.js';

const json = (schema: Parameters<typeof resolver>[0]) => ({
  'application/json': { schema: resolver(schema) },
});
const statusResponse = (description: string) => ({ description, content: json(StatusSchema) });

const COMMA = Buffer.from(',');
const LIST_END = Buffer.from(']}');

function toCardQuery(query: CardListQuery): CardQuery {
  const result: CardQuery = {};
  for (const key of [
    'namespace',
    'skill',
    'tag',
    'health',
    'verified',
    'labelSelector',
    'q',
    'limit',
    'continue',
  ] as const) {
    if (query[key] !== undefined && query[key] !== '') (result as Record<string, unknown>)[key] = query[key];
  }
  return result;
}

function resumePoint(query: CardListQuery, lastEventId: string | undefined): EventId | undefined {
  const raw = lastEventId?.trim() || query.resourceVersion || query.since;
  if (raw === undefined || raw === '') return undefined;
  // Not an id of ours at all (a foreign Last-Event-ID): start from the full state.
  return parseEventId(raw);
}

/** `GET /cards` (list and watch), `GET /cards/{namespace}/{name}` and `.../a2a`. */
export function cardRoutes(route: RouteContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get(
    `${API_BASE}/cards`,
    documentRoute({
      operationId: 'listAgentCards',
      summary: 'List agent cards, or watch them with ?watch=true (Server-Sent Events)',
      description:
        'Filters combine with AND. Pages are ordered by namespace/name; with `q` they are ranked by relevance ' +
        "(best first, equal scores by namespace/name) and `scores` gives each item's score. Pass " +
        'metadata.continue back as `continue` for the next page. With `watch=true` the response is `text/event-stream` of ADDED, ' +
        'MODIFIED and DELETED events whose `id` is `<epoch>.<sequence>` (the format of ' +
        '`metadata.resourceVersion`); resume with `Last-Event-ID`, `resourceVersion` or `since` (410 when ' +
        'too old or issued by another replica or process). Streams end after --watch-max-duration; resume then.',
      tags: ['cards'],
      responses: {
        200: {
          description: 'An AgentCardList (or an event stream when watching)',
          content: { ...json(AgentCardListSchema), 'text/event-stream': { schema: { type: 'string' } } },
        },
        400: statusResponse('A bad filter, limit or continue token'),
        406: statusResponse('The Accept header excludes JSON (or text/event-stream when watching)'),
        410: statusResponse('A watch resume point older than the event buffer, or from another instance'),
      },
    }),
    validate('query', CardListQuerySchema),
    async (c) => {
      const query = c.req.valid('query');
      const cardQuery = toCardQuery(query);
      const principal = c.get('principal');
      if (query.watch === 'true' || query.watch === '1') {
        requireAccept(c.req.header('accept'), 'text/event-stream');
        const { limit: _limit, continue: _continue, ...filters } = cardQuery;
        const stream = watchStream({
          store: route.store,
          query: filters,
          principal,
          resumeFrom: resumePoint(query, c.req.header('last-event-id')),
          heartbeatMs: route.heartbeatMs,
          maxDurationMs: route.watchMaxDurationMs,
          signal: AbortSignal.any([route.shutdown, c.req.raw.signal]),
          logger: route.logger,
        });
        return new Response(stream, {
          headers: {
            'content-type': 'text/event-stream; charset=utf-8',
            'cache-control': 'no-store',
            'x-accel-buffering': 'no',
          },
        });
      }
      requireAccept(c.req.header('accept'), 'application/json');
      const visibleNamespaces = await principal.visibleNamespaces(route.store.namespaces(), 'list');
      const page = route.store.list(cardQuery, { visibleNamespaces });
      const metadata: Record<string, string> = {};
      if (page.resourceVersion !== undefined) metadata.resourceVersion = page.resourceVersion;
      if (page.continue !== undefined) metadata.continue = page.continue;
      // The bytes of JSON.stringify(list), assembled from each card's JSON, serialized once by the store.
      const parts: Buffer[] = [
        Buffer.from(
          `{"apiVersion":"kagent.dev/v1alpha1","kind":"AgentCardList","metadata":${JSON.stringify(metadata)},"items":[`,
        ),
      ];
      page.items.forEach((card, index) => {
        if (index > 0) parts.push(COMMA);
        parts.push(route.store.serialized(card));
      });
      // With `q` the items come best first, and `scores[i]` is the relevance of `items[i]`.
      parts.push(page.scores ? Buffer.from(`],"scores":${JSON.stringify(page.scores)}}`) : LIST_END);
      return new Response(c.req.method === 'HEAD' ? null : Buffer.concat(parts), {
        status: 200,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
      });
    },
  );

  app.get(
    `${API_BASE}/cards/:namespace/:name`,
    documentRoute({
      operationId: 'getAgentCard',
      summary: 'Get one AgentCard resource',
      tags: ['cards'],
      responses: {
        200: { description: 'The AgentCard', content: json(AgentCardSchema) },
        304: { description: 'Not modified (If-None-Match)' },
        400: statusResponse('An invalid namespace or name'),
        404: statusResponse('No such card (or not visible to the caller)'),
        406: statusResponse('The Accept header excludes JSON'),
      },
    }),
    validate('param', CardParamsSchema, validCardParams),
    async (c) => {
      requireAccept(c.req.header('accept'), 'application/json');
      const { namespace, name } = c.req.valid('param');
      const card = await visibleCard(route, c, namespace, name);
      const body = JSON.stringify(card);
      return cachedJson(route, c, body, A2ARenderer.etagOf(body));
    },
  );

  app.get(
    `${API_BASE}/cards/:namespace/:name/a2a`,
    documentRoute({
      operationId: 'getA2ACard',
      summary: 'Get the A2A agent card JSON of an AgentCard',
      description:
        'A2A §3.6: the version comes from `?A2A-Version=` (alias `?a2aVersion=`), else the `A2A-Version` ' +
        'header, as Major.Minor (0.3 or 1.0; a patch part is ignored; an empty value means 0.3). With no ' +
        'version named, the card is the one clients of both generations read: the 1.0 card with the 0.3 ' +
        'fields (url, preferredTransport, protocolVersion, additionalInterfaces, security). Served as ' +
        '`application/a2a+json` when the Accept header asks for it.',
      tags: ['cards'],
      parameters: A2A_VERSION_PARAMETERS,
      responses: {
        200: {
          description: 'The A2A agent card',
          content: {
            ...json(A2ACardDocumentSchema),
            [A2A_MEDIA_TYPE]: { schema: resolver(A2ACardDocumentSchema) },
          },
        },
        304: { description: 'Not modified (If-None-Match, or If-Modified-Since without it)' },
        400: statusResponse(
          'VersionNotSupported (an unsupported A2A version), or an invalid namespace or name',
        ),
        404: statusResponse('No such card (or not visible to the caller)'),
      },
    }),
    validate('param', CardParamsSchema, validCardParams),
    validate('query', A2AQuerySchema, emptyQuery),
    (c) => renderA2A(route, c),
  );

  return app;
}

/**
 * The version parameters of every A2A document route (OpenAPI; openApiDocument.ts gives each its schema).
 */
export const A2A_VERSION_PARAMETERS = [
  { in: 'header', name: 'A2A-Version', example: '1.0' },
  { in: 'query', name: 'A2A-Version', example: '1.0' },
  { in: 'query', name: 'a2aVersion', example: '1.0' },
];

/** The headers of an A2A document besides the caching ones: its validators' date and its version. */
export function a2aDocumentHeaders(rendered: RenderedA2ACard): Record<string, string> {
  const headers: Record<string, string> = { 'last-modified': rendered.lastModified };
  // The version served; the card for both generations (no version named) states none.
  if (rendered.version !== undefined) headers['a2a-version'] = rendered.version;
  return headers;
}

/**
 * Shared by `/cards/{ns}/{name}/a2a` and the well-known documents: A2A §3.6 version negotiation
 * (see negotiateA2AVersion), `application/a2a+json` when asked for, ETag and Last-Modified (§8.6).
 */
export async function renderA2A(route: RouteContext, c: Context<AppEnv>): Promise<Response> {
  const accept = c.req.header('accept');
  requireAccept(accept, 'application/json', A2A_MEDIA_TYPE);
  const { namespace, name } = c.req.param() as { namespace: string; name: string };
  const version = negotiateA2AVersion({
    query: c.req.query('A2A-Version'),
    aliasQuery: c.req.query('a2aVersion'),
    header: c.req.header('a2a-version'),
  });
  const card = await visibleCard(route, c, namespace, name);
  const rendered = route.renderer.render(card, version, publicBaseOf(route, c));
  return cachedJson(
    route,
    c,
    rendered.body,
    rendered.etag,
    a2aDocumentHeaders(rendered),
    a2aMediaType(accept),
  );
}
