import { stringify } from 'yaml';
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import {
  A2A_AGENT_GROUP,
  A2A_AGENT_KIND,
  A2A_AGENT_PLURAL,
  A2A_AGENT_VERSION,
  A2AAgentSpecSchema,
  A2AAgentStatusSchema,
} from '../src/a2aAgent.js';
import {
  AGENT_CARD_GROUP,
  AGENT_CARD_KIND,
  AGENT_CARD_PLURAL,
  AGENT_CARD_VERSION,
  AgentCardSpecSchema,
  AgentCardStatusSchema,
} from '../src/agentCard.js';

type JsonSchema = Record<string, unknown>;

/**
 * Turns a JSON schema into a Kubernetes structural schema: every node typed,
 * no `additionalProperties` beside `properties`, and open objects marked with
 * `x-kubernetes-preserve-unknown-fields` so the apiserver keeps their contents.
 */
export function toStructural(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema') continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([name, child]) => [
          name,
          toStructural(child),
        ]),
      );
    } else if (key === 'items') {
      out.items = toStructural(value as JsonSchema);
    } else if (key === 'additionalProperties') {
      continue; // handled below
    } else if (key === 'anyOf' || key === 'oneOf' || key === 'allOf') {
      throw new Error(`structural schemas cannot express ${key}; simplify the valibot schema`);
    } else {
      out[key] = value;
    }
  }
  const additional = node.additionalProperties;
  const isOpenValue = (s: unknown) => typeof s === 'object' && s !== null && Object.keys(s).length === 0;
  if (node.properties) {
    // A closed object: the apiserver prunes unknown fields by default.
    if (additional === true || isOpenValue(additional)) out['x-kubernetes-preserve-unknown-fields'] = true;
  } else if (additional !== undefined && additional !== false) {
    if (additional === true || isOpenValue(additional)) out['x-kubernetes-preserve-unknown-fields'] = true;
    else out.additionalProperties = toStructural(additional as JsonSchema);
  }
  if (Array.isArray(out.required) && out.required.length === 0) delete out.required;
  if (out.type === undefined) {
    if (Object.keys(out).length === 0) return { 'x-kubernetes-preserve-unknown-fields': true };
    throw new Error(`schema node has no type: ${JSON.stringify(node)}`);
  }
  return out;
}

function schemaOf(schema: v.GenericSchema): JsonSchema {
  const structural = toStructural(
    toJsonSchema(schema, { target: 'openapi-3.0', errorMode: 'ignore' }) as JsonSchema,
  );
  const conditions = (structural.properties as Record<string, JsonSchema> | undefined)?.conditions;
  if (conditions) {
    // metav1.Condition lists are maps keyed by type, so server-side apply merges them per condition.
    conditions['x-kubernetes-list-type'] = 'map';
    conditions['x-kubernetes-list-map-keys'] = ['type'];
  }
  return structural;
}

interface CrdDefinition {
  group: string;
  version: string;
  kind: string;
  plural: string;
  shortNames: string[];
  spec: v.GenericSchema;
  status: v.GenericSchema;
  columns: { name: string; type: string; jsonPath: string; priority?: number; description: string }[];
}

function crd(def: CrdDefinition): JsonSchema {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${def.plural}.${def.group}`,
      labels: { 'app.kubernetes.io/part-of': 'agent-registry' },
    },
    spec: {
      group: def.group,
      scope: 'Namespaced',
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.kind.toLowerCase(),
        shortNames: def.shortNames,
        categories: ['a2a', 'agent-registry'],
      },
      versions: [
        {
          name: def.version,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            ...def.columns,
            {
              name: 'Age',
              type: 'date',
              jsonPath: '.metadata.creationTimestamp',
              description: 'Time since creation.',
            },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: schemaOf(def.spec),
                status: schemaOf(def.status),
              },
            },
          },
        },
      ],
    },
  };
}

/** The CRD manifests this package publishes, keyed by file name. */
export function crdManifests(): Record<string, JsonSchema> {
  return {
    'agentcards.kagent.dev.yaml': crd({
      group: AGENT_CARD_GROUP,
      version: AGENT_CARD_VERSION,
      kind: AGENT_CARD_KIND,
      plural: AGENT_CARD_PLURAL,
      shortNames: ['ac'],
      spec: AgentCardSpecSchema,
      status: AgentCardStatusSchema,
      columns: [
        {
          name: 'Health',
          type: 'string',
          jsonPath: '.status.health',
          description: 'Result of the last probe.',
        },
        { name: 'URL', type: 'string', jsonPath: '.spec.endpoints[0]', description: 'Primary endpoint.' },
        {
          name: 'A2A',
          type: 'string',
          jsonPath: '.spec.a2aVersion',
          priority: 1,
          description: 'A2A version.',
        },
      ],
    }),
    'agents.a2a.io.yaml': crd({
      group: A2A_AGENT_GROUP,
      version: A2A_AGENT_VERSION,
      kind: A2A_AGENT_KIND,
      plural: A2A_AGENT_PLURAL,
      shortNames: ['agent'],
      spec: A2AAgentSpecSchema,
      status: A2AAgentStatusSchema,
      columns: [
        {
          name: 'Health',
          type: 'string',
          jsonPath: '.status.health',
          description: 'Result of the last probe.',
        },
        { name: 'URL', type: 'string', jsonPath: '.spec.endpoints[0].url', description: 'Primary endpoint.' },
      ],
    }),
  };
}

const HEADER = '# Generated from the valibot schemas by `npm run generate:crds`. Do not edit.\n';

/** The manifests as the YAML text checked in under `manifests/`. */
export function renderCrdManifests(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(crdManifests()).map(([file, manifest]) => [
      file,
      HEADER + stringify(manifest, { lineWidth: 0 }),
    ]),
  );
}
