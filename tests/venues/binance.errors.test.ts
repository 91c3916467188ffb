import { describe, expect, it } from 'vitest';
import { failureRecorder } from './failureRecorder.ts';
import { logLines, venueOn } from './binanceHarness.ts';

const { secrets, stop, failing, setup, expectNoSecrets } = failureRecorder('rt-err-1');

describe('Binance failures as the engine sees them', () => {
  it('a bad signature is auth', async () => {
    const em = await setup();
    const venue = await venueOn(em, { secret: 'not-the-secret-of-this-account' });
    secrets.push('not-the-secret-of-this-account');
    const error = await failing(venue.fetchPositions());
    expect([error.kind, error.details.code]).toEqual(['auth', '-1022']);
  });

  it('an unknown API key is auth', async () => {
    const em = await setup();
    const venue = await venueOn(em, { apiKey: 'someone-elses-api-key' });
    secrets.push('someone-elses-api-key');
    expect((await failing(venue.placeStop(stop()))).kind).toBe('auth');
  });

  it('cancelling an unknown stop is notFound', async () => {
    const em = await setup();
    const venue = await venueOn(em);
    const error = await failing(venue.cancelStop('BTCUSDT', '123456'));
    expect([error.kind, error.details.code]).toEqual(['notFound', '-2011']);
  });

  it('a stop already past the price is immediatelyTriggers', async () => {
    const em = await setup();
    const venue = await venueOn(em);
    const error = await failing(venue.placeStop(stop({ stopPrice: '61000' })));
    expect([error.kind, error.details.code]).toEqual(['immediatelyTriggers', '-2021']);
    expect(em.state().openOrders).toEqual([]);
  });

  it('HTTP 429 is rateLimited with the Retry-After in milliseconds', async () => {
    const em = await setup();
    const venue = await venueOn(em);
    em.injectFaults({ burst429: { requests: 1, retryAfterSec: 7 } });
    const before = em.counter.served();
    const error = await failing(venue.placeStop(stop()));
    expect([error.kind, error.details.retryAfterMs]).toEqual(['rateLimited', 7000]);
    expect(em.counter.served() - before).toBe(1);
    await venue.placeStop(stop());
    expect(em.state().openOrders).toHaveLength(1);
  });

  it('HTTP 503 is retryable, and ccxt does not retry it by itself', async () => {
    const em = await setup();
    const venue = await venueOn(em);
    em.injectFaults({ errorRate: { 'POST /fapi/v1/algoOrder': 1 } });
    const before = em.counter.served();
    const error = await failing(venue.placeStop(stop()));
    expect([error.kind, error.details.code]).toEqual(['retryable', '-1001']);
    expect(em.counter.served() - before).toBe(1);
    em.injectFaults({ clear: true });
    expect(em.state().openOrders).toEqual([]);
  });

  it('a stop past the account limit of conditional orders is tooManyStops (-4045)', async () => {
    const em = await setup({ maxOpenAlgoOrders: 2 });
    const venue = await venueOn(em);
    await venue.placeStop(stop({ clientId: 'rt-limit-1', stopPrice: '59000' }));
    await venue.placeStop(stop({ clientId: 'rt-limit-2', stopPrice: '59100' }));
    const error = await failing(
      venue.placeStop(stop({ clientId: 'rt-limit-3', stopPrice: '59200' })),
    );
    expect([error.kind, error.details.code]).toEqual(['tooManyStops', '-4045']);
    expect(await venue.fetchStopByClientId('BTCUSDT', 'rt-limit-3')).toBeUndefined();
  });

  it('-4130 (a closePosition stop already rests) is closePositionConflict', async () => {
    // The venue only places reduce-only quantity stops, which never conflict: inject the refusal.
    const em = await setup();
    const venue = await venueOn(em);
    em.injectFaults({
      reject: {
        code: -4130,
        msg: 'An open stop or take profit order with GTE and closePosition in the direction is existing.',
      },
    });
    const error = await failing(venue.placeStop(stop()));
    expect([error.kind, error.details.code]).toEqual(['closePositionConflict', '-4130']);
  });

  it('a placed stop whose answer never comes is unknownOutcome, found by its client id', async () => {
    const em = await setup();
    const venue = await venueOn(em, { timeoutMs: 1500 });
    em.injectFaults({ lostResponse: { endpoint: 'POST /fapi/v1/algoOrder', mode: 'hold' } });
    const error = await failing(venue.placeStop(stop({ clientId: 'rt-lost-1' })));
    expect(error.kind).toBe('unknownOutcome');
    expect(error.message).toMatch(/timed out/);
    // The exchange did act: the lookup the engine makes next finds the stop resting.
    expect(await venue.fetchStopByClientId('BTCUSDT', 'rt-lost-1')).toMatchObject({
      clientId: 'rt-lost-1',
      status: 'open',
    });
  });

  it('a stop whose connection is reset after it was placed is unknownOutcome', async () => {
    const em = await setup();
    const venue = await venueOn(em);
    em.injectFaults({ lostResponse: { endpoint: 'POST /fapi/v1/algoOrder', mode: 'reset' } });
    const error = await failing(venue.placeStop(stop({ clientId: 'rt-lost-2' })));
    expect(error.kind).toBe('unknownOutcome');
    expect(await venue.fetchStopByClientId('BTCUSDT', 'rt-lost-2')).toMatchObject({
      status: 'open',
    });
  });

  it('a market exit whose answer is lost is unknownOutcome, found filled by its client id', async () => {
    const em = await setup();
    const venue = await venueOn(em);
    em.injectFaults({ lostResponse: { endpoint: 'POST /fapi/v1/order', mode: 'reset' } });
    const error = await failing(
      venue.closeMarket({
        symbol: 'BTCUSDT',
        positionSide: 'long',
        quantity: '0.01',
        clientId: 'rt-lost-exit',
      }),
    );
    expect(error.kind).toBe('unknownOutcome');
    expect(await venue.fetchMarketOrderByClientId('BTCUSDT', 'rt-lost-exit')).toMatchObject({
      status: 'filled',
      filledQuantity: '0.01',
    });
    expect(em.state().positions).toEqual([]);
  });

  it('a refused connection is unknownOutcome', async () => {
    const em = await setup();
    const venue = await venueOn(em);
    await em.close();
    expect((await failing(venue.fetchPositions())).kind).toBe('unknownOutcome');
  });

  it('no error message or log line carries a credential or a signature', () => {
    for (const text of expectNoSecrets(logLines, 12)) {
      expect(text).not.toMatch(/signature=[0-9a-f]/i);
      expect(text).not.toMatch(/timestamp=\d/);
    }
  });
});
