import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import type { Scenario } from '../domain/types.ts';

/**
 * Returns the name of a scenario file as ids and tables show it: its base name without the
 * extension, each character other than `A–Z a–z 0–9 . _ -` replaced by `_` (so it is safe in
 * store keys and URLs).
 */
export function scenarioName(file: string): string {
  return basename(file, extname(file)).replace(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * Returns the digest of a validated scenario: equal for the same market, position, policy and
 * ticks however the file wrote them (JSON or YAML, numbers or strings), different otherwise.
 */
export function scenarioDigest(scenario: Scenario): string {
  return createHash('sha256').update(JSON.stringify(scenario)).digest('hex');
}

/**
 * Returns the position id a replay of `file` persists under: its {@link scenarioName} (readable
 * in the journal) and the first 12 hex digits of the scenario's digest (so an edited file is a
 * different position, and a resume cannot continue a replay of other ticks).
 */
export function scenarioPositionId(file: string, scenario: Scenario): string {
  return `${scenarioName(file)}-${scenarioDigest(scenario).slice(0, 12)}`;
}
