import type { A2AAuthentication } from '@agent-registry/crds';
import { error, warning, type Diagnostic } from './diagnostics.js';
import { checkUrl } from './endpoint.js';

/** An A2A security scheme object (OpenAPI 3 style), as the card's `securitySchemes` holds it. */
export type SecurityScheme = Record<string, unknown> & { type: string };

export interface Security {
  /** `securitySchemes`: one scheme, named after its type. */
  securitySchemes?: Record<string, SecurityScheme>;
  /** `security`: the requirement that a caller satisfy that scheme. */
  security?: Record<string, string[]>[];
  diagnostics: Diagnostic[];
}

const API_KEY_LOCATIONS = ['header', 'query', 'cookie'];
const OAUTH_FLOWS = ['authorizationCode', 'clientCredentials', 'implicit', 'password'] as const;
type OAuthFlow = (typeof OAUTH_FLOWS)[number];

/** The parameters each scheme reads; any other parameter is reported and ignored. */
const KNOWN_PARAMETERS: Record<string, readonly string[]> = {
  apiKey: ['in', 'name', 'description'],
  http: ['scheme', 'bearerFormat', 'description'],
  oauth2: [
    'flow',
    'authorizationUrl',
    'tokenUrl',
    'refreshUrl',
    'scopes',
    'oauth2MetadataUrl',
    'description',
  ],
  openIdConnect: ['openIdConnectUrl', 'description'],
  mutualTLS: ['description'],
  none: [],
};

/**
 * Maps an a2a.io Agent's `authentication` to A2A `securitySchemes` and
 * `security`. `none` (or an unusable scheme, with a diagnostic) yields neither.
 */
export function toSecurity(authentication: A2AAuthentication, path: string): Security {
  const diagnostics: Diagnostic[] = [];
  const parameters = authentication.parameters ?? {};
  const param = (key: string): string | undefined =>
    Object.hasOwn(parameters, key) ? parameters[key]?.trim() || undefined : undefined;
  const fail = (key: string, reason: string): Security => {
    diagnostics.push(error(`${path}.parameters.${key}`, `${reason}; the card declares no authentication`));
    return { diagnostics };
  };
  const known = KNOWN_PARAMETERS[authentication.scheme] ?? [];
  for (const key of Object.keys(parameters)) {
    if (!known.includes(key)) {
      diagnostics.push(
        warning(
          `${path}.parameters[${JSON.stringify(key)}]`,
          `is not a ${authentication.scheme} parameter and was ignored`,
        ),
      );
    }
  }

  let scheme: SecurityScheme;
  let scopes: string[] = [];
  switch (authentication.scheme) {
    case 'none':
      return { diagnostics };
    case 'apiKey': {
      const location = param('in');
      const name = param('name');
      if (location === undefined || !API_KEY_LOCATIONS.includes(location)) {
        return fail('in', `must be one of ${API_KEY_LOCATIONS.join(', ')}`);
      }
      if (name === undefined) return fail('name', 'is required (the header, query or cookie name)');
      scheme = { type: 'apiKey', in: location, name };
      break;
    }
    case 'http': {
      const httpScheme = param('scheme');
      if (httpScheme === undefined) return fail('scheme', 'is required (e.g. bearer or basic)');
      scheme = { type: 'http', scheme: httpScheme.toLowerCase() };
      const bearerFormat = param('bearerFormat');
      if (bearerFormat !== undefined) scheme.bearerFormat = bearerFormat;
      break;
    }
    case 'openIdConnect': {
      const url = param('openIdConnectUrl');
      const problem = url === undefined ? 'is required' : checkUrl(url);
      if (problem !== undefined) return fail('openIdConnectUrl', problem);
      scheme = { type: 'openIdConnect', openIdConnectUrl: url };
      break;
    }
    case 'mutualTLS':
      scheme = { type: 'mutualTLS' };
      break;
    case 'oauth2': {
      const urls: Record<string, string> = {};
      for (const key of ['authorizationUrl', 'tokenUrl', 'refreshUrl', 'oauth2MetadataUrl']) {
        const url = param(key);
        if (url === undefined) continue;
        const problem = checkUrl(url);
        if (problem !== undefined) return fail(key, problem);
        urls[key] = url;
      }
      const flow = param('flow') ?? inferFlow(urls);
      if (flow === undefined || !(OAUTH_FLOWS as readonly string[]).includes(flow)) {
        return fail(
          'flow',
          `must be one of ${OAUTH_FLOWS.join(', ')} (or give tokenUrl/authorizationUrl to infer it)`,
        );
      }
      const needs: Record<OAuthFlow, string[]> = {
        authorizationCode: ['authorizationUrl', 'tokenUrl'],
        clientCredentials: ['tokenUrl'],
        implicit: ['authorizationUrl'],
        password: ['tokenUrl'],
      };
      const missing = needs[flow as OAuthFlow].find((key) => urls[key] === undefined);
      if (missing !== undefined) return fail(missing, `is required for the ${flow} flow`);
      // Scopes are a space- or comma-separated list; A2A wants a map of scope to description.
      scopes = [...new Set((param('scopes') ?? '').split(/[\s,]+/).filter(Boolean))];
      const flowObject: Record<string, unknown> = { scopes: Object.fromEntries(scopes.map((s) => [s, ''])) };
      for (const key of [...needs[flow as OAuthFlow], 'refreshUrl']) {
        if (urls[key] !== undefined) flowObject[key] = urls[key];
      }
      scheme = { type: 'oauth2', flows: { [flow]: flowObject } };
      if (urls.oauth2MetadataUrl !== undefined) scheme.oauth2MetadataUrl = urls.oauth2MetadataUrl;
      break;
    }
    default:
      diagnostics.push(error(`${path}.scheme`, `unknown scheme ${JSON.stringify(authentication.scheme)}`));
      return { diagnostics };
  }
  const description = param('description');
  if (description !== undefined) scheme.description = description;
  return {
    securitySchemes: { [scheme.type]: scheme },
    security: [{ [scheme.type]: scopes }],
    diagnostics,
  };
}

function inferFlow(urls: Record<string, string>): OAuthFlow | undefined {
  if (urls.authorizationUrl !== undefined && urls.tokenUrl !== undefined) return 'authorizationCode';
  if (urls.tokenUrl !== undefined) return 'clientCredentials';
  if (urls.authorizationUrl !== undefined) return 'implicit';
  return undefined;
}
