import { afterAll, beforeAll } from 'vitest';
import { TempProject } from '../../helpers/wg-cli';

/**
 * The project `wg show`'s tests read (show.test.ts in-process, show.process.test.ts on a terminal): a chain of three
 * tasks, the first claimed by an agent and scored, made before the file's tests and removed after them.
 */
export function showProject(): TempProject {
  const p = new TempProject('wg-show-');
  beforeAll(async () => {
    await p.ok(['init']);
    await p.ok(['add', 'Research', '--tag', 'docs']);
    await p.ok(['add', 'Write report', '--after', 'research', '-d', 'Use the **research**.', '--model', 'opus']);
    await p.ok(['add', 'Publish', '--after', 'write-report']);
    await p.ok(['claim', 'research', '--agent', 'agent-1']);
    await p.ok(['evaluate', 'record', 'research', '--score', '0.93', '--dim', 'correctness=0.95']);
  });
  afterAll(() => p.remove());
  return p;
}
