import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { formatPath, parseA2AAgent, parseAgentCard, parseKagentAgent, parseResource } from '../index.js';

const seedKagentAgent = `
apiVersion: kagent.dev/v1alpha2
kind: Agent
metadata:
  name: my-agent
  namespace: default
  annotations:
    kagent.dev/register-to-registry: "true"
    kagent.dev/capabilities: "kubernetes,monitoring"
    kagent.dev/card-provider.organization: "My Company"
    kagent.dev/card-provider.url: "https://company.com"
    kagent.dev/card-iconUrl: "https://company.com/icon.png"
    kagent.dev/card-documentationUrl: "https://docs.company.com"
spec:
  description: "My custom agent"
  type: Declarative
  declarative:
    modelConfig: default-model-config
    systemMessage: "You are a helpful agent."
`;

// The design's two smaller examples, the annotated agent and the metadata-only one.
const seedMetadataOnly = `
apiVersion: kagent.dev/v1alpha2
kind: Agent
metadata:
  name: my-agent
  annotations:
    kagent.dev/register-to-registry: "true"
    kagent.dev/card-provider.organization: "My Company"
    kagent.dev/card-provider.url: "https://company.com"
    kagent.dev/card-iconUrl: "https://company.com/icon.png"
    kagent.dev/card-documentationUrl: "https://docs.company.com"
`;
const seedAnnotated = `
apiVersion: kagent.dev/v1alpha2
kind: Agent
metadata:
  name: my-agent
  namespace: default
  annotations:
    kagent.dev/register-to-registry: "true"
    kagent.dev/capabilities: "kubernetes,monitoring"
spec:
  description: "My custom agent"
  type: Declarative
  declarative:
    modelConfig: default-model-config
    systemMessage: "You are a helpful agent."
`;

const validCard = {
  apiVersion: 'kagent.dev/v1alpha1',
  kind: 'AgentCard',
  metadata: { name: 'my-agent', namespace: 'default' },
  spec: {
    endpoints: ['http://my-agent.default.svc.cluster.local:8080'],
    capabilities: ['kubernetes'],
    metadata: { 'provider.organization': 'My Company' },
  },
};

const issuesOf = (result: { ok: boolean; issues?: { path: string; message: string }[] }) =>
  result.ok ? [] : (result.issues ?? []);

describe('parsing the design examples', () => {
  it.each([seedKagentAgent, seedMetadataOnly, seedAnnotated])(
    'parses a seed kagent Agent cleanly',
    (text) => {
      const [doc] = parseAllDocuments(text);
      const result = parseKagentAgent(doc!.toJS());
      expect(issuesOf(result)).toEqual([]);
      if (!result.ok) return;
      expect(result.value.metadata.annotations?.['kagent.dev/register-to-registry']).toBe('true');
    },
  );

  it('keeps fields it does not type', () => {
    const input = {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'a', namespace: 'x', finalizers: ['keep.me'] },
      spec: { description: 'd', modelConfig: 'default', declarative: { systemMessage: 'hi' } },
    };
    const result = parseKagentAgent(input);
    expect(result.ok && result.value).toMatchObject(input);
  });

  it("reads kagent's v1alpha2 shapes: Declarative skills without ids, BYO", () => {
    const declarative = parseKagentAgent({
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'a', namespace: 'x' },
      spec: {
        type: 'Declarative',
        declarative: { a2aConfig: { skills: [{ name: 'Diagnose pod', tags: ['k8s'] }] } },
      },
    });
    expect(declarative.ok && declarative.value.spec.declarative?.a2aConfig?.skills).toEqual([
      { name: 'Diagnose pod', tags: ['k8s'] },
    ]);
    const byo = parseKagentAgent({
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'a', namespace: 'x' },
      spec: { type: 'BYO', byo: { deployment: { image: 'example.com/agent:1.0' } } },
    });
    expect(byo.ok && byo.value.spec).toEqual({
      type: 'BYO',
      byo: { deployment: { image: 'example.com/agent:1.0' } },
    });
    const wrongType = parseKagentAgent({
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'a' },
      spec: { type: 'Imperative' },
    });
    expect(issuesOf(wrongType)).toEqual([
      { severity: 'error', path: 'spec.type', message: 'must be one of Declarative, BYO' },
    ]);
  });

  it('defaults a2aVersion to 0.3.0', () => {
    const result = parseAgentCard(validCard);
    expect(result.ok && result.value.spec.a2aVersion).toBe('0.3.0');
  });
});

