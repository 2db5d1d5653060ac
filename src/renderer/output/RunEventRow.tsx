import { memo } from 'react';
import type { IndexedRunEvent, RunEvent } from '../../shared/run-event';
import { formatCost, formatTokens } from '../components/format';
import { firstLine, prettyJson, toolInputPreview } from './event-text';

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

/** One normalized event. Thinking and long payloads are folded until clicked. */
export const RunEventRow = memo(function RunEventRow({ item, expanded, onToggle, result, call }: RunEventRowProps) {
  const { event } = item;
  const toggle = () => onToggle(item.seq);
  switch (event.type) {
    case 'session':
      return (
        <div className="ev ev-session">
          <span className="ev-kind">session</span> {event.session_id}
          {event.model && <span className="muted"> · {event.model}</span>}
        </div>
      );
    case 'text':
      return <div className="ev ev-text">{event.text}</div>;
    case 'thinking':
      return (
        <div className="ev ev-thinking">
          <button type="button" className="fold" aria-expanded={expanded} onClick={toggle}>
            {expanded ? '▾' : '▸'} thinking
          </button>
          {expanded ? <div className="ev-body">{event.text}</div> : <span className="muted"> {firstLine(event.text, 100)}</span>}
        </div>
      );
    case 'tool_use':
      return (
        <div className={`ev ev-tool ${result?.is_error ? 'ev-tool-error' : ''}`}>
          <button type="button" className="fold" aria-expanded={expanded} onClick={toggle}>
            {expanded ? '▾' : '▸'} <span className="ev-tool-name">{event.name}</span>
          </button>
          <span className="mono"> {toolInputPreview(event.input)}</span>
          <span className={`ev-tool-status ${result ? (result.is_error ? 'error' : 'ok') : 'waiting'}`}>
            {result ? (result.is_error ? '✗ error' : '✓ ok') : '… running'}
          </span>
          {expanded && (
            <div className="ev-body">
              <pre className="mono">{prettyJson(event.input)}</pre>
              {result && <pre className={`mono ev-result ${result.is_error ? 'error' : ''}`}>{result.output}</pre>}
            </div>
          )}
        </div>
      );
    case 'tool_result':
      if (call) {
        return (
          <div className="ev ev-tool-result-ref muted">
            ↳ result of {call.name} {event.is_error ? '(error)' : ''}: {firstLine(event.output, 120)}
          </div>
        );
      }
      return (
        <div className={`ev ev-tool-result ${event.is_error ? 'error' : ''}`}>
          <button type="button" className="fold" aria-expanded={expanded} onClick={toggle}>
            {expanded ? '▾' : '▸'} tool result
          </button>
          {expanded ? <pre className="mono ev-body">{event.output}</pre> : <span className="mono"> {firstLine(event.output)}</span>}
        </div>
      );
    case 'result':
      return (
        <div className={`ev ev-final ${event.is_error ? 'error' : ''}`}>
          <div className="ev-final-head">
            <strong>{event.is_error ? 'Run failed' : 'Run finished'}</strong>
            <span>cost {formatCost(event.cost_usd)}</span>
            <span>
              tokens {formatTokens(event.tokens_in)} in / {formatTokens(event.tokens_out)} out
            </span>
            {event.turns !== null && <span>{event.turns} turns</span>}
          </div>
          {event.text && <div className="ev-body">{event.text}</div>}
        </div>
      );
    case 'stderr':
      return <div className="ev ev-stderr mono">{event.text}</div>;
    case 'raw':
      return <div className="ev ev-raw mono">{event.text}</div>;
  }
});
