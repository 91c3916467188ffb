import { createHmac } from 'node:crypto';
import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { BTC, client, emulator, setup } from './emulatorHarness.ts';

/** Sends a hand-signed request, so the test controls what ccxt would not let it get wrong. */
async function signed(
  em: { restUrl: string; apiKey: string; secret: string },
  method: string,
  path: string,
  params: Record<string, string>,
  tweak: { key?: string; secret?: string } = {},
): Promise<{ status: number; headers: Headers; body: { code?: number } }> {
  const query = new URLSearchParams(params).toString();
  const sig = createHmac('sha256', tweak.secret ?? em.secret)
    .update(query)
    .digest('hex');
  const res = await fetch(`${em.restUrl}${path}?${query}&signature=${sig}`, {
    method,
    headers: { 'X-MBX-APIKEY': tweak.key ?? em.apiKey },
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as { code?: number },
  };
}

describe('errors like the real exchange', () => {
  it('a bad signature answers -1022 → AuthenticationError', async () => {
    const em = await emulator();
    const ex = await client(em, { secret: 'not-the-secret' });
    await ex.loadMarkets();
    await expect(ex.fetchPositions([BTC])).rejects.toBeInstanceOf(ccxt.AuthenticationError);
    const raw = await signed(
      em,
      'GET',
      '/fapi/v3/positionRisk',
      { timestamp: String(Date.now()) },
      { secret: 'x' },
    );
    expect([raw.status, raw.body.code]).toEqual([400, -1022]);
  });

  it('an unknown API key answers -2015 (HTTP 401) → AuthenticationError', async () => {
    const em = await emulator();
    const ex = await client(em, { apiKey: 'someone-else' });
    await ex.loadMarkets();
    await expect(ex.fetchPositions([BTC])).rejects.toBeInstanceOf(ccxt.AuthenticationError);
    const raw = await signed(
      em,
      'GET',
      '/fapi/v3/positionRisk',
      { timestamp: String(Date.now()) },
      { key: 'nope' },
    );
    expect([raw.status, raw.body.code]).toEqual([401, -2015]);
  });

  it('a timestamp outside recvWindow answers -1021 → InvalidNonce', async () => {
    const em = await emulator();
    const stale = await signed(em, 'GET', '/fapi/v3/positionRisk', {
      timestamp: String(Date.now() - 6000),
    });
    expect(stale.body.code).toBe(-1021);
    const ahead = await signed(em, 'GET', '/fapi/v3/positionRisk', {
      timestamp: String(Date.now() + 5000),
    });
    expect(ahead.body.code).toBe(-1021);
    const widened = await signed(em, 'GET', '/fapi/v3/positionRisk', {
      timestamp: String(Date.now() - 6000),
      recvWindow: '10000',
    });
    expect(widened.status).toBe(200);
    const ex = await client(em, { options: { recvWindow: 1 } });
    await ex.loadMarkets();
    // ccxt signs with its own clock; shift it back so the request is stale on arrival.
    (ex as unknown as { nonce: () => number }).nonce = () => Date.now() - 60_000;
    await expect(ex.fetchPositions([BTC])).rejects.toBeInstanceOf(ccxt.InvalidNonce);
  });

  it('cancelling an unknown stop answers -2011 → OrderNotFound', async () => {
    const { ex } = await setup();
    await expect(ex.cancelOrder('4000009999', BTC, { trigger: true })).rejects.toBeInstanceOf(
      ccxt.OrderNotFound,
    );
    await expect(ex.cancelOrder('8000009999', BTC)).rejects.toBeInstanceOf(ccxt.OrderNotFound);
  });

  it('exceeding the request weight answers 429 with Retry-After and -1003, and ccxt raises DDoSProtection', async () => {
    const em = await emulator({ weightLimit: 5 });
    const ex = await client(em);
    await ex.loadMarkets(); // weight 1
    await ex.fetchTicker(BTC); // 2
    await ex.fetchTicker(BTC); // 3
    await ex.fetchPositions([BTC]).catch(() => undefined); // leverageBracket 1 + positionRisk 5: over
    const res = await fetch(`${em.restUrl}/fapi/v1/time`);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as { code: number }).code).toBe(-1003);
    await expect(ex.fetchTicker(BTC)).rejects.toBeInstanceOf(ccxt.DDoSProtection);
  });

  it('a -1003 body without HTTP 429 maps to RateLimitExceeded (injected rejection)', async () => {
    const { em, ex } = await setup();
    em.injectFaults({
      reject: {
        endpoint: '/fapi/v1/ticker/24hr',
        code: -1003,
        msg: 'Too many requests.',
        status: 400,
      },
    });
    await expect(ex.fetchTicker(BTC)).rejects.toBeInstanceOf(ccxt.RateLimitExceeded);
    await expect(ex.fetchTicker(BTC)).resolves.toMatchObject({ symbol: BTC });
  });

  it('a 429 burst raises the rate-limit error for exactly its length, then the client recovers', async () => {
    const { em, ex } = await setup();
    em.injectFaults({ burst429: { requests: 2, retryAfterSec: 3 } });
    const first = await fetch(`${em.restUrl}/fapi/v1/time`);
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '3']);
    await expect(ex.fetchTicker(BTC)).rejects.toBeInstanceOf(ccxt.DDoSProtection);
    await expect(ex.fetchTicker(BTC)).resolves.toMatchObject({ last: 60000 });
  });

  it('injected order rejections refuse the next placements, then orders pass again', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'long', '0.010');
    em.injectFaults({ reject: { count: 2 } });
    const stop = (): Promise<unknown> =>
      ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
        stopLossPrice: 59000,
        reduceOnly: true,
      });
    await expect(stop()).rejects.toBeInstanceOf(ccxt.InsufficientFunds); // -2019 default
    await expect(stop()).rejects.toBeInstanceOf(ccxt.InsufficientFunds);
    await expect(stop()).resolves.toMatchObject({ status: 'open' });
  });

  it('an error rate of 1 on an endpoint answers 503/-1001 there only; latency delays answers', async () => {
    const { em, ex } = await setup();
    em.injectFaults({
      errorRate: { 'GET /fapi/v1/ticker/24hr': 1 },
      latencyMs: { '/fapi/v1/premiumIndex': 300 },
    });
    await expect(ex.fetchTicker(BTC)).rejects.toBeInstanceOf(ccxt.OperationFailed);
    const t0 = Date.now();
    await ex.fetchMarkPrice(BTC);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    em.injectFaults({ clear: true });
    await expect(ex.fetchTicker(BTC)).resolves.toMatchObject({ symbol: BTC });
  });

  it('a seeded error rate fails a reproducible subset of requests', async () => {
    const pattern = async (): Promise<number[]> => {
      const em = await emulator({ seed: 42 });
      em.injectFaults({ errorRate: { '/fapi/v1/time': 0.5 } });
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push((await fetch(`${em.restUrl}/fapi/v1/time`)).status);
      await em.close();
      return out;
    };
    const a = await pattern();
    expect(a).toContain(503);
    expect(a).toContain(200);
    expect(await pattern()).toEqual(a);
  });
});
