import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

/** Free TCP ports on 127.0.0.1, held open together so they are distinct. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
    }
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP address');
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

/** A server process whose output goes to a log file (no pipes keep the event loop alive). */
export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Resolves once the process has exited. */
  readonly exited: Promise<void>;
  hasExited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** Last lines of the log, for error messages. */
  logTail(lines?: number): string;
}

const live = new Set<ChildProcess>();
let exitHandlerInstalled = false;

function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  // Last resort when a test run ends without calling stop(): kill synchronously.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export function startProcess(name: string, command: string, args: string[], logFile: string): ManagedProcess {
  installExitHandler();
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  live.add(child);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    const done = (): void => {
      exited = true;
      live.delete(child);
      resolve();
    };
    child.once('exit', done);
    child.once('error', (error) => {
      writeFileSync(logFile, `\nspawn failed: ${String(error)}\n`, { flag: 'a' });
      done();
    });
  });
  return {
    name,
    child,
    logFile,
    exited: exitedPromise,
    hasExited: () => exited,
    async stop(graceMs = 5_000) {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exitedPromise;
      clearTimeout(timer);
    },
    logTail(lines = 30) {
      try {
        return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
  };
}

/**
 * Starts a detached shell that kills the given processes (PIDs read from
 * `pidFile`) and removes `dir` when this Node process dies without cleaning up
 * (SIGKILL, crash, Ctrl-C). It exits by itself once `dir` is gone.
 */
export function startReaper(dir: string, pidFile: string): void {
  const script = [
    'while kill -0 "$0" 2>/dev/null && [ -d "$1" ]; do sleep 1; done',
    'if [ -d "$1" ]; then kill -9 $(cat "$2" 2>/dev/null) 2>/dev/null; sleep 0.2; rm -rf "$1"; fi',
  ].join('\n');
  const reaper = spawn('sh', ['-c', script, String(process.pid), dir, pidFile], {
    detached: true,
    stdio: 'ignore',
  });
  reaper.unref();
}

export function writePidFile(pidFile: string, processes: ManagedProcess[]): void {
  const pids = processes.map((p) => p.child.pid).filter((pid): pid is number => pid !== undefined);
  writeFileSync(pidFile, `${pids.join(' ')}\n`);
}
