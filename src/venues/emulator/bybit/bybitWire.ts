import { Decimal } from 'decimal.js';
import type { EmulatedExchange } from '../exchange.ts';
import { decimalsOf, formatTo, type SymbolSpec } from '../markets.ts';
import type { Fill, MarketOrder, PositionStop, WorkingType } from '../types.ts';
import { unrealized } from '../wire.ts';
import { bybitExecId, bybitOrderId } from './bybitIds.ts';

/**
 * Bybit v5's JSON shapes (linear category) built from the shared core, so the field names ccxt's
 * `bybit` parses live in one place. Bybit writes every number as a string.
 */

/** Bybit's name for the price a stop watches. */
export function triggerByOf(workingType: WorkingType): 'LastPrice' | 'MarkPrice' {
  return workingType === 'MARK_PRICE' ? 'MarkPrice' : 'LastPrice';
}

/** Returns the `/v5/market/instruments-info` row of a listed contract. */
export function instrumentJson(spec: SymbolSpec): Record<string, unknown> {
  const maxPrice = new Decimal('10000000').minus(spec.tickSize);
  return {
    symbol: spec.symbol,
    contractType: 'LinearPerpetual',
    status: 'Trading',
    baseCoin: spec.baseAsset,
    quoteCoin: spec.quoteAsset,
    launchTime: '1585526400000',
    deliveryTime: '0',
    deliveryFeeRate: '',
    priceScale: String(decimalsOf(spec.tickSize)),
    leverageFilter: { minLeverage: '1', maxLeverage: '100.00', leverageStep: '0.01' },
    priceFilter: {
      minPrice: spec.tickSize,
      maxPrice: formatTo(maxPrice, spec.tickSize),
      tickSize: spec.tickSize,
    },
    lotSizeFilter: {
      maxOrderQty: spec.maxQty,
      minOrderQty: spec.minQty,
      qtyStep: spec.stepSize,
      postOnlyMaxOrderQty: spec.maxQty,
      maxMktOrderQty: spec.maxQty,
      minNotionalValue: '5',
    },
    unifiedMarginTrade: true,
    fundingInterval: 480,
    settleCoin: spec.quoteAsset,
    copyTrading: 'both',
    upperFundingRate: '0.00375',
    lowerFundingRate: '-0.00375',
    isPreListing: false,
    preListingInfo: null,
  };
}

/** Returns the `/v5/market/tickers` row (also the `tickers.<symbol>` snapshot) of `symbol`. */
export function tickerJson(
  ex: EmulatedExchange,
  symbol: string,
  now: number,
): Record<string, unknown> {
  const book = ex.book(symbol);
  const tick = book.spec.tickSize;
  const stats = book.stats.json(symbol, now, book.last);
  const open = new Decimal(String(stats['openPrice']));
  const pct = open.isZero() ? new Decimal(0) : book.last.minus(open).div(open).toDecimalPlaces(6);
  const nextFunding = Math.ceil((now + 1) / 28_800_000) * 28_800_000;
  return {
    symbol,
    tickDirection: 'PlusTick',
    lastPrice: formatTo(book.last, tick),
    indexPrice: formatTo(book.mark, tick),
    markPrice: formatTo(book.mark, tick),
    prevPrice24h: formatTo(open, tick),
    price24hPcnt: pct.toFixed(6),
    highPrice24h: formatTo(new Decimal(String(stats['highPrice'])), tick),
    lowPrice24h: formatTo(new Decimal(String(stats['lowPrice'])), tick),
    prevPrice1h: formatTo(open, tick),
    openInterest: '0',
    openInterestValue: '0',
    turnover24h: String(stats['quoteVolume']),
    volume24h: String(stats['volume']),
    fundingRate: '0.0001',
    nextFundingTime: String(nextFunding),
    predictedDeliveryPrice: '',
    basisRate: '',
    deliveryFeeRate: '',
    deliveryTime: '0',
    bid1Price: formatTo(book.last, tick),
    bid1Size: '10',
    ask1Price: formatTo(book.last.plus(tick), tick),
    ask1Size: '10',
    basis: '',
  };
}

/**
 * Returns the position row of `symbol` (`/v5/position/list`, and the `position` topic when
 * `stream`: Bybit names the entry price `avgPrice` over REST and `entryPrice` on the stream). A
 * flat position has side "" and size "0"; its stop reads "0" as Bybit has dropped it.
 */
export function positionJson(
  ex: EmulatedExchange,
  symbol: string,
  stream: boolean,
): Record<string, unknown> {
  const p = ex.position(symbol);
  const book = ex.book(symbol);
  const flat = p.amount.isZero();
  const stop = flat ? undefined : ex.positionStop(symbol);
  const value = p.amount.abs().mul(book.mark);
  const entry = flat ? '0' : p.entryPrice.toString();
  return {
    positionIdx: 0,
    tradeMode: 0,
    riskId: 1,
    riskLimitValue: '2000000',
    symbol,
    side: flat ? '' : p.amount.isPos() ? 'Buy' : 'Sell',
    size: p.amount.abs().toString(),
    [stream ? 'entryPrice' : 'avgPrice']: entry,
    leverage: '10',
    positionValue: flat ? '0' : p.amount.abs().mul(p.entryPrice).toString(),
    positionBalance: value.div(10).toString(),
    markPrice: formatTo(book.mark, book.spec.tickSize),
    positionIM: value.div(10).toString(),
    positionMM: value.mul('0.005').toString(),
    tpslMode: 'Full',
    takeProfit: '0',
    stopLoss: stop === undefined ? '0' : stop.triggerPrice.toString(),
    trailingStop: '0',
    unrealisedPnl: unrealized(p, book.mark).toString(),
    curRealisedPnl: p.realizedPnl.toString(),
    cumRealisedPnl: p.realizedPnl.toString(),
    liqPrice: '',
    bustPrice: '',
    positionStatus: 'Normal',
    adlRankIndicator: flat ? 0 : 2,
    autoAddMargin: 0,
    isReduceOnly: false,
    mmrSysUpdatedTime: '',
    leverageSysUpdatedTime: '',
    seq: p.updateTime,
    createdTime: String(p.openedAt),
    updatedTime: String(p.updateTime),
    ...(stream ? { category: 'linear' } : {}),
  };
}

