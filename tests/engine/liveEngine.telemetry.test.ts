import { createServer, type IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createAlerter } from '../../src/telemetry/createAlerter.ts';
import { createMetrics } from '../../src/telemetry/createMetrics.ts';
import { allSettled, liveRigs } from './engineHarness.ts';

const live = liveRigs();

/** A local HTTP receiver recording every JSON body posted to it. */
async function receiver() {
  const bodies: Record<string, unknown>[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(body) as Record<string, unknown>);
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true,"result":{}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  live.cleanup(() => server.close());
  return { base: `http://127.0.0.1:${(server.address() as { port: number }).port}`, bodies };
}

const value = (text: string, series: string) =>
  Number(
    text
      .split('\n')
      .find((l) => l.startsWith(`${series} `))
      ?.split(' ')[1] ?? 'NaN',
  );

describe('engine telemetry against the emulator', () => {
  it('moves the metrics as the engine works: requests, moves, positions, decisions', async () => {
    const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    const metrics = createMetrics({ defaultMetrics: false });
    const rig = await live.engine(em, { config: { symbols: ['BTCUSDT'] }, engine: { metrics } });
    await rig.until(() => allSettled(rig), 'stop rests');
    await rig.feedReady('BTCUSDT');
    const before = await metrics.text();
    expect(value(before, 'ratchet_exchange_requests_total{endpoint="placeStop",class="ok"}')).toBe(
      1,
    );
    expect(value(before, 'ratchet_stop_moves_total{mode="make_before_break"}') || 0).toBe(0);
    em.setPrice('BTCUSDT', '61000.0');
    await rig.until(
      () => allSettled(rig) && rig.engine.status()[0]?.restingStop === '60390',
      'moved',
    );
    await rig.until(() => rig.engine.status()[0]?.state === 'resting', 'settled');
    const after = await metrics.text();
    expect(value(after, 'ratchet_stop_moves_total{mode="make_before_break"}')).toBe(1);
    expect(value(after, 'ratchet_exchange_requests_total{endpoint="placeStop",class="ok"}')).toBe(
      2,
    );
    expect(value(after, 'ratchet_exchange_requests_total{endpoint="cancelStop",class="ok"}')).toBe(
      1,
    );
    expect(value(after, 'ratchet_decision_seconds_count')).toBeGreaterThan(0);
    expect(value(after, 'ratchet_order_ack_seconds_count')).toBe(3);
  }, 120_000);

  it('alerts a webhook and a Telegram-compatible receiver once each when the venue keeps failing', async () => {
    const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    const hook = await receiver();
    const telegram = await receiver();
    const alerter = createAlerter({
      webhook: { url: `${hook.base}/hook` },
      telegram: { botToken: '123:secret-bot-token', chatId: '42', apiBaseUrl: telegram.base },
    });
    live.cleanup(() => alerter.close(0));
    const raised: string[] = [];
    // Every placement fails: the position's calls keep failing and the circuit opens.
    em.injectFaults({ errorRate: { 'POST /fapi/v1/algoOrder': 1 } });
    const rig = await live.engine(em, {
      config: { symbols: ['BTCUSDT'] },
      engine: {
        onAlert: (message, key) => {
          raised.push(message);
          alerter.alert({ key, severity: 'critical', message });
        },
      },
    });
    await rig.until(() => raised.some((a) => a.startsWith('circuit opened')), 'circuit opens');
    await alerter.idle();
    const keys = (bodies: Record<string, unknown>[]) =>
      bodies.map((b) => String(b['key'] ?? b['text']));
    expect(keys(hook.bodies).filter((k) => k === 'circuit')).toHaveLength(1);
    expect(keys(hook.bodies).filter((k) => k.startsWith('placementFailing'))).toHaveLength(1);
    expect(
      telegram.bodies.filter((b) => String(b['text']).includes('circuit opened')),
    ).toHaveLength(1);
    expect(telegram.bodies.every((b) => b['chat_id'] === '42')).toBe(true);
  }, 120_000);
});
