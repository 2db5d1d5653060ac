import { useClock } from '../hooks/use-clock';
import { formatDate, formatRelative } from './format';

/** While a time is said in seconds ("31 sec. ago"), it moves each second, as a running time beside it does. */
const SAID_IN_SECONDS_MS = 60_000;

/** "3 min ago", kept current, with the exact date and time on hover and for assistive technology. */
export function RelativeTime({ iso }: { iso: string | null }) {
  const at = iso ? Date.parse(iso) : Number.NaN;
  // Read at render only to choose the clock: a time in seconds beside "running 36s" once lagged it by up to 15 s.
  const recent = Math.abs(Date.now() - at) < SAID_IN_SECONDS_MS;
  const now = useClock(recent ? 1000 : 15_000);
  if (!iso) return <span>—</span>;
  return (
    <time dateTime={iso} title={formatDate(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}
