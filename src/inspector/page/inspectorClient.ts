import type { MachineDrawing } from '../machineLayout.ts';
import type {
  HistoryResponse,
  JournalResponse,
  PositionsResponse,
  ServerMessage,
} from '../protocol.ts';

/** Talks to the inspector server: JSON over HTTP, pushes over one WebSocket. */
export interface InspectorClient {
  readonly machine: () => Promise<MachineDrawing>;
  /** The order-sync machine's drawing, or undefined when the server draws none. */
  readonly syncMachine: () => Promise<MachineDrawing | undefined>;
  readonly positions: () => Promise<PositionsResponse>;
  readonly history: (id: string) => Promise<HistoryResponse>;
  /** A position's newest journal lines, read from the store on demand. */
  readonly journal: (id: string) => Promise<JournalResponse>;
  /** Opens the stream; `onStatus` reports `live`, `closed` or `error`. */
  readonly stream: (onMessage: (m: ServerMessage) => void, onStatus: (s: string) => void) => void;
}

/**
 * Returns a client for the server that served this page. The token, when the page was opened
 * with `?token=`, goes in the Authorization header for HTTP and in the query for the
 * WebSocket (browsers cannot set headers on one).
 */
export function inspectorClient(location: Location): InspectorClient {
  const token = new URLSearchParams(location.search).get('token') ?? undefined;
  const headers: Record<string, string> =
    token === undefined ? {} : { authorization: `Bearer ${token}` };
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(path, { headers });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  return {
    machine: () => get<MachineDrawing>('/api/machine'),
    syncMachine: async () => {
      const res = await fetch('/api/machine/orderSync', { headers });
      if (res.status === 404) return undefined;
      if (!res.ok) throw new Error(`/api/machine/orderSync: HTTP ${res.status}`);
      return (await res.json()) as MachineDrawing;
    },
    positions: () => get<PositionsResponse>('/api/positions'),
    history: (id) => get<HistoryResponse>(`/api/positions/${encodeURIComponent(id)}/history`),
    journal: (id) =>
      get<JournalResponse>(`/api/positions/${encodeURIComponent(id)}/journal?limit=2000`),
    stream: (onMessage, onStatus) => {
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      const query = token === undefined ? '' : `?token=${encodeURIComponent(token)}`;
      const ws = new WebSocket(`${scheme}://${location.host}/api/stream${query}`);
      ws.addEventListener('open', () => onStatus('live'));
      ws.addEventListener('close', () => onStatus('closed'));
      ws.addEventListener('message', (e: MessageEvent<string>) =>
        onMessage(JSON.parse(e.data) as ServerMessage),
      );
    },
  };
}
