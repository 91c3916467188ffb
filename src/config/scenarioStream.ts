import { createReadStream } from 'node:fs';
import { parserStream } from 'stream-json';
import type { Market, Policy, PositionSpec, Tick } from '../domain/types.ts';
import { ConfigError, type ConfigIssue } from './ConfigError.ts';
import { parseScenario } from './loadScenarioFile.ts';
import { NumberText } from './numberText.ts';
import { unreadableFile } from './readConfigFile.ts';
import { toConfigIssues } from './strictObject.ts';
import {
  candlePathSchema,
  candleSchema,
  expandCandle,
  tickSchema,
  type CandlePath,
} from './ticksSchema.ts';

/** A validated scenario whose ticks stay in the file until they are replayed. */
export interface ScenarioStream {
  readonly file: string;
  readonly market: Market;
  readonly position: PositionSpec;
  readonly policy: Policy;
  /** How many ticks `ticks()` yields (candles count four each). */
  readonly tickCount: number;
  /** Yields the ticks in file order, candles expanded; each call reads the file anew. */
  ticks(): AsyncGenerator<Tick, void, undefined>;
}

interface Token {
  readonly name: string;
  readonly value?: string;
}

type Container =
  { array: unknown[] } | { object: Record<string, unknown>; key: string | undefined };

// defineProperty, so that a "__proto__" key stays an ordinary (and refused) key.
function setKey(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Builds one JSON value from tokens, numbers as NumberText (exact, like the whole-file loader). */
class ValueBuilder {
  private readonly stack: Container[] = [];
  value: unknown;

  /** Feeds a token; returns true once the value is complete. */
  push(token: Token): boolean {
    switch (token.name) {
      case 'startObject':
        this.stack.push({ object: {}, key: undefined });
        return false;
      case 'startArray':
        this.stack.push({ array: [] });
        return false;
      case 'keyValue': {
        const top = this.stack.at(-1);
        if (top !== undefined && 'object' in top) top.key = token.value;
        return false;
      }
      case 'endObject':
      case 'endArray': {
        const done = this.stack.pop();
        return this.add(
          done === undefined ? undefined : 'array' in done ? done.array : done.object,
        );
      }
      case 'stringValue':
        return this.add(token.value);
      case 'numberValue':
        return this.add(new NumberText(token.value ?? ''));
      case 'nullValue':
        return this.add(null);
      case 'trueValue':
        return this.add(true);
      case 'falseValue':
        return this.add(false);
      default:
        return false;
    }
  }

  private add(value: unknown): boolean {
    const top = this.stack.at(-1);
    if (top === undefined) {
      this.value = value;
      return true;
    }
    if ('array' in top) top.array.push(value);
    else if (top.key !== undefined) setKey(top.object, top.key, value);
    return false;
  }
}

/** Yields the tokens of a JSON file; throws ConfigError for a missing file or bad syntax. */
async function* tokensOf(file: string): AsyncGenerator<Token, void, undefined> {
  const source = createReadStream(file);
  const parse = parserStream({ packValues: true, streamValues: false });
  source.on('error', (error) => parse.destroy(error));
  source.pipe(parse);
  try {
    for await (const token of parse) yield token as Token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) throw unreadableFile(file, error);
    const detail = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      [
        {
          path: '',
          value: '(document)',
          allowed: 'valid JSON',
          message: `JSON syntax error: ${detail}`,
        },
      ],
      file,
    );
  } finally {
    source.destroy();
    parse.destroy();
  }
}

type Series = 'ticks' | 'candles';
const SERIES: ReadonlySet<string> = new Set(['ticks', 'candles']);
const MAX_ELEMENT_ISSUES = 20;

/**
 * Walks a scenario document, assembling everything but the elements of its top-level `ticks`
 * or `candles` array, which go one at a time to `onElement` and are never held together.
 */
