import type { ActorsResult } from './actorsStage.ts';
import type { MachineResult } from './machineStage.ts';
import type { PersistenceResult } from './persistenceStage.ts';
import type { ReplayResult } from './replayStage.ts';
import type { RulesResult } from './rulesStage.ts';

/** Everything one bench run measured; a stage left out by `--only` is undefined. */
export interface BenchResults {
  readonly node: string;
  readonly cpu: string;
  readonly quick: boolean;
  readonly rules?: RulesResult;
  readonly machine?: MachineResult;
  readonly actors?: ActorsResult;
  readonly persistence?: PersistenceResult;
  readonly replay?: ReplayResult;
}

const round = (n: number, places = 0): number => {
  const f = 10 ** places;
  return Math.round(n * f) / f;
};

/**
 * Returns the JSON document of `--json`: exactly the keys (plus the ratios the issue
 * asks for), numbers rounded to what the measurement can support.
 */
export function benchJson(r: BenchResults): Record<string, unknown> {
  const out: Record<string, unknown> = { node: r.node, cpu: r.cpu, quick: r.quick };
  if (r.rules !== undefined) {
    out.rules = {
      ticksPerSecond: round(r.rules.ticksPerSecond),
      baselineTicksPerSecond: round(r.rules.baselineTicksPerSecond),
      ratio: round(r.rules.ratio, 1),
    };
  }
  if (r.machine !== undefined) {
    out.machine = {
      ticksPerSecond: round(r.machine.ticksPerSecond),
      worstPathTicksPerSecond: round(r.machine.worstPathTicksPerSecond),
      deliveredTicksPerSecond: round(r.machine.deliveredTicksPerSecond),
      skeletonTicksPerSecond: round(r.machine.skeletonTicksPerSecond),
    };
  }
  if (r.actors !== undefined) {
    out.actors = {
      createMs: round(r.actors.createMs, 1),
      bytesPerActor: round(r.actors.bytesPerActor),
      skeletonBytesPerActor: round(r.actors.skeletonBytesPerActor),
      skeletonCreateMs: round(r.actors.skeletonCreateMs, 1),
      ticksPerSecond: round(r.actors.ticksPerSecond),
    };
  }
  if (r.persistence !== undefined) {
    const p = r.persistence;
    out.persistence = {
      persistMs: round(p.persistMs, 1),
      rawWriteMs: round(p.rawWriteMs, 1),
      restoreMs: round(p.restoreMs, 1),
      rawReadMs: round(p.rawReadMs, 1),
      persistRatio: round(p.persistRatio, 2),
      restoreRatio: round(p.restoreRatio, 2),
    };
  }
  if (r.replay !== undefined) {
    out.replay = {
      ticksPerSecond: round(r.replay.ticksPerSecond),
      peakRssBytes: r.replay.peakRssBytes,
      parallelTicksPerSecond: round(r.replay.parallel.parallelTicksPerSecond),
      oneWorkerTicksPerSecond: round(r.replay.parallel.oneWorkerTicksPerSecond),
      workers: r.replay.parallel.workers,
    };
  }
  return out;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => `${n.toFixed(1)} ms`;
const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;
const times = (n: number): string => `${n.toFixed(n >= 100 ? 0 : 2)}×`;

/** Returns the readable table: one row per measurement, its comparison and the target. */
export function benchTable(r: BenchResults): string {
  const rows: [string, string, string, string][] = [];
  if (r.rules !== undefined) {
    const x = r.rules;
    rows.push([
      `1 rules (${int(x.ticks)} ticks)`,
      `${int(x.ticksPerSecond)} ticks/s`,
      `float baseline ${int(x.baselineTicksPerSecond)} ticks/s: ${times(x.ratio)} slower`,
      '≤ 100× slower',
    ]);
  }
  if (r.machine !== undefined) {
    const x = r.machine;
    rows.push([
      `2 machine (1 actor, ${int(x.ticks)} ticks)`,
      `${int(x.ticksPerSecond)} ticks/s`,
      r.rules === undefined
        ? ''
        : `${times(r.rules.ticksPerSecond / x.ticksPerSecond)} slower than the bare rules`,
      '≥ 150,000 ticks/s',
    ]);
    rows.push([
      '2 machine, PRICES deliveries of 1,024',
      `${int(x.deliveredTicksPerSecond)} ticks/s`,
      `${times(x.deliveredTicksPerSecond / x.skeletonTicksPerSecond)} of the skeleton`,
      '(how replays send ticks)',
    ]);
    rows.push([
      '2 machine, every tick a new extreme',
      `${int(x.worstPathTicksPerSecond)} ticks/s`,
      `${times(x.worstPathTicksPerSecond / x.skeletonTicksPerSecond)} of the skeleton`,
      '≥ 60,000 ticks/s',
    ]);
    rows.push([
      '2 XState skeleton, same shape',
      `${int(x.skeletonTicksPerSecond)} ticks/s`,
      `the machine runs at ${times(x.ticksPerSecond / x.skeletonTicksPerSecond)} of it`,
      'ceiling of stage 2',
    ]);
  }
  if (r.actors !== undefined) {
    const x = r.actors;
    rows.push([
      `3 actors: create+start ${int(x.actors)}`,
      ms(x.createMs),
      `XState skeleton ${ms(x.skeletonCreateMs)}: ${times(x.createMs / x.skeletonCreateMs)}`,
      '≤ 400 ms',
    ]);
    rows.push([
      '3 actors: heap per actor',
      `${int(x.bytesPerActor)} B`,
      `${(x.bytesPerActor / 1024).toFixed(2)} KiB; XState skeleton ${int(x.skeletonBytesPerActor)} B`,
      '≤ 3 KiB (3,072 B)',
    ]);
    rows.push([
      `3 actors: round-robin (${int(x.ticks)} ticks)`,
      `${int(x.ticksPerSecond)} ticks/s`,
      r.machine === undefined
        ? ''
        : `${times(x.ticksPerSecond / r.machine.ticksPerSecond)} of one actor's rate`,
      '≥ 120,000 ticks/s',
    ]);
  }
  if (r.persistence !== undefined) {
    const x = r.persistence;
    rows.push([
      `4 persist ${int(x.positions)} snapshots (${mib(x.bytes)})`,
      ms(x.persistMs),
      `raw level batch ${ms(x.rawWriteMs)}: ${times(x.persistRatio)}`,
      '≤ 2× raw',
    ]);
    rows.push([
      `4 restore ${int(x.positions)} actors`,
      ms(x.restoreMs),
      `raw level read ${ms(x.rawReadMs)}: ${times(x.restoreRatio)}`,
      '≤ 2× raw',
    ]);
  }
  if (r.replay !== undefined) {
    const x = r.replay;
    rows.push([
      `5 replay CLI (${int(x.ticks)} ticks)`,
      `${int(x.ticksPerSecond)} ticks/s`,
      `${int(x.lines)} lines printed`,
      '≥ 200,000 ticks/s',
    ]);
    rows.push(['5 replay CLI peak RSS', mib(x.peakRssBytes), x.rssSource, 'flat memory']);
    const p = x.parallel;
    rows.push([
      `5 replay ${p.scenarios} scenarios, ${p.workers} workers (${int(p.ticks)} ticks)`,
      `${int(p.parallelTicksPerSecond)} ticks/s`,
      `one worker ${int(p.oneWorkerTicksPerSecond)} ticks/s: ${times(p.parallelTicksPerSecond / p.oneWorkerTicksPerSecond)}`,
      '≥ 1.8× one core on 2 cores',
    ]);
  }
  const header: [string, string, string, string] = [
    'stage',
    'result',
    'compared in the same run',
    'target',
  ];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    `Ratchet bench — node ${r.node}, ${r.cpu}${r.quick ? ', --quick' : ''}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}
