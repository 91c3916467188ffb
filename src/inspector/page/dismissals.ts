/** The closed positions the user dismissed from the list, remembered across reloads of the page. */
export interface Dismissals {
  readonly has: (id: string) => boolean;
  readonly add: (id: string) => void;
  /** Forgets one id (the server let the position go: nothing left to hide). */
  readonly forget: (id: string) => void;
  /** Forgets every id not in `known`, so the remembered set never outgrows the server's list. */
  readonly keepOnly: (known: ReadonlySet<string>) => void;
}

const KEY = 'ratchet.inspector.dismissed';

/**
 * Returns the dismissals kept in `storage` (the page's localStorage). The server is read-only,
 * so dismissing is the page's own business; a storage that refuses (private mode, quota) leaves
 * them in memory only.
 */
export function createDismissals(storage: Storage | undefined): Dismissals {
  let ids = new Set<string>();
  try {
    const saved = JSON.parse(storage?.getItem(KEY) ?? '[]') as unknown;
    if (Array.isArray(saved))
      ids = new Set(saved.filter((x): x is string => typeof x === 'string'));
  } catch {
    ids = new Set();
  }
  const save = (): void => {
    try {
      storage?.setItem(KEY, JSON.stringify([...ids]));
    } catch {
      // Kept in memory for this page.
    }
  };
  return {
    has: (id) => ids.has(id),
    add: (id) => {
      ids.add(id);
      save();
    },
    forget: (id) => {
      if (ids.delete(id)) save();
    },
    keepOnly: (known) => {
      const before = ids.size;
      ids = new Set([...ids].filter((id) => known.has(id)));
      if (ids.size !== before) save();
    },
  };
}
