import { type CSSProperties, type ReactElement, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { STATE_KINDS, STATE_LABELS, type StateKind } from '../task-state/task-state';
import { chipsThatFit } from './chip-overflow';

interface StateCountsProps {
  counts: Record<StateKind, number>;
  /** The states whose tasks are shown by themselves now: by a lens the view framed, or the board's filter. */
  pressed: ReadonlySet<string>;
  onFrame: (kind: StateKind) => void;
}

/**
 * How many tasks are in each state; a click frames them (where they are, or by themselves with their neighbours),
 * on the board shows only them. The chips stay on their row beside what else it holds (a focus, what the view
 * shows, the shortcuts button): those that do not fit wait in a "+N" menu, finished work first.
 */
export function StateCounts({ counts, pressed, onFrame }: StateCountsProps) {
  const kinds = STATE_KINDS.filter((kind) => counts[kind] > 0);
  const fieldset = useRef<HTMLFieldSetElement>(null);
  const probe = useRef<HTMLSpanElement>(null);
  const [shown, setShown] = useState<ReadonlySet<StateKind> | null>(null);
  const [rowWidth, setRowWidth] = useState(0);

  useEffect(() => {
    const row = fieldset.current?.parentElement;
    if (!row || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => setRowWidth(Math.round(entry?.contentRect.width ?? 0)));
    observer.observe(row);
    return () => observer.disconnect();
  }, []);

  // Measured on every render (eleven chips at most): a focus chip or a filter's words beside them change the room.
  useLayoutEffect(() => {
    const own = fieldset.current;
    const row = own?.parentElement;
    const chips = probe.current;
    if (!own || !row || !chips || rowWidth === 0) return;
    const widths = new Map<StateKind, number>();
    for (const chip of chips.querySelectorAll<HTMLElement>('[data-probe]')) widths.set(chip.dataset.probe as StateKind, chip.offsetWidth);
    const menu = chips.querySelector<HTMLElement>('.state-more-probe')?.offsetWidth ?? 0;
    const rowGap = Number.parseFloat(getComputedStyle(row).columnGap) || 0;
    const chipGap = Number.parseFloat(getComputedStyle(own).columnGap) || 0;
    let others = 0;
    for (const child of row.children) {
      if (child === own || !(child instanceof HTMLElement) || child.offsetParent === null) continue;
      others += naturalWidth(child) + rowGap;
    }
    const next = chipsThatFit(widths, rowWidth - others, chipGap, menu + chipGap, pressed);
    setShown((current) => (current && sameSet(current, next) ? current : next));
  });

  // Grouped as the board's columns write them ("1,002 blocked"), so the same number reads the same in both places.
  const chip = (kind: StateKind, after?: () => void) => (
    <button
      key={kind}
      type="button"
      className="state-chip"
      data-state={kind}
      aria-pressed={pressed.has(kind)}
      style={{ '--state': `var(--state-${kind})` } as CSSProperties}
      onClick={() => {
        onFrame(kind);
        after?.();
      }}
      title={`Show the ${STATE_LABELS[kind]} tasks`}
    >
      <span className="state-chip-count">{counts[kind].toLocaleString()}</span> {STATE_LABELS[kind]}
    </button>
  );
  const inRow = shown ? kinds.filter((kind) => shown.has(kind)) : kinds;
  const more = shown ? kinds.filter((kind) => !shown.has(kind)) : [];

  return (
    <fieldset ref={fieldset} className="state-counts" aria-label="Show tasks by state">
      {inRow.map((kind) => chip(kind))}
      {more.length > 0 && <MoreStates kinds={more} chip={chip} />}
      {/* Every chip at its own width, out of sight, so the row knows what fits. */}
      <span ref={probe} className="state-counts-probe" aria-hidden="true">
        {kinds.map((kind) => (
          <button key={kind} type="button" className="state-chip" data-probe={kind} disabled tabIndex={-1}>
            <span className="state-chip-count">{counts[kind].toLocaleString()}</span> {STATE_LABELS[kind]}
          </button>
        ))}
        <span className="state-chip state-more-summary state-more-probe">+{kinds.length}</span>
      </span>
    </fieldset>
  );
}

/** The chips the row has no room for, behind "+N": closed by a choice, Escape or a click elsewhere. */
function MoreStates({ kinds, chip }: { kinds: StateKind[]; chip: (kind: StateKind, after?: () => void) => ReactElement }) {
  const details = useRef<HTMLDetailsElement>(null);
  const [open, setOpen] = useState(false);
  const close = () => {
    if (details.current) details.current.open = false;
  };
  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent) => {
      const element = details.current;
      if (element && !element.contains(event.target as Node)) element.open = false;
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);
  const names = kinds.map((kind) => STATE_LABELS[kind]).join(', ');
  return (
    <details
      ref={details}
      className="state-more"
      onToggle={(event) => setOpen(event.currentTarget.open)}
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || !details.current?.open) return;
        event.stopPropagation();
        close();
        details.current.querySelector('summary')?.focus();
      }}
    >
      <summary
        className="state-chip state-more-summary"
        aria-label={`${kinds.length} more states: ${names}`}
        title={`More states: ${names}`}
      >
        +{kinds.length}
      </summary>
      {/* Only while open: a closed details keeps its content laid out in some engines. */}
      {open && <div className="state-more-list">{kinds.map((kind) => chip(kind, close))}</div>}
    </details>
  );
}

/** An element's width as the row must leave it: a filter's words at their least, a focus chip's title whole. */
function naturalWidth(element: HTMLElement): number {
  if (element.classList.contains('toolbar-status')) return Number.parseFloat(getComputedStyle(element).minWidth) || 0;
  const title = element.querySelector<HTMLElement>('.focus-chip-title');
  const hidden = title ? Math.max(0, title.scrollWidth - title.clientWidth) : 0;
  return element.offsetWidth + hidden;
}

function sameSet(a: ReadonlySet<StateKind>, b: ReadonlySet<StateKind>): boolean {
  return a.size === b.size && [...a].every((kind) => b.has(kind));
}
