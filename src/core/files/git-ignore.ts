import { appendFileSync, existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileNoFollow } from './no-follow';

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
graph.lock
graph.jsonl.refused*
runs/
desktop/
`;

/** Whether a .gitignore line already ignores the folder named `name` (as upstream's check: the same line). */
const ignores = (line: string, name: string) => [name, `${name}/`, `/${name}`, `/${name}/`].includes(line.trim());

/** Why `file` (or the link at its name) is another user's, or null when it is this user's. */
function othersOwn(file: string): string | null {
  const me = process.getuid?.();
  if (me === undefined) return null;
  if (lstatSync(file).uid !== me) return "is another user's (a link or file of theirs), not written to";
  if (statSync(file).uid !== me) return "is another user's file, not written to";
  return null;
}

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
    // A link another user planted there (a shared folder), or a file of theirs, is not this user's to append to.
    const owner = othersOwn(file);
    if (owner) return { added: null, problem: `${file} ${owner}: add ${name} to it yourself to keep it out of commits` };
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

/**
 * This app's own folder inside a folder upstream uses (`desktop/`: graph.db, the token, every run's
 * prompt) keeps itself out of git with a `.gitignore` of its own that ignores everything in it: the
 * folder it is in is upstream's, often committed by a team, with upstream's `.gitignore` that knows
 * nothing of it, and neither is this app's to rewrite. Made once; a folder that cannot take it still works.
 */
export function ignoreOwnFolder(ownDir: string): void {
  const file = join(ownDir, '.gitignore');
  if (existsSync(file)) return;
  try {
    writeFileNoFollow(file, "# Workgraph Desktop's own files (graph.db, the API token, run prompts): never committed\n*\n", 0o644);
  } catch {
    // Read-only or full: nothing here to commit then either, beyond what is already there.
  }
}
