import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { inspectScenario } from '../../src/replay/inspectScenario.ts';
import { loadScenarioFile } from '../../src/config/index.ts';
import type { ServedInspector } from '../../src/inspector/serveInspector.ts';
import type {
  HistoryResponse,
  PositionsResponse,
  ServerMessage,
} from '../../src/inspector/protocol.ts';
import type { MachineDrawing } from '../../src/inspector/machineLayout.ts';
import { startInspectorServer } from '../../src/inspector/inspectorServer.ts';
import { InspectionHub } from '../../src/inspector/inspectionHub.ts';
import { baseUrl, serveExamples, SPEC } from './helpers.ts';

const TOKEN = 'correct-horse-battery';
const open: ServedInspector[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function serve(names: string[], token?: string): Promise<ServedInspector> {
  const served = await serveExamples(names, token);
  open.push(served);
  return served;
}

/** Resolves with the HTTP status of a WebSocket handshake and, when it opens, its first message. */
function connect(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; first?: ServerMessage; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.on('error', () => resolve({ status: 0 }));
    ws.once('message', (data: Buffer) =>
      resolve({ status: 101, first: JSON.parse(data.toString()) as ServerMessage, ws }),
    );
  });
}

describe('inspector API', () => {
  it('serves the machine drawing, the positions and each history', async () => {
    const served = await serve(['sete-bigjump', 'short-tiers-momentum']);
    const base = baseUrl(served);
    const machine = (await (await fetch(`${base}/api/machine`)).json()) as MachineDrawing;
    expect(machine.machineId).toBe('position');
    expect(machine.states.map((s) => s.key)).toEqual(
      expect.arrayContaining(['armed', 'trailing', 'peakLocked', 'exited']),
    );

    const list = (await (await fetch(`${base}/api/positions`)).json()) as PositionsResponse;
    expect(list.protocol).toBe(3);
    expect(list.positions.map((p) => p.id)).toEqual(['sete-bigjump', 'short-tiers-momentum']);
    expect(list.positions[0]).toMatchObject({
      side: 'long',
      entryPrice: '100',
      status: 'exited',
      state: 'exited',
      desiredStop: '100.078',
      restingStop: null,
      unprotectedMs: 0,
      live: null,
      closedAt: null,
      records: 5,
      firstSeq: 0,
    });

    const history = (await (
      await fetch(`${base}/api/positions/sete-bigjump/history`)
    ).json()) as HistoryResponse;
    expect(history.records.map((r) => r.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(history.syncSteps).toEqual([]);
    expect(history.records.flatMap((r) => r.events).map((e) => e.type)).toEqual([
      'opened',
      'elasticEngaged',
      'stopMoved',
      'bigJumpLocked',
      'stopMoved',
      'exited',
    ]);
  });

  it('answers 404 for unknown positions and paths, and 405 for anything but reading', async () => {
    const base = baseUrl(await serve(['sete-bigjump']));
    expect((await fetch(`${base}/api/positions/nope/history`)).status).toBe(404);
    // A replay has no store behind it: no journal to read.
    expect((await fetch(`${base}/api/positions/sete-bigjump/journal`)).status).toBe(404);
    expect((await fetch(`${base}/api/nothing`)).status).toBe(404);
    expect((await fetch(`${base}/api/positions`, { method: 'POST', body: '{}' })).status).toBe(405);
    expect(
      (await fetch(`${base}/api/positions/sete-bigjump/history`, { method: 'DELETE' })).status,
    ).toBe(405);
  });

  it('serves the bundled page and its assets with a strict content security policy', async () => {
    const base = baseUrl(await serve(['sete-bigjump']));
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('/assets/inspector.js');
    expect(html).not.toMatch(/https?:\/\//);
    const js = await (await fetch(`${base}/assets/inspector.js`)).text();
    expect(js.length).toBeGreaterThan(10_000);
    expect(js).not.toMatch(/from\s*["']https?:/);
    expect((await fetch(`${base}/assets/inspector.css`)).headers.get('content-type')).toContain(
      'text/css',
    );
  });

  it('refuses a request whose Host is not loopback when no token is set (DNS rebinding)', async () => {
    const served = await serve(['sete-bigjump']);
    const status = await new Promise<number>((resolve) => {
      void import('node:http').then(({ request }) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: served.port,
            path: '/api/positions',
            headers: { host: 'evil.example:80' },
          },
          (res) => resolve(res.statusCode ?? 0),
        );
        req.end();
      });
    });
    expect(status).toBe(403);
  });
});

describe('inspector token rule', () => {
  it('refuses to bind a non-loopback host without a token', async () => {
    const hub = new InspectionHub();
    const drawing = { machineId: 'position', width: 0, height: 0, states: [], edges: [] };
    await expect(startInspectorServer({ hub, drawing, host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /--token/,
    );
  });

  it('answers 401 to every API request without the right token', async () => {
    const base = baseUrl(await serve(['sete-bigjump'], TOKEN));
    for (const path of ['/api/machine', '/api/positions', '/api/positions/sete-bigjump/history']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(401);
      expect((await fetch(`${base}${path}?token=wrong-token-123`)).status, path).toBe(401);
      expect(
        (await fetch(`${base}${path}`, { headers: { authorization: 'Bearer nope' } })).status,
        path,
      ).toBe(401);
      expect((await fetch(`${base}${path}?token=${TOKEN}`)).status, path).toBe(200);
      expect(
        (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
        path,
      ).toBe(200);
    }
  });

  it('answers 401 to a WebSocket upgrade without the token and streams with it', async () => {
    const served = await serve(['sete-bigjump'], TOKEN);
    const ws = `ws://127.0.0.1:${served.port}/api/stream`;
    expect((await connect(ws)).status).toBe(401);
    expect((await connect(`${ws}?token=wrong-token-123`)).status).toBe(401);
    const ok = await connect(`${ws}?token=${TOKEN}`);
    expect(ok.status).toBe(101);
    expect(ok.first).toMatchObject({ type: 'hello', protocol: 3, machineId: 'position' });
    ok.ws?.close();
  });

  it('refuses a WebSocket opened by another site (Origin not this server)', async () => {
    const served = await serve(['sete-bigjump']);
    const result = await connect(`ws://127.0.0.1:${served.port}/api/stream`, {
      origin: 'http://evil.example',
    });
    expect(result.status).toBe(403);
  });
});

describe('inspector stream', () => {
  it('pushes positions and records as a live engine adds them, in the protocol replays use', async () => {
    const served = await serve([]);
    const { ws, first } = await connect(`ws://127.0.0.1:${served.port}/api/stream`);
    expect(first).toMatchObject({ type: 'hello', positions: [] });
    const received: ServerMessage[] = [];
    ws?.on('message', (data: Buffer) =>
      received.push(JSON.parse(data.toString()) as ServerMessage),
    );

    const scenario = await loadScenarioFile(`${SPEC}/sete-bigjump.json`);
    const replayed = inspectScenario('live-1', 'BTCUSDT', scenario);
    served.hub.open(replayed.info);
    for (const record of replayed.records) served.hub.record('live-1', record);
    await expect.poll(() => received.length).toBe(1 + replayed.records.length);
    expect(received[0]).toMatchObject({
      type: 'positionOpened',
      position: { id: 'live-1', records: 0 },
    });
    expect(received.slice(1).map((m) => (m.type === 'record' ? m.record.seq : -1))).toEqual(
      replayed.records.map((r) => r.seq),
    );
    expect(() => served.hub.record('live-1', { ...replayed.records[0]!, seq: 9 })).toThrow(
      /expected record 5/,
    );
    ws?.close();
  });

  it('announces a dropped position, after which its history is gone', async () => {
    const served = await serve(['sete-bigjump', 'short-tiers-momentum']);
    const { ws, first } = await connect(`ws://127.0.0.1:${served.port}/api/stream`);
    expect(first).toMatchObject({
      type: 'hello',
      retention: { recordsPerPosition: 2000, positions: 50 },
    });
    const dropped = new Promise<ServerMessage>((resolve) =>
      ws?.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()) as ServerMessage)),
    );
    expect(served.hub.drop('sete-bigjump')).toBe(true);
    expect(await dropped).toEqual({ type: 'positionDropped', positionId: 'sete-bigjump' });
    const base = baseUrl(served);
    expect((await fetch(`${base}/api/positions/sete-bigjump/history`)).status).toBe(404);
    const list = (await (await fetch(`${base}/api/positions`)).json()) as PositionsResponse;
    expect(list.positions.map((p) => p.id)).toEqual(['short-tiers-momentum']);
    ws?.close();
  });
});
