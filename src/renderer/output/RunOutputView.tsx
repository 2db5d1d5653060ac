import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventWindow } from './event-window';
import { RunEventRow } from './RunEventRow';

/**
 * Chromium caps an element's height near 33.5 million pixels; past this many rows only the newest
 * are scrollable (the rest stay reachable with `wg output --offset`).
 */
const MAX_ROWS = 1_000_000;
const ROW_ESTIMATE = 20;
/** How close to the bottom (px) still counts as "following the tail". */
const TAIL_SLACK = 48;

/** The virtualized event list: only rows on screen exist in the DOM and only their pages in memory. */
export function RunOutputView({ events }: { events: EventWindow }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const total = events.total;
  const base = Math.max(0, total - MAX_ROWS);
  const count = total - base;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 8,
    getItemKey: (index) => base + index,
  });
  const rows = virtualizer.getVirtualItems();
  const first = rows[0]?.index ?? 0;
  const last = rows[rows.length - 1]?.index ?? 0;

  useEffect(() => {
    if (count > 0) events.ensure(base + first, base + last);
  }, [events, base, first, last, count]);

  useEffect(() => {
    if (following && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [following, count, virtualizer]);

  const onScroll = () => {
    const element = scrollRef.current;
    if (!element) return;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < TAIL_SLACK;
    if (atBottom !== following) setFollowing(atBottom);
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
    setFollowing(true);
    if (count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  };

  return (
    <div className="output-view">
      <div className="output-bar">
        <span className="muted small" data-testid="event-count">
          {total.toLocaleString()} events{base > 0 ? ` (showing the newest ${MAX_ROWS.toLocaleString()})` : ''}
        </span>
        {following ? (
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
          data-testid="output-scroll"
          role="log"
          aria-label="Run output"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolled region must be reachable by keyboard (axe scrollable-region-focusable)
          tabIndex={0}
        >
          <div className="output-sizer" style={{ height: virtualizer.getTotalSize() }}>
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
            ↓ Jump to live
          </button>
        )}
      </div>
      {count === 0 && <p className="muted">No output yet.</p>}
    </div>
  );
}
