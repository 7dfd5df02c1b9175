import { ApiException, KubernetesObjectApi } from '@kubernetes/client-node';
import { integration } from '@agent-registry/testing';
import { beforeAll, expect, it } from 'vitest';
import { AGENT_CARD_API_VERSION, AGENT_CARD_KIND, quoteValue, validateObjectMeta } from '../index.js';

const LIMIT = 256 * 1024;

/**
 * Metadata vectors, good and bad, for an AgentCard (a custom resource, as every kind this project reads).
 * The namespace is the test's own, so what is compared is everything but the namespace.
 */
const vectors: [string, Record<string, unknown>][] = [
  ['a plain name', { name: 'k8s-troubleshooter' }],
  ['a name with dots', { name: 'a.b-c.d' }],
  [
    'a 253-character name',
    { name: `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}` },
  ],
  [
    'a 254-character name',
    { name: `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}` },
  ],
  ['an upper-case name', { name: 'My-Agent' }],
  ['a name with "_"', { name: 'my_agent' }],
  ['a name ending in "."', { name: 'agent.' }],
  ['a generateName ending in "-"', { generateName: 'agent-' }],
  ['an upper-case generateName', { generateName: 'Agent-' }],
  ['no name at all', {}],
  ['good labels', { name: 'a', labels: { team: 'data', 'app.kubernetes.io/name': 'x', empty: '' } }],
  ['a label key with an upper-case prefix', { name: 'a', labels: { 'Example.com/team': 'data' } }],
  ['a label key with two "/"', { name: 'a', labels: { 'a/b/c': 'x' } }],
  ['a label key whose name part has 64 characters', { name: 'a', labels: { ['k'.repeat(64)]: 'x' } }],
  ['a label value with a space', { name: 'a', labels: { team: 'data team' } }],
  ['a label value of 64 characters', { name: 'a', labels: { team: 'v'.repeat(64) } }],
  ['a label value with "é"', { name: 'a', labels: { team: 'équipe' } }],
  [
    'card-metadata annotations',
    { name: 'a', annotations: { 'kagent.dev/card-provider.url': 'https://x.example' } },
  ],
  [
    'the old two-slash annotation',
    { name: 'a', annotations: { 'kagent.dev/card-metadata/provider.url': 'https://x' } },
  ],
  ['an annotation prefix in upper case', { name: 'a', annotations: { 'Example.COM/Note': 'x' } }],
  [
    'an annotation name part of 63 characters',
    { name: 'a', annotations: { [`kagent.dev/${'n'.repeat(63)}`]: 'x' } },
  ],
  [
    'an annotation name part of 64 characters',
    { name: 'a', annotations: { [`kagent.dev/${'n'.repeat(64)}`]: 'x' } },
  ],
  [
    'an annotation key with a space',
    { name: 'a', annotations: { 'kagent.dev/card-skills.my skill.tags': 'x' } },
  ],
  ['an annotation key with an empty prefix', { name: 'a', annotations: { '/x': 'x' } }],
  ['annotations of exactly 256 KiB', { name: 'a', annotations: { a: 'x'.repeat(LIMIT - 1) } }],
  ['annotations one byte over 256 KiB', { name: 'a', annotations: { a: 'x'.repeat(LIMIT) } }],
  // 'é' is one UTF-16 unit but two UTF-8 bytes: under the limit in characters, over it in bytes.
  ['annotations over 256 KiB only in bytes', { name: 'a', annotations: { a: 'é'.repeat(LIMIT / 2) } }],
  ['a good finalizer', { name: 'a', finalizers: ['kagent.dev/cleanup'] }],
  [
    'a complete owner reference',
    {
      name: 'a',
      ownerReferences: [
        { apiVersion: 'kagent.dev/v1alpha2', kind: 'Agent', name: 'x', uid: 'u-1', controller: true },
      ],
    },
  ],
  [
    'an owner reference without a version, kind, name or uid',
    { name: 'a', ownerReferences: [{ apiVersion: 'kagent.dev/', kind: '', name: '', uid: '' }] },
  ],
  [
    'two controllers',
    {
      name: 'a',
      ownerReferences: [
        { apiVersion: 'kagent.dev/v1alpha2', kind: 'Agent', name: 'x', uid: 'u-1', controller: true },
        { apiVersion: 'a2a.io/v1', kind: 'Agent', name: 'y', uid: 'u-2', controller: true },
      ],
    },
  ],
  [
    'an Event as owner',
    { name: 'a', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u-3' }] },
  ],
  ['a finalizer with two "/"', { name: 'a', finalizers: ['a/b/c'] }],
  [
    'several problems at once',
    { name: 'Bad_Name', labels: { 'x/y/z': 'bad value!' }, annotations: { 'a/b/c': 'x', '-x': 'y' } },
  ],
];

interface Cause {
  field?: string;
  message?: string;
}

/** The apiserver's messages with the value cut as `quoteValue` cuts it (Go's %q of ASCII is JSON). */
function normalize(cause: Cause): { path: string; message: string } {
  const message = cause.message ?? '';
  // Where the apiserver echoes a whole object or list as JSON, validateObjectMeta gives the rule alone.
  const json =
    /^Invalid value: [[{].*[\]}]: (\/v1, Kind=Event is disallowed from being an owner|Only one reference .*)$/s.exec(
      message,
    );
  if (json) return { path: cause.field ?? '', message: `Invalid value: ${json[1]}` };
  const quoted = /^(Invalid value): ("(?:[^"\\]|\\.)*"): (.*)$/s.exec(message);
  if (!quoted) return { path: cause.field ?? '', message };
  const value = JSON.parse(quoted[2]!) as string;
  return { path: cause.field ?? '', message: `${quoted[1]}: ${quoteValue(value)}: ${quoted[3]}` };
}

