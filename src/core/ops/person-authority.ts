import { ops, type OpName, type OpParsed } from '../../shared/ops/registry';
import { WgError } from '../../shared/errors';
import type { ImportedTask } from '../store/jsonl-format';
import { parseJsonl } from '../store/import-export';
import type { OpContext } from './context';

/** Tokens, read or changed: who may reach the project at all. */
const TOKENS = /^token:/;

/**
 * The credential store (`wg secret`), and the endpoints with their keys (`wg key`, `wg endpoints`): API keys in the
 * global folder and config of the coordinator's machine, and where they are sent.
 */
const SECRETS = /^(secret|key|endpoints):/;

/** Changes to config.toml: settings, executor profiles and models (what the coordinator runs and with what). */
const SETTINGS = /^(config|executor|model):/;

/**
 * Other operations that change how the coordinator runs rather than the project's work: its running
 * overrides (max agents, model, executor), and `wg agency init`, which turns on automatic assignment
 * and evaluation in config.toml.
 */
const ALSO_SETTINGS: ReadonlySet<OpName> = new Set<OpName>(['service:reload', 'agency:init']);

/** Operations whose `path` is a folder on the coordinator's machine, read or written there. */
const TAKES_PATH: ReadonlySet<OpName> = new Set<OpName>(['agency:export', 'agency:import']);

/** Operations that write files in a folder of the coordinator's machine they name (`wg html --out`, by default ./public). */
const WRITES_FOLDER: ReadonlySet<OpName> = new Set<OpName>(['graph:html']);

/** Whether this changes the settings: `wg config` without a value to set only lists them (config-handlers.ts). */
function changesSettings<N extends OpName>(name: N, input: OpParsed<N>): boolean {
  if (ALSO_SETTINGS.has(name)) return true;
  if (!SETTINGS.test(name) || ops[name].kind !== 'mutation') return false;
  if (name !== 'config:update') return true;
  const { list: _list, global: _global, ...values } = input as OpParsed<'config:update'>;
  return Object.values(values).some((value) => value !== undefined);
}

/** Why a person (not an admin) may not run this operation with this input; null when they may. */
function adminOnly<N extends OpName>(name: N, input: OpParsed<N>): string | null {
  if (TOKENS.test(name)) return 'manage tokens';
  // The coordinator's machine's API keys: what its runs spend with.
  if (SECRETS.test(name)) return "read or change the API keys on the coordinator's machine";
  if (name === 'skill:install') return "install a skill in the home folder of the coordinator's machine";
  if (changesSettings(name, input)) return "change the coordinator's settings";
  if (TAKES_PATH.has(name) && (input as { path?: unknown }).path !== undefined) return "name a folder on the coordinator's machine";
  if (WRITES_FOLDER.has(name)) return "write files in a folder on the coordinator's machine";
  // `wg store copy` writes a file or database the caller names, from the coordinator's machine, and --switch re-points its store.
  if (name === 'graph:copy') return "copy the project's graph to a file or database of their choosing";
  // A task's shell command runs on the coordinator's machine as its user, who can read the project's own token:
  // whoever gives one (wg add/edit --exec, wg exec --set) or runs one (wg exec) holds the coordinator's authority.
  if (name === 'task:exec' && !(input as OpParsed<'task:exec'>).dryRun) return "run or set a task's command on the coordinator's machine";
  // The coordinator agent runs commands on that machine (Claude Code's Bash, as its user): what a message asks of it,
  // a person's token must not reach.
  if (name === 'chat:send') return "talk to the coordinator agent, which runs commands on the coordinator's machine";
  // `wg import`'s lines are tasks as `wg add` makes them: the same two fields give the same authority.
  const tasks =
    name === 'graph:import'
      ? importedTasks((input as OpParsed<'graph:import'>).jsonl).map((t) => ({ ...t.extra, ...t.fields }))
      : [input as TaskFields];
  for (const task of tasks) {
    const why = commandOrUrl(task);
    if (why) return why;
  }
  return null;
}

type TaskFields = { exec?: unknown; executor?: unknown; command_argv?: unknown };

