import { z } from 'zod';
import type { Policy } from '../domain/types.ts';
import { policySchema } from './policySchema.ts';
import { readConfigDocument } from './readConfigFile.ts';
import { strictObject } from './strictObject.ts';
import { validate } from './validate.ts';

const policyWrapperSchema = strictObject({ policy: z.unknown() });

function isWrapped(document: unknown): document is { policy: unknown } {
  return (
    typeof document === 'object' &&
    document !== null &&
    !Array.isArray(document) &&
    'policy' in document
  );
}

/**
 * Returns the validated Policy of a parsed policy document: either the policy itself
 * (`{ initialStop, … }`) or a document holding only `{ policy: { … } }`; throws ConfigError.
 * Checks that need the position's side are made later, by `assembleScenario`.
 */
export function parsePolicy(document: unknown, file?: string): Policy {
  if (isWrapped(document)) {
    const extra = Object.keys(document).filter((k) => k !== 'policy');
    // A wrapped document is a scenario fragment; anything beside `policy` belongs elsewhere.
    if (extra.length > 0) validate(policyWrapperSchema, document, file);
    return validate(policySchema, document.policy, file, ['policy']);
  }
  return validate(policySchema, document, file);
}

/** Returns the validated Policy of a JSON or YAML policy file; throws ConfigError if missing, malformed or invalid. */
export async function loadPolicyFile(file: string): Promise<Policy> {
  return parsePolicy(await readConfigDocument(file), file);
}
