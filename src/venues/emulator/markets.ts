import { Decimal } from 'decimal.js';

/** The trading rules of one emulated perpetual contract. */
export interface SymbolSpec {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tickSize: string;
  readonly stepSize: string;
  readonly minQty: string;
  readonly maxQty: string;
  /** Where the synthetic feed starts when nothing else sets a price. */
  readonly startPrice: string;
}

const known: Readonly<Record<string, Omit<SymbolSpec, 'symbol' | 'baseAsset' | 'quoteAsset'>>> = {
  BTCUSDT: {
    tickSize: '0.10',
    stepSize: '0.001',
    minQty: '0.001',
    maxQty: '1000',
    startPrice: '60000.00',
  },
  ETHUSDT: {
    tickSize: '0.01',
    stepSize: '0.001',
    minQty: '0.001',
    maxQty: '10000',
    startPrice: '3000.00',
  },
  SOLUSDT: {
    tickSize: '0.0100',
    stepSize: '1',
    minQty: '1',
    maxQty: '1000000',
    startPrice: '150.0000',
  },
};

/**
 * Returns the spec of `symbol`: the real tick/step of the best-known contracts, generic values
 * for any other `XXXUSDT`. Throws when the symbol is not a USDT pair.
 */
export function symbolSpec(symbol: string): SymbolSpec {
  if (!/^[A-Z0-9]{2,15}USDT$/.test(symbol)) {
    throw new Error(`"${symbol}" is not a USDⓈ-M perpetual symbol such as BTCUSDT`);
  }
  const base = symbol.slice(0, -4);
  const rules = known[symbol] ?? {
    tickSize: '0.0001',
    stepSize: '1',
    minQty: '1',
    maxQty: '10000000',
    startPrice: '1.0000',
  };
  return { symbol, baseAsset: base, quoteAsset: 'USDT', ...rules };
}

/** Returns the number of decimals a tick or step string expresses ("0.10" → 1, "1" → 0). */
export function decimalsOf(increment: string): number {
  return new Decimal(increment).decimalPlaces();
}

/** Returns `value` rounded to a multiple of `increment`, half-up, as an exact Decimal. */
export function roundTo(value: Decimal, increment: string): Decimal {
  const inc = new Decimal(increment);
  return value.div(inc).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).mul(inc);
}

/** Returns whether `value` is an exact multiple of `increment`. */
export function isMultipleOf(value: Decimal, increment: string): boolean {
  return value.mod(new Decimal(increment)).isZero();
}

/** Returns `value` formatted with the decimals of `increment` (Binance pads prices this way). */
export function formatTo(value: Decimal, increment: string): string {
  return value.toFixed(decimalsOf(increment));
}

const orderTypes = [
  'LIMIT',
  'MARKET',
  'STOP',
  'STOP_MARKET',
  'TAKE_PROFIT',
  'TAKE_PROFIT_MARKET',
  'TRAILING_STOP_MARKET',
];

/**
 * Returns a `/fapi/v1/exchangeInfo` body for `specs`, shaped like Binance's so ccxt's
 * parseMarket derives precision from the filters and accepts STOP_MARKET/TRAILING_STOP_MARKET.
 */
export function exchangeInfo(
  specs: readonly SymbolSpec[],
  serverTime: number,
  weightLimit: number,
): unknown {
  return {
    timezone: 'UTC',
    serverTime,
    futuresType: 'U_MARGINED',
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: weightLimit },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300 },
    ],
    exchangeFilters: [],
    assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
    symbols: specs.map((s) => ({
      symbol: s.symbol,
      pair: s.symbol,
      contractType: 'PERPETUAL',
      deliveryDate: 4133404800000,
      onboardDate: 1569398400000,
      status: 'TRADING',
      maintMarginPercent: '2.5000',
      requiredMarginPercent: '5.0000',
      baseAsset: s.baseAsset,
      quoteAsset: s.quoteAsset,
      marginAsset: s.quoteAsset,
      pricePrecision: decimalsOf(s.tickSize),
      quantityPrecision: decimalsOf(s.stepSize),
      baseAssetPrecision: 8,
      quotePrecision: 8,
      underlyingType: 'COIN',
      underlyingSubType: [],
      triggerProtect: '0.0500',
      liquidationFee: '0.012500',
      marketTakeBound: '0.05',
      maxMoveOrderLimit: 10000,
      filters: [
        {
          filterType: 'PRICE_FILTER',
          minPrice: s.tickSize,
          maxPrice: '10000000',
          tickSize: s.tickSize,
        },
        { filterType: 'LOT_SIZE', minQty: s.minQty, maxQty: s.maxQty, stepSize: s.stepSize },
        { filterType: 'MARKET_LOT_SIZE', minQty: s.minQty, maxQty: s.maxQty, stepSize: s.stepSize },
        { filterType: 'MAX_NUM_ORDERS', limit: 200 },
        { filterType: 'MIN_NOTIONAL', notional: '5' },
        {
          filterType: 'PERCENT_PRICE',
          multiplierUp: '1.0500',
          multiplierDown: '0.9500',
          multiplierDecimal: '4',
        },
      ],
      orderTypes,
      timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
    })),
  };
}
