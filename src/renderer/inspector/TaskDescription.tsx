import { Suspense } from 'react';
import { lazyPart } from '../components/lazy-part';

// The markdown parser is loaded with the first description shown, not at startup.
const MarkdownView = lazyPart(() => import('./MarkdownView').then((m) => m.default), { what: 'the description' });

/** The task description as markdown; raw HTML in it is dropped, never rendered. */
export function TaskDescription({ markdown }: { markdown: string }) {
  if (markdown.trim() === '') return <p className="muted">No description.</p>;
  return (
    <div className="markdown">
      <Suspense fallback={<p className="muted">{markdown}</p>}>
        <MarkdownView markdown={markdown} />
      </Suspense>
    </div>
  );
}
