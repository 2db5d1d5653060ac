import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import { invalid, WgError } from '../shared/errors';
import { tokenTextProblem } from '../shared/token-text';
import { plainFailure } from '../shared/plain-failure';
import { readCaFile, trustedAuthorities, withSystemAuthorities } from '../core/connecting/ca-file';
import { inClearText } from '../core/connecting/server-list';
import type { OutputFormat } from '../core/executors/launch';
import { NO_WORKTREE_TOOLS } from '../core/executors/claude';
import { parseRepoPaths, type RepoEntry } from './repo-scope';
import { resolveRunAs, type JobUser } from './run-as';
import { splitWords } from './words';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface AgentdConfig {
  /** The coordinators of its project (WG_COORDINATOR_URL, comma separated): tried in turn, the next at once when one goes. */
  urls: string[];
  token: string;
  repos: RepoEntry[];
  roles: string[];
  /** The program and its argument words (placeholders not yet filled). */
  command: string;
  args: string[];
  /** Whether the prompt goes in an argument ({prompt} in the template) or on stdin. */
  promptOnStdin: boolean;
  /** The default Claude command line: `--model M` is added when a job names a model. */
  modelFlag: boolean;
  /** The command is the app's own Claude (no CLI_COMMAND): its flags are known, so it may be asked for its version. */
  appDefaultCli: boolean;
  /** `auto`: read from the CLI's first line (Claude's stream-json, codex's JSON lines, or plain text). */
  output: OutputFormat | 'auto';
  maxJobs: number;
  ticketTimeoutS: number;
  logLevel: LogLevel;
  host: string;
  /**
   * The certificate authorities to trust beyond the system's: WG_COORDINATOR_CA (--ca), else WG_CA_CERT as every `wg`
   * reads it (docs/team.md has each machine set it), a PEM file (a coordinator with a self-signed certificate). Read
   * and checked once at start, and every reconnect uses what was read; null: the system's alone.
   */
  ca: string[] | null;
  /** RUN_AS: the user jobs run as (the daemon runs as root); null: as the daemon's own user. */
  runAs: JobUser | null;
}

/** Flags override the environment; names as seed 003 has them. */
export interface AgentdFlags {
  url?: string;
  token?: string;
  tokenFile?: string;
  repoPaths?: string;
  roles?: string;
  cliCommand?: string;
  cliArgsTemplate?: string;
  cliOutput?: string;
  maxJobs?: string;
  ticketTimeout?: string;
  logLevel?: string;
  host?: string;
  ca?: string;
  runAs?: string;
  insecure?: boolean;
}

/** What the app runs Claude Code with (src/core/executors/claude.ts), the model optional, the prompt on stdin. */
const DEFAULT_CLI = {
  command: 'claude',
  template: `--print --output-format stream-json --verbose --dangerously-skip-permissions ${NO_WORKTREE_TOOLS.join(' ')}`,
};

const positiveInt = (name: string, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(1, `${name} must be at least 1`)
    .max(max, `${name} may be at most ${max}`);

const schema = z.object({
  url: z
    .string({ error: 'WG_COORDINATOR_URL is not set (the coordinator, e.g. https://build.example.com:8787)' })
    .refine(
      (value) => value.split(',').every((one) => /^(https?|wss?):\/\/[^\s/]+/.test(one.trim())),
      'WG_COORDINATOR_URL must start with https:// (or http:// with --insecure on the coordinator); several are separated by commas',
    )
    // One that starts well can still be no address (`http://[::1`): said here, not as the URL parser's "Invalid URL".
    .superRefine((value, context) => {
      const bad = value.split(',').find((one) => !URL.canParse(one.trim()));
      if (bad !== undefined)
        context.addIssue({
          code: 'custom',
          message: `WG_COORDINATOR_URL: '${bad.trim()}' is not an address; write one like https://build.example.com:8787`,
        });
    }),
  token: z
    .string({ error: 'WG_AGENT_TOKEN (or WG_AGENT_TOKEN_FILE) is not set (create one on the coordinator: wg token create NAME)' })
    .startsWith('wga_', 'WG_AGENT_TOKEN is not an agent token (they start with wga_)')
    .superRefine((value, context) => {
      const problem = tokenTextProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: `WG_AGENT_TOKEN ${problem}` });
    }),
  repoPaths: z.string({ error: 'REPO_PATHS is not set (name=path pairs, or paths, comma separated)' }),
  roles: z.string().default(''),
  maxJobs: positiveInt('MAX_JOBS', 256).default(1),
  ticketTimeout: positiveInt('TICKET_TIMEOUT_SECONDS', 7 * 86400).default(3600),
  logLevel: z.enum(['error', 'warn', 'info', 'debug'], { error: 'LOG_LEVEL is one of error, warn, info, debug' }).default('info'),
  cliOutput: z
    .enum(['auto', 'claude-stream-json', 'codex-json', 'plain'], {
      error: 'CLI_OUTPUT is one of auto, claude-stream-json, codex-json, plain',
    })
    .optional(),
});

/**
 * The token goes to the coordinator in the daemon's first message: over http:// or ws:// to another machine anyone
 * on the way reads it. Refused unless the person says they mean it (--insecure), as the coordinator's own
 * --insecure is needed to listen so. With RUN_AS, loopback too: the jobs' user is another user of this machine, who
 * may listen on the coordinator's port while it is away (a restart) and be sent the token as the daemon reconnects.
 */
