/** How long a control that opened a dialog may stay disabled (its action pending) and still get the focus back. */
const WAIT_MS = 10_000;

/**
 * Focus back on the control that opened a dialog. A button is often disabled while the action it started runs
 * (useMutation's `pending`), and that action is waiting on the very dialog: when the dialog closes the button is still
 * disabled, focus() does nothing and the focus falls to <body> (the next Tab starts again at the top of the page). So
 * a disabled one gets it as soon as it is enabled again, unless the person has put the focus somewhere meanwhile.
 */
export function giveFocusBack(control: HTMLElement): void {
  if (!control.matches(':disabled')) {
    control.focus();
    return;
  }
  const observer = new MutationObserver(() => {
    if (control.matches(':disabled')) return;
    stop();
    const active = document.activeElement;
    if (control.isConnected && (active === null || active === document.body)) control.focus();
  });
  const timer = setTimeout(() => stop(), WAIT_MS);
  const stop = () => {
    observer.disconnect();
    clearTimeout(timer);
  };
  observer.observe(control, { attributes: true, attributeFilter: ['disabled'] });
}
