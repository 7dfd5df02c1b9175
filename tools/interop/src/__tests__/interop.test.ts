import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DefaultAgentCardResolver } from '@a2a-js/sdk/client';
import { validateA2ACard } from '@agent-registry/a2a-translator';
import { officialA2ASchema, pythonVenv, repositoryRoot } from '@agent-registry/testing';
import {
  A2AClient as A2AClient03,
  DefaultAgentCardResolver as DefaultAgentCardResolver03,
} from 'a2a-sdk-03/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus, type CorpusCard } from '../corpus.js';
import { startRegistry, type RegistryProcess } from '../registryProcess.js';

const API = '/api/v1alpha1/registry';
const PYTHON_A2A_03 = 'a2a-sdk==0.3.26';
const PYTHON_A2A_1 = 'a2a-sdk==1.3.0';
const PYTHON_MCP = 'mcp==2.3.0';
const pythonDir = join(import.meta.dirname, '../../python');

/** What every client must read back from a card's document: its name and the agent's primary URL. */
interface Reference {
  name: string;
  endpoint: string;
  /** The names of its security schemes, sorted: in the 1.0 document, and in the 0.3.0 one. */
  schemes: string[];
  schemes03: string[];
}

/** One client's reading of one document. */
interface Reading {
  url: string;
  ok: boolean;
  name?: string;
  endpoint?: string;
  schemes?: string[];
  /** Python clients: each OAuth scheme's flows as the SDK read them. */
  oauthFlows?: Record<string, string[]>;
  error?: string;
}

const schemeNames = (schemes: unknown): string[] =>
  schemes && typeof schemes === 'object' ? Object.keys(schemes).sort() : [];

const schema = officialA2ASchema();

