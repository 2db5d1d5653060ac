import { useState, type FormEvent } from 'react';
import type { AppClient } from '../../../shared/app-ops';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { useMutation } from '../../hooks/use-mutation';

/**
 * Connects this window to a coordinator on another machine (`wg service start --listen …` there):
 * its address and a token, the person's own (what they do is then logged with their name) or the
 * coordinator's. The app checks both and connects before it lets go of the open project,
 * so a refusal (one sentence, shown here) changes nothing; once connected it is open beside the local
 * projects, shown, and worked with exactly as a local one.
 */
export function ConnectCoordinatorForm({ app }: { app: AppClient }) {
  const mutation = useMutation();
  const [values, setValues] = useState({ url: '', token: '' });
  const [connected, setConnected] = useState<string | null>(null);

  const connect = async (event: FormEvent) => {
    event.preventDefault();
    const result = await mutation.run(() => app['app:connect'](values));
    const shown = result?.projects.find((project) => project.current);
    if (shown) setConnected(shown.name);
  };

  return (
    <section className="card" aria-label="Connect to a coordinator">
      <h2>Coordinator on another machine</h2>
      <p className="muted">
        Work with a coordinator that runs elsewhere (<code>wg service start --listen …</code> there), with your own token, made there with{' '}
        <code>wg token create NAME --person</code>: what you do is logged with your name.
      </p>
      <ErrorAlert message={mutation.error} onDismiss={mutation.clearError} />
      {connected && <p role="status">Connected to {connected}.</p>}
      <form aria-label="Connect to a coordinator" onSubmit={(e) => void connect(e)}>
        <div className="field-row">
          <Field label="Address">
            <input
              value={values.url}
              onChange={(e) => setValues((v) => ({ ...v, url: e.target.value }))}
              placeholder="https://build.example.com:8787"
              autoComplete="url"
            />
          </Field>
          <Field label="Token" hint="yours, from wg token create NAME --person">
            <input
              type="password"
              value={values.token}
              onChange={(e) => setValues((v) => ({ ...v, token: e.target.value }))}
              autoComplete="off"
            />
          </Field>
        </div>
        <button type="submit" className="primary" disabled={mutation.pending}>
          {mutation.pending ? 'Connecting…' : 'Connect'}
        </button>
      </form>
    </section>
  );
}
