import type { AnyStateMachine } from 'xstate';
import { toDirectedGraph, type DirectedGraphNode } from 'xstate/graph';
import type { InspectedTransition } from '../inspection/inspectionRecord.ts';
import {
  describeTransition,
  type StateNodeLike,
  type TransitionLike,
} from '../inspection/inspectionTransition.ts';

/** One state of the machine as the inspector draws it. */
export interface GraphState {
  /** The state node id, e.g. `position.open.distance.armed`. */
  readonly id: string;
  /** The state's own name, e.g. `armed`. */
  readonly key: string;
  readonly type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  /** True for the initial child of a compound parent (drawn with an entry marker). */
  readonly initial: boolean;
  /** True for the direct children of a parallel state: its regions. */
  readonly region: boolean;
  readonly children: readonly GraphState[];
  /** Targetless transitions: they run actions without leaving the state, drawn inside it. */
  readonly internal: readonly InspectedTransition[];
}

/** A transition with at least one target, drawn as an arrow. */
export interface GraphEdge extends InspectedTransition {
  /** Unique per arrow: the transition id, plus `#n` when a transition has several targets. */
  readonly edgeId: string;
  readonly target: string;
}

/** The machine's structure, read from its definition at runtime. */
export interface MachineGraph {
  readonly machineId: string;
  readonly root: GraphState;
  readonly edges: readonly GraphEdge[];
}

interface StateNodeShape extends StateNodeLike {
  readonly key: string;
  readonly type: GraphState['type'];
  readonly parent?: StateNodeShape | undefined;
  readonly initial?: { readonly target: readonly { readonly id: string }[] } | undefined;
}

/**
 * Returns the machine's states and transitions, walked with `toDirectedGraph` from
 * `xstate/graph` plus the eventless transitions it leaves out (read from `stateNode.always`).
 * Because it reads the definition, the drawing follows the machine whenever it changes.
 */
export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const edges: GraphEdge[] = [];
  const visit = (node: DirectedGraphNode): GraphState => {
    const stateNode = node.stateNode as unknown as StateNodeShape;
    const transitions: TransitionLike[] = [
      ...(stateNode.always ?? []),
      ...node.edges.map((e) => e.transition as unknown as TransitionLike),
    ];
    const internal: InspectedTransition[] = [];
    const seen = new Set<TransitionLike>();
    for (const t of transitions) {
      // toDirectedGraph yields one edge per target, so a transition can appear more than once.
      if (seen.has(t)) continue;
      seen.add(t);
      const described = describeTransition(t);
      if (described.targets.length === 0) {
        internal.push(described);
        continue;
      }
      described.targets.forEach((target, i) => {
        edges.push({
          ...described,
          target,
          edgeId: described.targets.length > 1 ? `${described.id}#${i}` : described.id,
        });
      });
    }
    const parent = stateNode.parent;
    return {
      id: stateNode.id,
      key: stateNode.key,
      type: stateNode.type,
      initial:
        parent?.type === 'compound' &&
        (parent.initial?.target ?? []).some((t) => t.id === stateNode.id),
      region: parent?.type === 'parallel',
      children: node.children.map(visit),
      internal,
    };
  };
  const root = visit(toDirectedGraph(machine));
  return { machineId: machine.id, root, edges };
}

/** Returns every state of the graph, parents before children. */
export function allStates(graph: MachineGraph): GraphState[] {
  const out: GraphState[] = [];
  const walk = (s: GraphState): void => {
    out.push(s);
    s.children.forEach(walk);
  };
  walk(graph.root);
  return out;
}
