import { describe, expect, it } from 'vitest';
import { ConfigError } from '../configError.js';
import { helpText, readFlags, type FlagSpecs } from '../flags.js';

const FLAGS = {
  port: { env: 'PORT', kind: 'int', help: 'listen port', default: '8080' },
  timeout: { env: 'TIMEOUT', kind: 'duration', help: 'time budget', default: '10s' },
  verbose: { env: 'VERBOSE', kind: 'bool', help: 'more logs', default: 'false' },
  names: { env: 'NAMES', kind: 'list', help: 'names', default: '' },
  mode: { env: 'MODE', kind: 'string', help: 'a or b', default: 'a' },
} as const satisfies FlagSpecs;

const problemsOf = (run: () => void): readonly string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('readFlags', () => {
  it('takes a flag over its variable over the default, and treats an empty variable as unset', () => {
    const flags = readFlags(FLAGS, ['--port=9000', '--timeout', '2m'], {
      PORT: '1',
      NAMES: 'x, y',
      MODE: '',
    });
    expect(flags.int('port', 0, 65535)).toBe(9000);
    expect(flags.duration('timeout', 1, 3_600_000)).toBe(120_000);
    expect(flags.list('names')).toEqual(['x', 'y']);
    expect(flags.oneOf('mode', ['a', 'b'])).toBe('a');
    expect(flags.source('names')).toBe('NAMES');
    expect(flags.source('mode')).toBe('default of --mode');
    expect(flags.help).toBe(false);
    flags.finish();
  });

  it('reads bare, negated and valued booleans', () => {
    expect(readFlags(FLAGS, ['--verbose'], { VERBOSE: 'false' }).bool('verbose')).toBe(true);
    expect(readFlags(FLAGS, ['--no-verbose'], { VERBOSE: 'on' }).bool('verbose')).toBe(false);
    expect(readFlags(FLAGS, ['--verbose', 'off'], {}).bool('verbose')).toBe(false);
    expect(readFlags(FLAGS, ['--verbose', '--port=1'], {}).bool('verbose')).toBe(true);
    const maybe = readFlags(FLAGS, ['--verbose', 'maybe'], {});
    maybe.bool('verbose');
    expect(problemsOf(() => maybe.finish())).toEqual(['--verbose: "maybe" must be true or false']);
  });

  it('accepts 0 for a duration only when allowed', () => {
    expect(readFlags(FLAGS, ['--timeout=0'], {}).duration('timeout', 1, 60_000, { allowZero: true })).toBe(0);
    const flags = readFlags(FLAGS, ['--timeout=0'], {});
    flags.duration('timeout', 1, 60_000);
    expect(problemsOf(() => flags.finish())).toEqual(['--timeout: 0 must be between 1ms and 1m']);
  });

  it('reports every problem at once, naming where each value came from', () => {
    const flags = readFlags(FLAGS, ['--bogus', 'stray', '--mode'], {
      PORT: '70000',
      TIMEOUT: 'soon',
      VERBOSE: 'maybe',
    });
    flags.int('port', 0, 65535);
    flags.duration('timeout', 1, 60_000);
    flags.bool('verbose');
    flags.problem('names', 'is odd');
    expect(problemsOf(() => flags.finish())).toEqual([
      'unknown flag --bogus (see --help)',
      'unexpected argument "stray" (flags look like --name=value)',
      '--mode needs a value',
      'PORT: "70000" must be an integer from 0 to 65535',
      'TIMEOUT: "soon" is not a duration (e.g. 500ms, 30s, 2m, 1h)',
      'VERBOSE: "maybe" must be true or false',
      'default of --names: is odd',
    ]);
    expect(flags.isRejected('port')).toBe(true);
    expect(flags.isRejected('mode')).toBe(false);
  });

  it('recognises --help and documents every flag with its default and variable', () => {
    expect(readFlags(FLAGS, ['--help'], {}).help).toBe(true);
    expect(readFlags(FLAGS, ['-h'], {}).help).toBe(true);
    const text = helpText(FLAGS, { summary: 'demo: does things.', usage: 'demo' });
    expect(text).toContain('Usage: demo [flags]');
    expect(text).toMatch(/--port\s+listen port \(default 8080\) \[env PORT\]/);
    expect(text).toMatch(/--names\s+names \[env NAMES\]/);
  });
});

describe('ConfigError', () => {
  it('says one problem on one line and lists several', () => {
    expect(new ConfigError('--x: bad').message).toBe('invalid configuration: --x: bad');
    expect(new ConfigError(['a', 'b']).message).toBe('invalid configuration:\n  - a\n  - b');
    expect(new ConfigError(['a', 'b']).problems).toEqual(['a', 'b']);
  });
});
