import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { bindingProblem, checkAccess } from './accessGuard.ts';
import type { InspectionHub } from './inspectionHub.ts';
import type { MachineDrawing } from './machineLayout.ts';
import { pageBundle } from './pageBundle.ts';
import {
  PROTOCOL_VERSION,
  type JournalResponse,
  type PositionsResponse,
  type ServerMessage,
} from './protocol.ts';
import { createLogger } from '../telemetry/logger.ts';

/** How to serve the inspector. */
export interface InspectorServerOptions {
  readonly hub: InspectionHub;
  readonly drawing: MachineDrawing;
  /** The order-sync machine's drawing, served at `/api/machine/orderSync` (404 without one). */
  readonly syncDrawing?: MachineDrawing;
  /** Reads a position's journal from the store, for `/api/positions/:id/journal` (404 without one). */
  readonly journal?: JournalReader;
  /** Default 127.0.0.1; any other host needs `token`. */
  readonly host?: string;
  /** Default 7357; 0 picks a free port (tests). */
  readonly port?: number;
  readonly token?: string | undefined;
  /**
   * How often each stream client must answer a ping, default 30 000 ms; a client that missed
   * the previous one is terminated. 0 runs no timer: the embedder calls checkHeartbeats.
   */
  readonly heartbeatMs?: number;
  /** Bytes queued for one client beyond which it is dropped instead of sent more; default 8 MiB. */
  readonly maxBufferedBytes?: number;
  /** Stream clients served at once; further upgrades get 503. Default 64. */
  readonly maxClients?: number;
  /** Called once for every stream connection that ends, after it was forgotten. */
  readonly onClientClosed?: (closed: ClientClosed) => void;
}

/**
 * Why a stream connection ended: the client closed it (`closed`) or its socket died without
 * a closing handshake (`lost`), or the server dropped it for sending a frame over the size
 * limit (`oversize`), breaking the WebSocket framing (`protocol`), missing a ping
 * (`heartbeat`) or reading too slowly (`backpressure`).
 */
export type ClientCloseReason =
  'closed' | 'lost' | 'oversize' | 'protocol' | 'heartbeat' | 'backpressure';

/** One ended stream connection; `code` is the close code the server received (1006: none). */
export interface ClientClosed {
  readonly reason: ClientCloseReason;
  readonly code: number;
}

/** Returns a position's newest `limit` journal lines, oldest first. */
export type JournalReader = (positionId: string, limit: number) => Promise<JournalResponse>;

/** Journal lines sent when the page names no limit, and the most it may ask for. */
const JOURNAL_LIMIT = 500;
const MAX_JOURNAL_LIMIT = 5000;

/** A running inspector. */
export interface RunningInspector {
  /** The page's address, with `?token=` when a token is required. */
  readonly url: string;
  readonly port: number;
  /** Returns how many stream clients are connected. */
  readonly clients: () => number;
  /** Terminates the clients that did not answer the previous ping and pings the others. */
  readonly checkHeartbeats: () => void;
  readonly close: () => Promise<void>;
}

/** The WebSocket path of the inspection stream. */
export const STREAM_PATH = '/api/stream';

// The page sends nothing; a client sending more than this is not the page.
const MAX_FRAME_BYTES = 1024;
const DEFAULT_HEARTBEAT_MS = 30_000;
// A 10 000-step history is about 10 MB of records; a reader may fall behind by one such burst.
const DEFAULT_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const DEFAULT_MAX_CLIENTS = 64;

const READ_ONLY: ServerMessage = {
  type: 'error',
  message: 'the inspector stream is read-only: clients send nothing on it',
};

const log = createLogger('inspector');

/** What the server knows of one stream client beyond its socket. */
interface ClientState {
  /** Whether it answered the last ping (or connected since). */
  alive: boolean;
  /** Set when the server ends the connection, so the close is reported for what it was. */
  dropReason?: ClientCloseReason;
}

