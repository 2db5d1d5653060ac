import { useCallback } from 'react';
import { useClient } from '../api/backend-context';
import { useOpQuery } from './use-op-query';

/** Names of registered models and executor profiles, for suggestions in forms. */
export function useRegistryNames(): { models: string[]; executors: string[] } {
  const client = useClient();
  const models = useOpQuery(useCallback(() => client['model:list']({}), [client]));
  const executors = useOpQuery(useCallback(() => client['executor:list']({}), [client]));
  return {
    models: models.data?.models.map((model) => model.name) ?? [],
    executors: executors.data?.map((profile) => profile.name) ?? [],
  };
}
