import { z } from 'zod';
import { parsePriority, TASK_STATUSES } from '../task';
import { DURATION_HINT, parseDelaySeconds, parseDuration, parseUtcTimestamp, type DurationUnit } from '../durations';
import { fieldLabel } from './plain-errors';
import { DISPATCH_ROLES, EXECUTOR_TYPES, MODEL_TIERS } from '../config-types';
import { nestedTooDeeply, TOO_DEEP } from '../json-depth';
import { builtOnce } from '../built-once';

/**
 * Reusable input pieces. Each validates the same way from the CLI, HTTP and IPC. Each is built the
 * first time an input using it is built (see builtOnce), so a `wg` start builds only those of its
 * command's input.
 */

/**
 * The one rule for task ids, for every command and for `wg import`: letters and digits of any script (upstream's
 * `wg add` keeps every alphanumeric character of a title: "Réviser la doc" is `réviser-la-doc` there), `.`, `_` and
 * `-`, starting with a letter or digit, or with one dot for upstream's system tasks (`.evaluate-x`). So no id can
 * be a path (`../../etc`) or hold spaces, quotes or control characters a shell or a terminal would act on.
 */
export const TASK_ID_PATTERN = /^\.?[\p{Alphabetic}\p{N}][\p{Alphabetic}\p{N}._-]*$/u;
export const TASK_ID_RULE =
  'a task id holds only letters, digits, ".", "_" and "-", and starts with a letter or digit (or one "." for a system task)';

export const taskId = builtOnce(() =>
  z
    .string()
    .min(1, 'the task id is empty')
    .max(200, 'a task id is at most 200 characters long')
    .refine((id) => TASK_ID_PATTERN.test(id), { error: (issue) => `'${String(issue.input)}' is not a valid task id: ${TASK_ID_RULE}` }),
);

/**
 * Text that must say something: empty or only spaces is refused, naming the field ("model is empty"). A blank
 * `--model ' '` or `--exec ' '` was saved and failed only when a run started.
 */
export const filled = (what?: string) => z.string().regex(/\S/, { error: (issue) => `${what ?? fieldLabel(issue.path)} is empty` });

export const agentId = builtOnce(() => filled().max(200));

/**
 * Text that names something and is shown in listings (a tag, a model, who a task is for): a line break or other
 * control character in it would break every listing it is shown in. `what` names it in the refusal ("a tag").
 */
export const oneLineText = (what: string) => filled().regex(/^\P{Cc}*$/u, `${what} holds no line break or other control character`);

/** An address an executor posts to or a model is served at: http or https only (a file: or ftp: URL reaches no agent). */
export const webAddress = () => z.url({ protocol: /^https?$/ });

/** A model's endpoint: a web address, or the name of an `[[llm_endpoints.endpoints]]` entry (`openrouter`, `local-vllm`). */
export const endpointRef = () =>
  z.string().superRefine((text, ctx) => {
    const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
    if (url ? webAddress().safeParse(text).success : /^[A-Za-z0-9][\w.:-]*$/.test(text)) return;
    ctx.addIssue({
      code: 'custom',
      message: `endpoint must be a web address (http://… or https://…) or the name of an [[llm_endpoints.endpoints]] entry (got '${text.slice(0, 40)}')`,
    });
  });
export const status = builtOnce(() => z.enum(TASK_STATUSES));
export const executorType = builtOnce(() => z.enum(EXECUTOR_TYPES));
export const modelTier = builtOnce(() => z.enum(MODEL_TIERS));
export const dispatchRole = builtOnce(() => z.enum(DISPATCH_ROLES, { message: `a role is one of ${DISPATCH_ROLES.join(', ')}` }));
export const name = builtOnce(() =>
  z
    .string()
    .min(1, 'the name is empty')
    .max(100, 'a name is at most 100 characters long')
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'a name holds only letters, digits and . _ : / -, and starts with a letter or digit'),
);

/**
 * Who wrote a log entry or sent a message, as a person gives it (`--actor`, `--from`): any words, but no line
 * break or other control character, which would break every listing it is shown in.
 */
