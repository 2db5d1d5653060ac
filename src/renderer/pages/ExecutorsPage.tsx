import { useCallback, useState } from 'react';
import type { ExecutorProfile } from '../../shared/config-types';
import { useClient } from '../api/backend-context';
import { useConfirm } from '../components/confirm';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMutation } from '../hooks/use-mutation';
import { useOpQuery } from '../hooks/use-op-query';
import { useGraph } from '../state/graph-context';
import { defaultExecutorOf, useProjectFacts } from '../state/project-facts';
import { EMPTY_EXECUTOR, type ExecutorFormValues } from './executors/executor-fields';
import { ExecutorForm } from './executors/ExecutorForm';

function formValues(profile: ExecutorProfile): ExecutorFormValues {
  return {
    ...EMPTY_EXECUTOR,
    name: profile.name,
    type: profile.type,
    command: profile.command ?? '',
    args: profile.args.join('\n'),
    endpoint: profile.endpoint ?? '',
    method: profile.method === 'PUT' ? 'PUT' : 'POST',
    model: profile.model ?? '',
    timeout: profile.timeout === null ? '' : String(profile.timeout),
    repo: profile.repo ?? '',
    role: profile.role ?? '',
  };
}

/** Executor profiles: what runs an agent (Claude, Codex, a shell, any CLI, an HTTP endpoint, …). */
export function ExecutorsPage() {
  const client = useClient();
  const query = useOpQuery(
    useCallback(() => client['executor:list']({}), [client]),
    { onChange: true },
  );
  const mutation = useMutation();
  const confirm = useConfirm();
  const { tasks } = useGraph();
  const facts = useProjectFacts();
  // The default executor is not removed from here: until another is chosen (Settings), the coordinator would keep the
  // profile it has and pass over every later change to config.toml.
  const defaultSetting = (profile: ExecutorProfile) =>
    facts.config.find((e) => (e.key === 'coordinator.executor' || e.key === 'agent.executor') && e.value === profile.name)?.key;
  const remove = async (profile: ExecutorProfile) => {
    let using = 0;
    for (const task of tasks.values()) if (task.executor === profile.name && task.status !== 'done' && task.status !== 'abandoned') using++;
    const answer = await confirm({
      title: `Remove the executor “${profile.name}”?`,
      body: (
        <p>
          {using > 0
            ? `${using} unfinished ${using === 1 ? 'task names' : 'tasks name'} it; they cannot start until given another executor. `
            : ''}
          Its settings are deleted from config.toml.
        </p>
      ),
      confirmLabel: 'Remove',
      danger: true,
    });
    if (!answer) return;
    await mutation.run(async () => {
      // The person was told of the unfinished tasks that name it, and chose to go ahead.
      await client['executor:remove']({ name: profile.name, force: true });
      await Promise.all([query.reload(), facts.reload()]);
    });
  };
  // Editing loads a profile into a fresh form (the key remounts it with those values).
  const [editing, setEditing] = useState<{ key: number; values?: ExecutorFormValues }>({ key: 0 });

  return (
    <div className="page">
      <header className="page-head">
        <h1>Executors</h1>
      </header>
      <ErrorAlert message={query.error ?? mutation.error} onDismiss={mutation.clearError} />
      {query.data && (
        <table className="table" aria-label="Executor profiles">
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Command / endpoint</th>
              <th>Model</th>
              <th className="num">Timeout</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {query.data.map((profile) => (
              <tr key={profile.name} data-executor={profile.name}>
                <td>
                  {profile.name} {profile.builtin && <span className="badge">built-in</span>}{' '}
                  {defaultExecutorOf(facts.config) === profile.name && <span className="badge">default</span>}
                </td>
                <td>{profile.type}</td>
                <td className="mono">
                  {profile.endpoint
                    ? `${profile.method ?? 'POST'} ${profile.endpoint}`
                    : [profile.command, ...profile.args].filter(Boolean).join(' ') || '—'}
                </td>
                <td>{profile.model ?? '—'}</td>
                <td className="num">{profile.timeout === null ? '—' : `${profile.timeout}s`}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="small-button"
                    onClick={() => setEditing((e) => ({ key: e.key + 1, values: formValues(profile) }))}
                  >
                    Edit
                  </button>
                  {!profile.builtin && (
                    <button
                      type="button"
                      className="small-button danger"
                      disabled={mutation.pending || defaultSetting(profile) !== undefined}
                      title={
                        defaultSetting(profile) && `The default executor (${defaultSetting(profile)}): choose another in Settings first`
                      }
                      onClick={() => void remove(profile)}
                    >
                      Remove…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ExecutorForm key={editing.key} initial={editing.values} onSaved={() => void query.reload()} />
    </div>
  );
}
