import { z } from 'zod';
import { builtOnce } from '../../shared/built-once';
import { EXECUTOR_TYPES, type ExecutorProfile, type ExecutorType } from '../../shared/config-types';
import { conflict, invalid, notFound, WgError } from '../../shared/errors';
import { firstProblem, PLAIN } from '../../shared/ops/plain-errors';
import { repoName, roleName } from '../../shared/ops/schemas';
import { section, type TomlTable } from './toml-file';
import { type ConfigPaths, readGlobalConfig, readProjectConfig, updateProjectConfig } from './project-config';

function builtin(name: string, type: ExecutorType): ExecutorProfile {
  return {
    name,
    type,
    command: null,
    args: [],
    endpoint: null,
    method: null,
    model: null,
    timeout: null,
    repo: null,
    role: null,
    builtin: true,
  };
}

/** Profiles every project has; `[executors.NAME]` may add more or override these. */
export const BUILTIN_EXECUTORS: readonly ExecutorProfile[] = [
  builtin('claude', 'claude'),
  builtin('codex', 'codex'),
  // Upstream's third built-in; its default profile gave a run 600 seconds.
  { ...builtin('amplifier', 'amplifier'), timeout: 600 },
  builtin('shell', 'shell'),
  builtin('external', 'external'),
  builtin('manual', 'manual'),
  builtin('pilot', 'manual'),
  builtin('scheduled', 'schedule'),
  builtin('remote', 'remote'),
];

/** Built when a profile is first read from config.toml or added (see builtOnce). */
const storedProfile = builtOnce(() =>
  z
    .object({
      type: z.enum(EXECUTOR_TYPES),
      command: z.string().min(1).optional(),
      args: z.array(z.string()).optional(),
      endpoint: z.string().url().optional(),
      method: z.enum(['POST', 'PUT']).optional(),
      model: z.string().min(1).optional(),
      timeout: z.number().min(1).optional(),
      repo: repoName().optional(),
      role: roleName().optional(),
      worktree: z.boolean().optional(),
    })
    .superRefine((p, ctx) => {
      if (p.type === 'cli' && !p.command) ctx.addIssue({ code: 'custom', message: 'a cli executor needs a command' });
      if (p.type === 'http' && !p.endpoint) ctx.addIssue({ code: 'custom', message: 'an http executor needs an endpoint' });
    }),
);
type StoredProfile = z.infer<Awaited<ReturnType<typeof storedProfile>>>;

function toProfile(name: string, p: StoredProfile): ExecutorProfile {
  return {
    name,
    type: p.type,
    command: p.command ?? null,
    args: p.args ?? [],
    endpoint: p.endpoint ?? null,
    method: p.method ?? null,
    model: p.model ?? null,
    timeout: p.timeout ?? null,
    repo: p.repo ?? null,
    role: p.role ?? null,
    ...(p.worktree === undefined ? {} : { worktree: p.worktree }),
    builtin: false,
  };
}

/**
 * Why a profile may not have this name: a built-in's name with another type would hide the built-in
 * (`[executors.remote] type = "http"` sent every `--executor remote` task, meant for an agent daemon,
 * to that URL instead). The same type is the built-in with settings of its own (`[executors.claude] model = "opus"`).
 */
function shadowing(name: string, type: ExecutorType): string | null {
  const builtIn = BUILTIN_EXECUTORS.find((p) => p.name === name);
  if (!builtIn || builtIn.type === type) return null;
  return `'${name}' is the built-in ${builtIn.type} executor, so a profile of type ${type} cannot take its name: give it another one`;
}

function executorsTable(table: TomlTable): TomlTable {
  const value = table.executors;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as TomlTable) : {};
}

/**
 * `[executors.claude]` with only `model = "opus"` gives the built-in its own settings (as the guide says): a built-in's
 * name stands for its type, which the table need not repeat. Every project's config failed to load without it.
 */
function withBuiltinType(name: string, raw: unknown): unknown {
  const builtIn = BUILTIN_EXECUTORS.find((p) => p.name === name);
  if (!builtIn || typeof raw !== 'object' || raw === null || Array.isArray(raw) || 'type' in raw) return raw;
  return { type: builtIn.type, ...raw };
}

