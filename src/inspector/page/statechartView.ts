import {
  DRAWING_FONT,
  LABEL_LINE_HEIGHT,
  LABEL_SIZE,
  PAD,
  ROW_SIZE,
  TITLE_HEIGHT,
  TITLE_SIZE,
  textWidth,
} from '../drawingMetrics.ts';
import type { DrawnEdge, DrawnState, MachineDrawing } from '../machineLayout.ts';
import { svg } from './dom.ts';

/** What one step lights up: its active state ids and the ids of the transitions it took. */
export interface StepHighlight {
  readonly active: readonly string[];
  readonly transitions: readonly string[];
}

/** The drawn statechart and the handle to show one step on it. */
export interface StatechartView {
  /** Highlights the step's active states and the transitions it took; undefined clears. */
  readonly show: (step: StepHighlight | undefined) => void;
}

function arrowMarker(id: string, className: string): SVGMarkerElement {
  const marker = svg('marker', {
    id,
    viewBox: '0 0 10 10',
    refX: 9,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto-start-reverse',
    class: className,
  });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z' }));
  return marker;
}

function drawState(state: DrawnState): SVGGElement {
  const kind = state.region ? 'region' : state.type;
  const g = svg('g', {
    class: `state state-${kind}`,
    'data-state-id': state.id,
    'data-state-key': state.key,
  });
  const title = svg('title');
  title.textContent = state.id;
  g.append(title);
  const radius = state.region ? 4 : 8;
  g.append(
    svg('rect', {
      class: 'state-box',
      x: state.x,
      y: state.y,
      width: state.width,
      height: state.height,
      rx: radius,
    }),
  );
  if (state.type === 'final') {
    g.append(
      svg('rect', {
        class: 'state-final-inner',
        x: state.x + 3,
        y: state.y + 3,
        width: state.width - 6,
        height: state.height - 6,
        rx: radius - 2,
      }),
    );
  }
  const name = svg('text', {
    class: 'state-name',
    x: state.x + PAD,
    y: state.y + TITLE_HEIGHT - 8,
    'font-size': TITLE_SIZE,
  });
  name.textContent = state.key;
  g.append(name);
  if (state.type === 'parallel' || state.region) {
    const kindText = svg('text', {
      class: 'state-kind',
      x: state.x + PAD + textWidth(state.key, TITLE_SIZE) + 8,
      y: state.y + TITLE_HEIGHT - 8,
      'font-size': ROW_SIZE,
    });
    kindText.textContent = state.type === 'parallel' ? 'parallel' : 'region';
    g.append(kindText);
  }
  for (const row of state.rows) {
    const text = svg('text', {
      class: 'internal-transition',
      x: state.x + row.dx,
      y: state.y + row.dy,
      'font-size': ROW_SIZE,
      'data-transition-id': row.transition.id,
    });
    text.textContent = row.text;
    const tip = svg('title');
    tip.textContent = `${row.transition.event}${row.transition.guard === null ? '' : ` [${row.transition.guard}]`} / ${row.transition.actions.join(', ')}`;
    text.append(tip);
    g.append(text);
  }
  if (state.initial) {
    // The initial pseudo-state: a dot with a short arrow into the state's left edge.
    const cy = state.y + Math.min(state.height / 2, TITLE_HEIGHT / 2 + 2);
    g.append(svg('circle', { class: 'initial-dot', cx: state.x - 9, cy, r: 3.5 }));
    g.append(
      svg('line', { class: 'initial-line', x1: state.x - 6, y1: cy, x2: state.x - 1, y2: cy }),
    );
  }
  return g;
}

function drawEdge(edge: DrawnEdge, arrowId: string): SVGGElement {
  const g = svg('g', { class: 'edge', 'data-transition-id': edge.id, 'data-edge-id': edge.edgeId });
  const tip = svg('title');
  tip.textContent = `${edge.source} → ${edge.target}\n${edge.event}${edge.guard === null ? '' : ` [${edge.guard}]`}${edge.actions.length > 0 ? ` / ${edge.actions.join(', ')}` : ''}`;
  g.append(tip);
  const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
  g.append(svg('path', { class: 'edge-line', d, 'marker-end': `url(#${arrowId})` }));
  const { label } = edge;
  if (label.width > 0) {
    g.append(
      svg('rect', {
        class: 'edge-label-bg',
        x: label.x,
        y: label.y,
        width: label.width,
        height: label.height,
        rx: 3,
      }),
    );
    label.lines.forEach((line, i) => {
      const text = svg('text', {
        class: i === 0 ? 'edge-event' : 'edge-guard',
        x: label.x + 4,
        y: label.y + 2 + (i + 1) * LABEL_LINE_HEIGHT - 3,
        'font-size': LABEL_SIZE,
      });
      text.textContent = line;
      g.append(text);
    });
  }
  return g;
}

/**
 * Draws the laid-out machine into `container` as SVG (states nested by drawing parents
 * first, arrows on top) and returns a view that marks a step on it by toggling classes, so
 * moving through thousands of steps never redraws the chart.
 */
export function drawStatechart(container: HTMLElement, drawing: MachineDrawing): StatechartView {
  const arrowId = `arrow-${drawing.machineId}`;
  const margin = 16;
  const root = svg('svg', {
    viewBox: `${-margin} ${-margin} ${drawing.width + 2 * margin} ${drawing.height + 2 * margin}`,
    width: drawing.width + 2 * margin,
    height: drawing.height + 2 * margin,
    role: 'img',
    'aria-label': `statechart of ${drawing.machineId}`,
    'font-family': DRAWING_FONT,
  });
  const defs = svg('defs');
  defs.append(arrowMarker(arrowId, 'arrowhead'));
  root.append(defs);
  const states = svg('g', { class: 'states' });
  for (const state of drawing.states) states.append(drawState(state));
  const edges = svg('g', { class: 'edges' });
  for (const edge of drawing.edges) edges.append(drawEdge(edge, arrowId));
  root.append(states, edges);
  container.replaceChildren(root);

  const stateEls = new Map<string, Element>();
  root
    .querySelectorAll('[data-state-id]')
    .forEach((node) => stateEls.set(node.getAttribute('data-state-id') ?? '', node));
  const transitionEls = new Map<string, Element[]>();
  root.querySelectorAll('[data-transition-id]').forEach((node) => {
    const id = node.getAttribute('data-transition-id') ?? '';
    transitionEls.set(id, [...(transitionEls.get(id) ?? []), node]);
  });
  let lit: Element[] = [];

  const show = (step: StepHighlight | undefined): void => {
    for (const node of lit) node.classList.remove('active', 'taken');
    lit = [];
    if (step === undefined) return;
    for (const id of step.active) {
      const node = stateEls.get(id);
      if (node === undefined) continue;
      node.classList.add('active');
      lit.push(node);
    }
    for (const id of step.transitions) {
      for (const node of transitionEls.get(id) ?? []) {
        node.classList.add('taken');
        lit.push(node);
      }
    }
  };
  return { show };
}
