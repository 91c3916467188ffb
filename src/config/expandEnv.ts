import { ConfigError, makeIssue, renderValue, type ConfigIssue } from './ConfigError.ts';
import { formatPath } from './strictObject.ts';

/** The environment `${NAME}` references are read from: `process.env` or a test's own record. */
export type Environment = Readonly<Record<string, string | undefined>>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ESCAPE_HINT = 'a literal "${" is written "$${"';

type Expansion = { readonly text: string } | { readonly problem: string; readonly allowed: string };

function expandString(text: string, env: Environment): Expansion {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      out += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      out += text[i] ?? '';
      i += 1;
      continue;
    }
    const end = text.indexOf('}', i + 2);
    const name = end === -1 ? undefined : text.slice(i + 2, end);
    if (name === undefined || !NAME.test(name)) {
      return {
        problem: `has a "\${" that does not start a reference \${NAME} (NAME: letters, digits and _, not starting with a digit, then "}"); ${ESCAPE_HINT}`,
        allowed: '${NAME} references with NAME in [A-Za-z_][A-Za-z0-9_]*',
      };
    }
    const value = env[name];
    if (value === undefined) {
      return {
        problem: `names the environment variable ${name}, which is not set; set ${name}, or write the value itself (${ESCAPE_HINT})`,
        allowed: `a set environment variable ${name}`,
      };
    }
    out += value;
    i = end + 1;
  }
  return { text: out };
}

function expandNode(
  node: unknown,
  env: Environment,
  path: PropertyKey[],
  issues: ConfigIssue[],
): unknown {
  if (typeof node === 'string') {
    const expansion = expandString(node, env);
    if ('text' in expansion) return expansion.text;
    issues.push(
      makeIssue(formatPath(path), renderValue(node), expansion.problem, expansion.allowed),
    );
    return node;
  }
  if (Array.isArray(node))
    return node.map((item, i) => expandNode(item, env, [...path, i], issues));
  if (
    node !== null &&
    typeof node === 'object' &&
    Object.getPrototypeOf(node) === Object.prototype
  ) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      // defineProperty, so that a "__proto__" key stays an ordinary (and refused) key.
      Object.defineProperty(out, key, {
        value: expandNode(value, env, [...path, key], issues),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return node;
}

/**
 * Returns a copy of a parsed document in which every `${NAME}` inside a string value is replaced
 * by the environment variable NAME (`$${` stands for a literal `${`; keys and numbers are left
 * alone); throws ConfigError naming the key of every unset variable or malformed reference.
 */
export function expandEnv(document: unknown, env: Environment, file?: string): unknown {
  const issues: ConfigIssue[] = [];
  const expanded = expandNode(document, env, [], issues);
  if (issues.length > 0) throw new ConfigError(issues, file);
  return expanded;
}
