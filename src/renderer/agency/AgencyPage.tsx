import { useCallback, useState } from 'react';
import type { RoleView } from '../../shared/agency';
import { useClient } from '../api/backend-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMutation } from '../hooks/use-mutation';
import { useOpQuery } from '../hooks/use-op-query';
import { useNavigation } from '../state/navigation';
import { GateSettings } from './GateSettings';
import { IdentityForm, TradeoffForm } from './IdentityForms';
import { IdentityTable } from './IdentityTable';
import { RoleForm } from './RoleForm';
import { RoleTable, TradeoffTable } from './RoleTable';

/**
 * Who the agents are: identities (a role and a tradeoff) with their task counts and scores, the roles
 * and tradeoffs they are made of, the forms to make more, and the assignment and evaluation switches.
 */
export function AgencyPage() {
  const client = useClient();
  const { selectedIdentity } = useNavigation();
  const query = useOpQuery(
    useCallback(() => client['agency:overview']({}), [client]),
    { onChange: true },
  );
  const mutation = useMutation();
  const [editing, setEditing] = useState<RoleView | null>(null);
  const overview = query.data;
  const reload = () => void query.reload();
  const act = (action: () => Promise<unknown>) =>
    void mutation.run(async () => {
      await action();
      await query.reload();
    });

  return (
    <div className="page agency-page">
      <header className="page-head">
        <h1>Agency</h1>
      </header>
      <ErrorAlert message={query.error ?? mutation.error} onDismiss={mutation.clearError} />
      {query.loading && <p className="muted">Loading the agency…</p>}
      {overview && overview.identities.length === 0 && (
        <section className="card empty-agency">
          <h2>No agent identities yet</h2>
          <p className="muted">
            Set up the agency with the starter roles (Programmer, Reviewer, Documenter, Architect), tradeoffs (Careful, Fast, Thorough,
            Balanced), the agent Careful Programmer, an assigner and an evaluator. It also turns on assignment and the evaluation gate.
          </p>
          <button type="button" className="primary" disabled={mutation.pending} onClick={() => act(() => client['agency:init']({}))}>
            Set up the agency
          </button>
        </section>
      )}
      {overview && (
        <>
          <GateSettings
            key={`${overview.settings.eval_threshold}:${overview.settings.max_eval_rescues}`}
            settings={overview.settings}
            onChanged={reload}
          />
          <h2 className="section-title">Agents</h2>
          <IdentityTable
            identities={overview.identities}
            selected={selectedIdentity}
            busy={mutation.pending}
            onRemove={(i) => act(() => client['identity:rm']({ id: i.id }))}
          />
          <h2 className="section-title">Roles</h2>
          <RoleTable
            roles={overview.roles}
            identities={overview.identities}
            busy={mutation.pending}
            onEdit={setEditing}
            onRemove={(r) => act(() => client['role:rm']({ id: r.id }))}
          />
          <h2 className="section-title">Tradeoffs</h2>
          <TradeoffTable
            tradeoffs={overview.tradeoffs}
            identities={overview.identities}
            busy={mutation.pending}
            onRemove={(t) => act(() => client['tradeoff:rm']({ id: t.id }))}
          />
          <div className="columns agency-forms">
            <IdentityForm roles={overview.roles} tradeoffs={overview.tradeoffs} onDone={reload} />
            {editing ? (
              <RoleForm
                key={editing.id}
                role={editing}
                components={overview.components}
                outcomes={overview.outcomes}
                onDone={() => {
                  setEditing(null);
                  reload();
                }}
              />
            ) : (
              <RoleForm key="new" components={overview.components} outcomes={overview.outcomes} onDone={reload} />
            )}
            <TradeoffForm onDone={reload} />
          </div>
        </>
      )}
    </div>
  );
}
