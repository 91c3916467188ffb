/**
 * The part of PromQL the Grafana dashboard (docs/grafana-dashboard.json) uses, evaluated over
 * scrapes kept in memory, so its panels can be drawn without a Prometheus:
 *
 * - instant selectors with `=`, `!=`, `=~`, `!~` matchers (5 min lookback, as Prometheus);
 *   the dashboard's `instance=~"$instance"` is dropped, since there is one engine;
 * - `rate(x[w])` and `increase(x[w])`, with counter resets, WITHOUT Prometheus' extrapolation:
 *   increase is the growth between the first and last sample inside the window, rate that
 *   growth over the time between those two samples (Prometheus extrapolates both to the window's
 *   edges and divides by the whole window, so near a series' start its values are lower);
 * - `sum(…)` and `sum by (labels) (…)`;
 * - `*` and `/` between a vector and a number, or between two vectors with the same labels;
 * - `histogram_quantile(q, …)` over `le` buckets with Prometheus' linear interpolation.
 *
 * Anything else throws an {@link UnsupportedQueryError}: a query the subset cannot evaluate
 * must never turn into an empty panel.
 */
import type { Sample } from './promText.ts';

/** A query outside the subset (or not PromQL at all), with where in it the problem starts. */
export class UnsupportedQueryError extends Error {
  constructor(
    readonly query: string,
    why: string,
    column: number,
  ) {
    super(`cannot evaluate ${JSON.stringify(query)}: ${why} (column ${column + 1})`);
    this.name = 'UnsupportedQueryError';
  }
}

/** One scrape of /metrics: when (seconds) and what it said. */
export interface Scrape {
  readonly t: number;
  readonly samples: readonly Sample[];
}

type Labels = Readonly<Record<string, string>>;

interface Matcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** A parsed query of the subset. */
export type QueryNode =
  | { readonly type: 'number'; readonly value: number }
  | {
      readonly type: 'selector';
      readonly name: string;
      readonly matchers: readonly Matcher[];
      /** Seconds, for a range selector. */
      readonly range?: number;
    }
  | { readonly type: 'rate' | 'increase'; readonly selector: QueryNode & { type: 'selector' } }
  | { readonly type: 'histogram_quantile'; readonly q: number; readonly expr: QueryNode }
  | { readonly type: 'sum'; readonly by: readonly string[]; readonly expr: QueryNode }
  | {
      readonly type: 'binary';
      readonly op: '*' | '/';
      readonly lhs: QueryNode;
      readonly rhs: QueryNode;
    };

/** One element of an instant vector. */
export interface VectorSample {
  readonly labels: Labels;
  readonly value: number;
}

/** What a query evaluates to at one instant. */
export type QueryValue =
  | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'vector'; readonly samples: readonly VectorSample[] };

interface Token {
  readonly kind: 'ident' | 'number' | 'duration' | 'string' | 'punct' | 'other';
  readonly text: string;
  readonly at: number;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};
const LOOKBACK_SECONDS = 300;
const DROPPED_MATCHER = { label: 'instance', op: '=~', value: '$instance' } as const;

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const rest = query.slice(i);
    const space = /^\s+/.exec(rest);
    if (space !== null) {
      i += space[0].length;
      continue;
    }
    const duration = /^(\d+(ms|s|m|h|d|w|y))+(?![\w.])/.exec(rest);
    const number = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(rest);
    const ident = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(rest);
    const punct = /^(!=|=~|!~|[{}()[\],=*/])/.exec(rest);
    let token: Token;
    if (duration !== null) token = { kind: 'duration', text: duration[0], at: i };
    else if (number !== null) token = { kind: 'number', text: number[0], at: i };
    else if (ident !== null) token = { kind: 'ident', text: ident[0], at: i };
    else if (rest[0] === '"' || rest[0] === "'") {
      const quote = rest[0];
      let j = 1;
      let text = '';
      while (j < rest.length && rest[j] !== quote) {
        if (rest[j] === '\\' && j + 1 < rest.length) {
          const e = rest[j + 1] ?? '';
          text += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else text += rest[j++];
      }
      if (j >= rest.length) throw new UnsupportedQueryError(query, 'an unterminated string', i);
      token = { kind: 'string', text, at: i };
      i += j + 1;
      tokens.push(token);
      continue;
    } else if (punct !== null) token = { kind: 'punct', text: punct[0], at: i };
    else token = { kind: 'other', text: rest[0] ?? '', at: i };
    tokens.push(token);
    i += token.text.length;
  }
  return tokens;
}

