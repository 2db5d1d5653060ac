import { useClock } from '../hooks/use-clock';
import { formatDate, formatRelative } from './format';

/** "3 min ago", kept current, with the exact date and time on hover and for assistive technology. */
export function RelativeTime({ iso }: { iso: string | null }) {
  const now = useClock(15_000);
  if (!iso) return <span>—</span>;
  return (
    <time dateTime={iso} title={formatDate(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}
