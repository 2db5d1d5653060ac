import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type IsValidConnection,
  type NodeMouseHandler,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Task } from '../../shared/task';
import { STATUS_COLOURS } from '../components/status';
import { useAfterPaint } from '../hooks/use-after-paint';
import { agentsByTask } from '../state/agent-of-task';
import { useGraph } from '../state/graph-context';
import { useNavigation } from '../state/navigation';
import { CARD_HEIGHT, CARD_WIDTH } from './card-size';
import { EdgeMarkers } from './EdgeMarkers';
import { FlowElements, type DependencyEdge } from './flow-elements';
import type { GraphFilter } from './graph-filter';
import type { LayoutPositions } from './layout/layout-types';
import { NODE_TYPES, type TaskFlowNode } from './TaskNode';
import type { DependencyLink } from './use-dependency-editing';
import { useCanvasSized, useFitOnFilterChange, useInitialViewport } from './use-viewport';

interface GraphCanvasProps {
  positions: LayoutPositions;
  isVisible: (task: Task) => boolean;
  /** The filter behind `isVisible`: the view is refitted when it changes. */
  filter: GraphFilter;
  visibleCount: number;
  onLink: (link: DependencyLink) => void;
  onUnlink: (links: DependencyLink[]) => void;
}

const DELETE_KEYS = ['Delete', 'Backspace'];
// Module-level so its identity never changes: a new function would re-render all 2,000 minimap nodes.
const minimapColour = (node: TaskFlowNode): string => STATUS_COLOURS[node.data.task.status];

/** The React Flow canvas: task cards, dependency edges, drag-to-link, edge delete, minimap, controls. */
export function GraphCanvas({ positions, isVisible, filter, visibleCount, onLink, onUnlink }: GraphCanvasProps) {
  const { tasks, agents } = useGraph();
  const { selectedTask, selectTask, focusRequest } = useNavigation();
  const flow = useReactFlow<TaskFlowNode, DependencyEdge>();
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  const [elements] = useState(() => new FlowElements());
  const agentByTask = useMemo(() => agentsByTask(agents), [agents]);

  const { nodes, edges } = useMemo(
    () => elements.build({ tasks, agentByTask, positions, isVisible, selectedTask, selectedEdges }),
    [elements, tasks, agentByTask, positions, isVisible, selectedTask, selectedEdges],
  );

  const canvasSized = useCanvasSized();
  useInitialViewport(positions, visibleCount);
  // The minimap draws every task: it comes a frame after the first cards, not before them.
  const showMiniMap = useAfterPaint(nodes.length > 0) && canvasSized;
  useFitOnFilterChange(filter, visibleCount);

  // A link from the inspector or another page asked to show this task.
  useEffect(() => {
    if (!focusRequest || !selectedTask || !canvasSized) return;
    const position = positions[selectedTask];
    if (!position) return;
    void flow.setCenter(position.x + CARD_WIDTH / 2, position.y + CARD_HEIGHT / 2, {
      zoom: Math.max(flow.getZoom(), 0.8),
      duration: 300,
    });
    // Only a new request moves the view, not every later layout change.
  }, [focusRequest]);

  const onNodeClick: NodeMouseHandler<TaskFlowNode> = useCallback((_, node) => selectTask(node.id), [selectTask]);
  const onEdgesChange = useCallback((changes: EdgeChange<DependencyEdge>[]) => {
    setSelectedEdges((current) => {
      let next: Set<string> | null = null;
      for (const change of changes) {
        if (change.type !== 'select' || current.has(change.id) === change.selected) continue;
        next ??= new Set(current);
        if (change.selected) next.add(change.id);
        else next.delete(change.id);
      }
      return next ?? current;
    });
  }, []);
  const onConnect = useCallback(
    (connection: Connection) => onLink({ source: connection.source, target: connection.target }),
    [onLink],
  );
  const onEdgesDelete = useCallback(
    (deleted: DependencyEdge[]) => {
      setSelectedEdges(new Set());
      onUnlink(deleted.map((edge) => ({ source: edge.source, target: edge.target })));
    },
    [onUnlink],
  );
  const isValidConnection: IsValidConnection<DependencyEdge> = useCallback(
    (connection) =>
      connection.source !== connection.target && !tasks.get(connection.target)?.after.includes(connection.source),
    [tasks],
  );
  const onPaneClick = useCallback(() => {
    selectTask(null);
    setSelectedEdges(new Set());
  }, [selectTask]);

  return (
    <ReactFlow<TaskFlowNode, DependencyEdge>
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      onNodeClick={onNodeClick}
      onEdgesChange={onEdgesChange}
      onConnect={onConnect}
      onEdgesDelete={onEdgesDelete}
      onPaneClick={onPaneClick}
      isValidConnection={isValidConnection}
      deleteKeyCode={DELETE_KEYS}
      nodesDraggable={false}
      onlyRenderVisibleElements
      minZoom={0.05}
      maxZoom={2}
      proOptions={{ hideAttribution: true }}
    >
      <EdgeMarkers />
      <Background gap={24} />
      {showMiniMap && <MiniMap<TaskFlowNode> pannable zoomable nodeColor={minimapColour} />}
      <Controls showFitView showInteractive={false} fitViewOptions={{ padding: 0.2 }} />
    </ReactFlow>
  );
}
