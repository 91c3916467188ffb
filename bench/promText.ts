/** One sample of a Prometheus text exposition: a metric name, its labels and a value. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A line of an exposition that is not in the Prometheus text format 0.0.4. */
export class ExpositionError extends Error {
  constructor(lineNumber: number, line: string, why: string) {
    super(`exposition line ${lineNumber}: ${why}: ${JSON.stringify(line)}`);
    this.name = 'ExpositionError';
  }
}

const NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;

function parseValue(text: string): number | undefined {
  // Go's ParseFloat, which Prometheus uses, spells the specials like this.
  if (/^[+]?inf$/i.test(text)) return Infinity;
  if (/^-inf$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

function parseLine(line: string, lineNumber: number): Sample {
  const fail = (why: string): never => {
    throw new ExpositionError(lineNumber, line, why);
  };
  NAME.lastIndex = 0;
  const name = NAME.exec(line)?.[0] ?? fail('no metric name');
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ') i++;
      if (line[i] === '}') break;
      LABEL_NAME.lastIndex = i;
      const label = LABEL_NAME.exec(line)?.[0] ?? fail(`no label name at column ${i + 1}`);
      i += label.length;
      if (line[i] !== '=' || line[i + 1] !== '"') fail(`no ="…" after label ${label}`);
      i += 2;
      let value = '';
      for (;;) {
        const c = line[i];
        if (c === undefined) fail(`unterminated value of label ${label}`);
        if (c === '"') break;
        if (c === '\\') {
          const next = line[i + 1];
          if (next === 'n') value += '\n';
          else if (next === '\\' || next === '"') value += next;
          else fail(`unknown escape \\${next ?? ''} in label ${label}`);
          i += 2;
        } else {
          value += c;
          i++;
        }
      }
      i++;
      if (label in labels) fail(`label ${label} twice`);
      labels[label] = value;
      while (line[i] === ' ') i++;
      if (line[i] === ',') i++;
      else if (line[i] !== '}') fail(`expected , or } at column ${i + 1}`);
    }
    i++;
  }
  const rest = line.slice(i).trim().split(/\s+/);
  if (rest.length < 1 || rest.length > 2 || rest[0] === '') fail('expected a value');
  const value = parseValue(rest[0] ?? '');
  if (value === undefined) fail(`not a number: ${rest[0]}`);
  if (rest[1] !== undefined && !/^-?\d+$/.test(rest[1])) fail(`not a timestamp: ${rest[1]}`);
  return { name, labels, value: value as number };
}

/**
 * Returns every sample of a Prometheus text exposition (format 0.0.4, what prom-client serves):
 * comments and blank lines skipped, label values unescaped (`\\`, `\"`, `\n`), `+Inf`/`-Inf`/
 * `NaN` values; throws an {@link ExpositionError} naming the first malformed line.
 */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    samples.push(parseLine(line, index + 1));
  });
  return samples;
}
