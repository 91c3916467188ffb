import type { Tick } from '../domain/types.ts';
import { ConfigError, makeIssue, type ConfigIssue } from './ConfigError.ts';
import { MILLIS, millisOf } from './decimals.ts';
import { readConfigText } from './readConfigFile.ts';

const HEADER = /^\s*ts\s*,\s*price\s*$/i;

function unquote(field: string): string {
  const trimmed = field.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1)
    : trimmed;
}

/**
 * Returns the ticks of a `ts,price` CSV text: an optional `ts,price` header, one tick per line,
 * blank lines skipped, prices kept as text (bad prices are the engine's to reject). Throws
 * ConfigError naming the line number of every line with the wrong column count or a
 * non-integer ts.
 */
export function parseTicksCsv(text: string, file?: string): Tick[] {
  const ticks: Tick[] = [];
  const issues: ConfigIssue[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    if (line.trim() === '') return;
    if (index === 0 && HEADER.test(line)) return;
    const fields = line.split(',');
    if (fields.length !== 2) {
      issues.push(
        makeIssue(
          `line ${lineNo}`,
          JSON.stringify(line.length > 60 ? `${line.slice(0, 59)}…` : line),
          `has ${fields.length} column${fields.length === 1 ? '' : 's'}, not 2 (ts,price)`,
          'ts,price',
        ),
      );
      return;
    }
    const [rawTs, rawPrice] = fields.map(unquote) as [string, string];
    const ts = millisOf(rawTs);
    if (ts === undefined) {
      issues.push(
        makeIssue(`line ${lineNo}`, `ts ${JSON.stringify(rawTs)}`, `is not ${MILLIS}`, MILLIS),
      );
      return;
    }
    ticks.push({ ts, price: rawPrice });
  });
  if (issues.length > 0) throw new ConfigError(issues, file);
  return ticks;
}

/** Returns the ticks of a `ts,price` CSV file (see {@link parseTicksCsv}); throws ConfigError if missing or malformed. */
export async function loadTicksCsv(file: string): Promise<Tick[]> {
  return parseTicksCsv(await readConfigText(file), file);
}
