import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ServerOptions } from '../../server.js';

const entry = fileURLToPath(new URL('./registryProcess.ts', import.meta.url));

export interface ChildRegistry {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Sends a line on stdin and waits for a stdout line starting with `reply`. */
  command(line: string, reply: string): Promise<string>;
  /** VmRSS and VmHWM (peak) of the process, in MiB. */
  memory(): Promise<{ rssMb: number; peakMb: number }>;
  /** inotify watches the process holds (from /proc/<pid>/fdinfo). */
  inotifyWatches(): Promise<number>;
  stderr(): string;
  close(): Promise<void>;
}

/** Starts the registry in a child process (`ulimit -n` when `openFiles` is given). */
export async function startChildRegistry(
  options: ServerOptions,
  { openFiles, startTimeoutMs = 60_000 }: { openFiles?: number; startTimeoutMs?: number } = {},
): Promise<ChildRegistry> {
  const args = ['--expose-gc', '--import', 'tsx', entry, JSON.stringify(options)];
  const child = openFiles
    ? spawn('/bin/sh', ['-c', `ulimit -n ${openFiles} && exec "$0" "$@"`, process.execPath, ...args], {
        stdio: ['pipe', 'pipe', 'pipe'],
      })
    : spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    let end: number;
    while ((end = stdout.indexOf('\n')) >= 0) {
      const line = stdout.slice(0, end);
      stdout = stdout.slice(end + 1);
      const index = waiters.findIndex((waiter) => line.startsWith(waiter.prefix));
      if (index >= 0) waiters.splice(index, 1)[0]?.resolve(line);
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const waitFor = (prefix: string, timeoutMs = 60_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "${prefix}" from the registry: ${stderr}`)),
        timeoutMs,
      );
      waiters.push({
        prefix,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = (
    await Promise.race([
      waitFor('LISTENING', startTimeoutMs),
      exited.then(() => Promise.reject(new Error(stderr))),
    ])
  ).split(' ')[1]!;
  const pid = child.pid as number;
  return {
    url,
    pid,
    child,
    command(line, reply) {
      const waiting = waitFor(reply);
      child.stdin?.write(`${line}\n`);
      return waiting;
    },
    async memory() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
      return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
    },
    async inotifyWatches() {
      const { readdir } = await import('node:fs/promises');
      let count = 0;
      for (const fd of await readdir(`/proc/${pid}/fdinfo`)) {
        const info = await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8').catch(() => '');
        count += info.split('\n').filter((line) => line.startsWith('inotify wd:')).length;
      }
      return count;
    },
    stderr: () => stderr,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
