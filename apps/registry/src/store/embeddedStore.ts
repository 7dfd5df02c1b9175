import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { AgentCard } from '@agent-registry/crds';
import type { GenerateOptions } from '@agent-registry/card-generator';
import { silentLogger, type Logger } from '../logger.js';
import { IndexedCardStore } from './indexedCardStore.js';
import { keyOf } from './cardMatcher.js';
import {
  MANIFEST_EXTENSIONS,
  MAX_MANIFEST_BYTES,
  parseManifestFile,
  type ManifestCard,
  type ManifestProblem,
} from './manifestFile.js';
import type { StoreReadiness } from './types.js';

export interface EmbeddedStoreOptions {
  /** The directory of manifests (searched recursively). */
  directory: string;
  /** Watch the directory and apply changes live. Default true. */
  watch?: boolean;
  /** Quiet time after the last change before reloading. Default 100 ms. */
  debounceMs?: number;
  /** A periodic rescan in case file events are lost (0 = off). Default 5000 ms. */
  pollIntervalMs?: number;
  eventBufferSize?: number;
  generateOptions?: GenerateOptions;
  logger?: Logger;
}

interface FileState {
  /** mtime + size: when unchanged the file is not read again. */
  signature: string;
  /** The cards of the last good version of the file. */
  cards: ManifestCard[];
  /** Problems of the current version (it may be bad while the good cards stay served). */
  problems: ManifestProblem[];
}

/**
 * The default store: no cluster, a directory of the same YAML/JSON `kubectl
 * apply` takes. Agents become cards through the card generator in-process.
 *
 * A file whose current version has errors keeps serving its last good cards
 * (a bad edit never loses data); a file that never loaded cleanly serves the
 * documents that are valid. When two files define the same namespace/name, the
 * first in path order (then document order) wins and the other is reported.
 */
export class EmbeddedStore extends IndexedCardStore {
  private readonly files = new Map<string, FileState>();
  private duplicates: ManifestProblem[] = [];
  private watcher: FSWatcher | undefined;
  private poll: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private rescanRequested = false;
  private loaded = false;
  private stopped = false;
  private readonly logger: Logger;

  constructor(private readonly options: EmbeddedStoreOptions) {
    super(options.eventBufferSize);
    this.logger = (options.logger ?? silentLogger).child({ component: 'embedded-store' });
  }

  async start(): Promise<void> {
    await this.rescan();
    this.loaded = true;
    if (this.options.watch === false) return;
    try {
      this.watcher = watch(this.options.directory, { recursive: true }, () => this.scheduleRescan());
      this.watcher.on('error', (error) => {
        this.logger.warn('watching the manifests directory failed; relying on the periodic rescan', {
          error,
        });
      });
    } catch (error) {
      this.logger.warn('cannot watch the manifests directory; relying on the periodic rescan', { error });
    }
    const pollIntervalMs = this.options.pollIntervalMs ?? 5000;
    if (pollIntervalMs > 0) {
      this.poll = setInterval(() => this.scheduleRescan(), pollIntervalMs);
      this.poll.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    clearInterval(this.poll);
    clearTimeout(this.debounce);
    await this.scanning;
  }

  /** Problems of the current files (bad documents, duplicates), for logs and /readyz. */
  problems(): ManifestProblem[] {
    return [...[...this.files.values()].flatMap((state) => state.problems), ...this.duplicates];
  }

  /** Resolves once pending changes are applied (tests, and callers that just wrote a file). */
  async settle(): Promise<void> {
    await this.rescan();
  }

  private scheduleRescan(): void {
    if (this.stopped) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.rescan(), this.options.debounceMs ?? 100);
  }

  /** One scan at a time; a request during a scan runs one more scan after it. */
  private rescan(): Promise<void> {
    if (this.scanning) {
      this.rescanRequested = true;
      return this.scanning;
    }
    this.scanning = (async () => {
      do {
        this.rescanRequested = false;
        try {
          await this.scanOnce();
        } catch (error) {
          this.logger.error('rescanning the manifests directory failed', { error });
        }
      } while (this.rescanRequested && !this.stopped);
    })().finally(() => {
      this.scanning = undefined;
    });
    return this.scanning;
  }

