import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExpositionError, parseExposition, type Sample } from '../../bench/promText.ts';
import {
  bucketQuantile,
  evaluate,
  evaluateRange,
  parseQuery,
  SeriesStore,
  UnsupportedQueryError,
  type QueryValue,
} from '../../bench/promqlSubset.ts';

function sample(name: string, labels: Record<string, string>, value: number): Sample {
  return { name, labels, value };
}

/** A store of scrapes at the given times, each made by `at(t)`. */
function storeOf(times: readonly number[], at: (t: number) => Sample[]): SeriesStore {
  const store = new SeriesStore();
  for (const t of times) store.add({ t, samples: at(t) });
  return store;
}

function values(value: QueryValue): Record<string, number> {
  if (value.kind === 'scalar') return { scalar: value.value };
  return Object.fromEntries(value.samples.map((s) => [JSON.stringify(s.labels), s.value]));
}

function at(query: string, store: SeriesStore, t: number): Record<string, number> {
  return values(evaluate(parseQuery(query), store, t));
}

describe('parseExposition', () => {
  it('reads samples with escaped label values, histograms, specials and timestamps', () => {
    const text = [
      '# HELP ratchet_exits_total Positions closed, by "exit" reason \\ with a backslash.',
      '# TYPE ratchet_exits_total counter',
      'ratchet_exits_total{reason="say \\"stop\\"",path="C:\\\\dir"} 3',
      'ratchet_exits_total{reason="two\\nlines", extra="a,b}"} 1.5e1',
      '',
      '# TYPE h histogram',
      'h_bucket{le="0.1"} 2',
      'h_bucket{le="+Inf"} 5',
      'h_sum 0.7',
      'h_count 5',
      'g NaN',
      'g2 -Inf 1700000000000',
    ].join('\n');
    const samples = parseExposition(text);
    expect(samples.map((s) => s.name)).toEqual([
      'ratchet_exits_total',
      'ratchet_exits_total',
      'h_bucket',
      'h_bucket',
      'h_sum',
      'h_count',
      'g',
      'g2',
    ]);
    expect(samples[0]).toEqual(
      sample('ratchet_exits_total', { reason: 'say "stop"', path: 'C:\\dir' }, 3),
    );
    expect(samples[1]?.labels).toEqual({ reason: 'two\nlines', extra: 'a,b}' });
    expect(samples[1]?.value).toBe(15);
    expect(samples[3]).toEqual(sample('h_bucket', { le: '+Inf' }, 5));
    expect(samples[4]?.value).toBe(0.7);
    expect(samples[6]?.value).toBeNaN();
    expect(samples[7]?.value).toBe(-Infinity);
  });

  it('names the first malformed line', () => {
    expect(() => parseExposition('ok 1\nbad{a="b} 1')).toThrow(ExpositionError);
    expect(() => parseExposition('ok 1\nbad{a="b} 1')).toThrow(/line 2: unterminated value/);
    expect(() => parseExposition('x{a="b"} twelve')).toThrow(/line 1: not a number: twelve/);
    expect(() => parseExposition('x{a="\\t"} 1')).toThrow(/unknown escape/);
  });
});

