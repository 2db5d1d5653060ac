import { Fragment, useCallback, useState } from 'react';
import type { ConfigEntry } from '../../shared/config-types';
import { useClient } from '../api/backend-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { useOpQuery } from '../hooks/use-op-query';
import { useProjectFacts } from '../state/project-facts';
import { effectiveSettings, overrideNote, savedValue, SOURCE_LABELS, valueText } from './settings/effective-settings';
import { SettingsForm } from './settings/SettingsForm';

/**
 * The settings in force, each with where its value comes from (the coordinator's start flag, this
 * project's config.toml, the global one, the default) and, where a start flag keeps a saved value
 * from applying, that value beside it (why, on hover); and a form to change them, which says what a
 * save did once one is made, in the form, never over the table.
 */
export function SettingsPage() {
  const client = useClient();
  const facts = useProjectFacts();
  const query = useOpQuery(useCallback(() => client['config:list']({}), [client]));
  const [updated, setUpdated] = useState<ConfigEntry[] | null>(null);
  const entries = updated ?? query.data;
  const running = facts.service?.running ? (facts.service.settings ?? entries ?? null) : null;

  return (
    <div className="page">
      <header className="page-head">
        <h1>Settings</h1>
      </header>
      <ErrorAlert message={query.error} />
      {entries && (
        <div className="columns">
          <table className="table" aria-label="Config entries">
            <caption className="muted small table-caption">
              {running
                ? 'What the running coordinator uses, and where each value comes from.'
                : 'The saved settings (no coordinator is running).'}
            </caption>
            <thead>
              <tr>
                <th>Key</th>
                <th>Value</th>
                <th>Source</th>
              </tr>
            </thead>
            <tbody>
              {effectiveSettings(entries, running).map((setting) => (
                <tr key={setting.key} data-key={setting.key}>
                  <td className="mono">
                    {/* A long key wraps after its section ("coordinator." / "incomplete_retry_delay") beside the form at 1024 px. */}
                    {setting.key.split('.').map((part, index) => (
                      <Fragment key={part}>
                        {index > 0 && '.'}
                        {index > 0 && <wbr />}
                        {part}
                      </Fragment>
                    ))}
                  </td>
                  <td className="mono setting-value">{valueText(setting)}</td>
                  <td>
                    <span className={`badge source-${setting.source}`} title={overrideNote(setting) ?? undefined}>
                      {SOURCE_LABELS[setting.source]}
                    </span>
                    {setting.overridden && <span className="muted small setting-saved"> saved: {savedValue(setting.overridden)}</span>}
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
