/**
 * Keeps the keyboard's place on a control that is disabled while its action runs (useMutation's `pending`: Pause,
 * Save, Stop…, Clean up…). Chromium takes the focus off a control the moment it is disabled, synchronously, with a
 * `focusout` and no element to go to: the focus falls to <body>, and the next Tab starts again at the top of the page.
 * A dialog the control opens cannot give it back either, as by the time the dialog looks, <body> has it. So the
 * control that lost the focus that way gets it back once it is enabled again, as long as the focus is still nowhere
 * (<body>): the person has not put it somewhere else meanwhile, other than in a dialog (which, closing, leaves it
 * on <body> again).
 *
 * Installed once for the window; returns what uninstalls it.
 */
export function keepFocusThroughBusyControls(doc: Document): () => void {
  let stopWatching: (() => void) | null = null;
  const unwatch = () => {
    stopWatching?.();
    stopWatching = null;
  };

  const onFocusOut = (event: FocusEvent) => {
    const control = event.target;
    // relatedTarget null: the focus went nowhere (a click or a Tab elsewhere names where it went).
    if (!(control instanceof HTMLElement) || event.relatedTarget !== null || !control.matches(':disabled')) return;
    unwatch();
    const observer = new MutationObserver(() => {
      if (control.matches(':disabled')) return;
      unwatch();
      const active = doc.activeElement;
      if (control.isConnected && (active === null || active === doc.body)) control.focus();
    });
    observer.observe(control, { attributes: true, attributeFilter: ['disabled'] });
    stopWatching = () => observer.disconnect();
  };

  const onFocusIn = (event: FocusEvent) => {
    // Into a dialog the action opened (its confirmation) is not moving on: the control is still where to come back.
    if (event.target instanceof Element && event.target.closest('[role="dialog"]')) return;
    unwatch();
  };

  doc.addEventListener('focusout', onFocusOut, true);
  doc.addEventListener('focusin', onFocusIn, true);
  return () => {
    unwatch();
    doc.removeEventListener('focusout', onFocusOut, true);
    doc.removeEventListener('focusin', onFocusIn, true);
  };
}