describe('the PromQL subset', () => {
  // A counter per (mode, host) scraped every 10 s.
  const moves = storeOf([0, 10, 20, 30], (t) => [
    sample('moves_total', { mode: 'a', host: '1', instance: 'x:1' }, [0, 10, 30, 60][t / 10] ?? 0),
    sample('moves_total', { mode: 'a', host: '2', instance: 'x:1' }, [0, 10, 5, 15][t / 10] ?? 0),
    sample('moves_total', { mode: 'b', host: '1', instance: 'x:1' }, t),
  ]);

  it('rate and increase: growth between the first and last sample in the window, across resets', () => {
    // host 1: 0 → 60 over 30 s; host 2 reset from 10 to 5: 10 + 5 + 10 = 25.
    expect(at('rate(moves_total{mode="a",host="1"}[1m])', moves, 30)).toEqual({
      '{"mode":"a","host":"1","instance":"x:1"}': 2,
    });
    expect(at('increase(moves_total{host="2", mode="a"}[1m])', moves, 30)).toEqual({
      '{"mode":"a","host":"2","instance":"x:1"}': 25,
    });
    // (5 s, 30 s] holds the samples at 10, 20, 30: 60 - 10.
    expect(at('increase(moves_total{host="1",mode="a"}[25s])', moves, 30)).toEqual({
      '{"mode":"a","host":"1","instance":"x:1"}': 50,
    });
    // One sample in the window is no rate at all.
    expect(at('rate(moves_total[5s])', moves, 30)).toEqual({});
  });

  it('sum by, sum, * 60 and the dashboard instance matcher', () => {
    expect(
      at('sum by (mode) (rate(moves_total{instance=~"$instance"}[1m])) * 60', moves, 30),
    ).toEqual({
      '{"mode":"a"}': (2 + 25 / 30) * 60,
      '{"mode":"b"}': 60,
    });
    expect(at('sum(increase(moves_total[1m])) by (mode)', moves, 20)).toEqual({
      '{"mode":"a"}': 30 + (10 + 5),
      '{"mode":"b"}': 20,
    });
    expect(at('sum(moves_total{mode!="b", host=~"1|3"})', moves, 20)).toEqual({ '{}': 30 });
    expect(at('2 * sum(moves_total{mode="b"})', moves, 30)).toEqual({ '{}': 60 });
  });

  it('an instant selector looks back 5 minutes, no further', () => {
    expect(at('moves_total{mode="b"}', moves, 330)).toEqual({
      '{"mode":"b","host":"1","instance":"x:1"}': 30,
    });
    expect(at('moves_total{mode="b"}', moves, 331)).toEqual({});
  });

  // Latencies of two hosts: after 10 s, 100 observations with cumulative buckets 20/60/90/100.
  const latency = storeOf([0, 10], (t) =>
    ['1', '2'].flatMap((host) => [
      ...[
        ['0.1', 10],
        ['0.5', 30],
        ['1', 45],
        ['+Inf', 50],
      ].map(([le, n]) =>
        sample('lat_seconds_bucket', { le: String(le), host }, t === 0 ? 0 : Number(n)),
      ),
      sample('lat_seconds_sum', { host }, t === 0 ? 0 : 20),
      sample('lat_seconds_count', { host }, t === 0 ? 0 : 50),
    ]),
  );

  it('histogram_quantile interpolates linearly inside the bucket, as Prometheus does', () => {
    const q = (n: number) =>
      at(`histogram_quantile(${n}, sum by (le) (rate(lat_seconds_bucket[5m])))`, latency, 10)['{}'];
    // Rates 2/6/9/10 per second. Rank 5 falls in (0.1, 0.5] holding 4, 3 of them below it.
    expect(q(0.5)).toBeCloseTo(0.1 + 0.4 * (3 / 4), 12);
    expect(q(0.1)).toBeCloseTo(0.05, 12);
    // In the +Inf bucket: the highest finite bound.
    expect(q(0.95)).toBe(1);
    // Kept per host without sum by (le).
    expect(
      Object.keys(at('histogram_quantile(0.5, rate(lat_seconds_bucket[5m]))', latency, 10)),
    ).toEqual(['{"host":"1"}', '{"host":"2"}']);
  });

  it('bucketQuantile: no observations or no +Inf bucket is NaN; non-monotonic buckets are evened out', () => {
    expect(
      bucketQuantile(0.5, [
        { le: 1, count: 0 },
        { le: Infinity, count: 0 },
      ]),
    ).toBeNaN();
    expect(
      bucketQuantile(0.5, [
        { le: 1, count: 3 },
        { le: 2, count: 4 },
      ]),
    ).toBeNaN();
    expect(
      bucketQuantile(0.5, [
        { le: 1, count: 4 },
        { le: 2, count: 3 },
        { le: Infinity, count: 4 },
      ]),
    ).toBe(0.5);
  });

  it('divides two aggregates matching their labels', () => {
    expect(
      at('sum(rate(lat_seconds_sum[5m])) / sum(rate(lat_seconds_count[5m]))', latency, 10),
    ).toEqual({ '{}': 0.4 });
    expect(at('sum by (host) (lat_seconds_sum) / sum(lat_seconds_count)', latency, 10)).toEqual({});
  });

  it('a range evaluation keeps one series per label set, NaN and absence as gaps', () => {
    const series = evaluateRange(
      'histogram_quantile(0.5, sum by (le) (rate(lat_seconds_bucket[5m])))',
      latency,
      [0, 10],
    );
    expect(series).toEqual([{ labels: {}, values: [null, 0.4] }]);
  });

  it.each([
    ['avg(moves_total)', /the function or aggregation avg\(\)/],
    ['rate(moves_total[5m]) + 1', /unsupported "\+"/],
    ['moves_total offset 5m', /unsupported "offset" here/],
    ['max by (mode) (moves_total)', /max\(\)|unsupported "by"/],
    ['sum without (host) (moves_total)', /sum without/],
    ['moves_total{instance=~"$other"}', /dashboard variable/],
    ['rate(moves_total)', /needs a range selector/],
    ['moves_total[5m]', /range selector outside rate/],
    ['histogram_quantile(0.5, rate(x[5m])', /ends too early/],
  ])('refuses %s', (query, why) => {
    expect(() => parseQuery(query)).toThrow(UnsupportedQueryError);
    expect(() => parseQuery(query)).toThrow(why);
  });

  it('parses every query of the Grafana dashboard (docs/grafana-dashboard.json)', () => {
    const dashboard = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../docs/grafana-dashboard.json'), 'utf8'),
    ) as { panels: { targets?: { expr: string }[] }[] };
    const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    expect(queries.length).toBeGreaterThan(10);
    for (const query of queries) expect(() => parseQuery(query), query).not.toThrow();
  });
});
