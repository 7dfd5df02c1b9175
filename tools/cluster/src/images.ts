import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { scriptsDir } from './layout.js';

const run = promisify(execFile);

export const IMAGE_NAMES = ['pause', 'demo-agent', 'controller', 'registry'] as const;
export type ImageName = (typeof IMAGE_NAMES)[number];

/** One image, built (or found in the cache) by scripts/images.sh as an OCI archive. */
export interface BuiltImage {
  name: ImageName;
  /** e.g. `localhost/agent-registry/controller:dev` (never pulled: the node has it). */
  reference: string;
  archive: string;
  /** Seconds spent building it now; 0 when the archive was cached. */
  buildSeconds: number;
}

/**
 * Builds the images with buildah from the project's Dockerfiles (scripts/images.sh), reusing
 * archives whose inputs did not change. Progress goes to this process's stderr.
 */
export function buildImages(names: readonly ImageName[] = IMAGE_NAMES): Promise<BuiltImage[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(scriptsDir, 'images.sh'), ...names], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    // 'close', not 'exit': 'exit' can come before the last of stdout (then the list would be cut short).
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`scripts/images.sh ${names.join(' ')} exited with ${code}`));
      const images = stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [name, reference, archive, seconds] = line.split(' ');
          return {
            name: name as ImageName,
            reference: reference!,
            archive: archive!,
            buildSeconds: Number(seconds),
          };
        });
      const missing = names.filter((name) => !images.some((image) => image.name === name));
      if (missing.length > 0)
        return reject(
          new Error(`scripts/images.sh ${names.join(' ')} reported no archive for ${missing.join(', ')}`),
        );
      resolve(images);
    });
  });
}

/** Imports OCI archives into containerd's `k8s.io` namespace (the one the kubelet's CRI uses). */
export async function importImages(containerdSocket: string, images: readonly BuiltImage[]): Promise<void> {
  for (const image of images) {
    try {
      await run(
        'ctr',
        ['--address', containerdSocket, '--namespace', 'k8s.io', 'images', 'import', image.archive],
        {
          maxBuffer: 16 * 1024 * 1024,
        },
      );
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr;
      throw new Error(`ctr images import ${image.archive} failed: ${stderr?.trim() || String(error)}`, {
        cause: error,
      });
    }
  }
}
