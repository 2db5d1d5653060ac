import { useProjectFacts } from '../state/project-facts';

/** Names of registered models and executor profiles, for pickers in forms. */
export function useRegistryNames(): { models: string[]; executors: string[] } {
  const { models, executors } = useProjectFacts();
  return {
    models: models?.models.map((model) => model.name) ?? [],
    executors: executors.map((profile) => profile.name),
  };
}
