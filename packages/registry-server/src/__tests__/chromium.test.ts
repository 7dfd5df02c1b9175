import { describe, expect, it } from 'vitest';
import { chromiumAvailable, isCi } from './support/chromium.js';

describe('Chromium requirement of the UI suites', () => {
  const missing = { exists: () => false, warn: () => undefined };

  it('fails under CI when Chromium is missing, however CI is spelled', () => {
    for (const CI of ['true', 'TRUE', '1', 'yes']) {
      expect(() => chromiumAvailable('/nowhere/chromium', { CI }, missing), CI).toThrow(
        /Chromium not found at \/nowhere\/chromium/,
      );
    }
  });

  it('skips locally with one loud line', () => {
    for (const CI of [undefined, '', 'false', '0']) {
      const lines: string[] = [];
      expect(
        chromiumAvailable(
          '/nowhere/chromium',
          { CI },
          { exists: () => false, warn: (line) => lines.push(line) },
        ),
      ).toBe(false);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('SKIPPING catalog UI tests');
    }
  });

  it('runs wherever Chromium is present', () => {
    expect(chromiumAvailable('/usr/bin/chromium', { CI: 'true' }, { exists: () => true })).toBe(true);
    expect(isCi({ CI: 'false' })).toBe(false);
  });
});
