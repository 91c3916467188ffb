import type { Market, Policy, PositionSpec, Scenario, Tick } from '../domain/types.ts';
import { checkPolicyForPosition } from './checkPolicyForPosition.ts';
import { ConfigError } from './ConfigError.ts';
import { loadPolicyFile } from './loadPolicyFile.ts';
import { loadPositionFile } from './loadPositionFile.ts';
import { loadTicksCsv } from './loadTicksCsv.ts';

/** The separately loaded parts of a scenario. */
export interface ScenarioParts {
  readonly market?: Market | undefined;
  readonly position: PositionSpec;
  readonly policy: Policy;
  readonly ticks: readonly Tick[];
}

/**
 * Returns a Scenario made of separately validated parts, after the checks that need both the
 * policy and the position (initial stop side, long percent distances); throws ConfigError when
 * the market is missing or a check fails. `files` names the files in messages.
 */
export function assembleScenario(
  parts: ScenarioParts,
  files: { readonly position?: string; readonly policy?: string } = {},
): Scenario {
  if (parts.market === undefined) {
    throw new ConfigError(
      [
        {
          path: 'market.tickSize',
          value: '(missing)',
          allowed: '> 0',
          message:
            'market.tickSize: missing; required: > 0 (add market: { tickSize } to the position file)',
        },
      ],
      files.position,
    );
  }
  const issues = checkPolicyForPosition(parts.policy, parts.position, []);
  if (issues.length > 0) throw new ConfigError(issues, files.policy);
  return {
    market: parts.market,
    position: parts.position,
    policy: parts.policy,
    ticks: parts.ticks,
  };
}

/**
 * Returns the Scenario of `ratchet replay ticks.csv --position pos.json --policy policy.yaml`:
 * each file loaded and validated, then assembled; throws the first file's ConfigError.
 */
export async function loadReplayInputs(paths: {
  readonly ticks: string;
  readonly position: string;
  readonly policy: string;
}): Promise<Scenario> {
  const position = await loadPositionFile(paths.position);
  const policy = await loadPolicyFile(paths.policy);
  const ticks = await loadTicksCsv(paths.ticks);
  return assembleScenario(
    { ...position, policy, ticks },
    { position: paths.position, policy: paths.policy },
  );
}
