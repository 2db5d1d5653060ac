import { useCallback, useState } from 'react';
import type { ConfigEntry } from '../../shared/config-types';
import { useClient } from '../api/backend-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { useOpQuery } from '../hooks/use-op-query';
import { SettingsForm } from './settings/SettingsForm';

/** Every config entry with where its value comes from, and a form to change them. */
export function SettingsPage() {
  const client = useClient();
  const query = useOpQuery(useCallback(() => client['config:list']({}), [client]));
  const [updated, setUpdated] = useState<ConfigEntry[] | null>(null);
  const entries = updated ?? query.data;

  return (
    <div className="page">
      <header className="page-head">
        <h1>Settings</h1>
      </header>
      <ErrorAlert message={query.error} />
      {entries && (
        <div className="columns">
          <table className="table" aria-label="Config entries">
            <thead>
              <tr>
                <th>Key</th>
                <th>Value</th>
                <th>Source</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.key} data-key={entry.key}>
                  <td className="mono">{entry.key}</td>
                  <td className="mono">{entry.value === null ? '—' : String(entry.value)}</td>
                  <td>
                    <span className={`badge source-${entry.source}`}>{entry.source}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <SettingsForm key={query.data ? 'loaded' : 'empty'} entries={entries} onSaved={setUpdated} />
        </div>
      )}
    </div>
  );
}
