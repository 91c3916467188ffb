import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../../src/telemetry/createMetrics.ts';
import {
  EmulatorProcess,
  EngineProcess,
  engineConfig,
  readJournal,
  runRatchet,
  stopGracefully,
  tempDir,
  writeIn,
} from './liveProcess.ts';

/** Every file below `dir`, recursively. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

/** A local webhook receiver that resolves `next(key)` when an alert with that key arrives. */
async function receiver() {
  const got: { key: string; message: string }[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      got.push(JSON.parse(body) as { key: string; message: string });
      res.end('ok');
      for (const w of [...waiters]) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/hook`,
    got,
    next: (key: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (got.some((a) => a.key === key)) {
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
        check();
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('ratchet run telemetry, as a process', () => {
  it('serves /metrics, alerts a webhook on start and stop, and writes no secret anywhere', async () => {
    const dir = tempDir('ratchet-telemetry-');
    const dataDir = join(dir, 'data');
    const em = await EmulatorProcess.start(['BTCUSDT'], 1);
    const hook = await receiver();
    let engine: EngineProcess | undefined;
    try {
      await em.trade('BTCUSDT', 'long', '0.010');
      const config = `${engineConfig({ url: em.restUrl, dataDir, prefix: 'rtt' })}metrics: { port: 0 }
alerts: { webhook: { url: ${JSON.stringify(hook.url)} } }
logs: { dir: ${JSON.stringify(join(dataDir, 'logs'))} }
`;
      engine = EngineProcess.spawn(dir, 'engine', config, em);
      await engine.release();
      const metricsLine = await engine.process.wait(
        'stdout',
        (l) => l.startsWith('ratchet run: metrics at '),
        'metrics URL',
      );
      const url = metricsLine.slice('ratchet run: metrics at '.length).trim();
      await engine.process.wait(
        'stderr',
        (l) => l.includes('"type":"stopResting"'),
        'first stop rests',
      );
      const text = await (await fetch(url)).text();
      for (const name of METRIC_NAMES) expect(text).toContain(name);
      expect(text).toMatch(/ratchet_exchange_requests_total\{endpoint="placeStop",class="ok"\} 1/);
      await hook.next('engineStarted');

      // The control commands are separate processes, as an operator runs them.
      const controlConfig = writeIn(dir, 'control.yaml', config);
      const keys = { RATCHET_API_KEY: em.apiKey, RATCHET_API_SECRET: em.secret };
      const status = await runRatchet(['status', '--config', controlConfig], keys);
      expect(status.stderr).toBe('');
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/engine running, 1 open position/);
      expect(status.stdout).toMatch(/BTCUSDT\s+long\s+0\.01\d*\s+resting/);
      expect(status.stdout).toContain('consistent: every position has an actor');
      const paused = await runRatchet(['pause', '--config', controlConfig], keys);
      expect(paused.stdout).toContain('paused: resting stops stay');
      const asJson = await runRatchet(
        ['status', '--config', controlConfig, '--format', 'json'],
        keys,
      );
      expect(JSON.parse(asJson.stdout)).toMatchObject({
        version: 1,
        engine: 'running',
        paused: { reason: 'operator' },
        consistent: true,
      });
      await runRatchet(['resume', '--config', controlConfig], keys);
      await hook.next('paused');
      await hook.next('resumed');

      await stopGracefully(engine, 1);
      expect(
        (await readJournal(dataDir))
          .filter((line) => line.positionId === 'engine')
          .map((line) => [line.seq, line.event.type, line.event.reason]),
      ).toEqual([
        [1, 'paused', 'operator'],
        [2, 'resumed', undefined],
      ]);
      await hook.next('engineStopped');

      const written = filesBelow(dataDir);
      expect(written.some((f) => f.includes(`${join('logs', 'symbols', 'BTCUSDT')}`))).toBe(true);
      const everything = [
        ...written.map((f) => readFileSync(f).toString('latin1')),
        engine.process.stdout.all.join('\n'),
        engine.process.stderr.all.join('\n'),
        JSON.stringify(hook.got),
        text,
      ];
      for (const secret of [em.apiKey, em.secret]) {
        expect(everything.filter((content) => content.includes(secret))).toEqual([]);
      }
    } finally {
      await engine?.dispose();
      await hook.close();
      await em.stop();
    }
  }, 180_000);
});
