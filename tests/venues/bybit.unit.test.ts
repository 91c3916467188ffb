import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { BybitClient, BybitRateLimitedError } from '../../src/venues/bybit/bybitClient.ts';
import { toBybitVenueError } from '../../src/venues/bybit/toBybitVenueError.ts';
import type { VenueErrorKind } from '../../src/venues/port.ts';

const body = (retCode: number, retMsg: string) =>
  `bybit ${JSON.stringify({ retCode, retMsg, result: {}, retExtInfo: {}, time: 1 })}`;

describe('Bybit errors in the engine’s classes', () => {
  it.each<[string, Error, VenueErrorKind]>([
    // A stop already past the watched price: exit at market.
    [
      'sl past base_price',
      new ccxt.BadRequest(
        body(10001, 'sl:59000 set for Buy position should lower base_price:58900??LastPrice'),
      ),
      'immediatelyTriggers',
    ],
    // A stop for a flat position.
    [
      'zero position',
      new ccxt.BadRequest(body(10001, 'can not set tp/sl/ts for zero position')),
      'noPosition',
    ],
    // Any other parameter error: do not repeat it.
    ['params', new ccxt.BadRequest(body(10001, 'params error: side invalid')), 'invalid'],
    ['timestamp', new ccxt.InvalidNonce(body(10002, 'invalid request')), 'clockSkew'],
    ['key', new ccxt.AuthenticationError(body(10003, 'API key is invalid.')), 'auth'],
    ['signature', new ccxt.AuthenticationError(body(10004, 'error sign!')), 'auth'],
    ['permission', new ccxt.PermissionDenied(body(10005, 'Permission denied')), 'auth'],
    ['too many visits', new ccxt.RateLimitExceeded(body(10006, 'Too many visits!')), 'rateLimited'],
    ['internal', new ccxt.ExchangeError(body(10016, 'Internal server error.')), 'retryable'],
    ['server timeout', new ccxt.ExchangeError(body(10000, 'Server Timeout')), 'unknownOutcome'],
    ['order gone', new ccxt.OrderNotFound(body(110001, 'order not exists')), 'notFound'],
    ['balance', new ccxt.InsufficientFunds(body(110007, 'ab not enough')), 'insufficientFunds'],
    ['balance 110012', new ccxt.InsufficientFunds(body(110012, 'not enough')), 'insufficientFunds'],
    // ccxt calls it InvalidOrder; to the engine it means there is nothing to reduce.
    ['reduce-only', new ccxt.InvalidOrder(body(110017, 'current position is zero')), 'noPosition'],
    // Our client id was used: the earlier attempt went through.
    [
      'duplicate link id',
      new ccxt.InvalidOrder(body(110072, 'OrderLinkedID is duplicate')),
      'unknownOutcome',
    ],
    ['not modified', new ccxt.ExchangeError(body(34040, 'not modified')), 'exchange'],
    [
      'IP limit',
      new BybitRateLimitedError('bybit 403 access too frequent', undefined),
      'rateLimited',
    ],
    [
      'timeout',
      new ccxt.RequestTimeout('bybit GET … request timed out (3000 ms)'),
      'unknownOutcome',
    ],
    ['network', new ccxt.NetworkError('bybit socket hang up'), 'unknownOutcome'],
    // The private stream's refused auth op arrives as a bare ExchangeError.
    ['ws auth', new ccxt.ExchangeError('bybit Request not authorized'), 'auth'],
  ])('%s', (_name, error, kind) => {
    expect(toBybitVenueError(error, (t) => t).kind).toBe(kind);
  });

  it('keeps the retCode and the wait of a rate limit, and redacts the message', () => {
    const e = toBybitVenueError(
      new BybitRateLimitedError(body(10006, 'Too many visits! key=SECRETKEY123'), 1500),
      (t) => t.replace('SECRETKEY123', '[redacted]'),
    );
    expect(e.details).toEqual({ code: '10006', retryAfterMs: 1500 });
    expect(e.message).not.toContain('SECRETKEY123');
  });
});

describe('BybitClient subscription confirmations', () => {
  const ack = (message: Record<string, unknown>) => {
    const client = new BybitClient({});
    const seen: string[][] = [];
    client.subscribed.add((_url, topics) => seen.push([...topics]));
    const socket = {
      url: 'ws://x/v5/private',
      subscriptions: {
        positions: { id: 3, topics: ['position'] },
        orders: { id: 4, topics: ['order'] },
        authenticated: true,
      },
    };
    client.handleSubscriptionStatus(socket as never, message);
    return seen;
  };

  it('names the topics of the subscription its req_id answers', () => {
    expect(ack({ success: true, op: 'subscribe', req_id: '4' })).toEqual([['order']]);
  });

  it('confirms every topic asked so far when the answer carries no req_id', () => {
    expect(ack({ success: true, op: 'subscribe' })).toEqual([['position', 'order']]);
  });

  it('confirms nothing on a refusal', () => {
    expect(ack({ success: false, op: 'subscribe', req_id: '3' })).toEqual([]);
  });
});