describe('malformed input', () => {
  it('reports wrong types with their paths', () => {
    const result = parseAgentCard({
      ...validCard,
      spec: { endpoints: 'http://x', capabilities: [1], skills: [{ id: 'a' }], a2aVersion: '2.0' },
    });
    expect(issuesOf(result)).toEqual(
      expect.arrayContaining([
        { severity: 'error', path: 'spec.endpoints', message: 'must be a list' },
        { severity: 'error', path: 'spec.capabilities[0]', message: 'must be a string' },
        { severity: 'error', path: 'spec.skills[0].name', message: 'is required' },
        { severity: 'error', path: 'spec.a2aVersion', message: 'must be one of 0.3.0, 1.0' },
      ]),
    );
  });

  it('reports a missing name', () => {
    const result = parseAgentCard({ ...validCard, metadata: { namespace: 'default' } });
    expect(issuesOf(result)).toContainEqual({
      severity: 'error',
      path: 'metadata.name',
      message: 'is required',
    });
  });

  it('reports non-string annotation values with the annotation key quoted', () => {
    const result = parseKagentAgent({
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'a', annotations: { 'kagent.dev/register-to-registry': true } },
    });
    expect(issuesOf(result)).toEqual([
      {
        severity: 'error',
        path: 'metadata.annotations["kagent.dev/register-to-registry"]',
        message: 'annotation values must be strings',
      },
    ]);
  });

  it('bounds 10 MB strings instead of accepting them', () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const card = parseAgentCard({ ...validCard, spec: { ...validCard.spec, capabilities: [huge] } });
    expect(issuesOf(card)).toEqual([
      { severity: 'error', path: 'spec.capabilities[0]', message: 'must be at most 256 characters' },
    ]);
    const agent = parseKagentAgent({
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'a', annotations: { big: huge } },
    });
    expect(issuesOf(agent)).toEqual([
      {
        severity: 'error',
        path: 'metadata.annotations',
        message: 'annotations must total at most 262144 bytes',
      },
    ]);
  });

  it('rejects endpoints that are not http(s) URLs', () => {
    const result = parseAgentCard({
      ...validCard,
      spec: { endpoints: ['javascript:alert(1)', 'not a url'] },
    });
    expect(issuesOf(result).map((i) => i.path)).toEqual(['spec.endpoints[0]', 'spec.endpoints[1]']);
  });

  it('rejects an a2a.io Agent with a bad transport and authentication scheme', () => {
    const result = parseA2AAgent({
      apiVersion: 'a2a.io/v1',
      kind: 'Agent',
      metadata: { name: 'a' },
      spec: { endpoints: [{ url: 'http://a', transport: 'SOAP' }], authentication: { scheme: 'magic' } },
    });
    expect(issuesOf(result).map((i) => i.path)).toEqual([
      'spec.endpoints[0].transport',
      'spec.authentication.scheme',
    ]);
  });

  it.each([null, 'text', 42, [], undefined])('never throws on %j', (input) => {
    expect(parseResource(input).ok).toBe(false);
    expect(parseAgentCard(input).ok).toBe(false);
  });

  it('dispatches on apiVersion and kind, and names unsupported ones', () => {
    expect(parseResource(validCard)).toMatchObject({ ok: true, value: { type: 'AgentCard' } });
    expect(parseResource({ apiVersion: 'v1', kind: 'Pod' })).toMatchObject({
      ok: false,
      issues: [
        {
          severity: 'error',
          path: 'kind',
          message: expect.stringContaining('unsupported resource "v1"/"Pod"'),
        },
      ],
    });
  });

  it('is not fooled by prototype keys', () => {
    const input = JSON.parse(
      '{"apiVersion":"kagent.dev/v1alpha1","kind":"AgentCard","metadata":{"name":"a"},"spec":{"metadata":{"__proto__":"x"}}}',
    );
    const result = parseAgentCard(input);
    expect(result.ok).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('formatPath', () => {
  it('quotes keys that are not identifiers', () => {
    expect(formatPath(['metadata', 'annotations', 'a/b', 0])).toBe('metadata.annotations["a/b"][0]');
    expect(formatPath([])).toBe('(root)');
  });
});
