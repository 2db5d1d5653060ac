import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runHandle } from '../../src/core/run-folder/run-handle';
import { killRuns } from '../../src/core/processes/kill-runs';
import { projectPaths, type ProjectPaths } from '../../src/core/project';
import { initProject } from '../../src/core/opening/init-project';
import { readServiceState } from '../../src/core/service-state/state-file';
import { Store } from '../../src/core/store/store';
import { DEFAULT_SETTINGS } from '../../src/core/config/settings';
import { newRun } from '../../src/core/store/agent-records';
import { prepareRunWorktree } from '../../src/core/worktrees/run-worktree';
import { type CliResult, wgInProcess } from '../helpers/wg-cli';

/** Git that never reads the machine's own settings (a global signing key, hooks, default branch). */
export const GIT_ENV: Record<string, string> = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
};

/** Git in `cwd`, as a person runs it (GIT_ENV). */
export function gitIn(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
}

/**
 * A daemon test's project folder made a git repository: `main` with a README and a .gitignore for
 * the Claude Code home kept inside it (.home/), committed. Returns that first commit.
 */
export function initClaudeRepo(root: string): string {
  gitIn(root, ['init', '-q', '-b', 'main']);
  writeFileSync(join(root, '.gitignore'), '.home/\n');
  writeFileSync(join(root, 'README.md'), '# project\n');
  gitIn(root, ['add', '-A']);
  gitIn(root, ['commit', '-q', '-m', 'initial']);
  return gitIn(root, ['rev-parse', 'main']).trim();
}

/**
 * A real git repository in a temporary folder with a workgraph project at its top: the person's
 * project. Files are written and read byte for byte; `git` and `wg` run as a person would.
 */
export class GitProject {
  readonly root: string;
  readonly dir: string;
  readonly home: string;
  readonly paths: ProjectPaths;
  private reader: Store | null = null;

  /** `under`: the folder it is made in (the run's temporary folder unless said). */
  constructor(prefix = 'wg-git-', under = tmpdir()) {
    this.root = mkdtempSync(join(under, prefix));
    this.dir = join(this.root, 'project');
    this.home = join(this.root, 'home');
    mkdirSync(this.dir);
    mkdirSync(this.home);
    this.paths = projectPaths(join(this.dir, '.workgraph'));
  }

  /** `git init` with an identity, some files committed on `main`, and what `wg init` makes (made here: set-up, not a subject). */
  async init(files: Record<string, string> = { 'README.md': '# project\n' }): Promise<this> {
    this.git(['init', '-q', '-b', 'main']);
    this.git(['config', 'user.name', 'Person']);
    this.git(['config', 'user.email', 'person@example.invalid']);
    for (const [path, text] of Object.entries(files)) this.write(path, text);
    this.git(['add', '-A']);
    this.git(['commit', '-q', '-m', 'initial']);
    await initProject(this.paths);
    return this;
  }

  git(args: string[], cwd = this.dir): string {
    return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  }

  write(path: string, data: string | Buffer, cwd = this.dir): void {
    mkdirSync(dirname(join(cwd, path)), { recursive: true });
    writeFileSync(join(cwd, path), data);
  }

  /** Runs git expecting it to fail (a conflicting merge, say); returns its exit code. */
  gitFails(args: string[], cwd = this.dir): number {
    try {
      this.git(args, cwd);
      return 0;
    } catch (error) {
      return (error as { status?: number }).status ?? -1;
    }
  }

  read(path: string, cwd = this.dir): string {
    return readFileSync(join(cwd, path), 'utf8');
  }

  /** The file as it is in a commit (`git show REV:PATH`). */
  show(rev: string, path: string): string {
    return this.git(['show', `${rev}:${path}`]);
  }

  tip(branch = 'main'): string {
    return this.git(['rev-parse', branch]).trim();
  }

  branches(pattern: string): string[] {
    return this.git(['branch', '--list', '--format=%(refname:short)', pattern]).split('\n').filter(Boolean);
  }

  get env(): Record<string, string> {
    return { ...GIT_ENV, WG_HOME: this.home, WG_DIR: '', WG_AGENT_ID: '', WG_WORKTREE_PATH: '', WG_BRANCH: '', WG_PROJECT_ROOT: '' };
  }

  /** `wg ARGS` as a person runs it, in this process (the daemon, git and agents are processes of their own). */
  wg(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
    return wgInProcess(args, { cwd: options.cwd ?? this.dir, env: { ...this.env, ...options.env } });
  }

  async ok(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<string> {
    const result = await this.wg(args, options);
    if (result.exitCode !== 0) throw new Error(`wg ${args.join(' ')} failed (${result.exitCode}): ${result.stderr}`);
    return result.stdout;
  }

  async json<T>(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<T> {
    return JSON.parse(await this.ok([...args, '--json'], options)) as T;
  }

  async store(): Promise<Store> {
    this.reader ??= await Store.open(this.paths.db);
    return this.reader;
  }

  /** What the coordinator does when it starts an agent on a new task: an agent row (working), the claim, its worktree. */
  async startAgent(
    taskId: string,
    agentId: string,
    runId: string | null = null,
  ): Promise<{ path: string; branch: string; env: Record<string, string> }> {
    await this.ok(['add', `Task ${taskId}`, '--id', taskId]);
    const store = await this.store();
    await store.core.write(async (rev) => {
      await store.agents.insert(
        newRun(
          agentId,
          { task_id: taskId, executor: 'shell', model: null, model_source: null, runs_elsewhere: false, output_path: null },
          store.core.nowIso(),
          rev,
        ),
        null,
        runId,
      );
    });
    await this.ok(['claim', taskId, '--agent', agentId]);
    const wt = await prepareRunWorktree({
      store,
      paths: this.paths,
      settings: { coordinator: DEFAULT_SETTINGS.coordinator },
      taskId,
      agentId,
      executorType: 'claude',
    });
    if (!wt) throw new Error('no worktree');
    return { path: wt.path, branch: wt.branch, env: { ...wt.env, WG_AGENT_ID: agentId, WG_TASK_ID: taskId } };
  }

  /** The run's process ended (after its own done, the coordinator ends its row as done). */
  async endAgent(agentId: string): Promise<void> {
    const store = await this.store();
    await store.core.write((rev) =>
      store.agents.end(agentId, { state: 'done', ended_at: store.core.nowIso(), exit_code: 0, reason: null }, rev),
    );
  }

  /** `file` written in `cwd` and committed there; the new commit. */
  commit(cwd: string, file: string, text: string, message: string): string {
    this.write(file, text, cwd);
    this.git(['add', '-A'], cwd);
    this.git(['commit', '-q', '-m', message], cwd);
    return this.git(['rev-parse', 'HEAD'], cwd).trim();
  }

  /** After tests that started the daemon: it and every agent run it started killed, then the folder removed. */
  async killAllAndRemove(): Promise<void> {
    const pid = readServiceState(this.paths)?.pid;
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    const store = await this.store();
    await killRuns(await Promise.all((await store.agents.list()).map((agent) => runHandle(store, this.paths, agent))), { force: true });
    await this.remove();
  }

  async remove(): Promise<void> {
    await this.reader?.close();
    this.reader = null;
    rmSync(this.root, { recursive: true, force: true });
  }
}
