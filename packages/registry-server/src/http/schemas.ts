import { AgentCardSchema, HealthSchema } from '@agent-registry/crds';
import type { Context } from 'hono';
import * as v from 'valibot';
import { MAX_LIMIT } from '../store/types.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const NamespaceSchema = v.pipe(
  v.string(),
  v.regex(DNS_LABEL, 'must be a DNS-1123 label (at most 63 lowercase letters, digits and "-")'),
);
export const NameSchema = v.pipe(
  v.string(),
  v.maxLength(253, 'must be at most 253 characters'),
  v.regex(DNS_SUBDOMAIN, 'must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".")'),
);

export const CardParamsSchema = v.object({ namespace: NamespaceSchema, name: NameSchema });

/** CardParamsSchema's output when the path parameters are valid; `undefined` lets the schema say why not. */
export function validCardParams(c: Context): { namespace: string; name: string } | undefined {
  const namespace = c.req.param('namespace');
  const name = c.req.param('name');
  if (namespace === undefined || name === undefined) return undefined;
  if (!DNS_LABEL.test(namespace) || name.length > 253 || !DNS_SUBDOMAIN.test(name)) return undefined;
  return { namespace, name };
}

/** What an all-optional query schema makes of a URL without a query string. */
export function emptyQuery(c: Context): Record<string, never> | undefined {
  return c.req.url.includes('?') ? undefined : {};
}

const text = (max: number) =>
  v.pipe(v.string('must be given once'), v.maxLength(max, `must be at most ${max} characters`));
const sequence = v.pipe(
  v.string('must be given once'),
  v.regex(
    /^(?:[0-9a-z]{1,32}\.)?\d{1,15}$/,
    'must be an event id or resourceVersion (<epoch>.<sequence>, as the list and the watch give them)',
  ),
);

export const CardListQuerySchema = v.object({
  namespace: v.optional(NamespaceSchema),
  skill: v.optional(text(256)),
  tag: v.optional(text(256)),
  health: v.optional(v.pipe(v.string('must be given once'), HealthSchema)),
  /** Only cards whose publisher signature verified (true) or the others (false). */
  verified: v.optional(
    v.pipe(
      v.string('must be given once'),
      v.picklist(['true', 'false'], 'must be true or false'),
      v.transform((value) => value === 'true'),
    ),
  ),
  labelSelector: v.optional(text(4096)),
  q: v.optional(text(256)),
  limit: v.optional(
    v.pipe(
      v.string('must be given once'),
      v.regex(/^\d{1,7}$/, `must be an integer from 0 to ${MAX_LIMIT}`),
      v.transform(Number),
      v.maxValue(MAX_LIMIT, `must be at most ${MAX_LIMIT}`),
    ),
  ),
  continue: v.optional(text(2048)),
  watch: v.optional(v.picklist(['true', 'false', '1', '0'], 'must be true or false')),
  /** Resume a watch after this event id (same as Last-Event-ID). */
  resourceVersion: v.optional(v.union([v.literal(''), sequence])),
  /** Alias of resourceVersion. */
  since: v.optional(sequence),
});
export type CardListQuery = v.InferOutput<typeof CardListQuerySchema>;

export const A2AQuerySchema = v.object({
  'A2A-Version': v.optional(text(32)),
  a2aVersion: v.optional(text(32)),
});

export const AgentCardListSchema = v.object({
  apiVersion: v.literal('kagent.dev/v1alpha1'),
  kind: v.literal('AgentCardList'),
  metadata: v.object({ continue: v.optional(v.string()), resourceVersion: v.optional(v.string()) }),
  items: v.array(AgentCardSchema),
  /** With `q`: each item's relevance score (BM25), aligned with `items`. */
  scores: v.optional(v.array(v.number())),
});

/** The A2A document is validated by the translator; here only its outline. */
export const A2ACardDocumentSchema = v.looseObject({ name: v.string(), description: v.string() });