async function walk(
  file: string,
  onElement: (series: Series, index: number, element: unknown) => void,
): Promise<unknown> {
  const tokens = tokensOf(file);
  const first = await tokens.next();
  if (first.done === true) return undefined;
  if (first.value.name !== 'startObject') {
    const builder = new ValueBuilder();
    if (builder.push(first.value)) return builder.value;
    for await (const token of tokens) if (builder.push(token)) break;
    return builder.value;
  }
  const header: Record<string, unknown> = {};
  let key: string | undefined;
  let series: { name: Series; index: number; builder: ValueBuilder | undefined } | undefined;
  let value: ValueBuilder | undefined;
  for await (const token of tokens) {
    if (series !== undefined) {
      if (series.builder === undefined) {
        if (token.name === 'endArray') {
          series = undefined;
          continue;
        }
        series.builder = new ValueBuilder();
      }
      if (series.builder.push(token)) {
        onElement(series.name, series.index++, series.builder.value);
        series.builder = undefined;
      }
      continue;
    }
    if (value !== undefined) {
      if (value.push(token)) {
        if (key !== undefined) setKey(header, key, value.value);
        value = undefined;
      }
      continue;
    }
    if (token.name === 'keyValue') key = token.value;
    else if (token.name === 'endObject') break;
    else if (token.name === 'startArray' && key !== undefined && SERIES.has(key)) {
      header[key] = [];
      series = { name: key as Series, index: 0, builder: undefined };
    } else {
      value = new ValueBuilder();
      if (value.push(token)) {
        if (key !== undefined) setKey(header, key, value.value);
        value = undefined;
      }
    }
  }
  return header;
}

/**
 * Returns a validated scenario from a JSON file without holding its ticks in memory: one
 * pass validates everything (every tick or candle included), and `ticks()` reads them again
 * when the replay runs. Throws ConfigError, with the same messages as the whole-file loader,
 * when anything is wrong; nothing is replayed from an invalid file.
 */
export async function openScenarioStream(file: string): Promise<ScenarioStream> {
  const elementIssues: ConfigIssue[] = [];
  let count = 0;
  let candlePath: CandlePath = 'auto';
  const header = await walk(file, (series, index, element) => {
    const result =
      series === 'ticks' ? tickSchema.safeParse(element) : candleSchema.safeParse(element);
    if (result.success) count += series === 'ticks' ? 1 : 4;
    else if (elementIssues.length < MAX_ELEMENT_ISSUES)
      elementIssues.push(...toConfigIssues(result.error, element, [series, index]));
  });
  let scenario;
  try {
    scenario = parseScenario(header, file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError([...error.issues, ...elementIssues], file);
  }
  if (elementIssues.length > 0) throw new ConfigError(elementIssues, file);
  const record = header as Record<string, unknown>;
  const series: Series = 'candles' in record ? 'candles' : 'ticks';
  if (series === 'candles') candlePath = candlePathSchema.parse(record.candlePath ?? 'auto');
  const { market, position, policy } = scenario;
  return {
    file,
    market,
    position,
    policy,
    tickCount: count,
    async *ticks() {
      const pending: Tick[] = [];
      const tokens = tokensOf(file);
      // Re-walk with a generator bridge: elements are turned into ticks as they complete.
      let key: string | undefined;
      let depth = 0;
      let inSeries = false;
      let builder: ValueBuilder | undefined;
      for await (const token of tokens) {
        if (inSeries) {
          if (builder === undefined) {
            if (token.name === 'endArray') break;
            builder = new ValueBuilder();
          }
          if (builder.push(token)) {
            if (series === 'ticks') pending.push(tickSchema.parse(builder.value));
            else pending.push(...expandCandle(candleSchema.parse(builder.value), candlePath));
            builder = undefined;
            yield* pending;
            pending.length = 0;
          }
          continue;
        }
        if (token.name === 'startObject' || token.name === 'startArray') depth++;
        else if (token.name === 'endObject' || token.name === 'endArray') depth--;
        else if (token.name === 'keyValue' && depth === 1) key = token.value;
        if (token.name === 'startArray' && depth === 2 && key === series) inSeries = true;
      }
    },
  };
}
