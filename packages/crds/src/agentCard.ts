import * as v from 'valibot';
import { ConditionSchema, HealthSchema } from './condition.js';
import { list, text, UrlSchema } from './fields.js';
import { limits } from './limits.js';
import { ObjectMetaSchema } from './objectMeta.js';

export const AGENT_CARD_GROUP = 'kagent.dev';
export const AGENT_CARD_VERSION = 'v1alpha1';
export const AGENT_CARD_API_VERSION = `${AGENT_CARD_GROUP}/${AGENT_CARD_VERSION}` as const;
export const AGENT_CARD_KIND = 'AgentCard';
export const AGENT_CARD_PLURAL = 'agentcards';

/** A2A protocol versions an AgentCard may ask for. */
export const A2A_VERSIONS = ['0.3.0', '1.0'] as const;
export type A2AVersion = (typeof A2A_VERSIONS)[number];
export const DEFAULT_A2A_VERSION: A2AVersion = '0.3.0';

/** A typed skill, for sources that declare them (wins over capability strings). */
export const SkillSchema = v.object({
  id: v.pipe(text(limits.token), v.nonEmpty('must not be empty')),
  name: v.pipe(text(limits.token), v.nonEmpty('must not be empty')),
  description: v.optional(text(limits.text)),
  tags: v.optional(list(text(limits.token))),
  examples: v.optional(list(text(limits.text))),
  inputModes: v.optional(list(text(limits.token))),
  outputModes: v.optional(list(text(limits.token))),
});
export type Skill = v.InferOutput<typeof SkillSchema>;

export const SourceRefSchema = v.object({
  apiVersion: text(limits.name),
  kind: text(limits.token),
  name: text(limits.name),
  uid: v.optional(text(limits.token)),
});
export type SourceRef = v.InferOutput<typeof SourceRefSchema>;

export const AgentCardSpecSchema = v.object({
  /** The rendered A2A JSON document: an open object, validated by the translator. */
  publicCard: v.optional(v.record(v.string(), v.unknown())),
  a2aVersion: v.optional(
    v.picklist(A2A_VERSIONS, `must be one of ${A2A_VERSIONS.join(', ')}`),
    DEFAULT_A2A_VERSION,
  ),
  /** Extensible A2A fields, keyed as the translator documents (`provider.url`, `iconUrl`, ...). */
  metadata: v.optional(
    v.pipe(
      v.record(text(limits.token), text(limits.text)),
      v.check(
        (m) => Object.keys(m).length <= limits.metadataEntries,
        `must have at most ${limits.metadataEntries} entries`,
      ),
    ),
  ),
  /** Agent URLs; the first is the primary. */
  endpoints: v.optional(list(UrlSchema)),
  /** Capability strings; each becomes a skill when no typed skills are given. */
  capabilities: v.optional(list(text(limits.token))),
  skills: v.optional(list(SkillSchema)),
  sourceRef: v.optional(SourceRefSchema),
  /** SHA-256 (hex) of the canonical spec without this field. */
  contentHash: v.optional(text(128)),
});
export type AgentCardSpec = v.InferOutput<typeof AgentCardSpecSchema>;
export type AgentCardSpecInput = v.InferInput<typeof AgentCardSpecSchema>;

export const AgentCardStatusSchema = v.object({
  health: v.optional(HealthSchema),
  lastSeen: v.optional(v.pipe(v.string(), v.isoTimestamp('must be an RFC 3339 timestamp'))),
  observedGeneration: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  conditions: v.optional(list(ConditionSchema)),
});
export type AgentCardStatus = v.InferOutput<typeof AgentCardStatusSchema>;

export const AgentCardSchema = v.object({
  apiVersion: v.literal(AGENT_CARD_API_VERSION, `must be ${AGENT_CARD_API_VERSION}`),
  kind: v.literal(AGENT_CARD_KIND, `must be ${AGENT_CARD_KIND}`),
  metadata: ObjectMetaSchema,
  spec: AgentCardSpecSchema,
  status: v.optional(AgentCardStatusSchema),
});
export type AgentCard = v.InferOutput<typeof AgentCardSchema>;
