import { useCallback, useState } from 'react';
import type { Validation } from '../api/validate-op';
import { useMutation } from './use-mutation';

/**
 * Sends a form's op and places what went wrong: a problem with a field next to that field, once;
 * anything else (a refusal about the whole thing) above the buttons. A refusal from the daemon
 * that names one of the form's fields ("executor: no executor 'nope'") goes to that field too.
 */
export function useFormErrors(fieldNames: readonly string[]) {
  const mutation = useMutation();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);

  const submit = useCallback(
    async <T>(check: Validation, send: () => Promise<T>): Promise<T | undefined> => {
      if (!check.ok) {
        setFields(check.fields);
        setMessage(check.message);
        mutation.clearError();
        return undefined;
      }
      setFields({});
      setMessage(null);
      return mutation.run(send);
    },
    [mutation.run, mutation.clearError],
  );

  // A refusal naming a field ("field: why") is shown at the field, without the name.
  const refusal = mutation.error ? /^([A-Za-z]+): (.+)$/s.exec(mutation.error) : null;
  const refusedField = refusal && fieldNames.includes(refusal[1] as string) ? (refusal[1] as string) : null;
  return {
    pending: mutation.pending,
    submit,
    errorOf: (field: string): string | undefined => (refusedField === field ? refusal?.[2] : fields[field]),
    /** What belongs to no field: shown once, above the buttons. */
    formError: refusedField ? message : (message ?? mutation.error),
    clear: () => {
      setFields({});
      setMessage(null);
      mutation.clearError();
    },
  };
}
