import { once } from 'node:events';
import { connect as tcpConnect, type Socket } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { InspectedPosition } from '../../src/inspection/inspectionRecord.ts';
import { inspectScenario } from '../../src/replay/inspectScenario.ts';
import { loadScenarioFile } from '../../src/config/index.ts';
import { InspectionHub } from '../../src/inspector/inspectionHub.ts';
import {
  startInspectorServer,
  STREAM_PATH,
  type ClientClosed,
  type InspectorServerOptions,
  type RunningInspector,
} from '../../src/inspector/inspectorServer.ts';
import type { ServerMessage } from '../../src/inspector/protocol.ts';
import { SPEC } from './helpers.ts';

const DRAWING = { machineId: 'position', width: 0, height: 0, states: [], edges: [] };

let replayed: InspectedPosition;
beforeAll(async () => {
  replayed = inspectScenario('p', 'sete', await loadScenarioFile(`${SPEC}/sete-bigjump.json`));
});

interface Harness {
  readonly hub: InspectionHub;
  readonly server: RunningInspector;
  readonly url: string;
  /** Resolves with the next client connection that ends, however it ended. */
  readonly nextClose: () => Promise<ClientClosed>;
}

const running: RunningInspector[] = [];
const crashes: unknown[] = [];
const onCrash = (error: unknown): void => void crashes.push(error);
afterEach(async () => {
  process.off('uncaughtException', onCrash);
  await Promise.all(running.splice(0).map((s) => s.close()));
  // Anything a client did that escaped the server would have reached the process.
  expect(crashes.splice(0)).toEqual([]);
});

async function start(options: Partial<InspectorServerOptions> = {}): Promise<Harness> {
  process.on('uncaughtException', onCrash);
  const hub = new InspectionHub();
  const waiting: ((closed: ClientClosed) => void)[] = [];
  const closes: ClientClosed[] = [];
  const server = await startInspectorServer({
    hub,
    drawing: DRAWING,
    port: 0,
    heartbeatMs: 0,
    onClientClosed: (closed) => {
      const waiter = waiting.shift();
      if (waiter === undefined) closes.push(closed);
      else waiter(closed);
    },
    ...options,
  });
  running.push(server);
  const nextClose = (): Promise<ClientClosed> => {
    const ready = closes.shift();
    return ready === undefined
      ? new Promise((resolve) => waiting.push(resolve))
      : Promise.resolve(ready);
  };
  return { hub, server, url: `ws://127.0.0.1:${server.port}${STREAM_PATH}`, nextClose };
}

/** Opens a well-behaved client and resolves once the server's hello arrived. */
async function client(url: string, options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, options);
  const [data] = (await once(ws, 'message')) as [Buffer];
  expect((JSON.parse(data.toString()) as ServerMessage).type).toBe('hello');
  return ws;
}

/** Resolves with the next message a client receives, parsed. */
async function nextMessage(ws: WebSocket): Promise<ServerMessage> {
  const [data] = (await once(ws, 'message')) as [Buffer];
  return JSON.parse(data.toString()) as ServerMessage;
}

/** Proves the server still serves: a new client is greeted and the API answers. */
async function stillServing(h: Harness): Promise<void> {
  const ws = await client(h.url);
  ws.close();
  expect((await fetch(`http://127.0.0.1:${h.server.port}/api/positions`)).status).toBe(200);
}

/**
 * Opens the stream over a bare TCP socket, so a test can send what no WebSocket library
 * would (broken frames, half a frame) or stop reading. Resolves after the 101 response.
 */
