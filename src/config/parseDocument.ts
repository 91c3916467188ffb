import { parse as parseLosslessJson } from 'lossless-json';
import { parseDocument, type Tags } from 'yaml';
import { ConfigError, type ConfigIssue } from './ConfigError.ts';
import { NumberText } from './numberText.ts';

/** The formats a configuration file may be written in. */
export type DocumentFormat = 'json' | 'yaml';

/** Returns the format implied by a file name: yaml for .yaml/.yml, json otherwise. */
export function formatOf(file: string): DocumentFormat {
  return /\.ya?ml$/i.test(file) ? 'yaml' : 'json';
}

function syntaxError(
  file: string | undefined,
  kind: string,
  detail: string,
  line?: number,
  col?: number,
): ConfigError {
  const where = line === undefined ? '' : `line ${line}, column ${col ?? 1}: `;
  const issue: ConfigIssue = {
    path: '',
    value: where === '' ? '(document)' : `line ${line}, column ${col ?? 1}`,
    allowed: `valid ${kind}`,
    message: `${where}${kind} syntax error: ${detail}`,
  };
  return new ConfigError([issue], file);
}

/** Returns the 1-based line and column of a 0-based character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/**
 * Returns the JSON document with every number as a {@link NumberText} holding its literal, so
 * that no digit is lost to binary floats; throws ConfigError with line and column on bad syntax.
 */
export function parseJsonText(text: string, file?: string): unknown {
  const source = text.replace(/^\uFEFF/, '');
  try {
    return parseLosslessJson(source, null, (literal: string) => new NumberText(literal));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const at = /at position (\d+)/.exec(detail);
    if (at?.[1] === undefined) throw syntaxError(file, 'JSON', detail);
    const { line, column } = lineColumn(source, Number(at[1]));
    throw syntaxError(file, 'JSON', detail.replace(/\s*at position \d+/, ''), line, column);
  }
}

const NUMBER_TAGS = new Set(['tag:yaml.org,2002:int', 'tag:yaml.org,2002:float']);

// YAML's core schema resolves 0.1234567890123456789 to a float; resolving number scalars to their
// source text instead keeps them exact. Hex, octal, .inf and .nan stay text and are refused
// wherever a decimal is required.
const exactNumbers = (tags: Tags): Tags =>
  tags.map((tag) =>
    typeof tag === 'object' && NUMBER_TAGS.has(tag.tag) && 'test' in tag && tag.test !== undefined
      ? { ...tag, resolve: (literal: string) => new NumberText(literal) }
      : tag,
  );

function plain(value: unknown): unknown {
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of value) {
      // defineProperty, so that a "__proto__" key stays an ordinary (and refused) key.
      Object.defineProperty(out, String(key), {
        value: plain(inner),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

/**
 * Returns the YAML document as plain objects and arrays with numbers as {@link NumberText};
 * throws ConfigError with line and column on bad syntax (duplicate keys included).
 */
export function parseYamlText(text: string, file?: string): unknown {
  const doc = parseDocument(text, {
    customTags: exactNumbers,
    uniqueKeys: true,
    prettyErrors: true,
  });
  const first = doc.errors[0];
  if (first !== undefined) {
    const pos = first.linePos?.[0];
    const detail =
      first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? first.message;
    throw syntaxError(file, 'YAML', detail, pos?.line, pos?.col);
  }
  try {
    // mapAsMap: number keys are NumberText objects, which plain-object conversion would warn about.
    return plain(doc.toJS({ mapAsMap: true, maxAliasCount: 100 }));
  } catch (error) {
    throw syntaxError(file, 'YAML', error instanceof Error ? error.message : String(error));
  }
}

/** Returns the parsed document in the given format (see {@link parseJsonText}, {@link parseYamlText}). */
export function parseText(text: string, format: DocumentFormat, file?: string): unknown {
  return format === 'yaml' ? parseYamlText(text, file) : parseJsonText(text, file);
}
