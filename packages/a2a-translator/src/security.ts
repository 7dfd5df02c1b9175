import * as v from 'valibot';
import { copyJson, setOwn } from './json.js';
import { SecuritySchemeV03Schema } from './schemas/v03.js';
import { SecurityRequirementV1Schema, SecuritySchemeV1Schema } from './schemas/v1.js';
import type {
  OAuthFlowsV03,
  OAuthFlowsV1,
  SecurityRequirementV03,
  SecurityRequirementV1,
  SecuritySchemeV03,
  SecuritySchemeV1,
} from './types.js';

/**
 * Security schemes and requirements in either version's form, converted to
 * the other. 0.3 uses OpenAPI-style `{ type: 'http', ... }` and
 * `{ name: [scopes] }`; 1.0 uses ProtoJSON oneof wrappers
 * (`{ httpAuthSecurityScheme: {...} }`) and `{ schemes: { name: { list } } }`.
 * The inputs are card metadata already validated as one form or the other.
 */

export type Path = readonly (string | number)[];
export type Warn = (path: Path, message: string) => void;

/** A security scheme in either form. */
export type SecurityScheme = SecuritySchemeV03 | SecuritySchemeV1;
/** A security requirement in either form. */
export type SecurityRequirement = SecurityRequirementV03 | SecurityRequirementV1;

/* A value can be valid in both forms (`{type: 'mutualTLS', mtlsSecurityScheme: {}}`): it is kept
 * as is in the version asked for, so each version asks its own schema first. */
const isSchemeV03 = (scheme: SecurityScheme): scheme is SecuritySchemeV03 =>
  v.is(SecuritySchemeV03Schema, scheme);
const isSchemeV1 = (scheme: SecurityScheme): scheme is SecuritySchemeV1 =>
  v.is(SecuritySchemeV1Schema, scheme);
const isRequirementV1 = (requirement: SecurityRequirement): requirement is SecurityRequirementV1 =>
  v.is(SecurityRequirementV1Schema, requirement);

/** `{ description }` when there is one: spread first into a scheme, as both forms order it. */
const describe = (description: string | undefined): { description?: string } =>
  description === undefined ? {} : { description };

const refresh = (refreshUrl: string | undefined): { refreshUrl?: string } =>
  refreshUrl === undefined ? {} : { refreshUrl };

const FLOWS_V03 = ['authorizationCode', 'clientCredentials', 'implicit', 'password'] as const;
type FlowV03 = (typeof FLOWS_V03)[number];

/** The 1.0 form of one flow of a 0.3 scheme (the flow's URLs and scopes, in that order). */
function flowV03ToV1(flows: OAuthFlowsV03, name: FlowV03): OAuthFlowsV1 | undefined {
  switch (name) {
    case 'authorizationCode': {
      const flow = flows.authorizationCode;
      return (
        flow && {
          authorizationCode: {
            authorizationUrl: flow.authorizationUrl,
            tokenUrl: flow.tokenUrl,
            ...refresh(flow.refreshUrl),
            scopes: copyJson(flow.scopes),
          },
        }
      );
    }
    case 'clientCredentials': {
      const flow = flows.clientCredentials;
      return (
        flow && {
          clientCredentials: {
            tokenUrl: flow.tokenUrl,
            ...refresh(flow.refreshUrl),
            scopes: copyJson(flow.scopes),
          },
        }
      );
    }
    case 'implicit': {
      const flow = flows.implicit;
      return (
        flow && {
          implicit: {
            authorizationUrl: flow.authorizationUrl,
            ...refresh(flow.refreshUrl),
            scopes: copyJson(flow.scopes),
          },
        }
      );
    }
    case 'password': {
      const flow = flows.password;
      return (
        flow && {
          password: { tokenUrl: flow.tokenUrl, ...refresh(flow.refreshUrl), scopes: copyJson(flow.scopes) },
        }
      );
    }
  }
}

