import { randomBytes } from 'node:crypto';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { onTestFinished } from 'vitest';

/** Label put on every namespace created by {@link createTestNamespace}. */
export const TEST_NAMESPACE_LABEL = 'agent-registry.test/namespace';

export interface TestNamespace {
  readonly name: string;
  /** Deletes the namespace (idempotent, does not wait). */
  delete(): Promise<void>;
}

/**
 * Creates a uniquely named namespace `<prefix>-<random>`. When called inside a
 * running test it is deleted when that test finishes; otherwise (e.g. in
 * `beforeAll`) call `delete()` yourself.
 *
 * Without kube-controller-manager the namespace controller does not run: a
 * deleted namespace stays `Terminating` and its objects are not removed. Tests
 * therefore never reuse namespace names.
 */
export async function createTestNamespace(kubeConfig: KubeConfig, prefix = 'test'): Promise<TestNamespace> {
  const base = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  const name = `${base || 'test'}-${randomBytes(4).toString('hex')}`;
  const core = kubeConfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name, labels: { [TEST_NAMESPACE_LABEL]: 'true' } } } });

  let deleted = false;
  const namespace: TestNamespace = {
    name,
    async delete() {
      if (deleted) return;
      deleted = true;
      try {
        await core.deleteNamespace({ name });
      } catch (error) {
        if ((error as { code?: number }).code !== 404) throw error;
      }
    },
  };
  try {
    onTestFinished(() => namespace.delete());
  } catch {
    // Not inside a running test: the caller owns the cleanup.
  }
  return namespace;
}
