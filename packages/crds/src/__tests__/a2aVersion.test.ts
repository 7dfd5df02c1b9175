import { describe, expect, it } from 'vitest';
import { A2A_VERSION_PATTERN, parseA2AVersion } from '../index.js';

describe('parseA2AVersion (A2A §3.6)', () => {
  it.each([
    ['1.0', '1.0'],
    ['1.0.0', '1.0'],
    ['1.0.5', '1.0'],
    [' 1.0 ', '1.0'],
    ['0.3', '0.3.0'],
    ['0.3.0', '0.3.0'],
    ['0.3.1', '0.3.0'],
    ['', '0.3.0'],
    ['   ', '0.3.0'],
  ])('reads %j as %s, matching on Major.Minor', (raw, version) => {
    expect(parseA2AVersion(raw)).toEqual({ ok: true, version });
  });

  it('tells a client that named no version apart from an empty value', () => {
    expect(parseA2AVersion(undefined)).toEqual({ ok: true, version: undefined });
  });

  it.each(['2.0', '1.1', '0.2.5', '0.4'])('rejects the unsupported Major.Minor of %j', (raw) => {
    const result = parseA2AVersion(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/is not supported: supported are 0\.3 and 1\.0/);
  });

  it.each(['1', 'latest', 'v1.0', '1.0.0.0', '1.0-rc1', '1.x'])('rejects the malformed %j', (raw) => {
    const result = parseA2AVersion(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/Major\.Minor/);
  });
});

describe('A2A_VERSION_PATTERN (the OpenAPI schema of the version parameters)', () => {
  const pattern = new RegExp(A2A_VERSION_PATTERN);
  it.each([
    '1.0',
    '1.0.0',
    '1.0.5',
    ' 1.0 ',
    '0.3',
    '0.3.0',
    '0.3.1',
    '',
    '   ',
    '01.00',
    '0.03',
    '1.0.123456789',
    '2.0',
    '0.2',
    '1.1',
    '1',
    '1.0.',
    'v1.0',
    '1.0-beta',
    '10.0',
    '0.30',
    '1.0.1234567890',
    '1.0.0.0',
    'x',
  ])('accepts %j exactly when parseA2AVersion supports it', (raw) => {
    expect(pattern.test(raw)).toBe(parseA2AVersion(raw).ok);
  });
});
