import { shortHash } from '../../shared/agency';
import { useIdentity } from './identity-context';

/**
 * An agent identity as people read it: its name and the first eight hex characters of its hash
 * (the whole hash on hover). With `onOpen` it is a link to the identity on the Agency page.
 */
export function IdentityLabel({ id, onOpen }: { id: string; onOpen?: (id: string) => void }) {
  const identity = useIdentity(id);
  const label = (
    <>
      <span className="identity-name">{identity?.name ?? 'unknown identity'}</span> <code className="identity-hash">{shortHash(id)}</code>
    </>
  );
  if (!onOpen)
    return (
      <span className="identity-label" title={id}>
        {label}
      </span>
    );
  return (
    <button type="button" className="link-button identity-label" title={`${id} — show on the Agency page`} onClick={() => onOpen(id)}>
      {label}
    </button>
  );
}