function refuseClearText(urls: string, runAs: boolean): void {
  for (const one of urls.split(',')) {
    const url = new URL(one.trim());
    if (inClearText(url)) {
      throw invalid(
        `refusing to send the agent token to ${url.origin} in clear text; use https:// (the coordinator listens with --tls-cert and --tls-key), or pass --insecure if you mean it`,
      );
    }
    if (runAs && (url.protocol === 'http:' || url.protocol === 'ws:')) {
      throw invalid(
        `refusing to send the agent token to ${url.origin} in clear text with RUN_AS: the jobs' user could listen on that port while the coordinator is away; use https:// (with WG_COORDINATOR_CA), or pass --insecure if you mean it`,
      );
    }
  }
}

const pick = (flag: string | undefined, env: string | undefined) =>
  flag !== undefined && flag !== '' ? flag : env !== undefined && env !== '' ? env : undefined;

/** The daemon's configuration from flags and the environment, or one clear line saying what is wrong. */
export function loadAgentdConfig(flags: AgentdFlags, env: NodeJS.ProcessEnv): AgentdConfig {
  const tokenFile = pick(flags.tokenFile, env.WG_AGENT_TOKEN_FILE);
  const parsed = schema.safeParse({
    url: pick(flags.url, env.WG_COORDINATOR_URL),
    token: pick(flags.token, env.WG_AGENT_TOKEN) ?? (tokenFile !== undefined ? readTokenFile(tokenFile) : undefined),
    repoPaths: pick(flags.repoPaths, env.REPO_PATHS),
    roles: pick(flags.roles, env.ROLES),
    maxJobs: pick(flags.maxJobs, env.MAX_JOBS),
    ticketTimeout: pick(flags.ticketTimeout, env.TICKET_TIMEOUT_SECONDS),
    logLevel: pick(flags.logLevel, env.LOG_LEVEL),
    cliOutput: pick(flags.cliOutput, env.CLI_OUTPUT),
  });
  if (!parsed.success) throw invalid(parsed.error.issues[0]?.message ?? 'invalid configuration');
  const c = parsed.data;
  const runAs = pick(flags.runAs, env.RUN_AS);
  if (flags.insecure !== true && env.WG_COORDINATOR_INSECURE !== '1') refuseClearText(c.url, runAs !== undefined);
  const customCommand = pick(flags.cliCommand, env.CLI_COMMAND);
  const command = customCommand ?? env.WG_CLAUDE_BIN ?? DEFAULT_CLI.command;
  const customTemplate = pick(flags.cliArgsTemplate, env.CLI_ARGS_TEMPLATE);
  const template = customTemplate ?? (customCommand ? '{prompt}' : DEFAULT_CLI.template);
  const args = splitWords(template);
  const roles = c.roles
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  for (const role of roles) if (!/^[\w-][\w.-]*$/.test(role)) throw invalid(`ROLES: '${role}' is not a role (one word, e.g. dev)`);
  const caFile = pick(flags.ca, env.WG_COORDINATOR_CA);
  return {
    // The window's URL that `wg service start` prints works too: its #token= is the browser's, never sent or logged.
    urls: c.url.split(',').map((one) => one.trim().replace(/#.*$/, '').replace(/\/+$/, '')),
    token: c.token,
    repos: parseRepoPaths(c.repoPaths),
    roles,
    command,
    args,
    promptOnStdin: !args.some((word) => word.includes('{prompt}')),
    modelFlag: customTemplate === undefined && customCommand === undefined,
    appDefaultCli: customCommand === undefined,
    // Tokens and cost come from the CLI's own output: a CLI of one's own is read as what it prints.
    output: c.cliOutput ?? (customCommand ? 'auto' : 'claude-stream-json'),
    maxJobs: c.maxJobs,
    ticketTimeoutS: c.ticketTimeout,
    logLevel: c.logLevel,
    host: pick(flags.host, env.WG_AGENT_HOST) ?? hostname(),
    ca: caFile !== undefined ? withSystemAuthorities(readCaFile(caFile, 'WG_COORDINATOR_CA')) : (trustedAuthorities(env) ?? null),
    runAs: runAs !== undefined ? resolveRunAs(runAs) : null,
  };
}

/**
 * WG_AGENT_TOKEN_FILE: the token read from a file, so it is in no environment or command line at
 * all. The file must be the daemon user's own and readable by nobody else (as ssh asks of a key).
 */
function readTokenFile(file: string): string {
  let text: string;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw invalid(`WG_AGENT_TOKEN_FILE: ${file} is not a file`);
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) throw invalid(`WG_AGENT_TOKEN_FILE: ${file} belongs to another user`);
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0)
      throw invalid(`WG_AGENT_TOKEN_FILE: ${file} may be read by other users (chmod 600 ${file})`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof WgError) throw error;
    throw invalid(
      `WG_AGENT_TOKEN_FILE: ${file} cannot be read (${plainFailure({ code: (error as { code?: unknown }).code }) ?? 'an error'})`,
    );
  }
  return text.trim();
}

/** The argument words for one job: the model flag joins the default Claude command only when a model is chosen. */
export function argsFor(config: Pick<AgentdConfig, 'args' | 'modelFlag'>, model: string | null): string[] {
  return config.modelFlag && model ? ['--model', '{model}', ...config.args] : config.args;
}
