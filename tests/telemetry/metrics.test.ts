import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics, METRIC_NAMES, OTHER_LABEL } from '../../src/telemetry/createMetrics.ts';
import { serveMetrics, type ServedMetrics } from '../../src/telemetry/serveMetrics.ts';

/** Returns each sample of a Prometheus text exposition as "name{labels}" → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

/** Returns the metric names a Prometheus text exposition declares with # TYPE. */
function declaredNames(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .filter((l) => l.startsWith('# TYPE '))
      .map((l) => l.split(' ')[2] as string),
  );
}

const served: ServedMetrics[] = [];
afterEach(async () => {
  await Promise.all(served.splice(0).map((s) => s.close()));
});

describe('createMetrics', () => {
  it('declares every engine metric and Node’s default metrics', async () => {
    const text = await createMetrics().text();
    const names = declaredNames(text);
    for (const name of METRIC_NAMES) expect(names).toContain(name);
    expect(names).toContain('process_cpu_user_seconds_total');
    expect(names).toContain('nodejs_eventloop_lag_seconds');
  });

  it('moves each metric through its helper', async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.setPositions({ protected: 3, unprotected: 1, closing: 0 });
    m.countStopMove('make_before_break');
    m.countStopMove('make_before_break');
    m.countStopMove('amend');
    m.countExit('trailing');
    m.countExchangeRequest('placeStop');
    m.countExchangeRequest('placeStop', 'rateLimited');
    m.addUnprotectedSeconds(1.5);
    m.observeDecisionSeconds(0.002);
    m.observeOrderAckSeconds(0.3);
    m.countMissedExit();
    m.countFeedFallback();
    m.countRejectedTick();
    m.countRejectedTick();
    const s = samples(await m.text());
    // sample, value
    const rows: [string, number][] = [
      ['ratchet_positions{state="protected"}', 3],
      ['ratchet_positions{state="unprotected"}', 1],
      ['ratchet_positions{state="closing"}', 0],
      ['ratchet_stop_moves_total{mode="make_before_break"}', 2],
      ['ratchet_stop_moves_total{mode="amend"}', 1],
      ['ratchet_stop_moves_total{mode="cancel_replace"}', 0],
      ['ratchet_exits_total{reason="trailing"}', 1],
      ['ratchet_exchange_requests_total{endpoint="placeStop",class="ok"}', 1],
      ['ratchet_exchange_requests_total{endpoint="placeStop",class="rateLimited"}', 1],
      ['ratchet_exchange_errors_total{endpoint="placeStop",class="rateLimited"}', 1],
      ['ratchet_unprotected_seconds_total', 1.5],
      ['ratchet_decision_seconds_bucket{le="0.0025"}', 1],
      ['ratchet_decision_seconds_bucket{le="0.001"}', 0],
      ['ratchet_order_ack_seconds_count', 1],
      ['ratchet_missed_exits_total', 1],
      ['ratchet_feed_fallback_total', 1],
      ['ratchet_ticks_rejected_total', 2],
    ];
    for (const [sample, value] of rows) expect([sample, s.get(sample)]).toEqual([sample, value]);
    expect(s.has('ratchet_exchange_errors_total{endpoint="placeStop",class="ok"}')).toBe(false);
  });

  it('reads the positions gauge at each scrape when given a source', async () => {
    let counts = { protected: 1, unprotected: 0, closing: 0 };
    const m = createMetrics({ defaultMetrics: false, positions: () => counts });
    expect(samples(await m.text()).get('ratchet_positions{state="protected"}')).toBe(1);
    counts = { protected: 0, unprotected: 2, closing: 1 };
    const s = samples(await m.text());
    expect(s.get('ratchet_positions{state="protected"}')).toBe(0);
    expect(s.get('ratchet_positions{state="unprotected"}')).toBe(2);
  });

  it('adds what each position’s unprotected total grew, from its first sighting on', async () => {
    const m = createMetrics({ defaultMetrics: false });
    const total = async () => samples(await m.text()).get('ratchet_unprotected_seconds_total');
    // Restored with 60 s from before a restart: a baseline, not counted again.
    m.trackUnprotected([{ id: 'a', unprotectedMs: 60_000 }]);
    expect(await total()).toBe(0);
    m.trackUnprotected([
      { id: 'a', unprotectedMs: 61_500 },
      { id: 'b', unprotectedMs: 0 },
    ]);
    expect(await total()).toBe(1.5);
    m.trackUnprotected([{ id: 'b', unprotectedMs: 2000 }]);
    expect(await total()).toBe(3.5);
    // 'a' was forgotten when it disappeared: seen again, it is a new baseline.
    m.trackUnprotected([{ id: 'a', unprotectedMs: 99_000 }]);
    expect(await total()).toBe(3.5);
  });

  it('counts label values beyond the limit as "other", keeping the registry bounded', async () => {
    const m = createMetrics({ defaultMetrics: false, maxLabelValues: 3 });
    for (let i = 0; i < 100; i += 1) m.countExit(`reason${i}`);
    const exits = [...samples(await m.text()).entries()].filter(([k]) =>
      k.startsWith('ratchet_exits_total'),
    );
    expect(exits).toEqual([
      ['ratchet_exits_total{reason="reason0"}', 1],
      ['ratchet_exits_total{reason="reason1"}', 1],
      ['ratchet_exits_total{reason="reason2"}', 1],
      [`ratchet_exits_total{reason="${OTHER_LABEL}"}`, 97],
    ]);
  });
});

describe('serveMetrics', () => {
  it('serves the Prometheus text at /metrics on loopback', async () => {
    const m = createMetrics();
    m.countStopMove('cancel_replace');
    const s = await serveMetrics({ metrics: m, port: 0 });
    served.push(s);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const res = await fetch(s.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    for (const name of METRIC_NAMES) expect(declaredNames(text)).toContain(name);
    expect(samples(text).get('ratchet_stop_moves_total{mode="cancel_replace"}')).toBe(1);
    expect((await fetch(s.url.replace('/metrics', '/'))).status).toBe(404);
    expect((await fetch(s.url, { method: 'POST' })).status).toBe(405);
  });

  it('answers 401 without the token on a configured host, and the metrics with it', async () => {
    const token = 'scrape-token-123';
    const s = await serveMetrics({ metrics: createMetrics(), port: 0, host: '0.0.0.0', token });
    served.push(s);
    const url = `http://127.0.0.1:${s.port}/metrics`;
    expect(s.url).not.toContain(token);
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-1' } })).status).toBe(
      401,
    );
    const byHeader = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(byHeader.status).toBe(200);
    expect(await byHeader.text()).toContain('ratchet_positions');
    expect((await fetch(`${url}?token=${token}`)).status).toBe(200);
  });

  it('refuses a non-loopback host without a token before listening', async () => {
    await expect(
      serveMetrics({ metrics: createMetrics(), port: 0, host: '0.0.0.0' }),
    ).rejects.toThrow(/metrics\.host 0\.0\.0\.0 .* set metrics\.token/);
  });

  it('refuses a request whose Host is not loopback when no token is set', async () => {
    const s = await serveMetrics({ metrics: createMetrics(), port: 0 });
    served.push(s);
    // fetch may not set Host: a plain request can, as a rebinding browser effectively does.
    const req = request(s.url, { headers: { host: 'evil.example:80' } });
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    res.resume();
    expect(res.statusCode).toBe(403);
  });

  it('names the metrics key when the port is taken', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(serveMetrics({ metrics: createMetrics(), port })).rejects.toThrow(
        /metrics cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\): choose another metrics\.port/,
      );
    } finally {
      blocker.close();
    }
  });
});
