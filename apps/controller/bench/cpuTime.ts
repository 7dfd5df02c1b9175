/**
 * CPU time spent by the benchmark's own processes: this Node process (the
 * controller or the bare loop, whichever runs) and its kube-apiserver and etcd
 * children. On a shared machine wall time stretches with other people's load;
 * CPU seconds per card much less so, and they say which side does the work.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuTime {
  /** This process (user + system), seconds. */
  node: number;
  apiserver: number;
  etcd: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime and parent of a process from /proc (undefined when it is gone). */
function stat(pid: string): { comm: string; ppid: number; seconds: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: fields after the last ')'.
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    // After ')' : state(0) ppid(1) … utime(11) stime(12).
    return {
      comm,
      ppid: Number(fields[1]),
      seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
    };
  } catch {
    return undefined;
  }
}

/** Now: this process's CPU seconds and those of its kube-apiserver and etcd children (Linux; 0 elsewhere). */
export function cpuTime(): CpuTime {
  const own = process.cpuUsage();
  const time: CpuTime = { node: (own.user + own.system) / 1e6, apiserver: 0, etcd: 0 };
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return time;
  }
  for (const pid of pids) {
    const process_ = stat(pid);
    if (!process_ || process_.ppid !== process.pid) continue;
    if (process_.comm === 'kube-apiserver') time.apiserver += process_.seconds;
    else if (process_.comm === 'etcd') time.etcd += process_.seconds;
  }
  return time;
}