  private async scanOnce(): Promise<void> {
    const paths = await this.listManifestFiles(this.options.directory);
    const seen = new Set<string>();
    let changed = false;
    for (const path of paths) {
      const file = relative(this.options.directory, path).split(sep).join('/');
      seen.add(file);
      changed = (await this.loadFile(path, file)) || changed;
    }
    for (const file of [...this.files.keys()]) {
      if (!seen.has(file)) {
        this.files.delete(file);
        this.logger.info('manifest file removed', { file });
        changed = true;
      }
    }
    if (changed || !this.loaded) this.apply();
  }

  private async listManifestFiles(directory: string): Promise<string[]> {
    const found: string[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      if (depth > 16) return;
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (dir === directory) this.logger.error('cannot read the manifests directory', { directory, error });
        return;
      }
      for (const entry of entries) {
        // Hidden entries: editor swap files, and ConfigMap volumes' `..data` (their files are symlinked above).
        if (entry.name.startsWith('.')) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path, depth + 1);
        else if (MANIFEST_EXTENSIONS.some((extension) => entry.name.endsWith(extension))) found.push(path);
      }
    };
    await walk(directory, 0);
    return found.sort();
  }

  /** Reloads one file if it changed; returns whether its state changed. */
  private async loadFile(path: string, file: string): Promise<boolean> {
    let signature: string;
    try {
      const info = await stat(path);
      if (!info.isFile()) return false;
      signature = `${info.mtimeMs}:${info.size}:${info.ino}`;
      const previous = this.files.get(file);
      if (previous?.signature === signature) return false;
      if (info.size > MAX_MANIFEST_BYTES) {
        return this.record(file, signature, undefined, [
          { severity: 'error', file, message: `larger than ${MAX_MANIFEST_BYTES} bytes; not read` },
        ]);
      }
    } catch {
      return false; // Gone between listing and stat: the next scan drops it.
    }
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      return this.record(file, signature, undefined, [
        { severity: 'error', file, message: `cannot read: ${(error as Error).message}` },
      ]);
    }
    const result = parseManifestFile(file, text, this.options.generateOptions);
    return this.record(
      file,
      signature,
      result.failed ? undefined : result.cards,
      result.problems,
      result.cards,
    );
  }

  /**
   * Stores a file's new state. `cards` undefined = the version is bad: keep the last good cards,
   * or (never loaded cleanly) the valid part `partial`.
   */
  private record(
    file: string,
    signature: string,
    cards: ManifestCard[] | undefined,
    problems: ManifestProblem[],
    partial: ManifestCard[] = [],
  ): boolean {
    const previous = this.files.get(file);
    const kept = cards ?? previous?.cards ?? partial;
    this.files.set(file, { signature, cards: kept, problems });
    for (const problem of problems) {
      const log = problem.severity === 'error' ? this.logger.warn : this.logger.info;
      log(`manifest ${problem.severity}`, { ...problem });
    }
    if (cards === undefined && previous) {
      this.logger.warn('manifest file has errors; still serving its last good version', { file });
    }
    return true;
  }

  /** Recomputes the served set from all files: path order, then document order; first wins. */
  private apply(): void {
    const winners = new Map<string, { card: AgentCard; file: string }>();
    const duplicates: ManifestProblem[] = [];
    for (const file of [...this.files.keys()].sort()) {
      for (const placed of (this.files.get(file) as FileState).cards) {
        const key = keyOf(placed.card);
        const winner = winners.get(key);
        if (winner) {
          const problem: ManifestProblem = {
            severity: 'error',
            file,
            document: placed.document,
            path: 'metadata.name',
            message: `duplicate card ${key}: already defined in ${winner.file}, which wins`,
          };
          if (placed.item !== undefined) problem.item = placed.item;
          duplicates.push(problem);
          continue;
        }
        winners.set(key, { card: placed.card, file });
      }
    }
    for (const problem of duplicates) {
      if (
        !this.duplicates.some((known) => known.message === problem.message && known.file === problem.file)
      ) {
        this.logger.warn('manifest error', { ...problem });
      }
    }
    this.duplicates = duplicates;
    this.index.replaceAll([...winners.values()].map((winner) => winner.card));
  }

  readiness(): StoreReadiness {
    const problems = this.problems();
    return {
      ready: this.loaded,
      details: {
        store: 'embedded',
        directory: this.options.directory,
        cards: this.index.size,
        files: this.files.size,
        ...(problems.length > 0 ? { problems: problems.slice(0, 100) } : {}),
      },
    };
  }
}
