import { describe, expect, it } from 'vitest';
import { packageName } from '../index.js';

describe('mcp-adapter', () => {
  it('names itself', () => {
    expect(packageName).toBe('@agent-registry/mcp-adapter');
  });
});
