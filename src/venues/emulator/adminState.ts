import type { EmulatedExchange, RetainedSizes } from './exchange.ts';
import type { ProtectionRecord } from './protection.ts';
import type { Retention } from './retention.ts';
import type { Fill } from './types.ts';
import { algoOrderJson, marketOrderJson, unrealized } from './wire.ts';

/** One position as `/admin/state` and `POST /admin/positions` report it. */
export interface PositionView {
  readonly symbol: string;
  readonly side: 'long' | 'short' | 'flat';
  /** Signed size (negative = short), a decimal string. */
  readonly amount: string;
  readonly entryPrice: string;
  readonly markPrice: string;
  readonly lastPrice: string;
  readonly unrealizedPnl: string;
  readonly realizedPnl: string;
  readonly openedAt: number;
  /** Unprotected time since the position opened (0 when flat). */
  readonly unprotectedMs: number;
  /** Whether a stop on the closing side rests now. */
  readonly isProtected: boolean;
  /** When a protecting stop first rested for this position; null if none has yet. */
  readonly firstProtectedAt: number | null;
  /** Unprotected time after firstProtectedAt: what a stop engine's moves left naked. */
  readonly unprotectedMsSinceFirstProtected: number;
  /** When a stop placed while this position was open first protected it; null if none has yet. */
  readonly firstOwnStopAt: number | null;
  /** Unprotected time after firstOwnStopAt: naked time not counting borrowed cover lost before it. */
  readonly unprotectedMsSinceOwnStop: number;
  /** The position's own stop (Bybit's trading-stop), or null when none is set. */
  readonly positionStop: {
    readonly stopPrice: string;
    readonly workingType: 'CONTRACT_PRICE' | 'MARK_PRICE';
    readonly updatedAt: number;
  } | null;
}

/** Where prices come from and how far the feed got. */
export interface FeedStatus {
  /** `none`: prices move only through `POST /admin/price` (or `setPrice`). */
  readonly kind: 'none' | 'synthetic' | 'csv';
  /** Ticks the feed delivered so far. */
  readonly ticks: number;
  /** True once a CSV replay delivered its last tick (always with `none`). */
  readonly ended: boolean;
}

/** The body of `GET /admin/state`. Orders use Binance's REST shapes. */
export interface AdminState {
  /** The emulator clock's now. */
  readonly time: number;
  readonly prices: Readonly<Record<string, { readonly last: string; readonly mark: string }>>;
  /** Open positions only. */
  readonly positions: readonly PositionView[];
  /** Resting conditional orders (`GET /fapi/v1/algoOrder` shape), oldest first. */
  readonly openOrders: ReadonlyArray<Record<string, unknown>>;
  /** The retained finished conditional orders, oldest first. */
  readonly finishedOrders: ReadonlyArray<Record<string, unknown>>;
  /** The retained market orders (`GET /fapi/v1/order` shape), oldest first. */
  readonly orders: ReadonlyArray<Record<string, unknown>>;
  /** The retained executions, oldest first. */
  readonly fills: readonly Fill[];
  /** The retained closed positions' records, then one per open position. */
  readonly protection: readonly ProtectionRecord[];
  readonly wallet: string;
  readonly faults: Readonly<Record<string, unknown>>;
  readonly feed: FeedStatus;
  readonly retention: Retention;
  readonly retained: RetainedSizes;
}

/** Returns the admin view of `symbol`'s position (flat when none is open). */
export function positionView(ex: EmulatedExchange, symbol: string): PositionView {
  const p = ex.position(symbol);
  const book = ex.book(symbol);
  const record = ex.protection.openRecord(symbol, ex.clock.now());
  const stop = ex.positionStop(symbol);
  return {
    symbol,
    side: p.amount.isZero() ? 'flat' : p.amount.isPos() ? 'long' : 'short',
    amount: p.amount.toString(),
    entryPrice: p.entryPrice.toString(),
    markPrice: book.mark.toString(),
    lastPrice: book.last.toString(),
    unrealizedPnl: unrealized(p, book.mark).toString(),
    realizedPnl: p.realizedPnl.toString(),
    openedAt: p.openedAt,
    unprotectedMs: record?.unprotectedMs ?? 0,
    isProtected: record?.isProtected ?? false,
    firstProtectedAt: record?.firstProtectedAt ?? null,
    unprotectedMsSinceFirstProtected: record?.unprotectedMsSinceFirstProtected ?? 0,
    firstOwnStopAt: record?.firstOwnStopAt ?? null,
    unprotectedMsSinceOwnStop: record?.unprotectedMsSinceOwnStop ?? 0,
    positionStop:
      stop === undefined
        ? null
        : {
            stopPrice: stop.triggerPrice.toString(),
            workingType: stop.workingType,
            updatedAt: stop.updateTime,
          },
  };
}

/** Returns the `GET /admin/state` body: open things in full, finished ones as retained. */
export function adminState(
  ex: EmulatedExchange,
  faults: Readonly<Record<string, unknown>>,
  feed: FeedStatus,
): AdminState {
  const now = ex.clock.now();
  const symbols = ex.specs().map((s) => s.symbol);
  return {
    time: now,
    prices: Object.fromEntries(
      symbols.map((s) => [
        s,
        { last: ex.book(s).last.toString(), mark: ex.book(s).mark.toString() },
      ]),
    ),
    positions: symbols
      .filter((s) => !ex.position(s).amount.isZero())
      .map((s) => positionView(ex, s)),
    openOrders: ex.openAlgos().map(algoOrderJson),
    finishedOrders: ex.finishedAlgoOrders().map(algoOrderJson),
    orders: ex.recentOrders().map(marketOrderJson),
    fills: ex.recentFills(),
    protection: ex.protection.records(now),
    wallet: ex.walletBalance().toString(),
    faults,
    feed,
    retention: ex.retention,
    retained: ex.retained(),
  };
}
