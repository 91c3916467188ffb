import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach } from 'vitest';
import {
  createBybitVenue,
  type BybitVenueOptions,
} from '../../src/venues/bybit/createBybitVenue.ts';
import {
  createBybitCcxtClient,
  type Bybit,
  type Emulator,
} from '../../src/venues/emulator/index.ts';
import type { Venue } from '../../src/venues/port.ts';

export { rejection, watch, type AccountWatch } from './binanceHarness.ts';

const open: Array<{ close(): Promise<unknown> }> = [];

afterEach(async () => {
  while (open.length > 0) await open.pop()?.close();
});

/** Every line the Bybit venues of the current test file logged, for the no-credentials checks. */
export const bybitLogLines: string[] = [];

const logger = pino(
  { level: 'debug' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      bybitLogLines.push(chunk.toString());
      done();
    },
  }),
);

/** Returns an unmodified ccxt `bybit` pointed at `em`, closed after the current test. */
export async function bybitClient(
  em: Emulator,
  config: Record<string, unknown> = {},
): Promise<Bybit> {
  const c = await createBybitCcxtClient(em, config);
  open.push(c);
  return c;
}

/** Returns a Bybit venue pointed at `em` with markets loaded, closed after the current test. */
export async function bybitVenueOn(
  em: Emulator,
  overrides: Partial<BybitVenueOptions> = {},
): Promise<Venue> {
  const venue = await createBybitVenue({
    apiKey: em.apiKey,
    secret: em.secret,
    url: em.restUrl,
    clientIdPrefix: 'rt',
    logger,
    ...overrides,
  });
  open.push(venue);
  await venue.loadMarkets();
  return venue;
}
