import * as v from 'valibot';
import {
  AgentCardSignatureSchema,
  AgentExtensionSchema,
  AgentProviderSchema,
  anyObject,
  bool,
  mapOf,
  obj,
  str,
  strings,
} from './common.js';

/**
 * A2A 0.3.0 AgentCard, written to give the same verdict as the official JSON
 * schema (`definitions.AgentCard` of a2a-v0.3.0.schema.json): the same required
 * keys and types, unknown keys allowed. A test checks the two agree.
 */

const scopes = mapOf(str);

export const SecurityRequirementV03Schema = mapOf(strings);

export const OAuthFlowsV03Schema = obj({
  authorizationCode: v.optional(
    obj({ authorizationUrl: str, tokenUrl: str, refreshUrl: v.optional(str), scopes }),
  ),
  clientCredentials: v.optional(obj({ tokenUrl: str, refreshUrl: v.optional(str), scopes })),
  implicit: v.optional(obj({ authorizationUrl: str, refreshUrl: v.optional(str), scopes })),
  password: v.optional(obj({ tokenUrl: str, refreshUrl: v.optional(str), scopes })),
});

const description = v.optional(str);
export const SecuritySchemeV03Schema = v.pipe(
  anyObject,
  v.variant(
    'type',
    [
      v.looseObject({
        type: v.literal('apiKey'),
        name: str,
        in: v.picklist(['cookie', 'header', 'query'], 'must be cookie, header or query'),
        description,
      }),
      v.looseObject({ type: v.literal('http'), scheme: str, bearerFormat: v.optional(str), description }),
      v.looseObject({
        type: v.literal('oauth2'),
        flows: OAuthFlowsV03Schema,
        oauth2MetadataUrl: v.optional(str),
        description,
      }),
      v.looseObject({ type: v.literal('openIdConnect'), openIdConnectUrl: str, description }),
      v.looseObject({ type: v.literal('mutualTLS'), description }),
    ],
    'must have type apiKey, http, oauth2, openIdConnect or mutualTLS',
  ),
);

export const AgentInterfaceV03Schema = obj({ url: str, transport: str });

export const AgentSkillV03Schema = obj({
  id: str,
  name: str,
  description: str,
  tags: strings,
  examples: v.optional(strings),
  inputModes: v.optional(strings),
  outputModes: v.optional(strings),
  security: v.optional(v.array(SecurityRequirementV03Schema, 'must be an array')),
});

export const AgentCapabilitiesV03Schema = obj({
  streaming: v.optional(bool),
  pushNotifications: v.optional(bool),
  stateTransitionHistory: v.optional(bool),
  extensions: v.optional(v.array(AgentExtensionSchema, 'must be an array')),
});

export const A2ACardV03Schema = obj({
  protocolVersion: str,
  name: str,
  description: str,
  url: str,
  preferredTransport: v.optional(str),
  additionalInterfaces: v.optional(v.array(AgentInterfaceV03Schema, 'must be an array')),
  iconUrl: v.optional(str),
  provider: v.optional(AgentProviderSchema),
  version: str,
  documentationUrl: v.optional(str),
  capabilities: AgentCapabilitiesV03Schema,
  securitySchemes: v.optional(mapOf(SecuritySchemeV03Schema)),
  security: v.optional(v.array(SecurityRequirementV03Schema, 'must be an array')),
  defaultInputModes: strings,
  defaultOutputModes: strings,
  skills: v.array(AgentSkillV03Schema, 'must be an array'),
  supportsAuthenticatedExtendedCard: v.optional(bool),
  signatures: v.optional(v.array(AgentCardSignatureSchema, 'must be an array')),
});
