import type { Command } from 'commander';
import { locateProject } from '../core/project';
import type { DbCheck } from '../core/store/db-integrity';
import type { DbRepair } from '../core/service/db-repair';
import { type GlobalOptions, refuseFromRun, refuseRemote } from './run-op';
import { jsonText, plainText } from '../core/text/plain-text';
import { WgError } from '../shared/errors';
import { CliExit, type CliIo } from './cli-io';

/**
 * `wg check --db`: SQLite's own check of graph.db, and what to do when it is damaged.
 * Upstream's `wg check` checks the graph; upstream has no database to check (its graph is
 * graph.jsonl), so the name follows its `check` with a flag. It must run where every other command
 * refuses the file, so it opens graph.db itself instead of going through the graph:check operation.
 */
export function registerDbCheck(program: Command, globals: () => GlobalOptions, io: CliIo): void {
  const check = program.commands.find((command) => command.name() === 'check');
  if (!check) return;
  check
    .option(
      '--db',
      "check graph.db itself (SQLite's integrity_check, the tables and columns it should have, every JSON value), and say how to recover from damage",
    )
    .option(
      '--repair',
      'with --db: make a damaged graph.db whole again (from graph.jsonl, else from what SQLite can read), keeping the damaged one',
    )
    .hook('preAction', async (command) => {
      const { db, repair } = command.opts<{ db?: boolean; repair?: boolean }>();
      if (db !== true && repair !== true) return;
      refuseRemote(repair === true ? "repair the project's graph.db" : "check the project's graph.db", globals());
      await refuseTeamStore(globals());
      if (repair === true) {
        // Moving graph.db aside is a person's call, never a run's.
        refuseFromRun("repair the project's graph.db");
        const { repairDatabase } = await import('../core/service/db-repair');
        const done = await repairDatabase(locateProject({ dir: globals().dir }));
        io.stdout.write(globals().json ? `${jsonText(done, 2)}\n` : describeRepair(done));
        throw new CliExit(0);
      }
      const { checkDatabase } = await import('../core/store/db-integrity');
      const paths = locateProject({ dir: globals().dir, readOnly: true });
      // Another user's folder is only read: checked in memory, with no note left there (folder-trust.ts).
      const found = checkDatabase(paths.db, { untouched: paths.untrusted !== undefined, contents: true });
      io.stdout.write(globals().json ? `${jsonText(found, 2)}\n` : describe(found));
      // Answered here: the graph check itself would refuse a damaged file.
      throw new CliExit(found.ok ? 0 : 1);
    });
}

/** A team's graph has no graph.db: its PostgreSQL server keeps its own pages whole. */
async function refuseTeamStore(globals: GlobalOptions): Promise<void> {
  const [{ storeLocation }, { isStoreUrl, parseStoreUrl }] = await Promise.all([
    import('../core/config/store-location'),
    import('../core/store/postgres/store-url'),
  ]);
  const location = storeLocation(locateProject({ dir: globals.dir, readOnly: true }));
  if (!isStoreUrl(location)) return;
  throw new WgError(
    'invalid',
    `this project's graph is kept in ${parseStoreUrl(location).shown}, not in graph.db: its server checks its own pages ('wg check' checks the graph)`,
  );
}

/** Values not JSON said in words, at most: a column another program wrote over in every row would be thousands of lines. */
const SHOWN_VALUES = 100;

function describe(found: DbCheck): string {
  if (found.ok) {
    return found.tasks === null
      ? `${found.db}: not made yet, nothing to check\n`
      : `${found.db}: whole (SQLite integrity_check: ok; ${found.tasks} tasks)\n`;
  }
  const lines =
    found.problems.length > 0
      ? [`${found.db} is damaged; SQLite found:`, ...found.problems.map((problem) => `  ${plainText(problem)}`)]
      : [`${found.db} is damaged; SQLite finds its pages whole (integrity_check: ok), but:`];
  for (const part of found.missing) lines.push(`  ${part.kind} ${part.name} is missing`);
  for (const value of found.not_json.slice(0, SHOWN_VALUES)) {
    // The key is whatever the row holds: another program may have written anything there.
    lines.push(`  ${value.table} '${plainText(value.key)}': column ${value.column} is not JSON`);
  }
  const more = found.not_json.length - SHOWN_VALUES;
  if (more > 0) {
    const what = more === 1 ? 'value that is' : 'values that are';
    lines.push(`  and ${more} more ${what} not JSON (wg check --db --json lists every one)`);
  }
  lines.push(`To recover: ${found.recovery}.`);
  if (found.upstream === null) lines.push("A file 'wg export' wrote can be read into a fresh graph with 'wg import FILE'.");
  return `${lines.join('\n')}\n`;
}

function describeRepair(done: DbRepair): string {
  if (done.from === null) {
    const recounted = done.recounted > 0 ? `; ${done.recounted} wrong readiness count(s) recounted` : '; nothing to repair';
    return `${done.check.db}: whole (SQLite integrity_check: ok)${recounted}\n`;
  }
  const made =
    done.from === 'graph.jsonl'
      ? `${done.check.db} rebuilt from ${done.check.upstream}: ${done.tasks} tasks`
      : `${done.check.db} rebuilt from what SQLite could read of it: ${done.tasks} tasks`;
  const lost =
    done.lost.length > 0
      ? `; rows of ${done.lost.join(', ')} on broken pages are lost${done.orphans > 0 ? `, and ${done.orphans} that referred to them` : ''}`
      : '';
  return `${made}${lost}. The damaged file is kept as ${done.kept}.\n`;
}
