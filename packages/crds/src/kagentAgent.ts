import * as v from 'valibot';
import { SkillSchema } from './agentCard.js';
import { limits } from './limits.js';
import { ObjectMetaSchema } from './objectMeta.js';

export const KAGENT_AGENT_GROUP = 'kagent.dev';
export const KAGENT_AGENT_VERSION = 'v1alpha2';
export const KAGENT_AGENT_API_VERSION = `${KAGENT_AGENT_GROUP}/${KAGENT_AGENT_VERSION}` as const;
export const KAGENT_AGENT_KIND = 'Agent';
export const KAGENT_AGENT_PLURAL = 'agents';

/**
 * The subset of kagent's `Agent` that the card generator reads. Only what is
 * read is typed; every other field is kept as it came (`looseObject`).
 */
export const KagentAgentSpecSchema = v.looseObject({
  description: v.optional(v.pipe(v.string('must be a string'), v.maxLength(limits.text))),
  type: v.optional(v.pipe(v.string('must be a string'), v.maxLength(limits.token))),
  declarative: v.optional(
    v.looseObject({
      a2aConfig: v.optional(
        v.looseObject({
          skills: v.optional(v.pipe(v.array(SkillSchema, 'must be a list'), v.maxLength(limits.listItems))),
        }),
      ),
    }),
  ),
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
