import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { InspectedTransition } from '../inspection/inspectionRecord.ts';
import {
  LABEL_LINE_HEIGHT,
  LABEL_SIZE,
  PAD,
  ROW_HEIGHT,
  ROW_SIZE,
  TITLE_HEIGHT,
  TITLE_SIZE,
  textWidth,
} from './drawingMetrics.ts';
import type { GraphEdge, GraphState, MachineGraph } from './machineGraph.ts';

/** A point in drawing coordinates (px, origin at the top left of the whole drawing). */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A state with its box in absolute drawing coordinates. */
export interface DrawnState extends Omit<GraphState, 'children'> {
  readonly parent: string | null;
  readonly depth: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** The lines listing the internal transitions, under the title. */
  readonly rows: readonly DrawnRow[];
}

/** One internal transition line, at an offset from its state's top left corner. */
export interface DrawnRow {
  readonly text: string;
  readonly transition: InspectedTransition;
  readonly dx: number;
  readonly dy: number;
}

/** An arrow with its route and its label box in absolute drawing coordinates. */
export interface DrawnEdge extends GraphEdge {
  readonly points: readonly Point[];
  readonly label: {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
    readonly lines: readonly string[];
  };
}

/** The statechart laid out: what `GET /api/machine` returns and the page draws. */
export interface MachineDrawing {
  readonly machineId: string;
  readonly width: number;
  readonly height: number;
  /** Parents before children, so drawing in order nests boxes correctly. */
  readonly states: readonly DrawnState[];
  readonly edges: readonly DrawnEdge[];
}

/** Returns the text of an internal transition row: `↻ event [guard]`. */
export function rowText(t: InspectedTransition): string {
  return `↻ ${t.event}${t.guard === null ? '' : ` [${t.guard}]`}`;
}

/**
 * Returns the label lines of an arrow: the event, then the guard in brackets; a flat and()/or()
 * puts one operand a line so a long guard makes the label taller rather than the chart wider.
 */
export function edgeLabelLines(t: InspectedTransition): string[] {
  if (t.guard === null) return [t.event];
  const combinator = /^(and|or)\(([^()]*)\)$/.exec(t.guard);
  if (combinator === null) return [t.event, `[${t.guard}]`];
  const symbol = combinator[1] === 'and' ? '∧' : '∨';
  const operands = (combinator[2] ?? '').split(', ');
  return [
    t.event,
    ...operands.map(
      (op, i) => `${i === 0 ? '[' : ' '}${op}${i === operands.length - 1 ? ']' : ` ${symbol}`}`,
    ),
  ];
}

/** A state with children and many internal transitions lists them in columns of this many rows. */
const ROWS_PER_COLUMN = 3;
const COLUMN_GAP = 28;

/** Returns the internal transition rows of a state placed in columns (compound) or one column (leaf). */
function placeRows(state: GraphState): DrawnRow[] {
  const perColumn = state.children.length > 0 ? ROWS_PER_COLUMN : Number.MAX_SAFE_INTEGER;
  const texts = state.internal.map(rowText);
  const columnWidth = Math.max(0, ...texts.map((t) => textWidth(t, ROW_SIZE))) + COLUMN_GAP;
  return state.internal.map((transition, i) => ({
    text: texts[i] ?? '',
    transition,
    dx: PAD + Math.floor(i / perColumn) * columnWidth,
    dy: TITLE_HEIGHT + ((i % perColumn) + 1) * ROW_HEIGHT - 4,
  }));
}

function headerHeight(state: GraphState): number {
  const lines =
    state.children.length > 0
      ? Math.min(state.internal.length, ROWS_PER_COLUMN)
      : state.internal.length;
  return TITLE_HEIGHT + lines * ROW_HEIGHT + (lines > 0 ? 4 : 0);
}

function contentWidth(state: GraphState): number {
  const rows = placeRows(state).map((r) => r.dx + textWidth(r.text, ROW_SIZE) + PAD);
  const kind = state.type === 'parallel' ? 'parallel' : state.region ? 'region' : '';
  const title =
    textWidth(state.key, TITLE_SIZE) + (kind === '' ? 0 : textWidth(kind, ROW_SIZE) + 8);
  return Math.max(title + 2 * PAD + 16, ...rows, 96);
}

/** Returns the id of the lowest common ancestor state of two state ids. */
function commonParent(a: string, b: string): string {
  const pa = a.split('.');
  const pb = b.split('.');
  const common: string[] = [];
  for (let i = 0; i < Math.min(pa.length, pb.length) - 1; i++) {
    if (pa[i] !== pb[i]) break;
    common.push(pa[i] ?? '');
  }
  return common.join('.');
}

/**
 * Regions of a parallel state sit side by side (one ELK layer, laid out downwards, is a row);
 * inside a region arrows run downwards, so the guards' long labels cost height, not width;
 * `exited` sits under `open`, keeping the drawing about as wide as the regions. Model order
 * keeps the definition's order.
 */
function elkNode(
  state: GraphState,
  edgesByContainer: Map<string, ElkExtendedEdge[]>,
  isRoot: boolean,
): ElkNode {
  const header = headerHeight(state);
  if (state.children.length === 0) {
    return {
      id: state.id,
      width: contentWidth(state),
      height: header + (state.type === 'final' ? 4 : 6),
    };
  }
  return {
    id: state.id,
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.crossingMinimization.forceNodeModelOrder':
        state.type === 'parallel' ? 'true' : 'false',
      'elk.padding': `[top=${header + 8},left=${PAD + 4},bottom=${PAD + 4},right=${PAD + 4}]`,
      'elk.spacing.nodeNode': state.type === 'parallel' ? '14' : '24',
      'elk.layered.spacing.nodeNodeBetweenLayers': isRoot ? '40' : '14',
      'elk.spacing.edgeLabel': '4',
      'elk.spacing.componentComponent': '16',
      'elk.layered.spacing.edgeNodeBetweenLayers': '10',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.edgeLabels.inline': 'false',
      'elk.nodeSize.minimum': `(${contentWidth(state)}, ${header + 20})`,
      'elk.nodeSize.constraints': 'MINIMUM_SIZE',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.separateConnectedComponents': state.type === 'parallel' ? 'false' : 'true',
    },
    children: state.children.map((c) => elkNode(c, edgesByContainer, false)),
    edges: edgesByContainer.get(state.id) ?? [],
  };
}

