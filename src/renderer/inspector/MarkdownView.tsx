import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

// Links leave the app window instead of replacing it.
const COMPONENTS: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ),
  // Wide tables scroll on their own instead of widening the inspector.
  table: ({ children }) => (
    <div className="markdown-table">
      <table>{children}</table>
    </div>
  ),
};

const PLUGINS = [remarkGfm];

/** GitHub-flavoured markdown (tables, task lists, strikethrough, autolinks); raw HTML is dropped, never rendered. */
export default function MarkdownView({ markdown }: { markdown: string }) {
  return (
    <Markdown skipHtml remarkPlugins={PLUGINS} components={COMPONENTS}>
      {markdown}
    </Markdown>
  );
}
