import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { EventWindow } from './event-window';
import { RunEventRow } from './RunEventRow';

/**
 * Chromium caps an element's height near 33.5 million pixels; past this many rows only the newest
 * are scrollable (the rest stay reachable with `wg output --offset`).
 */
const MAX_ROWS = 1_000_000;
const ROW_ESTIMATE = 20;
/**
 * `.output-rows` (output.css) pads the rows 6px above and below, which the virtualizer does not measure: the element
 * ends 12px past the virtualizer's last row. Counted at its end, the end it scrolls to is the element's, with the last
 * row whole on screen (6px of it was cut off).
 */
const ROWS_PADDING = 12;
/** How close to the bottom (px) still counts as "following the tail". */
const TAIL_SLACK = 48;
/**
 * How long after the person's last wheel, scrolling key, touch or press on the output a scroll is taken as theirs: a
 * wheel notch or a Page Up is drawn as a smooth scroll over the frames after its event, and on a loaded machine its
 * first frame can come late (500 ms was missed on CI). Coming back to the end ends it sooner (see `reachedEnd`), so
 * the page's own scrolls after it are never taken for the person's.
 */
const PERSON_SCROLL_MS = 2000;

/** The keys that scroll the focused output. */
const SCROLL_KEYS = new Set(['PageUp', 'PageDown', 'ArrowUp', 'ArrowDown', 'Home', ' ']);

/**
 * Whether a scroll of the output is the person's: within PERSON_SCROLL_MS of their last wheel, key, touch or press on
 * it, or while a pointer they pressed on it is held (a drag of its scrollbar, a selection dragged past its edge).
 * `handlers` go on the scrolled element.
 */
function usePersonScrolling() {
  const until = useRef(0);
  const held = useRef(false);
  const mark = useCallback(() => {
    until.current = performance.now() + PERSON_SCROLL_MS;
  }, []);
  useEffect(() => {
    // On the window: a scrollbar drag may be let go of outside the output.
    const release = () => {
      if (!held.current) return;
      held.current = false;
      mark();
    };
    window.addEventListener('pointerup', release);
    window.addEventListener('pointercancel', release);
    return () => {
      window.removeEventListener('pointerup', release);
      window.removeEventListener('pointercancel', release);
    };
  }, [mark]);
  const handlers = useMemo(
    () => ({
      onWheel: mark,
      onKeyDown: (event: { key: string }) => {
        if (SCROLL_KEYS.has(event.key)) mark();
      },
      onTouchMove: mark,
      onPointerDown: () => {
        held.current = true;
        mark();
      },
    }),
    [mark],
  );
  const scrolling = useCallback(() => held.current || performance.now() < until.current, []);
  const reachedEnd = useCallback(() => {
    until.current = 0;
  }, []);
  return { handlers, scrolling, reachedEnd };
}

/**
 * The virtualized event list: only rows on screen exist in the DOM and only their pages in memory. `ended`: the run is
 * over, so nothing more comes: the view still keeps to its end, but does not say it follows live output.
 */
