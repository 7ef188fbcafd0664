import assert from 'node:assert/strict';
import { DirectoryError } from '../../src/core/errors';
import { createLogger, parseLogLevel, silentLogger } from '../../src/log/logger';
import type { LogLevel } from '../../src/log/logger';

const NOW = new Date('2025-03-01T09:00:00.000Z');

function capture(level: LogLevel = 'debug', base?: Record<string, unknown>) {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    sink: (line) => lines.push(line),
    now: () => NOW,
    ...(base === undefined ? {} : { base }),
  });
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, entries };
}

describe('createLogger', () => {
  it('writes one JSON line per entry with time, level, msg and the fields', () => {
    const { logger, lines, entries } = capture();
    logger.info('request created', { requestId: 'REQ-1', approvals: 0 });
    assert.equal(lines.length, 1);
    assert.ok(!lines[0]?.includes('\n'));
    assert.deepEqual(entries()[0], {
      time: '2025-03-01T09:00:00.000Z',
      level: 'info',
      msg: 'request created',
      requestId: 'REQ-1',
      approvals: 0,
    });
  });

  it('drops entries below the configured level', () => {
    const { logger, entries } = capture('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    assert.deepEqual(
      entries().map((e) => e['level']),
      ['warn', 'error'],
    );
  });

  it('adds base and child fields, with the call’s own fields winning', () => {
    const { logger, entries } = capture('debug', { service: 'revoke' });
    const child = logger.child({ requestId: 'REQ-1', step: 'a' });
    child.child({ step: 'b' }).info('step done', { attempt: 2 });
    logger.info('unrelated');
    assert.deepEqual(entries()[0], {
      time: NOW.toISOString(),
      level: 'info',
      msg: 'step done',
      service: 'revoke',
      requestId: 'REQ-1',
      step: 'b',
      attempt: 2,
    });
    assert.equal(entries()[1]?.['requestId'], undefined);
  });

  it('writes a field set again by a child or a call once, with the latest value', () => {
    const { logger, lines } = capture();
    logger.child({ step: 'a' }).child({ step: 'b' }).info('m', { step: 'c' });
    assert.equal(lines[0]?.match(/"step"/g)?.length, 1, lines[0]);
    assert.match(lines[0] ?? '', /"step":"c"/);
  });

  it('takes the message literally: no printf-style interpolation', () => {
    const { logger, entries } = capture();
    logger.info('user %s %j %o', { a: 1 });
    assert.equal(entries()[0]?.['msg'], 'user %s %j %o');
  });

  it('does not let a field overwrite the envelope', () => {
    const { logger, entries } = capture();
    logger.info('real', { level: 'error', msg: 'fake', time: 'then' });
    const entry = entries()[0];
    assert.equal(entry?.['level'], 'info');
    assert.equal(entry?.['msg'], 'real');
    assert.equal(entry?.['time'], NOW.toISOString());
    assert.equal(entry?.['field.msg'], 'fake');
  });

  it('writes to stdout by default', () => {
    const written: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      written.push(chunk);
      return true;
    }) as typeof process.stdout.write;
    try {
      createLogger({ level: 'info' }).info('hello');
    } finally {
      process.stdout.write = original;
    }
    assert.equal(written.length, 1);
    assert.ok(written[0]?.endsWith('\n'));
    assert.equal((JSON.parse(written[0] ?? '') as { msg: string }).msg, 'hello');
  });

  it('never throws: not for a failing sink, nor for odd values', () => {
    const logger = createLogger({
      level: 'debug',
      sink: () => {
        throw new Error('disk full');
      },
    });
    assert.doesNotThrow(() => logger.error('x', { n: 1n }));

    const { logger: ok, entries } = capture();
    const circular: Record<string, unknown> = { name: 'loop' };
    circular['self'] = circular;
    const hostile = {
      toJSON() {
        throw new Error('no');
      },
    };
    ok.info('odd', {
      circular,
      big: 12n,
      nan: Number.NaN,
      when: new Date('2025-01-01T00:00:00Z'),
      fn: () => 1,
      bytes: Buffer.from('secret bytes'),
      set: new Set([1, 2]),
      map: new Map([['a', 1]]),
      hostile,
      url: new URL('https://example.com/path'),
    });
    const entry = entries()[0];
    assert.deepEqual(entry?.['circular'], { name: 'loop', self: '[circular]' });
    assert.equal(entry?.['big'], '12');
    assert.equal(entry?.['nan'], 'NaN');
    assert.equal(entry?.['when'], '2025-01-01T00:00:00.000Z');
    assert.equal(entry?.['fn'], undefined);
    assert.equal(entry?.['bytes'], '[binary 12 bytes]');
    assert.deepEqual(entry?.['set'], [1, 2]);
    assert.deepEqual(entry?.['map'], { a: 1 });
    assert.equal(entry?.['hostile'], '[unserialisable]');
    assert.equal(entry?.['url'], 'https://example.com/path');
  });

  it('truncates very deep structures', () => {
    const { logger, lines } = capture();
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    logger.info('deep', { deep });
    assert.match(lines[0] ?? '', /\[truncated\]/);
  });
});

