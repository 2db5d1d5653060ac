import { ReactFlowProvider } from '@xyflow/react';
import { memo, Suspense, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Task } from '../../shared/task';
import { useClient } from '../api/backend-context';
import { errorMessage } from '../api/op-error';
import { useConfirm } from '../components/confirm';
import { modalOpen } from '../components/Dialog';
import { useElementWidth } from '../hooks/use-element-width';
import { abandonRequest } from '../inspector/abandon-request';
import { TaskInspector } from '../inspector/TaskInspector';
import { useToasts } from '../notifications/toasts';
import { useOpQuery } from '../hooks/use-op-query';
import { useGraph, useGraphRefresh, useGraphStore } from '../state/graph-context';
import type { GraphState } from '../state/graph-store';
import { useNavigation } from '../state/navigation';
import { useProjectFacts } from '../state/project-facts';
import { startsOnRemoval } from './dependency-removal';
import { countByKind, STATE_KINDS, type StateKind, type TaskState } from '../task-state/task-state';
import { useTaskStates } from '../task-state/use-task-states';
import { GraphCanvas } from './GraphCanvas';
import type { KeptDependents } from '../state/dependents';
import {
  filterKey,
  followedLens,
  isFiltering,
  lensFilter,
  matchesFilter,
  neighbourhood,
  NO_FILTER,
  widenedFor,
  type GraphFilter,
} from './graph-filter';
import { GraphToolbar } from './GraphToolbar';
import { hiddenInternal, hiddenKey, internalTaskIds } from './internal-tasks';
import { PauseBanner } from './PauseBanner';
import { ShortcutHelp } from './ShortcutHelp';
import { useDependencyEditing, type DependencyLink } from './use-dependency-editing';
import { useGraphShortcuts } from './use-graph-shortcuts';
import { useGraphLayout } from './use-graph-layout';
import { CLUSTER_GROUPINGS } from './view/clusters';
import type { LensRequest, Reveal, ViewControl, WorkFocus } from './view/view-control-types';
import { readSetting, writeSetting } from './view/view-settings';
import { KeptWorkTarget, keptInWork, neighboursOf, stateTarget, withNeighbours } from './view/work-set';
import type { BoardHandle } from '../board/TaskBoard';
import { useWorkView } from '../board/use-work-view';
import { focusMovedSince, focusWhenShown } from '../components/focus-moved';
import { lazyPart } from '../components/lazy-part';
import { useChatMarks } from '../chat/chat-highlights';

// The form validates with the op registry (zod): loaded when first opened, not at startup.
const TaskForm = lazyPart(() => import('../tasks/TaskForm').then((m) => m.TaskForm), {
  what: 'the task form',
  dialogClose: (props) => props.onCancel,
});
// The chat beside the graph loads when first opened.
const ChatPanel = lazyPart(() => import('../chat/ChatPanel').then((m) => m.ChatPanel), { what: 'the coordinator chat' });
const ArchivedPanel = lazyPart(() => import('../archive/ArchivedPanel').then((m) => m.ArchivedPanel), {
  what: 'the list of archived tasks',
});

/** Every archived task (archive.jsonl is read whole; a person's archive is small). */
const ALL_ARCHIVED = 100_000;
// The board (and its virtualised lists) loads when first shown.
const TaskBoard = lazyPart(() => import('../board/TaskBoard').then((m) => m.TaskBoard), { what: 'the board' });

const GROUPING_KEY = 'wg.cluster-grouping';
const INTERNAL_KEY = 'wg.show-internal';
const CHAT_KEY = 'wg.chat-open';

type FormState = { mode: 'closed' } | { mode: 'create' } | { mode: 'edit'; task: Task };

/** How far the focus reaches: two dependency links before and after the task at first, one to five by choice. */
const FOCUS_STEPS = 2;
const MOST_FOCUS_STEPS = 5;

const NOTHING_LINKED: readonly string[] = [];

