/**
 * A2A agent card shapes, derived from the valibot schemas that validate them (`schemas/`), so a
 * card type and its validation cannot drift apart. 0.3.0 follows the official JSON schema
 * (a2a-v0.3.0.schema.json); 1.0 follows `specification/a2a.proto` of A2A v1.0.0 in its ProtoJSON
 * form (lowerCamelCase names, oneof members as wrapper keys). The types name the known fields;
 * cards may carry others (the schemas are loose, as JSON Schema is).
 */
import type { A2AVersion, Problem } from '@agent-registry/crds';
import type * as v from 'valibot';
import type {
  AgentCardSignatureSchema,
  AgentExtensionSchema,
  AgentProviderSchema,
  WithoutIndexSignature,
} from './schemas/common.js';
import type {
  A2ACardV03Schema,
  AgentInterfaceV03Schema,
  AgentSkillV03Schema,
  OAuthFlowsV03Schema,
  SecurityRequirementV03Schema,
  SecuritySchemeV03Schema,
} from './schemas/v03.js';
import type {
  A2ACardV1Schema,
  AgentInterfaceV1Schema,
  AgentSkillV1Schema,
  OAuthFlowsV1Schema,
  SecurityRequirementV1Schema,
  SecuritySchemeV1Schema,
} from './schemas/v1.js';

export type { A2AVersion };

/** Transports the specification names; both versions also allow custom strings. */
export const CORE_TRANSPORTS = ['JSONRPC', 'GRPC', 'HTTP+JSON'] as const;

export type AgentProvider = v.InferOutput<typeof AgentProviderSchema>;
export type AgentExtension = v.InferOutput<typeof AgentExtensionSchema>;
export type AgentCardSignature = v.InferOutput<typeof AgentCardSignatureSchema>;

// ---- 0.3.0 -----------------------------------------------------------------

export type AgentInterfaceV03 = v.InferOutput<typeof AgentInterfaceV03Schema>;
/** `{ schemeName: [scope, ...] }` */
export type SecurityRequirementV03 = v.InferOutput<typeof SecurityRequirementV03Schema>;
export type OAuthFlowsV03 = v.InferOutput<typeof OAuthFlowsV03Schema>;
/** `{ type: 'http', scheme: 'bearer' }` and the other OpenAPI-style schemes, by `type`. */
export type SecuritySchemeV03 = WithoutIndexSignature<v.InferOutput<typeof SecuritySchemeV03Schema>>;
export type AgentSkillV03 = v.InferOutput<typeof AgentSkillV03Schema>;
export type A2ACardV03 = v.InferOutput<typeof A2ACardV03Schema>;

// ---- 1.0 -------------------------------------------------------------------

export type AgentInterfaceV1 = v.InferOutput<typeof AgentInterfaceV1Schema>;
/** `{ schemes: { schemeName: { list: [scope, ...] } } }` */
export type SecurityRequirementV1 = v.InferOutput<typeof SecurityRequirementV1Schema>;
/** Exactly one flow: `{ authorizationCode: {...} }`, `{ clientCredentials: {...} }`, ... */
export type OAuthFlowsV1 = v.InferOutput<typeof OAuthFlowsV1Schema>;
/** Exactly one scheme wrapper: `{ httpAuthSecurityScheme: {...} }`, ... */
export type SecuritySchemeV1 = v.InferOutput<typeof SecuritySchemeV1Schema>;
export type AgentSkillV1 = v.InferOutput<typeof AgentSkillV1Schema>;
export type A2ACardV1 = v.InferOutput<typeof A2ACardV1Schema>;

export type A2ACard = A2ACardV03 | A2ACardV1;

export type A2ACardFor<V extends A2AVersion> = V extends '1.0' ? A2ACardV1 : A2ACardV03;

/**
 * A rendered card with what was filled or left out (`warnings`, each a `warning` problem), or why no
 * valid card can be made (`issues`, each an `error`).
 */
export type TranslationResult<C> =
  { ok: true; card: C; warnings: Problem[] } | { ok: false; issues: Problem[]; warnings: Problem[] };
