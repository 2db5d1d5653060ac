import { useCallback, useMemo, useState } from 'react';
import type { SpendReport } from '../../shared/history';
import { useClient } from '../api/backend-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { formatCost, formatDuration, formatTokens } from '../components/format';
import { useOpQuery } from '../hooks/use-op-query';
import { useNavigation } from '../state/navigation';
import { DailyChart } from './DailyChart';
import { ModelBars } from './ModelBars';
import { lastDays } from './spend-days';

const RANGES = [14, 30, 90] as const;
const TOP_TASKS = 15;

/** What the runs cost: totals, a chart by day and one by model, and the costliest tasks and agent identities (`wg spend`, `wg stats`). */
export function SpendPage() {
  const client = useClient();
  const { selectTask, openIdentity } = useNavigation();
  const spend = useOpQuery(
    useCallback(() => client['usage:spend']({}) as Promise<SpendReport>, [client]),
    { onChange: true },
  );
  const stats = useOpQuery(
    useCallback(() => client['usage:stats']({}), [client]),
    { onChange: true, intervalMs: 30_000 },
  );
  const [range, setRange] = useState<(typeof RANGES)[number]>(30);
  const report = spend.data;
  const days = useMemo(() => lastDays(report?.daily_breakdown ?? [], new Date(), range), [report, range]);

  return (
    <div className="page spend-page">
      <header className="page-head">
        <h1>Spend</h1>
        <label className="small muted">
          Days{' '}
          <select aria-label="Days shown" value={range} onChange={(e) => setRange(Number(e.target.value) as (typeof RANGES)[number])}>
            {RANGES.map((n) => (
              <option key={n} value={n}>
                last {n}
              </option>
            ))}
          </select>
        </label>
      </header>
      <ErrorAlert message={spend.error ?? stats.error} />
      {report && (
        <dl className="spend-totals" aria-label="Totals">
          <div>
            <dt>Cost</dt>
            <dd>{formatCost(report.total_cost)}</dd>
          </div>
          <div>
            <dt>Tokens in</dt>
            <dd>{formatTokens(report.total_input_tokens)}</dd>
          </div>
          <div>
            <dt>Tokens out</dt>
            <dd>{formatTokens(report.total_output_tokens)}</dd>
          </div>
          {/* Counted where tokens or cost were reported: a shell command's run spends nothing, and is not among them. */}
          <div title="Runs that reported tokens or cost (a shell command's run uses none)">
            <dt>Runs with usage</dt>
            <dd>{report.run_count}</dd>
          </div>
          <div title="Tasks whose runs reported tokens or cost">
            <dt>Tasks with usage</dt>
            <dd>{report.task_count}</dd>
          </div>
          {stats.data && (
            <div>
              <dt>Agent time</dt>
              <dd title={`${stats.data.total_agents} runs in all; ${stats.data.active_agent_count} working now`}>
                {formatDuration(stats.data.cumulative_agent_secs)}
              </dd>
            </div>
          )}
        </dl>
      )}
      {report && report.run_count === 0 && report.total_cost === 0 && (
        <p className="muted">Nothing spent yet: the runs’ tokens and cost appear here as agents report them.</p>
      )}
      {report && (
        <div className="columns">
          <section className="card" aria-labelledby="spend-by-day">
            <h2 id="spend-by-day">By day</h2>
            <DailyChart days={days} />
          </section>
          <section className="card" aria-labelledby="spend-by-model">
            <h2 id="spend-by-model">By model</h2>
            {report.by_model.length === 0 ? <p className="muted">No model has used tokens yet.</p> : <ModelBars models={report.by_model} />}
          </section>
        </div>
      )}
      {report && report.by_task.length > 0 && (
        <div className="columns">
          <section className="card" aria-labelledby="spend-by-task">
            <h2 id="spend-by-task">Costliest tasks</h2>
            <table className="table" aria-labelledby="spend-by-task">
              <thead>
                <tr>
                  <th>Task</th>
                  <th className="num">Cost</th>
                  <th className="num">Tokens</th>
                  <th className="num">Runs</th>
                </tr>
              </thead>
              <tbody>
                {report.by_task.slice(0, TOP_TASKS).map((t) => (
                  <tr key={t.task_id}>
                    <td>
                      {t.title ? (
                        <button type="button" className="link-button" onClick={() => selectTask(t.task_id, true)}>
                          {t.title}
                        </button>
                      ) : (
                        <span className="muted" title="no longer in the graph (removed or archived)">
                          {t.task_id}
                        </span>
                      )}
                    </td>
                    <td className="num">{formatCost(t.total_cost)}</td>
                    <td className="num">{formatTokens(t.total_input_tokens + t.total_output_tokens)}</td>
                    <td className="num">{t.run_count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="card" aria-labelledby="spend-by-agent">
            <h2 id="spend-by-agent">By agent identity</h2>
            <table className="table" aria-labelledby="spend-by-agent">
              <thead>
                <tr>
                  <th>Agent</th>
                  <th className="num">Cost</th>
                  <th className="num">Tasks</th>
                </tr>
              </thead>
              <tbody>
                {report.by_agent.map((a) => (
                  <tr key={a.agent}>
                    <td>
                      {a.name ? (
                        <button type="button" className="link-button" onClick={() => openIdentity(a.agent)}>
                          {a.name}
                        </button>
                      ) : (
                        <span className="muted">{a.agent === '(none)' ? 'no identity' : a.agent.slice(0, 8)}</span>
                      )}
                    </td>
                    <td className="num">{formatCost(a.total_cost)}</td>
                    <td className="num">{a.task_count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      )}
    </div>
  );
}
