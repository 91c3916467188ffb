import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoCommand } from '../../src/cli/demo.ts';
import { inspectCommand } from '../../src/cli/inspect.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { run } from '../../src/cli/main.ts';
import type { ServedInspector } from '../../src/inspector/serveInspector.ts';
import { SPEC } from './helpers.ts';

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), isTty: false };
  return { io, out, err };
}

describe('ratchet inspect', () => {
  it('refuses a non-loopback host without --token: exit 2 and a message that says what to do', async () => {
    const { io, err } = captureIo();
    const code = await run(['inspect', join(SPEC, 'sete-bigjump.json'), '--host', '0.0.0.0'], io);
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/--host 0\.0\.0\.0 .*pass --token/);
  });

  it('rejects a port that is not a port', async () => {
    const { io } = captureIo();
    expect(await run(['inspect', join(SPEC, 'sete-bigjump.json'), '--port', 'http'], io)).toBe(2);
  });

  it('replays every file and prints the URL of the page', async () => {
    const { io, out } = captureIo();
    let served: ServedInspector | undefined;
    const files = ['sete-bigjump.json', 'short-tiers-momentum.json'].map((f) => join(SPEC, f));
    await inspectCommand(io, (s) => (served = s)).parseAsync([...files, '--port', '0'], {
      from: 'user',
    });
    try {
      expect(out.join('\n')).toMatch(/2 position\(s\)/);
      expect(out.join('\n')).toContain(`http://127.0.0.1:${served?.port}/`);
      expect(served?.hub.summaries().map((p) => p.label)).toEqual([
        'sete-bigjump.json',
        'short-tiers-momentum.json',
      ]);
    } finally {
      await served?.close();
    }
  });

  it('prints a URL carrying the token when one is required', async () => {
    const { io, out } = captureIo();
    let served: ServedInspector | undefined;
    await inspectCommand(io, (s) => (served = s)).parseAsync(
      [join(SPEC, 'sete-bigjump.json'), '--port', '0', '--token', 'abcdefgh12'],
      { from: 'user' },
    );
    try {
      expect(out.join('\n')).toContain('?token=abcdefgh12');
    } finally {
      await served?.close();
    }
  });
});

describe('ratchet demo and the inspector', () => {
  it('serves the inspector after the table and prints its URL; --no-serve skips it', async () => {
    const quiet = captureIo();
    await demoCommand(quiet.io).parseAsync(['--no-serve'], { from: 'user' });
    expect(quiet.out.join('\n')).not.toContain('http://');

    const { io, out } = captureIo();
    let served: ServedInspector | undefined;
    await demoCommand(io, (s) => (served = s)).parseAsync(['--port', '0'], { from: 'user' });
    try {
      expect(out.join('\n')).toMatch(/scenario +position/);
      expect(out.join('\n')).toContain(`http://127.0.0.1:${served?.port}/`);
      expect(served?.hub.summaries().length).toBeGreaterThan(5);
    } finally {
      await served?.close();
    }
  });
});
