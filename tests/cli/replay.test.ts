import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/io.ts';

const ROOT = join(import.meta.dirname, '../..');
const SPEC = join(ROOT, 'examples/spec');

async function ratchet(args: string[], isTty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), isTty };
  const code = await run(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ratchet-cli-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const base = {
  market: { tickSize: '0.01' },
  position: { side: 'long', entryPrice: '100', quantity: '1', openedAt: 0 },
  policy: { initialStop: { percent: 2 }, trailing: { percent: 1 } },
  ticks: [
    [1000, '101'],
    [2000, '99.5'],
  ],
};

describe('ratchet replay', () => {
  it('prints the SPEC lines of sete-bigjump exactly as the expectation file writes them', async () => {
    const { code, out } = await ratchet([
      'replay',
      join(SPEC, 'sete-bigjump.json'),
      '--format',
      'jsonl',
    ]);
    expect(code).toBe(0);
    expect(out).toBe(readFileSync(join(SPEC, 'sete-bigjump.expected.jsonl'), 'utf8').trim());
  });

  it('prints a table with the stop path and a summary on a terminal', async () => {
    const { code, out } = await ratchet(['replay', join(SPEC, 'short-tiers-momentum.json')], true);
    expect(code).toBe(0);
    expect(out).toMatch(/accelerated +63700/);
    expect(out).toContain('exited at 63250 (ts 80000) on the trailing stop; final stop 63226.2');
  });

  it('replays a CSV of ticks with --position and --policy files', async () => {
    const csv = tempFile('ticks.csv', 'ts,price\n1000,101\n2000,102\n3000,100.9\n');
    const position = tempFile(
      'position.json',
      JSON.stringify({ market: base.market, position: base.position }),
    );
    const policy = tempFile(
      'policy.yaml',
      'initialStop: { percent: 2 }\ntrailing: { percent: 1 }\n',
    );
    const { code, out, err } = await ratchet([
      'replay',
      csv,
      '--position',
      position,
      '--policy',
      policy,
      '--format',
      'jsonl',
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.split('\n').map((l) => JSON.parse(l) as { type: string; stop?: string })).toEqual([
      { type: 'opened', ts: 0, stop: '98' },
      { type: 'activated', ts: 1000, price: '101', reason: 'immediate' },
      { type: 'stopMoved', ts: 1000, price: '101', stop: '99.99', source: 'trailing' },
      { type: 'stopMoved', ts: 2000, price: '102', stop: '100.98', source: 'trailing' },
      { type: 'exited', ts: 3000, price: '100.9', stop: '100.98', reason: 'trailing' },
      {
        type: 'summary',
        exited: true,
        exitTs: 3000,
        exitPrice: '100.9',
        exitReason: 'trailing',
        finalStop: '100.98',
      },
    ]);
  });

  const bad: [note: string, mutate: (s: typeof base) => unknown, mentions: RegExp][] = [
    [
      'pullback outside (0, 1)',
      (s) => ({
        ...s,
        policy: { ...s.policy, elastic: { unit: 'quote', engageAt: 1, pullback: 1.4 } },
      }),
      /policy\.elastic\.pullback: 1\.4.*\(0, 1\)/,
    ],
    [
      'a misspelt key, with a suggestion',
      (s) => ({ ...s, policy: { ...s.policy, trailling: { percent: 1 } } }),
      /policy\.trailling.*did you mean .?trailing/i,
    ],
    [
      'a non-positive tick size',
      (s) => ({ ...s, market: { tickSize: '0' } }),
      /market\.tickSize: .*0/,
    ],
    [
      'a side that is neither long nor short',
      (s) => ({ ...s, position: { ...s.position, side: 'flat' } }),
      /position\.side/,
    ],
    ['a non-integer timestamp', (s) => ({ ...s, ticks: [[1000.5, '101']] }), /ticks\[0\]\[0\]/],
  ];
  it.each(bad)(
    'refuses %s with exit 2 and a message naming the key, no stack trace',
    async (_note, mutate, mentions) => {
      const file = tempFile('scenario.json', JSON.stringify(mutate(base)));
      const { code, out, err } = await ratchet(['replay', file, '--format', 'jsonl']);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toMatch(mentions);
      expect(err).not.toMatch(/\n\s+at /);
    },
  );

  it('refuses a missing file, a CSV without its position and policy, and an unknown format', async () => {
    expect((await ratchet(['replay', '/nonexistent/scenario.json'])).code).toBe(2);
    const csv = tempFile('ticks.csv', '1000,101\n');
    const noPolicy = await ratchet(['replay', csv]);
    expect(noPolicy.code).toBe(2);
    expect(noPolicy.err).toMatch(/--position FILE .* --policy FILE/);
    expect(
      (await ratchet(['replay', join(SPEC, 'sete-bigjump.json'), '--format', 'xml'])).code,
    ).toBe(2);
  });

  it('works as a real process through the npm script, exit codes included', async () => {
    const exec = promisify(execFile);
    const ok = await exec(
      'npm',
      [
        'run',
        '--silent',
        'ratchet',
        '--',
        'replay',
        join(SPEC, 'sete-bigjump.json'),
        '--format',
        'jsonl',
      ],
      { cwd: ROOT },
    );
    expect(ok.stdout.trim()).toBe(
      readFileSync(join(SPEC, 'sete-bigjump.expected.jsonl'), 'utf8').trim(),
    );
    const file = tempFile('bad.json', '{"market": {"tickSize": "0.01"}, ');
    const failed = await exec('node', [join(ROOT, 'bin/ratchet.mjs'), 'replay', file]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect('code' in failed ? failed.code : 0).toBe(2);
    expect('stderr' in failed ? failed.stderr : '').toMatch(/bad\.json/);
  });
});

describe('ratchet replay --lanes', () => {
  it('with 0 ms lanes prints exactly the plain replay', async () => {
    const file = join(SPEC, 'short-tiers-momentum.json');
    const plain = await ratchet(['replay', file, '--format', 'jsonl']);
    const laned = await ratchet([
      'replay',
      file,
      '--lanes',
      '--fast-ms',
      '0',
      '--normal-ms',
      '0',
      '--format',
      'jsonl',
    ]);
    expect(laned.code).toBe(0);
    expect(laned.out).toBe(plain.out);
  });

  it('keeps the exit on the crossing tick with the default 300 ms / 3 s lanes', async () => {
    const laned = await ratchet([
      'replay',
      join(SPEC, 'random-202.json'),
      '--lanes',
      '--format',
      'jsonl',
    ]);
    expect(laned.code).toBe(0);
    expect(laned.out.split('\n').at(-1)).toBe(
      '{"type": "summary", "exited": true, "exitTs": 4600, "exitPrice": "1765.5", "exitReason": "elastic", "finalStop": "1766"}',
    );
  });

  it.each([
    [['--fast-ms', '0'], /--fast-ms and --normal-ms set the lanes of --lanes/],
    [['--lanes', '--fast-ms', 'soon'], /--fast-ms: soon is not a whole number of milliseconds/],
    [
      ['--lanes', '--resume'],
      /--lanes .* cannot be combined with --data-dir, --stop-after-ticks or --resume/,
    ],
  ])('refuses %j with exit 2', async (flags, message) => {
    const result = await ratchet(['replay', join(SPEC, 'sete-bigjump.json'), ...flags]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
  });
});

describe('ratchet demo', () => {
  it('replays every example and shows exit, stop path and kept share', async () => {
    const { code, out } = await ratchet(['demo', '--no-serve']);
    expect(code).toBe(0);
    expect(out).toMatch(
      /sete-bigjump +long 10 @ 100 +elastic @ 100\.064 +98 → 100\.0336 → 100\.078 +72\.73 %/,
    );
    expect(out).toMatch(/13 scenarios/);
  });
});
