import { useCallback } from 'react';
import { useClient } from '../api/backend-context';
import { useOpQuery } from './use-op-query';

/** Whether the open project is read-only (its folder cannot be written): shown, nothing runs or changes. */
export function useReadOnly(): boolean {
  const client = useClient();
  const query = useOpQuery(useCallback(() => client['service:status']({}), [client]));
  return query.data?.read_only === true;
}
