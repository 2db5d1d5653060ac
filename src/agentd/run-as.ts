import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { invalid } from '../shared/errors';

/** The user an agent daemon's jobs run as (RUN_AS), as the system's user database has it. */
export interface JobUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** A passwd line (`name:x:uid:gid:gecos:home:shell`) for `who`, a name or a number. */
function passwdEntry(who: string): string | null {
  try {
    // getent asks NSS too (LDAP, systemd's dynamic users), which /etc/passwd alone does not list.
    const line = execFileSync('getent', ['passwd', who], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
    return line.split('\n')[0] ?? null;
  } catch (error) {
    // Exit 2: no such user. Anything else (no getent: macOS, Alpine without it): /etc/passwd.
    if ((error as { status?: number }).status === 2) return null;
  }
  try {
    const lines = readFileSync('/etc/passwd', 'utf8').split('\n');
    return lines.find((line) => line.split(':')[0] === who) ?? lines.find((line) => line.split(':')[2] === who) ?? null;
  } catch {
    return null;
  }
}

/**
 * RUN_AS: jobs run as this user, so nothing of the daemon's (its token in its memory and
 * environment, its service definition, files only it may read) is theirs to read. The daemon runs
 * as root to start them so; the user must be another, unprivileged one. One clear line otherwise.
 */
export function resolveRunAs(who: string, daemonUid: number | null = process.getuid?.() ?? null): JobUser {
  if (process.platform === 'win32') throw invalid('RUN_AS is not supported on Windows: run the agent daemon as the user its jobs may be');
  if (daemonUid !== 0) throw invalid('RUN_AS needs wg agentd to run as root: it starts each job as that user');
  if (!/^[\w.][\w.-]*\$?$/.test(who)) throw invalid(`RUN_AS: '${who}' is not a user name`);
  const fields = passwdEntry(who)?.split(':') ?? [];
  const [name, , uid, gid, , home] = fields;
  if (fields.length < 6 || !name || !/^\d+$/.test(uid ?? '') || !/^\d+$/.test(gid ?? ''))
    throw invalid(`RUN_AS: there is no user '${who}' on this machine`);
  if (Number(uid) === 0)
    throw invalid(`RUN_AS: '${who}' is root; name an unprivileged user for the jobs (e.g. nobody, or one made for them)`);
  return { name, uid: Number(uid), gid: Number(gid), home: home || '/' };
}

/** Variables naming the daemon user's own folders, which a job run as another user must not be pointed at. */
const DAEMON_USER_VARIABLES = ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME', 'XDG_RUNTIME_DIR', 'MAIL'];

/** A job's environment for `user`: its own home and name, none of the daemon user's folders. */
export function jobUserEnv(env: Record<string, string>, user: JobUser): Record<string, string> {
  for (const name of DAEMON_USER_VARIABLES) delete env[name];
  return Object.assign(env, { HOME: user.home, USER: user.name, LOGNAME: user.name });
}
