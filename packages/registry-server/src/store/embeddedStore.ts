import { watch, type FSWatcher } from 'node:fs';
import { join, resolve } from 'node:path';
import { namespaceOf, ROOT_PATH, type AgentCard } from '@agent-registry/crds';
import type { GenerateOptions } from '@agent-registry/card-generator';
import {
  signatureVerifiedCondition,
  type JkuKeys,
  type VerificationKeys,
} from '@agent-registry/card-signing';
import { silentLogger, type Logger } from '../logger.js';
import { IndexedCardStore } from './indexedCardStore.js';
import { keyOf } from './cardFields.js';
import { CardProbes, type ProbeSettings } from './cardProbes.js';
import { listManifestDirectory, readManifestFile, type ManifestEntry } from './manifestDirectory.js';
import { MAX_MANIFEST_BYTES, type ManifestCard, type ManifestProblem } from './manifestFile.js';
import { ManifestParser, type ManifestParserOptions } from './manifestParser.js';
import { mapConcurrently } from './mapConcurrently.js';
import { StringPool } from './stringPool.js';
import type { CardSource, StoreReadiness } from './types.js';

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
  /** Where big files are parsed (a worker thread) and its bounds. */
  parser?: ManifestParserOptions;
  /** Most directories watched (one inotify watch each); beyond, only the periodic rescan. Default 1000. */
  maxWatchedDirectories?: number;
  /**
   * Keys trusted for the signatures publishers put on their cards: each card loaded gets a
   * `SignatureVerified` condition. Without them signatures are not checked and no condition is set.
   */
  trustedKeys?: VerificationKeys;
  /** With `trustedKeys`: the JWK Sets a signature's `jku` names on allow-listed origins. */
  jku?: JkuKeys;
  /**
   * Probe each card's endpoint as the controller does, so `status.health` and `status.lastSeen` are live
   * (see {@link CardProbes}). Without it cards keep the health their files say.
   */
  probe?: ProbeSettings;
  logger?: Logger;
}

/**
 * Manifest files read and parsed at once during a scan: enough to keep two parsing threads busy
 * while this thread takes in the cards of the files they finished (a file queued behind each one
 * being parsed), few enough that the texts waiting for a thread (up to 4 MiB each) stay a small part
 * of the memory.
 */
const FILES_IN_FLIGHT = 6;

interface FileState {
  /** mtime + size: when unchanged the file is not read again. */
  signature: string;
  /** The cards of the last good version of the file. */
  cards: ManifestCard[];
  /** Problems of the current version (it may be bad while the good cards stay served). */
  problems: ManifestProblem[];
  /** Size of the version read last: a shrinking file that is still being written is read again later. */
  size: number;
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
  /** Entries the listing skipped (symlinks out of the directory, FIFOs...), by name. */
  private skipped: ManifestProblem[] = [];
  /** Why the last scan could not see the whole directory; undefined when it could. */
  private fault: string | undefined;
  /** One non-recursive watch per directory (inotify reports changes of the entries inside). */
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly parser: ManifestParser;
  private readonly probes: CardProbes | undefined;
  private poll: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private rescanRequested = false;
  private loaded = false;
  private stopped = false;
  private readonly logger: Logger;

  readonly source: CardSource;

  constructor(private readonly options: EmbeddedStoreOptions) {
    super(options.eventBufferSize);
    this.source = { kind: 'manifests', location: resolve(options.directory) };
    this.logger = (options.logger ?? silentLogger).child({ component: 'embedded-store' });
    this.parser = new ManifestParser({ logger: this.logger, ...options.parser });
    this.probes =
      options.probe &&
      new CardProbes(
        options.probe,
        {
          all: () => this.index.all(),
          get: (key) => {
            const slash = key.indexOf('/');
            return this.index.get(key.slice(0, slash), key.slice(slash + 1));
          },
          replace: (card) => void this.index.upsert(card),
        },
        this.logger,
      );
  }

