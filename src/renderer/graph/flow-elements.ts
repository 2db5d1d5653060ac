import { Position, type NodeHandle } from '@xyflow/react';
import type { Agent } from '../../shared/agent';
import type { Task } from '../../shared/task';
import type { TaskState } from '../task-state/task-state';
import { CARD_HEIGHT, CARD_WIDTH } from './card-size';
import type { LayoutPositions } from './layout/layout-types';
import type { TaskFlowNode } from './TaskNode';

const HANDLE = 10;
/**
 * Handle places are declared rather than measured, so React Flow never has to measure a card
 * before it can draw a connection to it.
 */
const HANDLES: NodeHandle[] = [
  { type: 'target', position: Position.Left, x: -HANDLE / 2, y: CARD_HEIGHT / 2 - HANDLE / 2, width: HANDLE, height: HANDLE },
  { type: 'source', position: Position.Right, x: CARD_WIDTH - HANDLE / 2, y: CARD_HEIGHT / 2 - HANDLE / 2, width: HANDLE, height: HANDLE },
];
const MEASURED = { width: CARD_WIDTH, height: CARD_HEIGHT };

export interface ElementInputs {
  /** The cards in the page (those near the screen), in tab order. */
  ids: readonly string[];
  tasks: ReadonlyMap<string, Task>;
  /** The run that did each task's work, and an internal run (assigner, evaluator, triage) working on it now. */
  runs: { work: ReadonlyMap<string, Agent>; helper: ReadonlyMap<string, Agent> };
  states: ReadonlyMap<string, TaskState>;
  positions: LayoutPositions;
  selectedTask: string | null;
}

/**
 * Builds React Flow nodes for the cards in the page, reusing last time's objects when nothing about
 * them changed: React Flow skips nodes whose object is identical, so a status change re-renders one card.
 */
export class FlowElements {
  private nodes = new Map<string, TaskFlowNode>();
  private list: TaskFlowNode[] = [];

  build(inputs: ElementInputs): TaskFlowNode[] {
    const nodes: TaskFlowNode[] = [];
    const next = new Map<string, TaskFlowNode>();
    for (const id of inputs.ids) {
      const task = inputs.tasks.get(id);
      const position = inputs.positions[id];
      const state = inputs.states.get(id);
      if (!task || !position || !state) continue;
      const agent = inputs.runs.work.get(id) ?? null;
      const helper = inputs.runs.helper.get(id) ?? null;
      const selected = inputs.selectedTask === id;
      const previous = this.nodes.get(id);
      const node =
        previous &&
        previous.data.task === task &&
        previous.data.agent === agent &&
        previous.data.helper === helper &&
        previous.data.state === state &&
        previous.position === position &&
        previous.selected === selected
          ? previous
          : {
              id,
              type: 'task' as const,
              position,
              data: { task, agent, helper, state },
              selected,
              deletable: false,
              width: CARD_WIDTH,
              height: CARD_HEIGHT,
              measured: MEASURED,
              handles: HANDLES,
              ariaLabel: `${task.title}: ${state.text}`,
            };
      nodes.push(node);
      next.set(id, node);
    }
    this.nodes = next;
    // An unchanged array lets React Flow skip its per-array work.
    this.list = sameItems(this.list, nodes) ? this.list : nodes;
    return this.list;
  }
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}
