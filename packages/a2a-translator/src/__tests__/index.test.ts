import { describe, expect, it } from 'vitest';
import { packageName } from '../index.js';

describe('a2a-translator', () => {
  it('names itself', () => {
    expect(packageName).toBe('@agent-registry/a2a-translator');
  });
});
