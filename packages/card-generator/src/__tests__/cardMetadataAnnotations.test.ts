import { METADATA_KEYS, type MetadataFormat } from '@agent-registry/a2a-translator';
import { formatPath, validateObjectMeta } from '@agent-registry/crds';
import { describe, expect, it } from 'vitest';
import {
  ANNOTATIONS,
  cardMetadataAnnotation,
  generateAgentCard,
  toCardMetadataAnnotations,
} from '../index.js';
import { kagentAgent, sourceDiagnostics } from './fixtures.js';

const path = (...keys: string[]) => formatPath(['metadata', 'annotations', ...keys]);

const SAMPLE_BY_FORMAT: Record<Exclude<MetadataFormat, 'json'>, string> = {
  text: 'Platform Engineering',
  url: 'https://platform.example.com',
  boolean: 'true',
  transport: 'JSONRPC',
  list: 'text/plain,text/markdown',
};
const SAMPLE_JSON: Record<string, string> = {
  additionalInterfaces: '[{"url":"https://agent.example.com/rest","transport":"HTTP+JSON"}]',
  'capabilities.extensions': '[{"uri":"urn:example:extension"}]',
  securitySchemes: '{"bearer":{"type":"http","scheme":"bearer"}}',
  security: '[{"bearer":[]}]',
  signatures: '[{"protected":"eyJhbGciOiJFUzI1NiJ9","signature":"c2lnbmF0dXJl"}]',
  'skills.<skillId>.examples': '["Why is my pod pending?"]',
  'skills.<skillId>.security': '[{"bearer":[]}]',
};

/** Every key of the translator's scheme, `<skillId>` filled in with an id such as kagent skills have. */
const schemeEntries = METADATA_KEYS.map((info): [string, string] => [
  info.key.replace('<skillId>', 'diagnose-pod'),
  info.format === 'json' ? SAMPLE_JSON[info.key]! : SAMPLE_BY_FORMAT[info.format],
]);

const generate = (annotations: Record<string, string>) => {
  const { card, diagnostics } = generateAgentCard(kagentAgent(annotations));
  return { card, diagnostics: sourceDiagnostics(diagnostics) };
};

describe('kagent.dev/card-<key>: card metadata in annotations a cluster accepts', () => {
  it.each(schemeEntries)('kagent.dev/card-%s is a valid annotation key and sets the entry', (key, value) => {
    const annotation = `kagent.dev/card-${key}`;
    expect(cardMetadataAnnotation(key)).toBe(annotation);
    expect(validateObjectMeta({ name: 'a', annotations: { [annotation]: value } }, 'Agent')).toEqual([]);
    const { card, diagnostics } = generate({ [annotation]: value });
    expect(diagnostics).toEqual([]);
    expect(card?.spec.metadata?.[key]).toBe(value);
  });

  it('covers every key of the scheme', () => {
    expect(schemeEntries).toHaveLength(METADATA_KEYS.length);
    expect(schemeEntries.every(([, value]) => typeof value === 'string')).toBe(true);
  });

  it('reports the old two-slash form as an error naming its replacement, and does not apply it', () => {
    const old = 'kagent.dev/card-metadata/provider.organization';
    const { card, diagnostics } = generate({ [old]: 'My Company' });
    expect(card?.spec.metadata?.['provider.organization']).toBeUndefined();
    expect(diagnostics).toEqual([
      {
        severity: 'error',
        annotation: old,
        path: path(old),
        message:
          'is not a valid annotation key (a Kubernetes annotation key has at most one "/", so a cluster rejects it) ' +
          'and was ignored; use "kagent.dev/card-provider.organization"',
      },
    ]);
  });

  it('points a two-slash key too long for its own annotation at the JSON annotation', () => {
    const key = `skills.${'s'.repeat(60)}.description`;
    const old = `kagent.dev/card-metadata/${key}`;
    const { diagnostics } = generate({ [old]: 'x' });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringContaining(
          `put ${JSON.stringify(key)} in the "kagent.dev/card-metadata" JSON object`,
        ),
      }),
    ]);
  });
});

