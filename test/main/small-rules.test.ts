import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBatcher } from '../../src/main/ipc/event-batcher';
import { folderArgument } from '../../src/main/projects/folder-argument';
import { quitBehaviorFrom } from '../../src/main/quit-behavior';

describe('folderArgument', () => {
  it('takes the folder after the binary when packaged, resolved against the launch folder', () => {
    expect(folderArgument(['/opt/W/workgraph', 'code/api'], '/home/me', true)).toBe('/home/me/code/api');
    expect(folderArgument(['/opt/W/workgraph', '/srv/x'], '/home/me', true)).toBe('/srv/x');
  });

  it('skips the app path in development and ignores switches', () => {
    expect(folderArgument(['/repo/electron', '.', '--no-sandbox'], '/repo', false)).toBeNull();
    expect(folderArgument(['/repo/electron', '.', '--inspect', '../api'], '/repo', false)).toBe('/api');
    expect(folderArgument(['/opt/W/workgraph', '--allow-file-access-from-files', '--original-process-start-time=1'], '/', true)).toBeNull();
  });
});

describe('quitBehaviorFrom', () => {
  it('reads service.quit_behavior, defaulting to keep-agents', () => {
    expect(quitBehaviorFrom([{ key: 'service.quit_behavior', value: 'stop-agents', source: 'local' }])).toBe('stop-agents');
    expect(quitBehaviorFrom([{ key: 'service.quit_behavior', value: 'keep-agents', source: 'default' }])).toBe('keep-agents');
    expect(quitBehaviorFrom([{ key: 'service.quit_behavior', value: 42, source: 'local' }])).toBe('keep-agents');
    expect(quitBehaviorFrom([])).toBe('keep-agents');
  });
});

describe('EventBatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('forwards only the latest event per key, once per interval', () => {
    const sent: Array<{ agent_id: string; total: number }> = [];
    const batcher = new EventBatcher<{ agent_id: string; total: number }>(
      50,
      (e) => e.agent_id,
      (e) => sent.push(e),
    );
    batcher.push({ agent_id: 'a', total: 1 });
    batcher.push({ agent_id: 'b', total: 7 });
    batcher.push({ agent_id: 'a', total: 3 });
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(sent).toEqual([
      { agent_id: 'a', total: 3 },
      { agent_id: 'b', total: 7 },
    ]);
    batcher.push({ agent_id: 'a', total: 4 });
    vi.advanceTimersByTime(50);
    expect(sent).toHaveLength(3);
  });

  it('drops what is pending when disposed', () => {
    const sent: number[] = [];
    const batcher = new EventBatcher<number>(
      50,
      () => 'rev',
      (rev) => sent.push(rev),
    );
    batcher.push(1);
    batcher.dispose();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([]);
  });
});