async function rawClient(port: number): Promise<Socket> {
  const socket = tcpConnect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(
    `GET ${STREAM_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
      'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
      'Sec-WebSocket-Version: 13\r\n\r\n',
  );
  let head = '';
  while (!head.includes('\r\n\r\n')) {
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    head += chunk.toString('latin1');
  }
  expect(head).toMatch(/^HTTP\/1\.1 101/);
  return socket;
}

/** A masked client frame header (FIN set) for a payload of `length` bytes, with a zero mask. */
function frameHeader(opcode: number, length: number): Buffer {
  if (length < 126) return Buffer.from([0x80 | opcode, 0x80 | length, 0, 0, 0, 0]);
  const header = Buffer.alloc(8);
  header[0] = 0x80 | opcode;
  header[1] = 0x80 | 126;
  header.writeUInt16BE(length, 2);
  return header;
}

describe('inspector stream against hostile clients', () => {
  it('closes a client that sends an oversize frame with 1009 and keeps serving', async () => {
    const h = await start();
    const ws = await client(h.url);
    const dropped = h.nextClose();
    ws.send('x'.repeat(64 * 1024));
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(1009);
    expect(await dropped).toMatchObject({ reason: 'oversize' });
    await stillServing(h);
  });

  it('answers text it cannot use with an error and keeps the client', async () => {
    const h = await start();
    const ws = await client(h.url);
    for (const junk of ['{not json', '{"type":"subscribe"}', Buffer.from([0, 159, 255])]) {
      ws.send(junk);
      expect(await nextMessage(ws)).toMatchObject({ type: 'error' });
    }
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
    await stillServing(h);
  });

  it('closes a client that breaks the framing (unmasked frame, bad opcode, bad UTF-8)', async () => {
    const h = await start();
    const broken: [string, Buffer][] = [
      ['unmasked text', Buffer.from([0x81, 0x02, 0x68, 0x69])],
      ['reserved opcode', frameHeader(0x3, 0)],
      ['invalid UTF-8 text', Buffer.concat([frameHeader(0x1, 2), Buffer.from([0xc3, 0x28])])],
    ];
    for (const [what, bytes] of broken) {
      const socket = await rawClient(h.server.port);
      // The server's close frame arrives; this client hangs up instead of answering it.
      socket.once('data', () => socket.destroy());
      const dropped = h.nextClose();
      socket.write(bytes);
      expect(await dropped, what).toMatchObject({ reason: 'protocol' });
    }
    await stillServing(h);
  });

  it('forgets a client whose socket is destroyed halfway through a frame', async () => {
    const h = await start();
    const socket = await rawClient(h.server.port);
    const dropped = h.nextClose();
    // A 900-byte text frame of which only the header and 10 bytes ever arrive.
    socket.write(Buffer.concat([frameHeader(0x1, 900), Buffer.alloc(10, 0x61)]));
    socket.resetAndDestroy();
    expect(await dropped).toMatchObject({ reason: 'lost' });
    expect(h.server.clients()).toBe(0);
    await stillServing(h);
  });

  it('terminates a client that stops answering pings and keeps one that answers', async () => {
    const h = await start();
    const silent = await client(h.url, { autoPong: false });
    const lively = await client(h.url);
    const pinged = [once(silent, 'ping'), once(lively, 'ping')];
    h.server.checkHeartbeats();
    await Promise.all(pinged);
    // lively's pong was written before its 'ping' event; the server's answer to this text
    // proves the server has read that pong.
    lively.send('sync');
    expect(await nextMessage(lively)).toMatchObject({ type: 'error' });

    const dropped = h.nextClose();
    h.server.checkHeartbeats();
    expect(await dropped).toMatchObject({ reason: 'heartbeat' });
    await once(silent, 'close');
    expect(lively.readyState).toBe(WebSocket.OPEN);
    expect(h.server.clients()).toBe(1);
    lively.close();
  });

  it('drops a client that stops reading once its send buffer passes the bound', async () => {
    const limit = 64 * 1024;
    const h = await start({ maxBufferedBytes: limit });
    const socket = await rawClient(h.server.port);
    socket.pause();
    const lively = await client(h.url);
    let received = 0;
    lively.on('message', () => received++);

    let drop: ClientClosed | undefined;
    void h.nextClose().then((d) => (drop = d));
    h.hub.open(replayed.info);
    const record = replayed.records.at(-1)!;
    let sent = 0;
    // The kernel's socket buffers take a few MB first; 50 000 records (~70 MB) is far beyond.
    while (drop === undefined && sent < 50_000) {
      for (let i = 0; i < 100; i++) h.hub.record('p', { ...record, seq: sent++ });
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(drop).toMatchObject({ reason: 'backpressure' });
    expect(h.server.clients()).toBe(1);
    // The client that reads gets every record: one slow client holds up no one.
    while (received < sent + 1) await once(lively, 'message');
    lively.close();
    socket.destroy();
  });

  it('refuses stream clients beyond the limit with 503', async () => {
    const h = await start({ maxClients: 1 });
    const first = await client(h.url);
    const second = new WebSocket(h.url);
    const [, res] = (await once(second, 'unexpected-response')) as [
      unknown,
      { statusCode: number },
    ];
    expect(res.statusCode).toBe(503);
    first.close();
    expect(await h.nextClose()).toMatchObject({ reason: 'closed' });
    (await client(h.url)).close();
  });
});
