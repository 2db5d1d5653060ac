import { useCallback } from 'react';
import { useClient } from '../api/backend-context';
import { useConfirm } from '../components/confirm';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMutation } from '../hooks/use-mutation';
import { useOpQuery } from '../hooks/use-op-query';
import { useProjectFacts } from '../state/project-facts';
import { AddModelForm } from './models/AddModelForm';
import { RoleRouting } from './models/RoleRouting';

/** The model registry: models with tier and price, the default, and which model each role uses. */
export function ModelsPage() {
  const client = useClient();
  const query = useOpQuery(
    useCallback(() => client['model:list']({}), [client]),
    { onChange: true },
  );
  const mutation = useMutation();
  const confirm = useConfirm();
  const facts = useProjectFacts();
  const registry = query.data;
  const change = (action: () => Promise<unknown>) =>
    void mutation.run(async () => {
      await action();
      await Promise.all([query.reload(), facts.reload()]);
    });
  const remove = async (name: string) => {
    const answer = await confirm({
      title: `Remove the model “${name}”?`,
      body: <p>Its entry is deleted from config.toml; tasks, executors or roles that still name it will need another model.</p>,
      confirmLabel: 'Remove',
      danger: true,
    });
    if (answer) change(() => client['model:remove']({ name }));
  };

  // What still names a model: removed, the default or a role's route would go on naming a model that is not there. The
  // store refuses it (saying --force, a flag the window has not), so it is not offered here until they are changed.
  const usersOf = (name: string): string[] =>
    registry
      ? [
          ...(registry.default === name ? ['the default model'] : []),
          ...Object.entries(registry.roles)
            .filter(([, routed]) => routed === name)
            .map(([role]) => `the ${role} role`),
        ]
      : [];

  return (
    <div className="page">
      <header className="page-head">
        <h1>Models</h1>
      </header>
      <ErrorAlert message={query.error ?? mutation.error} onDismiss={mutation.clearError} />
      {registry && (
        <>
          <table className="table" aria-label="Models">
            <thead>
              <tr>
                <th>Name</th>
                <th>Provider</th>
                <th>Model id</th>
                <th>Tier</th>
                <th className="num">$ / M in</th>
                <th className="num">$ / M out</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {registry.models.map((model) => {
                const isDefault = registry.default === model.name;
                return (
                  <tr key={model.name} data-model={model.name}>
                    <td>
                      {model.name} {isDefault && <span className="badge badge-default">default</span>}
                      {model.builtin && <span className="badge">built-in</span>}
                    </td>
                    <td>{model.provider}</td>
                    <td className="mono">{model.model_id}</td>
                    <td>{model.tier}</td>
                    <td className="num">{model.cost_in ?? '—'}</td>
                    <td className="num">{model.cost_out ?? '—'}</td>
                    <td className="row-actions">
                      {!isDefault && (
                        <button
                          type="button"
                          className="small-button"
                          disabled={mutation.pending}
                          onClick={() => change(() => client['model:setDefault']({ name: model.name }))}
                        >
                          Set default
                        </button>
                      )}
                      {!model.builtin && (
                        <button
                          type="button"
                          className="small-button danger"
                          disabled={mutation.pending || usersOf(model.name).length > 0}
                          title={
                            usersOf(model.name).length > 0
                              ? `Named by ${usersOf(model.name).join(', ')}: give them another model first`
                              : undefined
                          }
                          onClick={() => void remove(model.name)}
                        >
                          Remove…
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="columns">
            <AddModelForm onAdded={() => void query.reload()} />
            <RoleRouting registry={registry} onChanged={() => void query.reload()} />
          </div>
        </>
      )}
    </div>
  );
}