// The page loads only its own bundle; uPlot sets inline style attributes, hence 'unsafe-inline' for styles.
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': CSP,
    'referrer-policy': 'no-referrer',
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const text = STATUS_CODES[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}\n`,
  );
}

/**
 * Starts the inspector's HTTP server: the page's assets, the JSON API (`GET /api/machine`,
 * `GET /api/machine/orderSync`, `GET /api/positions`, `GET /api/positions/:id/history`,
 * `GET /api/positions/:id/journal`) and
 * the WebSocket stream at
 * `/api/stream`. Read-only: every other method gets 405. Throws when asked to bind a
 * non-loopback host without a token, or when the port cannot be bound.
 */
export async function startInspectorServer(
  options: InspectorServerOptions,
): Promise<RunningInspector> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token;
  const problem = bindingProblem(host, token);
  if (problem !== undefined) throw new Error(problem);
  const bundle = await pageBundle();
  const { hub, drawing } = options;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://inspector.invalid');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendJson(res, 405, { error: 'the inspector is read-only' });
      return;
    }
    const path = url.pathname;
    // The assets carry no position data; only the API and the stream hold what the token guards.
    if (path === '/' || path === '/index.html')
      return send(res, 200, 'text/html; charset=utf-8', bundle.html);
    if (path === '/assets/inspector.js')
      return send(res, 200, 'text/javascript; charset=utf-8', bundle.js);
    if (path === '/assets/inspector.css')
      return send(res, 200, 'text/css; charset=utf-8', bundle.css);
    if (path === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
    if (!path.startsWith('/api/')) return sendJson(res, 404, { error: `no such page: ${path}` });

    const access = checkAccess(req, url, token);
    if (!access.ok) return sendJson(res, access.status, { error: access.reason });
    if (path === '/api/machine') return sendJson(res, 200, drawing);
    if (path === '/api/machine/orderSync') {
      if (options.syncDrawing === undefined)
        return sendJson(res, 404, { error: 'this inspector draws no order-sync machine' });
      return sendJson(res, 200, options.syncDrawing);
    }
    if (path === '/api/positions') {
      const body: PositionsResponse = { protocol: PROTOCOL_VERSION, positions: hub.summaries() };
      return sendJson(res, 200, body);
    }
    const journal = /^\/api\/positions\/([^/]+)\/journal$/.exec(path);
    if (journal !== null) {
      const read = options.journal;
      if (read === undefined)
        return sendJson(res, 404, { error: 'this inspector reads no journal' });
      const id = decodeURIComponent(journal[1] ?? '');
      const asked = Number(url.searchParams.get('limit') ?? JOURNAL_LIMIT);
      const limit =
        Number.isInteger(asked) && asked > 0 ? Math.min(asked, MAX_JOURNAL_LIMIT) : JOURNAL_LIMIT;
      read(id, limit).then(
        (body) => sendJson(res, 200, body),
        (error: unknown) => {
          log.warn({ err: String(error), position: id }, 'journal read failed');
          sendJson(res, 500, { error: 'the journal could not be read' });
        },
      );
      return;
    }
    const match = /^\/api\/positions\/([^/]+)\/history$/.exec(path);
    if (match !== null) {
      const id = decodeURIComponent(match[1] ?? '');
      const history = hub.history(id);
      if (history === undefined) return sendJson(res, 404, { error: `no position ${id}` });
      return sendJson(res, 200, history);
    }
    sendJson(res, 404, { error: `no such endpoint: ${path}` });
  };

  const server = createServer(handle);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const clients = new Map<WebSocket, ClientState>();
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const maxClients = options.maxClients ?? DEFAULT_MAX_CLIENTS;

  const drop = (ws: WebSocket, reason: ClientCloseReason): void => {
    const state = clients.get(ws);
    if (state !== undefined) state.dropReason ??= reason;
    ws.terminate();
  };

  /** Sends unless the client already holds more unsent bytes than allowed, which drops it. */
  const deliver = (ws: WebSocket, text: string): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > maxBuffered) {
      log.warn(
        { bufferedBytes: ws.bufferedAmount },
        'dropped a stream client that stopped reading',
      );
      drop(ws, 'backpressure');
      return;
    }
    ws.send(text);
  };

  const accept = (ws: WebSocket): void => {
    const state: ClientState = { alive: true };
    clients.set(ws, state);
    ws.on('pong', () => (state.alive = true));
    ws.on('message', (_data: RawData) => deliver(ws, JSON.stringify(READ_ONLY)));
    // ws reports frames it cannot accept here and closes the connection itself (1009 for
    // oversize, 1002/1007 for broken framing); without a listener the error would end the process.
    ws.on('error', (error: Error & { code?: string }) => {
      state.dropReason ??=
        error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'oversize' : 'protocol';
      log.warn({ err: error.message, code: error.code }, 'closing a misbehaving stream client');
    });
    ws.on('close', (code: number) => {
      clients.delete(ws);
      const reason = state.dropReason ?? (code === 1006 ? 'lost' : 'closed');
      options.onClientClosed?.({ reason, code });
    });
    const hello: ServerMessage = {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      machineId: drawing.machineId,
      retention: hub.retention,
      positions: hub.summaries(),
    };
    deliver(ws, JSON.stringify(hello));
  };

  server.on('upgrade', (req, socket, head) => {
    // Node removes its own error handler from an upgraded socket; a reset before ws takes it
    // over would otherwise be an unhandled error.
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://inspector.invalid');
    if (url.pathname !== STREAM_PATH) return refuseUpgrade(socket, 404, 'no such stream');
    const access = checkAccess(req, url, token);
    if (!access.ok) return refuseUpgrade(socket, access.status, access.reason);
    if (clients.size >= maxClients)
      return refuseUpgrade(socket, 503, `at most ${maxClients} stream clients at once`);
    wss.handleUpgrade(req, socket, head, accept);
  });

  const checkHeartbeats = (): void => {
    for (const [ws, state] of clients) {
      if (!state.alive) {
        log.warn('dropped a stream client that stopped answering pings');
        drop(ws, 'heartbeat');
        continue;
      }
      state.alive = false;
      ws.ping();
    }
  };
  const unsubscribe = hub.subscribe((message) => {
    const text = JSON.stringify(message);
    for (const ws of clients.keys()) deliver(ws, text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7357, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const heartbeat = heartbeatMs > 0 ? setInterval(checkHeartbeats, heartbeatMs) : undefined;
  heartbeat?.unref();
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;

  const close = async (): Promise<void> => {
    clearInterval(heartbeat);
    unsubscribe();
    for (const ws of clients.keys()) ws.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, port, clients: () => clients.size, checkHeartbeats, close };
}
