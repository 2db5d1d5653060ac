import type { CSSProperties } from 'react';
import type { SpendReport } from '../../shared/history';
import { formatCost, formatTokens } from '../components/format';

/** Cost by model as horizontal bars, most expensive first, each with its tokens and runs. */
export function ModelBars({ models }: { models: SpendReport['by_model'] }) {
  const max = Math.max(0, ...models.map((m) => m.total_cost));
  return (
    <ul className="model-bars" aria-label="Cost by model">
      {models.map((m, i) => (
        <li key={m.model} className="model-bar" style={{ '--bar': `var(--chart-${(i % 6) + 1})` } as CSSProperties}>
          <span className="model-bar-name">{m.model}</span>
          <span className="model-bar-track" aria-hidden="true">
            <span className="model-bar-fill" style={{ width: `${max > 0 ? (m.total_cost / max) * 100 : 0}%` }} />
          </span>
          <span className="model-bar-value">
            {formatCost(m.total_cost)}
            <span className="muted small">
              {' '}
              · {formatTokens(m.total_input_tokens + m.total_output_tokens)} tokens · {m.run_count} {m.run_count === 1 ? 'run' : 'runs'}
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}
