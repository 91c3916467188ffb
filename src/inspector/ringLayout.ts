import {
  PAD,
  ROW_HEIGHT,
  ROW_SIZE,
  TITLE_HEIGHT,
  TITLE_SIZE,
  textWidth,
} from './drawingMetrics.ts';
import type { GraphState, MachineGraph } from './machineGraph.ts';
import {
  rowText,
  type DrawnEdge,
  type DrawnRow,
  type DrawnState,
  type MachineDrawing,
  type Point,
} from './machineLayout.ts';

const MARGIN = 24;
/** Two arrows between the same states in opposite directions run this far apart. */
const LANE_OFFSET = 4;

function boxOf(state: GraphState): { width: number; height: number; rows: DrawnRow[] } {
  const rows = state.internal.map((transition, i) => ({
    text: rowText(transition),
    transition,
    dx: PAD,
    dy: TITLE_HEIGHT + (i + 1) * ROW_HEIGHT - 4,
  }));
  const width = Math.max(
    textWidth(state.key, TITLE_SIZE) + 2 * PAD + 16,
    ...rows.map((r) => r.dx + textWidth(r.text, ROW_SIZE) + PAD),
    96,
  );
  const height = TITLE_HEIGHT + rows.length * ROW_HEIGHT + (rows.length > 0 ? 4 : 0);
  return { width, height, rows };
}

/** Returns where the ray from a box's centre towards `dx, dy` leaves the box. */
function border(center: Point, box: { width: number; height: number }, dx: number, dy: number) {
  const tx = dx === 0 ? Number.POSITIVE_INFINITY : box.width / 2 / Math.abs(dx);
  const ty = dy === 0 ? Number.POSITIVE_INFINITY : box.height / 2 / Math.abs(dy);
  const t = Math.min(tx, ty);
  return { x: center.x + dx * t, y: center.y + dy * t };
}

/**
 * Returns a flat machine (one compound root whose states all reach each other, like the
 * order-sync machine, where every state routes to any other by a guard on the context) laid
 * out as a ring: states on an ellipse in definition order, arrows as straight chords without
 * labels (the page names them on hover). A layered layout of such a complete graph is a
 * tangle of crossing labels; a ring keeps every arrow visible and costs no ELK run.
 */
export function layoutRing(graph: MachineGraph): MachineDrawing {
  const children = graph.root.children;
  const boxes = new Map(children.map((s) => [s.id, boxOf(s)]));
  const widest = Math.max(0, ...[...boxes.values()].map((b) => b.width));
  const tallest = Math.max(0, ...[...boxes.values()].map((b) => b.height));
  const n = Math.max(1, children.length);
  // Radii wide enough that neighbouring boxes on the ellipse never touch.
  const rx = Math.max(widest * 1.2, (widest * n) / (2 * Math.PI) + widest * 0.4);
  // Neighbours beside the widest point of the ellipse must clear each other's height.
  const ry = Math.max(tallest * 1.6, n >= 3 ? (tallest + 12) / Math.sin((2 * Math.PI) / n) : 0);
  const top = TITLE_HEIGHT + MARGIN;
  const cx = MARGIN + widest / 2 + rx;
  const cy = top + tallest / 2 + ry;
  const centers = new Map<string, Point>();
  children.forEach((s, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
    centers.set(s.id, { x: cx + rx * Math.cos(angle), y: cy + ry * Math.sin(angle) });
  });
  const width = 2 * cx;
  const height = cy + ry + tallest / 2 + MARGIN;
  const rootBox = boxOf(graph.root);
  const states: DrawnState[] = [
    {
      id: graph.root.id,
      key: graph.root.key,
      type: graph.root.type,
      initial: graph.root.initial,
      region: graph.root.region,
      internal: graph.root.internal,
      parent: null,
      depth: 0,
      x: 0,
      y: 0,
      width,
      height,
      rows: rootBox.rows,
    },
    ...children.map((s): DrawnState => {
      const box = boxes.get(s.id) ?? { width: 96, height: TITLE_HEIGHT, rows: [] };
      const c = centers.get(s.id) ?? { x: cx, y: cy };
      return {
        id: s.id,
        key: s.key,
        type: s.type,
        initial: s.initial,
        region: s.region,
        internal: s.internal,
        parent: graph.root.id,
        depth: 1,
        x: c.x - box.width / 2,
        y: c.y - box.height / 2,
        width: box.width,
        height: box.height,
        rows: box.rows,
      };
    }),
  ];
  const edges = graph.edges.map((edge): DrawnEdge => {
    const a = centers.get(edge.source) ?? { x: cx, y: cy };
    const b = centers.get(edge.target) ?? { x: cx, y: cy };
    const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const dx = (b.x - a.x) / length;
    const dy = (b.y - a.y) / length;
    // Shifted to the right of the direction of travel, so A→B and B→A are two lines.
    const shift = { x: -dy * LANE_OFFSET, y: dx * LANE_OFFSET };
    const from = border(a, boxes.get(edge.source) ?? { width: 0, height: 0 }, dx, dy);
    const to = border(b, boxes.get(edge.target) ?? { width: 0, height: 0 }, -dx, -dy);
    return {
      ...edge,
      points: [
        { x: from.x + shift.x, y: from.y + shift.y },
        { x: to.x + shift.x, y: to.y + shift.y },
      ],
      label: { x: 0, y: 0, width: 0, height: 0, lines: [] },
    };
  });
  return { machineId: graph.machineId, width, height, states, edges };
}
