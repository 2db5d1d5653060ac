import type { ExecutorType } from '../../shared/config-types';

/** Executors whose runs change code and so get a worktree; http, external, manual and remote ones do not. */
export const ISOLATED_EXECUTORS: readonly ExecutorType[] = ['claude', 'codex', 'amplifier', 'cli', 'shell'];
