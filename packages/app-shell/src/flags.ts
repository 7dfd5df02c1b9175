import { ConfigError } from './configError.js';
import { formatDuration, parseBoolean, parseDuration, parseInteger, parseList } from './grammar.js';

export type FlagKind = 'string' | 'int' | 'duration' | 'bool' | 'list';

/** One command-line flag, the environment variable that also sets it, and its help. */
export interface FlagSpec {
  env: string;
  kind: FlagKind;
  help: string;
  /** The value when neither the flag nor the variable is set (in the flag's own grammar). */
  default?: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

interface RawValue {
  text: string | undefined;
  /** Where the value came from, for messages: `--flag`, `ENV_VAR` or `default of --flag`. */
  source: string;
}

/**
 * Reads flags (`--name=value`, `--name value`, bare `--bool`, `--no-bool`) and
 * the environment (a flag wins over its variable; an empty variable counts as
 * unset), then hands out typed values while collecting every problem, so that
 * one run reports them all: {@link FlagReader.finish} throws a {@link ConfigError}.
 */
export class FlagReader<S extends FlagSpecs> {
  readonly help: boolean;
  private readonly problems: string[] = [];
  private readonly rejected = new Set<string>();
  private readonly values = new Map<string, string>();

  constructor(
    private readonly specs: S,
    argv: readonly string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.help = this.readArgv(argv);
  }

  /** Where a flag's value came from, for messages. */
  source(flag: keyof S & string): string {
    return this.raw(flag).source;
  }

  /** The text of a flag, undefined when unset and without a default. */
  string(flag: keyof S & string): string | undefined {
    return this.raw(flag).text;
  }

  int(flag: keyof S & string, min: number, max: number): number {
    const { text, source } = this.raw(flag);
    const value = text === undefined ? undefined : parseInteger(text);
    if (value === undefined || value < min || value > max) {
      return this.reject(flag, `${source}: "${text}" must be an integer from ${min} to ${max}`, min);
    }
    return value;
  }

  /** Milliseconds between `minMs` and `maxMs`; `allowZero` also accepts 0 (= off / unlimited). */
  duration(flag: keyof S & string, minMs: number, maxMs: number, { allowZero = false } = {}): number {
    const { text, source } = this.raw(flag);
    const value = text === undefined ? undefined : parseDuration(text);
    if (value === undefined) {
      return this.reject(flag, `${source}: "${text}" is not a duration (e.g. 500ms, 30s, 2m, 1h)`, minMs);
    }
    if (value === 0 && allowZero) return 0;
    if (value < minMs || value > maxMs) {
      const range = `between ${formatDuration(minMs)} and ${formatDuration(maxMs)}${allowZero ? ' (or 0)' : ''}`;
      return this.reject(flag, `${source}: ${text} must be ${range}`, value);
    }
    return value;
  }

  bool(flag: keyof S & string): boolean {
    const { text, source } = this.raw(flag);
    const value = text === undefined ? undefined : parseBoolean(text);
    if (value === undefined) return this.reject(flag, `${source}: "${text}" must be true or false`, false);
    return value;
  }

  list(flag: keyof S & string): string[] {
    return parseList(this.raw(flag).text);
  }

  oneOf<T extends string>(flag: keyof S & string, allowed: readonly T[]): T {
    const { text, source } = this.raw(flag);
    if (text === undefined || !(allowed as readonly string[]).includes(text)) {
      const [fallback] = allowed;
      if (fallback === undefined) throw new Error(`--${flag}: oneOf needs at least one allowed value`);
      return this.reject(flag, `${source}: "${text}" must be one of ${allowed.join(', ')}`, fallback);
    }
    return text as T;
  }

  /** Records a problem found by the app's own check of a flag's value. */
  problem(flag: (keyof S & string) | undefined, message: string): void {
    if (flag !== undefined) this.rejected.add(flag);
    this.problems.push(flag === undefined ? message : `${this.source(flag)}: ${message}`);
  }

  /** True when a flag's value was rejected: cross-field checks skip it (its fallback is not the user's). */
  isRejected(flag: keyof S & string): boolean {
    return this.rejected.has(flag);
  }

  /** Throws a ConfigError listing every problem found, if any. */
  finish(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }

  private reject<T>(flag: string, message: string, fallback: T): T {
    this.problems.push(message);
    this.rejected.add(flag);
    return fallback;
  }

  private raw(flag: keyof S & string): RawValue {
    const spec = this.specs[flag];
    if (spec === undefined) throw new Error(`--${flag} is not a declared flag`);
    const fromFlag = this.values.get(flag);
    if (fromFlag !== undefined) return { text: fromFlag, source: `--${flag}` };
    const fromEnv = this.env[spec.env];
    if (fromEnv !== undefined && fromEnv !== '') return { text: fromEnv, source: spec.env };
    return { text: spec.default, source: `default of --${flag}` };
  }

  /** Fills `values` from argv; returns whether --help was asked for. */
  private readArgv(argv: readonly string[]): boolean {
    let help = false;
    const kindOf = (name: string): FlagKind | undefined => this.specs[name]?.kind;
    for (let i = 0; i < argv.length; i += 1) {
      const arg = argv[i]!;
      if (arg === '--help' || arg === '-h') {
        help = true;
        continue;
      }
      if (!arg.startsWith('--')) {
        this.problems.push(`unexpected argument "${arg}" (flags look like --name=value)`);
        continue;
      }
      const eq = arg.indexOf('=');
      let name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      let value = eq === -1 ? undefined : arg.slice(eq + 1);
      if (value === undefined && name.startsWith('no-') && kindOf(name.slice(3)) === 'bool') {
        name = name.slice(3);
        value = 'false';
      }
      const kind = kindOf(name);
      if (kind === undefined) {
        this.problems.push(`unknown flag --${name} (see --help)`);
        continue;
      }
      if (value === undefined) {
        const next = argv[i + 1];
        // A bare boolean means true; a word after it is its value (checked like any other value).
        if (kind === 'bool' && (next === undefined || next.startsWith('--'))) {
          value = 'true';
        } else if (next === undefined) {
          this.problems.push(`--${name} needs a value`);
          continue;
        } else {
          value = next;
          i += 1;
        }
      }
      this.values.set(name, value);
    }
    return help;
  }
}

/** Reads argv and the environment against `specs`. */
export function readFlags<S extends FlagSpecs>(
  specs: S,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): FlagReader<S> {
  return new FlagReader(specs, argv, env);
}

export interface HelpTextOptions {
  /** First line: what the program does. */
  summary: string;
  usage: string;
}

/** `--help` output: every flag with its help, default and variable. */
export function helpText(specs: FlagSpecs, options: HelpTextOptions): string {
  const width = Math.max(...Object.keys(specs).map((flag) => flag.length)) + 4;
  const lines = Object.entries(specs).map(([flag, spec]) => {
    const fallback = spec.default === undefined || spec.default === '' ? '' : ` (default ${spec.default})`;
    return `  ${`--${flag}`.padEnd(width)} ${spec.help}${fallback} [env ${spec.env}]`;
  });
  return [
    options.summary,
    '',
    `Usage: ${options.usage} [flags]`,
    '',
    'Flags (each also read from the environment variable shown; a flag wins):',
    ...lines,
    `  ${'--help'.padEnd(width)} show this help`,
    '',
  ].join('\n');
}