function durationSeconds(text: string): number {
  let seconds = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g))
    seconds += Number(m[1]) * (UNIT_SECONDS[m[2] ?? ''] ?? NaN);
  return seconds;
}

class Parser {
  private i = 0;
  constructor(
    private readonly query: string,
    private readonly tokens: readonly Token[],
  ) {}

  fail(why: string, token = this.tokens[this.i]): never {
    throw new UnsupportedQueryError(this.query, why, token?.at ?? this.query.length);
  }

  peek(): Token | undefined {
    return this.tokens[this.i];
  }

  next(): Token {
    const token = this.tokens[this.i] ?? this.fail('the query ends too early');
    this.i++;
    return token;
  }

  expect(text: string): void {
    const token = this.next();
    if (token.text !== text || token.kind === 'string')
      this.fail(`expected ${text}, found ${token.text}`, token);
  }

  done(): void {
    const token = this.peek();
    if (token !== undefined) this.fail(`unsupported ${JSON.stringify(token.text)} here`, token);
  }

  expr(): QueryNode {
    let lhs = this.primary();
    for (;;) {
      const token = this.peek();
      if (token?.kind !== 'punct' || (token.text !== '*' && token.text !== '/')) return lhs;
      this.i++;
      lhs = { type: 'binary', op: token.text, lhs, rhs: this.primary() };
    }
  }

  primary(): QueryNode {
    const token = this.next();
    if (token.kind === 'number') return { type: 'number', value: Number(token.text) };
    if (token.kind === 'punct' && token.text === '(') {
      const inner = this.expr();
      this.expect(')');
      return inner;
    }
    if (token.kind !== 'ident')
      return this.fail(`unsupported ${JSON.stringify(token.text)}`, token);
    const open = this.peek()?.text === '(' && this.peek()?.kind === 'punct';
    if (token.text === 'sum') return this.sum();
    if (open) return this.call(token);
    const selector = this.selector(token);
    if (selector.range !== undefined)
      this.fail('a range selector outside rate() or increase()', token);
    return selector;
  }

  labelList(): string[] {
    this.expect('(');
    const labels: string[] = [];
    while (this.peek()?.text !== ')') {
      const label = this.next();
      if (label.kind !== 'ident') this.fail(`expected a label name, found ${label.text}`, label);
      labels.push(label.text);
      if (this.peek()?.text === ',') this.i++;
    }
    this.expect(')');
    return labels;
  }

  sum(): QueryNode {
    let by: string[] = [];
    if (this.peek()?.text === 'by') {
      this.i++;
      by = this.labelList();
    } else if (this.peek()?.text === 'without') this.fail('sum without (…)');
    this.expect('(');
    const expr = this.expr();
    this.expect(')');
    if (this.peek()?.text === 'by') {
      this.i++;
      by = this.labelList();
    } else if (this.peek()?.text === 'without') this.fail('sum without (…)');
    return { type: 'sum', by, expr };
  }

  call(name: Token): QueryNode {
    if (name.text !== 'rate' && name.text !== 'increase' && name.text !== 'histogram_quantile')
      this.fail(`the function or aggregation ${name.text}()`, name);
    this.expect('(');
    if (name.text === 'histogram_quantile') {
      const q = this.next();
      if (q.kind !== 'number') this.fail('histogram_quantile needs a number first', q);
      this.expect(',');
      const expr = this.expr();
      this.expect(')');
      return { type: 'histogram_quantile', q: Number(q.text), expr };
    }
    const at = this.next();
    if (at.kind !== 'ident') this.fail(`${name.text}() needs a range selector`, at);
    const selector = this.selector(at);
    if (selector.range === undefined) this.fail(`${name.text}() needs a range selector`, at);
    this.expect(')');
    return { type: name.text, selector };
  }

  selector(name: Token): QueryNode & { type: 'selector' } {
    const matchers: Matcher[] = [];
    if (this.peek()?.text === '{') {
      this.i++;
      while (this.peek()?.text !== '}') {
        const label = this.next();
        if (label.kind !== 'ident') this.fail(`expected a label name, found ${label.text}`, label);
        const op = this.next();
        if (op.text !== '=' && op.text !== '!=' && op.text !== '=~' && op.text !== '!~')
          this.fail(`expected a label matcher, found ${op.text}`, op);
        const value = this.next();
        if (value.kind !== 'string') this.fail('expected a quoted label value', value);
        const matcher: Matcher = { label: label.text, op: op.text, value: value.text };
        const dropped =
          matcher.label === DROPPED_MATCHER.label &&
          matcher.op === DROPPED_MATCHER.op &&
          matcher.value === DROPPED_MATCHER.value;
        if (!dropped && matcher.value.includes('$'))
          this.fail(`the dashboard variable in ${label.text}${op.text}"${value.text}"`, value);
        if (!dropped) matchers.push(matcher);
        if (this.peek()?.text === ',') this.i++;
      }
      this.expect('}');
    }
    if (this.peek()?.text === '[') {
      this.i++;
      const duration = this.next();
      if (duration.kind !== 'duration') this.fail('expected a duration such as 5m', duration);
      this.expect(']');
      return { type: 'selector', name: name.text, matchers, range: durationSeconds(duration.text) };
    }
    return { type: 'selector', name: name.text, matchers };
  }
}

