import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { Agent } from '../../shared/agent';
import type { Task } from '../../shared/task';
import type { TaskState } from '../task-state/task-state';
import { TaskCard } from './TaskCard';

/** agent: the run that did the work; helper: an assigner, evaluator or triage run working on the task now. */
type TaskNodeData = { task: Task; agent: Agent | null; helper: Agent | null; state: TaskState };
export type TaskFlowNode = Node<TaskNodeData, 'task'>;

/**
 * A task as a React Flow node. Dependencies enter on the left (target) and dependents leave on the
 * right (source): dragging from A's right handle to B's left handle makes B depend on A.
 */
const TaskNode = memo(function TaskNode({ data }: NodeProps<TaskFlowNode>) {
  return (
    <>
      <Handle type="target" position={Position.Left} className="task-handle" title="Drop a link here: this task will depend on the other" />
      <TaskCard task={data.task} agent={data.agent} helper={data.helper} state={data.state} needsYouFoot="actions" />
      <Handle type="source" position={Position.Right} className="task-handle" title="Drag to another task: it will depend on this one" />
    </>
  );
});

export const NODE_TYPES = { task: TaskNode };
