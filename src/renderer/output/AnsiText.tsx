import Anser from 'anser';
import type { CSSProperties } from 'react';

/**
 * Text with ANSI colour codes (test runners, compilers, git) as coloured spans, like a terminal
 * shows it. Colours are classes (styles/output.css) so they follow the theme; 256-colour and
 * true-colour codes become inline colours. Other control codes (cursor moves) are dropped.
 */
export function AnsiText({ text }: { text: string }) {
  if (!text.includes('\u001b')) return <>{text}</>;
  const parts = Anser.ansiToJson(text, { json: true, use_classes: true, remove_empty: true });
  return (
    <>
      {parts.map((part, index) => {
        const classes: string[] = [];
        const style: CSSProperties = {};
        if (part.fg === 'ansi-truecolor') style.color = `rgb(${part.fg_truecolor})`;
        else if (part.fg) classes.push(`${part.fg}-fg`);
        if (part.bg === 'ansi-truecolor') style.backgroundColor = `rgb(${part.bg_truecolor})`;
        else if (part.bg) classes.push(`${part.bg}-bg`);
        for (const decoration of part.decorations) classes.push(`ansi-${decoration}`);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: the spans of one text, in order, with no state: a new text renders them all again
          <span key={index} className={classes.join(' ') || undefined} style={Object.keys(style).length > 0 ? style : undefined}>
            {part.content}
          </span>
        );
      })}
    </>
  );
}
