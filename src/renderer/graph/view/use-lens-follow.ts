import { type RefObject, useCallback, useEffect, useRef } from 'react';
import { CARD } from './card';
import { aboutLens } from './lens-words';
import type { LensRequest, WorkFocus } from './view-control-types';
import type { FitPending, LensTried } from './view-control-state';
import { lensFor, readableGrid } from './work-view';

/*
 * The lens shown follows what it frames (the work, a state chip's tasks) while the person has not chosen another
 * view: what becomes running, failed, needs them or ready comes in, what no longer is goes. In place: the page
 * keeps the lens's key, so the cards that stay keep their cells and the view stays where it is (the person may be
 * reading a card); it is fitted again only when the cards no longer fit it and the person has not moved it by
 * hand since the lens was fitted (use-view-control.ts). At most once every FOLLOW_EVERY_MS: a plan that changes many times a
 * second is not laid out again at each change, and a person can follow what comes and goes.
 *
 * A part of the view control (use-view-control.ts) of its own: it runs on the work's changes, not on the view's moves.
 */

/**
 * A lens follows its tasks at most this often: a change alone is shown at once, and a burst of them (an agent
 * pool finishing and starting tasks, a script failing many) lays the lens out again once a second, not at each.
 */
const FOLLOW_EVERY_MS = 1000;

interface LensFollowInputs {
  /** The tasks or their states changed: the lens follows them. */
  work: WorkFocus;
  lensShown: boolean;
  latest: RefObject<{ lensShown: boolean; work: WorkFocus; onLens: (lens: LensRequest | null) => boolean }>;
  lastLens: RefObject<LensTried | null>;
  fitPending: RefObject<FitPending | null>;
}

/** Follows the lens shown; says (`followLaidOut`) while a followed lens asked of the page is not laid out yet. */
export function useLensFollow({ work, lensShown, latest, lastLens, fitPending }: LensFollowInputs): { followLaidOut: RefObject<boolean> } {
  const followedAt = useRef(Number.NEGATIVE_INFINITY);
  const followTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // A followed lens asked of the page, until its layout is shown.
  const followLaidOut = useRef(false);
  const follow = useCallback(() => {
    const tried = lastLens.current;
    const { lensShown: showing, work: focus } = latest.current;
    if (!showing || !tried) return;
    const target = focus.targetOf(tried.target.of);
    if (!target || target.ids.length === 0) return;
    // The room and canvas the lens was made for: an inspector opened since does not take cards away.
    const lens = lensFor(target.ids, target.mostUrgent, tried.space, CARD, focus.lensOf, tried.room, target.acting);
    const { columns, rows } = readableGrid(tried.space, CARD);
    // More of the most urgent kind than one readable screen holds: the first of them (a lens is one screen).
    const ids = lens?.ids ?? target.ids.slice(0, columns * rows);
    lastLens.current = { ...tried, target };
    const asked = { ids, about: aboutLens(target, lens?.whole ?? false), of: target.of, gridColumns: columns, live: true };
    if (!latest.current.onLens(asked)) return;
    followedAt.current = performance.now();
    followLaidOut.current = true;
  }, [latest, lastLens]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: work is the trigger (the tasks or their states changed); follow reads it as it is when it runs
  useEffect(() => {
    if (!lensShown) return;
    const wait = followedAt.current + FOLLOW_EVERY_MS - performance.now();
    if (wait <= 0 && !fitPending.current) {
      follow();
      return;
    }
    if (followTimer.current !== null) return;
    const tick = () => {
      followTimer.current = null;
      if (!latest.current.lensShown) return;
      // A lens being laid out or a fit waiting (W just pressed, a chip's tasks): followed once that is done.
      if (fitPending.current) followTimer.current = setTimeout(tick, FOLLOW_EVERY_MS / 4);
      else follow();
    };
    followTimer.current = setTimeout(tick, Math.max(wait, 0));
  }, [work, lensShown, follow, latest, fitPending]);
  useEffect(
    () => () => {
      if (followTimer.current !== null) clearTimeout(followTimer.current);
    },
    [],
  );

  return { followLaidOut };
}
