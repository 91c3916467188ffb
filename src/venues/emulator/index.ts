/**
 * A local Binance USDⓈ-M futures exchange for tests and demos, driven by the real ccxt client.
 * See docs/exchange-emulator.md.
 */
export { startEmulator, type Emulator, type EmulatorOptions, type FeedOption } from './server.ts';
export type { AdminState, FeedStatus, PositionView } from './adminState.ts';
export type { ProtectionRecord } from './protection.ts';
export type { Retention } from './retention.ts';
export { createCcxtClient, type BinanceUsdm, type EmulatorEndpoint } from './ccxtClient.ts';
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
