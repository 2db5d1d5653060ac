import { useEffect, useRef, useState } from 'react';

/**
 * Brings a form's first problem into sight after a Save or Create that did not go through: a refusal said at the end
 * of a long dialog was drawn behind its sticky buttons, and one said at a field scrolled away was not seen at all, so
 * nothing seemed to happen. `box`: the dialog's element; `reveal()`: after each such submit, the same problem again too.
 */
export function useRevealProblem() {
  const box = useRef<HTMLElement | null>(null);
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    // After the render that shows the problem: it is on the page by now.
    if (asked === 0) return;
    box.current?.querySelector('.field-error, [role="alert"]')?.scrollIntoView({ block: 'nearest' });
  }, [asked]);
  return { box, reveal: () => setAsked((n) => n + 1) };
}