export const senderName = builtOnce(() =>
  z
    .string()
    .trim()
    .min(1, 'the name is empty')
    .max(200, 'a name is at most 200 characters long')
    .regex(/^\P{Cc}*$/u, 'a name holds no line break or other control character'),
);

/** Long enough for any sentence a title is; a page of text (a log pasted as a title) belongs in the description. */
const TITLE_MAX = 1000;

/**
 * A task's title: one line of visible text. A line break or other control character breaks every listing it is shown
 * in (`wg list`, the window's cards), and one made only of them or of invisible format characters (a zero-width space)
 * shows as nothing, so those are refused as empty; and a megabyte of it fills every listing. `empty` is the words of
 * the operation's own empty-title refusal.
 */
export const taskTitle = (empty: string) =>
  z
    .string()
    .trim()
    .min(1, empty)
    .max(TITLE_MAX, `a title is at most ${TITLE_MAX.toLocaleString('en')} characters long`)
    .regex(/^\P{Cc}*$/u, 'a title holds no line break or other control character')
    .regex(/[^\s\p{Cf}]/u, empty);

/** A repository as agent daemons name it: `acme/app` (no `..`, no leading slash: a name, never a path). */
export const repoName = builtOnce(() =>
  z
    .string()
    .max(200)
    .regex(/^[\w-][\w.-]*(\/[\w-][\w.-]*)*$/, 'a repository name looks like acme/app')
    .refine((value) => !value.split('/').some((part) => part === '..' || part === '.'), 'a repository name cannot hold . or .. parts'),
);

/**
 * A number given as a number or as its text (a command line's "3", a form's field): `schema` checks it. A blank text is
 * refused as any other that is no number; z.coerce.number read it as 0 (Number('') is 0), so `--max-retries ''` set 0.
 */
export function numberText<T extends z.ZodType<number>>(schema: T) {
  return z.preprocess((value) => (typeof value === 'string' ? (value.trim() === '' ? Number.NaN : Number(value)) : value), schema);
}

/** A retry budget: failed attempts a task may have (a task's `--max-retries`, the project's agent.max_retries). */
export const retryBudgetValue = builtOnce(() => numberText(z.number().int().min(0).max(100)));

/** A role an agent daemon claims: one word such as dev or qa. */
export const roleName = builtOnce(() =>
  z
    .string()
    .max(100)
    .regex(/^[\w-][\w.-]*$/, 'a role is one word, e.g. dev'),
);
/**
 * A duration: a number in `unit` or text with its own unit ("90s", "5m"); kept as given, so it can be
 * written to config.toml as the person wrote it (a number in the unit where it is a whole one).
 */
export const duration = (unit: DurationUnit) =>
  z.union([z.number(), z.string()]).refine((value) => (parseDuration(value, unit) ?? 0) > 0, {
    error: (issue) =>
      `${fieldLabel(issue.path)} must be ${DURATION_HINT}, more than 0 (a plain number is in ${unit}; got '${String(issue.input)}')`,
  });

/** A duration as `duration` takes it, or `none`: no limit. */
export const durationOrNone = (unit: DurationUnit) =>
  z.union([z.number(), z.string()]).refine((value) => value === 'none' || (parseDuration(value, unit) ?? 0) > 0, {
    error: (issue) =>
      `${fieldLabel(issue.path)} must be ${DURATION_HINT}, more than 0, or none for no limit (a plain number is in ${unit}; got '${String(issue.input)}')`,
  });

/** Accepts a real boolean (HTTP, IPC) or "true"/"false" typed on the command line. */
export const boolValue = builtOnce(() =>
  z.union([z.boolean(), z.stringbool()], { error: (issue) => `${fieldLabel(issue.path)} must be true or false` }),
);

