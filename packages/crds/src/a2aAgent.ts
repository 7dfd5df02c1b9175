import * as v from 'valibot';
import { ConditionSchema, HealthSchema } from './condition.js';
import { list, text, UrlSchema } from './fields.js';
import { limits } from './limits.js';
import { ObjectMetaSchema } from './objectMeta.js';

export const A2A_AGENT_GROUP = 'a2a.io';
export const A2A_AGENT_VERSION = 'v1';
export const A2A_AGENT_API_VERSION = `${A2A_AGENT_GROUP}/${A2A_AGENT_VERSION}` as const;
export const A2A_AGENT_KIND = 'Agent';
export const A2A_AGENT_PLURAL = 'agents';

/** What an agent can do; each capability becomes a skill on its card. */
export const A2ACapabilitySchema = v.object({
  name: v.pipe(text(limits.token), v.nonEmpty('must not be empty')),
  id: v.optional(text(limits.token)),
  description: v.optional(text(limits.text)),
  tags: v.optional(list(text(limits.token))),
  examples: v.optional(list(text(limits.text))),
});
export type A2ACapability = v.InferOutput<typeof A2ACapabilitySchema>;

/** A2A transports (0.3 `preferredTransport` names). */
export const TRANSPORTS = ['JSONRPC', 'GRPC', 'HTTP+JSON'] as const;
export type Transport = (typeof TRANSPORTS)[number];

export const A2AEndpointSchema = v.object({
  url: UrlSchema,
  transport: v.optional(v.picklist(TRANSPORTS, `must be one of ${TRANSPORTS.join(', ')}`)),
});
export type A2AEndpoint = v.InferOutput<typeof A2AEndpointSchema>;

/** Authentication schemes, named after A2A security scheme types. */
export const AUTHENTICATION_SCHEMES = [
  'none',
  'apiKey',
  'http',
  'oauth2',
  'openIdConnect',
  'mutualTLS',
] as const;

export const A2AAuthenticationSchema = v.object({
  scheme: v.picklist(AUTHENTICATION_SCHEMES, `must be one of ${AUTHENTICATION_SCHEMES.join(', ')}`),
  /** Scheme parameters, e.g. `in`/`name` for apiKey, `scheme`/`bearerFormat` for http, `openIdConnectUrl`. */
  parameters: v.optional(v.record(text(limits.token), text(limits.url))),
});
export type A2AAuthentication = v.InferOutput<typeof A2AAuthenticationSchema>;

export const A2AAgentSpecSchema = v.object({
  description: v.optional(text(limits.text)),
  version: v.optional(text(limits.token)),
  capabilities: v.optional(list(A2ACapabilitySchema)),
  endpoints: v.optional(list(A2AEndpointSchema)),
  authentication: v.optional(A2AAuthenticationSchema),
});
export type A2AAgentSpec = v.InferOutput<typeof A2AAgentSpecSchema>;

export const A2AAgentStatusSchema = v.object({
  health: v.optional(HealthSchema),
  lastSeen: v.optional(v.pipe(v.string(), v.isoTimestamp('must be an RFC 3339 timestamp'))),
  conditions: v.optional(list(ConditionSchema)),
});

export const A2AAgentSchema = v.object({
  apiVersion: v.literal(A2A_AGENT_API_VERSION, `must be ${A2A_AGENT_API_VERSION}`),
  kind: v.literal(A2A_AGENT_KIND, `must be ${A2A_AGENT_KIND}`),
  metadata: ObjectMetaSchema,
  spec: A2AAgentSpecSchema,
  status: v.optional(A2AAgentStatusSchema),
});
export type A2AAgent = v.InferOutput<typeof A2AAgentSchema>;
