import { describe, expect, it } from 'vitest';
import { appName } from '../index.js';

describe('registry', () => {
  it('names itself', () => {
    expect(appName).toBe('registry');
  });
});