const sorted = <T extends { path: string; message: string }>(issues: T[]) =>
  issues.map(({ path, message }) => `${path}: ${message}`).sort();

integration.describe('validateObjectMeta agrees with a real kube-apiserver', (cp) => {
  let namespace: string;
  const api = KubernetesObjectApi.makeApiClient(cp.kubeConfig);

  beforeAll(async () => {
    namespace = (await cp.createNamespace('object-meta')).name;
  });

  /** Creates the object with server-side dry-run; returns the apiserver's problems (none when accepted). */
  async function apiserverVerdict(
    metadata: Record<string, unknown>,
  ): Promise<{ path: string; message: string }[]> {
    const object = {
      apiVersion: AGENT_CARD_API_VERSION,
      kind: AGENT_CARD_KIND,
      metadata: { ...metadata, namespace },
      spec: { endpoints: ['https://agent.example.com/a2a'] },
    };
    try {
      await api.create(object, undefined, 'All');
      return [];
    } catch (error) {
      if (!(error instanceof ApiException)) throw error;
      const body = (typeof error.body === 'string' ? JSON.parse(error.body) : error.body) as {
        reason?: string;
        details?: { causes?: Cause[] };
      };
      expect(error.code, JSON.stringify(body)).toBe(422);
      expect(body.reason).toBe('Invalid');
      return (body.details?.causes ?? []).map(normalize);
    }
  }

  it.each(vectors)('%s', async (_, metadata) => {
    const ours = validateObjectMeta({ ...metadata, namespace }, AGENT_CARD_KIND);
    let theirs = await apiserverVerdict(metadata);
    if (metadata.generateName !== undefined && metadata.name === undefined) {
      // The apiserver also checks the name it generated (generateName plus a random suffix),
      // repeating the generateName problem for a value no one can predict.
      theirs = theirs.filter((issue) => issue.path !== 'metadata.name');
    }
    expect(theirs.length > 0).toBe(ours.length > 0);
    expect(sorted(ours)).toEqual(sorted(theirs));
  });

  it('the table has both verdicts', () => {
    const verdicts = vectors.map(([, metadata]) => validateObjectMeta(metadata, AGENT_CARD_KIND).length > 0);
    expect(verdicts.filter(Boolean).length).toBeGreaterThan(10);
    expect(verdicts.filter((bad) => !bad).length).toBeGreaterThan(8);
  });
});
