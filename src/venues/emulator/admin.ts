import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { EmulatedExchange } from './exchange.ts';
import { faultsSchema, type FaultInjector } from './faults.ts';
import { adminState, positionView, type FeedStatus } from './adminState.ts';
import { marketOrderJson } from './wire.ts';

/** What the admin API acts upon. */
export interface AdminDeps {
  readonly exchange: EmulatedExchange;
  readonly faults: FaultInjector;
  /** Returns where prices come from and how far the feed got. */
  readonly feed: () => FeedStatus;
  /** Drops every WebSocket connection; returns how many were open. */
  readonly disconnectWebSockets: () => number;
}

/** An admin answer: HTTP status and JSON body. */
export interface AdminReply {
  readonly status: number;
  readonly body: unknown;
}

const decimalString = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'a positive decimal string such as "123.45"');
const symbol = z.string().regex(/^[A-Z0-9]+$/);

/**
 * A market order at the current price: `side` is its direction (long buys, short sells), so the
 * side opposite to an open position reduces, closes or flips it. With `reduceOnly` it never
 * opens or flips (-2022 when there is nothing to reduce), and `quantity` defaults to the whole
 * position: a position closed elsewhere.
 */
const positionBody = z
  .object({
    symbol,
    side: z.enum(['long', 'short']),
    quantity: decimalString.optional(),
    reduceOnly: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.quantity !== undefined || b.reduceOnly === true, {
    message: 'quantity is required unless reduceOnly is true',
    path: ['quantity'],
  });
const priceBody = z
  .object({
    symbol,
    price: decimalString,
    markPrice: decimalString.optional(),
    quantity: decimalString.optional(),
  })
  .strict();

/** Returns true for the loopback addresses the admin API serves. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/**
 * Handles `/admin/*` (not part of Binance's API): opening positions, moving prices, injecting
 * faults, and the state snapshot with `unprotectedMs`. Returns undefined for an unknown route.
 */
export function handleAdmin(
  deps: AdminDeps,
  method: string,
  path: string,
  body: unknown,
): AdminReply | undefined {
  const ex = deps.exchange;
  const key = `${method} ${path}`;
  try {
    switch (key) {
      case 'GET /admin/state':
        return { status: 200, body: adminState(ex, deps.faults.describe(), deps.feed()) };
      case 'POST /admin/positions': {
        const b = positionBody.parse(body);
        const step = ex.book(b.symbol).spec.stepSize;
        // The whole position; one step when flat, so the order is refused with -2022.
        const whole = Decimal.max(ex.position(b.symbol).amount.abs(), step);
        const order = ex.placeMarket({
          symbol: b.symbol,
          side: b.side === 'long' ? 'BUY' : 'SELL',
          quantity: b.quantity === undefined ? whole : new Decimal(b.quantity),
          reduceOnly: b.reduceOnly === true,
          clientOrderId: undefined,
        });
        return {
          status: 200,
          body: { order: marketOrderJson(order), position: positionView(ex, b.symbol) },
        };
      }
      case 'POST /admin/price': {
        const b = priceBody.parse(body);
        const mark = b.markPrice === undefined ? undefined : new Decimal(b.markPrice);
        ex.trade(b.symbol, new Decimal(b.price), new Decimal(b.quantity ?? '0'), mark);
        const book = ex.book(b.symbol);
        return {
          status: 200,
          body: { symbol: b.symbol, price: book.last.toString(), markPrice: book.mark.toString() },
        };
      }
      case 'POST /admin/faults': {
        const f = faultsSchema.parse(body);
        deps.faults.apply(f);
        const disconnected = f.wsDisconnect === true ? deps.disconnectWebSockets() : 0;
        return { status: 200, body: { faults: deps.faults.describe(), disconnected } };
      }
      default:
        return undefined;
    }
  } catch (e) {
    if (e instanceof z.ZodError) {
      const detail = e.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
      return { status: 400, body: { error: detail } };
    }
    if (e instanceof Error && 'code' in e)
      return { status: 400, body: { error: e.message, code: (e as { code: unknown }).code } };
    throw e;
  }
}
