import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_LIMITS, parseManifestFile } from '../store/manifestFile.js';
import { ManifestParser } from '../store/manifestParser.js';
import { card } from './helpers.js';
import { startChildRegistry } from './support/childRegistry.js';
import { startBareProcess } from './support/bareProcess.js';
import { startProbe } from './support/probe.js';

const API = '/api/v1alpha1/registry';

/** `a: [[[[…]]]]` of about `bytes` bytes: the finding's 2 MB file of nested flow sequences. */
const nestedFlow = (bytes: number): string => {
  const depth = Math.floor((bytes - 4) / 2);
  return `a: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
};

/**
 * A 21 KiB AgentCard whose anchors stay within every field limit yet expand ×70 to 1.4 MiB: one
 * 16 KiB description, reused by each of 90 skills (within yaml's own alias budget).
 */
const amplifiedCard = (name: string): string => {
  const text = 'x'.repeat(16 * 1024 - 1);
  const skills = Array.from({ length: 90 }, (_, i) => `    - {id: s${i}, name: s${i}, description: *d}`);
  return [
    'apiVersion: kagent.dev/v1alpha1',
    'kind: AgentCard',
    `metadata: {name: ${name}, namespace: amplified}`,
    'spec:',
    '  endpoints: [https://agent.example.com/a2a]',
    `  metadata: {description: &d ${text}}`,
    '  skills:',
    ...skills,
    '',
  ].join('\n');
};

describe('finding 3: parsing is bounded before and after alias expansion', () => {
  it('refuses a 2 MB nested flow sequence from a scan, before building anything', () => {
    const started = performance.now();
    const result = parseManifestFile('nested.yaml', nestedFlow(2 * 1024 * 1024));
    expect(result.failed).toBe(true);
    expect(result.problems).toEqual([
      {
        severity: 'error',
        file: 'nested.yaml',
        path: '(root)',
        message: `flow collections nested deeper than ${MANIFEST_LIMITS.depth} levels; not parsed`,
      },
    ]);
    // Informative only (a scan of 2 MB); the bound that matters is asserted in the child process below.
    console.log(`2 MB nested YAML refused in ${Math.round(performance.now() - started)} ms`);
  });

  it('refuses deep JSON and deep block YAML too', () => {
    const json = parseManifestFile('deep.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(json.problems[0]?.message).toMatch(/nested deeper than 64 levels/);
    let block = 'a:\n';
    for (let i = 1; i < 100; i++) block += `${'  '.repeat(i)}a:\n`;
    const yaml = parseManifestFile('deep.yaml', block);
    expect(yaml.failed).toBe(true);
    expect(yaml.problems[0]?.message).toMatch(/nested deeper than 64 levels/);
  });

  it('refuses the ×47 anchor amplification: card size limits apply to the expanded card', () => {
    const source = amplifiedCard('boom');
    expect(source.length).toBeLessThan(24 * 1024);
    const result = parseManifestFile('amplified.yaml', source);
    expect(result.cards).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({
        file: 'amplified.yaml',
        namespace: 'amplified',
        message: `the card is larger than ${MANIFEST_LIMITS.cardBytes} bytes once expanded`,
      }),
    ]);
  });

  it('bounds the expanded size of a whole file (a 3.7 MiB file cannot become a 177 MiB list)', () => {
    // 100 KiB, aliased 60 times: 6 MiB of text from a 100 KiB file, within yaml's alias budget.
    const documents = [`a: &t ${'y'.repeat(100 * 1024)}`];
    for (let i = 0; i < 60; i++) documents.push(`k${i}: *t`);
    const result = parseManifestFile('wide.yaml', documents.join('\n'));
    expect(result.failed).toBe(true);
    expect(result.problems).toEqual([
      {
        severity: 'error',
        file: 'wide.yaml',
        document: 0,
        path: '(root)',
        message: `larger than ${MANIFEST_LIMITS.expandedBytes} bytes of text once YAML aliases are expanded`,
      },
    ]);
  });

  it('refuses a billion-laughs document by its alias budget', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      lines.push(
        `${next}: &${next} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`,
      );
    }
    const result = parseManifestFile('laughs.yaml', lines.join('\n'));
    expect(result.failed).toBe(true);
    expect(result.problems[0]?.message).not.toContain('lol');
  });

  it('parses big files on a worker thread; one it cannot finish in time is refused by name, and the next parses', async () => {
    const parser = new ManifestParser({ inlineBytes: 1024, timeoutMs: 150 });
    try {
      const good = await parser.parse('good.yaml', `${card('team', 'big', 'x'.repeat(4000))}`);
      expect(good.problems).toEqual([]);
      expect(good.cards.map((placed) => placed.card.metadata.name)).toEqual(['big']);
      // Within every bound, but far more work than 150 ms.
      const many = Array.from({ length: 150_000 }, (_, i) => `k${i}: [${i}, ${i}, ${i}]`).join('\n');
      const refused = await parser.parse('many.yaml', many);
      expect(refused).toEqual({
        cards: [],
        failed: true,
        problems: [
          {
            severity: 'error',
            file: 'many.yaml',
            path: '(root)',
            message: 'took longer than 150 ms to parse; not read',
          },
        ],
      });
      const after = await parser.parse('after.yaml', card('team', 'after', 'y'.repeat(4000)));
      expect(after.cards).toHaveLength(1);
    } finally {
      await parser.close();
    }
  });
});

describe('finding 3 under load, in a child process', { timeout: 120_000 }, () => {
  // A latency bound on a shared 2-core CI machine: up to two more full measurements when another
  // test's burst of CPU lands inside one; the bound itself stays.
  it(
    '4 × 2 MB nested-YAML files: event-loop delay p99 under 50 ms beyond an idle process beside it (/healthz p99 under 250 ms beyond it) during the load, peak RSS under 150 MB above its start',
    { retry: 2 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'registry-bounds-'));
      await writeFile(join(dir, 'ok.yaml'), card('team', 'ok', 'a normal card'));
      const registry = await startChildRegistry({ manifests: dir, exposeProblems: true });
      const bare = await startBareProcess();
      try {
        const baseline = await registry.memory();
        await registry.command('eld', 'ELD');
        await bare.loopDelayP99();
        const probe = startProbe(`${registry.url}/healthz`);
        const bareProbe = startProbe(`${bare.url}/healthz`);
        await new Promise((resolve) => setTimeout(resolve, 200));
        const started = Date.now();
        for (let i = 0; i < 4; i++)
          await writeFile(join(dir, `nested-${i}.yaml`), nestedFlow(2 * 1024 * 1024));
        // Until the registry has refused all four (by name, on the problems endpoint).
        for (;;) {
          const problems = (await (await fetch(`${registry.url}${API}/problems`)).json()) as {
            items: { file: string; message: string }[];
          };
          const refused = problems.items.filter((problem) => problem.file.startsWith('nested-'));
          if (refused.length === 4) {
            expect(refused.map((problem) => problem.message)).toEqual(
              Array(4).fill(
                `flow collections nested deeper than ${MANIFEST_LIMITS.depth} levels; not parsed`,
              ),
            );
            break;
          }
          if (Date.now() - started > 60_000) throw new Error('the four files were not refused within 60 s');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const [latencies, bareLatencies] = await Promise.all([probe.stop(), bareProbe.stop()]);
        const memory = await registry.memory();
        const [, loopP99, loopMax] = (await registry.command('eld', 'ELD')).split(' ');
        const bareLoopP99 = await bare.loopDelayP99();
        const p99 = latencies[Math.floor(latencies.length * 0.99)]!;
        const bareP99 = bareLatencies[Math.floor(bareLatencies.length * 0.99)]!;
        console.log(
          `healthz during the load: ${latencies.length} probes, p50 ${latencies[Math.floor(latencies.length / 2)]?.toFixed(1)} ms, ` +
            `p99 ${p99.toFixed(1)} ms, max ${latencies[latencies.length - 1]?.toFixed(1)} ms; ` +
            `event-loop delay p99 ${loopP99} ms, max ${loopMax} ms; ` +
            `an idle process beside it: event-loop delay p99 ${bareLoopP99} ms, /healthz p99 ${bareP99.toFixed(1)} ms; ` +
            `RSS ${baseline.rssMb.toFixed(0)} → ${memory.rssMb.toFixed(0)} MB, peak ${memory.peakMb.toFixed(0)} MB`,
        );
        expect(latencies.length).toBeGreaterThan(20);
        // The registry's own event loop is what keeps /healthz answering: its delay p99 stays within 50 ms of
        // what an idle process beside it sees in the same window (the machine's share; a busy CI runner
        // delays every process). The probe's p99 also counts the probing process's scheduling, so it gets a
        // looser guard (the finding was a 6 s stall).
        expect(Number(loopP99)).toBeLessThan(50 + bareLoopP99);
        expect(p99).toBeLessThan(250 + bareP99);
        // 8 MB of hostile input may cost the parsing thread some heap (a V8 isolate of its own: ~70–100 MB
        // measured under load), never the process's memory (the finding grew it without bound).
        expect(memory.peakMb - baseline.rssMb).toBeLessThan(150);
        // Still serving what it had.
        const list = (await (await fetch(`${registry.url}${API}/cards`)).json()) as { items: unknown[] };
        expect(list.items).toHaveLength(1);
      } finally {
        await Promise.all([registry.close(), bare.close()]);
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