export async function readExecutors(paths: ConfigPaths): Promise<ExecutorProfile[]> {
  const byName = new Map(BUILTIN_EXECUTORS.map((p) => [p.name, p]));
  const layers: Array<[string, TomlTable]> = [
    [paths.globalConfig, readGlobalConfig(paths)],
    [paths.config, await readProjectConfig(paths)],
  ];
  for (const [file, table] of layers) {
    for (const [name, raw] of Object.entries(executorsTable(table))) {
      const parsed = storedProfile().safeParse(withBuiltinType(name, raw), PLAIN);
      if (!parsed.success) throw invalid(`${file}: executors.${name}: ${firstProblem(parsed.error)}`);
      const shadows = shadowing(name, parsed.data.type);
      if (shadows) throw invalid(`${file}: [executors.${name}]: ${shadows}`);
      byName.set(name, toProfile(name, parsed.data));
    }
  }
  return [...byName.values()];
}

/** The scheme, host and port of a URL, or null when it is not one. */
function originOf(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** This machine: the URL parser has already normalized 127.1, 2130706433 and the like to 127.0.0.1. */
const isLoopback = (url: URL) => url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);

/**
 * Where a task may send itself by naming a URL as its executor: this machine, or an origin an http
 * profile in config.toml already posts to. A task is data anyone with a run's follow-up or an import
 * may write; the config is the project owner's, so only it widens where tasks (and their runs'
 * credentials) may go.
 */
function requireAllowedUrl(profiles: readonly ExecutorProfile[], given: string): void {
  const url = originOf(given);
  if (!url) throw invalid(`executor '${given}' is not a valid URL`);
  if (isLoopback(url)) return;
  const named = profiles.some((p) => p.type === 'http' && p.endpoint !== null && originOf(p.endpoint)?.origin === url.origin);
  if (!named) {
    throw invalid(
      `executor '${given}': a task may post only to this machine or to a server an http executor in config.toml names (wg executor add NAME --type http --endpoint ${url.origin}/...)`,
    );
  }
}

/** A task's executor may be a profile name or a URL, which means an http executor posting there. */
export function resolveExecutor(profiles: readonly ExecutorProfile[], nameOrUrl: string): ExecutorProfile {
  if (/^https?:\/\//.test(nameOrUrl)) {
    requireAllowedUrl(profiles, nameOrUrl);
    return {
      name: nameOrUrl,
      type: 'http',
      command: null,
      args: [],
      endpoint: nameOrUrl,
      method: 'POST',
      model: null,
      timeout: null,
      repo: null,
      role: null,
      builtin: false,
    };
  }
  const profile = profiles.find((p) => p.name === nameOrUrl);
  if (!profile) throw unknownExecutor(profiles, nameOrUrl);
  return profile;
}

/** The refusal of a name no profile has, listing the ones there are. */
function unknownExecutor(profiles: readonly ExecutorProfile[], name: string): WgError {
  return new WgError(
    'not_found',
    `no executor '${name}'; there are: ${profiles.map((p) => p.name).join(', ')} (or an http(s) URL; add one with wg executor add)`,
  );
}

/** Refuses, before it is stored, an executor name that names nothing (a task's, or the default). */
export async function requireExecutor(paths: ConfigPaths, nameOrUrl: string): Promise<void> {
  resolveExecutor(await readExecutors(paths), nameOrUrl);
}

export async function addExecutor(
  paths: ConfigPaths,
  input: {
    name: string;
    type: ExecutorType;
    command?: string;
    args?: string[];
    endpoint?: string;
    method?: 'POST' | 'PUT';
    model?: string;
    timeout?: number;
    repo?: string;
    role?: string;
    worktree?: boolean;
  },
): Promise<ExecutorProfile> {
  const { name, ...fields } = input;
  const entry = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  const parsed = storedProfile().safeParse(entry, PLAIN);
  if (!parsed.success) throw invalid(`executor '${name}': ${firstProblem(parsed.error)}`);
  const shadows = shadowing(name, parsed.data.type);
  if (shadows) throw invalid(shadows);
  await updateProjectConfig(paths, (table) => {
    section(table, 'executors')[name] = entry;
  });
  return toProfile(name, parsed.data);
}

export async function removeExecutor(paths: ConfigPaths, name: string): Promise<ExecutorProfile[]> {
  if (!(name in executorsTable(await readProjectConfig(paths)))) {
    if (BUILTIN_EXECUTORS.some((p) => p.name === name)) throw conflict(`'${name}' is a built-in executor and cannot be removed`);
    throw notFound('executor', name, 'in the project config');
  }
  await updateProjectConfig(paths, (table) => {
    delete section(table, 'executors')[name];
  });
  return readExecutors(paths);
}
