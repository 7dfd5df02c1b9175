import { Hono } from 'hono';
import { resolver } from 'hono-openapi';
import { A2ARenderer } from '../../a2aRenderer.js';
import {
  AI_CATALOG_MEDIA_TYPE,
  AI_CATALOG_PATH,
  AI_CATALOG_SPEC_VERSION,
  AiCatalogSchema,
  aiCatalogEntryOf,
  type AiCatalog,
  type RenderedFields,
} from '../aiCatalog.js';
import { documentRoute } from '../describe.js';
import type { AppEnv } from '../env.js';
import { requireAccept } from '../negotiation.js';
import { cacheHeaders, matchesIfNoneMatch, publicBaseOf, type RouteContext } from '../routeContext.js';
import { StatusSchema } from '../status.js';
import { visibleCards } from '../visibleCards.js';

/** Catalogs kept (by store sequence, visibility and base URL): a few principals and hosts at a time. */
const MAX_CACHED_CATALOGS = 16;

interface CachedCatalog {
  body: string;
  etag: string;
}

/**
 * `GET /.well-known/ai-catalog.json`: every card the caller may see as an AI Catalog, ordered by
 * namespace/name. Built once per (store state, visibility, base URL) and served with a strong ETag.
 */
export function aiCatalogRoutes(route: RouteContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const cache = new Map<string, CachedCatalog>();

  const build = (visible: ReadonlySet<string> | undefined, base: string): CachedCatalog => {
    const catalog: AiCatalog = {
      specVersion: AI_CATALOG_SPEC_VERSION,
      host: { displayName: 'Agent Registry' },
      entries: [],
    };
    for (const card of visibleCards(route.store, visible)) {
      let rendered: RenderedFields = {};
      try {
        rendered = JSON.parse(route.renderer.render(card, undefined, base).body) as RenderedFields;
      } catch {
        // A card the translator cannot render is still listed, named by its resource.
      }
      catalog.entries.push(aiCatalogEntryOf(card, rendered, base));
    }
    const body = JSON.stringify(catalog);
    return { body, etag: A2ARenderer.etagOf(body) };
  };

  app.get(
    AI_CATALOG_PATH,
    documentRoute({
      operationId: 'getAiCatalog',
      summary: 'Every agent the caller may see, as an AI Catalog',
      description:
        'An AI Catalog (`application/ai-catalog+json`, spec version 1.0) with one entry per visible ' +
        "AgentCard: identifier, display name, media type `application/a2a-agent-card+json`, the card's " +
        'version and the URL of its well-known A2A card. Namespace visibility applies (a token is needed ' +
        'when auth is on). Cached like cards: strong ETag, If-None-Match → 304.',
      tags: ['well-known'],
      responses: {
        200: {
          description: 'The AI Catalog',
          content: { [AI_CATALOG_MEDIA_TYPE]: { schema: resolver(AiCatalogSchema) } },
        },
        304: { description: 'Not modified (If-None-Match)' },
        401: {
          description: 'Auth is on and the bearer token is missing or invalid',
          content: { 'application/json': { schema: resolver(StatusSchema) } },
        },
        406: {
          description: 'The Accept header excludes JSON',
          content: { 'application/json': { schema: resolver(StatusSchema) } },
        },
      },
    }),
    async (c) => {
      requireAccept(c.req.header('accept'), AI_CATALOG_MEDIA_TYPE, 'application/json');
      const principal = c.get('principal');
      const visible = await principal.visibleNamespaces(route.store.namespaces(), 'list');
      const base = publicBaseOf(route, c);
      const key = `${route.store.epoch}.${route.store.sequence}|${visible ? [...visible].sort().join(',') : '*'}|${base}`;
      let catalog = cache.get(key);
      if (catalog) {
        cache.delete(key);
      } else {
        catalog = build(visible, base);
        if (cache.size >= MAX_CACHED_CATALOGS) cache.delete(cache.keys().next().value as string);
      }
      cache.set(key, catalog);
      const headers = cacheHeaders(route, catalog.etag);
      if (matchesIfNoneMatch(c.req.header('if-none-match'), catalog.etag)) {
        return new Response(null, { status: 304, headers });
      }
      headers['content-type'] = AI_CATALOG_MEDIA_TYPE;
      return new Response(c.req.method === 'HEAD' ? null : catalog.body, { status: 200, headers });
    },
  );
  return app;
}
