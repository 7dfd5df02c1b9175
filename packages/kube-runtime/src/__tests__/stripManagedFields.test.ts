import { describe, expect, it } from 'vitest';
import { stripManagedFields } from '../stripManagedFields.js';

describe('stripManagedFields', () => {
  it('drops metadata.managedFields and keeps everything else', () => {
    const object = {
      metadata: {
        name: 'a',
        namespace: 'ns',
        resourceVersion: '7',
        labels: { app: 'x' },
        managedFields: [{ manager: 'agent-registry-controller', operation: 'Apply' }],
      },
      spec: { contentHash: 'h' },
    };
    expect(stripManagedFields(object)).toEqual({
      metadata: { name: 'a', namespace: 'ns', resourceVersion: '7', labels: { app: 'x' } },
      spec: { contentHash: 'h' },
    });
  });

  it('leaves objects without managed fields (or without metadata) as they are', () => {
    expect(stripManagedFields({ metadata: { name: 'a' } })).toEqual({ metadata: { name: 'a' } });
    expect(stripManagedFields({})).toEqual({});
  });
});
