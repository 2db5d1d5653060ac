/** Moves the focus into the inspector once it shows this task (its title: Tab goes on to Edit). */
export function focusInspector(id: string): void {
  let tries = 0;
  const attempt = () => {
    const title = document.querySelector<HTMLElement>(`aside.inspector[data-task="${CSS.escape(id)}"] .inspector-title`);
    if (title) title.focus();
    else if (tries++ < 60) requestAnimationFrame(attempt);
  };
  requestAnimationFrame(attempt);
}
