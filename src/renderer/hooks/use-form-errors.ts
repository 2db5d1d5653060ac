import { useCallback, useState } from 'react';
import type { Validation } from '../api/validate-op';
import { useMutation } from './use-mutation';

/**
 * Sends a form's op and places what went wrong: a problem with a field next to that field, once;
 * anything else (a refusal about the whole thing) above the buttons. A refusal from the daemon
 * that names one of the form's fields ("executor: no executor 'nope'") goes to that field too, and so does one
 * `fieldOfRefusal` places there (a field's own words, said whole: "task 'x' already exists" is the Id's).
 */
export function useFormErrors(fieldNames: readonly string[], fieldOfRefusal?: (refusal: string) => string | null) {
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

  // A refusal naming a field is shown at the field: "field: why" without the name, "field 'x' is …" whole.
  const refusal = mutation.error ? /^([A-Za-z]+)(: | )(.+)$/s.exec(mutation.error) : null;
  const placed = mutation.error && fieldOfRefusal ? fieldOfRefusal(mutation.error) : null;
  const named = refusal && fieldNames.includes(refusal[1] as string) ? (refusal[1] as string) : null;
  const refusedField = placed ?? named;
  const refusalText = !placed && refusal?.[2] === ': ' ? refusal[3] : (mutation.error ?? undefined);
  return {
    pending: mutation.pending,
    submit,
    errorOf: (field: string): string | undefined => (refusedField === field ? refusalText : fields[field]),
    /**
     * The person changed a field: what was said of it is gone (a title's "is empty" stayed under the title typed
     * since, until the next Save).
     */
    edited: (field: string) => {
      setFields((now) => {
        if (!(field in now)) return now;
        const { [field]: _said, ...rest } = now;
        return rest;
      });
      if (refusedField === field) mutation.clearError();
    },
    /** What belongs to no field: shown once, above the buttons. */
    formError: refusedField ? message : (message ?? mutation.error),
    clear: () => {
      setFields({});
      setMessage(null);
      mutation.clearError();
    },
  };
}
