import { useState } from 'react';
import type { JsonValue } from '../../shared/task';
import { plainText } from '../output/plain-text';

const isUrl = (value: string) => /^https?:\/\/\S+$/i.test(value);

/** Artifact paths and URLs as links, and the structured results handed over with `wg done --artifacts`. */
export function ArtifactsAndResults({ artifacts, results }: { artifacts: readonly string[]; results: Record<string, JsonValue> }) {
  const entries = Object.entries(results);
  if (artifacts.length === 0 && entries.length === 0) return <p className="muted">No artifacts or results.</p>;
  return (
    <div className="artifacts">
      {artifacts.length > 0 && (
        <ul aria-label="Artifacts">
          {artifacts.map((artifact) => (
            <li key={artifact}>
              <ArtifactLink value={artifact} />
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
                {typeof value === 'string' && isUrl(value) ? (
                  <ArtifactLink value={value} />
                ) : (
                  <code>{typeof value === 'string' ? plainText(value) : JSON.stringify(value)}</code>
                )}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

/**
 * A URL opens in the browser (the desktop app hands it to the system); a file path is in the
 * project, which the window cannot open, so the link copies it for the terminal or editor.
 */
function ArtifactLink({ value }: { value: string }) {
  const [copied, setCopied] = useState(false);
  if (isUrl(value)) {
    return (
      <a href={value} target="_blank" rel="noreferrer noopener" className="artifact-link">
        {value}
      </a>
    );
  }
  return (
    <>
      <a
        href={`#${encodeURIComponent(value)}`}
        className="artifact-link mono"
        title="Copy the path"
        onClick={(event) => {
          event.preventDefault();
          void navigator.clipboard?.writeText(value).then(
            () => setCopied(true),
            () => undefined,
          );
        }}
      >
        {value}
      </a>
      {copied && (
        <span className="muted small" role="status">
          {' '}
          copied
        </span>
      )}
    </>
  );
}
