import { useCallback } from 'react';
import type { WorktreeDetail } from '../../shared/worktree';
import { useClient } from '../api/backend-context';
import { useOpQuery, type OpQuery } from '../hooks/use-op-query';

/** A running agent's changes show no store event: look again this often while it works. */
const LIVE_REFRESH_MS = 4000;

/** A task's (or a worktree's) worktree and diff, kept current: on every store change, and on a timer while live. */
export function useWorktreeDetail(key: string, live: boolean): OpQuery<WorktreeDetail> {
  const client = useClient();
  return useOpQuery(
    useCallback(() => client['worktree:show']({ id: key }), [client, key]),
    {
      onChange: true,
      intervalMs: live ? LIVE_REFRESH_MS : undefined,
    },
  );
}
