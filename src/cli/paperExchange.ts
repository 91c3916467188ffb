import type { Logger } from 'pino';
import { hashSeed } from '../venues/emulator/random.ts';
import {
  readPaperState,
  startEmulator,
  syntheticFeed,
  writePaperState,
  type Emulator,
  type PaperState,
  type PriceFeed,
} from '../venues/emulator/index.ts';
import type { PaperPosition } from './paperConfig.ts';

/** How a paper exchange starts. */
export interface PaperExchangeOptions {
  readonly dataDir: string;
  readonly seed: number;
  readonly speed: number;
  readonly positions: readonly PaperPosition[];
  readonly logger: Logger;
}

/**
 * The exchange of a paper run: the emulator in this process on a free loopback port, its account
 * saved in the data directory (prices, positions, resting orders) and restored on the next start,
 * and a seeded synthetic feed that starts only when told, so an engine resumes its stops before
 * any price moves.
 */
export class PaperExchange {
  private feed: PriceFeed | undefined;
  private dirty = false;

  private constructor(
    readonly em: Emulator,
    private readonly options: PaperExchangeOptions,
    /** Whether the account was restored from the data directory (false: a new paper run). */
    readonly resumed: boolean,
    private readonly feedState: PaperState['feed'],
  ) {
    em.exchange.subscribe({
      trade: () => (this.dirty = true),
      user: () => (this.dirty = true),
    });
  }

  /**
   * Starts the exchange from the state saved in `dataDir`, or afresh with the configured
   * positions opened at the start prices; saves at once. Throws PaperStateError for a state
   * file that cannot be read back. A resumed run keeps the seed it started with.
   */
  static async start(options: PaperExchangeOptions): Promise<PaperExchange> {
    const saved = readPaperState(options.dataDir);
    const symbols = [
      ...new Set([
        ...options.positions.map((p) => p.symbol),
        ...Object.keys(saved?.exchange.prices ?? {}),
      ]),
    ];
    const em = await startEmulator({
      symbols,
      ...(saved === undefined ? {} : { restore: saved.exchange }),
      onError: (err) => options.logger.error({ err }, 'paper exchange error'),
    });
    const feed = saved === undefined ? { seed: options.seed, runs: 0 } : saved.feed;
    const paper = new PaperExchange(em, options, saved !== undefined, feed);
    if (saved === undefined) paper.openMissing();
    paper.save();
    return paper;
  }

  /** The feed's seed for this run: the configured one first, then one stream per later run. */
  get runSeed(): number {
    const { seed, runs } = this.feedState;
    return runs === 0 ? seed : hashSeed(seed, `run ${runs}`);
  }

  /** The seed the run started with (a resumed run keeps its own). */
  get seed(): number {
    return this.feedState.seed;
  }

  /** Opens every configured position whose symbol is flat; returns the symbols opened. */
  openMissing(): string[] {
    const opened: string[] = [];
    for (const p of this.options.positions) {
      if (!this.em.exchange.position(p.symbol).amount.isZero()) continue;
      this.em.openPosition(p.symbol, p.side, p.quantity);
      opened.push(p.symbol);
    }
    if (opened.length > 0) this.save();
    return opened;
  }

  /** Opens the configured position on `symbol` again if it is flat; returns whether it did. */
  reopen(symbol: string): boolean {
    const p = this.options.positions.find((q) => q.symbol === symbol);
    if (p === undefined || !this.em.exchange.position(symbol).amount.isZero()) return false;
    this.em.openPosition(p.symbol, p.side, p.quantity);
    this.save();
    return true;
  }

  /** Starts the synthetic feed from the current prices (once). */
  startFeed(): void {
    if (this.feed !== undefined) return;
    const specs = this.em.exchange
      .specs()
      .map((spec) => ({ ...spec, startPrice: this.em.exchange.book(spec.symbol).last.toString() }));
    this.feed = syntheticFeed({ seed: this.runSeed, specs, speed: this.options.speed });
    this.feed.start((t) =>
      this.em.exchange.trade(t.symbol, t.price, t.qty, t.mark, t.isBuyerMaker),
    );
  }

  /** Stops the feed: prices hold still from here on. */
  stopFeed(): void {
    this.feed?.stop();
  }

  /** Writes the account to the data directory if it changed since the last save. */
  saveIfChanged(): void {
    if (this.dirty) this.save();
  }

  /** Writes the account to the data directory now. */
  save(): void {
    this.dirty = false;
    writePaperState(this.options.dataDir, {
      version: 1,
      savedAt: this.em.exchange.clock.now(),
      // The next run plays the next stream of the seed, from the prices where this one stopped.
      feed: { seed: this.feedState.seed, runs: this.feedState.runs + 1 },
      exchange: this.em.exchange.saveState(),
    });
  }

  /** Stops the feed, saves, and closes the exchange. */
  async close(): Promise<void> {
    this.stopFeed();
    this.save();
    await this.em.close();
  }
}
