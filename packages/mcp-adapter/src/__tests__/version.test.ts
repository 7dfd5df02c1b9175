import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADAPTER_VERSION } from '../version.js';

describe('ADAPTER_VERSION', () => {
  it('is the version in package.json', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(ADAPTER_VERSION).toBe(manifest.version);
    expect(ADAPTER_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});
