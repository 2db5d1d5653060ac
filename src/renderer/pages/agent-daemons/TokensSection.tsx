import { useCallback, useState, type FormEvent } from 'react';
import type { CreatedAgentToken } from '../../../shared/agent-daemon-types';
import { useClient } from '../../api/backend-context';
import { validateOp } from '../../api/validate-op';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { formatDate } from '../../components/format';
import { splitList } from '../../components/list-input';
import { useFormErrors } from '../../hooks/use-form-errors';
import { useMutation } from '../../hooks/use-mutation';
import { useOpQuery } from '../../hooks/use-op-query';

/** Agent tokens: create (the token is shown once, with a copy button), list, revoke (asked first, as every removal is: ConfirmButton). */
export function TokensSection() {
  const client = useClient();
  const tokens = useOpQuery(
    useCallback(() => client['token:list']({}), [client]),
    { onChange: true },
  );
  const mutation = useMutation();
  const form = useFormErrors(['name', 'roles', 'repos']);
  const [created, setCreated] = useState<CreatedAgentToken | null>(null);
  const [copied, setCopied] = useState(false);
  const [values, setValues] = useState({ name: '', roles: '', repos: '' });
  // People's tokens share the list (`wg token list`); this page is about agent daemons.
  const agentTokens = tokens.data?.filter((token) => token.kind !== 'person' && token.kind !== 'admin');

  const create = async (event: FormEvent) => {
    event.preventDefault();
    // An empty field is "any": left out (an empty list is refused, not read as any).
    const roles = splitList(values.roles);
    const repos = splitList(values.repos);
    const input = { name: values.name.trim(), ...(roles.length > 0 ? { roles } : {}), ...(repos.length > 0 ? { repos } : {}) };
    const result = await form.submit(validateOp('token:create', input), () => client['token:create'](input));
    if (result) {
      setCreated(result);
      setCopied(false);
      setValues({ name: '', roles: '', repos: '' });
      await tokens.reload();
    }
  };

  return (
    <section className="card" aria-label="Agent tokens">
      <h2>Tokens</h2>
      <ErrorAlert
        message={tokens.error ?? mutation.error ?? form.formError}
        onDismiss={() => {
          mutation.clearError();
          form.clear();
        }}
      />
      {created && (
        <div className="token-once" role="status">
          <p>
            Token <strong>{created.name}</strong>, shown this once (only its last four characters are kept):
          </p>
          <code className="mono">{created.token}</code>{' '}
          <button
            type="button"
            className="small-button"
            onClick={() => void navigator.clipboard.writeText(created.token).then(() => setCopied(true))}
          >
            {copied ? 'Copied' : 'Copy'}
          </button>{' '}
          <button type="button" className="small-button" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}
      {agentTokens && agentTokens.length > 0 && (
        <table className="table" aria-label="Tokens">
          <thead>
            <tr>
              <th>Name</th>
              {/* Its last four characters, all that is kept: "Ends in" read as when it expires. */}
              <th>Token</th>
              <th>Roles</th>
              <th>Repositories</th>
              <th>Last used</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {agentTokens.map((token) => (
              <tr key={token.name} data-token={token.name}>
                <td>{token.name}</td>
                <td className="mono">…{token.last4}</td>
                <td>{token.roles.join(', ') || 'any'}</td>
                <td>{token.repos.join(', ') || 'any'}</td>
                <td>{formatDate(token.last_used_at)}</td>
                <td>{token.revoked_at ? `revoked ${formatDate(token.revoked_at)}` : 'active'}</td>
                <td className="row-actions">
                  {!token.revoked_at && (
                    <ConfirmButton
                      label="Revoke"
                      question="Revoke and disconnect its daemons?"
                      yes="Yes, revoke"
                      no="Cancel"
                      disabled={mutation.pending}
                      onConfirm={() =>
                        void mutation.run(async () => {
                          await client['token:revoke']({ name: token.name });
                          await tokens.reload();
                        })
                      }
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form aria-label="Create a token" onSubmit={(e) => void create(e)}>
        <div className="field-row">
          <Field label="Name" error={form.errorOf('name')}>
            <input value={values.name} onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))} placeholder="laptop" />
          </Field>
          <Field label="Roles" hint="comma separated; empty: any" error={form.errorOf('roles')}>
            <input value={values.roles} onChange={(e) => setValues((v) => ({ ...v, roles: e.target.value }))} placeholder="dev,qa" />
          </Field>
          <Field label="Repositories" hint="comma separated; empty: any" error={form.errorOf('repos')}>
            <input value={values.repos} onChange={(e) => setValues((v) => ({ ...v, repos: e.target.value }))} placeholder="acme/app" />
          </Field>
        </div>
        <button type="submit" className="primary" disabled={form.pending}>
          Create token
        </button>
      </form>
    </section>
  );
}
