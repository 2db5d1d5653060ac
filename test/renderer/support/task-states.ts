// Apart from fixtures.ts, which the node-side benches import too: a task state is the window's type, and its
// module reads the browser's navigator, which the node type-check has no declaration of.
import type { TaskState } from '../../../src/renderer/task-state/task-state';

/** A task's state in the window whose words are only its kind (for rules that look at the kind). */
export const stateOf = (kind: TaskState['kind']): TaskState => ({ kind, text: kind });
