import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envtestCacheDir, envtestKubernetesVersion, resolveBinaries } from '../index.js';

describe('resolveBinaries (same rules as tools/envtest/setup.sh)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtest-binaries-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fake = (name: string): string => {
    const path = join(dir, name);
    writeFileSync(path, '#!/bin/sh\n');
    chmodSync(path, 0o755);
    return path;
  };

  it('defaults to the versioned cache directory', () => {
    expect(envtestKubernetesVersion()).toMatch(/^v1\.\d+\.\d+$/);
    expect(envtestCacheDir({ XDG_CACHE_HOME: '/c' })).toBe(
      `/c/agent-registry/envtest/${envtestKubernetesVersion()}`,
    );
    expect(envtestCacheDir({ HOME: '/h' })).toBe(
      `/h/.cache/agent-registry/envtest/${envtestKubernetesVersion()}`,
    );
    const resolution = resolveBinaries({ XDG_CACHE_HOME: join(dir, 'empty') });
    expect(resolution).toMatchObject({
      found: false,
      reason: expect.stringContaining('kube-apiserver, etcd, kubectl'),
    });
  });

  it('uses KUBEBUILDER_ASSETS, with TEST_ASSET_* overriding single binaries', () => {
    fake('kube-apiserver');
    fake('etcd');
    expect(resolveBinaries({ KUBEBUILDER_ASSETS: dir })).toMatchObject({
      found: false,
      reason: `kubectl not found in ${dir}`,
    });
    const kubectl = fake('my-kubectl');
    expect(resolveBinaries({ KUBEBUILDER_ASSETS: dir, TEST_ASSET_KUBECTL: kubectl })).toEqual({
      found: true,
      binaries: { kubeApiServer: join(dir, 'kube-apiserver'), etcd: join(dir, 'etcd'), kubectl },
    });
  });
});
