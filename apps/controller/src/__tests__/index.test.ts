import { describe, expect, it } from 'vitest';
import { appName } from '../index.js';

describe('controller', () => {
  it('names itself', () => {
    expect(appName).toBe('controller');
  });
});
