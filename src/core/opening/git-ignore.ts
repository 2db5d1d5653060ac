import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileNoFollow } from '../files/no-follow';

/**
 * What is never committed from inside the workgraph folder, should the folder itself be committed:
 * upstream's own list (its `wg init` writes these: agent logs, the service folder, credentials), then
 * this app's (graph.db and its companions, the run folders with every run's prompt and output, and
 * its own folder beside upstream's files). The project's token lives in `service/`.
 */
const INNER_IGNORE = `# Never committed (written by wg init)
# agent output, service files (the API token), credentials
agents/
service/
matrix.toml
*.secret
*.credentials
# Workgraph Desktop: the database, the runs (their prompts and output), its own folder
graph.db
graph.db-*
runs/
desktop/
`;

/** Whether a .gitignore line already ignores the folder named `name` (as upstream's check: the same line). */
const ignores = (line: string, name: string) => [name, `${name}/`, `/${name}`, `/${name}/`].includes(line.trim());

/**
 * What upstream's `wg init` does for git, done when a workgraph folder is made: the folder's name is
 * added to the `.gitignore` of the folder that holds it (created when there is none; a line already
 * there is not added twice), so `git add -A` takes nothing of it (the token, graph.db, run prompts),
 * and the folder gets a `.gitignore` of its own for the day someone commits it anyway. Says what
 * it did ("Added .workgraph to .gitignore", as upstream says it) or why it could not.
 */
export function ignoreWorkgraphFolder(wgDir: string): { added: string | null; problem: string | null } {
  try {
    writeFileNoFollow(join(wgDir, '.gitignore'), INNER_IGNORE, 0o644);
  } catch {
    // A folder that cannot take it still works; the line below is what keeps it out of commits.
  }
  const name = basename(wgDir);
  const file = join(dirname(wgDir), '.gitignore');
  let text = '';
  try {
    // Only a file is read: a FIFO or a device at the name would block or feed garbage.
    if (!statSync(file).isFile()) return { added: null, problem: `${file} is not a file: add ${name} to it to keep it out of commits` };
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      return { added: null, problem: `${file} could not be read: add ${name} to it to keep it out of commits` };
  }
  if (text.split('\n').some((line) => ignores(line, name))) return { added: null, problem: null };
  try {
    // The person's own file, appended to as git itself would (a link there is theirs to have made).
    appendFileSync(file, `${text === '' || text.endsWith('\n') ? '' : '\n'}${name}\n`);
  } catch {
    return { added: null, problem: `${file} could not be written: add ${name} to it to keep it out of commits` };
  }
  return { added: `Added ${name} to .gitignore`, problem: null };
}
