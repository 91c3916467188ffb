import { extname } from 'node:path';
import { loadReplayInputs, loadScenarioFile } from '../config/index.ts';
import type { Scenario } from '../domain/types.ts';
import { UsageError } from './usageError.ts';

/** Where a replay's scenario comes from: one scenario file, or a CSV of ticks plus two files. */
export interface ScenarioSource {
  readonly file: string;
  readonly position?: string | undefined;
  readonly policy?: string | undefined;
}

/**
 * Returns the scenario named by `source`: a JSON/YAML scenario file, or a `ts,price` CSV
 * combined with `--position` and `--policy` files. Throws ConfigError for anything a user
 * must fix, and UsageError for flags that do not fit together.
 */
export async function loadScenarioSource(source: ScenarioSource): Promise<Scenario> {
  if (extname(source.file).toLowerCase() !== '.csv') {
    if (source.position !== undefined || source.policy !== undefined) {
      throw new UsageError(
        `${source.file}: --position and --policy go with a CSV of ticks; a scenario file already holds its position and policy. Drop the flags, or pass a .csv file.`,
      );
    }
    return await loadScenarioFile(source.file);
  }
  if (source.position === undefined || source.policy === undefined) {
    throw new UsageError(
      `${source.file}: a CSV holds only ticks, so replaying it needs --position FILE (the position and market) and --policy FILE (the stop policy).`,
    );
  }
  return await loadReplayInputs({
    ticks: source.file,
    position: source.position,
    policy: source.policy,
  });
}
