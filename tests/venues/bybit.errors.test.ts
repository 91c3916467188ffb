import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/venues/emulator/index.ts';
import { failureRecorder } from './failureRecorder.ts';
import { bybitLogLines, bybitVenueOn } from './bybitHarness.ts';

const { secrets, stop, failing, setup, expectNoSecrets } = failureRecorder('rt-err-s1');

describe('Bybit failures as the engine sees them', () => {
  it('a bad signature is auth (10004), an unknown key auth (10003)', async () => {
    const em = await setup();
    const badSecret = await bybitVenueOn(em, { secret: 'not-the-secret-of-this-account' });
    secrets.push('not-the-secret-of-this-account');
    const sign = await failing(badSecret.fetchPositions());
    expect([sign.kind, sign.details.code]).toEqual(['auth', '10004']);
    const badKey = await bybitVenueOn(em, { apiKey: 'someone-elses-api-key' });
    secrets.push('someone-elses-api-key');
    const key = await failing(badKey.placeStop(stop()));
    expect([key.kind, key.details.code]).toEqual(['auth', '10003']);
  });

  it('a clock the venue refuses is clockSkew (10002); fetchTime puts it right', async () => {
    const clock = new ManualClock();
    const em = await setup({ clock });
    const venue = await bybitVenueOn(em);
    clock.advance(30_000);
    const skew = await failing(venue.fetchPositions());
    expect([skew.kind, skew.details.code]).toEqual(['clockSkew', '10002']);
    await venue.fetchTime();
    expect(await venue.fetchPositions()).toHaveLength(1);
  });

  it('a stop already past the price is immediatelyTriggers, long and short', async () => {
    const em = await setup();
    const venue = await bybitVenueOn(em);
    const long = await failing(venue.placeStop(stop({ stopPrice: '60000' })));
    expect([long.kind, long.details.code]).toEqual(['immediatelyTriggers', '10001']);
    em.openPosition('BTCUSDT', 'short', '0.02');
    const short = await failing(
      venue.amendStop('BTCUSDT:sl', stop({ positionSide: 'short', stopPrice: '59990' })),
    );
    expect(short.kind).toBe('immediatelyTriggers');
    expect(em.state().positions[0]?.positionStop).toBeNull();
  });

  it('a stop or an exit for a flat position is noPosition', async () => {
    const em = await setup();
    const venue = await bybitVenueOn(em);
    em.closePosition('BTCUSDT');
    const placed = await failing(venue.placeStop(stop()));
    expect([placed.kind, placed.details.code]).toEqual(['noPosition', '10001']);
    const moved = await failing(venue.amendStop('BTCUSDT:sl', stop()));
    expect(moved.kind).toBe('noPosition');
    const exit = await failing(
      venue.closeMarket({
        symbol: 'BTCUSDT',
        positionSide: 'long',
        quantity: '0.01',
        clientId: 'rt-err-x1',
      }),
    );
    expect([exit.kind, exit.details.code]).toEqual(['noPosition', '110017']);
  });

  it('too many visits is rateLimited (10006) with the wait until the reset, then it recovers', async () => {
    const em = await setup();
    const venue = await bybitVenueOn(em);
    em.injectFaults({ burst429: { requests: 1, retryAfterSec: 7 } });
    const before = em.counter.served();
    const error = await failing(venue.placeStop(stop()));
    expect([error.kind, error.details.code]).toEqual(['rateLimited', '10006']);
    expect(error.details.retryAfterMs).toBeGreaterThan(5000);
    expect(error.details.retryAfterMs).toBeLessThanOrEqual(7000);
    expect(em.counter.served() - before).toBe(1);
    expect(em.state().positions[0]?.positionStop).toBeNull();
    await venue.placeStop(stop());
    expect(em.state().positions[0]?.positionStop?.stopPrice).toBe('59000');
  });

  it('the IP limit (HTTP 403) is rateLimited', async () => {
    const clock = new ManualClock();
    const em = await setup({ clock, bybitIpLimit: 3 });
    const venue = await bybitVenueOn(em);
    // loadMarkets spent two of the three.
    await venue.fetchTime();
    const error = await failing(venue.fetchPositions());
    expect(error.kind).toBe('rateLimited');
    expect(error.message).toContain('403');
  });

  it('an internal error is retryable (10016), and ccxt does not retry it by itself', async () => {
    const em = await setup();
    const venue = await bybitVenueOn(em);
    em.injectFaults({ errorRate: { 'POST /v5/position/trading-stop': 1 } });
    const before = em.counter.served();
    const error = await failing(venue.placeStop(stop()));
    expect([error.kind, error.details.code]).toEqual(['retryable', '10016']);
    expect(em.counter.served() - before).toBe(1);
  });

  it('an injected Bybit refusal keeps its retCode: insufficient funds (110007)', async () => {
    const em = await setup();
    const venue = await bybitVenueOn(em);
    em.injectFaults({ reject: { code: 110007, msg: 'ab not enough for new order' } });
    const error = await failing(
      venue.closeMarket({
        symbol: 'BTCUSDT',
        positionSide: 'long',
        quantity: '0.01',
        clientId: 'rt-err-x2',
      }),
    );
    expect([error.kind, error.details.code]).toEqual(['insufficientFunds', '110007']);
  });

  it('a stop whose answer never comes is unknownOutcome, and the look-up finds it set', async () => {
    const em = await setup();
    const venue = await bybitVenueOn(em, { timeoutMs: 1500 });
    em.injectFaults({ lostResponse: { endpoint: 'POST /v5/position/trading-stop', mode: 'hold' } });
    const error = await failing(venue.placeStop(stop({ clientId: 'rt-lost-s1' })));
    expect(error.kind).toBe('unknownOutcome');
    expect(await venue.fetchStopByClientId('BTCUSDT', 'rt-lost-s1')).toMatchObject({
      clientId: 'rt-lost-s1',
      stopPrice: '59000',
      status: 'open',
    });
  });

  it('an exit whose answer is lost is unknownOutcome, found filled by its client id; resending it is refused as a duplicate', async () => {
    const em = await setup();
    const venue = await bybitVenueOn(em);
    em.injectFaults({ lostResponse: { endpoint: 'POST /v5/order/create', mode: 'reset' } });
    const exit = {
      symbol: 'BTCUSDT',
      positionSide: 'long' as const,
      quantity: '0.01',
      clientId: 'rt-lost-x1',
    };
    expect((await failing(venue.closeMarket(exit))).kind).toBe('unknownOutcome');
    expect(await venue.fetchMarketOrderByClientId('BTCUSDT', 'rt-lost-x1')).toMatchObject({
      status: 'filled',
      filledQuantity: '0.01',
    });
    const again = await failing(venue.closeMarket(exit));
    expect([again.kind, again.details.code]).toEqual(['unknownOutcome', '110072']);
    expect(em.state().positions).toEqual([]);
  });

  it('a client id Bybit would refuse is invalid before anything is sent', async () => {
    const em = await setup();
    const venue = await bybitVenueOn(em);
    const before = em.counter.served();
    const error = await failing(
      venue.closeMarket({
        symbol: 'BTCUSDT',
        positionSide: 'long',
        quantity: '0.01',
        clientId: 'rt.with.dots',
      }),
    );
    expect(error.kind).toBe('invalid');
    expect(em.counter.served()).toBe(before);
  });

  it('a refused connection is unknownOutcome', async () => {
    const em = await setup();
    const venue = await bybitVenueOn(em);
    await em.close();
    expect((await failing(venue.fetchPositions())).kind).toBe('unknownOutcome');
  });

  it('no error message or log line carries a credential', () => {
    const texts = expectNoSecrets(bybitLogLines, 14);
    expect(texts.some((t) => t.includes('origin_string'))).toBe(true);
  });
});
