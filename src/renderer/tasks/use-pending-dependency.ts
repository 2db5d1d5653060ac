import { useState } from 'react';
import type { Validation } from '../api/validate-op';
import type { DependencyOptions } from './dependency-options';

/**
 * Text left in "Depends on" is not a dependency until picked: Save is refused with it rather than dropping it (a new
 * task created without it started at once). Once Save was refused for it, its problem is the field's, said there
 * once and kept up as the person types; emptied (picked, or rubbed out), the field is quiet again.
 */
export function usePendingDependency(dependencies: DependencyOptions, chosen: readonly string[]) {
  const [text, setText] = useState('');
  const [refused, setRefused] = useState(false);
  const pending = text.trim() !== '';
  return {
    /** Whether text is left in the box (closing the form would lose it). */
    pending,
    onTextChange: (next: string) => {
      setText(next);
      if (next.trim() === '') setRefused(false);
    },
    /** The form's own check, refused as well while text is left. */
    check: (validation: Validation): Validation => {
      if (!pending) return validation;
      setRefused(true);
      return validation.ok ? { ok: false, fields: {}, message: null } : validation;
    },
    /** What the field says once Save was refused for the text; null otherwise. */
    problem: refused && pending ? dependencies.problemOf(text, chosen) : null,
  };
}