  async start(): Promise<void> {
    await this.rescan();
    this.loaded = true;
    if (!this.stopped) this.probes?.start();
    if (this.options.watch === false) return;
    const pollIntervalMs = this.options.pollIntervalMs ?? 5000;
    if (pollIntervalMs > 0) {
      this.poll = setInterval(() => this.scheduleRescan(), pollIntervalMs);
      this.poll.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.probes?.stop();
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    clearInterval(this.poll);
    clearTimeout(this.debounce);
    await this.scanning;
    await this.parser.close();
  }

  /**
   * Watches exactly the directories the last listing read (not every file: a watch per file costs
   * a descriptor and CPU per file), each non-recursively. A directory that cannot be watched is still
   * rescanned periodically.
   */
  private syncWatchers(directories: readonly string[]): void {
    if (this.options.watch === false || this.stopped) return;
    const max = this.options.maxWatchedDirectories ?? 1000;
    const wanted = new Set(directories.slice(0, max));
    for (const [dir, watcher] of this.watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (this.watchers.has(dir)) continue;
      try {
        const watcher = watch(join(this.options.directory, dir), { persistent: false }, () =>
          this.scheduleRescan(),
        );
        watcher.on('error', () => {
          // The directory went away or cannot be watched: the next scan decides what to watch.
          watcher.close();
          if (this.watchers.get(dir) === watcher) this.watchers.delete(dir);
          this.scheduleRescan();
        });
        this.watchers.set(dir, watcher);
      } catch (error) {
        this.logger.warn('cannot watch a manifests directory; relying on the periodic rescan', {
          directory: dir || '.',
          code: (error as NodeJS.ErrnoException).code,
        });
      }
    }
  }

  /** Problems of the current files (bad documents, duplicates, skipped entries), for the log and the problems endpoint. */
  problems(): ManifestProblem[] {
    return [
      ...this.skipped,
      ...[...this.files.values()].flatMap((state) => state.problems),
      ...this.duplicates,
    ];
  }

  /** Resolves once pending changes are applied (tests, and callers that just wrote a file). */
  async settle(): Promise<void> {
    await this.rescan();
  }

  private scheduleRescan(delayMs?: number): void {
    if (this.stopped) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(
      () => void this.rescan(),
      delayMs ?? Math.max(this.options.debounceMs ?? 100, 1),
    );
    this.debounce.unref();
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
    const listing = await listManifestDirectory(this.options.directory);
    this.syncWatchers(listing.directories);
    let changed = false;
    let fault = listing.fault;
    const skipped = listing.skipped.map((entry): ManifestProblem => ({
      severity: 'warning',
      file: entry.file,
      path: ROOT_PATH,
      message: entry.reason,
    }));
    if (skipped.map((p) => p.file).join('\n') !== this.skipped.map((p) => p.file).join('\n')) {
      for (const problem of skipped) this.logger.warn('manifest entry skipped', { ...problem });
    }
    this.skipped = skipped;
    const seen = new Set<string>(listing.entries.map((entry) => entry.file));
    // A few files at a time: the parser spreads big ones over its threads.
    const outcomes = await mapConcurrently(listing.entries, FILES_IN_FLIGHT, (entry) => this.loadFile(entry));
    listing.entries.forEach((entry, at) => {
      if (outcomes[at] === 'fault') fault ??= `${entry.file}: cannot be read`;
      changed = outcomes[at] === 'changed' || changed;
    });
    // A listing that could not see everything says nothing about what is gone: keep the rest.
    if (fault === undefined) {
      for (const file of [...this.files.keys()]) {
        if (!seen.has(file)) {
          this.files.delete(file);
          this.logger.info('manifest file removed', { file });
          changed = true;
        }
      }
    }
    if (fault !== this.fault) {
      if (fault !== undefined) {
        this.logger.error('cannot read the manifests directory; serving the last good state', { fault });
      } else if (this.fault !== undefined) {
        this.logger.info('the manifests directory is readable again');
      }
      this.fault = fault;
    }
    if (changed || !this.loaded) this.apply();
    this.parser.release();
    // Retry soon while faulted or while a file is mid-write (the poll may be off).
    if ((fault !== undefined || this.unsettled) && !this.stopped && this.options.watch !== false) {
      this.unsettled = false;
      this.scheduleRescan(fault !== undefined ? 1000 : undefined);
    }
  }

  /** A file was seen mid-write (shrunk a moment ago): the scan is repeated once it is quiet. */
  private unsettled = false;

  /** Reloads one file if it changed. A read that fails leaves its served cards alone. */
  private async loadFile(entry: ManifestEntry): Promise<'changed' | 'unchanged' | 'fault'> {
    const { file } = entry;
    const previous = this.files.get(file);
    const read = await readManifestFile(entry, MAX_MANIFEST_BYTES, previous?.signature);
    if (!read.ok) {
      if (read.kind === 'fault') return 'fault';
      const signature = read.signature ?? read.reason;
      if (previous?.signature === signature) return 'unchanged';
      return this.record(
        file,
        signature,
        undefined,
        [{ severity: 'error', file, path: ROOT_PATH, message: read.reason }],
        [],
        previous?.size ?? 0,
      )
        ? 'changed'
        : 'unchanged';
    }
    if ('unchanged' in read) return 'unchanged';
    const size = Buffer.byteLength(read.text);
    // Truncated mid-edit (an editor or `>` empties the file, then writes): keep the last good cards
    // until the file settles; a file really meant to be empty can be deleted.
    if (previous && previous.cards.length > 0 && size < previous.size && this.isFresh(read.signature)) {
      this.unsettled = true;
      return 'unchanged';
    }
    if (previous && previous.cards.length > 0 && read.text.trim() === '') {
      return this.record(
        file,
        read.signature,
        undefined,
        [
          {
            severity: 'warning',
            file,
            path: ROOT_PATH,
            message: 'empty; still serving its last good version (delete the file to remove its cards)',
          },
        ],
        [],
        size,
      )
        ? 'changed'
        : 'unchanged';
    }
    const result = await this.parser.parse(file, read.text, this.options.generateOptions);
    // Equal values of the file's cards (apiVersion, labels, skill ids and tags...) become one string.
    const pool = new StringPool();
    for (const { card } of result.cards) pool.internAll(card);
    await this.verifySignatures(result.cards);
    return this.record(
      file,
      read.signature,
      result.failed ? undefined : result.cards,
      result.problems,
      result.cards,
      size,
    )
      ? 'changed'
      : 'unchanged';
  }

  /**
   * Sets `SignatureVerified` on cards just parsed (not yet served, so set in place): once per file
   * version, as unchanged files are not parsed again.
   */
  private async verifySignatures(cards: readonly ManifestCard[]): Promise<void> {
    const keys = this.options.trustedKeys;
    if (keys === undefined) return;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const { card } of cards) {
      const verified = await signatureVerifiedCondition(card, keys, { jku: this.options.jku });
      const condition = { ...verified, lastTransitionTime: now };
      const others = (card.status?.conditions ?? []).filter((c) => c.type !== condition.type);
      card.status = { ...card.status, conditions: [...others, condition] };
    }
  }

