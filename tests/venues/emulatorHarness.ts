import { afterEach } from 'vitest';
import { WebSocket } from 'ws';
import {
  createCcxtClient,
  startEmulator,
  type BinanceUsdm,
  type Emulator,
  type EmulatorOptions,
} from '../../src/venues/emulator/index.ts';

/** BTC's unified ccxt symbol. */
export const BTC = 'BTC/USDT:USDT';

const open: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  while (open.length > 0) await open.pop()?.close();
});

/** Returns a running emulator on a free port, closed after the current test. */
export async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const em = await startEmulator({ markPriceIntervalMs: 100, ...options });
  open.push(em);
  return em;
}

/** Returns a ccxt binanceusdm pointed at `em`, closed after the current test. */
export async function client(
  em: Emulator,
  config: Record<string, unknown> = {},
): Promise<BinanceUsdm> {
  const c = await createCcxtClient(em, config);
  open.push({ close: async () => void (await c.close()) });
  return c;
}

/** Returns an emulator and a client with markets loaded. */
export async function setup(
  options: EmulatorOptions = {},
): Promise<{ em: Emulator; ex: BinanceUsdm }> {
  const em = await emulator(options);
  const ex = await client(em);
  await ex.loadMarkets();
  return { em, ex };
}

/** A JSON body read loosely: any key may be read, and reads again a Body. */
export interface Body {
  readonly [key: string]: Body;
}

/** Calls the admin API over HTTP and returns status and JSON body. */
export async function admin(
  em: Emulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Body }> {
  const res = await fetch(em.restUrl + path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Body };
}

/**
 * Opens a raw WebSocket to `url`; `next()` resolves with each message `read` turns into a value,
 * in arrival order (messages it maps to undefined, such as subscription answers, are skipped).
 */
export function socketMessages<T>(
  url: string,
  read: (message: unknown) => T | undefined,
): { opened: Promise<WebSocket>; next: () => Promise<T>; close: () => void } {
  const ws = new WebSocket(url);
  const queue: T[] = [];
  const waiting: Array<(m: T) => void> = [];
  ws.on('message', (raw: Buffer) => {
    const m = read(JSON.parse(raw.toString('utf8')));
    if (m === undefined) return;
    const w = waiting.shift();
    if (w === undefined) queue.push(m);
    else w(m);
  });
  return {
    opened: new Promise((resolve) => ws.once('open', () => resolve(ws))),
    next: () => {
      const head = queue.shift();
      return head === undefined
        ? new Promise((resolve) => waiting.push(resolve))
        : Promise.resolve(head);
    },
    close: () => ws.close(),
  };
}
