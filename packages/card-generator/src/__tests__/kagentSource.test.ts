import { describe, expect, it } from 'vitest';
import { ANNOTATIONS, generateAgentCard, type Diagnostic } from '../index.js';
import { byoAgent, kagentAgent, sourceDiagnostics } from './fixtures.js';

/** The card, and the diagnostics about the source (the translator's notes on the rendering are tested elsewhere). */
const generate = (annotations: Record<string, string>, spec: Record<string, unknown> = {}) => {
  const { card, diagnostics } = generateAgentCard(kagentAgent(annotations, spec));
  return { card, diagnostics: sourceDiagnostics(diagnostics) };
};

const annotationPath = (key: string) => `metadata.annotations[${JSON.stringify(key)}]`;

describe('kagent Agent annotations', () => {
  const capabilityCases: [string, string, string[] | undefined][] = [
    ['plain list', 'kubernetes,monitoring', ['kubernetes', 'monitoring']],
    ['spaces trimmed', '  kubernetes ,  monitoring  ', ['kubernetes', 'monitoring']],
    ['empties dropped', ',kubernetes,,monitoring,', ['kubernetes', 'monitoring']],
    ['duplicates dropped, first order kept', 'b,a,b,c,a', ['b', 'a', 'c']],
    ['only commas', ' , ,', undefined],
    ['names with spaces kept whole', 'log search, k8s', ['log search', 'k8s']],
  ];
  it.each(capabilityCases)('%s: kagent.dev/capabilities=%j', (_, value, expected) => {
    const { card } = generate({ [ANNOTATIONS.capabilities]: value });
    expect(card?.spec.capabilities).toEqual(expected);
  });

  it('reports duplicate capabilities as a warning naming the annotation', () => {
    const { diagnostics } = generate({ [ANNOTATIONS.capabilities]: 'a,a' });
    expect(diagnostics).toEqual([
      {
        severity: 'warning',
        annotation: ANNOTATIONS.capabilities,
        path: annotationPath(ANNOTATIONS.capabilities),
        message: '1 duplicate capability name(s) were ignored',
      },
    ]);
  });

  it('drops capability names over 256 characters and keeps the rest', () => {
    const long = 'x'.repeat(257);
    const { card, diagnostics } = generate({ [ANNOTATIONS.capabilities]: `ok,${long},${'y'.repeat(256)}` });
    expect(card?.spec.capabilities).toEqual(['ok', 'y'.repeat(256)]);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        annotation: ANNOTATIONS.capabilities,
        message: expect.stringContaining('longer than 256 characters'),
      }),
    ]);
  });

  it('keeps at most 256 capabilities', () => {
    const names = Array.from({ length: 300 }, (_, i) => `c${i}`);
    const { card, diagnostics } = generate({ [ANNOTATIONS.capabilities]: names.join(',') });
    expect(card?.spec.capabilities).toEqual(names.slice(0, 256));
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringContaining('44 more were dropped'),
      }),
    ]);
  });

  const metadataCases: [string, string, string | undefined][] = [
    ['provider.organization', 'Acme', 'Acme'],
    ['provider.url', 'https://acme.example', 'https://acme.example'],
    ['iconUrl', 'https://acme.example/icon.png', 'https://acme.example/icon.png'],
    ['documentationUrl', 'https://docs.acme.example', 'https://docs.acme.example'],
    ['description', 'From the annotation', 'From the annotation'],
    ['provider.url', 'not a url', undefined],
    ['iconUrl', 'javascript:alert(1)', undefined],
    ['documentationUrl', 'ftp://docs.acme.example', undefined],
    ['noSuchKey', 'value', undefined],
    ['__proto__', '{"polluted":true}', undefined],
  ];
  it.each(metadataCases)('kagent.dev/card-metadata/%s=%j', (key, value, expected) => {
    const annotation = `${ANNOTATIONS.cardMetadataPrefix}${key}`;
    const { card, diagnostics } = generate({ [annotation]: value });
    expect(card).toBeDefined();
    expect(Object.hasOwn(card?.spec.metadata ?? {}, key) ? card?.spec.metadata?.[key] : undefined).toBe(
      expected,
    );
    if (expected === undefined) {
      expect(diagnostics).toEqual([
        { severity: 'error', annotation, path: annotationPath(annotation), message: expect.any(String) },
      ]);
    } else {
      expect(diagnostics).toEqual([]);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('takes the description from spec.description, and a description annotation over it', () => {
    expect(generate({}, { description: 'From spec' }).card?.spec.metadata).toEqual({
      description: 'From spec',
    });
    const both = generate(
      { [`${ANNOTATIONS.cardMetadataPrefix}description`]: 'From annotation' },
      { description: 'From spec' },
    );
    expect(both.card?.spec.metadata).toEqual({ description: 'From annotation' });
  });

  const endpointCases: [string, string | undefined, string, boolean][] = [
    ['no annotation: the Service', undefined, 'http://my-agent.default.svc.cluster.local:8080', false],
    ['explicit https URL', 'https://agents.example/my-agent', 'https://agents.example/my-agent', false],
    ['explicit URL, spaces trimmed', '  http://10.0.0.7:9000/a2a ', 'http://10.0.0.7:9000/a2a', false],
    [
      'not a URL: the Service, and an error',
      'my-agent:8080',
      'http://my-agent.default.svc.cluster.local:8080',
      true,
    ],
    [
      'wrong scheme: the Service, and an error',
      'grpc://x:1',
      'http://my-agent.default.svc.cluster.local:8080',
      true,
    ],
  ];
  it.each(endpointCases)('kagent.dev/a2a-endpoint: %s', (_, value, expected, isError) => {
    const { card, diagnostics } = generate(value === undefined ? {} : { [ANNOTATIONS.a2aEndpoint]: value });
    expect(card?.spec.endpoints).toEqual([expected]);
    expect(diagnostics.map((d: Diagnostic) => [d.severity, d.annotation])).toEqual(
      isError ? [['error', ANNOTATIONS.a2aEndpoint]] : [],
    );
  });

  it('derives the endpoint from the cluster domain and port options', () => {
    const { card } = generateAgentCard(kagentAgent({}, {}, { name: 'k8s-helper', namespace: 'kagent' }), {
      clusterDomain: 'corp.internal',
      defaultPort: 8083,
    });
    expect(card?.spec.endpoints).toEqual(['http://k8s-helper.kagent.svc.corp.internal:8083']);
  });

  it('assumes the default namespace for the endpoint of a source without one, and leaves the card without one', () => {
    const { card } = generateAgentCard(kagentAgent({}, {}, { namespace: undefined }));
    expect(card?.spec.endpoints).toEqual(['http://my-agent.default.svc.cluster.local:8080']);
    expect(card?.metadata.namespace).toBeUndefined();
  });

  it.each([
    ['1.0', '1.0', []],
    [' 0.3.0 ', '0.3.0', []],
    ['2.0', '0.3.0', ['error']],
  ])('kagent.dev/a2a-version=%j', (value, expected, severities) => {
    const { card, diagnostics } = generate({ [ANNOTATIONS.a2aVersion]: value });
    expect(card?.spec.a2aVersion).toBe(expected);
    const publicCard = card?.spec.publicCard as {
      protocolVersion?: string;
      supportedInterfaces?: { protocolVersion: string }[];
    };
    const rendered =
      expected === '1.0' ? publicCard.supportedInterfaces?.[0]?.protocolVersion : publicCard.protocolVersion;
    expect(rendered).toBe(expected);
    expect(diagnostics.map((d) => d.severity)).toEqual(severities);
  });

  it('ignores unrelated annotations', () => {
    const plain = generate({});
    const noisy = generate({
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      'example.com/x': 'y',
    });
    expect(noisy.diagnostics).toEqual([]);
    expect(noisy.card?.spec).toEqual(plain.card?.spec);
  });

  it('turns a2aConfig skills into typed skills, which win over capability strings', () => {
    const skills = [
      {
        id: 'triage',
        name: 'Triage',
        description: 'Triage incidents',
        tags: ['ops'],
        examples: ['why is my pod failing?'],
      },
      { id: 'scale', name: 'Scale', tags: [] },
      { id: 'triage', name: 'Again' },
    ];
    const { card, diagnostics } = generate(
      { [ANNOTATIONS.capabilities]: 'kubernetes' },
      { declarative: { a2aConfig: { skills } } },
    );
    expect(card?.spec.skills).toEqual(skills.slice(0, 2));
    expect(card?.spec.capabilities).toBeUndefined();
    const publicSkills = (card?.spec.publicCard as { skills: { id: string; description: string }[] }).skills;
    expect(publicSkills.map((skill) => skill.id)).toEqual(['triage', 'scale']);
    expect(publicSkills[0]?.description).toBe('Triage incidents');
    expect(diagnostics).toEqual([
      {
        severity: 'warning',
        path: 'spec.declarative.a2aConfig.skills[2]',
        message: 'duplicate skill id "triage" was ignored',
      },
      {
        severity: 'warning',
        annotation: ANNOTATIONS.capabilities,
        path: annotationPath(ANNOTATIONS.capabilities),
        message: 'is ignored: spec.declarative.a2aConfig.skills win over capability strings',
      },
    ]);
  });

  it('keeps the valid skills when one is invalid', () => {
    const { card, diagnostics } = generate(
      {},
      {
        declarative: {
          a2aConfig: {
            skills: [
              { id: 'ok', name: 'OK' },
              { id: 'nameless', name: '' },
            ],
          },
        },
      },
    );
    expect(card?.spec.skills).toEqual([{ id: 'ok', name: 'OK' }]);
    expect(diagnostics).toEqual([
      { severity: 'error', path: 'spec.declarative.a2aConfig.skills[1].name', message: 'must not be empty' },
    ]);
  });

  it("derives the id of a skill without one from its name, as kagent's CRD makes id optional", () => {
    const { card, diagnostics } = generate(
      {},
      { declarative: { a2aConfig: { skills: [{ name: 'Rollout status' }, { id: ' ', name: '!!' }] } } },
    );
    expect(card?.spec.skills).toEqual([
      { id: 'rollout-status', name: 'Rollout status' },
      { id: 'skill-1', name: '!!' },
    ]);
    expect(diagnostics).toEqual([]);
  });

  it('reads a BYO agent: description, capabilities and card metadata, no declarative skills', () => {
    const { card, diagnostics } = generateAgentCard(byoAgent());
    expect(sourceDiagnostics(diagnostics)).toEqual([]);
    expect(card?.spec.metadata).toEqual({
      description: 'Answers billing questions.',
      'provider.organization': 'Finance',
    });
    expect(card?.spec.capabilities).toEqual(['billing', 'invoices']);
    expect(card?.spec.endpoints).toEqual(['http://billing.default.svc.cluster.local:8080']);
  });

  it('ignores declarative skills on a BYO agent, with a warning', () => {
    const { card, diagnostics } = generate(
      { [ANNOTATIONS.capabilities]: 'billing' },
      {
        type: 'BYO',
        byo: { deployment: { image: 'registry.example.com/a:1' } },
        declarative: { a2aConfig: { skills: [{ id: 'x', name: 'X' }] } },
      },
    );
    expect(card?.spec.skills).toBeUndefined();
    expect(card?.spec.capabilities).toEqual(['billing']);
    expect(diagnostics).toEqual([
      {
        severity: 'warning',
        path: 'spec.declarative.a2aConfig.skills',
        message: 'is ignored: spec.type is BYO, and BYO agents do not use spec.declarative',
      },
    ]);
  });
});
