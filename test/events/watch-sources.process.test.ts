import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchGraph, type Watching } from '../../src/core/events/watch-stream';
import type { WatchEvent } from '../../src/shared/watch-events';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';

/*
 * Where `wg watch` learns of changes: the running coordinator's change stream (the one the window
 * uses), and once the coordinator stops, the store's own commits. The events are the same either way.
 */

const p = new DaemonProject('wg-watch-');
let watching: Watching | null = null;

beforeAll(async () => {
  await p.init();
  await p.ok(['config', '--executor', 'manual']);
  await p.start();
});
afterAll(async () => {
  await watching?.stop();
  await p.remove();
});

describe('wg watch with a coordinator running, then without', () => {
  it("reads the daemon's change stream, and the store's commits once the daemon has stopped", async () => {
    const sources: string[] = [];
    const events: WatchEvent[] = [];
    watching = await watchGraph({
      paths: p.paths,
      filters: ['task_state'],
      replay: 0,
      write: (line) => events.push(JSON.parse(line) as WatchEvent),
      source: (from) => sources.push(from),
    });
    expect(sources).toEqual(['daemon']);
    await p.ok(['add', 'Seen through the daemon', '--id', 'by-daemon']);
    await waitFor('the event through the daemon', () => events.find((e) => e.task_id === 'by-daemon'));

    await p.ok(['service', 'stop']);
    await waitFor('the switch to the store', () => (sources.length === 2 ? sources : undefined));
    expect(sources).toEqual(['daemon', 'store']);
    await p.ok(['add', 'Seen in the store', '--id', 'by-store']);
    await waitFor('the event from the store', () => events.find((e) => e.task_id === 'by-store'));
    expect(events.map((e) => [e.type, e.task_id])).toEqual([
      ['task.created', 'by-daemon'],
      ['task.created', 'by-store'],
    ]);
  });
});
