import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AgentCard } from '@agent-registry/crds';
import { parse } from 'yaml';

/** One agent of the benchmark, as agents.yaml writes it. */
export interface BenchAgent {
  namespace: string;
  name: string;
  displayName: string;
  description: string;
  skills: { id: string; name: string; description: string; tags: string[] }[];
}

/** A query and its graded judgments: `namespace/name` → 1 (related), 2 (does the job), 3 (the one). */
export interface BenchQuery {
  q: string;
  relevant: Record<string, number>;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export async function loadDataset(): Promise<{ agents: BenchAgent[]; queries: BenchQuery[] }> {
  const agents = (parse(await readFile(here('./agents.yaml'), 'utf8')) as { agents: BenchAgent[] }).agents;
  const queries = (parse(await readFile(here('./queries.yaml'), 'utf8')) as { queries: BenchQuery[] })
    .queries;
  const keys = new Set(agents.map((agent) => `${agent.namespace}/${agent.name}`));
  for (const query of queries) {
    for (const key of Object.keys(query.relevant)) {
      if (!keys.has(key))
        throw new Error(`queries.yaml: "${query.q}" judges ${key}, which agents.yaml lacks`);
    }
  }
  return { agents, queries };
}

/** The AgentCard resource a benchmark agent stands for (as the controller or the embedded store makes it). */
export function cardOf(agent: BenchAgent): AgentCard {
  return {
    apiVersion: 'kagent.dev/v1alpha1',
    kind: 'AgentCard',
    metadata: { name: agent.name, namespace: agent.namespace },
    spec: {
      a2aVersion: '0.3.0',
      publicCard: { name: agent.displayName, description: agent.description, version: '1.0.0' },
      endpoints: [`http://${agent.name}.${agent.namespace}.svc:8080/`],
      skills: agent.skills.map((skill) => ({ ...skill })),
    },
    status: { health: 'Healthy' },
  } as AgentCard;
}