  /** Whether the file's mtime (first part of its signature) is within the quiet period. */
  private isFresh(signature: string): boolean {
    const mtimeMs = Number(signature.split(':')[0]);
    return Date.now() - mtimeMs < Math.max(200, this.options.debounceMs ?? 100);
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
    size = 0,
  ): boolean {
    const previous = this.files.get(file);
    const kept = cards ?? previous?.cards ?? partial;
    this.files.set(file, { signature, cards: kept, problems, size });
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
            namespace: namespaceOf(placed.card),
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
    const probes = this.probes;
    if (!probes) {
      this.index.replaceAll([...winners.values()].map((winner) => winner.card));
      return;
    }
    // Served with the health of their latest probes; what is no longer served is forgotten.
    for (const card of this.index.all()) {
      const key = keyOf(card);
      if (!winners.has(key)) probes.forget(key);
    }
    this.index.replaceAll(
      [...winners.values()].map(({ card }) =>
        probes.served(card, this.index.get(namespaceOf(card), card.metadata.name)),
      ),
    );
  }

  /**
   * Ready once the first scan is done and while the directory can be read. Details are counts only:
   * file names and problems are for the log and the problems endpoint, which respect visibility.
   */
  readiness(): StoreReadiness {
    const ready = this.loaded && this.fault === undefined;
    return {
      ready,
      ...(ready
        ? {}
        : { reason: this.loaded ? 'the manifests directory cannot be read' : 'loading manifests' }),
      details: { store: 'embedded', cards: this.index.size, files: this.files.size },
    };
  }
}
