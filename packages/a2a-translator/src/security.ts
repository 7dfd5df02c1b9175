import * as v from 'valibot';
import type { A2AVersion } from '@agent-registry/crds';
import { cloneJson, getOwn, isPlainObject, setOwn, type JsonObject } from './json.js';
import { SecurityRequirementV03Schema, SecuritySchemeV03Schema } from './schemas/v03.js';
import { SecurityRequirementV1Schema, SecuritySchemeV1Schema } from './schemas/v1.js';

/**
 * Security schemes and requirements in either version's form, converted to
 * the other. 0.3 uses OpenAPI-style `{ type: 'http', ... }` and
 * `{ name: [scopes] }`; 1.0 uses ProtoJSON oneof wrappers
 * (`{ httpAuthSecurityScheme: {...} }`) and `{ schemes: { name: { list } } }`.
 */

export type Path = readonly (string | number)[];
export type Warn = (path: Path, message: string) => void;

const is = (schema: v.GenericSchema, value: unknown) => v.safeParse(schema, value).success;

/** Copies the listed string/boolean/object fields that are present, in the listed order. */
function pick(source: unknown, keys: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const key of keys) {
    const value = getOwn(source, key);
    if (value !== undefined) setOwn(out, key, cloneJson(value));
  }
  return out;
}

const FLOWS_V03 = ['authorizationCode', 'clientCredentials', 'implicit', 'password'] as const;

function schemeV03ToV1(scheme: JsonObject, path: Path, warn: Warn): JsonObject | undefined {
  const description = pick(scheme, ['description']);
  switch (scheme.type) {
    case 'apiKey':
      return { apiKeySecurityScheme: { ...description, location: scheme.in, name: scheme.name } };
    case 'http':
      return { httpAuthSecurityScheme: { ...description, ...pick(scheme, ['scheme', 'bearerFormat']) } };
    case 'openIdConnect':
      return { openIdConnectSecurityScheme: { ...description, openIdConnectUrl: scheme.openIdConnectUrl } };
    case 'mutualTLS':
      return { mtlsSecurityScheme: description };
    case 'oauth2': {
      const flows = getOwn(scheme, 'flows');
      const present = FLOWS_V03.filter((name) => getOwn(flows, name) !== undefined);
      const first = present[0];
      if (first === undefined) {
        warn(
          [...path, 'flows'],
          'omitted: A2A 1.0 needs exactly one OAuth flow and this scheme declares none',
        );
        return undefined;
      }
      if (present.length > 1) {
        warn(
          [...path, 'flows'],
          `A2A 1.0 allows one OAuth flow: kept ${first}, dropped ${present.slice(1).join(', ')}`,
        );
      }
      const flow = pick(getOwn(flows, first), ['authorizationUrl', 'tokenUrl', 'refreshUrl', 'scopes']);
      return {
        oauth2SecurityScheme: {
          ...description,
          flows: { [first]: flow },
          ...pick(scheme, ['oauth2MetadataUrl']),
        },
      };
    }
    default:
      return undefined;
  }
}

function schemeV1ToV03(wrapper: JsonObject, path: Path, warn: Warn): JsonObject | undefined {
  const [kind] = Object.keys(wrapper);
  const inner = getOwn(wrapper, kind ?? '');
  const description = pick(inner, ['description']);
  const at = [...path, kind ?? ''];
  switch (kind) {
    case 'apiKeySecurityScheme': {
      const location = getOwn(inner, 'location');
      if (location !== 'cookie' && location !== 'header' && location !== 'query') {
        warn(
          [...at, 'location'],
          `omitted: A2A 0.3 apiKey "in" must be cookie, header or query, not ${JSON.stringify(location)}`,
        );
        return undefined;
      }
      return { type: 'apiKey', ...description, in: location, name: getOwn(inner, 'name') };
    }
    case 'httpAuthSecurityScheme':
      return { type: 'http', ...description, ...pick(inner, ['scheme', 'bearerFormat']) };
    case 'openIdConnectSecurityScheme':
      return { type: 'openIdConnect', ...description, openIdConnectUrl: getOwn(inner, 'openIdConnectUrl') };
    case 'mtlsSecurityScheme':
      return { type: 'mutualTLS', ...description };
    case 'oauth2SecurityScheme': {
      const flows = getOwn(inner, 'flows');
      const [flowName] = Object.keys(isPlainObject(flows) ? flows : {});
      const flow = getOwn(flows, flowName ?? '');
      const flowPath = [...at, 'flows', flowName ?? ''];
      const converted = flowV1ToV03(flowName, flow, flowPath, warn);
      if (converted === undefined) return undefined;
      return {
        type: 'oauth2',
        ...description,
        flows: { [flowName as string]: converted },
        ...pick(inner, ['oauth2MetadataUrl']),
      };
    }
    default:
      return undefined;
  }
}

