import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { MANIFEST_EXTENSIONS } from './manifestFile.js';

/** A manifest file that may be read: its name in the directory and the real path to open. */
export interface ManifestEntry {
  /** Path relative to the manifests directory, `/`-separated: the file's name everywhere. */
  file: string;
  /** The real path (symlinks resolved, inside the directory). */
  realPath: string;
}

/** An entry that is not read, by name and why (never what it points to). */
export interface SkippedEntry {
  file: string;
  reason: string;
}

export interface DirectoryListing {
  entries: ManifestEntry[];
  skipped: SkippedEntry[];
  /** Directories (relative, `''` = the root) that were read: what a watcher watches. */
  directories: string[];
  /**
   * Set when the listing is incomplete (the directory vanished or a read failed, e.g. EMFILE): the
   * caller must not treat absent files as deleted.
   */
  fault?: string;
}

const MAX_DEPTH = 16;

const isManifestName = (name: string): boolean =>
  MANIFEST_EXTENSIONS.some((extension) => name.endsWith(extension));

const nameOf = (root: string, path: string): string => relative(root, path).split(sep).join('/');

const isInside = (root: string, path: string): boolean => path === root || path.startsWith(root + sep);

/**
 * The manifest files of a directory, confined to it: regular files, and symlinks whose real path is
 * a regular file inside the directory (ConfigMap volumes are made of those). Anything else — a
 * symlink leaving the directory, a FIFO, a device — is skipped and reported by name only. Hidden
 * entries (editor swap files, a ConfigMap's `..data`) are not looked at.
 */
export async function listManifestDirectory(directory: string): Promise<DirectoryListing> {
  const entries: ManifestEntry[] = [];
  const skipped: SkippedEntry[] = [];
  const directories: string[] = [];
  let root: string;
  try {
    root = await realpath(directory);
    if (!(await lstat(root)).isDirectory())
      return { entries, skipped, directories, fault: 'not a directory' };
  } catch (error) {
    return { entries, skipped, directories, fault: faultOf(error) };
  }
  let fault: string | undefined;
  const walk = async (dir: string, depth: number): Promise<void> => {
    let children;
    try {
      children = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      fault ??= `${nameOf(root, dir) || '.'}: ${faultOf(error)}`;
      return;
    }
    directories.push(nameOf(root, dir));
    for (const child of children) {
      if (child.name.startsWith('.')) continue;
      const path = join(dir, child.name);
      const file = nameOf(root, path);
      if (child.isDirectory()) {
        if (depth < MAX_DEPTH) await walk(path, depth + 1);
        else skipped.push({ file, reason: `nested deeper than ${MAX_DEPTH} directories; not read` });
        continue;
      }
      if (!isManifestName(child.name)) continue;
      if (child.isFile()) {
        entries.push({ file, realPath: path });
      } else if (child.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(path);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' || code === 'ELOOP') {
            skipped.push({ file, reason: 'a symlink that resolves to nothing; not read' });
          } else fault ??= `${file}: ${faultOf(error)}`;
          continue;
        }
        if (!isInside(root, target)) {
          skipped.push({ file, reason: 'a symlink to outside the manifests directory; not read' });
          continue;
        }
        try {
          if ((await lstat(target)).isFile()) entries.push({ file, realPath: target });
          else skipped.push({ file, reason: 'a symlink to something other than a regular file; not read' });
        } catch (error) {
          fault ??= `${file}: ${faultOf(error)}`;
        }
      } else {
        skipped.push({ file, reason: 'not a regular file; not read' });
      }
    }
  };
  await walk(root, 0);
  entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return fault === undefined ? { entries, skipped, directories } : { entries, skipped, directories, fault };
}

export type ReadResult =
  | { ok: true; text: string; signature: string }
  | { ok: false; kind: 'skipped' | 'fault' | 'too-large'; reason: string; signature?: string };

/**
 * Reads one listed file: opened without following a final symlink (the real path was checked when
 * listed), checked to be a regular file no larger than `maxBytes`, and read through that one handle.
 * `previous` is the signature last read: when unchanged, nothing is read (`text` is empty).
 */
export async function readManifestFile(
  entry: ManifestEntry,
  maxBytes: number,
  previous: string | undefined,
): Promise<ReadResult | { ok: true; unchanged: true; signature: string }> {
  // A rescan finds most files unchanged: one lstat tells, without opening them (a regular file
  // only: anything else, a symlink swapped in included, goes through the checked open below).
  if (previous !== undefined) {
    const info = await lstat(entry.realPath).catch(() => undefined);
    if (info?.isFile() && signatureOf(info) === previous)
      return { ok: true, unchanged: true, signature: previous };
  }
  let handle;
  try {
    handle = await open(entry.realPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { ok: false, kind: 'skipped', reason: 'became a symlink; not read' };
    return { ok: false, kind: 'fault', reason: faultOf(error) };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, kind: 'skipped', reason: 'not a regular file; not read' };
    const signature = signatureOf(info);
    if (signature === previous) return { ok: true, unchanged: true, signature };
    if (info.size > maxBytes) {
      return { ok: false, kind: 'too-large', reason: `larger than ${maxBytes} bytes; not read`, signature };
    }
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length >= buffer.length) {
        return { ok: false, kind: 'too-large', reason: `larger than ${maxBytes} bytes; not read`, signature };
      }
    }
    return { ok: true, text: buffer.toString('utf8', 0, length), signature };
  } catch (error) {
    return { ok: false, kind: 'fault', reason: faultOf(error) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** What tells a file changed: modification and change times, size, inode. */
const signatureOf = (info: Stats): string => `${info.mtimeMs}:${info.size}:${info.ino}:${info.ctimeMs}`;

/** An error as its code and a fixed phrase: never a path outside the directory, never content. */
function faultOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
  const phrases: Record<string, string> = {
    ENOENT: 'does not exist',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EMFILE: 'too many open files in the process',
    ENFILE: 'too many open files in the system',
    ENOTDIR: 'not a directory',
    EIO: 'input/output error',
  };
  return `${phrases[code] ?? 'cannot be read'} (${code})`;
}
