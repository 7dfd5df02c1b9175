import { describe, expect, it } from 'vitest';
import { packageName } from '../index.js';

describe('card-generator', () => {
  it('names itself', () => {
    expect(packageName).toBe('@agent-registry/card-generator');
  });
});
