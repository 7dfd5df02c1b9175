import * as v from 'valibot';
import { list, text } from './fields.js';
import { limits } from './limits.js';
import { ObjectMetaSchema } from './objectMeta.js';

export const KAGENT_AGENT_GROUP = 'kagent.dev';
export const KAGENT_AGENT_VERSION = 'v1alpha2';
export const KAGENT_AGENT_API_VERSION = `${KAGENT_AGENT_GROUP}/${KAGENT_AGENT_VERSION}` as const;
export const KAGENT_AGENT_KIND = 'Agent';
export const KAGENT_AGENT_PLURAL = 'agents';

/** kagent's agent types: a `Declarative` agent runs on kagent's runtime, a `BYO` one is the user's own image. */
export const KAGENT_AGENT_TYPES = ['Declarative', 'BYO'] as const;
export type KagentAgentType = (typeof KAGENT_AGENT_TYPES)[number];

/**
 * kagent's `AgentSkill` (`spec.declarative.a2aConfig.skills[]`): only `name` is
 * required; `id` may be left out (the card generator derives one from the name).
 */
export const KagentSkillSchema = v.looseObject({
  name: v.pipe(text(limits.token), v.nonEmpty('must not be empty')),
  id: v.optional(text(limits.token)),
  description: v.optional(text(limits.text)),
  tags: v.optional(list(text(limits.token))),
  examples: v.optional(list(text(limits.text))),
  inputModes: v.optional(list(text(limits.token))),
  outputModes: v.optional(list(text(limits.token))),
});
export type KagentSkill = v.InferOutput<typeof KagentSkillSchema>;

/**
 * The subset of kagent's v1alpha2 `Agent` spec that the card generator reads
 * (kagent's CRD holds the full schema and its rules: `type` is required and
 * `declarative` or `byo` must match it). Only what is read is typed; every
 * other field is kept as it came (`looseObject`).
 */
export const KagentAgentSpecSchema = v.looseObject({
  type: v.optional(v.picklist(KAGENT_AGENT_TYPES, `must be one of ${KAGENT_AGENT_TYPES.join(', ')}`)),
  description: v.optional(text(limits.text)),
  declarative: v.optional(
    v.looseObject({
      a2aConfig: v.optional(
        v.looseObject({
          skills: v.optional(list(KagentSkillSchema)),
        }),
      ),
    }),
  ),
  /** A bring-your-own agent: kagent runs the image, which serves A2A itself. Read only for its presence. */
  byo: v.optional(v.looseObject({})),
});
export type KagentAgentSpec = v.InferOutput<typeof KagentAgentSpecSchema>;

export const KagentAgentSchema = v.looseObject({
  apiVersion: v.literal(KAGENT_AGENT_API_VERSION, `must be ${KAGENT_AGENT_API_VERSION}`),
  kind: v.literal(KAGENT_AGENT_KIND, `must be ${KAGENT_AGENT_KIND}`),
  metadata: ObjectMetaSchema,
  spec: v.optional(KagentAgentSpecSchema, {}),
  status: v.optional(v.unknown()),
});
export type KagentAgent = v.InferOutput<typeof KagentAgentSchema>;
