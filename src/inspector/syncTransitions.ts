import { orderSyncMachine } from '../machines/orderSyncMachine.ts';
import { machineGraph, type MachineGraph } from './machineGraph.ts';

let graph: MachineGraph | undefined;

/**
 * Returns the ids of the order-sync transitions one step took from state `from` to state `to`,
 * as the drawing names them: the state's own step (`orderSync.<from>:*:0`, which runs the
 * decisions), then the route to the new state when it changed. The machine takes exactly these:
 * every event steps inside the current state, and an eventless route follows the context.
 */
export function syncTransitionIds(from: string, to: string): string[] {
  graph ??= machineGraph(orderSyncMachine);
  const source = `${graph.root.id}.${from}`;
  const state = graph.root.children.find((s) => s.id === source);
  const ids = (state?.internal ?? []).map((t) => t.id);
  if (from !== to) {
    const route = graph.edges.find(
      (e) => e.source === source && e.target === `${graph?.root.id}.${to}`,
    );
    if (route !== undefined) ids.push(route.id);
  }
  return ids;
}
