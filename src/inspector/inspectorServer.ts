import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { bindingProblem, checkAccess } from './accessGuard.ts';
import type { InspectionHub } from './inspectionHub.ts';
import type { MachineDrawing } from './machineLayout.ts';
import { pageBundle } from './pageBundle.ts';
import { PROTOCOL_VERSION, type PositionsResponse, type ServerMessage } from './protocol.ts';

/** How to serve the inspector. */
export interface InspectorServerOptions {
  readonly hub: InspectionHub;
  readonly drawing: MachineDrawing;
  /** Default 127.0.0.1; any other host needs `token`. */
  readonly host?: string;
  /** Default 7357; 0 picks a free port (tests). */
  readonly port?: number;
  readonly token?: string | undefined;
}

/** A running inspector. */
export interface RunningInspector {
  /** The page's address, with `?token=` when a token is required. */
  readonly url: string;
  readonly port: number;
  readonly close: () => Promise<void>;
}

/** The WebSocket path of the inspection stream. */
export const STREAM_PATH = '/api/stream';

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
  const text = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}\n`,
  );
}

/**
 * Starts the inspector's HTTP server: the page's assets, the JSON API (`GET /api/machine`,
 * `GET /api/positions`, `GET /api/positions/:id/history`) and the WebSocket stream at
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
    if (path === '/api/positions') {
      const body: PositionsResponse = { protocol: PROTOCOL_VERSION, positions: hub.summaries() };
      return sendJson(res, 200, body);
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
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const clients = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://inspector.invalid');
    if (url.pathname !== STREAM_PATH) return refuseUpgrade(socket, 404, 'no such stream');
    const access = checkAccess(req, url, token);
    if (!access.ok) return refuseUpgrade(socket, access.status, access.reason);
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      const hello: ServerMessage = {
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        machineId: drawing.machineId,
        positions: hub.summaries(),
      };
      ws.send(JSON.stringify(hello));
      // The page is read-only: whatever a client sends is ignored.
      ws.on('close', () => clients.delete(ws));
    });
  });

  const unsubscribe = hub.subscribe((message) => {
    const text = JSON.stringify(message);
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7357, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;

  const close = async (): Promise<void> => {
    unsubscribe();
    for (const ws of clients) ws.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, port, close };
}