function schemeV03ToV1(scheme: SecuritySchemeV03, path: Path, warn: Warn): SecuritySchemeV1 | undefined {
  const description = describe(scheme.description);
  switch (scheme.type) {
    case 'apiKey':
      return { apiKeySecurityScheme: { ...description, location: scheme.in, name: scheme.name } };
    case 'http':
      return {
        httpAuthSecurityScheme: {
          ...description,
          scheme: scheme.scheme,
          ...(scheme.bearerFormat === undefined ? {} : { bearerFormat: scheme.bearerFormat }),
        },
      };
    case 'openIdConnect':
      return { openIdConnectSecurityScheme: { ...description, openIdConnectUrl: scheme.openIdConnectUrl } };
    case 'mutualTLS':
      return { mtlsSecurityScheme: description };
    case 'oauth2': {
      const [first, ...dropped] = FLOWS_V03.filter((name) => scheme.flows[name] !== undefined);
      const flows = first === undefined ? undefined : flowV03ToV1(scheme.flows, first);
      if (first === undefined || flows === undefined) {
        warn(
          [...path, 'flows'],
          'omitted: A2A 1.0 needs exactly one OAuth flow and this scheme declares none',
        );
        return undefined;
      }
      if (dropped.length > 0) {
        warn(
          [...path, 'flows'],
          `A2A 1.0 allows one OAuth flow: kept ${first}, dropped ${dropped.join(', ')}`,
        );
      }
      return {
        oauth2SecurityScheme: {
          ...description,
          flows,
          ...(scheme.oauth2MetadataUrl === undefined ? {} : { oauth2MetadataUrl: scheme.oauth2MetadataUrl }),
        },
      };
    }
  }
}

/** The 0.3 form of a 1.0 flow; undefined (with a warning) when 0.3 cannot say it. */
function flowV1ToV03(flows: OAuthFlowsV1, path: Path, warn: Warn): OAuthFlowsV03 | undefined {
  // A oneof holds one flow; its first key names it (any other key is unknown to both versions).
  const [name] = Object.keys(flows);
  const at = [...path, name ?? ''];
  const missing = (key: string) => {
    warn([...at, key], `omitted scheme: A2A 0.3 requires ${key} for the ${String(name)} flow`);
    return undefined;
  };
  if (name === 'authorizationCode' && 'authorizationCode' in flows) {
    const flow = flows.authorizationCode;
    if (flow.pkceRequired === true) warn([...at, 'pkceRequired'], 'dropped: A2A 0.3 has no pkceRequired');
    return {
      authorizationCode: {
        authorizationUrl: flow.authorizationUrl,
        tokenUrl: flow.tokenUrl,
        ...refresh(flow.refreshUrl),
        scopes: copyJson(flow.scopes),
      },
    };
  }
  if (name === 'clientCredentials' && 'clientCredentials' in flows) {
    const flow = flows.clientCredentials;
    return {
      clientCredentials: {
        tokenUrl: flow.tokenUrl,
        ...refresh(flow.refreshUrl),
        scopes: copyJson(flow.scopes),
      },
    };
  }
  if (name === 'implicit' && 'implicit' in flows) {
    const flow = flows.implicit;
    if (flow.authorizationUrl === undefined) return missing('authorizationUrl');
    return {
      implicit: {
        authorizationUrl: flow.authorizationUrl,
        ...refresh(flow.refreshUrl),
        scopes: copyJson(flow.scopes ?? {}),
      },
    };
  }
  if (name === 'password' && 'password' in flows) {
    const flow = flows.password;
    if (flow.tokenUrl === undefined) return missing('tokenUrl');
    return {
      password: { tokenUrl: flow.tokenUrl, ...refresh(flow.refreshUrl), scopes: copyJson(flow.scopes ?? {}) },
    };
  }
  warn(at, `omitted scheme: A2A 0.3 has no ${String(name)} OAuth flow`);
  return undefined;
}

