import type { AgentCard, Health, Skill } from '@agent-registry/crds';

export interface CardFixture {
  namespace?: string;
  name: string;
  description?: string;
  skills?: Skill[];
  health?: Health;
  endpoint?: string;
  a2aVersion?: '0.3.0' | '1.0';
  labels?: Record<string, string>;
}

/** A valid AgentCard resource, as the registry stores it. */
export function makeCard(fixture: CardFixture): AgentCard {
  return {
    apiVersion: 'kagent.dev/v1alpha1',
    kind: 'AgentCard',
    metadata: {
      name: fixture.name,
      namespace: fixture.namespace ?? 'default',
      ...(fixture.labels ? { labels: fixture.labels } : {}),
    },
    spec: {
      a2aVersion: fixture.a2aVersion ?? '0.3.0',
      ...(fixture.description ? { metadata: { description: fixture.description } } : {}),
      endpoints: [fixture.endpoint ?? `http://${fixture.name}.${fixture.namespace ?? 'default'}.svc:8080/`],
      skills: fixture.skills ?? [],
    },
    ...(fixture.health ? { status: { health: fixture.health } } : {}),
  };
}

export const sampleCards = (): AgentCard[] => [
  makeCard({
    namespace: 'travel',
    name: 'flight-booker',
    description: 'Books flights between airports',
    health: 'Healthy',
    skills: [
      { id: 'book-flight', name: 'Book flight', description: 'Books a flight', tags: ['travel', 'booking'] },
      { id: 'translate', name: 'Translate', description: 'Translates text', tags: ['language'] },
    ],
  }),
  makeCard({
    namespace: 'travel',
    name: 'hotel-finder',
    description: 'Finds hotel rooms',
    health: 'Unhealthy',
    a2aVersion: '1.0',
    skills: [{ id: 'find-hotel', name: 'Find hotel', description: 'Searches hotels', tags: ['travel'] }],
  }),
  makeCard({
    namespace: 'tools',
    name: 'translator',
    description: 'Translates between languages',
    skills: [
      { id: 'translate', name: 'Translate', description: 'Translates text', tags: ['language', 'nlp'] },
    ],
  }),
];
