import { startTransition, useCallback, useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import type { Task } from '../../shared/task';
import { simpleLayout } from './layout/layout-runner';
import { useLayoutRunner } from './layout/layout-runner-context';
import type { KeptLayoutInputs, LensLayout } from './layout/layout-input';
import { EMPTY_LAYOUT, type GraphLayout, type LayoutInput } from './layout/layout-types';
import { workFocus } from './view/work-focus';
import { WrappedPlans } from './view/wrapped-plan';
import { errorText } from '../../shared/errors';
import { neverDue, type Steps, toEnd } from '../../shared/steps';
import { restInSlices, TimeSlices } from '../scheduling/time-slices';

export interface GraphLayoutState {
  layout: GraphLayout;
  /** True while the layout for the current structure (or filter) is still being computed. */
  pending: boolean;
}

/**
 * Positions and edge routes for the tasks shown, as drawn (a long plan wrapped in rows of its
 * stages: wrapped-plan.ts). Recomputed only when `structureVersion` changes (a task added or its
 * dependencies edited) or the set of tasks a filter shows does (a filter by
 * state changes with statuses), never for status changes alone. The
 * unfiltered layout keeps its places from one edit to the next (see packGroups); a filtered one is
 * laid out on its own, and clearing the filter brings the unfiltered one back as it was.
 */
export function useGraphLayout(
  tasks: ReadonlyMap<string, Task>,
  structureVersion: number,
  shown: ReadonlySet<string> | null,
  /** What the filter asks for (not which tasks it lets through): a new filter is laid out afresh. */
  criteria: string,
  /** A lens: its tasks' order and the widest its grid may be. */
  lens?: LensLayout,
): GraphLayoutState {
  const filterKey = shown ? setKey(shown) : null;
  const runner = useLayoutRunner();
  // Kept from one structure to the next (the runner's: boot.ts made the first graph's): only the tasks that changed are read again.
  const keptInput = runner.input;
  // Keyed on the structure version, the set shown and the lens alone: they change exactly when the input does.
  // A change read from what was kept is made at once; one read from nothing (a new filter or lens: "Hide finished" on a
  // 50,000-task plan, 30,000 cards and their edges, was a task of about 100 ms in the click) goes on in time slices
  // after its first, while the picture shown stays, pending.
  // A read overtaken while still in slices (a status change that changed what Hide finished lets through, say): the
  // next one is read whole in its render, so that changes coming faster than a sliced read always end in a picture.
  const slicing = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: structureVersion is the version of what the layout's input reads from tasks (ids and dependencies: the graph store bumps it when either changes) and filterKey the content of shown; keyed on the objects, a status change would lay the graph out again
  const made = useMemo(
    () => firstSlice(keptInput.steps.bind(keptInput), tasks, shown, lens, slicing.current),
    [structureVersion, filterKey, lens],
  );
  const [sliced, setSliced] = useState<{ of: InputMade; input: LayoutInput } | null>(null);
  useEffect(() => {
    slicing.current = made.rest !== null;
    if (made.rest === null) return;
    let current = true;
    // Given up, a read from nothing keeps nothing: KeptLayoutInput.steps keeps its input only at its end.
    void restInSlices(made.rest, made.slices, () => current)
      .catch((error: unknown) => {
        // Never a "Laying out…" that does not end: read at once, as before slices (a fault there is the page's).
        console.warn(`layout: reading the tasks in slices failed: ${errorText(error)}`);
        return current ? made.whole() : null;
      })
      .then((input) => {
        if (!input) return;
        slicing.current = false;
        setSliced({ of: made, input });
      });
    return () => {
      current = false;
    };
  }, [made]);
  const [state, setLayoutState] = useState<{ input: LayoutInput; layout: GraphLayout; complete: boolean } | null>(null);
  // Until a sliced read is done, the input of the last render committed with one stays (its picture, pending).
  const ready = made.input ?? (sliced?.of === made ? sliced.input : null);
  const lastReady = useRef<LayoutInput | null>(null);
  useEffect(() => {
    if (ready) lastReady.current = ready;
  }, [ready]);
  const input = ready ?? lastReady.current ?? EMPTY_INPUT;
  const [plans] = useState(() => new WrappedPlans());
  // Each picture is drawn (a long plan wrapped in rows: WrappedPlans, in time slices) before it is
  // shown, one after the other; then rendered in a transition: React hands the thread back between
  // components, so showing a big graph's layout is no single long task.
  const setState = useCallback(
    (next: { input: LayoutInput; layout: GraphLayout; complete: boolean }) =>
      void plans
        .update(next.layout)
        .catch((error: unknown) => {
          // Never no picture: the layout as laid out, its stages read where they are.
          console.warn(`layout: drawing it in rows failed: ${errorText(error)}`);
          return next.layout;
        })
        .then((layout) => startTransition(() => setLayoutState({ ...next, layout }))),
    [plans],
  );
  const unfiltered = useRef<GraphLayout | null>(null);
  const filtered = useRef<{ criteria: string; layout: GraphLayout } | null>(null);
  const first = useRef(true);

  // Starts laying out `next`. The tasks, the filter and the picture shown are read as they are when it
  // starts: only a new input starts a layout again (an effect event, not a dependency of the effect).
  const start = useEffectEvent((next: LayoutInput, isCurrent: () => boolean) => {
    const isFirst = first.current;
    first.current = false;
    // Tasks entering or leaving the same filter keep the others in place; a new filter starts afresh.
    const previous = filterKey === null ? unfiltered.current : filtered.current?.criteria === criteria ? filtered.current.layout : null;
    runner
      .run(next, {
        previous,
        // The first layout lays out where work happens first, so the first view can show it.
        priority: isFirst ? workFocus(tasks.values()) : undefined,
        // Only a first picture is shown part by part; later ones keep the previous picture until done.
        onProgress:
          previous || (state && state.layout.groups.length > 0)
            ? undefined
            : (layout) => {
                if (!isCurrent()) return;
                if (isFirst) performance.mark('wg:first-picture');
                setState({ input: next, layout, complete: false });
              },
      })
      .then(
        (layout) => {
          if (!isCurrent() || !layout) return;
          if (isFirst) performance.mark('wg:layout-done');
          if (filterKey === null) unfiltered.current = layout;
          else filtered.current = { criteria, layout };
          setState({ input: next, layout, complete: true });
        },
        // Never a "Laying out…" that does not end: the simpler layout, with its notice.
        (error: unknown) => simpleLayout(next, error).then((layout) => isCurrent() && setState({ input: next, layout, complete: true })),
      );
  });

  useEffect(() => {
    // Nothing to lay out (the graph has not arrived, or is empty): not the first layout yet either.
    if (input.nodes.length === 0) {
      setState({ input, layout: EMPTY_LAYOUT, complete: true });
      return;
    }
    let current = true;
    start(input, () => current);
    return () => {
      current = false;
    };
  }, [input, setState]);

  return { layout: state?.layout ?? EMPTY_LAYOUT, pending: ready === null || state?.input !== input || !state.complete };
}

/** The layout's input as far as its first time slice made it: whole (`input`), or the steps still to run (`rest`). */
interface InputMade {
  input: LayoutInput | null;
  rest: Steps<LayoutInput> | null;
  slices: TimeSlices;
  /** The same read made afresh, whole (where the slices failed). */
  whole: () => LayoutInput;
}

const EMPTY_INPUT: LayoutInput = { nodes: [], edges: [] };

function firstSlice(
  steps: KeptLayoutInputs['steps'],
  tasks: ReadonlyMap<string, Task>,
  shown: ReadonlySet<string> | null,
  lens: LensLayout | undefined,
  atOnce: boolean,
): InputMade {
  const slices = new TimeSlices();
  const whole = () => toEnd(steps(tasks, shown, lens, neverDue));
  if (atOnce) return { input: whole(), rest: null, slices, whole };
  const rest = steps(tasks, shown, lens, () => slices.due());
  const first = rest.next();
  return first.done ? { input: first.value, rest: null, slices, whole } : { input: null, rest, slices, whole };
}

/** An order-independent fingerprint of a set of ids: their count and the sum of their hashes. */
function setKey(ids: ReadonlySet<string>): string {
  let sum = 0;
  for (const id of ids) {
    let hash = 2166136261;
    for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619);
    sum = (sum + (hash >>> 0)) % 4294967296;
  }
  return `${ids.size}:${sum}`;
}
