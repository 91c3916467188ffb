import type { z } from 'zod';

/**
 * What a schema attaches to a refusal it raises itself, so that the issue can be turned into
 * a {@link ConfigIssue} with the value taken from the document.
 */
export interface RefusalParams {
  /** The rest of the sentence after the value, e.g. "is not in (0, 1)". */
  readonly problem: string;
  /** What is allowed, e.g. "in (0, 1)". */
  readonly allowed: string;
  /** Shown instead of the document's value when that would be unhelpful (e.g. a whole object). */
  readonly value?: string;
}

type Ctx = { issues: z.core.$ZodRawIssue[] };

/**
 * Records a refusal on a zod transform/refinement context; `path` is relative to the value
 * being checked.
 */
export function refuse(
  ctx: Ctx,
  input: unknown,
  params: RefusalParams,
  path: readonly PropertyKey[] = [],
): void {
  ctx.issues.push({
    code: 'custom',
    message: params.problem,
    input,
    path: [...path],
    params: { ...params },
  });
}
