import { fork, type ChildProcess } from 'node:child_process';

export interface Child {
  process: ChildProcess;
  url: string;
  /** Asks the child for its memory use (after a full GC when it runs with --expose-gc). */
  memory(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

/**
 * Starts a plain-JS entry in its own `node` process (GC exposed, for the
 * memory probe) and waits for its `{ type: 'ready', url }` message.
 */
export function startChild(entry: string, args: string[], { timeoutMs = 120_000 } = {}): Promise<Child> {
  const child = fork(entry, args, {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not report ready within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready`));
    });
    child.on('message', function onReady(message: { type?: string; url?: string }) {
      if (message.type !== 'ready' || !message.url) return;
      clearTimeout(timer);
      child.off('message', onReady);
      child.removeAllListeners('exit');
      resolve({
        process: child,
        url: message.url,
        memory: () =>
          new Promise((resolveMemory) => {
            child.on('message', function onMemory(reply: { type?: string; usage?: NodeJS.MemoryUsage }) {
              if (reply.type !== 'memory' || !reply.usage) return;
              child.off('message', onMemory);
              resolveMemory(reply.usage);
            });
            child.send({ type: 'memory' });
          }),
        stop: () =>
          new Promise((resolveStop) => {
            if (child.exitCode !== null) return resolveStop();
            const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => {
              clearTimeout(killer);
              resolveStop();
            });
            child.disconnect();
          }),
      });
    });
  });
}
