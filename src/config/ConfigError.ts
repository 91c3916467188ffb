import { NumberText } from './numberText.ts';

/** One refused configuration value: where it is, what it was, and what is allowed there. */
export interface ConfigIssue {
  /** The key path, e.g. "policy.elastic.pullback" or "ticks[3][0]"; "" for the whole file. */
  readonly path: string;
  /** The offending value as the file wrote it ("(missing)" when absent). */
  readonly value: string;
  /** What is allowed at that path, e.g. "in (0, 1)". */
  readonly allowed: string;
  /** The readable one-paragraph sentence that names path, value and what is allowed. */
  readonly message: string;
}

/**
 * A configuration that cannot be used: a missing or unreadable file, a syntax error, or values
 * that break the SPEC's rules. `message` is meant to be printed as is (the CLI exits 2 on it).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Every problem found, in document order. */
  readonly issues: readonly ConfigIssue[];
  /** The file the problems were found in, when there is one. */
  readonly file: string | undefined;

  /**
   * Builds the error and its readable message from the issues.
   * @param issues at least one problem
   * @param file the file they come from, prefixed to the message
   */
  constructor(issues: readonly ConfigIssue[], file?: string) {
    super(formatIssues(issues, file));
    this.issues = issues;
    this.file = file;
  }
}

/** Returns the message of a {@link ConfigError}: one line (one paragraph) per issue. */
export function formatIssues(issues: readonly ConfigIssue[], file?: string): string {
  const where = file === undefined ? '' : `${file}: `;
  if (issues.length === 1) return `${where}${issues[0]?.message ?? ''}`;
  const head = `${where}${issues.length} configuration errors:`;
  return [head, ...issues.map((i) => `  ${i.message}`)].join('\n');
}

/** Returns a ConfigIssue whose message is "path: value problem". */
export function makeIssue(
  path: string,
  value: string,
  problem: string,
  allowed: string,
): ConfigIssue {
  // The root has no key; "document" keeps every message in the "where: what" shape.
  const where = path === '' ? 'document: ' : `${path}: `;
  // "x: (missing) is required" reads badly; a missing key gets its own sentence.
  const message =
    value === MISSING ? `${where}missing; required: ${allowed}` : `${where}${value} ${problem}`;
  return { path, value, allowed, message };
}

const MAX_RENDER = 80;
const MISSING = '(missing)';

/** Returns a short readable rendering of a raw configuration value, as a file would write it. */
export function renderValue(value: unknown): string {
  if (value === undefined) return MISSING;
  const text = JSON.stringify(value, (_key, v: unknown) =>
    // Numbers are shown as their literal text, not re-quoted as strings.
    v instanceof NumberText ? `\u0000${v.text}\u0000` : v,
  );
  // JSON.stringify gives undefined only for functions and symbols, which no parser produces.
  const shown = (text ?? typeof value).replace(/"\\u0000(.*?)\\u0000"/g, '$1');
  return shown.length > MAX_RENDER ? `${shown.slice(0, MAX_RENDER - 1)}…` : shown;
}