export function RunOutputView({ events, ended = false }: { events: EventWindow; ended?: boolean }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const person = usePersonScrolling();
  const total = events.total;
  const base = Math.max(0, total - MAX_ROWS);
  const count = total - base;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 8,
    getItemKey: (index) => base + index,
    paddingEnd: ROWS_PADDING,
  });
  const rows = virtualizer.getVirtualItems();
  const first = rows[0]?.index ?? 0;
  const last = rows[rows.length - 1]?.index ?? 0;
  const totalSize = virtualizer.getTotalSize();

  useEffect(() => {
    if (count > 0) events.ensure(base + first, base + last);
  }, [events, base, first, last, count]);

  // While following, the end is kept in view as it moves: rows are added, and rows measured or grown after the scroll
  // to the end (estimated rows measured, a page of events arriving over its "loading…" lines) push it further down.
  // Before paint, so the end is not seen pushed away for a frame.
  // biome-ignore lint/correctness/useExhaustiveDependencies: totalSize is the trigger, not an input: the end moved, scrollToEnd reads where it is now
  useLayoutEffect(() => {
    if (following && count > 0) virtualizer.scrollToEnd();
  }, [following, count, totalSize, virtualizer]);
  // So does the view's own height: the run's messages load below it, the window is resized.
  useEffect(() => {
    const element = scrollRef.current;
    if (!following || !element) return;
    const observer = new ResizeObserver(() => virtualizer.scrollToEnd());
    observer.observe(element);
    return () => observer.disconnect();
  }, [following, virtualizer]);

  /**
   * At the end, the view follows again, whoever brought it there. Away from it, it stops following only when the
   * person scrolled: the page's own scrolls (to an end that moves while rows are measured, the virtualizer keeping
   * rows in place) can land short of the end for a frame, and that is not the person leaving the tail.
   */
  const lastTop = useRef(0);
  const onScroll = () => {
    const element = scrollRef.current;
    if (!element) return;
    const gap = element.scrollHeight - element.scrollTop - element.clientHeight;
    const atBottom = gap < TAIL_SLACK;
    // Leaving the tail is a move up: the page's own scrolls go down, to the end, and on a loaded machine they can
    // come while a scroll key or wheel of a moment ago still counts as the person's.
    const up = element.scrollTop < lastTop.current;
    lastTop.current = element.scrollTop;
    if (atBottom) {
      // Come back to the end (End, Jump to live, a scroll down): what moves the view after this is the page's. Not
      // when already following: a Page Up's first frames are still within reach of the end.
      if (!following) person.reachedEnd();
      setFollowing(true);
      // Near the end but short of it, and not by the person's hand (the page's own scroll landed short while rows were
      // measured): the last row would stay cut off, so the view closes the gap.
      if (gap > 1 && !person.scrolling()) virtualizer.scrollToEnd();
    } else if (up && person.scrolling()) setFollowing(false);
    // Following, moved off the end by none of the person's doing (the last frames of a smooth scroll the person made
    // before pressing End, say): back to the end.
    else if (following) virtualizer.scrollToEnd();
  };

  const onToggle = useCallback((seq: number) => {
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });
  }, []);

  const jumpToLive = () => {
    // The person asked for the tail: the scrolls on the way there are the page's, whatever they did a moment ago.
    person.reachedEnd();
    setFollowing(true);
    if (count > 0) virtualizer.scrollToEnd();
  };

  return (
    <div className="output-view">
      <div className="output-bar">
        <span className="muted small" data-testid="event-count">
          {total.toLocaleString()} {total === 1 ? 'event' : 'events'}
          {base > 0 ? ` (showing the newest ${MAX_ROWS.toLocaleString()})` : ''}
        </span>
        {following && ended ? (
          <span className="muted small" role="status">
            run ended
          </span>
        ) : following ? (
          <span className="live-badge" role="status">
            <span className="state-dot" aria-hidden="true" /> following live output
          </span>
        ) : (
          <span className="muted small" role="status">
            scrolled back
          </span>
        )}
        <button
          type="button"
          className="small-button"
          onClick={() => {
            setFollowing(false);
            virtualizer.scrollToIndex(0);
          }}
        >
          Top
        </button>
      </div>
      {events.away && (
        <div className="muted small output-away" role="status">
          {events.away}
        </div>
      )}
      {events.error && (
        <div className="error-alert" role="alert">
          {events.error}
        </div>
      )}
      <div className="output-frame">
        {/* Focusable, so the keyboard scrolls it (arrows, Page Up/Down) where no row has a button to land on. */}
        <div
          ref={scrollRef}
          className="output-scroll"
          onScroll={onScroll}
          {...person.handlers}
          onKeyDown={(event) => {
            // End is "back to the tail", as Jump to live is: done by the view itself, because the browser's own End
            // scrolls to the end as it was at the key, and rows measured on the way leave it short of the tail.
            if (event.key === 'End' && !event.shiftKey) {
              event.preventDefault();
              jumpToLive();
              return;
            }
            person.handlers.onKeyDown(event);
          }}
          data-testid="output-scroll"
          role="log"
          aria-label="Run output"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolled region must be reachable by keyboard (axe scrollable-region-focusable)
          tabIndex={0}
        >
          <div className="output-sizer" style={{ height: totalSize }}>
            <div className="output-rows" style={{ transform: `translateY(${rows[0]?.start ?? 0}px)` }}>
              {rows.map((row) => {
                const item = events.get(base + row.index);
                return (
                  <div key={row.key} data-index={row.index} ref={virtualizer.measureElement} className="ev-row">
                    {item ? (
                      <RunEventRow
                        item={item}
                        expanded={expanded.has(item.seq)}
                        onToggle={onToggle}
                        result={item.event.type === 'tool_use' ? events.resultFor(item.event.id) : undefined}
                        call={item.event.type === 'tool_result' ? events.callFor(item.event.tool_use_id) : undefined}
                      />
                    ) : (
                      <div className="term-line term-loading">
                        <span className="term-time" />
                        <span className="term-dim">#{base + row.index} loading…</span>
                      </div>
                    )}
                  </div>
                );
              })}
            </div>
          </div>
        </div>
        {!following && count > 0 && (
          <button type="button" className="primary jump-live" onClick={jumpToLive}>
            {ended ? '↓ Jump to the end' : '↓ Jump to live'}
          </button>
        )}
      </div>
      {/* "Yet" only while it may still come; nothing at all while a load failed (its error says why). */}
      {count === 0 && !events.error && <p className="muted">{ended ? 'This run printed nothing.' : 'No output yet.'}</p>}
    </div>
  );
}