/** A JSON value that may arrive as text (the command line) or already parsed (HTTP, IPC). */
export function jsonText<T extends z.ZodType>(schema: T, label: string) {
  return z.preprocess((value, ctx) => {
    if (typeof value !== 'string') return value;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: `${label} is not valid JSON: ${value.slice(0, 60)}` });
      return z.NEVER;
    }
    if (nestedTooDeeply(parsed)) {
      ctx.addIssue({ code: 'custom', message: `${label} ${TOO_DEEP}` });
      return z.NEVER;
    }
    return parsed;
  }, schema);
}

export const jsonValue: () => z.ZodType<import('../task').JsonValue> = builtOnce(() =>
  z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue()), z.record(z.string(), jsonValue())])),
);

/** A cron expression as upstream's `--cron` takes it: 5 fields, or 6 with seconds first. */
export const cronExpression = builtOnce(() =>
  z
    .string()
    .trim()
    .refine((text) => [5, 6].includes(text.split(/\s+/).length), {
      error: (issue) => `Invalid cron expression '${String(issue.input)}': 5 fields (min hour day month weekday), or 6 with seconds first`,
    }),
);

/**
 * A priority: a named level or upstream's number (higher runs first); the result is the number. Its own schema, not
 * taskFields().priority: `wg list --priority` would otherwise build every field of `wg add` (a fifth of `wg list`'s start).
 */
export const priorityValue = builtOnce(() =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const parsed = parsePriority(value);
    if (parsed === null) {
      ctx.addIssue({
        code: 'custom',
        message: `priority '${String(value)}' is neither a level (critical, high, normal, low, idle) nor a number like 50`,
      });
      return z.NEVER;
    }
    return parsed;
  }),
);

/** Fields shared by `wg add` and `wg edit`. */
export const taskFields = builtOnce(() => {
  const priority = priorityValue();
  return {
    description: z.string().optional().describe('description (markdown)'),
    after: z.array(taskId()).optional().describe('dependencies, comma separated or repeated'),
    tags: z.array(oneLineText('a tag')).optional().describe('tag (repeatable)'),
    priority: priority.optional().describe('critical, high, normal, low, idle, or a number (100 critical … 0 idle)'),
    model: oneLineText('a model name').optional().describe('model for this task'),
    executor: filled().optional().describe('executor profile name or an http(s) URL'),
    exec: filled().optional().describe('shell command (shell executor)'),
    repo: repoName().optional().describe('remote executor: the repository an agent daemon must have (e.g. acme/app)'),
    role: roleName().optional().describe('remote executor: the role a daemon must claim (e.g. dev)'),
    schedule: filled()
      .optional()
      .describe('"09:00" daily (local time), a cron expression (UTC), or once at a date and time ("2026-12-01T09:00")'),
    maxRetries: retryBudgetValue()
      .optional()
      .describe('failed attempts it may have (wg fail, a nonzero exit, a dead run: one each); then it stays failed and wg retry refuses'),
    // Upstream's planning fields (kept as its estimate, inputs and deliverables): wg cost, critical-path and context read them.
    hours: numberText(z.number().finite().min(0, 'hours cannot be negative')).optional().describe('estimated hours'),
    cost: numberText(z.number().finite().min(0, 'cost cannot be negative')).optional().describe('estimated cost'),
    inputs: z.array(filled()).optional().describe('input file or context path this task needs (repeatable)'),
    deliverables: z.array(filled()).optional().describe('expected output path or artifact (repeatable)'),
    // Upstream's fields of a task, kept under its names in graph.jsonl.
    skills: z.array(filled()).optional().describe('a skill or capability the task needs (repeatable)'),
    // Upstream's removed --verify: refused with its words (criteria go in a ## Validation section), hidden from help.
    verify: z.string().optional().describe('[removed, refused] put criteria in a ## Validation section of -d'),
    provider: filled().optional().describe("[deprecated] the model's provider; give --model provider:model instead"),
    // Checked as upstream's add and edit check it (exit 1, its words), not as a command-line choice.
    visibility: z
      .string()
      .refine((v) => (VISIBILITIES as readonly string[]).includes(v), {
        error: (issue) => `Invalid visibility '${String(issue.input)}'. Valid values: internal, public, peer`,
      })
      .optional()
      .describe('who a trace export shows it to: internal (default), public or peer'),
    delay: delayText('delay').optional().describe('not started before this long from now (30s, 5m, 1h, 1d)'),
    notBefore: timestampText().optional().describe('not started before this time (ISO 8601, UTC unless it says)'),
    allowPhantom: z.boolean().optional().describe('allow dependencies on tasks not made yet (forward references)'),
  };
});

