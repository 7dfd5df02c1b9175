#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  AGENT_CARD_API_VERSION,
  AGENT_CARD_KIND,
  parseA2AVersion,
  parseResource,
  type A2AVersion,
} from '@agent-registry/crds';
import { parseAllDocuments, stringify } from 'yaml';
import { fromA2ACard } from './fromA2ACard.js';
import { toA2ACard } from './toA2ACard.js';
import { validateA2ACard } from './validate.js';

const USAGE = `Usage: a2a-card <command> [options]

Commands:
  translate <file.yaml|->   Print the A2A card of each AgentCard resource in a (multi-document) YAML file
  validate <file.json|->    Check an A2A card; exits 1 when it is invalid
  import <url|file|->       Fetch or read an A2A card and print an AgentCard manifest (YAML)
  sign, verify              Sign a card / check its signatures (A2A §8.4): see \`a2a-card sign --help\`;
                            needs @agent-registry/card-signing installed

Options:
  --a2a-version <0.3|1.0>   Card version (translate: overrides spec.a2aVersion; validate: skips detection)
  --base-url <url>          translate: primary URL instead of spec.endpoints[0]
  -h, --help                Show this help
`;

class UsageError extends Error {}

async function readInput(source: string): Promise<string> {
  if (source === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(source, 'utf8');
  } catch (error) {
    throw new Error(`${source}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

function parseJsonInput(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${source}: not JSON (${(error as Error).message})`);
  }
}

const say = (line: string) => process.stderr.write(`${line}\n`);

function translate(
  text: string,
  source: string,
  version: A2AVersion | undefined,
  baseUrl: string | undefined,
): number {
  const cards: unknown[] = [];
  let failed = false;
  parseAllDocuments(text).forEach((document, index) => {
    const where = `${source} (document ${index})`;
    if ('errors' in document && document.errors.length > 0) {
      for (const error of document.errors) say(`${where}: invalid YAML: ${error.message}`);
      failed = true;
      return;
    }
    const value = document.toJS() as unknown;
    if (value === null || value === undefined) return;
    const parsed = parseResource(value);
    if (!parsed.ok) {
      for (const issue of parsed.issues) say(`${where}: ${issue.path}: ${issue.message}`);
      failed = true;
      return;
    }
    if (parsed.value.type !== 'AgentCard') {
      say(`${where}: skipped ${parsed.value.type}: the card generator turns agents into AgentCards`);
      return;
    }
    const result = toA2ACard(parsed.value.resource, { a2aVersion: version, baseUrl });
    for (const warning of result.warnings) say(`${where}: warning: ${warning.path}: ${warning.message}`);
    if (!result.ok) {
      for (const issue of result.issues) say(`${where}: ${issue.path}: ${issue.message}`);
      failed = true;
      return;
    }
    cards.push(result.card);
  });
  if (cards.length > 0)
    process.stdout.write(`${JSON.stringify(cards.length === 1 ? cards[0] : cards, null, 2)}\n`);
  return failed ? 1 : 0;
}

function validate(text: string, source: string, version: A2AVersion | undefined): number {
  const result = validateA2ACard(parseJsonInput(text, source), version);
  if (result.ok) {
    process.stdout.write(`${source}: valid A2A ${result.version} agent card\n`);
    return 0;
  }
  for (const issue of result.issues) say(`${source}: ${issue.path}: ${issue.message}`);
  say(`${source}: invalid A2A ${result.version} agent card (${result.issues.length} issue(s))`);
  return 1;
}

async function fetchCard(url: string): Promise<string> {
  const target = new URL(url);
  if (target.pathname === '/' || target.pathname === '') target.pathname = '/.well-known/agent-card.json';
  let response: Response;
  try {
    response = await fetch(target, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new Error(`${target.href}: fetch failed (${(error as Error).message})`);
  }
  if (!response.ok) throw new Error(`${target.href}: HTTP ${response.status}`);
  return response.text();
}

async function importCard(source: string): Promise<number> {
  const isUrl = /^https?:\/\//i.test(source);
  const text = isUrl ? await fetchCard(source) : await readInput(source);
  const result = fromA2ACard(parseJsonInput(text, source));
  if (!result.ok) {
    for (const issue of result.issues) say(`${source}: ${issue.path}: ${issue.message}`);
    return 1;
  }
  for (const warning of result.warnings) say(`${source}: warning: ${warning.path}: ${warning.message}`);
  const manifest = {
    apiVersion: AGENT_CARD_API_VERSION,
    kind: AGENT_CARD_KIND,
    metadata: { name: result.name },
    spec: result.spec,
  };
  process.stdout.write(stringify(manifest));
  return 0;
}

/**
 * `sign` and `verify` live in @agent-registry/card-signing, which depends on this package: they are
 * loaded only when asked for (the specifier is a variable so no build tool pulls the package in).
 */
const CARD_SIGNING_CLI = '@agent-registry/card-signing/cli';

async function signingCommand(argv: string[]): Promise<number> {
  let cli: { runSigningCli: (argv: readonly string[], options: { program: string }) => Promise<number> };
  try {
    cli = (await import(CARD_SIGNING_CLI)) as typeof cli;
  } catch (error) {
    const missing =
      (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' &&
      String((error as Error).message).includes('@agent-registry/card-signing');
    if (!missing) throw error;
    say(`a2a-card ${argv[0]}: needs @agent-registry/card-signing (npm install @agent-registry/card-signing)`);
    return 1;
  }
  return cli.runSigningCli(argv, { program: 'a2a-card' });
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'sign' || argv[0] === 'verify') return signingCommand(argv);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'a2a-version': { type: 'string' },
        'base-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [command, source, ...extra] = positionals;
  const requested = values['a2a-version'];
  const parsedVersion = requested === undefined ? undefined : parseA2AVersion(requested);
  if (parsedVersion && !parsedVersion.ok) throw new UsageError(`--a2a-version ${parsedVersion.reason}`);
  if (!command) throw new UsageError('missing command');
  if (!source) throw new UsageError(`${command}: missing input (a file, a URL for import, or - for stdin)`);
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const a2aVersion = parsedVersion?.ok ? parsedVersion.version : undefined;
  switch (command) {
    case 'translate':
      return translate(await readInput(source), source, a2aVersion, values['base-url']);
    case 'validate':
      return validate(await readInput(source), source, a2aVersion);
    case 'import':
      return importCard(source);
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      say(`a2a-card: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      say(`a2a-card: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  },
);