/** Returns the parsed form of a query, or throws an {@link UnsupportedQueryError} for one outside the subset. */
export function parseQuery(query: string): QueryNode {
  const tokens = tokenize(query);
  const other = tokens.find((t) => t.kind === 'other');
  if (other !== undefined)
    throw new UnsupportedQueryError(query, `unsupported ${JSON.stringify(other.text)}`, other.at);
  const parser = new Parser(query, tokens);
  const node = parser.expr();
  parser.done();
  return node;
}

interface Series {
  readonly name: string;
  readonly labels: Labels;
  readonly t: number[];
  readonly v: number[];
}

function labelKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function matches(labels: Labels, m: Matcher): boolean {
  const value = labels[m.label] ?? '';
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(value);
    case '!~':
      return !new RegExp(`^(?:${m.value})$`).test(value);
  }
}

/** Scrapes held as series, in time order, for evaluating queries at any instant. */
export class SeriesStore {
  private readonly byName = new Map<string, Map<string, Series>>();

  /** Adds a scrape; scrapes must come in time order. */
  add(scrape: Scrape): void {
    for (const s of scrape.samples) {
      let named = this.byName.get(s.name);
      if (named === undefined) this.byName.set(s.name, (named = new Map<string, Series>()));
      const key = labelKey(s.labels);
      let series = named.get(key);
      if (series === undefined)
        named.set(key, (series = { name: s.name, labels: s.labels, t: [], v: [] }));
      series.t.push(scrape.t);
      series.v.push(s.value);
    }
  }

  /** Returns the series named `name` whose labels pass every matcher. */
  select(name: string, matchers: readonly Matcher[]): Series[] {
    return [...(this.byName.get(name)?.values() ?? [])].filter((s) =>
      matchers.every((m) => matches(s.labels, m)),
    );
  }
}

/** Returns the growth of a counter over its samples, adding back what each reset dropped. */
function counterGrowth(values: readonly number[]): number {
  let growth = 0;
  for (let i = 1; i < values.length; i++) {
    const prev = values[i - 1] as number;
    const cur = values[i] as number;
    growth += cur >= prev ? cur - prev : cur;
  }
  return growth;
}

/** Returns the q-quantile of cumulative `le` buckets as Prometheus' histogram_quantile does. */
export function bucketQuantile(
  q: number,
  buckets: readonly { le: number; count: number }[],
): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  if (sorted.length < 2 || sorted[sorted.length - 1]?.le !== Infinity) return NaN;
  // Rates of separately scraped buckets can dip below a lower bucket's; Prometheus evens them out.
  let max = -Infinity;
  const counts = sorted.map((b) => (max = Math.max(max, b.count)));
  const observations = counts[counts.length - 1] as number;
  if (!(observations > 0)) return NaN;
  let rank = q * observations;
  const b = counts.findIndex((c) => c >= rank);
  if (b === sorted.length - 1) return sorted[sorted.length - 2]?.le as number;
  const upper = sorted[b]?.le as number;
  if (b === 0 && upper <= 0) return upper;
  let start = 0;
  let count = counts[b] as number;
  if (b > 0) {
    start = sorted[b - 1]?.le as number;
    count -= counts[b - 1] as number;
    rank -= counts[b - 1] as number;
  }
  return start + (upper - start) * (rank / count);
}

function withoutName(labels: Labels): Labels {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => k !== '__name__'));
}

function vectorOf(value: QueryValue, query: QueryNode): readonly VectorSample[] {
  if (value.kind !== 'vector') throw new Error(`expected a vector from ${query.type}`);
  return value.samples;
}

