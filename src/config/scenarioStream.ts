import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { parserStream } from 'stream-json';
import type { Market, Policy, PositionSpec, Tick } from '../domain/types.ts';
import { ConfigError, type ConfigIssue } from './ConfigError.ts';
import { parseScenario } from './loadScenarioFile.ts';
import { NumberText, numericText } from './numberText.ts';
import { NotPlain, plainTickBatches } from './plainTicks.ts';
import { millisOf } from './decimals.ts';
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
  /** The same ticks in batches, for consumers of millions of them (one await per batch). */
  tickBatches(): AsyncGenerator<readonly Tick[], void, undefined>;
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

function syntaxError(file: string, error: unknown): ConfigError {
  if ((error as NodeJS.ErrnoException).code !== undefined) return unreadableFile(file, error);
  const detail = error instanceof Error ? error.message : String(error);
  return new ConfigError(
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
}

const BATCH = 8192;

/**
 * Yields the tokens of a JSON file in batches; throws ConfigError for a missing file or bad
 * syntax. Batches, because awaiting each of a file's millions of tokens would cost more than
 * parsing them.
 */
async function* tokenBatchesOf(
  file: string,
  source: Readable = createReadStream(file),
): AsyncGenerator<Token[], void, undefined> {
  const parse = parserStream({ packValues: true, streamValues: false });
  let batch: Token[] = [];
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  source.on('error', (error) => parse.destroy(error));
  parse.on('data', (token: Token) => {
    batch.push(token);
    if (batch.length >= BATCH) {
      parse.pause();
      notify();
    }
  });
  parse.on('end', () => {
    ended = true;
    notify();
  });
  parse.on('error', (error) => {
    failure = error;
    notify();
  });
  source.pipe(parse);
  try {
    for (;;) {
      if (batch.length === 0 && !ended && failure === undefined) {
        await new Promise<void>((resolve) => (wake = resolve));
      }
      if (failure !== undefined) throw syntaxError(file, failure);
      if (batch.length > 0) {
        const full = batch;
        batch = [];
        yield full;
        parse.resume();
      } else if (ended) return;
    }
  } finally {
    source.destroy();
    parse.destroy();
  }
}

type Series = 'ticks' | 'candles';

/**
 * Returns the tick of a well-formed `[ts, price]` element, or undefined when the element needs
 * the schema to say what is wrong with it. Millions of elements pass through here, so the
 * common case skips the schema.
 */
function quickTick(element: unknown): Tick | undefined {
  if (!Array.isArray(element) || element.length !== 2) return undefined;
  const ts = millisOf(element[0]);
  const price = numericText(element[1]);
  return ts === undefined || price === undefined ? undefined : { ts, price };
}
const SERIES: ReadonlySet<string> = new Set(['ticks', 'candles']);
const MAX_ELEMENT_ISSUES = 20;

/**
 * Walks a scenario document token by token, assembling everything but the elements of its
 * top-level `ticks` or `candles` array, which go one at a time to `onElement` and are never
 * held together.
 */
class DocumentWalker {
  private started = false;
  private root: ValueBuilder | undefined;
  private readonly header: Record<string, unknown> = {};
  private key: string | undefined;
  private series: { name: Series; index: number; builder: ValueBuilder | undefined } | undefined;
  private value: ValueBuilder | undefined;
  /** The document, once complete: the header object (series emptied), or a non-object root. */
  result: unknown;

  constructor(
    private readonly onElement: (series: Series, index: number, element: unknown) => void,
  ) {}

  /** Feeds a token; returns true once the document is complete. */
  push(token: Token): boolean {
    if (!this.started) {
      this.started = true;
      if (token.name !== 'startObject') this.root = new ValueBuilder();
      else return false;
    }
    if (this.root !== undefined) {
      if (!this.root.push(token)) return false;
      this.result = this.root.value;
      return true;
    }
    const series = this.series;
    if (series !== undefined) {
      if (series.builder === undefined) {
        if (token.name === 'endArray') {
          this.series = undefined;
          return false;
        }
        series.builder = new ValueBuilder();
      }
      if (series.builder.push(token)) {
        this.onElement(series.name, series.index++, series.builder.value);
        series.builder = undefined;
      }
      return false;
    }
    if (this.value === undefined) {
      if (token.name === 'keyValue') {
        this.key = token.value;
        return false;
      }
      if (token.name === 'endObject') {
        this.result = this.header;
        return true;
      }
      if (token.name === 'startArray' && this.key !== undefined && SERIES.has(this.key)) {
        this.header[this.key] = [];
        this.series = { name: this.key as Series, index: 0, builder: undefined };
        return false;
      }
      this.value = new ValueBuilder();
    }
    if (this.value.push(token)) {
      if (this.key !== undefined) setKey(this.header, this.key, this.value.value);
      this.value = undefined;
    }
    return false;
  }
}

async function walk(
  file: string,
  onElement: (series: Series, index: number, element: unknown) => void,
  source?: Readable,
): Promise<unknown> {
  const walker = new DocumentWalker(onElement);
  for await (const batch of tokenBatchesOf(file, source)) {
    for (const token of batch) if (walker.push(token)) return walker.result;
  }
  return walker.result;
}

/**
 * Returns the header of a plain scenario file (its ticks array emptied) and how many ticks it
 * holds, or undefined when the file is not plain: its header is then read, and any error
 * reported, by the token walker over the whole file.
 */
async function readPlain(file: string): Promise<{ header: unknown; count: number } | undefined> {
  let count = 0;
  let text: string;
  try {
    const batches = plainTickBatches(file);
    for (;;) {
      const next = await batches.next();
      if (next.done === true) {
        text = next.value;
        break;
      }
      count += next.value.length;
    }
    const header = await walk(
      file,
      () => {
        throw new NotPlain('another series');
      },
      Readable.from([text]),
    );
    return { header, count };
  } catch {
    return undefined;
  }
}

/**
 * Returns a validated scenario from a JSON file without holding its ticks in memory: one
 * pass validates everything (every tick or candle included), and `ticks()` reads them again
 * when the replay runs. Throws ConfigError, with the same messages as the whole-file loader,
 * when anything is wrong; nothing is replayed from an invalid file. `options.plain: false`
 * reads even a plain file with the token walker.
 */
export async function openScenarioStream(
  file: string,
  options: { readonly plain?: boolean } = {},
): Promise<ScenarioStream> {
  const elementIssues: ConfigIssue[] = [];
  let count = 0;
  let candlePath: CandlePath = 'auto';
  // Most scenario files are plain ticks: those are read without the walker's tokens
  // (`plain: false` forces the walker, so tests can compare the two).
  const plain = options.plain === false ? undefined : await readPlain(file);
  if (plain !== undefined) count = plain.count;
  const header =
    plain !== undefined
      ? plain.header
      : await walk(file, (series, index, element) => {
          if (series === 'ticks' && quickTick(element) !== undefined) {
            count += 1;
            return;
          }
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
  // The replay pass walks the document the same way the validating pass did, turning each
  // (already validated) element into ticks as it completes.
  async function* tickBatches(): AsyncGenerator<readonly Tick[], void, undefined> {
    if (plain !== undefined) {
      try {
        yield* plainTickBatches(file);
      } catch (error) {
        if (!(error instanceof NotPlain)) throw syntaxError(file, error);
        throw new ConfigError(
          [
            {
              path: '',
              value: '(document)',
              allowed: 'the file as it was when validated',
              message: 'the scenario file changed while it was replayed',
            },
          ],
          file,
        );
      }
      return;
    }
    let out: Tick[] = [];
    const walker = new DocumentWalker((_series, _index, element) => {
      if (series === 'ticks') out.push(quickTick(element) ?? tickSchema.parse(element));
      else out.push(...expandCandle(candleSchema.parse(element), candlePath));
    });
    for await (const batch of tokenBatchesOf(file)) {
      let done = false;
      for (const token of batch) if ((done = walker.push(token))) break;
      if (out.length > 0) {
        yield out;
        out = [];
      }
      if (done) return;
    }
  }

  return {
    file,
    market,
    position,
    policy,
    tickCount: count,
    tickBatches,
    async *ticks() {
      for await (const batch of tickBatches()) yield* batch;
    },
  };
}
