import type { Exchange, Position } from 'ccxt';
import { PositionUpdates } from './positionUpdates.ts';

// A mixin's base must be constructible from any arguments (TS2545).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ExchangeClass = new (...args: any[]) => Exchange;

/**
 * Returns a subclass of the ccxt pro exchange class `Base` with what every adapter needs from
 * its client: a hook when a socket opens, a `rateLimitRefusal` an adapter overrides to throw its
 * own error (carrying the wait) before ccxt handles an answer, and a `close` that also cancels
 * ccxt's delayed calls (a keep-alive would otherwise run forever after close and keep the process
 * alive), and `nextPositions`, which misses no position change (see PositionUpdates).
 */
export function adapterClient<TBase extends ExchangeClass>(Base: TBase) {
  return class AdapterClient extends Base {
    /** Called with the URL of every WebSocket that opens. */
    readonly socketOpened = new Set<(url: string) => void>();
    readonly #delayed = new Set<ReturnType<typeof setTimeout>>();
    #closed = false;
    /** Every position change parsed from the account socket, until `nextPositions` takes it. */
    readonly positionUpdates = new PositionUpdates<Position>();

    /**
     * Returns the position changes that arrived since the last call, waiting for the next
     * message when there are none (or ccxt's first snapshot, when it answers with one).
     */
    async nextPositions(): Promise<Position[]> {
      if (this.positionUpdates.size === 0) {
        const answer: unknown = await (
          this as unknown as { watchPositions(): Promise<unknown> }
        ).watchPositions();
        if (this.positionUpdates.size === 0)
          return Array.isArray(answer) ? (answer as Position[]) : [];
      }
      return this.positionUpdates.take();
    }

    /**
     * ccxt's handler of a positions message, with every position it hands to a waiting
     * `watchPositions` kept in `positionUpdates` as well — also when no call is waiting.
     */
    handlePositions(client: unknown, message: unknown): void {
      const socket = client as { resolve: (result: unknown, hash?: string) => unknown };
      const parent = Object.getPrototypeOf(AdapterClient.prototype) as {
        handlePositions(client: unknown, message: unknown): void;
      };
      // Each exchange resolves the whole message's list under a hash ending in "positions"
      // (binance `future:positions`, bybit `positions`); per-symbol hashes carry subsets.
      const own = socket.resolve.bind(socket);
      socket.resolve = (result: unknown, hash?: string): unknown => {
        if (hash?.endsWith('positions') === true && Array.isArray(result))
          this.positionUpdates.push(result as Position[]);
        return own(result, hash);
      };
      try {
        parent.handlePositions.call(this, client, message);
      } finally {
        delete (socket as { resolve?: unknown }).resolve;
      }
    }

    /**
     * Returns the error to throw for an HTTP answer that refuses for a rate limit, or undefined
     * to let ccxt handle the answer.
     */
    rateLimitRefusal(
      _code: number,
      _reason: string,
      _headers: Record<string, unknown>,
      _body: string,
      _response: unknown,
    ): Error | undefined {
      return undefined;
    }

    override delay(timeout: number, method: unknown, ...args: unknown[]): void {
      if (this.#closed) return;
      const timer = setTimeout(() => {
        this.#delayed.delete(timer);
        void this.spawn(method, ...args);
      }, timeout);
      this.#delayed.add(timer);
    }

    override async close(cleanInstanceCache?: boolean): Promise<void> {
      this.#closed = true;
      for (const timer of this.#delayed) clearTimeout(timer);
      this.#delayed.clear();
      await super.close(cleanInstanceCache);
    }

    override handleErrors(
      code: number,
      reason: string,
      url: string,
      method: string,
      headers: Record<string, unknown>,
      body: string,
      response: unknown,
      requestHeaders: unknown,
      requestBody: unknown,
    ): undefined {
      const refusal = this.rateLimitRefusal(code, reason, headers, body, response);
      if (refusal !== undefined) throw refusal;
      return super.handleErrors(
        code,
        reason,
        url,
        method,
        headers,
        body,
        response,
        requestHeaders,
        requestBody,
      );
    }

    override onConnected(client: unknown, message?: unknown): void {
      super.onConnected(client, message);
      const url = (client as { url: string }).url;
      for (const listener of this.socketOpened) listener(url);
    }
  };
}
