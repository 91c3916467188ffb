import { createRandom } from '../src/venues/emulator/random.ts';

/** The kinds of fault a soak injects. */
export const FAULT_KINDS = [
  'latency',
  'errorRate',
  'burst429',
  'lostResponse',
  'wsDisconnect',
  'kill',
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

/** What shapes a schedule: how often a fault starts on average. */
export interface ScheduleOptions {
  /** Mean gap between two faults, ms (default 4000). */
  readonly meanGapMs?: number;
  /** No fault starts in the last `quietTailMs` of the soak, so the end can settle (default 5000). */
  readonly quietTailMs?: number;
}

const ENDPOINTS = [
  '*',
  'POST /fapi/v1/algoOrder',
  'DELETE /fapi/v1/algoOrder',
  '/fapi/v1/openAlgoOrders',
  '/fapi/v2/positionRisk',
] as const;

/** The share of each kind in a schedule; kills are rarer because a restart takes seconds. */
const WEIGHTS: Readonly<Record<FaultKind, number>> = {
  latency: 3,
  errorRate: 3,
  burst429: 2,
  lostResponse: 2,
  wsDisconnect: 2,
  kill: 1,
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
  const meanGap = options.meanGapMs ?? 4000;
  const end = durationMs - (options.quietTailMs ?? 5000);
  const total = FAULT_KINDS.reduce((sum, k) => sum + WEIGHTS[k], 0);
  const faults: ScheduledFault[] = [];
  // The first seconds let the engine start and place the first stops undisturbed.
  let at = 3000;
  for (;;) {
    // Exponential gaps: a Poisson process of faults, some overlapping, some far apart.
    at += Math.max(200, Math.round(-Math.log(1 - random.next()) * meanGap));
    if (at >= end) break;
    let draw = random.next() * total;
    const kind = FAULT_KINDS.find((k) => (draw -= WEIGHTS[k]) < 0) ?? 'latency';
    faults.push({ atMs: at, kind, ...faultBody(kind, random) });
  }
  return faults;
}

function faultBody(
  kind: FaultKind,
  random: ReturnType<typeof createRandom>,
): Pick<ScheduledFault, 'forMs' | 'params'> {
  switch (kind) {
    case 'latency':
      return { forMs: random.int(1000, 6000), params: { ms: random.int(100, 2000) } };
    case 'errorRate':
      return {
        forMs: random.int(1000, 5000),
        params: {
          endpoint: pick(ENDPOINTS, random.next()),
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
  }
}

/** Counts the faults of `schedule` by kind, every kind present. */
export function countByKind(schedule: readonly ScheduledFault[]): Record<FaultKind, number> {
  const counts = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  for (const f of schedule) counts[f.kind] += 1;
  return counts;
}
