import type { AlgoOrder } from './types.ts';

/**
 * The resting conditional orders, indexed by id, by client id and by symbol, so a trade visits
 * only its own symbol's resting orders however many orders the account ever placed.
 */
export class OpenAlgoOrders {
  private readonly byId = new Map<number, AlgoOrder>();
  private readonly bySymbol = new Map<string, Map<number, AlgoOrder>>();
  private readonly idByClientId = new Map<string, number>();

  add(order: AlgoOrder): void {
    this.byId.set(order.algoId, order);
    this.idByClientId.set(order.clientAlgoId, order.algoId);
    let symbolOrders = this.bySymbol.get(order.symbol);
    if (symbolOrders === undefined) {
      symbolOrders = new Map();
      this.bySymbol.set(order.symbol, symbolOrders);
    }
    symbolOrders.set(order.algoId, order);
  }

  /** Removes `order` from every index; a no-op when it does not rest. */
  remove(order: AlgoOrder): void {
    if (!this.byId.delete(order.algoId)) return;
    if (this.idByClientId.get(order.clientAlgoId) === order.algoId)
      this.idByClientId.delete(order.clientAlgoId);
    const symbolOrders = this.bySymbol.get(order.symbol);
    symbolOrders?.delete(order.algoId);
    if (symbolOrders?.size === 0) this.bySymbol.delete(order.symbol);
  }

  get(algoId: number): AlgoOrder | undefined {
    return this.byId.get(algoId);
  }

  getByClientId(clientAlgoId: string): AlgoOrder | undefined {
    const id = this.idByClientId.get(clientAlgoId);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** Returns a snapshot of the resting orders, of one symbol or all, oldest first. */
  list(symbol?: string): AlgoOrder[] {
    if (symbol === undefined) return [...this.byId.values()];
    return [...(this.bySymbol.get(symbol)?.values() ?? [])];
  }

  get size(): number {
    return this.byId.size;
  }
}
