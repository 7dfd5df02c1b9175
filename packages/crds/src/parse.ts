import * as v from 'valibot';
import { AGENT_CARD_API_VERSION, AGENT_CARD_KIND, AgentCardSchema, type AgentCard } from './agentCard.js';
import { A2A_AGENT_API_VERSION, A2A_AGENT_KIND, A2AAgentSchema, type A2AAgent } from './a2aAgent.js';
import {
  KAGENT_AGENT_API_VERSION,
  KAGENT_AGENT_KIND,
  KagentAgentSchema,
  type KagentAgent,
} from './kagentAgent.js';
import { errorAt, ROOT_PATH, type Problem } from './problem.js';

/** The typed value, or why there is none: `error` problems at path-precise places. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: Problem[] };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Renders a path the way a person would type it into `jq` or JavaScript. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out === '' ? ROOT_PATH : out;
}

function toProblem(issue: v.BaseIssue<unknown>): Problem {
  const path = formatPath((issue.path ?? []).map((item) => item.key as string | number));
  const message = issue.received === 'undefined' && issue.kind === 'schema' ? 'is required' : issue.message;
  return errorAt(path, message);
}

/** Parses `input` with any schema, returning typed output or path-precise issues. Never throws. */
export function parseWith<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
): ParseResult<v.InferOutput<S>> {
  try {
    const result = v.safeParse(schema, input, { abortPipeEarly: true });
    if (result.success) return { ok: true, value: result.output };
    return { ok: false, issues: result.issues.map(toProblem) };
  } catch (error) {
    // Defensive: valibot does not throw on data, but a getter on a hostile object could.
    return { ok: false, issues: [errorAt(ROOT_PATH, `could not be read: ${String(error)}`)] };
  }
}

export const parseAgentCard = (input: unknown): ParseResult<AgentCard> => parseWith(AgentCardSchema, input);
export const parseA2AAgent = (input: unknown): ParseResult<A2AAgent> => parseWith(A2AAgentSchema, input);
/** `parseAgent` reads the vendor-neutral `a2a.io/v1` Agent (the kagent one has its own parser). */
export const parseAgent = parseA2AAgent;
export const parseKagentAgent = (input: unknown): ParseResult<KagentAgent> =>
  parseWith(KagentAgentSchema, input);

/** Any resource this project understands, tagged by what it is. */
export type Resource =
  | { type: 'AgentCard'; resource: AgentCard }
  | { type: 'A2AAgent'; resource: A2AAgent }
  | { type: 'KagentAgent'; resource: KagentAgent };

const kinds = {
  [`${AGENT_CARD_API_VERSION}/${AGENT_CARD_KIND}`]: (input: unknown) =>
    tag('AgentCard', parseAgentCard(input)),
  [`${A2A_AGENT_API_VERSION}/${A2A_AGENT_KIND}`]: (input: unknown) => tag('A2AAgent', parseA2AAgent(input)),
  [`${KAGENT_AGENT_API_VERSION}/${KAGENT_AGENT_KIND}`]: (input: unknown) =>
    tag('KagentAgent', parseKagentAgent(input)),
} as Record<string, (input: unknown) => ParseResult<Resource>>;

function tag<T extends Resource['type']>(
  type: T,
  result: ParseResult<Extract<Resource, { type: T }>['resource']>,
): ParseResult<Resource> {
  return result.ok ? { ok: true, value: { type, resource: result.value } as Resource } : result;
}

/** The `apiVersion/kind` pairs `parseResource` accepts. */
export const SUPPORTED_KINDS = Object.keys(kinds);

/** Parses any supported resource, dispatching on `apiVersion` and `kind`. */
export function parseResource(input: unknown): ParseResult<Resource> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [errorAt(ROOT_PATH, 'must be an object (a Kubernetes resource)')] };
  }
  const { apiVersion, kind } = input as { apiVersion?: unknown; kind?: unknown };
  const parse = Object.hasOwn(kinds, `${String(apiVersion)}/${String(kind)}`)
    ? kinds[`${String(apiVersion)}/${String(kind)}`]
    : undefined;
  if (!parse) {
    return {
      ok: false,
      issues: [
        errorAt(
          typeof apiVersion === 'string' ? 'kind' : 'apiVersion',
          `unsupported resource ${JSON.stringify(apiVersion)}/${JSON.stringify(kind)}; expected one of ${SUPPORTED_KINDS.join(', ')}`,
        ),
      ],
    };
  }
  return parse(input);
}
