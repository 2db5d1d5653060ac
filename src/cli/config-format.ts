import type { ConfigEntry } from '../shared/config-types';
import { formatDuration } from '../shared/durations';

/** A setting's value as a person reads it: durations with their unit ("5 minutes"). */
export function configValue(entry: ConfigEntry): string {
  if (entry.value === null) return entry.unit ? '(no limit)' : '(unset)';
  return entry.unit && typeof entry.value === 'number' ? formatDuration(entry.value, entry.unit) : String(entry.value);
}

/** Where a value came from: default, global, local or an override (and the setting it follows, if derived). */
export function configSource(entry: ConfigEntry): string {
  const unused = entry.unused
    ? `; ${entry.key.split('.')[1]} = ${configValue({ ...entry, ...entry.unused })} (${entry.unused.source}) is not used`
    : '';
  return `(${entry.source}${entry.via ? `, from ${entry.via}` : ''}${unused})`;
}
