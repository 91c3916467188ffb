/**
 * A local futures exchange for tests and demos that speaks Binance USDⓈ-M's and Bybit v5's wire
 * formats over one account, driven by the real ccxt clients.
 * See docs/exchange-emulator.md.
 */
export {
  startEmulator,
  type Emulator,
  type EmulatorOptions,
  type EmulatorVenue,
  type FeedOption,
} from './server.ts';
export type { AdminState, FeedStatus, PositionView } from './adminState.ts';
export type { ProtectionRecord } from './protection.ts';
export type { Retention } from './retention.ts';
export { createCcxtClient, type BinanceUsdm, type EmulatorEndpoint } from './ccxtClient.ts';
export { createBybitCcxtClient, type Bybit, type BybitEndpoint } from './bybit/bybitCcxtClient.ts';
export { ManualClock, systemClock, type Clock } from './clock.ts';
export { EmulatedExchange } from './exchange.ts';
export { SyntheticGenerator, syntheticFeed, type Regime } from './feeds/synthetic.ts';
export { parseBinanceCsv, CsvError, type CsvFormat } from './feeds/csv.ts';
export { replayFeed } from './feeds/replay.ts';
export type { FeedTick, PriceFeed } from './feeds/types.ts';
export type { FaultsInput } from './faults.ts';
export type { ExchangeState } from './exchangeState.ts';
export {
  PAPER_STATE_FILE,
  PaperStateError,
  readPaperState,
  writePaperState,
  type PaperState,
} from './paperStateFile.ts';
