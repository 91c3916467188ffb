/**
 * The position machine failed on a step (XState put the actor in status `error`). Nothing of
 * that step, nor of the uncommitted steps before it, is committed. `firstStepAfterRestore`
 * says the failing step was the first one sent to a restored actor: then the snapshot itself
 * is suspect (a damaged context), and the caller should move it aside.
 */
export class PositionStepError extends Error {
  override readonly name = 'PositionStepError';
  /**
   * @param message the readable paragraph
   * @param positionId the failed position
   * @param firstStepAfterRestore whether it failed on the first step after a restore
   */
  constructor(
    message: string,
    readonly positionId: string,
    readonly firstStepAfterRestore: boolean,
  ) {
    super(message);
  }
}
