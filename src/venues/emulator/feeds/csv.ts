import { Decimal } from 'decimal.js';
import { basename } from 'node:path';
import type { FeedTick } from './types.ts';

/** The Binance public-data formats the replay understands. */
export type CsvFormat = 'klines' | 'aggTrades';

/** A readable complaint about a CSV file (the CLI prints its message as is). */
export class CsvError extends Error {
  override name = 'CsvError';
}

const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/** Binance switched spot files to microseconds in 2025; futures files use milliseconds. */
function millis(raw: string): number {
  const n = Number(raw);
  return n > 1e14 ? Math.floor(n / 1000) : n;
}

/** Returns the symbol named by a data.binance.vision file name ("BTCUSDT-1m-2024-01-01.csv"). */
export function symbolFromFileName(path: string): string | undefined {
  const m = /^([A-Z0-9]+USDT)-/.exec(basename(path));
  return m?.[1];
}

/**
 * Returns the ticks of a Binance kline or aggTrades CSV (with or without the header row that
 * newer files carry). A kline becomes four ticks inside its interval (open, the nearer extreme,
 * the farther extreme, close), so a replay still visits each bar's high and low.
 */
export function parseBinanceCsv(
  text: string,
  symbol: string,
  file = 'CSV',
): { format: CsvFormat; ticks: FeedTick[] } {
  const rows = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => l.split(','));
  const first = rows[0];
  if (first === undefined)
    throw new CsvError(`${file} is empty: expected Binance kline or aggTrades rows.`);
  const hasHeader = !NUMBER.test(first[0] ?? '');
  const header = hasHeader ? first.map((h) => h.trim().toLowerCase()) : undefined;
  const data = hasHeader ? rows.slice(1) : rows;
  const width = header?.length ?? first.length;
  let format: CsvFormat;
  if (
    header?.includes('agg_trade_id') === true ||
    (header === undefined && (width === 7 || width === 8))
  )
    format = 'aggTrades';
  else if (header?.includes('open_time') === true || (header === undefined && width >= 11))
    format = 'klines';
  else {
    throw new CsvError(
      `${file} is neither a Binance kline file (12 columns: open_time,open,high,low,close,volume,close_time,…) nor an aggTrades file (agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker); its first row has ${width} columns.`,
    );
  }
  const ticks: FeedTick[] = [];
  data.forEach((cols, i) => {
    const line = i + (hasHeader ? 2 : 1);
    const num = (idx: number, what: string): string => {
      const v = cols[idx]?.trim();
      if (v === undefined || !NUMBER.test(v))
        throw new CsvError(`${file} line ${line}: ${what} "${v ?? ''}" is not a number.`);
      return v;
    };
    if (format === 'aggTrades') {
      ticks.push({
        symbol,
        time: millis(num(5, 'transact_time')),
        price: new Decimal(num(1, 'price')),
        qty: new Decimal(num(2, 'quantity')),
        isBuyerMaker: (cols[6] ?? '').trim().toLowerCase() === 'true',
      });
      return;
    }
    const open = new Decimal(num(1, 'open'));
    const high = new Decimal(num(2, 'high'));
    const low = new Decimal(num(3, 'low'));
    const close = new Decimal(num(4, 'close'));
    const qty = new Decimal(num(5, 'volume')).div(4);
    const t0 = millis(num(0, 'open_time'));
    const t1 = millis(num(6, 'close_time')) + 1;
    const quarter = Math.max(1, Math.floor((t1 - t0) / 4));
    const path = close.gte(open) ? [open, low, high, close] : [open, high, low, close];
    path.forEach((price, k) =>
      ticks.push({
        symbol,
        time: t0 + k * quarter,
        price,
        qty,
        isBuyerMaker: k === 3 ? close.lt(open) : false,
      }),
    );
  });
  for (let i = 1; i < ticks.length; i++) {
    if ((ticks[i]?.time ?? 0) < (ticks[i - 1]?.time ?? 0))
      throw new CsvError(`${file}: rows are not in time order near row ${i + 1}.`);
  }
  return { format, ticks };
}