/**
 * Gives the regions of each parallel state a common top and height. ELK centres the nodes of a
 * layer; regions have no arrows between them, so squaring them up moves nothing that matters
 * and reads as one row of lanes.
 */
function alignRegions(laid: ElkNode, graph: MachineGraph): void {
  const parallel = new Set<string>();
  const find = (s: GraphState): void => {
    if (s.type === 'parallel') parallel.add(s.id);
    s.children.forEach(find);
  };
  find(graph.root);
  const visit = (node: ElkNode): void => {
    const children = node.children ?? [];
    if (parallel.has(node.id) && children.length > 0) {
      const top = Math.min(...children.map((c) => c.y ?? 0));
      const bottom = Math.max(...children.map((c) => (c.y ?? 0) + (c.height ?? 0)));
      for (const c of children) {
        c.y = top;
        c.height = bottom - top;
      }
    }
    children.forEach(visit);
  };
  visit(laid);
}

interface Offset {
  readonly x: number;
  readonly y: number;
}

/**
 * Returns the statechart laid out by ELK's layered algorithm, every coordinate made absolute
 * so the page only draws. Runs in the server (elkjs is a 1.5 MB engine): the page stays small
 * and a machine's layout is computed once, not in every browser tab.
 */
export async function layoutMachine(graph: MachineGraph): Promise<MachineDrawing> {
  const edgesByContainer = new Map<string, ElkExtendedEdge[]>();
  for (const edge of graph.edges) {
    const lines = edgeLabelLines(edge);
    const container = commonParent(edge.source, edge.target);
    const list = edgesByContainer.get(container) ?? [];
    list.push({
      id: edge.edgeId,
      sources: [edge.source],
      targets: [edge.target],
      labels: [
        {
          text: lines.join('\n'),
          width: Math.max(...lines.map((l) => textWidth(l, LABEL_SIZE))) + 8,
          height: lines.length * LABEL_LINE_HEIGHT + 4,
        },
      ],
    });
    edgesByContainer.set(container, list);
  }
  const crossHierarchy = graph.edges.some(
    (e) =>
      commonParent(e.source, e.target) !== e.source.split('.').slice(0, -1).join('.') ||
      commonParent(e.source, e.target) !== e.target.split('.').slice(0, -1).join('.'),
  );
  const root = elkNode(graph.root, edgesByContainer, true);
  root.layoutOptions = {
    ...root.layoutOptions,
    // Arrows that leave their parent state need ELK to lay the levels out together.
    'elk.hierarchyHandling': crossHierarchy ? 'INCLUDE_CHILDREN' : 'SEPARATE_CHILDREN',
  };
  // elkjs is CommonJS with a `default` self-reference: this spelling works under Node, tsx and tsc.
  const laid = await new ELK.default().layout(root);
  alignRegions(laid, graph);

  const byId = new Map<string, GraphState>();
  const index = (s: GraphState): void => {
    byId.set(s.id, s);
    s.children.forEach(index);
  };
  index(graph.root);

  const states: DrawnState[] = [];
  const absolute = new Map<string, Offset>();
  const walk = (node: ElkNode, parent: string | null, origin: Offset, depth: number): void => {
    const state = byId.get(node.id);
    if (state === undefined) return;
    const x = origin.x + (node.x ?? 0);
    const y = origin.y + (node.y ?? 0);
    absolute.set(node.id, { x, y });
    states.push({
      id: state.id,
      key: state.key,
      type: state.type,
      initial: state.initial,
      region: state.region,
      internal: state.internal,
      parent,
      depth,
      x,
      y,
      width: node.width ?? 0,
      height: node.height ?? 0,
      rows: placeRows(state),
    });
    for (const child of node.children ?? []) walk(child, node.id, { x, y }, depth + 1);
  };
  walk(laid, null, { x: 0, y: 0 }, 0);

  const laidEdges = new Map<string, { edge: ElkExtendedEdge; origin: Offset }>();
  const collect = (node: ElkNode): void => {
    const origin = absolute.get(node.id) ?? { x: 0, y: 0 };
    for (const edge of node.edges ?? []) laidEdges.set(edge.id, { edge, origin });
    (node.children ?? []).forEach(collect);
  };
  collect(laid);

  const edges: DrawnEdge[] = graph.edges.map((edge) => {
    const found = laidEdges.get(edge.edgeId);
    const origin = found?.origin ?? { x: 0, y: 0 };
    const section = found?.edge.sections?.[0];
    const raw =
      section === undefined
        ? []
        : [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
    const label = found?.edge.labels?.[0];
    return {
      ...edge,
      points: raw.map((p) => ({ x: origin.x + p.x, y: origin.y + p.y })),
      label: {
        x: origin.x + (label?.x ?? 0),
        y: origin.y + (label?.y ?? 0),
        width: label?.width ?? 0,
        height: label?.height ?? 0,
        lines: edgeLabelLines(edge),
      },
    };
  });
  return {
    machineId: graph.machineId,
    width: laid.width ?? 0,
    height: laid.height ?? 0,
    states,
    edges,
  };
}
