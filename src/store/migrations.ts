import { MACHINE_VERSION } from '../machines/machineVersion.ts';
import { upgradePositionContextV1 } from '../machines/positionMigration.ts';
import type { SnapshotEnvelope } from './envelope.ts';
import { SnapshotVersionError } from './storeErrors.ts';

/** Rewrites an envelope written by machine version `from` into one version `from + 1` accepts. */
export type Migration = (envelope: SnapshotEnvelope) => SnapshotEnvelope;

/**
 * The migrations, keyed by the version they migrate from (rename states in `snapshot.value`,
 * reshape context keys), each with a test that restores a snapshot of the older version.
 * 1 → 2: the position context keeps prices as integer units (upgradePositionContextV1).
 */
export const MIGRATIONS: ReadonlyMap<number, Migration> = new Map<number, Migration>([
  [
    1,
    (e) => ({
      ...e,
      snapshot: {
        ...e.snapshot,
        context: upgradePositionContextV1(e.snapshot.context),
      },
    }),
  ],
]);

/**
 * Returns `envelope` brought to machine version `current`, applying one migration per version
 * step. Throws SnapshotVersionError, naming `key`, when the envelope comes from a newer build
 * or from a version with no migration: restoring it anyway could put the position in a wrong
 * state, which is worse than stopping.
 */
export function migrateEnvelope(
  envelope: SnapshotEnvelope,
  key: string,
  migrations: ReadonlyMap<number, Migration> = MIGRATIONS,
  current: number = MACHINE_VERSION,
): SnapshotEnvelope {
  const written = envelope.machineVersion;
  if (written > current) {
    throw new SnapshotVersionError(
      `${key} was written by position machine version ${written}, but this build runs version ${current} and cannot read newer snapshots. Run the build that wrote it (or a newer one).`,
    );
  }
  let migrated = envelope;
  for (let version = written; version < current; version++) {
    const migrate = migrations.get(version);
    if (migrate === undefined) {
      throw new SnapshotVersionError(
        `${key} was written by position machine version ${written}; this build runs version ${current} and has no migration from version ${version}. Finish the position with the older build, or start its replay over in an empty data directory.`,
      );
    }
    migrated = { ...migrate(migrated), machineVersion: version + 1 };
  }
  return migrated;
}