describe('error serialisation', () => {
  it('keeps name, message, code and the cause chain', () => {
    const { logger, entries } = capture('info');
    const root = Object.assign(new Error('connect ECONNRESET 10.0.0.4:636'), {
      code: 'ECONNRESET',
    });
    const error = new DirectoryError('transient', 'LDAP connection lost', {
      code: 'unavailable',
      requestId: 'ldap-42',
      cause: root,
    });
    logger.warn('step failed', { error });
    const logged = entries()[0]?.['error'] as Record<string, unknown>;
    assert.equal(logged['name'], 'DirectoryError');
    assert.equal(logged['message'], 'LDAP connection lost');
    assert.equal(logged['kind'], 'transient');
    assert.equal(logged['code'], 'unavailable');
    assert.equal(logged['requestId'], 'ldap-42');
    assert.deepEqual(logged['cause'], {
      name: 'Error',
      message: 'connect ECONNRESET 10.0.0.4:636',
      code: 'ECONNRESET',
    });
    assert.equal(logged['stack'], undefined, 'no stack below error level');
  });

  it('includes the stack for error-level entries and at debug level', () => {
    const errorOnly = capture('info');
    errorOnly.logger.error('unexpected', { error: new Error('boom') });
    assert.match(String((errorOnly.entries()[0]?.['error'] as { stack?: string }).stack), /boom/);

    const debug = capture('debug');
    debug.logger.warn('expected', { error: new Error('boom') });
    assert.ok((debug.entries()[0]?.['error'] as { stack?: string }).stack);
  });

  it('masks credentials inside error messages and causes', () => {
    const { logger, lines } = capture('debug');
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const cause = new Error(`request with Authorization: Bearer ${jwt} failed`);
    logger.error('graph call failed', { error: new Error('outer', { cause }) });
    assert.ok(!lines[0]?.includes(jwt));
    assert.ok(!lines[0]?.includes('eyJzdWIi'));
  });

  it('serialises errors thrown as non-Error values and AggregateErrors', () => {
    const { logger, entries } = capture();
    logger.warn('odd throw', {
      error: 'plain string',
      many: new AggregateError([new Error('a'), new Error('b')], 'two failed'),
    });
    const entry = entries()[0];
    assert.equal(entry?.['error'], 'plain string');
    const many = entry?.['many'] as { message: string; errors: { message: string }[] };
    assert.equal(many.message, 'two failed');
    assert.deepEqual(
      many.errors.map((e) => e.message),
      ['a', 'b'],
    );
  });
});

describe('parseLogLevel', () => {
  it('accepts the four levels in any case and falls back when unset', () => {
    assert.equal(parseLogLevel('DEBUG'), 'debug');
    assert.equal(parseLogLevel(' warn '), 'warn');
    assert.equal(parseLogLevel(undefined), 'info');
    assert.equal(parseLogLevel('', 'error'), 'error');
  });

  it('names the allowed levels when given something else', () => {
    assert.throws(() => parseLogLevel('verbose'), /debug, info, warn, error/);
  });
});

describe('silentLogger', () => {
  it('accepts everything and writes nothing', () => {
    silentLogger.child({ a: 1 }).error('x', { password: 'p' });
  });
});
