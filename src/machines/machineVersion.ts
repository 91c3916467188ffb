/**
 * The version of the position statechart's persisted shape (state names and context keys).
 * Bump it whenever a snapshot written by the previous build would restore into a wrong or
 * unknown state, and register a migration from the old number in `src/store/migrations.ts`:
 * XState itself versions nothing, and a snapshot naming a state that no longer exists
 * restores into `status: 'error'`.
 */
export const MACHINE_VERSION = 2;