async function packageVersion(name: string): Promise<string> {
  const text = await readFile(join(repositoryRoot, 'node_modules', name, 'package.json'), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/** Runs `python script` with `input` as JSON on stdin; its stdout is JSON. */
function runPython<T>(python: string, script: string, input: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [join(pythonDir, script)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited with ${code}: ${stderr.slice(-4000)}`));
      try {
        resolve(JSON.parse(stdout) as T);
      } catch {
        reject(new Error(`${script} printed no JSON: ${stdout.slice(0, 2000)} ${stderr.slice(-2000)}`));
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}

describe('outside A2A and MCP clients, as shipped, read every card the registry serves', () => {
  let workDir: string;
  let registry: RegistryProcess;
  let cards: CorpusCard[];
  /** Each card's two document URLs (well-known and `/a2a`), as a client is handed them. */
  let documents: { card: CorpusCard; url: string }[];
  const references = new Map<string, Reference>();
  const expectedCorpus = corpus();
  const venvs = {
    a2a03: pythonVenv('a2a-sdk-0.3', [PYTHON_A2A_03]),
    a2a1: pythonVenv('a2a-sdk-1.3', [PYTHON_A2A_1]),
    mcp: pythonVenv('mcp-2.3', [PYTHON_MCP]),
  };
  // Not awaited until used: a failed build fails the tests of that client only.
  for (const venv of Object.values(venvs)) venv.catch(() => {});

  const keyOf = (card: CorpusCard) => `${card.namespace}/${card.name}`;
  const referenceOf = (url: string): Reference => {
    const found = documents.find((document) => document.url === url);
    const reference = found && references.get(keyOf(found.card));
    if (!reference) throw new Error(`no reference for ${url}`);
    return reference;
  };

  /** Prints the tally and names every document a client could not read, or read differently. */
  function report(client: string, readings: Reading[], what = 'resolved'): void {
    const wrong = readings.filter((reading) => {
      if (!reading.ok) return true;
      const reference = referenceOf(reading.url.replace(/[?&]A2A-Version=[^&]*/, ''));
      // 0.3 cannot state some 1.0 schemes (a device-code flow): the 0.3.0 document leaves them out.
      const schemes = reading.url.includes('A2A-Version=0.3') ? reference.schemes03 : reference.schemes;
      return (
        reading.name !== reference.name ||
        reading.endpoint !== reference.endpoint ||
        JSON.stringify(reading.schemes) !== JSON.stringify(schemes)
      );
    });
    console.log(`interop: ${client} ${what} ${readings.length - wrong.length}/${readings.length}`);
    expect(readings).toHaveLength(documents.length);
    expect(wrong).toEqual([]);
  }

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'interop-'));
    const manifests = join(workDir, 'manifests');
    await cp(join(repositoryRoot, 'examples'), join(manifests, 'examples'), { recursive: true });
    for (const [path, text] of Object.entries(expectedCorpus.files)) {
      await mkdir(dirname(join(manifests, path)), { recursive: true });
      await writeFile(join(manifests, path), text);
    }
    registry = await startRegistry(manifests);
    const list = (await (await fetch(`${registry.url}${API}/cards?limit=1000`)).json()) as {
      items: { metadata: { namespace: string; name: string } }[];
    };
    cards = list.items.map(({ metadata }) => ({ namespace: metadata.namespace, name: metadata.name }));
    documents = cards.flatMap((card) => [
      { card, url: `${registry.url}/agents/${card.namespace}/${card.name}/.well-known/agent-card.json` },
      { card, url: `${registry.url}${API}/cards/${card.namespace}/${card.name}/a2a` },
    ]);
    for (const card of cards) {
      const response = await fetch(`${registry.url}${API}/cards/${card.namespace}/${card.name}/a2a`, {
        headers: { 'a2a-version': '1.0' },
      });
      const document = (await response.json()) as {
        name: string;
        supportedInterfaces: { url: string }[];
        securitySchemes?: object;
      };
      const legacy = (await (
        await fetch(`${registry.url}${API}/cards/${card.namespace}/${card.name}/a2a`, {
          headers: { 'a2a-version': '0.3' },
        })
      ).json()) as { securitySchemes?: object };
      references.set(keyOf(card), {
        name: document.name,
        endpoint: document.supportedInterfaces[0]?.url ?? '',
        schemes: schemeNames(document.securitySchemes),
        schemes03: schemeNames(legacy.securitySchemes),
      });
    }
  });

  afterAll(async () => {
    await registry?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('serves the corpus (at least 40 varied cards) beside examples/', () => {
    expect(expectedCorpus.cards.length).toBeGreaterThanOrEqual(40);
    expect(cards).toEqual(expect.arrayContaining(expectedCorpus.cards));
    const fromExamples = cards.filter((card) => !expectedCorpus.cards.some((c) => keyOf(c) === keyOf(card)));
    expect(fromExamples.length).toBeGreaterThanOrEqual(5);
    console.log(
      `interop: ${cards.length} cards (${expectedCorpus.cards.length} of the corpus, ${fromExamples.length} of examples/), ${documents.length} documents`,
    );
  });

  /** Each card's documents in the three forms: exactly 1.0, exactly 0.3, and the card for both generations. */
  async function everyForm(
    check: (document: unknown, form: { version: '1.0' | '0.3.0'; asked: string }) => unknown[],
  ): Promise<unknown[]> {
    const problems: unknown[] = [];
    for (const card of cards) {
      const a2a = `${registry.url}${API}/cards/${card.namespace}/${card.name}/a2a`;
      for (const [version, asked] of [
        ['1.0', '1.0'],
        ['0.3.0', '0.3'],
        ['0.3.0', 'none'],
      ] as const) {
        const response = await fetch(a2a, { headers: asked === 'none' ? {} : { 'a2a-version': asked } });
        const found = check(await response.json(), { version, asked });
        if (found.length > 0) problems.push({ card: keyOf(card), asked, problems: found });
      }
    }
    return problems;
  }

  it('serves each version exactly as asked, each valid, and the card for both generations valid as 0.3', async () => {
    const problems = await everyForm((document, { version }) => validateA2ACard(document, version).issues);
    expect(problems).toEqual([]);
  });

  it.skipIf(!schema.available)('serves 0.3 forms valid against the official A2A schema', async () => {
    const problems = await everyForm((document, { version }) =>
      version !== '0.3.0' ? [] : schema.available ? schema.agentCardErrors(document) : [schema.reason],
    );
    expect(problems).toEqual([]);
  });

  it('@a2a-js/sdk 0.3.x resolves every card (DefaultAgentCardResolver and A2AClient.fromCardUrl)', async () => {
    const version = await packageVersion('a2a-sdk-03');
    expect(version).toMatch(/^0\.3\./);
    const resolver = new DefaultAgentCardResolver03();
    const readings: Reading[] = [];
    const clients: Reading[] = [];
    for (const { url } of documents) {
      try {
        const card = await resolver.resolve(url, '');
        readings.push({
          url,
          ok: true,
          name: card.name,
          endpoint: card.url,
          schemes: schemeNames(card.securitySchemes),
        });
      } catch (error) {
        readings.push({ url, ok: false, error: String(error) });
      }
      try {
        const client = await A2AClient03.fromCardUrl(url);
        const card = await client.getAgentCard();
        clients.push({
          url,
          ok: true,
          name: card.name,
          endpoint: card.url,
          schemes: schemeNames(card.securitySchemes),
        });
      } catch (error) {
        clients.push({ url, ok: false, error: String(error) });
      }
    }
    report(`@a2a-js/sdk ${version} DefaultAgentCardResolver`, readings);
    report(`@a2a-js/sdk ${version} A2AClient.fromCardUrl`, clients);
  });

  it('@a2a-js/sdk 1.x resolves every card (DefaultAgentCardResolver)', async () => {
    const version = await packageVersion('@a2a-js/sdk');
    expect(version).toMatch(/^1\./);
    const resolver = new DefaultAgentCardResolver();
    const readings: Reading[] = [];
    for (const { url } of documents) {
      try {
        const card = await resolver.resolve(url, '');
        readings.push({
          url,
          ok: true,
          name: card.name,
          endpoint: card.supportedInterfaces[0]?.url ?? '',
          schemes: schemeNames(card.securitySchemes),
        });
      } catch (error) {
        readings.push({ url, ok: false, error: String(error) });
      }
    }
    report(`@a2a-js/sdk ${version} DefaultAgentCardResolver`, readings);
  });

  for (const [label, requirement, key, asked] of [
    ['0.3', PYTHON_A2A_03, 'a2a03', '0.3'],
    ['1.x', PYTHON_A2A_1, 'a2a1', '1.0'],
  ] as const) {
    it(`Python ${requirement} resolves every card (A2ACardResolver) and parses the ${asked} documents`, async () => {
      const python = await venvs[key];
      const urls = documents.map((document) => document.url);
      const result = await runPython<{ sdk: string; resolve: Reading[]; parse: Reading[] }>(
        python,
        'a2a_cards.py',
        { resolve: urls, parse: urls.map((url) => `${url}?A2A-Version=${asked}`) },
      );
      expect(result.sdk).toBe(requirement.split('==')[1]);
      report(`Python a2a-sdk ${result.sdk} (${label}) A2ACardResolver`, result.resolve);
      report(
        `Python a2a-sdk ${result.sdk} (${label}) card parser on A2A-Version: ${asked}`,
        result.parse,
        'parsed',
      );
    });
  }

  it(`Python ${PYTHON_MCP} reads every card with get_agent_card over Streamable HTTP`, async () => {
    const python = await venvs.mcp;
    const result = await runPython<{
      sdk: string;
      readings: (Reading & { namespace: string; card_name: string })[];
    }>(python, 'mcp_cards.py', {
      url: `${registry.url}/mcp`,
      cards,
    });
    expect(result.sdk).toBe(PYTHON_MCP.split('==')[1]);
    const wrong = result.readings.filter((reading) => {
      const reference = references.get(`${reading.namespace}/${reading.card_name}`);
      return !reading.ok || reading.name !== reference?.name;
    });
    console.log(
      `interop: Python mcp ${result.sdk} get_agent_card ${result.readings.length - wrong.length}/${cards.length}`,
    );
    expect(result.readings).toHaveLength(cards.length);
    expect(wrong).toEqual([]);
  });
});