function schemeV1ToV03(wrapper: SecuritySchemeV1, path: Path, warn: Warn): SecuritySchemeV03 | undefined {
  // A oneof holds one member; its first key names it (any other key is unknown to both versions).
  const [kind] = Object.keys(wrapper);
  const at = [...path, kind ?? ''];
  if (kind === 'apiKeySecurityScheme' && 'apiKeySecurityScheme' in wrapper) {
    const inner = wrapper.apiKeySecurityScheme;
    const location = inner.location;
    if (location !== 'cookie' && location !== 'header' && location !== 'query') {
      warn(
        [...at, 'location'],
        `omitted: A2A 0.3 apiKey "in" must be cookie, header or query, not ${JSON.stringify(location)}`,
      );
      return undefined;
    }
    return { type: 'apiKey', ...describe(inner.description), in: location, name: inner.name };
  }
  if (kind === 'httpAuthSecurityScheme' && 'httpAuthSecurityScheme' in wrapper) {
    const inner = wrapper.httpAuthSecurityScheme;
    return {
      type: 'http',
      ...describe(inner.description),
      scheme: inner.scheme,
      ...(inner.bearerFormat === undefined ? {} : { bearerFormat: inner.bearerFormat }),
    };
  }
  if (kind === 'openIdConnectSecurityScheme' && 'openIdConnectSecurityScheme' in wrapper) {
    const inner = wrapper.openIdConnectSecurityScheme;
    return {
      type: 'openIdConnect',
      ...describe(inner.description),
      openIdConnectUrl: inner.openIdConnectUrl,
    };
  }
  if (kind === 'mtlsSecurityScheme' && 'mtlsSecurityScheme' in wrapper) {
    return { type: 'mutualTLS', ...describe(wrapper.mtlsSecurityScheme.description) };
  }
  if (kind === 'oauth2SecurityScheme' && 'oauth2SecurityScheme' in wrapper) {
    const inner = wrapper.oauth2SecurityScheme;
    const flows = flowV1ToV03(inner.flows, [...at, 'flows'], warn);
    if (flows === undefined) return undefined;
    return {
      type: 'oauth2',
      ...describe(inner.description),
      flows,
      ...(inner.oauth2MetadataUrl === undefined ? {} : { oauth2MetadataUrl: inner.oauth2MetadataUrl }),
    };
  }
  return undefined;
}

/** Each scheme of a map in the 1.0 form; schemes 1.0 cannot express are left out (with a warning). */
export function schemesV1(
  schemes: Record<string, SecurityScheme>,
  path: Path,
  warn: Warn,
): Record<string, SecuritySchemeV1> {
  const out: Record<string, SecuritySchemeV1> = {};
  for (const [name, scheme] of Object.entries(schemes)) {
    const converted = isSchemeV1(scheme) ? copyJson(scheme) : schemeV03ToV1(scheme, [...path, name], warn);
    if (converted !== undefined) setOwn(out, name, converted);
  }
  return out;
}

/** Each scheme of a map in the 0.3 form; schemes 0.3 cannot express are left out (with a warning). */
export function schemesV03(
  schemes: Record<string, SecurityScheme>,
  path: Path,
  warn: Warn,
): Record<string, SecuritySchemeV03> {
  const out: Record<string, SecuritySchemeV03> = {};
  for (const [name, scheme] of Object.entries(schemes)) {
    const converted = isSchemeV03(scheme) ? copyJson(scheme) : schemeV1ToV03(scheme, [...path, name], warn);
    if (converted !== undefined) setOwn(out, name, converted);
  }
  return out;
}

/** Requirements in the 1.0 form (`{ schemes: { name: { list } } }`). */
export function requirementsV1(requirements: readonly SecurityRequirement[]): SecurityRequirementV1[] {
  return requirements.map((requirement) => {
    if (isRequirementV1(requirement)) return copyJson(requirement);
    const schemes: Record<string, { list: string[] }> = {};
    for (const [name, list] of Object.entries(requirement)) setOwn(schemes, name, { list: copyJson(list) });
    return { schemes };
  });
}

/** Requirements in the 0.3 form (`{ name: [scope, ...] }`). */
export function requirementsV03(requirements: readonly SecurityRequirement[]): SecurityRequirementV03[] {
  return requirements.map((requirement) => {
    // No value is both (1.0's `schemes` is an object, a 0.3 requirement's values are lists).
    if (!isRequirementV1(requirement)) return copyJson(requirement);
    const out: SecurityRequirementV03 = {};
    for (const [name, { list }] of Object.entries(requirement.schemes)) setOwn(out, name, copyJson(list));
    return out;
  });
}
