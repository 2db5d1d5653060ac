import Markdown, { type Components } from 'react-markdown';

// Links leave the app window instead of replacing it.
const COMPONENTS: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ),
};

/** Markdown to React elements; raw HTML in the text is dropped, never rendered. */
export default function MarkdownView({ markdown }: { markdown: string }) {
  return (
    <Markdown skipHtml components={COMPONENTS}>
      {markdown}
    </Markdown>
  );
}