function orderBase(symbol: string): Record<string, unknown> {
  return {
    category: 'linear',
    symbol,
    blockTradeId: '',
    isLeverage: '',
    positionIdx: 0,
    cancelType: 'UNKNOWN',
    rejectReason: 'EC_NoError',
    timeInForce: 'IOC',
    orderType: 'Market',
    orderIv: '',
    takeProfit: '',
    stopLoss: '',
    tpTriggerBy: '',
    slTriggerBy: '',
    tpLimitPrice: '',
    slLimitPrice: '',
    smpType: 'None',
    smpGroup: 0,
    smpOrderId: '',
    placeType: '',
    cumExecFee: '0',
  };
}

/**
 * Returns a market order's row (`/v5/order/realtime`, the `order` topic). An order a position stop
 * produced is that stop's conditional order, now executed: same id, `stopOrderType` StopLoss.
 * `accepted` gives the row as it stood before its fill (status New).
 */
export function marketOrderJson(o: MarketOrder, accepted = false): Record<string, unknown> {
  const fromStop = o.positionStopId !== undefined;
  const filled = accepted ? new Decimal(0) : o.executedQty;
  return {
    ...orderBase(o.symbol),
    orderId: bybitOrderId(o.positionStopId ?? o.orderId),
    orderLinkId: fromStop ? '' : o.clientOrderId,
    price: '0',
    qty: fromStop ? '0' : o.origQty.toString(),
    side: o.side === 'BUY' ? 'Buy' : 'Sell',
    orderStatus: accepted ? 'New' : o.status === 'FILLED' ? 'Filled' : 'Cancelled',
    avgPrice: accepted ? '' : o.avgPrice.toString(),
    leavesQty: accepted ? o.origQty.toString() : '0',
    leavesValue: '0',
    cumExecQty: filled.toString(),
    cumExecValue: filled.mul(o.avgPrice).toString(),
    stopOrderType: fromStop ? 'StopLoss' : '',
    triggerPrice: fromStop ? o.stopPrice.toString() : '',
    triggerBy: fromStop ? triggerByOf(o.workingType) : '',
    triggerDirection: fromStop ? (o.side === 'SELL' ? 2 : 1) : 0,
    lastPriceOnCreated: '',
    reduceOnly: o.reduceOnly,
    closeOnTrigger: fromStop,
    tpslMode: fromStop ? 'Full' : '',
    createdTime: String(o.time),
    updatedTime: String(o.updateTime),
  };
}

/**
 * Returns the row of a position stop's conditional order: Untriggered while it rests (the status
 * `status` names otherwise), qty 0 since it closes the whole position.
 */
export function stopOrderJson(
  s: PositionStop,
  status: 'Untriggered' | 'Triggered' | 'Deactivated',
): Record<string, unknown> {
  return {
    ...orderBase(s.symbol),
    orderId: bybitOrderId(s.orderId),
    orderLinkId: '',
    price: '0',
    qty: '0',
    side: s.side === 'BUY' ? 'Buy' : 'Sell',
    orderStatus: status,
    avgPrice: '',
    leavesQty: '0',
    leavesValue: '0',
    cumExecQty: '0',
    cumExecValue: '0',
    stopOrderType: 'StopLoss',
    triggerPrice: s.triggerPrice.toString(),
    triggerBy: triggerByOf(s.workingType),
    triggerDirection: s.side === 'SELL' ? 2 : 1,
    lastPriceOnCreated: '',
    reduceOnly: true,
    closeOnTrigger: true,
    tpslMode: 'Full',
    createdTime: String(s.createTime),
    updatedTime: String(s.updateTime),
  };
}

/** Returns the `execution` topic row of one fill of `o`. */
export function executionJson(
  o: MarketOrder,
  fill: Fill,
  markPrice: string,
): Record<string, unknown> {
  const fromStop = o.positionStopId !== undefined;
  return {
    category: 'linear',
    symbol: o.symbol,
    execFee: '0',
    execId: bybitExecId(fill.tradeId),
    execPrice: fill.price,
    execQty: fill.quantity,
    execType: 'Trade',
    execValue: new Decimal(fill.price).mul(fill.quantity).toString(),
    isMaker: false,
    feeRate: '0',
    tradeIv: '',
    markIv: '',
    blockTradeId: '',
    markPrice,
    indexPrice: '',
    underlyingPrice: '',
    leavesQty: '0',
    orderId: bybitOrderId(o.positionStopId ?? o.orderId),
    orderLinkId: fromStop ? '' : o.clientOrderId,
    orderPrice: '0',
    orderQty: fromStop ? '0' : o.origQty.toString(),
    orderType: 'Market',
    stopOrderType: fromStop ? 'StopLoss' : '',
    side: o.side === 'BUY' ? 'Buy' : 'Sell',
    execTime: String(fill.time),
    isLeverage: '0',
    seq: fill.tradeId,
  };
}
