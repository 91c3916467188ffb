import type { PositionSummary } from '../protocol.ts';
import { el } from './dom.ts';

/** Draws the positions as a list of buttons, the selected one marked; a click selects another. */
export function renderPositionList(
  container: HTMLElement,
  positions: readonly PositionSummary[],
  selected: string | undefined,
  onSelect: (id: string) => void,
): void {
  container.replaceChildren(
    ...positions.map((p) => {
      const li = el('li');
      const button = el('button', `position${p.id === selected ? ' selected' : ''}`);
      button.dataset.positionId = p.id;
      button.setAttribute('aria-pressed', String(p.id === selected));
      const status = el('span', `status status-${p.status}`, p.status);
      button.append(
        el('span', 'position-label', p.label),
        el('span', 'position-meta', `${p.side} ${p.quantity} @ ${p.entryPrice}`),
        el('span', 'position-meta', `${p.records - 1} steps · stop ${p.stop ?? '—'}`),
        status,
      );
      button.addEventListener('click', () => onSelect(p.id));
      li.append(button);
      return li;
    }),
  );
}