function flowV1ToV03(
  name: string | undefined,
  flow: unknown,
  path: Path,
  warn: Warn,
): JsonObject | undefined {
  const scopes = getOwn(flow, 'scopes') ?? {};
  const need = (key: string) => {
    if (typeof getOwn(flow, key) === 'string') return true;
    warn([...path, key], `omitted scheme: A2A 0.3 requires ${key} for the ${String(name)} flow`);
    return false;
  };
  switch (name) {
    case 'authorizationCode':
      if (getOwn(flow, 'pkceRequired') === true)
        warn([...path, 'pkceRequired'], 'dropped: A2A 0.3 has no pkceRequired');
      return { ...pick(flow, ['authorizationUrl', 'tokenUrl', 'refreshUrl']), scopes: cloneJson(scopes) };
    case 'clientCredentials':
      return { ...pick(flow, ['tokenUrl', 'refreshUrl']), scopes: cloneJson(scopes) };
    case 'implicit':
      return need('authorizationUrl')
        ? { ...pick(flow, ['authorizationUrl', 'refreshUrl']), scopes: cloneJson(scopes) }
        : undefined;
    case 'password':
      return need('tokenUrl')
        ? { ...pick(flow, ['tokenUrl', 'refreshUrl']), scopes: cloneJson(scopes) }
        : undefined;
    default:
      warn(path, `omitted scheme: A2A 0.3 has no ${String(name)} OAuth flow`);
      return undefined;
  }
}

/** A security scheme in `target`'s form, from either form; undefined (with a warning) when it cannot be expressed. */
export function convertScheme(
  target: A2AVersion,
  raw: unknown,
  path: Path,
  warn: Warn,
): JsonObject | undefined {
  const [sameForm, otherForm] =
    target === '1.0'
      ? [SecuritySchemeV1Schema, SecuritySchemeV03Schema]
      : [SecuritySchemeV03Schema, SecuritySchemeV1Schema];
  if (is(sameForm, raw)) return cloneJson(raw) as JsonObject;
  if (is(otherForm, raw)) {
    return target === '1.0'
      ? schemeV03ToV1(raw as JsonObject, path, warn)
      : schemeV1ToV03(raw as JsonObject, path, warn);
  }
  warn(path, 'omitted: not a valid A2A 0.3 or 1.0 security scheme');
  return undefined;
}

/** A security requirement in `target`'s form, from either form. */
export function convertRequirement(
  target: A2AVersion,
  raw: unknown,
  path: Path,
  warn: Warn,
): JsonObject | undefined {
  if (is(SecurityRequirementV1Schema, raw) && isPlainObject(getOwn(raw, 'schemes'))) {
    const schemes = getOwn(raw, 'schemes') as JsonObject;
    if (target === '1.0') return cloneJson(raw) as JsonObject;
    const out: JsonObject = {};
    for (const name of Object.keys(schemes)) setOwn(out, name, cloneJson(getOwn(schemes[name], 'list')));
    return out;
  }
  if (is(SecurityRequirementV03Schema, raw)) {
    if (target === '0.3.0') return cloneJson(raw) as JsonObject;
    const schemes: JsonObject = {};
    for (const name of Object.keys(raw as JsonObject))
      setOwn(schemes, name, { list: cloneJson((raw as JsonObject)[name]) });
    return { schemes };
  }
  warn(path, 'omitted: not a valid A2A 0.3 or 1.0 security requirement');
  return undefined;
}

/** Converts every entry of a scheme map; entries that cannot be expressed are left out. */
export function convertSchemes(
  target: A2AVersion,
  raw: unknown,
  path: Path,
  warn: Warn,
): JsonObject | undefined {
  if (!isPlainObject(raw)) {
    warn(path, 'omitted: must be a JSON object of named security schemes');
    return undefined;
  }
  const out: JsonObject = {};
  for (const name of Object.keys(raw)) {
    const scheme = convertScheme(target, raw[name], [...path, name], warn);
    if (scheme !== undefined) setOwn(out, name, scheme);
  }
  return out;
}

export function convertRequirements(
  target: A2AVersion,
  raw: unknown,
  path: Path,
  warn: Warn,
): JsonObject[] | undefined {
  if (!Array.isArray(raw)) {
    warn(path, 'omitted: must be a JSON array of security requirements');
    return undefined;
  }
  const out: JsonObject[] = [];
  raw.forEach((item, index) => {
    const requirement = convertRequirement(target, item, [...path, index], warn);
    if (requirement !== undefined) out.push(requirement);
  });
  return out;
}
