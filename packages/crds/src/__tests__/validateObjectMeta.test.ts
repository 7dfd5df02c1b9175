import { describe, expect, it } from 'vitest';
import {
  annotationsSizeBytes,
  dns1123LabelProblems,
  dns1123SubdomainProblems,
  labelValueProblems,
  qualifiedNameProblems,
  validateObjectMeta,
} from '../index.js';

// Message texts as k8s.io/apimachinery v0.34 writes them (pkg/util/validation, field.Error).
const QUALIFIED_NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const QUALIFIED_NAME_TWO_SLASHES =
  "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('the apimachinery checks, one by one', () => {
  it.each([
    ['my.name', []],
    ['MyName', []],
    ['123-abc', []],
    ['example.com/MyName', []],
    ['kagent.dev/card-provider.organization', []],
    ['a'.repeat(63), []],
    ['a'.repeat(64), ['name part must be no more than 63 characters']],
    ['kagent.dev/card-metadata/provider.url', [QUALIFIED_NAME_TWO_SLASHES]],
    ['-leading', [QUALIFIED_NAME_PART]],
    ['has space', [QUALIFIED_NAME_PART]],
    ['', ['name part must be non-empty', QUALIFIED_NAME_PART]],
    ['/name', ['prefix part must be non-empty']],
    ['Example.com/name', [`prefix part ${SUBDOMAIN}`]],
    ['example.com/', ['name part must be non-empty', QUALIFIED_NAME_PART]],
  ])('qualified name %j', (value, problems) => {
    expect(qualifiedNameProblems(value)).toEqual(problems);
  });

  it('spells the list of examples as Go does', () => {
    // RegexError writes "'a', " + "or " + "'b', " ...: the doubled space is apimachinery's own.
    expect(QUALIFIED_NAME_PART).toContain("'MyName',  or 'my.name',  or '123-abc', regex");
  });

  it.each([
    ['my-name', []],
    ['a', []],
    ['a.b', ['must not contain dots']],
    ['My-Name', [LABEL]],
    ['a'.repeat(64), ['must be no more than 63 characters']],
  ])('DNS-1123 label %j', (value, problems) => {
    expect(dns1123LabelProblems(value)).toEqual(problems);
  });

  it.each([
    ['example.com', []],
    ['a-b.c-d', []],
    ['a_b', [SUBDOMAIN]],
    ['a.', [SUBDOMAIN]],
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, []],
    [
      `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`,
      ['must be no more than 253 characters'],
    ],
  ])('DNS-1123 subdomain %j', (value, problems) => {
    expect(dns1123SubdomainProblems(value)).toEqual(problems);
  });

  it.each([
    ['', []],
    ['production', []],
    ['My_Value.1', []],
    ['-x', [LABEL_VALUE]],
    ['é', [LABEL_VALUE]],
    ['a'.repeat(64), ['must be no more than 63 characters']],
  ])('label value %j', (value, problems) => {
    expect(labelValueProblems(value)).toEqual(problems);
  });

  it('counts annotation sizes in UTF-8 bytes, as Go does', () => {
    expect(annotationsSizeBytes({ ab: 'cd' })).toBe(4);
    expect(annotationsSizeBytes({ a: 'é' })).toBe(3);
    expect(annotationsSizeBytes({ a: '😀' })).toBe(5);
  });
});

