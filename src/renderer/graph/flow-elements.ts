import { Position, type Edge, type NodeHandle } from '@xyflow/react';
import type { Agent } from '../../shared/agent';
import type { Task } from '../../shared/task';
import { CARD_HEIGHT, CARD_WIDTH } from './card-size';
import { ARROW_OPEN_ID, ARROW_SATISFIED_ID } from './EdgeMarkers';
import type { LayoutPositions } from './layout/layout-types';
import type { TaskFlowNode } from './TaskNode';

export type DependencyEdge = Edge<{ satisfied: boolean }>;

const HANDLE = 10;
/**
 * Handle places are declared rather than measured, so edges to cards that were never rendered
 * (off screen, with onlyRenderVisibleElements) are still drawn.
 */
const HANDLES: NodeHandle[] = [
  { type: 'target', position: Position.Left, x: -HANDLE / 2, y: CARD_HEIGHT / 2 - HANDLE / 2, width: HANDLE, height: HANDLE },
  { type: 'source', position: Position.Right, x: CARD_WIDTH - HANDLE / 2, y: CARD_HEIGHT / 2 - HANDLE / 2, width: HANDLE, height: HANDLE },
];
const MEASURED = { width: CARD_WIDTH, height: CARD_HEIGHT };

export const edgeId = (dependency: string, task: string) => `${dependency}->${task}`;

export interface ElementInputs {
  tasks: ReadonlyMap<string, Task>;
  agentByTask: ReadonlyMap<string, Agent>;
  positions: LayoutPositions;
  isVisible: (task: Task) => boolean;
  selectedTask: string | null;
  selectedEdges: ReadonlySet<string>;
}

/**
 * Builds React Flow nodes and edges, reusing last time's objects when nothing about them changed:
 * React Flow skips nodes whose object is identical, so a status change re-renders one card.
 */
export class FlowElements {
  private nodes = new Map<string, TaskFlowNode>();
  private edges = new Map<string, DependencyEdge>();
  private nodeList: TaskFlowNode[] = [];
  private edgeList: DependencyEdge[] = [];

  build(inputs: ElementInputs): { nodes: TaskFlowNode[]; edges: DependencyEdge[] } {
    const nodes: TaskFlowNode[] = [];
    const nextNodes = new Map<string, TaskFlowNode>();
    const hidden = new Set<string>();
    for (const task of inputs.tasks.values()) {
      const position = inputs.positions[task.id];
      if (!position) continue;
      const agent = inputs.agentByTask.get(task.id) ?? null;
      const isHidden = !inputs.isVisible(task);
      if (isHidden) hidden.add(task.id);
      const selected = inputs.selectedTask === task.id;
      const previous = this.nodes.get(task.id);
      const node =
        previous &&
        previous.data.task === task &&
        previous.data.agent === agent &&
        previous.position === position &&
        previous.hidden === isHidden &&
        previous.selected === selected
          ? previous
          : {
              id: task.id,
              type: 'task' as const,
              position,
              data: { task, agent },
              hidden: isHidden,
              selected,
              deletable: false,
              width: CARD_WIDTH,
              height: CARD_HEIGHT,
              measured: MEASURED,
              handles: HANDLES,
            };
      nodes.push(node);
      nextNodes.set(task.id, node);
    }
    this.nodes = nextNodes;
    this.nodeList = sameItems(this.nodeList, nodes) ? this.nodeList : nodes;

    const edges: DependencyEdge[] = [];
    const nextEdges = new Map<string, DependencyEdge>();
    for (const task of inputs.tasks.values()) {
      if (!nextNodes.has(task.id)) continue;
      for (const dependency of task.after) {
        const source = inputs.tasks.get(dependency);
        if (!source || !nextNodes.has(dependency)) continue;
        const id = edgeId(dependency, task.id);
        const satisfied = source.status === 'done' || source.status === 'abandoned';
        const isHidden = hidden.has(dependency) || hidden.has(task.id);
        const selected = inputs.selectedEdges.has(id);
        const previous = this.edges.get(id);
        const edge =
          previous && previous.data?.satisfied === satisfied && previous.hidden === isHidden && previous.selected === selected
            ? previous
            : {
                id,
                source: dependency,
                target: task.id,
                hidden: isHidden,
                selected,
                className: satisfied ? 'dep-edge dep-satisfied' : 'dep-edge',
                // Arrowheads point at the dependent task; green once the dependency is satisfied.
                markerEnd: satisfied ? ARROW_SATISFIED_ID : ARROW_OPEN_ID,
                data: { satisfied },
                ariaLabel: `${task.id} depends on ${dependency}`,
              };
        edges.push(edge);
        nextEdges.set(id, edge);
      }
    }
    this.edges = nextEdges;
    // An unchanged array lets React Flow skip its per-array work (rebuilding the connection
    // lookup of every edge), which a status change that touches no edge would otherwise pay.
    this.edgeList = sameItems(this.edgeList, edges) ? this.edgeList : edges;
    return { nodes: this.nodeList, edges: this.edgeList };
  }
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}