describe('kagent.dev/card-metadata: a JSON object for keys that cannot be an annotation of their own', () => {
  const longSkill = `skills.${'a'.repeat(60)}.description`;
  const spacedSkill = 'skills.log search.tags';

  it.each([
    ['a name part over 63 characters', longSkill],
    ['a character a qualified name does not allow', spacedSkill],
    ['a "/" in a skill id', 'skills.team/triage.name'],
  ])('%s: no annotation of its own', (_, key) => {
    expect(cardMetadataAnnotation(key)).toBeUndefined();
  });

  it('is what toCardMetadataAnnotations writes for such keys, and the result is valid and round-trips', () => {
    const entries = {
      'provider.organization': 'Platform Engineering',
      [longSkill]: 'Summarises rollouts.',
      [spacedSkill]: 'logs,search',
    };
    const annotations = toCardMetadataAnnotations(entries);
    expect(annotations).toEqual({
      'kagent.dev/card-provider.organization': 'Platform Engineering',
      [ANNOTATIONS.cardMetadata]: JSON.stringify({
        [longSkill]: 'Summarises rollouts.',
        [spacedSkill]: 'logs,search',
      }),
    });
    expect(validateObjectMeta({ name: 'a', annotations }, 'Agent')).toEqual([]);
    const { card, diagnostics } = generate(annotations);
    expect(diagnostics).toEqual([]);
    expect(card?.spec.metadata).toEqual(entries);
  });

  it('lets kagent.dev/card-<key> win over the same key in the object, with a warning', () => {
    const { card, diagnostics } = generate({
      [ANNOTATIONS.cardMetadata]: '{"version":"1.0.0","iconUrl":"https://x.example/i.png"}',
      'kagent.dev/card-version': '2.0.0',
    });
    expect(card?.spec.metadata).toEqual({ version: '2.0.0', iconUrl: 'https://x.example/i.png' });
    expect(diagnostics).toEqual([
      {
        severity: 'warning',
        annotation: 'kagent.dev/card-version',
        path: path('kagent.dev/card-version'),
        message: 'overrides "version" of the "kagent.dev/card-metadata" annotation',
      },
    ]);
  });

  it.each([
    ['not JSON', '{version: 1}'],
    ['a JSON array', '["version"]'],
    ['JSON null', 'null'],
  ])('reports %s as an error without quoting it', (_, value) => {
    const { card, diagnostics } = generate({ [ANNOTATIONS.cardMetadata]: value });
    expect(card?.spec.metadata).toBeUndefined();
    expect(diagnostics).toEqual([
      {
        severity: 'error',
        annotation: ANNOTATIONS.cardMetadata,
        path: path(ANNOTATIONS.cardMetadata),
        message: 'must be a JSON object of card-metadata keys to string values; ignored',
      },
    ]);
  });

  it('checks each entry as it would check an annotation of its own, with a path into the object', () => {
    const { card, diagnostics } = generate({
      [ANNOTATIONS.cardMetadata]: JSON.stringify({
        version: '1.2.3',
        iconUrl: 'not a url',
        'capabilities.streaming': true,
        nope: 'x',
        ['__proto__']: 'x',
      }),
    });
    expect(card?.spec.metadata).toEqual({ version: '1.2.3' });
    expect(diagnostics.map((d) => [d.path, d.message])).toEqual([
      [path(ANNOTATIONS.cardMetadata, 'iconUrl'), 'must be an http(s) URL'],
      [
        path(ANNOTATIONS.cardMetadata, 'capabilities.streaming'),
        'must be a string (card-metadata values are strings, as in spec.metadata)',
      ],
      [path(ANNOTATIONS.cardMetadata, 'nope'), 'unknown card-metadata key'],
      [path(ANNOTATIONS.cardMetadata, '__proto__'), 'unknown card-metadata key'],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads at most 256 entries', () => {
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`skills.s${i}.name`, `S${i}`]));
    const { card, diagnostics } = generate({ [ANNOTATIONS.cardMetadata]: JSON.stringify(many) });
    expect(Object.keys(card?.spec.metadata ?? {})).toHaveLength(256);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: 'holds 300 entries; at most 256 are read, the rest were dropped',
      }),
    ]);
  });
});
