/*
 * An absolute path in a tracked file leads outside the repository: it works on the machine it was written on and
 * nowhere else. What counts: paths under the roots where checkouts, home directories and scratch space live
 * (/home, /root, /Users, /work, /tmp, …) and Windows user folders. What does not: paths of the environment the
 * software runs in, documented as such (/usr/bin/chromium, /proc, /etc/…, /srv/…, /opt/…, /var/run/secrets/…, a
 * container's WORKDIR), `~/…` (a documented per-user default), URLs (`https://host/home/…`) and `file:` URLs built at run time.
 */

/** Roots whose paths belong to one machine or one user. */
export const MACHINE_ROOTS = [
  'home',
  'root',
  'Users',
  'work',
  'workspace',
  'mnt',
  'media',
  'tmp',
  'private',
  'var/folders',
  'var/tmp',
  'builds',
] as const;

const POSIX = new RegExp(
  // Not preceded by a character that makes it part of a URL, a relative path or a word (host/home, ./work, $HOME/x).
  String.raw`(?<![\w.~$}/:\-@])/(?:${MACHINE_ROOTS.map((root) => root.replace('/', '\\/')).join('|')})/[^\s'"\`)\]}>,;]*`,
  'g',
);
const WINDOWS = /\b[A-Za-z]:\\(?:Users|Documents and Settings)\\[^\s'"`]*/g;

export interface AbsolutePath {
  line: number;
  path: string;
}

/** Absolute machine paths in one file's text, with their line numbers. */
export function absoluteMachinePaths(text: string): AbsolutePath[] {
  const found: AbsolutePath[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    for (const pattern of [POSIX, WINDOWS]) {
      for (const match of line.matchAll(pattern)) found.push({ line: index + 1, path: match[0] });
    }
  });
  return found;
}
