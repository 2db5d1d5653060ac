/**
 * One writer of the concurrent-config test: adds `count` models to the project's config.toml, one
 * read-modify-write each, as `wg model add` does. Run as its own process (bundled: test/helpers/bundled-script.ts),
 * several at once.
 */
import { addModel } from '../../../src/core/config/models';
import { projectPaths } from '../../../src/core/project';

const [dir, prefix, count] = process.argv.slice(2) as [string, string, string];
const paths = projectPaths(dir);
for (let i = 0; i < Number(count); i++)
  await addModel(paths, { name: `${prefix}-${i}`, provider: 'openrouter', modelId: `vendor/${prefix}-${i}` });
