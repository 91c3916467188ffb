import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/telemetry/logger.ts';

function sink(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes one JSON line per entry naming the component, with error details', () => {
    const out = sink();
    const log = createLogger('streams', { destination: out.stream });
    log.error({ err: new Error('socket closed'), symbol: 'BTC/USDT:USDT' }, 'position feed failed');
    const [line] = out.lines();
    expect(line).toMatchObject({
      level: 50,
      component: 'streams',
      symbol: 'BTC/USDT:USDT',
      msg: 'position feed failed',
    });
    expect((line?.err as { message: string }).message).toBe('socket closed');
  });

  it('drops entries below its level', () => {
    const out = sink();
    const log = createLogger('store', { destination: out.stream, level: 'warn' });
    log.info('not shown');
    log.warn('shown');
    expect(out.lines().map((l) => l.msg)).toEqual(['shown']);
  });
});
