import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCoordinator } from './helpers/fake-coordinator';
import { killMarked, makeRepo, startAgentd } from './helpers/agentd-process';

/**
 * REPO_PATHS's path-only form, as seed 003 writes it (`REPO_PATHS=/home/dev/projects/acme-app` serves tickets "for
 * repo acme/app"): a checkout is the repository its origin remote names. It registered the folder's name
 * (`acme-app`), which no task for acme/app ever matched.
 */
let coordinator: FakeCoordinator;
const root = mkdtempSync(join(tmpdir(), 'wg-repo-paths-'));

/** A checkout in a folder of this name, its origin remote set to `origin` when given. */
function checkout(folder: string, origin: string | null): string {
  const dir = join(root, folder);
  mkdirSync(dir);
  execFileSync('git', ['init', '-q'], { cwd: dir });
  if (origin) execFileSync('git', ['remote', 'add', 'origin', origin], { cwd: dir });
  return dir;
}

beforeAll(async () => {
  coordinator = await FakeCoordinator.start();
});
afterAll(async () => {
  killMarked();
  await coordinator.close();
});

describe('REPO_PATHS given as paths', () => {
  it('names each checkout by its origin remote (owner/name), else by its folder', async () => {
    const paths = [
      checkout('acme-app', 'git@github.com:acme/app.git'),
      checkout('mobile', 'https://github.com/acme/mobile'),
      checkout('deep', 'ssh://git@gitlab.example.com:2222/group/sub/tool.git'),
      checkout('shop', null),
    ];
    startAgentd('paths', {
      ...(process.env as Record<string, string>),
      WG_COORDINATOR_URL: coordinator.url,
      WG_AGENT_TOKEN: 'wga_test',
      REPO_PATHS: [...paths, `named=${makeRepo('wg-repo-named-')}`].join(','),
      CLI_COMMAND: 'true',
    });
    const registered = await coordinator.next('agent.register', (m) => m.host === 'paths');
    expect(registered.repos).toEqual(['acme/app', 'acme/mobile', 'group/sub/tool', 'shop', 'named']);
  });
});
