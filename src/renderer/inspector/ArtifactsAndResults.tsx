import type { JsonValue } from '../../shared/task';

/** Artifact paths and the structured results handed over with `wg done --artifacts`. */
export function ArtifactsAndResults({ artifacts, results }: { artifacts: readonly string[]; results: Record<string, JsonValue> }) {
  const entries = Object.entries(results);
  if (artifacts.length === 0 && entries.length === 0) return <p className="muted">No artifacts or results.</p>;
  return (
    <div className="artifacts">
      {artifacts.length > 0 && (
        <ul aria-label="Artifacts">
          {artifacts.map((artifact) => (
            <li key={artifact}>
              <code>{artifact}</code>
            </li>
          ))}
        </ul>
      )}
      {entries.length > 0 && (
        <dl className="results" aria-label="Results">
          {entries.map(([key, value]) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>
                <code>{typeof value === 'string' ? value : JSON.stringify(value)}</code>
              </dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
