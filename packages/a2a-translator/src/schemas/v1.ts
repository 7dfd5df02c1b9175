import * as v from 'valibot';
import {
  AgentCardSignatureSchema,
  AgentProviderSchema,
  anyObject,
  bool,
  mapOf,
  obj,
  oneOf,
  str,
  strings,
} from './common.js';

/**
 * A2A 1.0 AgentCard in ProtoJSON form, from `specification/a2a.proto` at
 * v1.0.0: fields marked REQUIRED there are required here (non-empty strings, lists with at least one
 * element, interface versions as Major.Minor), oneofs are objects
 * with exactly one member, and the 0.3-only fields are rejected so a 0.3 card
 * is never mistaken for a 1.0 one.
 */

const scopes = mapOf(str);

/** A REQUIRED string: A2A 1.0 (§5.7) gives it no empty value. */
const required = v.pipe(str, v.minLength(1, 'must not be empty (REQUIRED in A2A 1.0)'));
/** A REQUIRED list has at least one element (§5.7). */
const requiredList = <S extends v.GenericSchema>(item: S, message: string) =>
  v.pipe(v.array(item, message), v.minLength(1, 'must have at least one element (REQUIRED in A2A 1.0)'));
/** An interface's protocol version: Major.Minor (§3.6), e.g. `1.0` or `0.3`. */
const majorMinor = v.pipe(
  required,
  v.regex(/^\d+\.\d+$/, 'must be a protocol version as Major.Minor (e.g. 1.0 or 0.3)'),
);
const description = v.optional(str);

export const SecurityRequirementV1Schema = obj({ schemes: mapOf(obj({ list: strings })) });

export const OAuthFlowsV1Schema = oneOf(
  {
    authorizationCode: obj({
      authorizationUrl: str,
      tokenUrl: str,
      refreshUrl: v.optional(str),
      scopes,
      pkceRequired: v.optional(bool),
    }),
    clientCredentials: obj({ tokenUrl: str, refreshUrl: v.optional(str), scopes }),
    implicit: obj({
      authorizationUrl: v.optional(str),
      refreshUrl: v.optional(str),
      scopes: v.optional(scopes),
    }),
    password: obj({ tokenUrl: v.optional(str), refreshUrl: v.optional(str), scopes: v.optional(scopes) }),
    deviceCode: obj({ deviceAuthorizationUrl: str, tokenUrl: str, refreshUrl: v.optional(str), scopes }),
  },
  'OAuth flow',
);

export const SecuritySchemeV1Schema = oneOf(
  {
    apiKeySecurityScheme: obj({ location: str, name: str, description }),
    httpAuthSecurityScheme: obj({ scheme: str, bearerFormat: v.optional(str), description }),
    oauth2SecurityScheme: obj({ flows: OAuthFlowsV1Schema, oauth2MetadataUrl: v.optional(str), description }),
    openIdConnectSecurityScheme: obj({ openIdConnectUrl: str, description }),
    mtlsSecurityScheme: obj({ description }),
  },
  'security scheme',
);

export const AgentInterfaceV1Schema = obj({
  url: required,
  protocolBinding: required,
  protocolVersion: majorMinor,
  tenant: v.optional(str),
});

export const AgentExtensionV1Schema = obj({
  uri: v.optional(str),
  description: v.optional(str),
  required: v.optional(bool),
  params: v.optional(anyObject),
});

/** Rejects a field that only exists in 0.3, naming its 1.0 replacement. */
const only03 = (replacement: string) => v.optional(v.never(`is an A2A 0.3 field; 1.0 uses ${replacement}`));

const requirements = v.optional(v.array(SecurityRequirementV1Schema, 'must be an array'));

export const AgentSkillV1Schema = obj({
  id: required,
  name: required,
  description: required,
  tags: requiredList(str, 'must be an array of strings'),
  examples: v.optional(strings),
  inputModes: v.optional(strings),
  outputModes: v.optional(strings),
  securityRequirements: requirements,
  security: only03('securityRequirements'),
});

export const AgentCapabilitiesV1Schema = obj({
  streaming: v.optional(bool),
  pushNotifications: v.optional(bool),
  extensions: v.optional(v.array(AgentExtensionV1Schema, 'must be an array')),
  extendedAgentCard: v.optional(bool),
  stateTransitionHistory: only03('nothing (removed in 1.0)'),
});

export const A2ACardV1Schema = obj({
  name: required,
  description: required,
  supportedInterfaces: requiredList(AgentInterfaceV1Schema, 'must be an array'),
  provider: v.optional(AgentProviderSchema),
  version: required,
  documentationUrl: v.optional(str),
  capabilities: AgentCapabilitiesV1Schema,
  securitySchemes: v.optional(mapOf(SecuritySchemeV1Schema)),
  securityRequirements: requirements,
  defaultInputModes: requiredList(str, 'must be an array of strings'),
  defaultOutputModes: requiredList(str, 'must be an array of strings'),
  skills: requiredList(AgentSkillV1Schema, 'must be an array'),
  signatures: v.optional(v.array(AgentCardSignatureSchema, 'must be an array')),
  iconUrl: v.optional(str),
  url: only03('supportedInterfaces[].url'),
  preferredTransport: only03('supportedInterfaces[].protocolBinding'),
  additionalInterfaces: only03('supportedInterfaces'),
  protocolVersion: only03('supportedInterfaces[].protocolVersion'),
  security: only03('securityRequirements'),
  supportsAuthenticatedExtendedCard: only03('capabilities.extendedAgentCard'),
});
