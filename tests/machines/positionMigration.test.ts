import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { loadScenarioFile } from '../../src/config/index.ts';
import type { PositionEvent } from '../../src/domain/types.ts';
import { MACHINE_VERSION } from '../../src/machines/machineVersion.ts';
import { positionMachine } from '../../src/machines/positionMachine.ts';
import { upgradePositionContextV1 } from '../../src/machines/positionMigration.ts';
import { replayScenario } from '../../src/replay/replayScenario.ts';
import type { PersistedPositionSnapshot } from '../../src/store/checkpoint.ts';
import type { SnapshotEnvelope } from '../../src/store/envelope.ts';
import { migrateEnvelope } from '../../src/store/migrations.ts';

// Snapshots the version-1 machine (decimal prices in its context) wrote part-way through SPEC
// examples: `cursor` ticks sent, the position still open.
const FIXTURES = join(import.meta.dirname, 'fixtures/positionV1');
const SPEC = join(import.meta.dirname, '../../examples/spec');

describe('restoring a version-1 position snapshot', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));

  it.each(files)(
    '%s: migrated, it continues with the events of an uninterrupted replay',
    async (file) => {
      const { cursor, snapshot } = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as {
        cursor: number;
        snapshot: PersistedPositionSnapshot;
      };
      const scenario = await loadScenarioFile(join(SPEC, file));
      const envelope: SnapshotEnvelope = {
        schemaVersion: 1,
        machineVersion: 1,
        positionId: 'p',
        seq: 1,
        cursor,
        source: 'test',
        snapshot,
      };
      const migrated = migrateEnvelope(envelope, 'snapshot!p');
      expect(migrated.machineVersion).toBe(MACHINE_VERSION);
      const actor = createActor(positionMachine, { snapshot: migrated.snapshot } as never);
      const events: PositionEvent[] = [];
      actor.on('*', (e) => events.push(e));
      actor.start();
      for (const tick of scenario.ticks.slice(cursor)) {
        if (actor.getSnapshot().status !== 'active') break;
        actor.send({ type: 'PRICE', ...tick });
      }
      const after: PositionEvent[] = [];
      const plain = replayScenario(scenario, (e, tickIndex) => {
        if (tickIndex >= cursor) after.push(e);
      });
      expect(after.length).toBeGreaterThan(0);
      expect(events).toEqual(after);
      expect(actor.getSnapshot().context.stop).toBe(plain.summary.finalStop);
    },
  );

  it('leaves a context that is not a version-1 position context as it is', () => {
    const sync = { clientIdStem: 'r1', lastTs: 5 };
    expect(upgradePositionContextV1(sync)).toBe(sync);
  });
});
