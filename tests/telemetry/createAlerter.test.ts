import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertChannel } from '../../src/telemetry/alertChannels.ts';
import type { OutgoingAlert } from '../../src/telemetry/alertThrottle.ts';
import { createAlerter } from '../../src/telemetry/createAlerter.ts';
import { ManualTimers } from './manualTimers.ts';

interface Received {
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly status: number;
}

/** A local receiver answering each request with the next status of `statuses` (then 200). */
async function receiver(
  statuses: readonly number[],
  answer: (status: number) => string = () => '{}',
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = statuses[n] ?? 200;
      n += 1;
      received.push({
        path: req.url ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>,
        status,
      });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(answer(status));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

const BOT_TOKEN = '987654321:AAF-the-bot-token-secret';
const telegramAnswer = (status: number) =>
  status === 200 ? '{"ok":true,"result":{}}' : '{"ok":false,"description":"Bad Gateway"}';

/** A channel that records what it is given and answers only once released. */
function heldChannel(): AlertChannel & { got: OutgoingAlert[]; release: () => void } {
  const got: OutgoingAlert[] = [];
  let released = false;
  const waiting: (() => void)[] = [];
  return {
    name: 'held',
    got,
    send: (alert) => {
      got.push(alert);
      return released ? Promise.resolve() : new Promise<void>((done) => waiting.push(done));
    },
    release: () => {
      released = true;
      for (const done of waiting.splice(0)) done();
    },
  };
}

function capture(): AlertChannel & { got: OutgoingAlert[] } {
  const got: OutgoingAlert[] = [];
  return { name: 'capture', got, send: (a) => (got.push(a), Promise.resolve()) };
}

describe('createAlerter over HTTP', () => {
  it('retries a webhook and a Telegram receiver that fail, delivering each alert once', async () => {
    const hook = await receiver([503, 500]);
    const tg = await receiver([502], telegramAnswer);
    const warnings: string[] = [];
    const alerter = createAlerter({
      webhook: { url: `${hook.url}/alerts` },
      telegram: { botToken: BOT_TOKEN, chatId: '-100123', apiBaseUrl: tg.url },
      backoff: { initialMs: 1, maxMs: 4 },
      logger: { warn: (o, m) => warnings.push(JSON.stringify(o) + m) },
      clock: () => 1_700_000_000_000,
    });
    alerter.alert({ key: 'circuit:binanceusdm', severity: 'critical', message: 'circuit opened' });
    await alerter.idle();

    expect(hook.received.map((r) => r.status)).toEqual([503, 500, 200]);
    expect(hook.received.at(-1)).toEqual({
      path: '/alerts',
      status: 200,
      body: {
        key: 'circuit:binanceusdm',
        severity: 'critical',
        message: 'circuit opened',
        ts: 1_700_000_000_000,
      },
    });
    expect(tg.received.map((r) => r.status)).toEqual([502, 200]);
    expect(tg.received.at(-1)?.path).toBe(`/bot${BOT_TOKEN}/sendMessage`);
    expect(tg.received.at(-1)?.body).toEqual({
      chat_id: '-100123',
      text: '🚨 critical: circuit opened',
    });
    expect(alerter.stats()).toMatchObject({ delivered: 2, failed: 0, dropped: 0, queued: 0 });
    expect(warnings).toEqual([]);
  });

  it('gives up after its attempts and logs the channel, never its token or URL', async () => {
    const tg = await receiver([500, 500, 500, 500], telegramAnswer);
    const warnings: string[] = [];
    const alerter = createAlerter({
      telegram: { botToken: BOT_TOKEN, chatId: '42', apiBaseUrl: tg.url },
      maxAttempts: 3,
      backoff: { initialMs: 1, maxMs: 1 },
      logger: { warn: (o, m) => warnings.push(`${JSON.stringify(o)} ${m}`) },
    });
    alerter.alert({ key: 'k', severity: 'warning', message: `token ${BOT_TOKEN} leaked?` });
    await alerter.idle();
    expect(tg.received).toHaveLength(3);
    expect(alerter.stats()).toMatchObject({ delivered: 0, failed: 1 });
    expect(warnings).toEqual([
      '{"channel":"telegram","attempts":3,"err":"telegram: answered HTTP 500"} alert not delivered',
    ]);
    // A message quoting the token is scrubbed before it leaves.
    expect(JSON.stringify(tg.received.map((r) => r.body))).not.toContain('the-bot-token-secret');
  });

  it('does not retry a refusal that retrying cannot fix', async () => {
    const hook = await receiver([400]);
    const alerter = createAlerter({
      webhook: { url: hook.url },
      backoff: { initialMs: 1, maxMs: 1 },
    });
    alerter.alert({ key: 'k', severity: 'info', message: 'engine started' });
    await alerter.idle();
    expect(hook.received).toHaveLength(1);
    expect(alerter.stats()).toMatchObject({ delivered: 0, failed: 1 });
  });

  it('cuts a message to Telegram’s 4096 characters rather than have it refused', async () => {
    const tg = await receiver([], telegramAnswer);
    const alerter = createAlerter({
      telegram: { botToken: BOT_TOKEN, chatId: '1', apiBaseUrl: tg.url },
    });
    alerter.alert({ key: 'k', severity: 'warning', message: 'x'.repeat(5000) });
    await alerter.idle();
    const text = tg.received[0]?.body.text as string;
    expect([...text]).toHaveLength(4096);
    expect(text.endsWith('x…')).toBe(true);
    expect(alerter.stats()).toMatchObject({ delivered: 1 });
  });

  it('counts a Telegram answer without ok: true as refused', async () => {
    const tg = await receiver([200], () => '{"ok":false,"description":"chat not found"}');
    const alerter = createAlerter({
      telegram: { botToken: BOT_TOKEN, chatId: '1', apiBaseUrl: tg.url },
    });
    alerter.alert({ key: 'k', severity: 'info', message: 'm' });
    await alerter.idle();
    expect(alerter.stats()).toMatchObject({ delivered: 0, failed: 1 });
  });
});

describe('createAlerter rate limiting (manual clock)', () => {
  it('sends one alert per key, then one summary per interval while the storm lasts', async () => {
    const timers = new ManualTimers();
    const ch = capture();
    const alerter = createAlerter({
      channels: [ch],
      minIntervalSeconds: 300,
      clock: timers.clock,
      timers,
    });
    const down = {
      key: 'venue:down',
      severity: 'critical',
      message: 'exchange unreachable',
    } as const;
    for (let i = 0; i < 20; i += 1) {
      alerter.alert(down);
      timers.advance(5_000);
    }
    alerter.alert({ key: 'engine:started', severity: 'info', message: 'engine started' });
    await alerter.idle();
    expect(ch.got.map((a) => a.message)).toEqual(['exchange unreachable', 'engine started']);
    expect(alerter.stats().suppressed).toBe(19);

    timers.advance(200_000); // 300 s after the first alert
    await alerter.idle();
    expect(ch.got.map((a) => a.message).at(-1)).toBe(
      'exchange unreachable (19 more in the last 5 min)',
    );
    expect(ch.got).toHaveLength(3);

    timers.advance(300_000); // a quiet interval: nothing more, and the key is forgotten
    await alerter.idle();
    expect(ch.got).toHaveLength(3);
    expect(timers.size).toBe(0);
    alerter.alert(down);
    await alerter.idle();
    expect(ch.got.map((a) => a.message).at(-1)).toBe('exchange unreachable');
  });

  it('sends pending summaries when closed, and nothing after', async () => {
    const timers = new ManualTimers();
    const ch = capture();
    const alerter = createAlerter({ channels: [ch], clock: timers.clock, timers });
    const a = { key: 'k', severity: 'warning', message: 'order placement failing' } as const;
    alerter.alert(a);
    alerter.alert(a);
    timers.advance(60_000);
    await alerter.close();
    alerter.alert(a);
    expect(ch.got.map((x) => x.message)).toEqual([
      'order placement failing',
      'order placement failing (1 more in the last 1 min)',
    ]);
    expect(timers.size).toBe(0);
  });
});

describe('createAlerter queue', () => {
  it('never waits for a slow receiver, and drops the oldest waiting alerts, saying how many', async () => {
    const timers = new ManualTimers();
    const slow = heldChannel();
    const alerter = createAlerter({ channels: [slow], maxQueue: 3, clock: timers.clock, timers });
    for (let i = 0; i < 10; i += 1)
      alerter.alert({ key: `k${i}`, severity: 'warning', message: `alert ${i}` });
    // alert 0 is with the receiver, 1–6 were dropped, 7–9 wait.
    expect(alerter.stats()).toMatchObject({ queued: 3, dropped: 6, delivered: 0 });
    slow.release();
    await alerter.idle();
    expect(slow.got.map((a) => a.message)).toEqual([
      'alert 0',
      '(6 older alerts dropped: the receiver was too slow) alert 7',
      'alert 8',
      'alert 9',
    ]);
    expect(alerter.stats()).toMatchObject({ queued: 0, dropped: 6, delivered: 4 });
  });

  it('abandons what a dead receiver still holds once the close grace has passed', async () => {
    const timers = new ManualTimers();
    const dead = heldChannel();
    const alerter = createAlerter({ channels: [dead], clock: timers.clock, timers });
    alerter.alert({ key: 'k', severity: 'info', message: 'engine stopping' });
    const closed = alerter.close(5000);
    timers.advance(5000);
    await closed;
    expect(dead.got).toHaveLength(1);
  });
});
