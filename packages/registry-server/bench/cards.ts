import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Manifest files the cards are spread over (the embedded store reads files up to 4 MiB each). */
const DEFAULT_FILES = 100;

/** The skill verbs of the generated cards (the scale bench's `q=` queries are made from them). */
export const VERBS = [
  'summarize',
  'translate',
  'classify',
  'extract',
  'forecast',
  'diagnose',
  'schedule',
  'search',
  'review',
  'monitor',
];
const OBJECTS = [
  'logs',
  'invoices',
  'tickets',
  'contracts',
  'metrics',
  'emails',
  'code',
  'images',
  'pods',
  'orders',
];
const TAGS = [
  'finance',
  'ops',
  'kubernetes',
  'security',
  'nlp',
  'vision',
  'support',
  'sales',
  'legal',
  'research',
  'observability',
  'billing',
  'hr',
  'devtools',
  'data',
  'ml',
  'compliance',
  'marketing',
  'retail',
  'health',
];
const HEALTH = [
  'Healthy',
  'Healthy',
  'Healthy',
  'Healthy',
  'Healthy',
  'Healthy',
  'Healthy',
  'Unhealthy',
  'Unhealthy',
  'Unknown',
];

/** A small deterministic PRNG (mulberry32): the same 10,000 cards on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedCards {
  manifests: Record<string, unknown>[];
  /** A card that exists, for the single-card route. */
  sample: { namespace: string; name: string };
  /** The most common skill id, so a filtered page is full. */
  commonSkill: string;
}

/** `count` AgentCards with varied namespaces, skills, tags, labels and health. */
export function generateCards(count: number, seed = 7): GeneratedCards {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const skillUse = new Map<string, number>();
  const manifests: Record<string, unknown>[] = [];
  for (let index = 0; index < count; index++) {
    const namespace = `team-${String(index % 40).padStart(2, '0')}`;
    const name = `agent-${String(index).padStart(5, '0')}`;
    const ids = new Set(
      Array.from({ length: 1 + Math.floor(next() * 4) }, () => `${pick(VERBS)}-${pick(OBJECTS)}`),
    );
    const skills = [...ids].map((id) => {
      skillUse.set(id, (skillUse.get(id) ?? 0) + 1);
      return {
        id,
        name: id.replace('-', ' '),
        description: `Can ${id.replace('-', ' ')} for the ${namespace} team.`,
        tags: [pick(TAGS), pick(TAGS)].filter((tag, i, all) => all.indexOf(tag) === i),
      };
    });
    const health = pick(HEALTH);
    manifests.push({
      apiVersion: 'kagent.dev/v1alpha1',
      kind: 'AgentCard',
      metadata: {
        name,
        namespace,
        labels: {
          'app.kubernetes.io/managed-by': 'agent-registry',
          tier: pick(['gold', 'silver', 'bronze']),
          // 1,000 values: a selector on one of them is selective (a scan would read every card).
          shard: `s-${String(index % 1000).padStart(3, '0')}`,
        },
      },
      spec: {
        a2aVersion: next() < 0.8 ? '0.3.0' : '1.0',
        endpoints: [`http://${name}.${namespace}.svc.cluster.local:8080`],
        metadata: {
          description: `Agent ${index} of ${namespace}: ${skills.map((skill) => skill.name).join(', ')}.`,
          'provider.organization': 'Bench Corp',
          'provider.url': 'https://bench.example.com',
        },
        skills,
      },
      status: {
        health,
        lastSeen: new Date(Date.UTC(2025, 10, 1) + index * 1000).toISOString(),
        conditions: [
          {
            type: 'Ready',
            status: health === 'Healthy' ? 'True' : health === 'Unhealthy' ? 'False' : 'Unknown',
            lastTransitionTime: '2025-11-01T00:00:00Z',
            reason: health === 'Healthy' ? 'ProbeSucceeded' : 'ProbeFailed',
            message: '',
          },
        ],
      },
    });
  }
  const commonSkill = [...skillUse.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'summarize-logs';
  const sample = manifests[Math.floor(count / 2)]?.metadata as
    { namespace: string; name: string } | undefined;
  if (!sample) throw new Error('generateCards needs count >= 1');
  return { manifests, sample: { namespace: sample.namespace, name: sample.name }, commonSkill };
}

/** Writes the manifests as `files` JSON `v1 List` files, the cheapest form the embedded store reads. */
export async function writeManifests(
  directory: string,
  manifests: Record<string, unknown>[],
  files = DEFAULT_FILES,
): Promise<void> {
  await mkdir(directory, { recursive: true });
  const perFile = Math.max(1, Math.ceil(manifests.length / files));
  for (let start = 0; start < manifests.length; start += perFile) {
    const items = manifests.slice(start, start + perFile);
    const file = join(directory, `cards-${String(start / perFile).padStart(3, '0')}.json`);
    await writeFile(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  }
}
