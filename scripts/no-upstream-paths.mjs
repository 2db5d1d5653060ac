// Part of `npm run lint`: comments name upstream's command, function or type (`wg done`'s
// `run_inner`), never a file of upstream's source (a `.rs` path, its commands folder, codex-rs), which
// a reader of this repository cannot open and which moves when upstream reorganises. Everything but
// test/ is checked: tests keep the upstream test they port by its file and name.
import { execFileSync } from 'node:child_process';

const pattern = String.raw`\b[a-z_]+\.rs\b|src/commands/|codex-rs`;
const where = ['.', ':!test', ':!package-lock.json', ':!scripts/no-upstream-paths.mjs'];

let found = '';
try {
  found = execFileSync('git', ['grep', '--untracked', '-nE', pattern, '--', ...where], { encoding: 'utf8' });
} catch (error) {
  // git grep exits 1 when nothing matches; anything else is a real failure.
  if (error.status !== 1) throw error;
}
if (found !== '') {
  process.stderr.write(found);
  process.stderr.write("no-upstream-paths: name upstream's command, function or type instead of its source file.\n");
  process.exit(1);
}
