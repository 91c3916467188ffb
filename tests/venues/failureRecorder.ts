import { expect } from 'vitest';
import type { PlaceStopRequest, VenueError } from '../../src/venues/port.ts';
import { emulator } from './emulatorHarness.ts';
import { rejection } from './binanceHarness.ts';

/** The failures one test file provokes, kept to check at the end that none leaks a secret. */
export interface FailureRecorder {
  /** Every error seen so far. */
  readonly seen: VenueError[];
  /** Every credential the tests used, none of which may appear in a message or log line. */
  readonly secrets: string[];
  /** Returns a BTCUSDT long stop request with `clientId`, changed by `over`. */
  readonly stop: (over?: Partial<PlaceStopRequest>) => PlaceStopRequest;
  /** Returns the VenueError `promise` rejects with, and keeps it. */
  readonly failing: (promise: Promise<unknown>) => Promise<VenueError>;
  /** Returns an emulator listing BTCUSDT with a long position of 0.01 open. */
  readonly setup: (options?: Parameters<typeof emulator>[0]) => ReturnType<typeof emulator>;
  /** Expects at least `minimum` errors seen, and no message or log line with a credential. */
  readonly expectNoSecrets: (logLines: readonly string[], minimum: number) => string[];
}

/** Returns a recorder whose stop requests carry `clientId`. */
export function failureRecorder(clientId: string): FailureRecorder {
  const seen: VenueError[] = [];
  const secrets: string[] = [];
  return {
    seen,
    secrets,
    stop: (over = {}) => ({
      symbol: 'BTCUSDT',
      positionSide: 'long',
      quantity: '0.01',
      stopPrice: '59000',
      clientId,
      workingType: 'CONTRACT_PRICE',
      ...over,
    }),
    failing: async (promise) => {
      const error = await rejection(promise);
      seen.push(error);
      return error;
    },
    setup: async (options = {}) => {
      const em = await emulator({ symbols: ['BTCUSDT'], ...options });
      secrets.push(em.apiKey, em.secret);
      em.openPosition('BTCUSDT', 'long', '0.01');
      return em;
    },
    expectNoSecrets: (logLines, minimum) => {
      expect(seen.length).toBeGreaterThanOrEqual(minimum);
      expect(logLines.length).toBeGreaterThan(0);
      const texts = [...seen.map((e) => e.message), ...logLines];
      for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
      return texts;
    },
  };
}