describe('validateObjectMeta', () => {
  const good = { name: 'k8s-troubleshooter', namespace: 'team-platform' };

  it('accepts what a cluster accepts', () => {
    expect(validateObjectMeta(good, 'Agent')).toEqual([]);
    expect(validateObjectMeta({ name: 'a.b-c' }, 'AgentCard')).toEqual([]);
    expect(
      validateObjectMeta(
        {
          ...good,
          labels: { team: 'platform', 'app.kubernetes.io/name': 'x', empty: '' },
          annotations: { 'kagent.dev/card-provider.url': 'https://x', 'Example.COM/Upper': 'ok' },
          finalizers: ['kagent.dev/cleanup'],
        },
        'Agent',
      ),
    ).toEqual([]);
  });

  it('words problems as the apiserver does: field path, value, rule', () => {
    const issues = validateObjectMeta(
      { name: 'k8s-troubleshooter', annotations: { 'kagent.dev/card-metadata/provider.url': 'https://x' } },
      'Agent',
    );
    expect(issues).toEqual([
      {
        severity: 'error',
        path: 'metadata.annotations',
        message: `Invalid value: "kagent.dev/card-metadata/provider.url": ${QUALIFIED_NAME_TWO_SLASHES}`,
      },
    ]);
  });

  it.each([
    [
      {},
      [
        {
          severity: 'error',
          path: 'metadata.name',
          message: 'Required value: name or generateName is required',
        },
      ],
    ],
    [
      { name: '' },
      [
        {
          severity: 'error',
          path: 'metadata.name',
          message: 'Required value: name or generateName is required',
        },
      ],
    ],
    [{ generateName: 'agent-' }, []],
    [
      { generateName: 'Agent-' },
      [
        {
          severity: 'error',
          path: 'metadata.generateName',
          message: `Invalid value: "Agent-": ${SUBDOMAIN}`,
        },
      ],
    ],
    [
      { name: 'My_Agent' },
      [{ severity: 'error', path: 'metadata.name', message: `Invalid value: "My_Agent": ${SUBDOMAIN}` }],
    ],
    [
      { name: 'a', namespace: 'team.data' },
      [
        {
          severity: 'error',
          path: 'metadata.namespace',
          message: 'Invalid value: "team.data": must not contain dots',
        },
      ],
    ],
    [
      { name: 'a', namespace: 'Team' },
      [{ severity: 'error', path: 'metadata.namespace', message: `Invalid value: "Team": ${LABEL}` }],
    ],
    [
      { name: 'a', labels: { 'a/b/c': 'x' } },
      [
        {
          severity: 'error',
          path: 'metadata.labels',
          message: `Invalid value: "a/b/c": ${QUALIFIED_NAME_TWO_SLASHES}`,
        },
      ],
    ],
    [
      { name: 'a', labels: { 'Example.com/x': 'x' } },
      [
        {
          severity: 'error',
          path: 'metadata.labels',
          message: `Invalid value: "Example.com/x": prefix part ${SUBDOMAIN}`,
        },
      ],
    ],
    [
      { name: 'a', labels: { team: 'data team' } },
      [{ severity: 'error', path: 'metadata.labels', message: `Invalid value: "data team": ${LABEL_VALUE}` }],
    ],
    [
      { name: 'a', finalizers: ['a/b/c'] },
      [
        {
          severity: 'error',
          path: 'metadata.finalizers',
          message: `Invalid value: "a/b/c": ${QUALIFIED_NAME_TWO_SLASHES}`,
        },
      ],
    ],
    [
      { name: 'a', annotations: { team: 3 } },
      [
        {
          severity: 'error',
          path: 'metadata.annotations["team"]',
          message: 'Invalid value: must be a string',
        },
      ],
    ],
    [
      { name: 'a', labels: 'team=data' },
      [
        {
          severity: 'error',
          path: 'metadata.labels',
          message: 'Invalid value: must be a map of string keys to string values',
        },
      ],
    ],
  ])('%j', (metadata, expected) => {
    expect(validateObjectMeta(metadata, 'AgentCard')).toEqual(expected);
  });

  it('checks owner references: complete, and one controller at most', () => {
    const owner = {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      name: 'x',
      uid: 'u-1',
      controller: true,
    };
    expect(validateObjectMeta({ name: 'a', ownerReferences: [owner] }, 'AgentCard')).toEqual([]);
    expect(
      validateObjectMeta(
        { name: 'a', ownerReferences: [{ apiVersion: 'kagent.dev', kind: 'Agent' }] },
        'AgentCard',
      ),
    ).toEqual([
      {
        severity: 'error',
        path: 'metadata.ownerReferences.name',
        message: 'Invalid value: "": must not be empty',
      },
      {
        severity: 'error',
        path: 'metadata.ownerReferences.uid',
        message: 'Invalid value: "": must not be empty',
      },
    ]);
    expect(
      validateObjectMeta({ name: 'a', ownerReferences: [{ ...owner, apiVersion: 'a/b/c' }] }, 'AgentCard'),
    ).toEqual([
      {
        severity: 'error',
        path: 'metadata.ownerReferences.apiVersion',
        message: 'Invalid value: "a/b/c": version must not be empty',
      },
    ]);
    expect(
      validateObjectMeta(
        { name: 'a', ownerReferences: [owner, { ...owner, kind: 'Other', uid: 'u-2' }] },
        'AgentCard',
      ),
    ).toEqual([
      {
        severity: 'error',
        path: 'metadata.ownerReferences',
        message:
          'Invalid value: Only one reference can have Controller set to true. Found "true" in references for Agent/x and Other/x',
      },
    ]);
  });

  it('names per kind: a Namespace is a DNS-1123 label and has no namespace', () => {
    expect(validateObjectMeta({ name: 'a.b' }, 'Namespace')).toEqual([
      { severity: 'error', path: 'metadata.name', message: 'Invalid value: "a.b": must not contain dots' },
    ]);
    expect(validateObjectMeta({ name: 'a.b' }, 'AgentCard')).toEqual([]);
    expect(validateObjectMeta({ name: 'a', namespace: 'b' }, 'Namespace')).toEqual([
      { severity: 'error', path: 'metadata.namespace', message: 'Forbidden: not allowed on this type' },
    ]);
  });

  it('holds the annotations to 256 KiB in total, keys included, in bytes', () => {
    const limit = 256 * 1024;
    const at = { a: 'x'.repeat(limit - 1) };
    expect(validateObjectMeta({ name: 'a', annotations: at }, 'Agent')).toEqual([]);
    const over = { a: 'x'.repeat(limit) };
    expect(validateObjectMeta({ name: 'a', annotations: over }, 'Agent')).toEqual([
      {
        severity: 'error',
        path: 'metadata.annotations',
        message: 'Too long: may not be more than 262144 bytes',
      },
    ]);
    // Two bytes per character: half as many characters are enough.
    const multibyte = { a: 'é'.repeat(limit / 2) };
    expect(validateObjectMeta({ name: 'a', annotations: multibyte }, 'Agent')).toHaveLength(1);
  });

  it('echoes at most 100 characters of an offending value', () => {
    const key = `${'k'.repeat(5000)}/x`;
    const [issue] = validateObjectMeta({ name: 'a', annotations: { [key]: 'v' } }, 'Agent');
    expect(
      issue?.message.startsWith(`Invalid value: "${'k'.repeat(100)}"... (5002 characters): prefix part`),
    ).toBe(true);
    expect(issue?.message).not.toContain('k'.repeat(101));
  });

  it('never throws on input that is not metadata', () => {
    for (const input of [
      undefined,
      null,
      'x',
      3,
      [],
      { name: 3 },
      { name: 'a', namespace: [] },
      { name: 'a', finalizers: [1] },
    ]) {
      expect(() => validateObjectMeta(input, 'Agent')).not.toThrow();
      expect(validateObjectMeta(input, 'Agent').length).toBeGreaterThan(0);
    }
    expect(validateObjectMeta({ name: 'a', annotations: { ['__proto__']: 'x' } }, 'Agent')).toEqual([
      {
        severity: 'error',
        path: 'metadata.annotations',
        message: `Invalid value: "__proto__": ${QUALIFIED_NAME_PART}`,
      },
    ]);
  });
});
