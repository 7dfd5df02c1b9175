/**
 * A2A 1.0 §8.4.1 rule 1: before canonicalisation, a card follows Protocol Buffer field presence
 * (§5.7) — a field that is REQUIRED or declared `optional` stays as given (even when it holds a
 * default value); any other field is omitted when it holds its default (`""`, `false`, `0`, an
 * empty list or map). Message fields have presence in proto3, so a present message stays (its
 * own fields are processed); `google.protobuf.Struct` values (extension params) are opaque JSON.
 *
 * The table mirrors `specification/a2a.proto` at A2A v1.0.0 (ProtoJSON field names). Members the
 * table does not know are kept untouched: a field from a newer version is signed as it stands.
 */

type Field =
  | { kind: 'required' | 'optional' | 'implicit' | 'struct' }
  | { kind: 'message'; of: () => Message }
  | { kind: 'list'; required?: boolean; of?: () => Message }
  | { kind: 'map'; required?: boolean; of?: () => Message };

type Message = Readonly<Record<string, Field>>;

const required: Field = { kind: 'required' };
const optional: Field = { kind: 'optional' };
const implicit: Field = { kind: 'implicit' };
const message = (of: () => Message): Field => ({ kind: 'message', of });
const list = (options: { required?: boolean; of?: () => Message } = {}): Field => ({
  kind: 'list',
  ...options,
});
const map = (options: { required?: boolean; of?: () => Message } = {}): Field => ({
  kind: 'map',
  ...options,
});

const StringList: Message = { list: list() };
const SecurityRequirement: Message = { schemes: map({ of: () => StringList }) };
const AgentInterface: Message = {
  url: required,
  protocolBinding: required,
  tenant: implicit,
  protocolVersion: required,
};
const AgentProvider: Message = { url: required, organization: required };
const AgentExtension: Message = {
  uri: implicit,
  description: implicit,
  required: implicit,
  params: { kind: 'struct' },
};
const AgentCapabilities: Message = {
  streaming: optional,
  pushNotifications: optional,
  extensions: list({ of: () => AgentExtension }),
  extendedAgentCard: optional,
};
const AgentSkill: Message = {
  id: required,
  name: required,
  description: required,
  tags: list({ required: true }),
  examples: list(),
  inputModes: list(),
  outputModes: list(),
  securityRequirements: list({ of: () => SecurityRequirement }),
};
const AuthorizationCodeOAuthFlow: Message = {
  authorizationUrl: required,
  tokenUrl: required,
  refreshUrl: implicit,
  scopes: map({ required: true }),
  pkceRequired: implicit,
};
const ClientCredentialsOAuthFlow: Message = {
  tokenUrl: required,
  refreshUrl: implicit,
  scopes: map({ required: true }),
};
const ImplicitOAuthFlow: Message = { authorizationUrl: implicit, refreshUrl: implicit, scopes: map() };
const PasswordOAuthFlow: Message = { tokenUrl: implicit, refreshUrl: implicit, scopes: map() };
const DeviceCodeOAuthFlow: Message = {
  deviceAuthorizationUrl: required,
  tokenUrl: required,
  refreshUrl: implicit,
  scopes: map({ required: true }),
};
// `oneof` members have presence: whichever one is set stays.
const OAuthFlows: Message = {
  authorizationCode: message(() => AuthorizationCodeOAuthFlow),
  clientCredentials: message(() => ClientCredentialsOAuthFlow),
  implicit: message(() => ImplicitOAuthFlow),
  password: message(() => PasswordOAuthFlow),
  deviceCode: message(() => DeviceCodeOAuthFlow),
};
const SecurityScheme: Message = {
  apiKeySecurityScheme: message(() => ({ description: implicit, location: required, name: required })),
  httpAuthSecurityScheme: message(() => ({
    description: implicit,
    scheme: required,
    bearerFormat: implicit,
  })),
  oauth2SecurityScheme: message(() => ({
    description: implicit,
    flows: message(() => OAuthFlows),
    oauth2MetadataUrl: implicit,
  })),
  openIdConnectSecurityScheme: message(() => ({ description: implicit, openIdConnectUrl: required })),
  mtlsSecurityScheme: message(() => ({ description: implicit })),
};
const AgentCard: Message = {
  name: required,
  description: required,
  supportedInterfaces: list({ required: true, of: () => AgentInterface }),
  provider: message(() => AgentProvider),
  version: required,
  documentationUrl: optional,
  capabilities: message(() => AgentCapabilities),
  securitySchemes: map({ of: () => SecurityScheme }),
  securityRequirements: list({ of: () => SecurityRequirement }),
  defaultInputModes: list({ required: true }),
  defaultOutputModes: list({ required: true }),
  skills: list({ required: true, of: () => AgentSkill }),
  iconUrl: optional,
};

const OMIT = Symbol('omit');

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value of the wrong JSON type is kept as it is: the signature then covers exactly what was sent. */
function strip(value: unknown, field: Field): unknown {
  switch (field.kind) {
    case 'required':
      return value;
    case 'optional':
    case 'struct':
      return value === null ? OMIT : value; // ProtoJSON: null means "not set"
    case 'implicit':
      return value === null || value === '' || value === false || value === 0 ? OMIT : value;
    case 'message':
      if (value === null) return OMIT;
      return isObject(value) ? stripMessage(value, field.of()) : value;
    case 'list': {
      if (value === null) return OMIT;
      if (!Array.isArray(value)) return value;
      if (value.length === 0 && !field.required) return OMIT;
      const of = field.of;
      return of ? value.map((item) => (isObject(item) ? stripMessage(item, of()) : item)) : value;
    }
    case 'map': {
      if (value === null) return OMIT;
      if (!isObject(value)) return value;
      const keys = Object.keys(value);
      if (keys.length === 0 && !field.required) return OMIT;
      const of = field.of;
      if (!of) return value;
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        const item = value[key];
        out[key] = isObject(item) ? stripMessage(item, of()) : item;
      }
      return out;
    }
  }
}

function stripMessage(value: Record<string, unknown>, descriptor: Message): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const field = Object.hasOwn(descriptor, key) ? descriptor[key] : undefined;
    const kept = field ? strip(value[key], field) : value[key];
    if (kept !== OMIT) out[key] = kept;
  }
  return out;
}

/** A copy of a 1.0 card without the members §8.4.1 rule 1 leaves out of the signed form. */
export function omitDefaultValuesV1(card: Record<string, unknown>): Record<string, unknown> {
  return stripMessage(card, AgentCard);
}
