import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { repoFacts, type RepoFacts } from './repo';

/**
 * `repoFacts` for the coordinator's every run start, remembered per folder while the files git
 * read to answer are unchanged: a git process started from the daemon cost it CPU on every run
 * (a fork of a 100+ MB Node, and its event loop held until the exec), a third of the daemon's CPU in
 * the 2,000-task bench. A repository's answer holds while its HEAD file is the same (a checkout of
 * another branch rewrites it) and no `.git` appears between the folder and the repository's top;
 * "no repository" while no `.git` appears in the folder or above it (where git looks). A few stats
 * cost microseconds.
 */
const remembered = new Map<string, { facts: RepoFacts | null; stamp: string }>();

function stampOf(folder: string, facts: RepoFacts | null): string {
  // Where git looks, from the folder up: to the repository's top, or to the root when there is none.
  const marks = facts ? [statStamp(join(facts.gitDir, 'HEAD'))] : [];
  for (let dir = resolve(folder); ; dir = dirname(dir)) {
    marks.push(statStamp(join(dir, '.git')));
    if (dirname(dir) === dir || (facts && dir === resolve(facts.top))) return marks.join('|');
  }
}

function statStamp(path: string): string {
  const stat = statSync(path, { throwIfNoEntry: false, bigint: true });
  return stat ? `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}` : '-';
}

export async function cachedRepoFacts(folder: string): Promise<RepoFacts | null> {
  const hit = remembered.get(folder);
  if (hit && hit.stamp === stampOf(folder, hit.facts)) return hit.facts;
  // "No repository" is stamped before git is asked, so a `.git` made meanwhile shows next time.
  const absent = stampOf(folder, null);
  const facts = await repoFacts(folder);
  remembered.set(folder, { facts, stamp: facts ? stampOf(folder, facts) : absent });
  return facts;
}
