import { memo, type ReactNode } from 'react';
import type { IndexedRunEvent, RunEvent } from '../../shared/run-event';
import { formatCost, formatDate, formatTokens, userLocales } from '../components/format';
import { AnsiText } from './AnsiText';
import { plainText } from './plain-text';
import { firstLine, prettyJson, toolInputPreview } from '../../shared/run-event-text';

type ToolResult = Extract<RunEvent, { type: 'tool_result' }>;
type ToolUse = Extract<RunEvent, { type: 'tool_use' }>;

interface RunEventRowProps {
  item: IndexedRunEvent;
  expanded: boolean;
  onToggle: (seq: number) => void;
  /** For a tool_use: its result, when in memory. */
  result: ToolResult | undefined;
  /** For a tool_result: its call, when in memory (then the result is shown with the call). */
  call: ToolUse | undefined;
}

const TIME = new Intl.DateTimeFormat(userLocales(), { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** One event as terminal lines: its time, then the event. Thinking and long payloads fold until clicked. */
export const RunEventRow = memo(function RunEventRow({ item, expanded, onToggle, result, call }: RunEventRowProps) {
  const at = new Date(item.at);
  return (
    <div className={`term-line term-${item.event.type}`}>
      <time className="term-time" dateTime={item.at} title={formatDate(item.at)}>
        {Number.isNaN(at.getTime()) ? '' : TIME.format(at)}
      </time>
      <div className="term-body">{body(item, expanded, () => onToggle(item.seq), result, call)}</div>
    </div>
  );
});

function fold(expanded: boolean, toggle: () => void, label: ReactNode): ReactNode {
  return (
    <button type="button" className="fold" aria-expanded={expanded} onClick={toggle}>
      {expanded ? '▾' : '▸'} {label}
    </button>
  );
}

function body(
  item: IndexedRunEvent,
  expanded: boolean,
  toggle: () => void,
  result: ToolResult | undefined,
  call: ToolUse | undefined,
): ReactNode {
  const { event } = item;
  switch (event.type) {
    case 'session':
      return (
        <span className="term-dim">
          ── session {event.session_id}
          {event.model ? ` · ${event.model}` : ''}
        </span>
      );
    case 'text':
      return <AnsiText text={event.text} />;
    case 'thinking':
      return (
        <>
          {fold(expanded, toggle, 'thinking')}
          {expanded ? (
            <div className="term-thinking">
              <AnsiText text={event.text} />
            </div>
          ) : (
            <span className="term-dim term-italic"> {firstLine(event.text, 100)}</span>
          )}
        </>
      );
    case 'tool_use':
      return (
        <>
          {fold(expanded, toggle, <span className="term-tool">{event.name}</span>)}
          <span> {toolInputPreview(event.input)}</span>
          <span className={`term-status ${result ? (result.is_error ? 'error' : 'ok') : 'waiting'}`}>
            {result ? (result.is_error ? '✗ error' : '✓ ok') : '… running'}
          </span>
          {expanded && (
            <div className="term-detail">
              <pre>{prettyJson(event.input)}</pre>
              {result && (
                <pre className={result.is_error ? 'term-error' : undefined}>
                  <AnsiText text={result.output} />
                </pre>
              )}
            </div>
          )}
        </>
      );
    case 'tool_result':
      if (call) {
        return (
          <span className="term-dim">
            {' '}
            ↳ result of {call.name}
            {event.is_error ? ' (error)' : ''}: {plainText(firstLine(event.output, 120))}
          </span>
        );
      }
      return (
        <>
          {fold(expanded, toggle, 'tool result')}
          {expanded ? (
            <pre className="term-detail">
              <AnsiText text={event.output} />
            </pre>
          ) : (
            <span> {firstLine(event.output)}</span>
          )}
        </>
      );
    case 'result':
      return (
        <div className={`term-final ${event.is_error ? 'error' : ''}`}>
          <strong>{event.is_error ? 'Run failed' : 'Run finished'}</strong>
          <span>cost {formatCost(event.cost_usd, (event.tokens_in ?? 0) + (event.tokens_out ?? 0))}</span>
          <span>
            tokens {formatTokens(event.tokens_in)} in / {formatTokens(event.tokens_out)} out
          </span>
          {event.turns !== null && <span>{event.turns} turns</span>}
          {event.text && (
            <div className="term-final-text">
              <AnsiText text={event.text} />
            </div>
          )}
        </div>
      );
    case 'stderr':
      return (
        <span className="term-error">
          <AnsiText text={event.text} />
        </span>
      );
    case 'raw':
      return <AnsiText text={event.text} />;
  }
}
