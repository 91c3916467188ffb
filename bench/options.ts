/** The command line of `npm run bench`. */
export interface BenchOptions {
  readonly json: boolean;
  readonly quick: boolean;
  /** Ticks of the rules path (stage 1). */
  readonly rulesTicks: number;
  /** Ticks sent to the single actor (stage 2). */
  readonly machineTicks: number;
  /** Actors created, round-robin ticks sent to them, snapshots persisted (stages 3–4). */
  readonly actors: number;
  readonly actorTicks: number;
  /** Ticks of the replayed scenario file (stage 5). */
  readonly replayTicks: number;
  /** Stages to run; all when the flag is absent (a subset is for profiling). */
  readonly only: ReadonlySet<StageName>;
}

/** The five stages, in the order they run. */
export const STAGES = ['rules', 'machine', 'actors', 'persistence', 'replay'] as const;
export type StageName = (typeof STAGES)[number];

/** The text `--help` prints. */
export const USAGE = `usage: npm run bench -- [--quick] [--json] [--size TICKS] [--actors N] [--only STAGE,...]

  --quick        a smaller run (under a minute on 2 cores)
  --json         print one JSON document on stdout instead of the table (progress stays on stderr)
  --size TICKS   ticks of every stage's path (overrides the full/quick sizes; for smoke tests)
  --actors N     actors in stages 3 and 4 (default 10000)
  --only LIST    run only these stages: ${STAGES.join(', ')} (for profiling)`;

function positiveInteger(flag: string, text: string | undefined): number {
  const n = Number(text);
  if (text === undefined || !Number.isSafeInteger(n) || n <= 0) {
    throw new Error(`${flag} needs a positive integer, got ${text ?? 'nothing'}`);
  }
  return n;
}

/**
 * Returns the options of `argv` (without node and script). Throws with a one-line message
 * naming the flag on anything it does not understand; `--help` throws the usage text.
 */
export function parseOptions(argv: readonly string[]): BenchOptions {
  let json = false;
  let quick = false;
  let size: number | undefined;
  let actors = 10_000;
  let only: Set<StageName> = new Set(STAGES);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--quick') quick = true;
    else if (arg === '--size') size = positiveInteger('--size', argv[++i]);
    else if (arg === '--actors') actors = positiveInteger('--actors', argv[++i]);
    else if (arg === '--only') {
      const names = (argv[++i] ?? '').split(',').filter((s) => s !== '');
      const bad = names.filter((s) => !(STAGES as readonly string[]).includes(s));
      if (names.length === 0 || bad.length > 0) {
        throw new Error(
          `--only takes a comma-separated list of ${STAGES.join(', ')}; got ${bad.join(',') || 'nothing'}`,
        );
      }
      only = new Set(names as StageName[]);
    } else if (arg === '--help' || arg === '-h') throw new Error(USAGE);
    else throw new Error(`unknown option ${String(arg)}\n${USAGE}`);
  }
  // Full sizes follow the issue; the single actor gets fewer ticks than the rules because at
  // tens of thousands of ticks/s a million would take most of a minute on its own.
  const full = { rules: 1_000_000, machine: 200_000, actorTicks: 200_000, replay: 1_000_000 };
  const small = { rules: 200_000, machine: 50_000, actorTicks: 50_000, replay: 100_000 };
  const base = quick ? small : full;
  return {
    json,
    quick,
    rulesTicks: size ?? base.rules,
    machineTicks: size ?? base.machine,
    actors,
    actorTicks: size ?? base.actorTicks,
    replayTicks: size ?? base.replay,
    only,
  };
}