/** Why a person may not give a task these fields: a shell command, or a URL as its executor; null when neither. */
function commandOrUrl({ exec, executor, command_argv: argv }: TaskFields): string | null {
  if (exec !== undefined && exec !== null && exec !== '') return "give a task a shell command, which runs on the coordinator's machine";
  // Upstream's own field for one (the argv of a chat task, which its TUI runs), kept on import and written back to
  // graph.jsonl where upstream's tools also work: a shell command by another name.
  if (Array.isArray(argv) && argv.length > 0) return "give a task a shell command, which runs on the coordinator's machine";
  // A URL as a task's executor has the coordinator POST the task's prompt, with a run's credential, to that address
  // from its own machine (loopback included: services that listen only there). Profiles (`wg executor add`, an
  // admin's) name the places the coordinator sends work; a person picks among them by name.
  if (typeof executor === 'string' && /^https?:\/\//i.test(executor))
    return "name a URL as an executor, which the coordinator's machine would send the task to (name an executor profile instead)";
  return null;
}

/**
 * The tasks of a JSONL text as the import itself reads them (trimmed, comments skipped, each line checked): judged on
 * anything else (a JSON.parse of each raw line, skipping what fails), a line the import reads and this did not (one
 * led by a no-break space or a byte-order mark, which the import trims) passed unjudged. A bad line throws here as
 * the import would, naming it.
 */
function importedTasks(jsonl: string): ImportedTask[] {
  return parseJsonl(jsonl).tasks;
}

/**
 * The fields by which an operation names who acts (upstream's --actor, --agent, --from): whose name the task's log,
 * a claim, a message's sender or its read mark carry. Over the API a person's token acts as that person, admin or
 * not: naming anyone else (another person, an agent, the coordinator) would write history in their name.
 */
const NAMES_WHO_ACTS: Partial<Record<OpName, readonly string[]>> = {
  'task:claim': ['agent', 'actor'],
  'task:done': ['agent'],
  'task:log': ['actor'],
  'task:checkpoint': ['agent'],
  'task:exec': ['actor'],
  'task:execEnd': ['actor'],
  'msg:send': ['from'],
  'msg:read': ['agent'],
  // The new holder, under whose name the reclaim is logged (upstream's).
  'task:reclaim': ['to'],
  'eval:record': ['evaluator'],
  // A heartbeat keeps a run from being judged stale: only the run's own agent gives one (as the API's own route).
  'task:heartbeat': ['agent'],
};

/**
 * Who `wg import`'s lines name as having acted: each log entry's actor and user, the holder of a claim, and the author
 * of an evaluation. Imported by a person's token,
 * they would be history written in those names.
 */
function namedInImport(jsonl: string): string[] {
  const named = new Set<string>();
  const add = (who: string | null | undefined) => {
    if (who) named.add(who);
  };
  for (const task of importedTasks(jsonl)) {
    add(task.fields.assigned);
    for (const entry of task.log) {
      add(entry.actor);
      add(entry.user);
    }
    add(task.fields.evaluation?.evaluator);
  }
  return [...named];
}

function checkActsAsSelf<N extends OpName>(name: N, input: OpParsed<N>, self: string): void {
  if (name === 'graph:import') {
    const other = namedInImport((input as OpParsed<'graph:import'>).jsonl).find((who) => who !== self);
    if (other !== undefined) {
      throw new WgError(
        'forbidden',
        `${self}'s token acts as ${self}: the lines to import name '${other}' as a task's holder, in its log or as its evaluator; import them without their log, assignee and evaluation, or from the coordinator's machine`,
      );
    }
  }
  for (const field of NAMES_WHO_ACTS[name] ?? []) {
    const named = (input as Record<string, unknown>)[field];
    if (named === undefined || named === self) continue;
    const command = ops[name].cli?.command ?? name.slice(name.indexOf(':') + 1);
    // `wg heartbeat agent-1`: the name is the command's argument, not a flag.
    const given = ops[name].cli?.args?.includes(field) ? String(named) : `--${field} ${String(named)}`;
    throw new WgError(
      'forbidden',
      `${self}'s token acts as ${self}: it cannot give ${given} ('${command}' is recorded under the caller's own name)`,
    );
  }
}

/**
 * What a person's token may do (least authority): every operation on the project's work, as that
 * person (read, add, edit, done, messages, pause a task, kill a run…), but not manage tokens, change
 * the coordinator's settings, give a task a shell command or a URL to be sent to, unless it was made with `--admin`. The coordinator's own people (its
 * machine's user, the project's token) never come here.
 */
export function checkPersonAuthority<N extends OpName>(name: N, input: OpParsed<N>, ctx: OpContext): void {
  const person = ctx.person;
  if (!person) return;
  checkActsAsSelf(name, input, person.name);
  if (person.admin) return;
  const what = adminOnly(name, input);
  if (what === null) return;
  throw new WgError(
    'forbidden',
    // A command of its own (`wg exec`) has no CLI entry in the registry: its op's verb is the command's name.
    `${person.name}'s token may not ${what} ('${ops[name].cli?.command ?? name.slice(name.indexOf(':') + 1)}'); a token made with wg token create NAME --admin may`,
  );
}
