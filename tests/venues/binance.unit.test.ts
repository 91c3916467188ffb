import ccxt from 'ccxt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BinanceUsdmClient,
  RateLimitedError,
  retryAfterMs,
} from '../../src/venues/binance/binanceUsdmClient.ts';
import {
  marketOrderFromRest,
  positionFromRest,
  positionFromStream,
  stopFromRest,
  stopFromStream,
} from '../../src/venues/binance/binanceWire.ts';
import {
  createBinanceVenue,
  type BinanceVenueOptions,
} from '../../src/venues/binance/createBinanceVenue.ts';
import { quantityOnStep, stopPriceOnTick } from '../../src/venues/ccxt/marketGrid.ts';
import { redactCredentials } from '../../src/venues/ccxt/redactCredentials.ts';
import { toVenueError } from '../../src/venues/binance/toVenueError.ts';
import { VenueError, type VenueErrorKind } from '../../src/venues/port.ts';

const keep = (s: string): string => s;
const body = (code: number, msg: string): string => `binanceusdm ${JSON.stringify({ code, msg })}`;

describe('ccxt errors to VenueError kinds', () => {
  const rows: Array<[string, Error, VenueErrorKind]> = [
    // Binance's code decides first, whatever class ccxt chose on this host.
    [
      '-2021 as a bare ExchangeError',
      new ccxt.ExchangeError(body(-2021, 'Order would immediately trigger.')),
      'immediatelyTriggers',
    ],
    [
      '-4142',
      new ccxt.ExchangeError(
        body(-4142, 'REJECT: take profit or stop order will be triggered immediately'),
      ),
      'immediatelyTriggers',
    ],
    [
      '-4045',
      new ccxt.OperationRejected(body(-4045, 'Reach max stop order limit.')),
      'tooManyStops',
    ],
    [
      '-4130',
      new ccxt.ExchangeError(
        body(
          -4130,
          'An open stop or take profit order with GTE and closePosition in the direction is existing.',
        ),
      ),
      'closePositionConflict',
    ],
    ['-2022', new ccxt.InvalidOrder(body(-2022, 'ReduceOnly Order is rejected.')), 'noPosition'],
    [
      'the -2022 words without a code',
      new ccxt.InvalidOrder('binanceusdm ReduceOnly Order is rejected.'),
      'noPosition',
    ],
    ['-2011', new ccxt.OrderNotFound(body(-2011, 'Unknown order sent.')), 'notFound'],
    ['-2013', new ccxt.OrderNotFound(body(-2013, 'Order does not exist.')), 'notFound'],
    [
      '-1021',
      new ccxt.InvalidNonce(
        body(-1021, 'Timestamp for this request is outside of the recvWindow.'),
      ),
      'clockSkew',
    ],
    [
      '-1022',
      new ccxt.AuthenticationError(body(-1022, 'Signature for this request is not valid.')),
      'auth',
    ],
    [
      '-2019',
      new ccxt.InsufficientFunds(body(-2019, 'Margin is insufficient.')),
      'insufficientFunds',
    ],
    [
      '-1007 (backend timeout: status unknown)',
      new ccxt.ExchangeError(body(-1007, 'Timeout waiting for response from backend server.')),
      'unknownOutcome',
    ],
    ['-1001', new ccxt.ExchangeError(body(-1001, 'Internal error')), 'retryable'],
    // Then the class, subclasses before their parents.
    ['RateLimitExceeded', new ccxt.RateLimitExceeded('binanceusdm too many'), 'rateLimited'],
    [
      'DDoSProtection, even with -2015 in its body',
      new ccxt.DDoSProtection(body(-2015, 'Invalid API-key')),
      'rateLimited',
    ],
    [
      'ExchangeNotAvailable',
      new ccxt.ExchangeNotAvailable('binanceusdm 503 Service Unavailable'),
      'retryable',
    ],
    ['OnMaintenance', new ccxt.OnMaintenance('binanceusdm maintenance'), 'retryable'],
    ['OperationFailed', new ccxt.OperationFailed('binanceusdm failed'), 'retryable'],
    ['RequestTimeout', new ccxt.RequestTimeout('binanceusdm timed out'), 'unknownOutcome'],
    ['NetworkError', new ccxt.NetworkError('binanceusdm fetch failed'), 'unknownOutcome'],
    ['BadResponse', new ccxt.BadResponse('binanceusdm garbled'), 'unknownOutcome'],
    ['InvalidNonce without a code', new ccxt.InvalidNonce('binanceusdm nonce'), 'clockSkew'],
    ['PermissionDenied', new ccxt.PermissionDenied('binanceusdm denied'), 'auth'],
    [
      'OrderImmediatelyFillable without a code',
      new ccxt.OrderImmediatelyFillable('binanceusdm fillable'),
      'immediatelyTriggers',
    ],
    [
      'InvalidOrder',
      new ccxt.InvalidOrder(body(-1111, 'Precision is over the maximum defined for this asset.')),
      'invalid',
    ],
    ['BadRequest', new ccxt.BadRequest(body(-1102, 'Mandatory parameter missing')), 'invalid'],
    ['BadSymbol', new ccxt.BadSymbol('binanceusdm does not have market symbol X'), 'invalid'],
    ['a plain ExchangeError', new ccxt.ExchangeError(body(-4999, 'something else')), 'exchange'],
    ['not a ccxt error at all', new Error('boom'), 'exchange'],
  ];
  for (const [name, error, kind] of rows)
    it(`${name} → ${kind}`, () => expect(toVenueError(error, keep).kind).toBe(kind));

  it('keeps the code and the Retry-After', () => {
    const error = toVenueError(new RateLimitedError(body(-1003, 'Too much weight'), 3000), keep);
    expect(error.details).toEqual({ code: '-1003', retryAfterMs: 3000 });
  });

  it('passes a VenueError through', () => {
    const original = new VenueError('invalid', 'bad');
    expect(toVenueError(original, keep)).toBe(original);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('redaction', () => {
  const redact = redactCredentials(['AKEY12345678', 'SECRET12345678', 'tiny']);
  it('drops URL queries, signatures and the literal credentials', () => {
    const text =
      'binanceusdm GET https://fapi.binance.com/fapi/v1/order?symbol=BTCUSDT&timestamp=1&signature=abcdef0123 request timed out; key AKEY12345678 secret SECRET12345678; ws://h/private/ws?listenKey=LK1; signature=ff';
    const out = redact(text);
    expect(out).toBe(
      'binanceusdm GET https://fapi.binance.com/fapi/v1/order request timed out; key [redacted] secret [redacted]; ws://h/private/ws signature=[redacted]',
    );
  });
  it('leaves short words alone', () => expect(redact('a tiny stop')).toBe('a tiny stop'));
});

describe('the market grid', () => {
  const btc = { symbol: 'BTCUSDT', tickSize: '0.10', stepSize: '0.001' };
  const rows: Array<[string, 'long' | 'short', string]> = [
    ['59000.01', 'long', '59000.1'], // a long's stop rounds up: tighter
    ['59000.01', 'short', '59000.0'], // a short's rounds down: tighter
    ['59000.1', 'long', '59000.1'], // on the tick: unchanged
    ['0.1', 'short', '0.1'],
  ];
  for (const [price, side, want] of rows)
    it(`${side} stop ${price} → ${want}`, () =>
      expect(stopPriceOnTick(btc, price, side)).toBe(want));

  it('rounds quantities up to the step, exactly', () => {
    expect(quantityOnStep(btc, '0.0111')).toBe('0.012');
    expect(quantityOnStep(btc, '0.010')).toBe('0.010');
    expect(quantityOnStep({ ...btc, stepSize: '1' }, '3.2')).toBe('4');
    expect(quantityOnStep(btc, '123456789.123')).toBe('123456789.123');
  });

  it('refuses what is not a positive decimal', () => {
    expect(() => stopPriceOnTick(btc, '-1', 'long')).toThrow(/positive decimal/);
    expect(() => stopPriceOnTick(btc, '0.01', 'short')).toThrow(/rounds to zero/);
    expect(() => quantityOnStep(btc, '0')).toThrow(/positive decimal/);
  });
});

describe('the raw JSON mapping', () => {
  it('positions: side from the sign, quantity without it, updateTime as openedAt', () => {
    expect(
      positionFromRest({
        symbol: 'ETHUSDT',
        positionAmt: '-0.500',
        entryPrice: '3000.07',
        markPrice: '2999.99000000',
        updateTime: 1700000000123,
      }),
    ).toEqual({
      symbol: 'ETHUSDT',
      side: 'short',
      quantity: '0.500',
      entryPrice: '3000.07',
      openedAt: 1700000000123,
      markPrice: '2999.99000000',
    });
    expect(
      positionFromRest({ symbol: 'ETHUSDT', positionAmt: '0.000', entryPrice: '0' }),
    ).toBeUndefined();
    expect(positionFromStream({ s: 'BTCUSDT', pa: '0', ep: '0' }, 5)).toEqual({
      symbol: 'BTCUSDT',
      closed: true,
    });
    expect(positionFromStream({ s: 'BTCUSDT', pa: '0.002', ep: '60000.1' }, 5)).toMatchObject({
      side: 'long',
      quantity: '0.002',
      openedAt: 5,
    });
  });

  it('stops: every algo status, the closed side, closePosition without quantity', () => {
    const rest = (algoStatus: string) =>
      stopFromRest({
        algoId: 42,
        clientAlgoId: 'rt-1',
        symbol: 'BTCUSDT',
        side: 'BUY',
        quantity: '0',
        algoStatus,
        triggerPrice: '61000.10',
        reduceOnly: false,
        closePosition: true,
        createTime: 10,
        updateTime: 11,
      });
    const statuses = [
      'NEW',
      'TRIGGERING',
      'TRIGGERED',
      'FINISHED',
      'CANCELED',
      'EXPIRED',
      'REJECTED',
    ];
    expect(statuses.map((s) => rest(s)?.status)).toEqual([
      'open',
      'open',
      'triggered',
      'triggered',
      'cancelled',
      'expired',
      'rejected',
    ]);
    expect(rest('NEW')).toMatchObject({
      id: '42',
      positionSide: 'short',
      stopPrice: '61000.10',
      quantity: undefined,
      closePosition: true,
      createdAt: 10,
      updatedAt: 11,
    });
    expect(rest('SOMETHING_NEW')).toBeUndefined();
    expect(
      stopFromStream(
        {
          aid: 7,
          caid: 'rt-2',
          s: 'BTCUSDT',
          S: 'SELL',
          q: '0.01',
          X: 'EXPIRED',
          tp: '59000',
          R: true,
          cp: false,
        },
        99,
      ),
    ).toMatchObject({
      id: '7',
      positionSide: 'long',
      quantity: '0.01',
      status: 'expired',
      updatedAt: 99,
    });
    expect(stopFromStream({ i: 8, s: 'BTCUSDT', X: 'FILLED' }, 1)).toBeUndefined();
  });

  it('market orders: filled, open, or expired', () => {
    const order = (status: string, avgPrice = '3000') =>
      marketOrderFromRest({
        orderId: 9,
        clientOrderId: 'rt-x',
        status,
        executedQty: '0.5',
        avgPrice,
      });
    expect(order('FILLED')).toEqual({
      id: '9',
      clientId: 'rt-x',
      status: 'filled',
      filledQuantity: '0.5',
      averagePrice: '3000',
    });
    expect(order('NEW', '0')).toMatchObject({ status: 'open', averagePrice: undefined });
    expect(order('EXPIRED')?.status).toBe('expired');
  });
});

describe('options', () => {
  const base = { apiKey: 'k'.repeat(16), secret: 's'.repeat(16) };
  const rows: Array<[string, Partial<BinanceVenueOptions>, RegExp]> = [
    ['an empty key', { apiKey: '' }, /needs `apiKey`/],
    ['an empty secret', { secret: ' ' }, /needs `secret`/],
    ['a URL that is not http', { url: 'ftp://127.0.0.1:8787' }, /not a server's base URL/],
    ['a URL with a query', { url: 'http://127.0.0.1:8787/?a=1' }, /without a query/],
    ['url and sandbox', { url: 'http://127.0.0.1:8787', sandbox: true }, /keep one/],
    ['a zero timeout', { timeoutMs: 0 }, /positive whole number/],
  ];
  for (const [name, over, message] of rows)
    it(`refuses ${name}`, async () => {
      const error = await createBinanceVenue({ ...base, ...over }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VenueError);
      expect((error as VenueError).kind).toBe('invalid');
      expect((error as VenueError).message).toMatch(message);
    });

  it('makes no request until used, and closes cleanly', async () => {
    const venue = await createBinanceVenue({ ...base, url: 'http://127.0.0.1:9' });
    expect(venue.id).toBe('binanceusdm');
    expect(() => venue.unifiedSymbol('BTCUSDT')).toThrow(/call loadMarkets\(\) first/);
    await venue.close();
  });
});

describe('the client', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("cancels ccxt's delayed calls (the listen-key keep-alive) on close", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const calls: string[] = [];
    const keepAlive = (name: string) => () => {
      calls.push(name);
      return Promise.resolve();
    };
    const open = new BinanceUsdmClient({});
    open.delay(1_200_000, keepAlive('open'));
    const closed = new BinanceUsdmClient({});
    closed.delay(1_200_000, keepAlive('closed'));
    const closing = closed.close();
    await vi.advanceTimersByTimeAsync(0);
    await closing;
    closed.delay(1_200_000, keepAlive('after close'));
    await vi.advanceTimersByTimeAsync(1_300_000);
    expect(calls).toEqual(['open']);
  });
});
