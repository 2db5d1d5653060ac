import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKTREES_DIR } from './naming';

const PATTERN = `${WORKTREES_DIR}/`;

/**
 * Keeps `.wg-worktrees/` out of `git status` through the repository's own `info/exclude` (shared by
 * all its worktrees), never the person's `.gitignore`, which is theirs and committed. Idempotent.
 */
export function ensureExcluded(commonDir: string): void {
  const file = join(commonDir, 'info', 'exclude');
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(join(commonDir, 'info'), { recursive: true });
  }
  if (text.split('\n').some((line) => line.trim() === PATTERN || line.trim() === `/${PATTERN}`)) return;
  const separator = text.length > 0 && !text.endsWith('\n') ? '\n' : '';
  appendFileSync(file, `${separator}# agent worktrees of Workgraph\n${PATTERN}\n`);
}
