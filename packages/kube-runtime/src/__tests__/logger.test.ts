import { describe, expect, it } from 'vitest';
import { createLogger, type LoggerOptions } from '../logger.js';

const capture = (options: LoggerOptions) => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    ...options,
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { logger, lines };
};

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, message and fields', () => {
    const { logger, lines } = capture({ level: 'info', fields: { component: 'demo' } });
    logger.debug('hidden');
    logger.info('hello', { n: 1 });
    logger
      .child({ key: 'ns/a' })
      .warn('careful', { error: Object.assign(new Error('boom'), { code: 'E1' }) });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'hello', component: 'demo', n: 1 });
    expect(Date.parse(String(lines[0]?.time))).not.toBeNaN();
    expect(lines[1]).toMatchObject({
      level: 'warn',
      component: 'demo',
      key: 'ns/a',
      error: { name: 'Error', message: 'boom', code: 'E1' },
    });
  });

  it('answers isEnabled by level; silent logs nothing', () => {
    const { logger, lines } = capture({ level: 'warn' });
    expect([logger.isEnabled('info'), logger.isEnabled('warn'), logger.isEnabled('error')]).toEqual([
      false,
      true,
      true,
    ]);
    const silent = capture({ level: 'silent' });
    silent.logger.error('nothing');
    expect(silent.lines).toEqual([]);
    expect(silent.logger.isEnabled('error')).toBe(false);
    expect(lines).toEqual([]);
  });

  it('survives fields that cannot be serialized', () => {
    const { logger, lines } = capture({});
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    logger.info('cyclic', { loop });
    expect(lines).toEqual([expect.objectContaining({ msg: 'cyclic', note: 'fields not serializable' })]);
  });
});
