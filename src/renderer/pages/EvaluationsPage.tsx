import { useMemo, useState } from 'react';
import type { Task } from '../../shared/task';
import { IdentityLabel } from '../agency/IdentityLabel';
import { RelativeTime } from '../components/RelativeTime';
import { StatusPill } from '../components/StatusPill';
import { EvaluationBars, ScoreBar, dimensionLabel } from '../inspector/EvaluationBars';
import { useGraph } from '../state/graph-context';
import { useNavigation } from '../state/navigation';
import { dimensionAverages, meanScore } from './evaluations/dimension-averages';
import { RecordEvaluationForm } from './evaluations/RecordEvaluationForm';

type Evaluated = Task & { evaluation: NonNullable<Task['evaluation']> };
const SORTS = {
  'lowest first': (a: Evaluated, b: Evaluated) => a.evaluation.score - b.evaluation.score,
  'highest first': (a: Evaluated, b: Evaluated) => b.evaluation.score - a.evaluation.score,
  newest: (a: Evaluated, b: Evaluated) => b.evaluation.timestamp.localeCompare(a.evaluation.timestamp),
};
type SortName = keyof typeof SORTS;
const isSort = (value: string): value is SortName => value in SORTS;

/** Evaluation scores by task with their dimension breakdown, and the averages over all tasks. */
export function EvaluationsPage() {
  const { tasks } = useGraph();
  const { selectTask, openIdentity } = useNavigation();
  const [sort, setSort] = useState<SortName>('lowest first');
  const [open, setOpen] = useState<string | null>(null);
  const evaluated = useMemo(
    () => [...tasks.values()].filter((task): task is Evaluated => task.evaluation !== null).sort(SORTS[sort]),
    [tasks, sort],
  );
  const evaluations = evaluated.map((task) => task.evaluation);
  const mean = meanScore(evaluations);

  return (
    <div className="page">
      <header className="page-head">
        <h1>Evaluations</h1>
        <select aria-label="Sort evaluations" value={sort} onChange={(e) => isSort(e.target.value) && setSort(e.target.value)}>
          {Object.keys(SORTS).map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </header>
      <div className="columns">
        <section className="card" aria-label="Averages">
          <h2>Averages over {evaluated.length} evaluated tasks</h2>
          {mean === null ? (
            <p className="muted">No task has been evaluated yet.</p>
          ) : (
            <div className="score-bars">
              <ScoreBar label="overall" score={mean} />
              {dimensionAverages(evaluations).map((d) => (
                <ScoreBar key={d.name} label={`${dimensionLabel(d.name)} (${d.count})`} score={d.mean} />
              ))}
            </div>
          )}
        </section>
        <RecordEvaluationForm tasks={[...tasks.values()]} />
      </div>
      {evaluated.length > 0 && (
        <table className="table" aria-label="Scores by task">
          <thead>
            <tr>
              <th>Task</th>
              <th>Status</th>
              <th>Agent</th>
              <th className="score-col">Score</th>
              <th>Evaluator</th>
              <th>When</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {evaluated.flatMap((task) => {
              const rows = [
                <tr key={task.id} data-task={task.id}>
                  <td>
                    <button type="button" className="link-button" onClick={() => selectTask(task.id, true)}>
                      {task.title}
                    </button>
                  </td>
                  <td>
                    <StatusPill status={task.status} />
                  </td>
                  <td>{task.agent ? <IdentityLabel id={task.agent} onOpen={openIdentity} /> : <span className="muted">—</span>}</td>
                  <td className="score-col">
                    <ScoreBar label="score" score={task.evaluation.score} compact />
                  </td>
                  <td>{task.evaluation.evaluator ?? '—'}</td>
                  <td>
                    <RelativeTime iso={task.evaluation.timestamp} />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="small-button"
                      aria-expanded={open === task.id}
                      onClick={() => setOpen(open === task.id ? null : task.id)}
                    >
                      Dimensions
                    </button>
                  </td>
                </tr>,
              ];
              if (open === task.id) {
                rows.push(
                  <tr key={`${task.id}-dims`} className="detail-row">
                    <td colSpan={7}>
                      <EvaluationBars evaluation={task.evaluation} />
                    </td>
                  </tr>,
                );
              }
              return rows;
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
