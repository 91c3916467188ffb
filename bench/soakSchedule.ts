import { createRandom } from '../src/venues/emulator/random.ts';

/** The kinds of fault a soak injects. */
export const FAULT_KINDS = [
  'latency',
  'errorRate',
  'burst429',
  'lostResponse',
  'wsDisconnect',
  'kill',
  'reject',
  'frozenFeed',
  'storeFault',
  'clockSkew',
] as const;

/** One kind of fault. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * One scheduled fault: applied `atMs` after the soak starts, standing for `forMs` (latency and
 * error rates; the others are one-shot), with the kind's parameters.
 */
export interface ScheduledFault {
  readonly atMs: number;
  readonly kind: FaultKind;
  readonly forMs: number;
  readonly params: Readonly<Record<string, string | number>>;
}

/** The wire formats a soak can drive the engine through. */
export const SOAK_VENUES = ['binance', 'bybit'] as const;

/** One wire format of the emulator: Binance USDⓈ-M or Bybit v5. */
export type SoakVenue = (typeof SOAK_VENUES)[number];

/** What shapes a schedule: how often a fault starts on average, and in whose terms. */
export interface ScheduleOptions {
  /** Mean gap between two faults, ms (default 4000). */
  readonly meanGapMs?: number;
  /** No fault starts in the last `quietTailMs` of the soak, so the end can settle (default 5000). */
  readonly quietTailMs?: number;
  /**
   * Whose endpoints and refusals the faults name (default binance); the times, kinds and every
   * other parameter are the same for both, so one seed gives one soak on either.
   */
  readonly venue?: SoakVenue;
}

/**
 * The endpoints an error rate may hit, by role, so a seed picks the same role on either venue:
 * every endpoint, placing (and on Bybit moving and clearing) a stop, cancelling a stop (Bybit
 * clears with the same call, so its slot is the market close), reading the stops (Bybit: its
 * order look-ups), reading the positions (Bybit: positions and their stops, one list).
 */
const ENDPOINTS: Readonly<Record<SoakVenue, readonly string[]>> = {
  binance: [
    '*',
    'POST /fapi/v1/algoOrder',
    'DELETE /fapi/v1/algoOrder',
    '/fapi/v1/openAlgoOrders',
    '/fapi/v2/positionRisk',
  ],
  bybit: [
    '*',
    'POST /v5/position/trading-stop',
    'POST /v5/order/create',
    '/v5/order/realtime',
    '/v5/position/list',
  ],
};

/** The share of each kind in a schedule; kills are rarer because a restart takes seconds. */
const WEIGHTS: Readonly<Record<FaultKind, number>> = {
  latency: 3,
  errorRate: 3,
  burst429: 2,
  lostResponse: 2,
  wsDisconnect: 2,
  kill: 1,
  reject: 2,
  frozenFeed: 2,
  storeFault: 1,
  clockSkew: 1,
};

/**
 * Refusals an order placement may meet, in each venue's own codes and words, one role per slot:
 * margin (insufficient funds), an overloaded server (retryable), a price out of range (invalid).
 */
const REJECTIONS: Readonly<Record<SoakVenue, readonly { code: number; msg: string }[]>> = {
  binance: [
    { code: -2019, msg: 'Margin is insufficient.' },
    { code: -1008, msg: 'Server is currently overloaded with other requests. Please try again.' },
    {
      code: -4131,
      msg: "The counterparty's best price does not meet the PERCENT_PRICE filter limit.",
    },
  ],
  bybit: [
    { code: 110007, msg: 'ab not enough for new order' },
    { code: 10016, msg: 'System error. Please try again later.' },
    { code: 110003, msg: 'Order price is out of permissible range' },
  ],
};

function pick<T>(items: readonly T[], at: number): T {
  return items[Math.min(items.length - 1, Math.floor(at * items.length))] as T;
}

/**
 * Returns the faults of a soak of `durationMs`, oldest first; the same seed and options always
 * give the same list.
 */
export function faultSchedule(
  seed: number,
  durationMs: number,
  options: ScheduleOptions = {},
): ScheduledFault[] {
  const random = createRandom(seed);
  const venue = options.venue ?? 'binance';
  const meanGap = options.meanGapMs ?? 4000;
  const end = durationMs - (options.quietTailMs ?? 5000);
  const total = FAULT_KINDS.reduce((sum, k) => sum + WEIGHTS[k], 0);
  const faults: ScheduledFault[] = [];
  // The first seconds let the engine start and place the first stops undisturbed.
  let at = 3000;
  // Every kind comes once first, in a seeded order, so even a short soak meets each of them;
  // then kinds are drawn by weight.
  const tour: FaultKind[] = [...FAULT_KINDS];
  for (let i = tour.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [tour[i], tour[j]] = [tour[j] as FaultKind, tour[i] as FaultKind];
  }
  for (;;) {
    // Exponential gaps: a Poisson process of faults, some overlapping, some far apart.
    at += Math.max(200, Math.round(-Math.log(1 - random.next()) * meanGap));
    if (at >= end) break;
    let draw = random.next() * total;
    const kind = tour.shift() ?? FAULT_KINDS.find((k) => (draw -= WEIGHTS[k]) < 0) ?? 'latency';
    faults.push({ atMs: at, kind, ...faultBody(kind, random, venue) });
  }
  return faults;
}

function faultBody(
  kind: FaultKind,
  random: ReturnType<typeof createRandom>,
  venue: SoakVenue,
): Pick<ScheduledFault, 'forMs' | 'params'> {
  switch (kind) {
    case 'latency':
      return { forMs: random.int(1000, 6000), params: { ms: random.int(100, 2000) } };
    case 'errorRate':
      return {
        forMs: random.int(1000, 5000),
        params: {
          endpoint: pick(ENDPOINTS[venue], random.next()),
          rate: random.int(10, 60) / 100,
        },
      };
    case 'burst429':
      return { forMs: 0, params: { requests: random.int(1, 8), retryAfterSec: random.int(0, 2) } };
    case 'lostResponse':
      return {
        forMs: 0,
        params: { count: random.int(1, 2), mode: random.next() < 0.5 ? 'hold' : 'reset' },
      };
    case 'wsDisconnect':
      return { forMs: 0, params: {} };
    case 'kill':
      return { forMs: 0, params: { pauseMs: random.int(0, 3000) } };
    case 'reject': {
      const r = pick(REJECTIONS[venue], random.next());
      return { forMs: 0, params: { count: random.int(1, 3), code: r.code, msg: r.msg } };
    }
    case 'frozenFeed':
      // `stream`: the WebSocket is silent while the market moves (REST still has prices);
      // `market`: nothing trades at all. `symbol` -1 freezes every symbol, else one (mod count).
      return {
        forMs: random.int(2000, 8000),
        params: {
          mode: random.next() < 0.5 ? 'stream' : 'market',
          symbol: random.next() < 0.3 ? -1 : random.int(0, 5),
        },
      };
    case 'storeFault':
      // The disk stays full for `forMs`; then the halted engine is restarted after `pauseMs`.
      return { forMs: random.int(1000, 5000), params: { pauseMs: random.int(0, 3000) } };
    case 'clockSkew':
      return {
        forMs: random.int(3000, 10_000),
        params: { ms: random.next() < 0.5 ? -1500 : 1500 },
      };
  }
}

/** Counts the faults of `schedule` by kind, every kind present. */
export function countByKind(schedule: readonly ScheduledFault[]): Record<FaultKind, number> {
  const counts = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  for (const f of schedule) counts[f.kind] += 1;
  return counts;
}