/** Upstream's visibility zones of a task (`--visibility`), `internal` its default. */
const VISIBILITIES = ['internal', 'public', 'peer'] as const;

/** A span as upstream's parse_delay reads it: a whole number with s, m, h or d. */
const delayText = (what: string) =>
  z
    .string()
    .trim()
    .refine((text) => parseDelaySeconds(text) !== null, {
      error: (issue) => `invalid ${what} '${String(issue.input)}': give a whole number with s, m, h or d (30s, 5m, 1h, 24h, 7d)`,
    });

/** How long a run may take: a delay, and more than none (a timeout of 0 stopped every run of the task at once). */
export const timeoutText = () =>
  delayText('timeout').refine((text) => (parseDelaySeconds(text) ?? 1) > 0, {
    error: (issue) =>
      `invalid timeout '${String(issue.input)}': a run given no time would be stopped at once; give more than 0 (30s, 5m, 1h)`,
  });

/** A time as upstream's `--not-before` reads it (ISO 8601; without an offset, UTC); kept as the ISO time in UTC. */
export const timestampText = builtOnce(() =>
  z.string().transform((text, ctx) => {
    const at = parseUtcTimestamp(text);
    if (at === null) {
      ctx.addIssue({ code: 'custom', message: `invalid timestamp '${text}': use ISO 8601, e.g. 2026-05-01T09:00:00Z` });
      return z.NEVER;
    }
    return at.toISOString();
  }),
);

/** `HOST:PORT` or `[V6]:PORT` (`--listen`): the host, or the v6 address, and the port. */
export const LISTEN_PATTERN = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/;

/** A `--listen` value, checked when it is saved (a bad one was saved, and only the next start refused it). */
export const listenAddress = builtOnce(() =>
  z
    .string()
    .trim()
    .superRefine((text, ctx) => {
      const match = LISTEN_PATTERN.exec(text);
      if (match === null || Number(match[3]) > 65535) {
        ctx.addIssue({ code: 'custom', message: `--listen takes HOST:PORT (e.g. 0.0.0.0:8787), not '${text}'` });
      }
    }),
);

/** A model as a setting names it: NAME or PROVIDER:MODEL (a name's characters; nothing empty after the colon). */
export const modelName = builtOnce(() =>
  name().refine((text) => !text.endsWith(':'), 'a model is NAME or PROVIDER:MODEL, with nothing empty after the colon'),
);

/** A git branch name as `git check-ref-format --branch` takes it (the base branch of worktrees). */
export const branchName = builtOnce(() =>
  z
    .string()
    .min(1, 'the branch name is empty')
    .superRefine((text, ctx) => {
      if (/[\s~^:?*[\\\p{Cc}]|\.\.|@\{|\/\/|^[-/.]|[/.]$|\.lock$|\/\./u.test(text) || text === '@') {
        ctx.addIssue({
          code: 'custom',
          message: `'${text}' is not a branch name git takes (no spaces, "..", ~ ^ : ? * [, nor a leading - or .)`,
        });
      }
    }),
);

/** ROLE=MODEL routes (`--role-model`): an unknown role named in words, not as an unknown field of the input. */
export const roleRoutes = builtOnce(() =>
  z.record(z.string(), modelName()).superRefine((routes, ctx) => {
    for (const role of Object.keys(routes)) {
      if (!(DISPATCH_ROLES as readonly string[]).includes(role)) {
        ctx.addIssue({ code: 'custom', message: `unknown role '${role}': a role is one of ${DISPATCH_ROLES.join(', ')}` });
      }
    }
  }),
);
