import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { A2A_VERSIONS, type A2AVersion } from '@agent-registry/crds';
import { isSignatureAlgorithm } from './algorithms.js';
import { loadSigningKeys } from './loadSigningKeys.js';
import { loadVerificationKeys } from './loadVerificationKeys.js';
import { signA2ACard } from './signA2ACard.js';
import { verifyA2ACard } from './verifyA2ACard.js';

/** Exit codes, for scripts. */
export const EXIT = {
  /** sign: the card was signed. verify: at least one signature (every one with --all) verified. */
  ok: 0,
  /** verify: no signature verified (or, with --all, one did not). */
  notVerified: 1,
  /** Bad arguments. */
  usage: 2,
  /** A file, key or card could not be used. */
  error: 3,
  /** verify: the card carries no signature. */
  unsigned: 4,
} as const;

const usage = (program: string) => `Usage:
  ${program} sign --key <file|dir> [--key ...] [--kid <id>] [--jku <url>] [--a2a-version <0.3.0|1.0>] [-o out.json] <card.json|->
  ${program} verify --jwks <file|dir> [--jwks ...] [--all] [--a2a-version <0.3.0|1.0>] <card.json|->

sign    Append a JWS signature per key (A2A §8.4) and print the signed card.
        Keys: PEM private keys, private JWKs or JWK Sets; a directory means every file in it.
verify  Check the card's signatures against trusted public keys (JWK Set, JWK or PEM).

Exit codes: 0 signed / verified, 1 not verified, 2 usage, 3 unusable input, 4 unsigned card.
`;

class UsageError extends Error {}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: () => Promise<string>;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

async function readCard(source: string, io: CliIo): Promise<unknown> {
  let text: string;
  try {
    text = source === '-' ? await io.stdin() : await readFile(source, 'utf8');
  } catch (error) {
    throw new Error(`${source}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // JSON.parse's message quotes the input, which may be anything: say only what is wrong.
    throw new Error(`${source}: not valid JSON`);
  }
}

async function run(argv: readonly string[], program: string, io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        key: { type: 'string', multiple: true },
        jwks: { type: 'string', multiple: true },
        kid: { type: 'string' },
        jku: { type: 'string' },
        alg: { type: 'string' },
        all: { type: 'boolean' },
        output: { type: 'string', short: 'o' },
        'a2a-version': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(usage(program));
    return EXIT.ok;
  }
  const [command, source, ...extra] = positionals;
  if (!command) throw new UsageError('missing command (sign or verify)');
  if (!source) throw new UsageError(`${command}: missing card (a file, or - for stdin)`);
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const version = values['a2a-version'];
  if (version !== undefined && !(A2A_VERSIONS as readonly string[]).includes(version))
    throw new UsageError(`--a2a-version must be one of ${A2A_VERSIONS.join(', ')}`);
  const a2aVersion = version as A2AVersion | undefined;

  if (command === 'sign') {
    if (!values.key?.length) throw new UsageError('sign: --key is required');
    if (values.jwks) throw new UsageError('sign: --jwks belongs to verify');
    if (values.alg !== undefined && !isSignatureAlgorithm(values.alg))
      throw new UsageError(`--alg ${JSON.stringify(values.alg)} is not an allowed signature algorithm`);
    if (values.jku !== undefined && !/^https:\/\//i.test(values.jku))
      throw new UsageError('--jku must be an https:// URL');
    const keys = await loadSigningKeys(values.key);
    if (values.kid !== undefined && keys.length > 1)
      throw new UsageError('--kid names one key: several keys were given (set "kid" in each JWK instead)');
    const card = await readCard(source, io);
    const signed = await signA2ACard(card as object, values.kid === undefined ? keys : keys[0]!, {
      kid: values.kid,
      jku: values.jku,
      alg: values.alg as never,
      a2aVersion,
    });
    const text = `${JSON.stringify(signed, null, 2)}\n`;
    if (values.output) await writeFile(values.output, text);
    else io.stdout(text);
    const kids = signed.signatures.slice(-keys.length).map((entry) => {
      const header = JSON.parse(Buffer.from(entry.protected, 'base64url').toString('utf8')) as {
        kid: string;
      };
      return header.kid;
    });
    io.stderr(`${source}: signed with ${kids.map((kid) => JSON.stringify(kid)).join(', ')}\n`);
    return EXIT.ok;
  }

  if (command === 'verify') {
    if (!values.jwks?.length) throw new UsageError('verify: --jwks is required');
    if (values.key || values.kid || values.jku || values.output)
      throw new UsageError('verify takes --jwks, --all and --a2a-version only');
    const keys = await loadVerificationKeys(values.jwks);
    const card = await readCard(source, io);
    const result = await verifyA2ACard(card, keys, { a2aVersion });
    if (result.problem) {
      io.stderr(`${source}: ${result.problem}\n`);
      return EXIT.error;
    }
    if (!result.signed) {
      io.stderr(`${source}: the card has no signatures\n`);
      return EXIT.unsigned;
    }
    for (const check of result.checks) {
      if (check.verified)
        io.stdout(
          `${source}: signatures[${check.index}]: verified (kid ${JSON.stringify(check.kid)}, ${check.alg})\n`,
        );
      else io.stderr(`${source}: ${check.message} [${check.reason}]\n`);
    }
    const passed = values.all ? result.checks.every((check) => check.verified) : result.verified;
    return passed ? EXIT.ok : EXIT.notVerified;
  }

  throw new UsageError(`unknown command ${JSON.stringify(command)}`);
}

/**
 * The `sign` / `verify` command line, as a function returning its exit code (it never throws and
 * never calls `process.exit`): the `a2a-card-sign` bin runs it, and so can another CLI that
 * offers the same commands (`a2a-card sign` does).
 */
export async function runSigningCli(
  argv: readonly string[],
  { program = 'a2a-card-sign', io = processIo }: { program?: string; io?: CliIo } = {},
): Promise<number> {
  try {
    return await run(argv, program, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${program}: ${error.message}\n\n${usage(program)}`);
      return EXIT.usage;
    }
    io.stderr(`${program}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.error;
  }
}
