import { describe, expect, it } from 'vitest';
import { plainText } from '../../src/renderer/output/plain-text';
import { humanLogLine } from '../../src/renderer/inspector/log-lines';
import { workNotices } from '../../src/renderer/notifications/work-notices';
import { taskState } from '../../src/renderer/task-state/task-state';
import { makeTask } from './support/fixtures';

describe('a run’s text as plain words outside the terminal', () => {
  it('drops colours, cursor moves, links and other control characters, keeping lines and words', () => {
    expect(plainText('exit code 1: \u001b[31m404\u001b[0m Not Found')).toBe('exit code 1: 404 Not Found');
    expect(plainText('\u001b]8;;https://example.com\u0007docs\u001b]8;;\u0007 and \u001b[2K\u001b[1Gdone\u0008')).toBe('docs and done');
    expect(plainText('\u001b[38;2;255;0;0mred\u001b[m\nnext\tline')).toBe('red\nnext\tline');
    expect(plainText('nothing to do')).toBe('nothing to do');
  });

  it('is what a card, a toast and the inspector’s log say of a failure', () => {
    const reason = 'exit code 1: \u001b[31mPOST /audit returned 404\u001b[0m';
    const task = makeTask({ id: 'audit', title: 'Audit log', status: 'failed', failure_reason: reason });
    const context = {
      tasks: new Map([[task.id, task]]),
      manualExecutors: new Set<string>(),
      defaultIsManual: false,
      coordinatorIdle: false,
      now: 0,
    };
    expect(taskState(task, context).text).toBe('failed: POST /audit returned 404');
    const before = { ...task, status: 'in-progress' as const };
    const notices = workNotices(
      { loaded: true, tasks: new Map([[task.id, before]]) } as never,
      { loaded: true, tasks: new Map([[task.id, task]]) } as never,
    );
    expect(notices.find((n) => n.kind === 'failed')?.body).toBe('exit code 1: POST /audit returned 404');
    expect(humanLogLine({ message: `Task failed: ${reason}` })).toBe('Failed: exit code 1: POST /audit returned 404');
  });
});