/** Returns the value of a parsed query at instant `t` (seconds) over the store's scrapes. */
export function evaluate(node: QueryNode, store: SeriesStore, t: number): QueryValue {
  switch (node.type) {
    case 'number':
      return { kind: 'scalar', value: node.value };
    case 'selector': {
      const samples: VectorSample[] = [];
      for (const s of store.select(node.name, node.matchers)) {
        let i = s.t.length - 1;
        while (i >= 0 && (s.t[i] as number) > t) i--;
        if (i >= 0 && t - (s.t[i] as number) <= LOOKBACK_SECONDS)
          samples.push({ labels: withoutName(s.labels), value: s.v[i] as number });
      }
      return { kind: 'vector', samples };
    }
    case 'rate':
    case 'increase': {
      const range = node.selector.range as number;
      const samples: VectorSample[] = [];
      for (const s of store.select(node.selector.name, node.selector.matchers)) {
        const inside: number[] = [];
        const times: number[] = [];
        s.t.forEach((at, i) => {
          if (at > t - range && at <= t) {
            inside.push(s.v[i] as number);
            times.push(at);
          }
        });
        if (inside.length < 2) continue;
        const growth = counterGrowth(inside);
        const span = (times[times.length - 1] as number) - (times[0] as number);
        samples.push({
          labels: withoutName(s.labels),
          value: node.type === 'increase' ? growth : growth / span,
        });
      }
      return { kind: 'vector', samples };
    }
    case 'sum': {
      const groups = new Map<string, { labels: Labels; value: number }>();
      for (const s of vectorOf(evaluate(node.expr, store, t), node.expr)) {
        const labels = Object.fromEntries(node.by.map((l) => [l, s.labels[l] ?? '']));
        const key = labelKey(labels);
        const group = groups.get(key);
        if (group === undefined) groups.set(key, { labels, value: s.value });
        else group.value += s.value;
      }
      return { kind: 'vector', samples: [...groups.values()] };
    }
    case 'histogram_quantile': {
      const groups = new Map<
        string,
        { labels: Labels; buckets: { le: number; count: number }[] }
      >();
      for (const s of vectorOf(evaluate(node.expr, store, t), node.expr)) {
        const { le, ...labels } = s.labels;
        if (le === undefined) continue;
        const key = labelKey(labels);
        let group = groups.get(key);
        if (group === undefined) groups.set(key, (group = { labels, buckets: [] }));
        group.buckets.push({ le: le === '+Inf' ? Infinity : Number(le), count: s.value });
      }
      return {
        kind: 'vector',
        samples: [...groups.values()].map((g) => ({
          labels: g.labels,
          value: bucketQuantile(node.q, g.buckets),
        })),
      };
    }
    case 'binary': {
      const lhs = evaluate(node.lhs, store, t);
      const rhs = evaluate(node.rhs, store, t);
      const apply = (a: number, b: number) => (node.op === '*' ? a * b : a / b);
      if (lhs.kind === 'scalar' && rhs.kind === 'scalar')
        return { kind: 'scalar', value: apply(lhs.value, rhs.value) };
      if (lhs.kind === 'scalar')
        return {
          kind: 'vector',
          samples: vectorOf(rhs, node.rhs).map((s) => ({
            labels: s.labels,
            value: apply(lhs.value, s.value),
          })),
        };
      if (rhs.kind === 'scalar')
        return {
          kind: 'vector',
          samples: lhs.samples.map((s) => ({ labels: s.labels, value: apply(s.value, rhs.value) })),
        };
      const right = new Map(rhs.samples.map((s) => [labelKey(s.labels), s.value]));
      const samples: VectorSample[] = [];
      for (const s of lhs.samples) {
        const other = right.get(labelKey(s.labels));
        if (other !== undefined) samples.push({ labels: s.labels, value: apply(s.value, other) });
      }
      return { kind: 'vector', samples };
    }
  }
}

/** One series of a range query: its labels and its value at each requested instant (null: none). */
export interface RangeSeries {
  readonly labels: Labels;
  readonly values: readonly (number | null)[];
}

/**
 * Returns a query evaluated at each of `times`, as Grafana's range query gives a panel: one
 * series per label set seen at any instant. Throws an {@link UnsupportedQueryError} for a query
 * outside the subset.
 */
export function evaluateRange(
  query: string,
  store: SeriesStore,
  times: readonly number[],
): RangeSeries[] {
  const node = parseQuery(query);
  const series = new Map<string, { labels: Labels; values: (number | null)[] }>();
  times.forEach((t, i) => {
    const value = evaluate(node, store, t);
    const samples = value.kind === 'scalar' ? [{ labels: {}, value: value.value }] : value.samples;
    for (const s of samples) {
      const key = labelKey(s.labels);
      let found = series.get(key);
      if (found === undefined)
        series.set(key, (found = { labels: s.labels, values: times.map(() => null) }));
      // NaN (a quantile of no observations, 0/0) is a gap, as Grafana draws it.
      found.values[i] = Number.isNaN(s.value) ? null : s.value;
    }
  });
  return [...series.values()];
}
