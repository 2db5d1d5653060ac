import { ReactFlow, useReactFlow, useStore, type Connection, type IsValidConnection, type NodeMouseHandler } from '@xyflow/react';
import { useCallback, useEffect, useEffectEvent, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { Agent } from '../../shared/agent';
import type { Task } from '../../shared/task';
import { agentsByTask } from '../state/agent-of-task';
import { focusInspector } from '../inspector/focus-inspector';
import { useNavigation } from '../state/navigation';
import type { TaskState } from '../task-state/task-state';
import { useCanvasColours } from '../theme/theme-colours';
import { CARD_HEIGHT, CARD_WIDTH } from './card-size';
import { EdgeMarkers } from './EdgeMarkers';
import { FlowElements } from './flow-elements';
import { GraphControls } from './GraphControls';
import type { GraphLayout } from './layout/layout-types';
import { NODE_TYPES, type TaskFlowNode } from './TaskNode';
import type { DependencyLink } from './use-dependency-editing';
import { clusterAt, clusterCounts, countsText, type Cluster, type ClusterGrouping } from './view/clusters';
import { useCountedLinks } from './view/use-counted-links';
import { DotGrid } from './view/DotGrid';
import type { OverviewData } from './view/draw-overview';
import { useRoutesDrawn } from './view/use-routes-drawn';
import { EdgeLayer } from './view/EdgeLayer';
import { GraphMiniMap } from './view/GraphMiniMap';
import { ARROW_DIRECTIONS, neighbour } from './view/neighbours';
import { OverviewCanvas } from './view/OverviewCanvas';
import { buildScene, type Scene, type SceneEdge } from './view/scene';
import { useDrawWindow, useFirstPictureReach } from './view/use-draw-window';
import { useClusters } from './view/use-clusters';
import { useElementsInPage } from './view/use-elements-in-page';
import { unroutedEdges } from './view/unrouted-edges';
import { useSameMap } from './view/use-same-map';
import { useViewControl } from './view/use-view-control';
import type { LensRequest, Reveal, ViewControl, WorkFocus } from './view/view-control-types';
import { wholeView } from './view/viewport-math';
import { useMiniMapChoice } from './view/use-minimap-choice';
import { useStageZoom } from './view/use-stage-zoom';
import { MAX_ZOOM, MIN_ZOOM, READABLE_ZOOM } from './view/zoom-levels';
import { focusWhenShown } from '../components/focus-moved';

interface GraphCanvasProps {
  /** The graph as the page draws it (a moment behind the store: see GraphPage). */
  tasks: ReadonlyMap<string, Task>;
  agents: ReadonlyMap<string, Agent>;
  layout: GraphLayout;
  /** The layout is being computed for a newer graph (an edit being placed). */
  layoutPending: boolean;
  states: ReadonlyMap<string, TaskState>;
  /** What the first view and Work frame (the tasks a person acts on) and how to reach their neighbours. */
  work: WorkFocus;
  /** Shows tasks by themselves (a lens) or every task again; false when that is what is shown. */
  onLens: (lens: LensRequest | null) => boolean;
  lensShown: boolean;
  filterKey: string;
  /** Width of the inspector lying over the right of the canvas (0 when closed). */
  coveredRight: number;
  onLink: (link: DependencyLink) => void;
  onUnlink: (link: DependencyLink) => void;
  /** Delete pressed on a card: the page asks whether to abandon it. */
  onDeleteTask: (id: string) => void;
  /** Lets the page move the view (search results). */
  onViewControl: (control: ViewControl) => void;
  /** The person asked for another view (Work, Fit): the page lets go of what it kept in view for them. */
  onMovedOn?: () => void;
  /** What the clusters at low zoom stand for. */
  grouping: ClusterGrouping;
  /** The task the view is focused on (its neighbourhood shown): fits centre on it. */
  focusTask?: string | null;
  /** Each task's dependents (the graph's, not the layout's: a structure change makes a new one). */
  dependents: ReadonlyMap<string, readonly string[]>;
  /** Brings a task asked for into what the page shows (its filter widened), when a lens or a filter leaves it out. */
  reveal?: (id: string) => Reveal;
}

// React Flow draws no edges (EdgeLayer does); one array, or each render would count as a change.
const NO_EDGES: never[] = [];
const PRO_OPTIONS = { hideAttribution: true };
/** Zoom in's step (React Flow's own). */
const ZOOM_IN_STEP = 1.2;
const satisfiedStatus = (task: Task | undefined) => task?.status === 'done' || task?.status === 'abandoned';

/**
 * The graph: React Flow for the viewport, cards, handles and drag-to-link at card zoom, with only
 * the cards and edges near the screen in the page; a canvas for compact cards and clusters further
 * out; a canvas minimap. Keyboard: Tab reaches cards (then edges), Enter opens the inspector,
 * arrows move along dependencies, Delete asks before abandoning a card or removes an edge with Undo.
 */
export function GraphCanvas({
  tasks,
  agents,
  layout,
  layoutPending,
  states,
  work,
  onLens,
  lensShown,
  filterKey,
  coveredRight,
  onLink,
  onUnlink,
  onDeleteTask,
  onViewControl,
  onMovedOn,
  grouping,
  focusTask = null,
  dependents,
  reveal: revealTask,
}: GraphCanvasProps) {
  const { selectedTask, selectTask, focusRequest } = useNavigation();
  const flow = useReactFlow<TaskFlowNode>();
  const [elements] = useState(() => new FlowElements());
  const [selectedEdge, setSelectedEdge] = useState<string | null>(null);
  const miniMap = useMiniMapChoice(coveredRight);
  const runs = useMemo(() => agentsByTask(agents), [agents]);
  const colours = useCanvasColours();
  // Each scene starts from the one on screen: after an edit only what moved is indexed again.
  const shownScene = useRef<Scene | null>(null);
  const scene = useMemo(() => buildScene(layout, shownScene.current), [layout]);
  useEffect(() => {
    shownScene.current = scene;
  }, [scene]);
  const {
    clusters,
    extent: clusterExtent,
    names,
    staged,
    story: clusterStory,
    tasks: clusterTasks,
    layout: clustersOf,
    upTo: clusterUpTo,
  } = useClusters(layout, tasks, states, grouping);
  const view = useViewControl({
    layout,
    scene,
    work,
    onLens,
    lensShown,
    filterKey,
    coveredRight,
    clusterExtent,
    clustersOf,
    clusterStory,
    clusterUpTo,
    centre: focusTask,
    reveal: revealTask,
  });
  // Zooming out goes as far as showing every cluster needs (a big plan's clusters lie beyond MIN_ZOOM's reach).
  const canvasSize = useStore((state) => `${state.width}x${state.height}`);
  const minZoom = useMemo(() => {
    const [width = 0, height = 0] = canvasSize.split('x').map(Number);
    if (width === 0 || height === 0 || layout.bounds.width === 0) return MIN_ZOOM;
    return Math.min(
      MIN_ZOOM,
      0.8 * wholeView(layout.bounds, clusterExtent, { width, height, coveredRight: 0 }, clusterStory, clusterUpTo).zoom,
    );
  }, [canvasSize, layout.bounds, clusterExtent, clusterStory, clusterUpTo]);
  // The first view set is the first render with cards in the page: the cards on screen, without
  // their edges (indexing a big plan's routes would lengthen it); the edges and the cards around
  // come a moment later.
  const reach = useFirstPictureReach(view.shown);
  const drawWindow = useDrawWindow(reach, clusterUpTo);
  useEffect(() => onViewControl(view), [onViewControl, view]);
  // The element around the canvas (what it draws, whether the view moves, its tooltip), and where
  // its wheel steps into a stage are taken (use-stage-zoom.ts).
  const wrapper = useRef<HTMLDivElement>(null);
  const stageZoom = useStageZoom({ wrapper, clusters, scene, coveredRight, onHand: view.movedByHand });
  // Whether the last first click on the canvas did something (opened a stage or a cluster, picked a compact card): a
  // double click whose first click it was zooms no further.
  const clickActed = useRef(false);
  // The buttons' Work and Fit are the person's own: what the page kept in view for them goes (a link just drawn).
  const controlsView = useMemo(
    () =>
      onMovedOn
        ? {
            ...view,
            work: () => {
              onMovedOn();
              view.work();
            },
            fit: () => {
              onMovedOn();
              view.fit();
            },
          }
        : view,
    [view, onMovedOn],
  );

  // A task's dependencies change only with the structure, as its dependents do: read from the tasks
  // as they are, the degrees stay one function until the structure changes (not at each status change).
  const latestTasks = useRef(tasks);
  latestTasks.current = tasks;
  const degree = useCallback(
    (id: string) => Math.max(latestTasks.current.get(id)?.after.length ?? 0, dependents.get(id)?.length ?? 0),
    [dependents],
  );
  const routesDrawn = useRoutesDrawn(layout, scene);
  const {
    ids: shownIds,
    edges: routed,
    bundled,
  } = useElementsInPage({
    scene,
    layout,
    drawWindow,
    shown: view.shown,
    reach,
    routesDrawn,
    degree,
  });
  // A dependency just added is drawn at once, before the layout has placed it.
  const edges = useMemo(() => {
    const unrouted = layoutPending ? unroutedEdges(shownIds, tasks, layout) : [];
    return unrouted.length > 0 ? [...routed, ...unrouted] : routed;
  }, [layoutPending, shownIds, tasks, layout, routed]);
  const nodes = elements.build({ ids: shownIds, tasks, runs, states, positions: layout.positions, selectedTask });

  const titles = useSameMap(useMemo(() => titlesOf(tasks), [tasks]));
  const satisfied = useCallback((source: string) => satisfiedStatus(tasks.get(source)), [tasks]);
  // The tag cluster under the pointer: its tasks are shown where they are (its box is only near them).
  const [hovered, setHovered] = useState<Cluster | null>(null);
  const countedLinks = useCountedLinks(staged ? clusters : null, clusterTasks, dependents);
  const overview: OverviewData = useMemo(() => {
    let counts: Awaited<ReturnType<typeof clusterCounts>> | null = null;
    return {
      scene,
      routesDrawn,
      titles,
      states,
      satisfied,
      selected: selectedTask,
      colours,
      clusters,
      clusterNames: names,
      clusterCounts: () => (counts ??= clusterCounts(clusters, states)),
      hovered: drawWindow.level === 'clusters' && hovered && clusters.includes(hovered) ? hovered : null,
      clusterLinks: countedLinks,
      clustersUpTo: clusterUpTo,
    };
  }, [
    scene,
    routesDrawn,
    titles,
    states,
    satisfied,
    selectedTask,
    colours,
    clusters,
    countedLinks,
    names,
    hovered,
    drawWindow.level,
    clusterUpTo,
  ]);

  // Another grouping takes effect at once: its clusters are shown, all of them.
  const regrouped = useEffectEvent(() => view.fitClusters());
  const lastGrouping = useRef(grouping);
  useEffect(() => {
    if (lastGrouping.current === grouping) return;
    lastGrouping.current = grouping;
    regrouped();
  }, [grouping]);

  // Zoomed out to the clusters (the controls, the wheel): a lens gives way to the clusters of every task.
  const reachedClusters = useEffectEvent(() => view.clustersReached());
  const lastLevel = useRef(drawWindow.level);
  useEffect(() => {
    const before = lastLevel.current;
    lastLevel.current = drawWindow.level;
    if (before !== 'clusters' && drawWindow.level === 'clusters') reachedClusters();
  }, [drawWindow.level]);

  // A link from the inspector, the search or another page asked to show this task: the view moves
  // there and the card takes the focus (arrows, Enter and Escape work from it at once).
  // The request is the trigger; the view and the selection are read as they are when it comes.
  const showRequested = useEffectEvent(() => {
    if (!selectedTask) return;
    view.showTask(selectedTask);
    focusCard(selectedTask);
  });
  useEffect(() => {
    if (focusRequest) showRequested();
  }, [focusRequest]);
  // A card selected by a click (or the inspector opening over it) is brought out from under the inspector;
  // the view moving, or the inspector changing width, does not bring it back again.
  const covered = coveredRight > 0;
  const reveal = useEffectEvent((id: string) => view.reveal(id));
  useEffect(() => {
    if (selectedTask && covered) reveal(selectedTask);
  }, [selectedTask, covered]);

  const onNodeClick: NodeMouseHandler<TaskFlowNode> = useCallback((_, node) => selectTask(node.id), [selectTask]);
  const onConnect = useCallback(
    (connection: Connection) => {
      const link = { source: connection.source, target: connection.target };
      // The edit may move the two cards (two tasks without dependencies become a part of their own): the view follows them.
      view.follow(link);
      onLink(link);
    },
    [onLink, view],
  );
  // A dependency already there is let through to onLink, which says so ("Already there"), rather than the drop doing nothing.
  const isValidConnection: IsValidConnection = useCallback((connection) => connection.source !== connection.target, []);
  const deleteEdge = useCallback(
    (edge: SceneEdge) => {
      setSelectedEdge(null);
      onUnlink({ source: edge.source, target: edge.target });
    },
    [onUnlink],
  );
  const title = useCallback((id: string) => titles.get(id) ?? id, [titles]);

  /** Below card zoom a click picks a compact card (and opens it) or a cluster (and zooms into it). */
  const onPaneClick = useCallback(
    (event: MouseEvent) => {
      // The second click of a double click (onDoubleClick): the first one did what a click does.
      if (event.detail > 1) return;
      clickActed.current = false;
      setSelectedEdge(null);
      const zoom = flow.getZoom();
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      if (drawWindow.level === 'compact') {
        for (const id of scene.queryNodes({ x: at.x, y: at.y, width: 1, height: 1 })) {
          const p = layout.positions[id];
          if (p && at.x >= p.x && at.x <= p.x + CARD_WIDTH && at.y >= p.y && at.y <= p.y + CARD_HEIGHT) {
            clickActed.current = true;
            selectTask(id);
            view.showTask(id);
            return;
          }
        }
      } else if (drawWindow.level === 'clusters') {
        const group = clusterAt(clusters, at);
        if (group) clickActed.current = true;
        // A stage is where its cards are: a click zooms into it there to readable cards, as the wheel does.
        if (group?.stage) {
          stageZoom.zoomAt({ x: event.clientX, y: event.clientY }, (now) => Math.max(now, READABLE_ZOOM), 250);
          return;
        }
        if (group) {
          view.openCluster({ ids: group.ids, box: group.opens ?? group.box, name: names.get(group.anchor) ?? 'a cluster' });
          return;
        }
      }
      if (zoom > 0) selectTask(null);
    },
    [flow, drawWindow.level, scene, layout, clusters, names, selectTask, view, stageZoom],
  );

  /** A double click on the canvas (not on a card) zooms in twice as near there, into the stage under it. */
  const onDoubleClick = useCallback(
    (event: MouseEvent) => {
      if (!(event.target instanceof Element) || !event.target.closest('.react-flow__pane')) return;
      if (clickActed.current) return;
      stageZoom.zoomAt({ x: event.clientX, y: event.clientY }, (now) => now * 2, 200);
    },
    [stageZoom],
  );

  /**
   * At cluster zoom a cluster's name and all its counts show as a tooltip (its box may be too
   * small on screen to write them), and at compact zoom a card's whole title (its card may hold
   * only part of it), set on the element: no re-render. A tag cluster under the pointer is state,
   * changed only when the pointer moves onto another cluster.
   */
  const onPaneMouseMove = useCallback(
    (event: MouseEvent) => {
      const element = wrapper.current;
      if (!element) return;
      const at = drawWindow.level === 'cards' ? null : flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const group = at && drawWindow.level === 'clusters' ? clusterAt(clusters, at) : undefined;
      const counts = group && overview.clusterCounts().get(group.anchor);
      let tip = group ? `${names.get(group.anchor) ?? group.anchor}${counts ? `\n${countsText(counts)}` : ''}` : '';
      if (at && drawWindow.level === 'compact') {
        for (const id of scene.queryNodes({ x: at.x, y: at.y, width: 1, height: 1 })) {
          const p = layout.positions[id];
          if (p && at.x >= p.x && at.x <= p.x + CARD_WIDTH && at.y >= p.y && at.y <= p.y + CARD_HEIGHT) tip = titles.get(id) ?? id;
        }
      }
      if (element.title !== tip) element.title = tip;
      const tagged = group?.opens ? group : null;
      if (tagged !== hovered) setHovered(tagged);
    },
    [drawWindow.level, clusters, flow, overview, names, hovered, scene, layout, titles],
  );

  const moveFocus = (id: string) => {
    if (!document.querySelector(`.react-flow__node[data-id="${CSS.escape(id)}"]`)) view.showTask(id, { keepZoom: true });
    focusCard(id);
  };

  // While the view moves, the graph is one composited layer that the compositor only shifts and
  // scales: no repaint or re-layering of every card per frame. Off again at rest, so text is
  // drawn sharp at the final zoom. Set on the element, not in React state: no re-render.
  const onMoveStart = useCallback(
    (event: globalThis.MouseEvent | TouchEvent | null) => {
      wrapper.current?.setAttribute('data-moving', '');
      // Moved by the person (not by the view itself): what it showed on request is theirs to leave.
      if (event) view.movedByHand();
    },
    [view],
  );
  // Edges are not hit-tested once the view has really moved (a press that stays put is a click on an
  // edge, which must reach it: the press alone already starts a move).
  const moved = useRef(false);
  const onMove = useCallback(() => {
    if (moved.current) return;
    moved.current = true;
    wrapper.current?.setAttribute('data-moved', '');
  }, []);
  const onMoveEnd = useCallback(() => {
    moved.current = false;
    wrapper.current?.removeAttribute('data-moving');
    wrapper.current?.removeAttribute('data-moved');
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    const card = (event.target as HTMLElement).closest<HTMLElement>('.react-flow__node');
    const id = card?.dataset.id;
    if (!id || event.target !== card) return;
    const direction = ARROW_DIRECTIONS[event.key];
    if (direction) {
      event.preventDefault();
      event.stopPropagation();
      const next = neighbour(scene, id, direction);
      if (next) moveFocus(next);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      selectTask(id);
      focusInspector(id);
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      onDeleteTask(id);
    }
  };

  return (
    <div ref={wrapper} className="graph-flow" onKeyDownCapture={onKeyDown} data-level={drawWindow.level}>
      <ReactFlow<TaskFlowNode>
        nodes={nodes}
        edges={NO_EDGES}
        nodeTypes={NODE_TYPES}
        onNodeClick={onNodeClick}
        onConnect={onConnect}
        onPaneClick={onPaneClick}
        onPaneMouseMove={onPaneMouseMove}
        onPaneMouseLeave={() => setHovered(null)}
        onDoubleClick={onDoubleClick}
        onMoveStart={onMoveStart}
        onMove={onMove}
        onMoveEnd={onMoveEnd}
        isValidConnection={isValidConnection}
        deleteKeyCode={null}
        nodesDraggable={false}
        minZoom={minZoom}
        maxZoom={MAX_ZOOM}
        zoomOnDoubleClick={false}
        proOptions={PRO_OPTIONS}
        aria-label="Task graph"
      >
        <EdgeMarkers />
        {drawWindow.level === 'cards' && <DotGrid bounds={layout.bounds} />}
        <OverviewCanvas data={overview} />
        {drawWindow.level === 'cards' && (
          <EdgeLayer
            edges={edges}
            bundled={bundled}
            reach={drawWindow.rect}
            satisfied={satisfied}
            title={title}
            selected={selectedEdge}
            onSelect={setSelectedEdge}
            onDelete={deleteEdge}
          />
        )}
        {miniMap.shown && scene.layout.groups.length > 0 && (
          <GraphMiniMap
            scene={scene}
            states={states}
            colours={colours}
            clusters={drawWindow.level === 'clusters' ? clusters : null}
            clusterCounts={overview.clusterCounts}
            coveredRight={coveredRight}
            onHide={() => miniMap.choose(false)}
          />
        )}
        <GraphControls
          view={controlsView}
          miniMap={miniMap.shown}
          onToggleMiniMap={() => miniMap.choose(!miniMap.shown)}
          onZoomIn={() => stageZoom.zoomAt('middle', (now) => now * ZOOM_IN_STEP, 150)}
        />
      </ReactFlow>
    </div>
  );
}

/**
 * Focuses a card, once it is in the page (after the view moved there, it may not be yet). A person who moved the
 * focus elsewhere while it waited keeps theirs.
 */
function focusCard(id: string): void {
  focusWhenShown(() => {
    const found = document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`);
    found?.focus({ preventScroll: true });
    return !!found;
  }, 300);
}

/** Titles by id (the canvas caches wrapped titles by this Map: see useSameMap). */
function titlesOf(tasks: ReadonlyMap<string, Task>): Map<string, string> {
  const titles = new Map<string, string>();
  for (const task of tasks.values()) titles.set(task.id, task.title);
  return titles;
}
