import { RecentMap } from './recentMap.ts';

/**
 * Finished orders kept by id and by client id, the oldest forgotten beyond a capacity. A client
 * id may be reused once its order finished: the lookup answers the newest order that carried it.
 */
export class RecentOrders<T> {
  private readonly byId: RecentMap<number, T>;
  private readonly idByClientId = new Map<string, number>();

  /** Returns an empty store keeping at most `capacity` orders. */
  constructor(
    capacity: number,
    private readonly idOf: (order: T) => number,
    private readonly clientIdOf: (order: T) => string,
  ) {
    this.byId = new RecentMap(capacity, (id, order) => {
      const clientId = clientIdOf(order);
      if (this.idByClientId.get(clientId) === id) this.idByClientId.delete(clientId);
    });
  }

  /** Keeps `order` as the newest, forgetting the oldest beyond the capacity. */
  add(order: T): void {
    this.idByClientId.set(this.clientIdOf(order), this.idOf(order));
    this.byId.set(this.idOf(order), order);
  }

  get(id: number): T | undefined {
    return this.byId.get(id);
  }

  getByClientId(clientId: string): T | undefined {
    const id = this.idByClientId.get(clientId);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** Returns the kept orders, oldest first. */
  values(): T[] {
    return this.byId.values();
  }

  get size(): number {
    return this.byId.size;
  }

  /** Returns the size of the client-id index (never more than `size`). */
  get clientIds(): number {
    return this.idByClientId.size;
  }
}
