import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runParallelReplay, type ParallelReplayResult } from './parallelReplay.ts';
import { BENCH_MARKET, BENCH_POLICY, BENCH_POSITION, type BenchPath } from './path.ts';
import { nowMs, progress, rate } from './timing.ts';

/** Stage 5's result: the whole CLI, from reading the file to the last printed line. */
export interface ReplayResult {
  readonly ticks: number;
  readonly ticksPerSecond: number;
  readonly peakRssBytes: number;
  /** Lines the CLI printed (events plus the summary). */
  readonly lines: number;
  /** How peak RSS was read: `/usr/bin/time -v` or polling /proc/<pid>/status VmHWM. */
  readonly rssSource: string;
  /** Independent replays over worker threads. */
  readonly parallel: ParallelReplayResult;
}

const RATCHET = fileURLToPath(new URL('../bin/ratchet.mjs', import.meta.url));
const GNU_TIME = '/usr/bin/time';

/** Returns the scenario file text for `path`, built in pieces to keep one copy in memory. */
function scenarioText(path: BenchPath): string {
  const head = JSON.stringify({
    market: BENCH_MARKET,
    position: BENCH_POSITION,
    policy: BENCH_POLICY,
  }).slice(0, -1);
  const parts: string[] = [head, ',"ticks":['];
  for (let i = 0; i < path.ticks.length; i++) {
    const t = path.ticks[i] as (typeof path.ticks)[0];
    parts.push(`${i === 0 ? '' : ','}[${t.ts},"${t.price}"]`);
  }
  parts.push(']}');
  return parts.join('');
}

/** Returns VmHWM (peak RSS) of a live process in bytes, or 0 when /proc cannot tell. */
function vmHwm(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? 0 : Number(match[1]) * 1024;
  } catch {
    return 0;
  }
}

/**
 * Runs stage 5: writes a scenario of `path` to a temporary file and times
 * `node bin/ratchet.mjs replay FILE --format jsonl` as a child process, stdout counted and
 * discarded. Ticks/s is over the child's whole life (startup, loading and validating the
 * file, the replay, printing). Throws when the child fails or the position exits early.
 */
export async function runReplayStage(
  path: BenchPath,
  parallel: { scenarios: number; ticksEach: number },
): Promise<ReplayResult> {
  const dir = await mkdtemp(join(tmpdir(), 'ratchet-bench-'));
  try {
    const file = join(dir, 'scenario.json');
    progress(`replay: writing a ${path.ticks.length}-tick scenario`);
    await writeFile(file, scenarioText(path));
    const useTime = existsSync(GNU_TIME);
    const args = [RATCHET, 'replay', file, '--format', 'jsonl'];
    progress(`replay: node bin/ratchet.mjs replay ${file} --format jsonl`);
    const started = nowMs();
    const child = useTime
      ? spawn(GNU_TIME, ['-v', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let tail = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) lines++;
      tail = (tail + chunk).slice(-400);
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    let polled = 0;
    const poll = useTime
      ? undefined
      : setInterval(() => {
          if (child.pid !== undefined) polled = Math.max(polled, vmHwm(child.pid));
        }, 20);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    const ms = nowMs() - started;
    if (poll !== undefined) clearInterval(poll);
    if (code !== 0)
      throw new Error(`ratchet replay exited with ${String(code)}: ${stderr.slice(-2000)}`);
    const summary = tail.trimEnd().split('\n').pop() ?? '';
    if (!/"exited":\s*false/.test(summary)) {
      throw new Error(`bench replay exited early (${summary}): widen the policy`);
    }
    const timed = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
    const peakRssBytes = timed?.[1] !== undefined ? Number(timed[1]) * 1024 : polled;
    return {
      ticks: path.ticks.length,
      ticksPerSecond: rate(path.ticks.length, ms),
      peakRssBytes,
      lines,
      rssSource: timed !== null ? '/usr/bin/time -v' : '/proc VmHWM polling',
      parallel: await runParallelReplay(parallel.scenarios, parallel.ticksEach),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
