import type { z } from 'zod';
import { ConfigError } from './ConfigError.ts';
import { toConfigIssues } from './strictObject.ts';

/**
 * Returns the schema's output for a parsed document; throws ConfigError listing every problem
 * (paths prefixed with `prefix`, message prefixed with `file`).
 */
export function validate<T>(
  schema: z.ZodType<T>,
  document: unknown,
  file?: string,
  prefix: readonly PropertyKey[] = [],
): T {
  const result = schema.safeParse(document);
  if (result.success) return result.data;
  throw new ConfigError(toConfigIssues(result.error, document, prefix), file);
}
