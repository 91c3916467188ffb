import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotPlain, PlainTicksScanner } from '../../src/config/plainTicks.ts';
import { openScenarioStream } from '../../src/config/scenarioStream.ts';
import type { Tick } from '../../src/domain/types.ts';

const seed = Number(process.env.RATCHET_TEST_SEED ?? 20_261_127);
const numRuns = Number(process.env.RATCHET_TEST_RUNS ?? 300);

const dir = mkdtempSync(join(tmpdir(), 'ratchet-plain-'));
let files = 0;

const space = fc.constantFrom('', '', ' ', '\n  ', '\t', '\r\n');
const tsText = fc.oneof(
  { weight: 30, arbitrary: fc.integer({ min: 0, max: 2_000_000 }).map(String) },
  fc.constantFrom('-0', '0', '1e3', '100.0', '100.5', '"100"', '007', '9007199254740993'),
  fc.constantFrom('1234567890123456', '-5', 'null', '"1\\u0030"'),
);
const priceText = fc.oneof(
  {
    weight: 20,
    arbitrary: fc
      .integer({ min: 1, max: 99_999 })
      .map((c) => `"${Math.floor(c / 100)}.${c % 100}"`),
  },
  { weight: 10, arbitrary: fc.integer({ min: 1, max: 99_999 }).map((c) => `${c / 100}`) },
  fc.constantFrom('"NaN"', '""', '"1e5"', '1.5E+2', '-1', '"-0.5"', '0', '"\\u0031"'),
  fc.constantFrom('true', 'null', '["x"]', '"a b"', '"1,2"'),
);
const element = fc
  .oneof(
    { weight: 40, arbitrary: fc.tuple(space, tsText, space, priceText, space) },
    { weight: 1, arbitrary: fc.constant(['', '1000', '', '', ''] as const) },
  )
  .map(([a, ts, b, price, c]) =>
    price === '' ? `[${a}${ts}${b}]` : `[${a}${ts}${b},${c}${price}${a}]`,
  );
const series = fc
  .tuple(fc.array(fc.tuple(space, element), { maxLength: 12 }), space)
  .map(([elements, end]) => `[${elements.map(([s, e]) => s + e).join(',')}${end}]`);

const HEADER = [
  '"market": {"tickSize": "0.01"}',
  '"position": {"side": "long", "entryPrice": 100, "quantity": "1", "openedAt": 0}',
  '"policy": {"initialStop": {"percent": 2}, "trailing": {"ticks": 3}}',
];

/** A scenario document: mostly plain, sometimes candles, a second series, broken or odd. */
const documentArb = fc
  .tuple(
    fc.shuffledSubarray([0, 1, 2, 3], { minLength: 3, maxLength: 4 }),
    series,
    fc.constantFrom('ticks', 'ticks', 'ticks', 'candles', 'tick\\u0073'),
    fc.constantFrom('', '', '', 'second', 'truncate', 'trailing', 'prefix', 'nested'),
    space,
  )
  .map(([order, ticks, key, twist, s]) => {
    const parts = order.map((i) => (i === 3 ? `"${key}":${s}${ticks}` : (HEADER[i] as string)));
    if (twist === 'second') parts.push(`"ticks": [[5, "1"]]`);
    if (twist === 'nested') parts.push(`"extra": {"ticks": [[5, "1"]]}`);
    let text = `${s}{${parts.join(`,${s}`)}}${s}`;
    if (twist === 'truncate') text = text.slice(0, Math.floor(text.length * 0.7));
    if (twist === 'trailing') text += ' x';
    if (twist === 'prefix') text = `\uFEFF${text}`;
    return text;
  });

async function read(file: string, plain: boolean) {
  try {
    const s = await openScenarioStream(file, { plain });
    const ticks: Tick[] = [];
    for await (const batch of s.tickBatches()) ticks.push(...batch);
    return {
      market: s.market,
      position: s.position,
      policy: s.policy,
      tickCount: s.tickCount,
      ticks,
    };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

describe('plain scenario ticks', () => {
  it(`read exactly as the token walker reads them, errors included (seed ${seed})`, async () => {
    let plainRead = 0;
    await fc.assert(
      fc.asyncProperty(documentArb, async (text) => {
        const file = join(dir, `s${files++}.json`);
        writeFileSync(file, text);
        const walked = await read(file, false);
        expect(await read(file, true)).toEqual(walked);
        if ('ticks' in walked && walked.ticks.length > 0) plainRead++;
      }),
      { seed, numRuns },
    );
    expect(plainRead).toBeGreaterThan(numRuns / 10);
  });

  it('yields the same ticks and header wherever the chunks split the document', () => {
    fc.assert(
      fc.property(documentArb, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const run = (pieces: string[]) => {
          const scanner = new PlainTicksScanner();
          try {
            const ticks = pieces.flatMap((p) => scanner.feed(p));
            return { ticks, header: scanner.end() };
          } catch (error) {
            expect(error).toBeInstanceOf(NotPlain);
            return 'not plain';
          }
        };
        const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...at].map((from, i) => text.slice(from, at[i] ?? text.length));
        expect(run(pieces)).toEqual(run([text]));
      }),
      { seed, numRuns: numRuns * 3 },
    );
  });

  it('reads ticks in exponent notation and padded with whitespace', () => {
    const scanner = new PlainTicksScanner();
    const ticks = scanner.feed('{"a": {"b": [1]}, "ticks": [ [1, 1.5E+2] ,\n[-0,"NaN"]] }');
    expect(ticks).toEqual([
      { ts: 1, price: '1.5E+2' },
      { ts: 0, price: 'NaN' },
    ]);
    expect(scanner.end()).toBe('{"a": {"b": [1]}, "ticks": [] }');
  });
});
