import { A2A_VERSION_PATTERN } from '@agent-registry/crds';
import type { AuthMode } from '../auth/types.js';
import { isPublicPath } from './env.js';

/** The parts of an OpenAPI 3.1 document this module completes. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  [key: string]: unknown;
}

interface OpenApiOperation {
  responses?: Record<string, unknown>;
  parameters?: unknown[];
  security?: Record<string, string[]>[];
  [key: string]: unknown;
}

const STATUS_REF = { $ref: '#/components/schemas/Status' };
const STATUS_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'status', 'code', 'reason', 'message'],
  properties: {
    apiVersion: { const: 'v1' },
    kind: { const: 'Status' },
    metadata: { type: 'object' },
    status: { const: 'Failure' },
    code: { type: 'integer' },
    reason: { type: 'string' },
    message: { type: 'string' },
    details: { type: 'object' },
  },
};

const statusResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: STATUS_REF } },
});

/** Answers any operation can give, whatever its handler does: the limits and checks in front of it. */
const COMMON_ERRORS: Record<string, string> = {
  400: 'A malformed request (bad Host, path or parameters)',
  405: 'A method the operation does not take (see the Allow header)',
  413: 'The request target is too long, or a body was sent where none is taken',
  429: 'Rate limit exceeded (see Retry-After)',
  431: 'The request header block is too large',
  500: 'An internal error (details in the registry log, never in the response)',
};

/**
 * Completes the generated document: every operation lists the error statuses the middleware can
 * answer with (as `Status`), and its security in this configuration — `[]` for public routes, bearer
 * with 401 (and 503 when the authenticator can be unavailable) for the others when auth is on.
 */
export function completeOpenApi(
  document: OpenApiDocument,
  { authMode, metricsAuth }: { authMode: AuthMode; metricsAuth: boolean },
): OpenApiDocument {
  document.components ??= {};
  document.components.schemas = { ...document.components.schemas, Status: STATUS_SCHEMA };
  for (const [path, item] of Object.entries(document.paths)) {
    const openPath = path.replace(/\{[^}]+\}/g, 'x');
    const isPublic = isPublicPath(openPath) && !(metricsAuth && path === '/metrics');
    const guarded = authMode !== 'none' && !isPublic;
    for (const operation of Object.values(item)) {
      if (typeof operation !== 'object' || operation === null) continue;
      const responses = (operation.responses ??= {});
      // The version query parameters take what negotiation accepts (a supported Major.Minor, optional
      // patch). The header is what a client library sends: any version, 400 VersionNotSupported if not ours.
      for (const parameter of (operation.parameters ?? []) as {
        name?: string;
        in?: string;
        schema?: unknown;
      }[]) {
        if (parameter.name !== 'A2A-Version' && parameter.name !== 'a2aVersion') continue;
        parameter.schema =
          parameter.in === 'header' ? { type: 'string' } : { type: 'string', pattern: A2A_VERSION_PATTERN };
      }
      for (const [code, description] of Object.entries(COMMON_ERRORS)) {
        responses[code] ??= statusResponse(description);
      }
      // A watch's events carry one item of the list each (as JSON in `data`), named by `event` and `id`.
      for (const response of Object.values(responses) as {
        content?: Record<string, { schema?: unknown }>;
      }[]) {
        const stream = response.content?.['text/event-stream'];
        const list = response.content?.['application/json']?.schema as
          { properties?: { items?: { items?: unknown } } } | undefined;
        if (stream && list?.properties?.items?.items) {
          stream.schema = {
            type: 'object',
            required: ['event', 'id', 'data'],
            properties: {
              event: { enum: ['ADDED', 'MODIFIED', 'DELETED'] },
              id: { type: 'string', pattern: '^[0-9a-z]{1,32}\\.[0-9]{1,15}$' },
              data: {
                type: 'string',
                contentMediaType: 'application/json',
                contentSchema: list.properties.items.items,
              },
            },
          };
        }
      }
      if (path.startsWith('/api/') || path.startsWith('/agents/')) {
        responses['406'] ??= statusResponse('The Accept header excludes what the operation returns');
      }
      if (authMode === 'kubernetes' || path.endsWith('/registry/cards')) {
        responses['504'] ??= statusResponse('The request took longer than --request-timeout');
      }
      if (guarded) {
        operation.security = [{ bearer: [] }];
        responses['401'] ??= statusResponse('A bearer token is missing or invalid');
        if (authMode === 'kubernetes') {
          responses['503'] ??= statusResponse('Authentication cannot be decided now (see Retry-After)');
        }
      } else {
        operation.security = [];
      }
    }
  }
  return document;
}
