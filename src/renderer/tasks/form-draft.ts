import type { TaskFormValues } from './task-form-values';

/** The form's fields other than the dependencies, which are kept as what was added and removed. */
export type DraftField = Exclude<keyof TaskFormValues, 'after'>;

/**
 * What the person has done in the task form, kept apart from the task itself so that the fields they have not
 * touched go on showing the live task while the form is open (another window, `wg edit` in a terminal).
 *
 * `edits` holds the fields they changed; `bases` the live value each of those had when they started changing it,
 * so that Save can tell a field someone else changed meanwhile. Dependencies are what they added and removed, so
 * a dependency added elsewhere meanwhile is kept (sent as `wg edit --add-after/--remove-after`).
 */
export interface FormDraft {
  edits: Partial<Pick<TaskFormValues, DraftField>>;
  bases: Partial<Pick<TaskFormValues, DraftField>>;
  added: string[];
  removed: string[];
}

export const EMPTY_DRAFT: FormDraft = { edits: {}, bases: {}, added: [], removed: [] };

/** What the form shows: the live task, with the person's changes over it. */
export function shownValues(draft: FormDraft, live: TaskFormValues): TaskFormValues {
  const after = [...live.after.filter((id) => !draft.removed.includes(id)), ...draft.added.filter((id) => !live.after.includes(id))];
  return { ...live, ...draft.edits, after };
}

/** The person set a field. Set back to what it was when they started, it is theirs no more: it follows the task again. */
export function withField<K extends DraftField>(draft: FormDraft, key: K, value: TaskFormValues[K], live: TaskFormValues): FormDraft {
  const base = key in draft.bases ? draft.bases[key] : live[key];
  const edits = { ...draft.edits };
  const bases = { ...draft.bases };
  if (value === base) {
    delete edits[key];
    delete bases[key];
  } else {
    edits[key] = value;
    bases[key] = base;
  }
  return { ...draft, edits, bases };
}

/** The person's dependency list changed to `next`: kept as what they added and what they removed. */
export function withAfter(draft: FormDraft, next: readonly string[], live: TaskFormValues): FormDraft {
  const before = shownValues(draft, live).after;
  const picked = next.filter((id) => !before.includes(id));
  const dropped = before.filter((id) => !next.includes(id));
  return {
    ...draft,
    added: [...draft.added.filter((id) => !dropped.includes(id)), ...picked.filter((id) => !live.after.includes(id))],
    removed: [...draft.removed.filter((id) => !picked.includes(id)), ...dropped.filter((id) => live.after.includes(id))],
  };
}

/** The person's change to `key` is dropped: the field shows the live task again. */
export function withoutField(draft: FormDraft, key: DraftField): FormDraft {
  const edits = { ...draft.edits };
  const bases = { ...draft.bases };
  delete edits[key];
  delete bases[key];
  return { ...draft, edits, bases };
}

/** The fields the person changed whose live value has changed too since they started, to something else than theirs. */
export function changedMeanwhile(draft: FormDraft, live: TaskFormValues): DraftField[] {
  return (Object.keys(draft.edits) as DraftField[]).filter((key) => draft.bases[key] !== live[key] && draft.edits[key] !== live[key]);
}

/** The person has seen the live value of these fields: Save writes theirs over it (unless it changes once more). */
export function acknowledged(draft: FormDraft, live: TaskFormValues, keys: readonly DraftField[]): FormDraft {
  const bases = { ...draft.bases };
  for (const key of keys) Object.assign(bases, { [key]: live[key] });
  return { ...draft, bases };
}

/** Whether the person has changed anything (closing the form would lose it). */
export const draftChanged = (draft: FormDraft): boolean =>
  Object.keys(draft.edits).length > 0 || draft.added.length > 0 || draft.removed.length > 0;
