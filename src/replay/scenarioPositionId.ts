import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import type { Scenario } from '../domain/types.ts';

/**
 * Returns the digest of a validated scenario: equal for the same market, position, policy and
 * ticks however the file wrote them (JSON or YAML, numbers or strings), different otherwise.
 */
export function scenarioDigest(scenario: Scenario): string {
  return createHash('sha256').update(JSON.stringify(scenario)).digest('hex');
}

/**
 * Returns the position id a replay of `file` persists under: the file's base name (readable in
 * the journal) and the first 12 hex digits of the scenario's digest (so an edited file is a
 * different position, and a resume cannot continue a replay of other ticks).
 */
export function scenarioPositionId(file: string, scenario: Scenario): string {
  const name = basename(file, extname(file)).replace(/[^A-Za-z0-9._-]/g, '_');
  return `${name}-${scenarioDigest(scenario).slice(0, 12)}`;
}
