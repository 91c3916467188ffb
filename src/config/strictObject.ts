import { z } from 'zod';
import { closestKey } from './didYouMean.ts';
import { makeIssue, renderValue, type ConfigIssue } from './ConfigError.ts';
import type { RefusalParams } from './issues.ts';

// zod's error callback can only hand back a message, so an unknown-key issue carries the keys
// that were allowed in its message, behind a marker that no user text can produce.
const KNOWN_KEYS = '\u0000known:';

/**
 * Returns a zod object schema that refuses unknown keys; the refusal remembers the allowed
 * keys so that {@link toConfigIssues} can suggest the closest one.
 */
export function strictObject<S extends z.core.$ZodLooseShape>(shape: S) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? `${KNOWN_KEYS}${known.join(',')}` : undefined,
  });
}

/** Returns the dotted path of a zod path: `policy.trailing.tiers[1].percent`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

const EXPECTED: Readonly<Record<string, string>> = {
  object: 'an object ({ … })',
  array: 'a list ([ … ])',
  boolean: 'true or false',
  string: 'a string',
  number: 'a number',
};

/**
 * Returns one readable {@link ConfigIssue} per problem in a zod error (one per unknown key),
 * reading the offending values from the raw document `root` and prefixing `prefix` to paths.
 */
export function toConfigIssues(
  error: z.ZodError,
  root: unknown,
  prefix: readonly PropertyKey[] = [],
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const rawPath = issue.path;
    const path = [...prefix, ...rawPath];
    const value = valueAt(root, rawPath);
    if (issue.code === 'unrecognized_keys') {
      const known = issue.message.startsWith(KNOWN_KEYS)
        ? issue.message
            .slice(KNOWN_KEYS.length)
            .split(',')
            .filter((k) => k !== '')
        : [];
      const where = formatPath(path);
      for (const key of issue.keys) {
        const suggestion = closestKey(key, known);
        const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
        const allowed = known.length === 0 ? 'no keys' : known.join(', ');
        const keyPath = formatPath([...path, key]);
        out.push({
          path: keyPath,
          value: renderValue(valueAt(value, [key])),
          allowed,
          message: `${keyPath}: unknown key${hint}; the keys allowed in ${where === '' ? 'the document' : where} are ${allowed}`,
        });
      }
      continue;
    }
    if (issue.code === 'custom' && issue.params !== undefined) {
      const params = issue.params as unknown as RefusalParams;
      out.push(
        makeIssue(
          formatPath(path),
          params.value ?? renderValue(value),
          params.problem,
          params.allowed,
        ),
      );
      continue;
    }
    if (issue.code === 'invalid_type') {
      const allowed = EXPECTED[issue.expected] ?? issue.expected;
      out.push(makeIssue(formatPath(path), renderValue(value), `is not ${allowed}`, allowed));
      continue;
    }
    if (issue.code === 'invalid_value') {
      const allowed = `one of ${issue.values.map((v) => String(v)).join(', ')}`;
      out.push(makeIssue(formatPath(path), renderValue(value), `is not ${allowed}`, allowed));
      continue;
    }
    out.push(
      makeIssue(
        formatPath(path),
        renderValue(value),
        `is refused: ${issue.message}`,
        issue.message,
      ),
    );
  }
  return out;
}