/** Focus on a task (its neighbourhood only), or back to all when already focused on it; the steps chosen are kept. A lens gives way. */
const focusOn = (filter: GraphFilter, id: string | null): GraphFilter =>
  !id
    ? filter
    : filter.focus?.id === id
      ? { ...filter, focus: null, lens: null }
      : { ...filter, focus: { id, steps: filter.focus?.steps ?? FOCUS_STEPS }, lens: null };

/** A filter chosen in the toolbar (a tag, finished work hidden, all shown): of every task, not of a lens. */
const chosen = (filter: GraphFilter): GraphFilter => ({ ...filter, lens: null });

const NOT_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image', 'hidden']);

/** The text box (a textarea, a text-like input, an editable element) `target` is, when something is typed in it. */
function boxWithText(target: EventTarget | null): HTMLElement | null {
  if (target instanceof HTMLTextAreaElement) return target.value !== '' ? target : null;
  if (target instanceof HTMLInputElement) return !NOT_TEXT_INPUTS.has(target.type) && target.value !== '' ? target : null;
  return target instanceof HTMLElement && target.isContentEditable && (target.textContent ?? '') !== '' ? target : null;
}

const isStateKind = (of: string): of is StateKind => (STATE_KINDS as readonly string[]).includes(of);

/** A set of states with `kind` added, or taken out when it was in. */
function toggled(states: ReadonlySet<StateKind>, kind: StateKind): Set<StateKind> {
  const next = new Set(states);
  if (!next.delete(kind)) next.add(kind);
  return next;
}

/** One step more or fewer around the focused task, within one to MOST_FOCUS_STEPS. */
const stepFocus = (filter: GraphFilter, by: number): GraphFilter =>
  filter.focus
    ? { ...filter, focus: { ...filter.focus, steps: Math.min(MOST_FOCUS_STEPS, Math.max(1, filter.focus.steps + by)) } }
    : filter;

/**
 * The graph page: toolbar, pause banner, canvas, the selected task's inspector over it and the task
 * form. It draws the graph as it was a moment ago: a change (the first snapshot of 10,000 tasks, a
 * status) is drawn in a deferred render, in which React hands the thread back between components,
 * not in the task that brought it. The states are worked out here, the rest in GraphView.
 */
export function GraphPage() {
  const latest = useDeferredValue(useGraph());
  // The store's (boot.ts made the first snapshot's): for the states and the first view's neighbours.
  const keptDependents = useGraphStore().dependents;
  // The graph drawn is the one whose states are whole (a big plan's are worked out in time slices): before the
  // first, none yet, as before the first snapshot.
  // The work target looks at every task of a plan read from nothing (30 ms at 50,000): in the states' time slices.
  const [keptTarget] = useState(() => new KeptWorkTarget());
  const { graph, states } =
    useTaskStates(latest, keptDependents, (whole, wholeStates, due) => keptTarget.steps(whole.tasks, wholeStates, Date.now(), due)) ??
    NOTHING_YET;
  // Deferred as the states are (useTaskStates): known together with the states read from the facts.
  // The canvas waits for them: before the executors are read, a task waiting for a person looks
  // ready, and the first view would frame the work without it.
  const factsKnown = useDeferredValue(useProjectFacts().loaded);
  return <GraphView graph={graph} states={states} factsKnown={factsKnown} keptDependents={keptDependents} keptTarget={keptTarget} />;
}

/** What the page draws before the first states are whole: the graph as the store has it before its first snapshot. */
const NOTHING_YET: { graph: GraphState; states: ReadonlyMap<string, TaskState> } = {
  graph: { rev: 0, loaded: false, tasks: new Map(), agents: new Map(), structureVersion: 0, error: null },
  states: new Map(),
};

