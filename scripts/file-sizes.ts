// Part of `npm run lint`: the coordinator and the service that hosts it stay made of parts a reader takes
// in at once. A file there over LIMIT lines fails the lint, named with its length; the way out is a part with a job
// of its own (as coordinator-service.ts's feeds, commit looks and API were cut out), not a longer limit.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const LIMIT = 400;
const FOLDERS = ['src/core/coordinator', 'src/core/service'];

const root = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const tooLong = FOLDERS.flatMap((folder) => sourceFiles(join(root, folder)))
  .map((file) => ({ file: relative(root, file), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
  .filter(({ lines }) => lines > LIMIT);
for (const { file, lines } of tooLong)
  console.error(`${file}: ${lines} lines, over the ${LIMIT} a file of ${FOLDERS.join(' or ')} may have`);
process.exitCode = tooLong.length > 0 ? 1 : 0;
