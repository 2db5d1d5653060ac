import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { giveFocusBack } from './give-focus-back';

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(', ');

interface DialogProps {
  /** The dialog's heading, also its accessible name. */
  title: string;
  onClose: () => void;
  children: ReactNode;
  className?: string;
  /** Render as a <form> (Enter submits) with this submit handler. */
  onSubmit?: () => void;
  /** Given the dialog's element too (a form finds its problems in it). */
  boxRef?: RefObject<HTMLElement | null>;
}

/**
 * A modal dialog, as desktop apps have them: focus moves into it (the [data-autofocus] control,
 * else the first control), Tab and Shift+Tab stay inside, Escape closes it, and when it closes
 * focus returns to whatever had it before. Rendered at the end of <body>, above everything.
 */
export function Dialog({ title, onClose, children, className, onSubmit, boxRef }: DialogProps) {
  const box = useRef<HTMLElement | null>(null);
  const setBox = (el: HTMLElement | null) => {
    box.current = el;
    if (boxRef) boxRef.current = el;
  };
  const titleId = useId();

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const fromInspector = !!before?.closest('aside.inspector');
    const element = box.current;
    // data-autofocus, not autoFocus: React focuses autoFocus elements itself and renders no attribute.
    const first = element?.querySelector<HTMLElement>('[data-autofocus]') ?? element?.querySelector<HTMLElement>(FOCUSABLE) ?? element;
    first?.focus();
    return () => {
      // Back to where the user was (the button that opened it), if that is still on the page; else to the inspector
      // it was opened from (its heading), rather than the page's body, from where the keyboard cannot get back.
      if (before?.isConnected) giveFocusBack(before);
      else if (fromInspector) document.querySelector<HTMLElement>('aside.inspector .inspector-title')?.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      // Handled here: nothing behind the dialog (the inspector, the canvas) reacts as well.
      event.stopPropagation();
      event.preventDefault();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || !box.current) return;
    const focusable = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (el) => el.offsetParent !== null || el === document.activeElement,
    );
    if (focusable.length === 0) {
      event.preventDefault();
      return;
    }
    const first = focusable[0] as HTMLElement;
    const last = focusable[focusable.length - 1] as HTMLElement;
    if (event.shiftKey && (document.activeElement === first || document.activeElement === box.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  const common = {
    role: 'dialog',
    'aria-modal': true,
    'aria-labelledby': titleId,
    className: `dialog ${className ?? ''}`,
    tabIndex: -1,
    onKeyDown,
  } as const;
  const heading = <h2 id={titleId}>{title}</h2>;
  return createPortal(
    // biome-ignore lint/a11y/noStaticElementInteractions: a click beside the dialog closes it, for the pointer; the keyboard has Escape
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      {onSubmit ? (
        <form
          {...common}
          ref={setBox}
          onSubmit={(e) => {
            e.preventDefault();
            onSubmit();
          }}
        >
          {heading}
          {children}
        </form>
      ) : (
        <div {...common} ref={setBox}>
          {heading}
          {children}
        </div>
      )}
    </div>,
    document.body,
  );
}

/** Whether a modal dialog is open (window-wide shortcuts such as Escape for the inspector stand back). */
export function modalOpen(): boolean {
  return document.querySelector('[role="dialog"][aria-modal="true"]') !== null;
}
