import type { PositionSummary } from '../protocol.ts';
import { el } from './dom.ts';
import { formatDuration } from './format.ts';

/** What the list calls back with: a position chosen, or a closed one dismissed. */
export interface PositionListActions {
  readonly onSelect: (id: string) => void;
  readonly onDismiss: (id: string) => void;
}

/** Returns the lines under a position's name: where it stands, and for a live one its exchange side. */
function metaLines(p: PositionSummary): string[] {
  if (p.live === null) {
    return [
      `${p.side} ${p.quantity} @ ${p.entryPrice}`,
      `${Math.max(0, p.records - 1)} steps · stop ${p.desiredStop ?? '—'}`,
    ];
  }
  return [
    `${p.state} · ${p.live.orderSync} · ${p.live.lane} lane`,
    `desired ${p.desiredStop ?? '—'}`,
    `resting ${p.restingStop ?? '— (none)'}`,
    `${p.quantity} @ ${p.entryPrice} · last ${p.lastPrice ?? '—'}`,
    `unprotected ${formatDuration(p.unprotectedMs)}`,
  ];
}

interface Item {
  readonly item: HTMLLIElement;
  readonly button: HTMLButtonElement;
  readonly dismiss: HTMLButtonElement;
  shown: string;
}

function newItem(p: PositionSummary): Item {
  const item = el('li');
  const button = el('button', 'position');
  button.dataset.positionId = p.id;
  const dismiss = el('button', 'dismiss', '×');
  dismiss.dataset.dismiss = p.id;
  dismiss.title = 'dismiss this closed position from the list';
  dismiss.setAttribute('aria-label', `dismiss ${p.label}`);
  item.append(button);
  return { item, button, dismiss, shown: '' };
}

// The elements stay; only their contents change: a click that straddles an update still lands.
function fill({ item, button, dismiss }: Item, p: PositionSummary, selected: boolean): void {
  button.className = `position${selected ? ' selected' : ''}`;
  button.setAttribute('aria-pressed', String(selected));
  item.dataset.status = p.status;
  button.replaceChildren(
    el('span', 'position-label', p.label),
    el('span', `status status-${p.status}`, p.status),
    ...metaLines(p).map((line) => el('span', 'position-meta', line)),
  );
  if (p.status === 'closed') {
    if (dismiss.parentElement !== item) item.append(dismiss);
  } else {
    dismiss.remove();
  }
}

/**
 * Draws the positions as a list of buttons, the selected one marked, a closed one with a
 * dismiss button. Items are kept per position and refilled in place, so a list that updates
 * on every tick never swallows a click.
 */
export function createPositionList(
  container: HTMLElement,
  actions: PositionListActions,
): (positions: readonly PositionSummary[], selected: string | undefined) => void {
  const items = new Map<string, Item>();
  container.addEventListener('click', (e) => {
    const target = e.target instanceof Element ? e.target : null;
    const dismiss = target?.closest<HTMLElement>('[data-dismiss]');
    if (dismiss?.dataset.dismiss !== undefined) return actions.onDismiss(dismiss.dataset.dismiss);
    const id = target?.closest<HTMLElement>('[data-position-id]')?.dataset.positionId;
    if (id !== undefined) actions.onSelect(id);
  });
  return (positions, selected) => {
    const keep = new Set(positions.map((p) => p.id));
    for (const [id, { item }] of items) {
      if (keep.has(id)) continue;
      item.remove();
      items.delete(id);
    }
    positions.forEach((p, index) => {
      const shown = JSON.stringify([p, p.id === selected]);
      let entry = items.get(p.id);
      if (entry === undefined) {
        entry = newItem(p);
        items.set(p.id, entry);
      }
      if (entry.shown !== shown) {
        fill(entry, p, p.id === selected);
        entry.shown = shown;
      }
      if (container.children[index] !== entry.item)
        container.insertBefore(entry.item, container.children[index] ?? null);
    });
  };
}