const GraphView = memo(function GraphView({
  graph,
  states,
  factsKnown,
  keptDependents,
  keptTarget,
}: {
  graph: GraphState;
  states: ReadonlyMap<string, TaskState>;
  factsKnown: boolean;
  keptDependents: KeptDependents;
  keptTarget: KeptWorkTarget;
}) {
  const { tasks, agents, structureVersion, loaded } = graph;
  const { selectedTask, selectTask, page } = useNavigation();
  const [filter, setFilter] = useState<GraphFilter>(NO_FILTER);
  const [form, setForm] = useState<FormState>({ mode: 'closed' });
  const [grouping, setGrouping] = useState(() => readSetting(GROUPING_KEY, CLUSTER_GROUPINGS, 'connected'));
  // Upstream's system tasks folded away unless asked for (internal-tasks.ts): left out of everything below.
  const [showInternal, setShowInternal] = useState(() => readSetting(INTERNAL_KEY, ['true', 'false'], 'false') === 'true');
  // biome-ignore lint/correctness/useExhaustiveDependencies: structureVersion is bumped whenever a task is added or removed, and which tasks are internal is read from their ids
  const internal = useMemo(() => internalTaskIds(tasks.values()), [structureVersion]);
  const hiddenBefore = useRef<ReadonlySet<string>>(new Set());
  const leftOut = useMemo(() => hiddenInternal(internal, states, showInternal, hiddenBefore.current), [internal, states, showInternal]);
  hiddenBefore.current = leftOut;
  const counts = useMemo(() => countByKind(states, leftOut), [states, leftOut]);
  // What the person's own filter shows (the states, tag and finished work they chose), without the folded internal
  // tasks: the work and a chip's tasks are framed within it (null: every task). Not made again when only a lens changes.
  const within = useMemo(() => {
    const own: GraphFilter = { states: filter.states, tag: filter.tag, hideFinished: filter.hideFinished };
    if (!isFiltering(own) && leftOut.size === 0) return null;
    const ids = new Set<string>();
    for (const task of tasks.values()) if (!leftOut.has(task.id) && matchesFilter(task, states.get(task.id), own)) ids.add(task.id);
    return ids;
  }, [tasks, states, filter.states, filter.tag, filter.hideFinished, leftOut]);
  // That around a focused task: the board's tasks, and the graph's when no lens is shown.
  const focus = filter.focus;
  const picked = useMemo(() => {
    if (!focus) return within;
    const ids = new Set<string>();
    for (const id of neighbourhood(tasks, focus.id, focus.steps)) if (!within || within.has(id)) ids.add(id);
    return ids;
  }, [tasks, within, focus]);
  // What the graph shows: that, or a lens the view framed (the work, a state chip's tasks) within the person's own
  // filter, which the board knows nothing of.
  const lensIds = filter.lens?.ids;
  const shown = useMemo(
    () => (lensIds ? new Set(lensIds.filter((id) => tasks.has(id) && (!within || within.has(id)))) : picked),
    [lensIds, tasks, within, picked],
  );
  const criteria = `${filterKey(filter)}|${hiddenKey(leftOut)}`;
  const lens = filter.lens;
  const lensLayout = useMemo(() => (lens ? { order: lens.ids, gridColumns: lens.gridColumns } : undefined), [lens]);
  // Drawn with a long plan set in rows of its stages: the stage map and the cards are one picture.
  const { layout, pending } = useGraphLayout(tasks, structureVersion, shown, criteria, lensLayout);
  // What the first view and W frame: the tasks a person acts on, and their neighbours for context.
  // biome-ignore lint/correctness/useExhaustiveDependencies: structureVersion is the version of the dependencies the index reads; a status change leaves it as it is
  const dependents = useMemo(() => keptDependents.update(tasks), [structureVersion]);
  // Kept from one graph to the next (GraphPage's): only the tasks whose task or state changed are looked at again.
  // The two tasks of the last link the person drew: kept in the work until they move on (keptInWork).
  const [linked, setLinked] = useState<readonly string[]>([]);
  const work: WorkFocus = useMemo(() => {
    // Within the person's own filter (which leaves the folded internal tasks out too): a neighbour it hides is not shown.
    const neighbours = (id: string) => {
      const all = neighboursOf(id, tasks, dependents);
      return within ? all.filter((other) => within.has(other)) : all;
    };
    const target = keptInWork(keptTarget.update(tasks, states, Date.now(), leftOut, within), linked, tasks, within);
    return {
      target,
      neighbours,
      lensOf: (ids, room) => withNeighbours(ids, neighbours, room),
      // A lens shown follows what it frames (use-view-control.ts): the work, or a state chip's tasks, as they are now.
      targetOf: (of) => (of === 'work' ? target : isStateKind(of) ? stateTarget(states, of, leftOut, within) : null),
    };
  }, [tasks, states, dependents, keptTarget, leftOut, within, linked]);
  const currentFilter = useRef(filter);
  currentFilter.current = filter;
  const onLens = useCallback((request: LensRequest | null) => {
    const current = currentFilter.current;
    // Kept at once, not at the next render: a task asked for meanwhile is brought into this lens (reveal, below).
    if (request?.live) {
      // The lens shown, following its tasks: the same key (laid out in place), its tasks now.
      const next = followedLens(current, request.of, request.ids, request.about);
      if (next === current) return false;
      currentFilter.current = next;
      setFilter((now) => followedLens(now, request.of, request.ids, request.about));
      return true;
    }
    const next = request ? lensFilter(request, current) : { ...current, lens: null };
    if ((next.lens?.key ?? null) === (current.lens?.key ?? null)) return false;
    currentFilter.current = next;
    setFilter((now) => (request ? lensFilter(request, now) : { ...now, lens: null }));
    return true;
  }, []);
  // Every way of showing a task (a link, a notice's Show, a search result, a card chosen on the board, another page)
  // comes through the view's showTask, which asks here when the picture leaves the task out: the filter is widened
  // just enough to show it (widenedFor), and the view goes to it once it is laid out.
  const revealFrom = useRef({ tasks, states, leftOut, shown });
  revealFrom.current = { tasks, states, leftOut, shown };
  const reveal = useCallback((id: string): Reveal => {
    const { tasks: all, states: now, leftOut: folded, shown: onScreen } = revealFrom.current;
    // A folded internal task has no card to show; one not arrived yet (just created) is shown when it comes.
    if (folded.has(id)) return 'absent';
    const current = currentFilter.current;
    const next = widenedFor(current, id, all, now.get(id));
    if (next !== current) {
      currentFilter.current = next;
      setFilter((latest) => widenedFor(latest, id, all, now.get(id)));
    }
    // Widened, but in what is laid out now (a lens asked for a moment ago let go again): the picture on screen shows it.
    return next !== current && onScreen && !onScreen.has(id) ? 'widened' : 'shown';
  }, []);
  // A lens of the work shows the next few ready tasks, not every one: how many more are ready, said beside it.
  const moreReady = useMemo(() => {
    if (lens?.of !== 'work' || !shown) return 0;
    let ready = 0;
    let inLens = 0;
    if (!within) ready = counts.ready;
    else for (const id of within) if (states.get(id)?.kind === 'ready') ready++;
    for (const id of shown) if (states.get(id)?.kind === 'ready') inLens++;
    return Math.max(0, ready - inLens);
  }, [lens?.of, shown, within, states, counts.ready]);
  const dependencies = useDependencyEditing();
  // Every change counts: a tag added to a task (not a change of the structure) is in the filter's list at once.
  // The tag menu's tags: only the tasks that changed are read again (a status change does not walk the plan).
  // The store's (boot.ts made the first snapshot's in time slices).
  const keptTags = useGraphStore().tags;
  const tags = useMemo(() => keptTags.update(tasks), [keptTags, tasks]);
  const [inspector, inspectorWidth] = useElementWidth<HTMLElement>();
  const view = useRef<ViewControl | null>(null);
  const boardControl = useRef<BoardHandle | null>(null);
  const confirm = useConfirm();
  const toasts = useToasts();
  const client = useClient();
  const refresh = useGraphRefresh();
  const archive = useOpQuery(
    useCallback(() => client['archive:search']({ query: '', limit: ALL_ARCHIVED }), [client]),
    { onChange: true },
  );
  const [archivedOpen, setArchivedOpen] = useState(false);
  // One panel at a time on the right: a task chosen closes the archive, and opening it lets the task go.
  useEffect(() => {
    if (selectedTask) setArchivedOpen(false);
  }, [selectedTask]);
  const toggleArchived = useCallback(() => {
    setArchivedOpen((open) => !open);
    selectTask(null);
  }, [selectTask]);
  const workView = useWorkView();
  const onBoard = workView.view === 'board';
  // The panel opened over the canvas (once it has a width): the graph moved into the part it leaves clear, as the first view places it.
  const archiveCovers = archivedOpen && !selectedTask && !onBoard && inspectorWidth > 0;
  useEffect(() => {
    if (archiveCovers) view.current?.work();
  }, [archiveCovers]);
  // The canvas is put in the page when the graph is first shown and then kept (hidden under the board), so its view survives.
  const [graphShown, setGraphShown] = useState(false);
  if (workView.view === 'graph' && !graphShown) setGraphShown(true);

  // Escape closes the inspector (dialogs, menus and the search list handle their own Escape first).
  useEffect(() => {
    if (page !== 'graph' || !selectedTask) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || modalOpen()) return;
      // Escape in a box with text in it is not "close": closing would take the text away with the inspector. In the
      // inspector it leaves the box for the inspector's heading, so a second Escape closes; elsewhere it does nothing.
      const box = boxWithText(event.target);
      if (box) {
        box.closest('.inspector')?.querySelector<HTMLElement>('.inspector-title')?.focus();
        return;
      }
      const id = selectedTask;
      selectTask(null);
      // Back to the card the inspector was about, as a dialog returns focus to its opener; unless the person
      // has moved the focus somewhere else meanwhile (an arrow pressed before the next frame): that is theirs.
      // On the board through the board, which scrolls the card's column to it first (a card out of view is not in the page).
      const from = document.activeElement;
      requestAnimationFrame(() => {
        if (focusMovedSince(from)) return;
        // A card the filter hides now (a task marked done under the Ready chip): the board's tab stop, not the body.
        if (onBoard) {
          if (!boardControl.current?.focusTask(id)) document.querySelector<HTMLElement>('.task-board .board-card[tabindex="0"]')?.focus();
        } else document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`)?.focus();
      });
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [page, selectedTask, selectTask, onBoard]);

  // What the link means (running, done), its Undo and any refusal are the hook's notices.
  // What it linked stays in the work (a card made waiting by it stays on screen, with its new edge) until the person
  // moves on: another task chosen, another view asked for.
  const linkDependency = useCallback(
    async (made: DependencyLink) => {
      const linkedNow = await dependencies.link(made);
      if (linkedNow) setLinked([made.source, made.target]);
      return linkedNow;
    },
    [dependencies],
  );
  useEffect(() => {
    if (selectedTask) setLinked((kept) => (kept.includes(selectedTask) ? kept : NOTHING_LINKED));
  }, [selectedTask]);
  const movedOn = useCallback(() => setLinked(NOTHING_LINKED), []);

  const { service } = useProjectFacts();
  const unlink = useCallback(
    async (link: DependencyLink) => {
      const title = (id: string) => tasks.get(id)?.title ?? id;
      // Else the task it freed starts within two seconds, and Undo puts the edge back under a run.
      if (startsOnRemoval(link, tasks, service)) {
        const answer = await confirm({
          title: `Remove the dependency and start “${title(link.target)}” now?`,
          body: `“${title(link.target)}” waits for “${title(link.source)}” alone: without it, the coordinator starts its agent at once. Undo can put the dependency back, not take back a run that started.`,
          confirmLabel: 'Remove and start',
        });
        if (!answer) return;
      }
      if (!(await dependencies.unlink([link]))) return;
      toasts.pushUndo(
        `Removed a dependency`,
        () => void dependencies.link(link, { restoring: true }),
        `“${title(link.target)}” no longer waits for “${title(link.source)}”.`,
      );
    },
    [dependencies, tasks, toasts, service, confirm],
  );

  const askToAbandon = useCallback(
    async (id: string) => {
      const task = tasks.get(id);
      if (!task) return;
      // Said, not silently ignored: Delete seemed not to work.
      if (task.status === 'done' || task.status === 'abandoned') {
        toasts.push({
          tone: 'info',
          title: `“${task.title}” is ${task.status}: it is not abandoned`,
          body:
            task.status === 'done'
              ? 'A finished task stays finished. To do it again, open it and choose Reopen.'
              : 'It is abandoned already. To take it up again, open it and choose Retry.',
          key: 'delete-finished',
        });
        return;
      }
      const answer = await confirm(abandonRequest(task));
      if (!answer) return;
      try {
        await client['task:abandon']({ id, reason: answer.reason || undefined });
        await refresh();
      } catch (error) {
        toasts.push({ tone: 'error', title: 'Could not abandon the task', body: errorMessage(error) });
      }
    },
    [tasks, confirm, client, refresh, toasts],
  );

  const find = useCallback(
    (id: string) => {
      // On the graph the view brings the task in (reveal, through showTask); the board has no view: its filter is widened here.
      if (onBoard) reveal(id);
      selectTask(id, true);
    },
    [onBoard, reveal, selectTask],
  );
  // A task chosen on the board is shown when the graph is (the inspector stays open on it: its card must be there,
  // for the person to see it and for Escape to return to it), as a link from elsewhere shows it. The selection the
  // graph was left with is not: the view stays where the person left it.
  const leftWith = useRef<{ board: boolean; selected: string | null }>({ board: onBoard, selected: selectedTask });
  useEffect(() => {
    const before = leftWith.current;
    if (before.board === onBoard) return;
    leftWith.current = { board: onBoard, selected: selectedTask };
    if (!onBoard && before.board && selectedTask && selectedTask !== before.selected) selectTask(selectedTask, true);
  }, [onBoard, selectedTask, selectTask]);
  const onViewControl = useCallback((control: ViewControl) => {
    view.current = control;
  }, []);
  // What the coordinator's answer made or changed is brought into view (beside the chat, which took room from the
  // canvas): the first of them, at the zoom the person chose; the rest are marked around it.
  const chatMarks = useChatMarks();
  useEffect(() => {
    const first = chatMarks.values().next().value;
    if (first !== undefined && !onBoard) view.current?.showTask(first, { keepZoom: true });
  }, [chatMarks, onBoard]);
  const [help, setHelp] = useState(false);
  // Kept like the other choices of the view: a window reopened shows the chat where it was left.
  const [chatOpen, setChatOpen] = useState(() => readSetting(CHAT_KEY, ['true', 'false'], 'false') === 'true');
  // Opened by the person (not kept from before): the focus goes to its box, to write at once.
  const [chatAsked, setChatAsked] = useState(false);
  const toggleChat = useCallback(() => {
    setChatAsked(true);
    setChatOpen((open) => writeSetting(CHAT_KEY, open ? 'false' : 'true') === 'true');
  }, []);
  const selected = useRef(selectedTask);
  selected.current = selectedTask;
  const { choose: chooseView } = workView;
  const shortcuts = useMemo(
    () => ({
      newTask: () => setForm({ mode: 'create' }),
      search: () => {
        const box = document.querySelector<HTMLInputElement>('.graph-toolbar input[aria-label="Search tasks"]');
        box?.focus();
        // The last search selected, so what is typed next replaces it rather than being added to its end.
        box?.select();
      },
      // On the board, Fit and Work show the graph and do their part there.
      fit: () => {
        movedOn();
        showGraph(chooseView, onBoard, () => view.current?.fit());
      },
      work: () => {
        movedOn();
        showGraph(chooseView, onBoard, () => view.current?.work());
      },
      board: () => {
        // The card with the focus keeps it in the other view: the focus fell to the page, where the arrows do nothing.
        const card = document.activeElement?.closest<HTMLElement>('.board-card[data-id], .react-flow__node[data-id]');
        const id = card?.dataset.id;
        const toBoard = !onBoard;
        chooseView(toBoard ? 'board' : 'graph');
        if (!id) return;
        const cardIn = (selector: string) => document.querySelector<HTMLElement>(`${selector}[data-id="${CSS.escape(id)}"]`);
        // From the next frame, once the view chosen is drawn, each frame for a second at most: the board's code may
        // still be loading.
        requestAnimationFrame(() => {
          if (toBoard)
            focusWhenShown(
              () => !!boardControl.current?.focusTask(id),
              60,
              // Not among the board's cards (a done task under a closed column): the board's own tab stop.
              () => document.querySelector<HTMLElement>('.task-board .board-card[tabindex="0"]')?.focus(),
            );
          else focusWhenShown(() => focused(cardIn('.react-flow__node')), 60);
        });
      },
      help: () => setHelp(true),
      chat: toggleChat,
      focus: () => setFilter((current) => focusOn(current, selected.current)),
      // Only while focused: otherwise + and - are nobody's keys here.
      ...(filter.focus
        ? { more: () => setFilter((current) => stepFocus(current, 1)), fewer: () => setFilter((current) => stepFocus(current, -1)) }
        : {}),
    }),
    [filter.focus, chooseView, onBoard, movedOn, toggleChat],
  );
  useGraphShortcuts(page === 'graph' && form.mode === 'closed', shortcuts);

  return (
    <div className="graph-page">
      <GraphToolbar
        filter={onBoard ? chosen(filter) : filter}
        onFilter={(next) => setFilter(chosen(next))}
        tags={tags}
        counts={counts}
        shown={(onBoard ? picked : shown)?.size ?? tasks.size}
        total={tasks.size - leftOut.size}
        moreReady={onBoard ? 0 : moreReady}
        tasks={tasks}
        states={states}
        internal={{
          count: internal.size,
          hidden: leftOut.size,
          shown: showInternal,
          onShow: (show) => setShowInternal(writeSetting(INTERNAL_KEY, show ? 'true' : 'false') === 'true'),
        }}
        leftOut={leftOut}
        onNewTask={() => setForm({ mode: 'create' })}
        onFind={find}
        onFrame={(kind) => {
          movedOn();
          // On the board a chip shows only that state's tasks (a second click, all again): there is no view to frame them in.
          if (onBoard || filter.states.has(kind)) setFilter((current) => chosen({ ...current, states: toggled(current.states, kind) }));
          // The chip of the tasks a lens shows now: every task again (that the person's own filter shows).
          else if (filter.lens?.of === kind) setFilter(chosen);
          else view.current?.frame(stateTarget(states, kind, leftOut, within));
        }}
        grouping={grouping}
        onGrouping={(choice) => setGrouping(writeSetting(GROUPING_KEY, choice))}
        onHelp={() => setHelp(true)}
        archivedCount={archive.data?.length ?? null}
        archivedOpen={archivedOpen}
        onArchived={toggleArchived}
        view={workView.view}
        onView={chooseView}
      />
      <PauseBanner />
      <div className="graph-with-chat">
        <div className="graph-body">
          {onBoard && (
            <Suspense fallback={null}>
              <TaskBoard
                tasks={tasks}
                agents={agents}
                states={states}
                shown={picked}
                hideFinished={!!filter.hideFinished}
                coveredRight={selectedTask || archivedOpen ? inspectorWidth : 0}
                onDeleteTask={askToAbandon}
                counts={counts}
                ref={boardControl}
              />
            </Suspense>
          )}
          <div className={onBoard ? 'graph-canvas hidden' : 'graph-canvas'} data-testid="graph-canvas">
            {loaded && tasks.size === 0 && (
              <div className="graph-empty">
                <p>No tasks yet.</p>
                <button type="button" className="primary" onClick={() => setForm({ mode: 'create' })}>
                  Create the first task
                </button>
              </div>
            )}
            {loaded && shown?.size === 0 && tasks.size > 0 && (
              <div className="graph-empty">
                <p>No task matches the filter.</p>
              </div>
            )}
            {pending && tasks.size > 0 && (
              <div className="graph-status" role="status">
                Laying out {(shown?.size ?? tasks.size).toLocaleString()} tasks…
              </div>
            )}
            {layout.notice && (
              <div className="graph-notice" role="alert">
                {layout.notice}
              </div>
            )}
            <CanvasSlot mounted={graphShown && factsKnown}>
              <GraphCanvas
                onMovedOn={movedOn}
                tasks={tasks}
                agents={agents}
                layout={layout}
                layoutPending={pending}
                states={states}
                work={work}
                onLens={onLens}
                lensShown={!!lens}
                filterKey={criteria}
                coveredRight={selectedTask || archivedOpen ? inspectorWidth : 0}
                onLink={(made) => void linkDependency(made)}
                onUnlink={(link) => void unlink(link)}
                onDeleteTask={(id) => void askToAbandon(id)}
                onViewControl={onViewControl}
                grouping={grouping}
                focusTask={filter.focus?.id ?? null}
                dependents={dependents}
                reveal={reveal}
              />
            </CanvasSlot>
          </div>
          {selectedTask && (
            <TaskInspector
              ref={inspector}
              key={selectedTask}
              taskId={selectedTask}
              state={states.get(selectedTask)}
              onEdit={() => {
                const task = tasks.get(selectedTask);
                if (task) setForm({ mode: 'edit', task });
              }}
              focused={filter.focus?.id === selectedTask}
              onFocus={() => setFilter((current) => focusOn(current, selectedTask))}
              onClose={() => selectTask(null)}
            />
          )}
          {archivedOpen && !selectedTask && (
            <Suspense fallback={null}>
              <ArchivedPanel ref={inspector} tasks={archive.data} reload={archive.reload} onClose={() => setArchivedOpen(false)} />
            </Suspense>
          )}
        </div>
        {chatOpen && (
          <Suspense fallback={null}>
            <ChatPanel placement="panel" onClose={toggleChat} autoFocus={chatAsked} />
          </Suspense>
        )}
      </div>
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
      {form.mode !== 'closed' && (
        <Suspense fallback={null}>
          <TaskForm
            task={form.mode === 'edit' ? form.task : undefined}
            onCancel={() => setForm({ mode: 'closed' })}
            onDone={(id) => {
              setForm({ mode: 'closed' });
              // A lens holds only what it framed: the new task is shown with every other.
              setFilter((current) => (current.lens ? { ...current, lens: null } : current));
              selectTask(id, true);
            }}
          />
        </Suspense>
      )}
    </div>
  );
});

/** The canvas, once the graph has been shown: a project that opens on the board lays out its view when first asked. */
function CanvasSlot({ mounted, children }: { mounted: boolean; children: ReactNode }) {
  return mounted ? <ReactFlowProvider>{children}</ReactFlowProvider> : null;
}

/** Shows the graph (from the board) and then moves its view, once the canvas is in the page. */
/** Focuses `element` and says whether it took the focus (a card in a view still hidden does not). */
function focused(element: HTMLElement | null): boolean {
  element?.focus({ preventScroll: true });
  return !!element && document.activeElement === element;
}

function showGraph(choose: (view: 'graph') => void, fromBoard: boolean, move: () => void): void {
  if (!fromBoard) {
    move();
    return;
  }
  choose('graph');
  requestAnimationFrame(() => requestAnimationFrame(move));
}
