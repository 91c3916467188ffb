import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach } from 'vitest';
import {
  createBinanceVenue,
  type BinanceVenueOptions,
} from '../../src/venues/binance/createBinanceVenue.ts';
import type { AccountEvent, Venue, VenueError } from '../../src/venues/port.ts';
import type { Emulator } from '../../src/venues/emulator/index.ts';

const open: Venue[] = [];

afterEach(async () => {
  while (open.length > 0) await open.pop()?.close();
});

/** Every line the venues of the current test file logged, for the no-credentials checks. */
export const logLines: string[] = [];

const logger = pino(
  { level: 'debug' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  }),
);

/** Returns a Binance venue pointed at `em` with markets loaded, closed after the current test. */
export async function venueOn(
  em: Emulator,
  overrides: Partial<BinanceVenueOptions> = {},
): Promise<Venue> {
  const venue = await createBinanceVenue({
    apiKey: em.apiKey,
    secret: em.secret,
    url: em.restUrl,
    logger,
    ...overrides,
  });
  open.push(venue);
  await venue.loadMarkets();
  return venue;
}

/** Returns the VenueError a promise rejects with; fails when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<VenueError> {
  try {
    await promise;
  } catch (e) {
    return e as VenueError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** An account subscription whose events a test can wait for. */
export interface AccountWatch {
  readonly events: AccountEvent[];
  readonly errors: VenueError[];
  /** Resolves with the first event from index `from` on (seen or to come) that `match` accepts. */
  next(match: (event: AccountEvent) => boolean, from?: number): Promise<AccountEvent>;
  unsubscribe(): void;
}

/** Subscribes to `venue`'s account stream and records what arrives. */
export function watch(venue: Venue): AccountWatch {
  const events: AccountEvent[] = [];
  const errors: VenueError[] = [];
  const waiters: Array<{
    match: (e: AccountEvent) => boolean;
    from: number;
    resolve: (e: AccountEvent) => void;
  }> = [];
  const settle = (): void => {
    for (const w of [...waiters]) {
      const hit = events.slice(w.from).find(w.match);
      if (hit !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hit);
      }
    }
  };
  const unsubscribe = venue.watchAccount(
    (event) => {
      events.push(event);
      settle();
    },
    (error) => errors.push(error),
  );
  return {
    events,
    errors,
    next(match, from = 0) {
      return new Promise((resolve) => {
        waiters.push({ match, from, resolve });
        settle();
      });
    },
    unsubscribe,
  };
}
