// The one-cluster-per-machine marker, without a cluster: claiming, refusing while the owner lives,
// taking over from a dead (or PID-reused) owner, and teardown.sh releasing only its own run's marker.
// Every run directory named in a marker here is already gone, so teardown.sh stops after its lock
// (it never reaches the machine's network state).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimMachine,
  ownerAlive,
  processStartTime,
  readActiveCluster,
  teardown,
  type ActiveCluster,
} from '../activeCluster.js';
import { machineStateDir } from '../layout.js';

describe('the active-cluster marker', () => {
  let dir: string;
  let marker: string;
  let owner: ChildProcess;
  let runDir: string;
  const goneRunDir = () => join(dir, `gone-${Math.random().toString(36).slice(2)}`);
  const writeMarker = (active: ActiveCluster) => writeFileSync(marker, JSON.stringify(active));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-registry-marker-test-'));
    marker = join(dir, 'cluster.json');
    owner = spawn('sleep', ['300'], { stdio: 'ignore' });
  });
  afterAll(() => {
    owner.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('claims a free machine, and the run knows its marker', async () => {
    runDir = mkdtempSync(join(dir, 'run-'));
    expect(await claimMachine(runDir, marker)).toBe(marker);
    const active = readActiveCluster(marker)!;
    expect(active).toEqual({ pid: process.pid, startTime: processStartTime(process.pid), runDir });
    expect(ownerAlive(active)).toBe(true);
    expect(readFileSync(join(runDir, 'marker'), 'utf8')).toBe(marker);
  });

  it('refuses while the owner lives, even the same process', async () => {
    await expect(claimMachine(mkdtempSync(join(dir, 'run-')), marker)).rejects.toThrow(
      `another cluster is running (pid ${process.pid}, ${runDir}`,
    );
    writeMarker({ pid: owner.pid!, startTime: processStartTime(owner.pid!)!, runDir: goneRunDir() });
    await expect(claimMachine(mkdtempSync(join(dir, 'run-')), marker)).rejects.toThrow(
      `another cluster is running (pid ${owner.pid}`,
    );
  });

  it('teardown.sh leaves a marker that names another run', async () => {
    const before = readFileSync(marker, 'utf8');
    await teardown(goneRunDir(), marker);
    expect(readFileSync(marker, 'utf8')).toBe(before);
  });

  it('takes over from a dead owner and from a reused PID', async () => {
    const dead = spawn('true');
    await new Promise((resolve) => dead.once('exit', resolve));
    writeMarker({ pid: dead.pid!, startTime: 1, runDir: goneRunDir() });
    const first = mkdtempSync(join(dir, 'run-'));
    await claimMachine(first, marker);
    expect(readActiveCluster(marker)?.runDir).toBe(first);

    // The owner's PID now belongs to another process (its start time differs).
    const reused = { pid: owner.pid!, startTime: processStartTime(owner.pid!)! - 1, runDir: goneRunDir() };
    expect(ownerAlive(reused)).toBe(false);
    writeMarker(reused);
    const second = mkdtempSync(join(dir, 'run-'));
    await claimMachine(second, marker);
    expect(readActiveCluster(marker)?.runDir).toBe(second);
  });

  it("teardown.sh releases its own run's marker, also once the run directory is gone", async () => {
    const active = readActiveCluster(marker)!;
    rmSync(active.runDir, { recursive: true });
    await teardown(active.runDir, marker);
    expect(existsSync(marker)).toBe(false);
  });

  it('keeps machine state in the first parent that is usable', () => {
    const notADirectory = join(dir, 'file');
    writeFileSync(notADirectory, '');
    const state = machineStateDir([notADirectory, dir]);
    expect(state).toBe(join(dir, 'agent-registry'));
    expect(statSync(state).isDirectory()).toBe(true);
    expect(() => machineStateDir([notADirectory])).toThrow('no machine-wide state directory is usable');
  });
});
